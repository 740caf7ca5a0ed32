"""axe-core (bundled by axe-playwright-python) finds no serious or critical violation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

SERIOUS = {"serious", "critical"}


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


PAGES_ANONYMOUS = ["/login"]
PAGES_PARTICIPANT = [
    "/",
    "/courses/migration-development-policy",
    "/courses/migration-development-policy/modules/why-migration-matters",
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES_ANONYMOUS)
def test_anonymous_pages_have_no_serious_violation(new_page, language, path):
    page = new_page(language=language, bypass_csp=True)
    page.goto(path)
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES_PARTICIPANT)
def test_participant_pages_have_no_serious_violation(new_page, language, path):
    page = new_page(language=language, bypass_csp=True)
    log_in(page, "participant2@example.org", "demo-participant-pass")
    page.goto(path)
    assert page.locator("main").count() == 1
    assert _violations(page) == []
