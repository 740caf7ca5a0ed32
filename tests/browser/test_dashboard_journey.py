"""A coordinator follows their institution on a phone, with and without JavaScript: opens
the dashboard from the menu, filters it by the demo cohort, opens a participant's timeline,
goes back and downloads every table as an XLSX workbook. axe finds nothing serious on the
dashboard, the item analysis and the timeline, in English and Spanish.

The coordinator is made for these tests (institution of the demo's Paula Participante, no
preferred language), so the journey reads in the browser's language and the demo accounts
stay untouched. The journey runs at 390 px; the accessibility check at the conftest's 360 px.
"""

from __future__ import annotations

import io
import zipfile
from uuid import uuid4

import pytest

from tests.browser.conftest import choose_language, log_in, submit
from tests.browser.test_accessibility import _violations
from trainer.demo import COHORT

PASSWORD = "browser-dashboard-pass"
FAMILY = "migration-development-policy"


@pytest.fixture
def coordinator(live_app) -> str:
    """A coordinator of the Ministry of Labour (Paula Participante's institution); their
    e-mail."""
    from sqlalchemy import select

    from trainer.auth import services as accounts
    from trainer.auth.models import Role, User
    from trainer.extensions import db

    with live_app.app_context():
        paula = db.session.scalar(select(User).where(User.email == "participant@example.org"))
        person = accounts.create_user(
            f"dashboard-{uuid4().hex[:8]}@example.org",
            "Cora Coordinator",
            Role.COORDINATOR,
            institution=paula.institution,
            password=PASSWORD,
        )
        db.session.commit()
        return person.email


def test_a_coordinator_follows_a_cohort_on_a_phone(new_page, javascript, coordinator):
    page = new_page(language="en", javascript=javascript)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, coordinator, PASSWORD)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dashboard")

    # Filter by the demo cohort: a plain GET form, the same with or without JavaScript.
    page.get_by_label("Course", exact=True).select_option(FAMILY)
    page.get_by_label("Cohort", exact=True).select_option(label=COHORT)
    submit(page, page.get_by_role("button", name="Show"))
    assert "cohort=" in page.url
    assert page.get_by_label("Cohort", exact=True).locator("option:checked").inner_text() == COHORT
    figures = page.locator("dl.key-figures").inner_text()
    assert "Enrolled" in figures
    # The charts are drawn on the server, named, with their numbers in a table too.
    assert page.locator("svg[role=img] title").count() >= 3
    people = page.locator("#table-participants")
    assert people.get_by_role("row", name="Paula Participante").count() == 1
    # Another institution's member of the cohort is not counted.
    assert people.get_by_text("Diego Delgado").count() == 0

    with page.expect_navigation():
        people.get_by_role("link", name="Paula Participante").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Paula Participante"
    timeline = page.locator("ol.timeline").inner_text()
    assert f"Joined the cohort {COHORT}" in timeline
    assert "Session of" in timeline

    with page.expect_navigation():
        page.get_by_role("link", name="Dashboard", exact=True).last.click()
    assert "cohort=" in page.url
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every table (XLSX)").click()
    assert download.value.suggested_filename == f"dashboard-{FAMILY}.xlsx"
    with (
        open(download.value.path(), "rb") as file,
        zipfile.ZipFile(io.BytesIO(file.read())) as book,
    ):
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) >= 10
        assert "Paula Participante" in book.read("xl/sharedStrings.xml").decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_pages_have_no_serious_violation(new_page, language, coordinator, live_app):
    from sqlalchemy import select

    from trainer.auth.models import User
    from trainer.extensions import db

    with live_app.app_context():
        paula = db.session.scalar(select(User.id).where(User.email == "participant@example.org"))
    page = new_page(language=language, bypass_csp=True)
    log_in(page, coordinator, PASSWORD)
    choose_language(page, language)
    for path in (
        f"/reports?family={FAMILY}",
        f"/reports/items?family={FAMILY}",
        f"/reports/participants/{paula}?family={FAMILY}",
        f"/reports?family={FAMILY}&enrolled_from=not-a-date",
    ):
        page.goto(path)
        assert page.locator("main").count() == 1
        assert _violations(page) == [], path
