"""The evaluation report in the browser at 390 px: it fits a phone (its tables scroll in
their own boxes), works without JavaScript, and axe finds nothing serious on it, for the
whole demo course and for the demo cohort, in English and Spanish."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import _violations

PHONE_390 = {"width": 390, "height": 844}
PROGRAMME = ("programme@example.org", "demo-programme-pass")


@pytest.fixture(scope="module")
def demo_cohort_id(live_app) -> int:
    from sqlalchemy import select

    from trainer.cohorts.models import Cohort
    from trainer.demo import COHORT
    from trainer.extensions import db

    with live_app.app_context():
        return db.session.scalar(select(Cohort.id).where(Cohort.name == COHORT))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_evaluation_report_has_no_serious_violation(new_page, language, demo_cohort_id):
    for path in (
        "/reports/evaluation/migration-development-policy",
        f"/cohorts/{demo_cohort_id}/evaluation",
    ):
        page = new_page(language=language, bypass_csp=True)
        page.set_viewport_size(PHONE_390)
        log_in(page, *PROGRAMME)
        page.goto(path)
        assert page.locator("main h1").count() == 1
        assert page.locator("main table").count() >= 2  # enrolment, attendance
        assert _violations(page) == [], path


def test_the_pdf_downloads_without_javascript(new_page, demo_cohort_id):
    page = new_page(javascript=False)
    page.set_viewport_size(PHONE_390)
    log_in(page, *PROGRAMME)
    page.goto(f"/cohorts/{demo_cohort_id}/evaluation")
    with page.expect_download() as download:
        page.locator("main a.button[href$='evaluation.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")
