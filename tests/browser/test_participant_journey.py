"""A participant whose browser asks for Spanish follows the Spanish demo course to the end.

Catalogue, following the course in Spanish (the demo cohort enrolled them in English), the
pre-test, a lesson quiz failed then passed, the other lessons, the post-test and the survey;
at the end the "what is left to finish" checklist is empty (100 %): their attendance in the
demo cohort meets the course's 75 %.
The js and no-js runs use different demo participants, so they never share progress.

Interface strings are matched in Spanish or in English (translations are being written), and
buttons whose wording is still in flux are found through their form's action.
"""

from __future__ import annotations

import re

from tests.browser.conftest import answer_quiz, submit

PASSWORD = "demo-participant-pass"
ACCOUNTS = {True: "participant2@example.org", False: "participant@example.org"}

COURSE = "/courses/migracion-politicas-desarrollo"
COURSE_TITLE = "Transversalización de la migración en las políticas de desarrollo"

PRE_TEST = "Prueba de entrada"
WHY_MIGRATION = "Por qué la migración importa para el desarrollo"
EMPLOYMENT = "La migración en la política de empleo"
URBAN = "La migración en el desarrollo urbano y los servicios municipales"
COHERENCE = "Coherencia de políticas, alianzas y monitoreo"
POST_TEST = "Prueba de salida"
SURVEY = "Encuesta de satisfacción"

# The pre-test and the post-test ask the same questions (courses/migracion-politicas-desarrollo).
TEST_RIGHT = {
    "two-way": "a",
    "remittance-target": "b",
    "gcm-objectives": "23",
    "mainstreaming": "b",
    "labour-rights": "true",
    "skills-use": ["a", "b", "c"],
    "human-mobility": "movilidad humana",
    "municipal-services": ["a", "b"],
    "indicator-level": "c",
    "whole-of-government": "false",
}
# What somebody who has not taken the course yet might answer: 4 of 10 right.
PRE_TEST_GUESSES = {
    **TEST_RIGHT,
    "remittance-target": "c",
    "gcm-objectives": "17",
    "skills-use": ["a", "d"],
    "human-mobility": "migración",
    "municipal-services": ["a", "c"],
    "whole-of-government": "true",
}
WHY_MIGRATION_WRONG = {
    "sdg-10-7": "a",
    "migration-targets": ["d", "e"],
    "remittance-target": "5",
    "gcm-binding": "true",
    "mainstreaming-example": "a",
    "diaspora": "remesas",
}
WHY_MIGRATION_RIGHT = {
    "sdg-10-7": "b",
    "migration-targets": ["a", "b", "c"],
    "remittance-target": "3",
    "gcm-binding": "false",
    "mainstreaming-example": "b",
    "diaspora": "diáspora",
}
EMPLOYMENT_RIGHT = {
    "rights-regardless": "false",
    "prior-learning": "b",
    "pes-access": ["a", "b", "c"],
    "recruitment-fees": "b",
    "remittance-cost": "6",
    "labour-agency": "OIT",
}
URBAN_RIGHT = {
    "one-stop": "b",
    "housing": ["a", "b", "c"],
    "no-one-illegal": "true",
    "pdot": "PDOT",
    "foreign-born-share": "15",
    "cohesion": "b",
}
COHERENCE_RIGHT = {
    "indicator-level": "b",
    "outcome-indicators": ["a", "b"],
    "placement-rate": "25",
    "baseline": "true",
    "whole-of-society": "b",
    "disaggregation": "estatus migratorio",
}
SURVEY_ANSWERS = {
    "overall": "5",
    "relevance": "4",
    "clarity": "5",
    "quiz-feedback": "4",
    "workshops": "3",
    "apply": "5",
    "most-useful": "Los ejemplos de indicadores desagregados por condición migratoria.",
    "improve": "Más casos de GAD municipales pequeños.",
}


def either(*texts: str) -> re.Pattern:
    """The whole text, in any of the given wordings."""
    return re.compile("^(" + "|".join(re.escape(text) for text in texts) + ")$")


def breadcrumb(page):
    return page.get_by_role("navigation", name=either("Ruta de navegación", "Breadcrumb"))


def open_module(page, title: str) -> None:
    """From anywhere in the course: the course page by the breadcrumb, then the module."""
    if page.locator("main h1").inner_text() != COURSE_TITLE:
        breadcrumb(page).get_by_role("link", name=COURSE_TITLE).click()
        page.wait_for_url(f"**{COURSE}")
    page.locator("ol.module-list").get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(f"**{COURSE}/modules/**")
    article = page.locator("main article")
    assert article.get_attribute("lang") == "es"
    assert article.get_by_role("heading", level=1).inner_text() == title
    assert article.locator(".prose").inner_text().strip()


def start_attempt(page) -> None:
    """The "Start", "Try again" or "Answer the survey" button: its form posts to .../attempts."""
    submit(page, page.locator("form[action$='/attempts']").get_by_role("button"))
    assert re.search(r"/attempts/\d+$", page.url), page.url
    assert page.locator("form.quiz fieldset.question legend").first.is_visible()


