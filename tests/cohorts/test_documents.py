"""Calendars and sign-in sheets, read back with icalendar and pypdf."""

from __future__ import annotations

import io
from datetime import date, time

from icalendar import Calendar
from pypdf import PdfReader

from trainer.cohorts import ics, services, sessions, sheet
from trainer.extensions import db

from .conftest import at


def events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_a_session_is_an_ics_entry_in_utc(people, new_cohort, new_session):
    session = new_session(new_cohort())
    [event] = events(ics.session_to_ics(session))
    assert event.decoded("dtstart") == at(2, 14)
    assert event.decoded("dtend") == at(2, 17)
    assert str(event["location"]) == "Sala 3"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["uid"]) == f"session-{session.id}@localhost"
    assert people.course.title in str(event["summary"])


def test_a_cohort_calendar_lists_every_session_and_marks_cancelled_ones(
    people, new_cohort, new_session
):
    cohort = new_cohort()
    first, second = new_session(cohort, day=2), new_session(cohort, day=9)
    online = sessions.schedule_session(
        people.admin,
        cohort,
        day=date(2026, 3, 16),
        start=time(18),
        end=time(19),
        online_url="https://meet.example.org/quito",
    )
    sessions.cancel_session(people.admin, second)
    parsed = events(ics.cohort_calendar(cohort, sessions.sessions_of(cohort)))
    assert [str(e["uid"]).split("@")[0] for e in parsed] == [
        f"session-{s.id}" for s in (first, second, online)
    ]
    assert [str(e["status"]) for e in parsed] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert str(parsed[2]["url"]) == "https://meet.example.org/quito"


def test_rescheduling_raises_the_sequence(people, new_cohort, new_session):
    session = new_session(new_cohort())
    session.updated_at = at(2, 1)
    db.session.flush()
    before = events(ics.session_to_ics(session))[0].decoded("sequence")
    sessions.reschedule_session(
        people.admin, session, day=date(2026, 3, 3), start=time(9), end=time(12)
    )
    after = events(ics.session_to_ics(session))[0].decoded("sequence")
    assert after > before == int(at(2, 1).timestamp())


def test_the_sign_in_sheet_lists_members_with_their_accents(people, new_cohort, new_session):
    cohort = new_cohort()
    members = [people.ana, people.zoe, people.luis]
    for person in members:
        services.add_member(people.admin, cohort, person)
    pdf = sheet.sign_in_sheet(new_session(cohort), members)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for name in ("Ana Núñez", "Zoë Éluard", "Luis Peña", "Municipio de Quito", "Sala 3"):
        assert name in text
    assert "Sign-in sheet" in text
    assert "9:00" in text


def test_a_long_roster_runs_over_pages(people, new_cohort, new_session, make):
    cohort = new_cohort()
    members = [
        make.user(institution=people.quito, full_name=f"Señora Número {n}") for n in range(60)
    ]
    pdf = sheet.sign_in_sheet(new_session(cohort), members)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert "Señora Número 59" in reader.pages[-1].extract_text()
