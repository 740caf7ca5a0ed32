"""Sessions as iCalendar (RFC 5545) entries, written by the icalendar library.

Times are given in UTC, which every calendar converts to its reader's zone. A session keeps
its UID for ever, and its SEQUENCE is its last change in seconds, so a calendar that
imported it updates it when it is rescheduled or cancelled (STATUS:CANCELLED).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event

from trainer.cohorts.models import Cohort, TrainingSession

PRODID = "-//trainer//cohort sessions//EN"


def _host() -> str:
    return urlsplit(current_app.config.get("PUBLIC_BASE_URL") or "").hostname or "trainer"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def session_event(session: TrainingSession) -> Event:
    cohort = session.cohort
    event = Event()
    event.add("uid", f"session-{session.id}@{_host()}")
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    event.add("sequence", int(session.updated_at.timestamp()))
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{cohort.course.title} · {cohort.name}")
    if session.place:
        event.add("location", session.place)
    if session.online_url:
        event.add("url", session.online_url)
        if not session.place:
            event.add("location", session.online_url)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def session_to_ics(session: TrainingSession) -> bytes:
    """One session, as an .ics file."""
    calendar = _calendar(session.cohort.name)
    calendar.add_component(session_event(session))
    return calendar.to_ical()


def cohort_calendar(cohort: Cohort, sessions: Iterable[TrainingSession]) -> bytes:
    """Every session of the cohort (cancelled ones marked so), as one .ics calendar."""
    calendar = _calendar(cohort.name)
    for session in sessions:
        calendar.add_component(session_event(session))
    return calendar.to_ical()
