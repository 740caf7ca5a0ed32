"""Every administration page renders for an admin, in each language, within the CSP."""

from __future__ import annotations

import pytest

PAGES = [
    "/admin/",
    "/admin/institutions",
    "/admin/institutions/new",
    "/admin/users",
    "/admin/users/new",
    "/admin/people",
    "/admin/people/new",
    "/admin/people/import",
    "/admin/settings",
    "/admin/audit",
]


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_pages_render_without_inline_script_or_style(client_for, admin, make, language):
    institution = make.institution()
    person = make.user(institution=institution)
    client = client_for(admin)
    for path in [*PAGES, f"/admin/institutions/{institution.id}", f"/admin/users/{person.id}"]:
        response = client.get(path, headers={"Accept-Language": language})
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "<script" not in html, path
        assert " style=" not in html, path
        assert "<style" not in html, path
        assert html.count("<h1") == 1, path
