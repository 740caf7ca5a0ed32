"""A trainer takes attendance on a phone, partly from the keyboard, with and without JavaScript.

Each test builds its own cohort on the live server (members from two institutions, a trainer,
a session going on now), so the js and no-js runs and any rerun never meet. The journey runs
at 390 px; the accessibility check at the conftest's 360 px. Every page is also checked for
sideways scrolling (conftest.py).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import uuid4

import pytest

from tests.browser.conftest import choose_language, log_in, submit
from tests.browser.test_accessibility import _violations

PASSWORD = "browser-roster-pass"
MEMBERS = [
    ("José Núñez", "gad-quito"),
    ("Łukasz Wójcik", "gad-cuenca"),
    ("Françoise Lefèvre", "gad-quito"),
    ("Ana Ruiz", "gad-cuenca"),
]


@pytest.fixture
def workshop(live_app) -> dict:
    """A running cohort of the demo course with four members, its trainer and a session
    going on now; the roster's address and the trainer's e-mail."""
    from sqlalchemy import select

    from trainer.auth import services as accounts
    from trainer.auth.models import Institution, Role, User
    from trainer.cohorts import services
    from trainer.cohorts.models import TrainingSession
    from trainer.courses.models import Course
    from trainer.dbtypes import utcnow
    from trainer.extensions import db

    suffix = uuid4().hex[:8]
    with live_app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
        course = db.session.scalar(
            select(Course).where(Course.slug == "migration-development-policy")
        )
        institutions = {
            i.slug: i
            for i in db.session.scalars(
                select(Institution).where(Institution.slug.in_(["gad-quito", "gad-cuenca"]))
            )
        }
        trainer = accounts.create_user(
            f"roster-{suffix}@example.org",
            "Rosa Roster",
            Role.TRAINER,
            password=PASSWORD,
            language="en",
        )
        today = date.today()
        cohort = services.create_cohort(
            admin,
            course,
            name=f"Workshop {suffix}",
            starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=30),
            timezone="America/Guayaquil",
            institutions=list(institutions.values()),
            trainers=[trainer],
        )
        for name, slug in MEMBERS:
            person = accounts.create_user(
                f"{name.split()[0].lower()}-{suffix}@example.org",
                name,
                Role.PARTICIPANT,
                institution=institutions[slug],
            )
            services.add_member(admin, cohort, person, now=utcnow() - timedelta(days=1))
        now = utcnow()
        session = TrainingSession(
            cohort=cohort,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=2),
            place="Sala de capacitación, piso 3",
        )
        db.session.add(session)
        db.session.commit()
        return {
            "url": f"/cohorts/{cohort.id}/sessions/{session.id}/attendance",
            "email": trainer.email,
        }


def member(page, name: str):
    return page.get_by_role("group", name=name, exact=True)


def test_a_trainer_takes_attendance_on_a_phone(new_page, javascript, workshop):
    page = new_page(language="en", javascript=javascript)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, workshop["email"], PASSWORD)
    page.goto(workshop["url"])
    assert page.get_by_role("heading", level=1).inner_text() == "Attendance"
    assert page.locator("fieldset.mark").count() == len(MEMBERS)

    # From the keyboard: Ana is late (Space on her radio), Tab to the next group, Space.
    member(page, "Ana Ruiz").get_by_label("Late", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # into Françoise's group, on its first radio
    focused = page.evaluate("document.activeElement.id")
    assert focused.endswith("-present"), focused
    page.keyboard.press("Space")
    assert member(page, "Ana Ruiz").get_by_label("Late", exact=True).is_checked()
    assert member(page, "Françoise Lefèvre").get_by_label("Present", exact=True).is_checked()
    # With a tap: Łukasz is excused. The tap target is the whole label, a thumb wide.
    excused = member(page, "Łukasz Wójcik").locator("label", has_text="Excused")
    box = excused.bounding_box()
    assert box["height"] >= 44, box
    assert box["width"] >= 100, box
    excused.click()

    # "Mark all present" saves the changes and marks José, the one left, present.
    submit(page, page.get_by_role("button", name="Mark all present"))
    assert page.url.endswith(workshop["url"])
    assert "4 marks saved." in page.locator(".flashes").inner_text()

    # The marks are kept, each saying who recorded it and how.
    page.goto(workshop["url"])
    expected = {
        "Ana Ruiz": "Late",
        "Françoise Lefèvre": "Present",
        "Łukasz Wójcik": "Excused",
        "José Núñez": "Present",
    }
    for name, status in expected.items():
        group = member(page, name)
        assert group.get_by_label(status, exact=True).is_checked(), name
        state = group.locator(".mark-state").inner_text()
        assert f"{status}, recorded by Rosa Roster on the roster" in state, state
    tally = page.locator("ul.tally").inner_text()
    assert re.search(r"Present:\s*2", tally), tally
    assert re.search(r"Late:\s*1", tally), tally

    # A change later: Łukasz arrived after all. Saving records only that change.
    member(page, "Łukasz Wójcik").get_by_label("Late", exact=True).check()
    submit(page, page.get_by_role("button", name="Save attendance"))
    assert "1 mark saved." in page.locator(".flashes").inner_text()
    assert member(page, "Łukasz Wójcik").get_by_label("Late", exact=True).is_checked()
    assert member(page, "José Núñez").get_by_label("Present", exact=True).is_checked()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_attendance_pages_have_no_serious_violation(new_page, language, workshop):
    page = new_page(language=language, bypass_csp=True)
    log_in(page, workshop["email"], PASSWORD)
    choose_language(page, language)
    for path in (workshop["url"], workshop["url"].replace("/attendance", "/sheet")):
        page.goto(path)
        assert page.locator("main").count() == 1
        assert _violations(page) == [], path