def take_quiz(page, answers: dict) -> None:
    start_attempt(page)
    answer_quiz(page, answers)
    assert re.search(r"/attempts/\d+$", page.url), page.url
    assert page.locator("form.quiz").count() == 0, "the answers were not accepted"


def result(page):
    return page.locator("main section.result")


def assert_passed(page, questions: int) -> None:
    assert result(page).locator(".badge-ok").count() == 1, result(page).inner_text()
    assert "100" in result(page).locator(".score").inner_text()
    # Passing reveals the right answers and the feedback, one section per question.
    assert page.locator("section.revealed").count() == questions


def test_participant_completes_the_spanish_course(new_page, javascript):
    page = new_page(language="es-EC", javascript=javascript)
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_label(either("Correo electrónico", "E-mail")).fill(ACCOUNTS[javascript])
    page.get_by_label(either("Contraseña", "Password")).fill(PASSWORD)
    submit(page, page.get_by_role("button", name=either("Iniciar sesión", "Log in")))
    assert page.locator("main h1").inner_text().startswith(("Le damos la bienvenida", "Welcome"))

    # The catalogue, from the main menu, then the Spanish course.
    menu = page.get_by_role("navigation", name=either("Menú principal", "Main"))
    menu.get_by_role("link", name=either("Cursos", "Courses")).click()
    page.wait_for_url("**/courses")
    catalogue_entry = page.locator("main").get_by_role("link", name=COURSE_TITLE)
    assert catalogue_entry.get_attribute("href") == COURSE
    catalogue_entry.click()
    page.wait_for_url(f"**{COURSE}")
    assert page.locator("main h1").inner_text() == COURSE_TITLE

    # Both demo participants are members of the demo cohort, which enrolled them in the
    # English course: they follow it in Spanish. The checklist appears with the 7 modules left;
    # the course's 75 % attendance is already met in the cohort (1 of 8 requirements).
    submit(page, page.locator(f"form[action='{COURSE}/enrol']").get_by_role("button"))
    assert page.url.endswith(COURSE)
    checklist = page.locator("section.checklist")
    assert checklist.locator("progress").get_attribute("value") == "12"
    assert checklist.locator("ul.unmet > li").count() == 7

    # The pre-test: one attempt; its score does not count.
    open_module(page, PRE_TEST)
    take_quiz(page, PRE_TEST_GUESSES)
    assert "40" in result(page).locator(".score").inner_text()
    assert result(page).locator("form[action$='/attempts']").count() == 0  # no second try
    assert page.locator("section.revealed").count() == 0  # reveal: never
    assert page.locator("section.question-result").count() == 0  # nothing per question

    # The first lesson: failed, then passed at the second attempt.
    open_module(page, WHY_MIGRATION)
    take_quiz(page, WHY_MIGRATION_WRONG)
    assert result(page).locator(".badge-warn").count() == 1, result(page).inner_text()
    assert re.search(r"\b0\b", result(page).locator(".score").inner_text())
    assert page.locator("section.revealed").count() == 0  # reveal: after-pass
    # ...but a lesson quiz marks each question in words, so the next attempt is not blind.
    marked = page.locator("section.question-result")
    assert marked.count() == 6
    assert marked.locator(".badge").all_inner_texts() == ["Incorrecta"] * 6
    take_quiz(page, WHY_MIGRATION_RIGHT)  # "Try again" on the result page
    assert_passed(page, questions=6)
    assert "2" in page.locator("main h1").inner_text()  # attempt 2

    for title, answers in (
        (EMPLOYMENT, EMPLOYMENT_RIGHT),
        (URBAN, URBAN_RIGHT),
        (COHERENCE, COHERENCE_RIGHT),
    ):
        open_module(page, title)
        take_quiz(page, answers)
        assert_passed(page, questions=6)

    # The post-test: same questions as the pre-test, passed at once.
    open_module(page, POST_TEST)
    take_quiz(page, TEST_RIGHT)
    assert result(page).locator(".badge-ok").count() == 1, result(page).inner_text()

    # The anonymous survey: no score.
    open_module(page, SURVEY)
    take_quiz(page, SURVEY_ANSWERS)
    assert result(page).locator(".score").count() == 0
    assert result(page).locator("form[action$='/attempts']").count() == 0

    # Nothing is left to finish: the modules are done and the attendance was met.
    breadcrumb(page).get_by_role("link", name=COURSE_TITLE).click()
    page.wait_for_url(f"**{COURSE}")
    checklist = page.locator("section.checklist")
    assert checklist.locator("progress").get_attribute("value") == "100"
    assert checklist.locator("ul.unmet").count() == 0
    assert checklist.locator(".done-note").is_visible()
    assert page.locator("section.enrolment .badge-ok").count() == 2  # enrolled, completed

    # The dashboard says the same.
    menu = page.get_by_role("navigation", name=either("Menú principal", "Main"))
    menu.get_by_role("link", name=either("Inicio", "Home")).click()
    page.wait_for_url("**/")
    course = page.locator("section.dashboard-course").filter(
        has=page.get_by_role("link", name=COURSE_TITLE)
    )
    assert course.locator("section.checklist progress").get_attribute("value") == "100"
    assert course.locator("ul.unmet").count() == 0
    assert course.locator(".badge-ok").count() == 1  # completed
