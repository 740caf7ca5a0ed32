"""axe-core finds no serious or critical violation on the certificate pages, in English and
in Spanish, at phone width: "My certificates", the public verification pages (a valid
certificate, an unknown code, the form) and the coordinators' list, certificate and history."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import _violations

HOLDER = ("holder@example.org", "browser-holder-pass")
COURSE = "migration-development-policy"


@pytest.fixture(scope="module")
def certificate(live_app) -> tuple[int, str]:
    """A certificate of the demo course, issued by hand by the demo admin to a participant
    with no preferred language: (id, code)."""
    from sqlalchemy import select

    from trainer.auth import services as accounts
    from trainer.auth.models import Institution, Role
    from trainer.certificates import services
    from trainer.courses.services import find_course
    from trainer.extensions import db
    from trainer.learning import services as learning

    with live_app.app_context():
        institution = db.session.scalar(select(Institution).where(Institution.slug == "gad-quito"))
        holder = accounts.create_user(
            HOLDER[0],
            "Ñusta Quishpe Andrés",
            Role.PARTICIPANT,
            institution=institution,
            password=HOLDER[1],
        )
        enrolment = learning.enrol(holder, find_course(COURSE))
        admin = accounts.find_user_by_email("admin@example.org")
        issued = services.issue_manually(admin, enrolment, "Attended the pilot workshop")
        db.session.commit()
        return issued.id, issued.code


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_verification_pages_have_no_serious_violation(new_page, language, certificate):
    _id, code = certificate
    for path in ("/verify", f"/verify/{code}", "/verify/2222-2222-2222-2222"):
        page = new_page(language=language, bypass_csp=True)
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        assert _violations(page) == [], path


@pytest.mark.parametrize("language", ["en", "es"])
def test_my_certificates_has_no_serious_violation(new_page, language, certificate):
    page = new_page(language=language, bypass_csp=True)
    log_in(page, *HOLDER)
    page.goto("/certificates")
    assert page.locator("main h2").count() == 1
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_coordinator_pages_have_no_serious_violation(new_page, language, certificate):
    certificate_id, _code = certificate
    for path in (
        "/certificates/manage?q=quishpe",
        f"/certificates/{certificate_id}",
        "/certificates/log",
    ):
        page = new_page(language=language, bypass_csp=True)
        log_in(page, "programme@example.org", "demo-programme-pass")
        page.goto(path)
        assert page.locator("main").count() == 1
        assert _violations(page) == [], path
