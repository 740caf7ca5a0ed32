"""QR self check-in in the browser, on a 390 px phone, with and without JavaScript.

A trainer opens the session's QR screen; a participant, logged out on another phone, opens
the address the code encodes, logs in, comes back to the confirmation page and checks in.
The screen then counts them: its script fetches the new code (and the count) as the code
rotates, without reloading the page; without JavaScript the "Show a new code" link does it.
axe finds nothing serious on the QR screen, the confirmation page and "My sessions".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.browser.conftest import log_in, submit
from tests.browser.test_accessibility import _violations

PHONE_390 = {"width": 390, "height": 844}
PASSWORD = "browser-checkin-pass"
TRAINER = "qr-trainer@example.org"
# One participant per run, since a member checks in once; a third only looks.
PARTICIPANTS = {True: "qr-js@example.org", False: "qr-no-js@example.org"}
LOOKER = "qr-looker@example.org"
COURSE = "migration-development-policy"


@dataclass(frozen=True)
class Workshop:
    qr_path: str


@pytest.fixture(scope="module")
def workshop(live_app) -> Workshop:
    """A cohort of the demo course trained by TRAINER, with the participants as members and
    a session going on now."""
    from sqlalchemy import select

    from trainer.auth import services as accounts
    from trainer.auth.models import Institution, Role, User
    from trainer.cohorts import services
    from trainer.cohorts.models import TrainingSession
    from trainer.courses.models import Course
    from trainer.dbtypes import utcnow
    from trainer.extensions import db

    with live_app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
        course = db.session.scalar(select(Course).where(Course.slug == COURSE))
        institution = db.session.scalar(select(Institution).order_by(Institution.id))
        trainer = accounts.create_user(TRAINER, "Quique Trainer", Role.TRAINER, password=PASSWORD)
        today = date.today()
        cohort = services.create_cohort(
            admin,
            course,
            name="Check-in cohort",
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=30),
            timezone="America/Guayaquil",
            open_to_all=True,
            trainers=[trainer],
        )
        for email in (*PARTICIPANTS.values(), LOOKER):
            person = accounts.create_user(
                email, f"Participant {email}", institution=institution, password=PASSWORD
            )
            services.add_member(admin, cohort, person)
        now = utcnow()
        session = TrainingSession(
            cohort=cohort,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=2),
            place="Sala de uso múltiple",
        )
        db.session.add(session)
        db.session.commit()
        return Workshop(qr_path=f"/cohorts/{cohort.id}/sessions/{session.id}/qr")


@pytest.fixture
def public_address(live_app, live_server, monkeypatch):
    """The code encodes the public address: here, the live server's."""
    monkeypatch.setitem(live_app.config, "PUBLIC_BASE_URL", live_server)


def phone(new_page, **options):
    page = new_page(**options)
    page.set_viewport_size(PHONE_390)
    return page


def scan_url(page) -> str:
    return page.locator("[data-scan-url]").get_attribute("data-scan-url")


def checked_in(page) -> int:
    """The screen's count: "3 people have checked in so far." """
    return int(page.locator(".qr-count").inner_text().split()[0])


def test_a_participant_checks_in_through_the_qr_confirmation_page(
    new_page, javascript, workshop, live_server, public_address
):
    screen = phone(new_page, javascript=javascript)
    log_in(screen, TRAINER, PASSWORD)
    screen.goto(workshop.qr_path)
    assert screen.get_by_text("Scan with your phone camera").is_visible()
    assert screen.locator(".qr-code svg").is_visible()
    before = checked_in(screen)  # the other run's participant may have checked in already
    address = scan_url(screen)
    assert address.startswith(f"{live_server}/check-in/")

    participant = phone(new_page, javascript=javascript)
    participant.goto(address)  # logged out: the scan leads to the log-in page
    participant.wait_for_url(re.compile(r"/login\?next="))
    participant.locator("#email").fill(PARTICIPANTS[javascript])
    participant.locator("#password").fill(PASSWORD)
    submit(participant, participant.locator("form[action='/login'] [type=submit]"))
    participant.wait_for_url(re.compile(r"/check-in\?ticket="))
    question = participant.locator("main p").first.inner_text()
    assert question.startswith("Check in to "), question
    assert question.endswith(" at Sala de uso múltiple?"), question
    submit(participant, participant.get_by_role("button", name="Check in"))
    participant.wait_for_url(re.compile(r"/my-sessions$"))
    assert participant.get_by_text(re.compile("You are checked in")).is_visible()
    assert participant.locator(".badge", has_text="Present").is_visible()

    if javascript:
        # The script fetches the next code (and the count) itself, within a rotation.
        screen.evaluate("() => { window.sameDocument = true; }")
        screen.locator(".qr-count", has_text=f"{before + 1} ").wait_for(timeout=15_000)
        assert screen.evaluate("() => window.sameDocument === true")
        assert scan_url(screen) != address
    else:
        screen.get_by_role("link", name="Show a new code").click()
        screen.wait_for_load_state()
        assert checked_in(screen) == before + 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_check_in_pages_have_no_serious_violation(new_page, language, workshop, public_address):
    screen = phone(new_page, language=language, bypass_csp=True)
    log_in(screen, TRAINER, PASSWORD)
    screen.goto(workshop.qr_path)
    assert screen.locator("html").get_attribute("lang") == language
    assert _violations(screen) == []

    participant = phone(new_page, language=language, bypass_csp=True)
    log_in(participant, LOOKER, PASSWORD)
    participant.goto(scan_url(screen))
    participant.wait_for_url(re.compile(r"/check-in\?ticket="))
    assert participant.locator("main form [type=submit]").count() == 1
    assert _violations(participant) == []
    participant.goto("/my-sessions")
    assert participant.locator(".session-entry").count() >= 1
    assert _violations(participant) == []
