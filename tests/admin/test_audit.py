"""The audit log: entries written with the change, and the admin-only page that lists them."""

from __future__ import annotations

import re

import pytest

from trainer.auth import audit
from trainer.auth.models import Role


def _table(html: str) -> str:
    return html[html.index("<tbody>") :]


def test_record_keeps_secrets_out_and_finds_the_institution(make, db):
    institution = make.institution()
    person = make.user(institution=institution)
    entry = audit.record(
        None,
        "user.update",
        person,
        {"role": "participant", "password_hash": "$argon2id$x"},
        {"role": "trainer", "password": "secret"},
        "why",
    )
    assert entry.before == {"role": "participant"}
    assert entry.after == {"role": "trainer"}
    assert entry.institution_id == institution.id
    assert (entry.target_type, entry.target_id) == ("user_account", person.id)
    assert entry.actor_id is None


def test_record_refuses_an_unknown_action(make):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record(None, "user.teleport", None)


def test_changed_keeps_only_what_differs():
    before = {"name": "A", "slug": "a", "country": "EC"}
    after = {"name": "B", "slug": "a", "country": "EC"}
    assert audit.changed(before, after) == ({"name": "A"}, {"name": "B"})


def test_the_page_lists_entries_newest_first_with_a_readable_diff(client_for, admin, make):
    institution = make.institution("gad-quito", name="GAD Quito")
    person = make.user(institution=institution, full_name="Ana Ruiz", email="ana@example.org")
    client = client_for(admin)
    client.post(
        f"/admin/users/{person.id}",
        data={
            "email": "ana@example.org",
            "full_name": "Ana Ruiz",
            "role": "coordinator",
            "institution": str(institution.id),
        },
    )
    client.post(f"/admin/users/{person.id}/deactivate")
    html = _table(client.get("/admin/audit").get_data(as_text=True))
    assert html.index("Account deactivated") < html.index("Account changed")
    assert "<del>Participant</del> → <ins>Coordinator</ins>" in html
    assert "<del>yes</del> → <ins>no</ins>" in html
    assert "Ada Admin" in html


def test_the_page_filters_by_action_and_by_actor(client_for, admin, make):
    other_admin = make.user(Role.ADMIN, full_name="Otto Other")
    person = make.user(full_name="Ana Ruiz")
    client_for(admin).post(f"/admin/users/{person.id}/deactivate")
    client_for(other_admin).post(f"/admin/users/{person.id}/reactivate")
    client = client_for(admin)
    html = _table(client.get("/admin/audit?action=user.reactivate").get_data(as_text=True))
    assert "Account reactivated" in html
    assert "Account deactivated" not in html
    page = client.get(f"/admin/audit?actor={admin.id}").get_data(as_text=True)
    assert "Account deactivated" in _table(page)
    assert "Account reactivated" not in _table(page)
    assert "Otto Other &lt;" in page  # offered in the "who" filter


def test_entries_made_on_the_command_line_show_as_such(client_for, admin, make):
    audit.record(None, "institution.create", make.institution(), None, {"name": "X"}, "X")
    html = client_for(admin).get("/admin/audit?actor=system").get_data(as_text=True)
    assert re.search(r"<td>\s*The command line\s*</td>", html)


def _audit_page_queries(client, count_queries) -> int:
    with count_queries() as statements:
        assert client.get("/admin/audit").status_code == 200
    return len(statements)


def test_the_page_runs_the_same_number_of_queries_for_5_or_50_entries(
    client_for, admin, make, count_queries
):
    client = client_for(admin)
    client.get("/")

    def add(n: int) -> None:
        for _ in range(n):
            person = make.user(institution=make.institution())
            actor = make.user(Role.ADMIN)
            audit.record(actor, "user.create", person, None, audit.user_snapshot(person), "x")

    add(5)
    few = _audit_page_queries(client, count_queries)
    add(45)
    many = _audit_page_queries(client, count_queries)
    assert few == many
