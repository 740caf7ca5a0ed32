"""A trainer writes a course in the web editor, fixes what the checker finds, and publishes it.

The interface is in English: the demo trainer prefers Spanish and picks English in the header.
Each run creates a course of its own (a unique slug), so the js and no-js runs and any rerun
on the same server never meet.
"""

from __future__ import annotations

import re
from uuid import uuid4

from tests.browser.conftest import choose_language, log_in, submit

MODULE_SLUG = "first-steps"
MODULE_TITLE = "First steps in mainstreaming migration"
QUESTION = "? Which SDG target asks for well-managed migration policies? {id=sdg-target}"


def module_text(right_answer: str) -> str:
    """The module file; ``right_answer`` marks the choice 10.7, or not when it is " "."""
    return "\n".join(
        [
            "---",
            f"title: {MODULE_TITLE}",
            "minutes: 15",
            "---",
            "## Why it matters",
            "",
            "Migration touches employment, housing and municipal services alike.",
            "",
            "::: quiz",
            "pass: 70",
            "attempts: 3",
            "",
            QUESTION,
            "- ( ) 8.8",
            f"- ({right_answer}) 10.7",
            "- ( ) 17.18",
            "",
            "? Remittances are private funds sent by migrants to their families. {id=remittances}",
            "= true",
            ":::",
            "",
        ]
    )


WITH_ERROR = module_text(" ")
FIXED = module_text("x")
ERROR_LINE = WITH_ERROR.splitlines().index(QUESTION) + 1


def problems(page):
    return page.get_by_role("region", name=re.compile(r"problems? to fix before publishing"))


def test_trainer_writes_fixes_and_publishes_a_course(new_page, javascript):
    slug = f"browser-{'js' if javascript else 'no-js'}-{uuid4().hex[:8]}"
    page = new_page(language="en", javascript=javascript)
    log_in(page, "trainer@example.org", "demo-trainer-pass")
    choose_language(page, "en")

    # A new course, from the course editor.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Authoring").click()
    page.wait_for_url("**/authoring")
    page.get_by_role("link", name="New course").click()
    main = page.locator("main")
    main.get_by_label("Slug").fill(slug)
    main.get_by_label("Title").fill(f"Browser course {slug}")
    main.get_by_label("Summary").fill("A short course written in the browser test.")
    main.get_by_label("Language", exact=True).select_option("en")
    main.get_by_label("Estimated hours").fill("1")
    submit(page, main.get_by_role("button", name="Create the course"))
    assert page.url.endswith(f"/courses/{slug}/edit"), page.url
    assert "created as a draft" in page.locator(".flashes").inner_text()

    # A lesson module, then its text with a quiz whose first question has no right choice.
    main.get_by_label("Slug").fill(MODULE_SLUG)
    main.get_by_label("Title").fill(MODULE_TITLE)
    main.get_by_label("Kind").select_option("lesson")
    main.get_by_label("Minutes").fill("15")
    submit(page, main.get_by_role("button", name="Add the module"))
    assert page.url.endswith(f"/courses/{slug}/edit/modules/{MODULE_SLUG}"), page.url
    source = page.get_by_label("Module file")
    source.fill(WITH_ERROR)
    submit(page, page.get_by_role("button", name="Preview"))

    # The checker's message, with the line of the question, and the text kept as typed.
    found = problems(page)
    assert found.get_by_role("heading").inner_text() == "1 problem to fix before publishing"
    message = found.get_by_role("listitem")
    assert message.inner_text() == (
        f"Line {ERROR_LINE}: question has no correct choice; mark one with (x)"
    )
    assert page.get_by_label("Module file").input_value() == WITH_ERROR
    preview = page.locator("#preview-panel")
    assert preview.get_by_role("heading", level=1).inner_text() == MODULE_TITLE

    # The line number leads to the text box; with JavaScript it selects that line.
    message.get_by_role("link", name=f"Line {ERROR_LINE}").click()
    if javascript:
        selected = source.evaluate("a => a.value.slice(a.selectionStart, a.selectionEnd)")
        assert selected == QUESTION
        # Fixed in the box: the live preview follows the typing, no page load needed.
        url = page.url
        source.fill(FIXED)
        preview.locator(".problems-ok").wait_for()
        assert page.url == url
    else:
        assert page.url.endswith("#source")
        source.fill(FIXED)
        submit(page, page.get_by_role("button", name="Preview"))
    assert problems(page).count() == 0
    assert preview.locator(".problems-ok").inner_text() == "No problems found."
    right = preview.locator("ol.quiz-preview li.right")  # marked for screen readers too
    assert right.count() == 1
    assert " ".join(right.inner_text().split()) == "✓ right answer: 10.7"

    submit(page, page.get_by_role("button", name="Save draft"))
    assert "Draft saved." in page.locator(".flashes").inner_text()
    assert page.get_by_label("Module file").input_value() == FIXED

    # Publish from the overview.
    course_nav = page.get_by_role("navigation", name="Course editor")
    course_nav.get_by_role("link", name="Overview").click()
    page.wait_for_url(f"**/courses/{slug}/edit")
    assert "the course can be published" in page.locator(".problems-ok").inner_text()
    page.get_by_label("What changed (optional)").fill("First version, written in the browser.")
    submit(page, page.get_by_role("button", name="Publish"))
    assert "Version 1 is published." in page.locator(".flashes").inner_text()

    # The published module, as the course's readers see it.
    course_nav = page.get_by_role("navigation", name="Course editor")
    course_nav.get_by_role("link", name="Published course").click()
    page.wait_for_url(f"**/courses/{slug}")
    page.locator("ol.module-list").get_by_role("link", name=MODULE_TITLE).click()
    page.wait_for_url(f"**/courses/{slug}/modules/{MODULE_SLUG}")
    article = page.locator("main article")
    assert article.get_by_role("heading", level=1).inner_text() == MODULE_TITLE
    assert article.get_by_role("heading", name="Why it matters").is_visible()
    assert "housing and municipal services" in article.inner_text()
    assert "::: quiz" not in article.inner_text()  # the quiz is not shown as text
    quiz = page.get_by_role("region", name="Quiz")
    facts = quiz.locator("ul.quiz-facts").inner_text()
    assert "2 questions" in facts
    assert "Pass mark: 70%" in facts
    assert "3 attempts allowed" in facts
