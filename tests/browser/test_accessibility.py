"""axe-core (bundled by axe-playwright-python) finds no serious or critical violation.

Every page is checked in English and in Spanish. Participant pages are seen by READER, a
participant with no preferred language (so the browser's language really decides), enrolled
in the English course with a quiz attempt open; the editor is seen by the demo trainer and
the admin pages by the demo admin, who pick the language in the header. Like every browser
test, each page visited is also checked for sideways scrolling at 360 px (conftest.py).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    LEARNER,
    PHONE,
    READER,
    FittingPage,
    choose_language,
    log_in,
    submit,
)

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


COURSE = "/courses/migration-development-policy"
QUIZ_MODULE = f"{COURSE}/modules/why-migration-matters"

PAGES_ANONYMOUS = ["/login"]
PAGES_PARTICIPANT = [
    "/",  # the dashboard, with the course's checklist
    "/courses",  # the catalogue
    COURSE,
    QUIZ_MODULE,
]
PAGES_ADMIN = [
    "/admin/people/import",  # the CSV import page, with its example file
]
PAGES_TRAINER = [
    f"{COURSE}/edit",  # the course editor's overview
    f"{COURSE}/edit/modules/why-migration-matters",  # a module's text and its preview
]


@pytest.fixture(scope="module")
def reader_attempt(browser, live_server) -> str:
    """READER enrolled in the English course, with an attempt open at a lesson's quiz: its URL."""
    context = browser.new_context(viewport=PHONE, base_url=live_server)
    try:
        page = FittingPage(context.new_page())
        log_in(page, *READER)
        page.goto(COURSE)
        enrol = page.locator(f"form[action='{COURSE}/enrol']")
        if enrol.count():
            submit(page, enrol.get_by_role("button"))
        page.goto(QUIZ_MODULE)
        open_attempt = page.locator("section.module-actions a.button[href^='/attempts/']")
        if open_attempt.count():  # "Continue your attempt"
            open_attempt.click()
            page.wait_for_url("**/attempts/*")
        else:
            start = page.locator(f"form[action='{QUIZ_MODULE}/attempts']")
            submit(page, start.get_by_role("button"))
        assert re.search(r"/attempts/\d+$", page.url), page.url
        return page.url.removeprefix(live_server)
    finally:
        context.close()


@pytest.fixture(scope="module")
def failed_lesson_result(browser, live_server) -> str:
    """LEARNER sent a lesson's quiz with no answer, so failed it: the URL of the result page,
    which marks every question "Not right"."""
    context = browser.new_context(viewport=PHONE, base_url=live_server, java_script_enabled=False)
    try:
        page = FittingPage(context.new_page())
        log_in(page, *LEARNER)
        page.goto(COURSE)
        enrol = page.locator(f"form[action='{COURSE}/enrol']")
        if enrol.count():
            submit(page, enrol.get_by_role("button"))
        page.goto(QUIZ_MODULE)
        submit(page, page.locator(f"form[action='{QUIZ_MODULE}/attempts']").get_by_role("button"))
        submit(page, page.locator("form.quiz [type=submit]"))
        assert re.search(r"/attempts/\d+$", page.url), page.url
        return page.url.removeprefix(live_server)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES_ANONYMOUS)
def test_anonymous_pages_have_no_serious_violation(new_page, language, path):
    page = new_page(language=language, bypass_csp=True)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == language
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES_PARTICIPANT)
def test_participant_pages_have_no_serious_violation(new_page, language, path, reader_attempt):
    page = new_page(language=language, bypass_csp=True)
    log_in(page, *READER)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main").count() == 1
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_quiz_attempt_has_no_serious_violation(new_page, language, reader_attempt):
    page = new_page(language=language, bypass_csp=True)
    log_in(page, *READER)
    page.goto(reader_attempt)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("form.quiz fieldset.question").count() > 0
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_failed_lesson_result_has_no_serious_violation(new_page, language, failed_lesson_result):
    page = new_page(language=language, bypass_csp=True)
    log_in(page, *LEARNER)
    page.goto(failed_lesson_result)
    assert page.locator("html").get_attribute("lang") == language
    marked = page.locator("section.question-result")
    assert marked.count() > 0
    assert marked.locator(".badge-bad").count() == marked.count()  # all unanswered, in words
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES_ADMIN)
def test_admin_pages_have_no_serious_violation(new_page, language, path):
    page = new_page(language=language, bypass_csp=True)
    log_in(page, "admin@example.org", "demo-admin-pass")
    choose_language(page, language)
    page.goto(path)
    assert page.locator("main").count() == 1
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES_TRAINER)
def test_editor_pages_have_no_serious_violation(new_page, language, path):
    page = new_page(language=language, bypass_csp=True)
    log_in(page, "trainer@example.org", "demo-trainer-pass")
    choose_language(page, language)
    page.goto(path)
    assert page.locator("main").count() == 1
    assert _violations(page) == []
