"""A certificate's life in the browser, on a 390 px phone, with and without JavaScript.

A participant of the demo cohort ("Quito, demo cohort", whose attendance they met) finishes
the demo course: the pre-test, the four lesson quizzes, the post-test and the survey. The
request that sends the survey issues the certificate: "My certificates" lists it; they
download the PDF (their name and the code are in it) and open its verification page, which
says valid. A coordinator of their institution revokes it, with a reason; the same page then
says revoked, with the date.

axe finds nothing serious on "My certificates" and on the verification pages (the form, a
valid and a revoked certificate), at 390 px.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.conftest import answer_quiz, log_in, submit
from tests.browser.test_accessibility import _violations

PHONE_390 = {"width": 390, "height": 844}
PASSWORD = "browser-certificate-pass"
COURSE = "/courses/migration-development-policy"
# One participant per run: each finishes the course once. Names with accents, as in Ecuador.
PARTICIPANTS = {
    True: ("cert-js@example.org", "Ñusta Quishpe Andrés"),
    False: ("cert-no-js@example.org", "Joaquín Guamán Peñafiel"),
}
COORDINATOR = ("coordinator@example.org", "demo-coordinator-pass")  # Ministerio del Trabajo
MODULES = (
    "pre-test",
    "why-migration-matters",
    "employment-policy",
    "urban-development",
    "coherence-and-partnerships",
    "post-test",
    "satisfaction-survey",
)


@dataclass(frozen=True)
class Journey:
    answers: dict[str, dict]  # {module slug: {question id: answer}}, all right


@pytest.fixture(scope="module")
def journey(live_app) -> Journey:
    """The two participants, of the demo coordinator's institution, members of the demo
    cohort since before its first session and present at the four sessions held (4 of 5
    scheduled: 80 %, over the course's 75 %); and the right answers of every quiz."""
    from sqlalchemy import select

    from tests.learning.conftest import answers_for
    from trainer.auth import services as accounts
    from trainer.auth.models import Institution, Role, User
    from trainer.cohorts import services as cohorts
    from trainer.cohorts import sessions
    from trainer.cohorts.models import Cohort
    from trainer.courses.models import Course
    from trainer.courses.services import current_modules
    from trainer.dbtypes import utcnow
    from trainer.demo import COHORT
    from trainer.extensions import db

    with live_app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
        trainer = db.session.scalar(select(User).where(User.email == "trainer@example.org"))
        ministry = db.session.scalar(
            select(Institution).where(Institution.slug == "ministerio-trabajo")
        )
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
        held = [
            s for s in sessions.sessions_of(cohort) if s.ends_at < utcnow() and not s.is_cancelled
        ]
        assert len(held) == 4
        for email, name in PARTICIPANTS.values():
            person = accounts.create_user(
                email, name, Role.PARTICIPANT, institution=ministry, password=PASSWORD
            )
            cohorts.add_member(admin, cohort, person, now=held[0].starts_at - timedelta(days=3))
            for session in held:
                sessions.record_attendance(
                    trainer, session, {person: "present"}, now=session.ends_at
                )
        course = db.session.scalar(select(Course).where(Course.slug == COURSE.rsplit("/", 1)[1]))
        answers = {
            module.slug: {
                name.removeprefix("q-"): value for name, value in answers_for(module.quiz).items()
            }
            for module in current_modules(course)
            if module.quiz
        }
        db.session.commit()
    assert set(answers) == set(MODULES)
    return Journey(answers=answers)


@pytest.fixture
def public_address(live_app, live_server, monkeypatch):
    """Verification links and QR codes point at the public address: here, the live server."""
    monkeypatch.setitem(live_app.config, "PUBLIC_BASE_URL", live_server)


def phone(new_page, **options):
    page = new_page(**options)
    page.set_viewport_size(PHONE_390)
    return page


def finish_the_course(page, journey: Journey) -> None:
    for slug in MODULES:
        page.goto(f"{COURSE}/modules/{slug}")
        submit(page, page.locator("form[action$='/attempts']").get_by_role("button"))
        assert re.search(r"/attempts/\d+$", page.url), page.url
        answer_quiz(page, journey.answers[slug])
        assert page.locator("form.quiz").count() == 0, f"{slug}: the answers were not accepted"


def verification_link(page) -> str:
    return page.locator("input[id^='verify-link-']").input_value()


def test_a_certificate_is_earned_downloaded_verified_and_revoked(
    new_page, javascript, journey, live_server, public_address
):
    email, name = PARTICIPANTS[javascript]
    participant = phone(new_page, javascript=javascript)
    log_in(participant, email, PASSWORD)
    participant.goto("/certificates")
    assert participant.get_by_text(re.compile("You have no certificate yet")).is_visible()

    finish_the_course(participant, journey)
    participant.goto(COURSE)
    assert participant.locator("section.checklist progress").get_attribute("value") == "100"

    # My certificates: the one the survey's request issued, its PDF and its link.
    participant.goto("/certificates")
    entry = participant.locator("main section.panel")
    assert entry.count() == 1
    assert entry.locator(".badge", has_text="Valid").is_visible()
    address = verification_link(participant)
    assert address.startswith(f"{live_server}/verify/")
    code = address.rsplit("/", 1)[1]
    with participant.expect_download() as download:
        entry.get_by_role("link", name="Download the PDF").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    data = Path(pdf.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert name in text
    assert code in text

    # Its verification page, as anyone opening the link sees it.
    participant.goto(address)
    assert participant.locator("main h1").inner_text() == "Valid certificate"
    assert participant.get_by_text(name).is_visible()
    assert participant.locator("main code", has_text=code).is_visible()

    # The coordinator of the participant's institution revokes it, with a reason.
    coordinator = phone(new_page, javascript=javascript)
    log_in(coordinator, *COORDINATOR)
    coordinator.goto("/certificates/manage?q=" + email.split("@")[0])
    coordinator.locator("main").get_by_role("link", name=name).first.click()
    coordinator.wait_for_url(re.compile(r"/certificates/\d+$"))
    revoke = coordinator.locator("form[action$='/revoke']")
    revoke.locator("textarea, input[type=text]").fill("Issued to the wrong person")
    submit(coordinator, revoke.locator("[type=submit]"))
    assert coordinator.locator("form[action$='/revoke']").count() == 0  # final
    assert coordinator.get_by_text("Issued to the wrong person").first.is_visible()

    # The verification page now says revoked, with the date.
    participant.reload()
    assert participant.locator("main h1").inner_text() == "Revoked certificate"
    assert participant.get_by_text(re.compile(r"This certificate was revoked on .+\.")).is_visible()
    participant.goto("/certificates")
    assert participant.locator("main .badge", has_text="Revoked").is_visible()


@pytest.fixture(scope="module")
def certificates_to_check(live_app) -> tuple[str, str]:
    """A participant with a valid certificate and a revoked one (of the two demo courses'
    families there is one: the second is the Spanish family's, issued by hand): codes."""
    from sqlalchemy import select

    from trainer.auth import services as accounts
    from trainer.auth.models import Institution, Role
    from trainer.certificates import services
    from trainer.courses.services import find_course
    from trainer.extensions import db
    from trainer.learning import services as learning

    with live_app.app_context():
        institution = db.session.scalar(select(Institution).where(Institution.slug == "gad-quito"))
        admin = accounts.find_user_by_email("admin@example.org")
        codes = []
        for n, email in enumerate(("cert-axe-1@example.org", "cert-axe-2@example.org")):
            holder = accounts.create_user(
                email,
                "María José Cañar",
                Role.PARTICIPANT,
                institution=institution,
                password=PASSWORD,
            )
            enrolment = learning.enrol(holder, find_course(COURSE.rsplit("/", 1)[1]))
            issued = services.issue_manually(admin, enrolment, "Attended the pilot workshop")
            if n:
                services.revoke(admin, issued, "Issued by mistake")
            codes.append(issued.code)
        db.session.commit()
        return codes[0], codes[1]


@pytest.mark.parametrize("language", ["en", "es"])
def test_my_certificates_and_verification_have_no_serious_violation_at_390_px(
    new_page, language, certificates_to_check, public_address
):
    valid, revoked = certificates_to_check
    for path in ("/verify", f"/verify/{valid}", f"/verify/{revoked}"):
        page = phone(new_page, language=language, bypass_csp=True)
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        assert _violations(page) == [], path
    page = phone(new_page, language=language, bypass_csp=True)
    log_in(page, "cert-axe-2@example.org", PASSWORD)
    page.goto("/certificates")
    assert page.locator("main section.panel").count() == 1
    assert _violations(page) == []
