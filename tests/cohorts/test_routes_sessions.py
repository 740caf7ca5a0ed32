"""Scheduling, rescheduling and cancelling a cohort's sessions from its pages."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from trainer.cohorts import services
from trainer.cohorts.models import TrainingSession
from trainer.extensions import db

from .conftest import at


def stored(session_id: int) -> TrainingSession:
    """The session as the database has it now (requests use sessions of their own)."""
    db.session.expire_all()
    return db.session.get(TrainingSession, session_id)


def fields(**changes) -> dict:
    return {"day": "2026-03-10", "start": "09:00", "end": "12:30", "place": "Sala 5", **changes}


def test_scheduling_a_session_in_the_cohorts_time_zone(client, login_as, people, new_cohort):
    cohort = new_cohort()
    login_as(people.owner)
    assert client.get(f"/cohorts/{cohort.id}/sessions/new").status_code == 200
    response = client.post(f"/cohorts/{cohort.id}/sessions/new", data=fields())
    assert response.status_code == 302
    session = db.session.scalar(
        select(TrainingSession).where(TrainingSession.cohort_id == cohort.id)
    )
    # 09:00 in Quito (UTC-5).
    assert (session.starts_at, session.ends_at) == (at(10, 14), at(10, 17, 30))
    assert session.place == "Sala 5"
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Tuesday, March 10, 2026, 9:00\u202fAM to 12:30\u202fPM" in page


def test_an_online_session_and_the_services_refusals(client, login_as, people, new_cohort):
    cohort = new_cohort()
    login_as(people.admin)
    url = f"/cohorts/{cohort.id}/sessions/new"
    for changes, message in (
        ({"day": "2026-04-02"}, "between 2026-03-01 and 2026-03-31"),
        ({"end": "08:00"}, "A session must end after it starts."),
        ({"place": ""}, "Give the session a place or an online link."),
        ({"place": "", "online_url": "javascript:alert(1)"}, "must be a web address"),
        ({"day": "0001-01-01"}, "Enter a date between the years 2000 and 2100."),
        ({"start": "25:00"}, "Not a valid time value."),
    ):
        response = client.post(url, data=fields(**changes))
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), changes
    assert db.session.scalar(select(TrainingSession.id)) is None
    response = client.post(url, data=fields(place="", online_url="https://meet.example.org/quito"))
    assert response.status_code == 302


def test_rescheduling_keeps_the_session_and_updates_its_calendar_entry(
    client, login_as, people, new_cohort, new_session
):
    cohort = new_cohort()
    session = new_session(cohort, day=2)
    session_id = session.id
    login_as(people.owner)
    url = f"/cohorts/{cohort.id}/sessions/{session_id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2026-03-02"' in page
    assert 'value="09:00"' in page
    response = client.post(url, data=fields(day="2026-03-03", start="15:00", end="17:00"))
    assert response.status_code == 302
    moved = stored(session_id)
    assert (moved.starts_at, moved.ends_at) == (at(3, 20), at(3, 22))
    [event] = Calendar.from_ical(
        client.get(f"/cohorts/{cohort.id}/sessions/{session_id}.ics").data
    ).walk("VEVENT")
    assert event.decoded("dtstart") == at(3, 20)
    assert str(event["location"]) == "Sala 5"


def test_cancelling_asks_first_then_marks_the_calendar_entry_cancelled(
    client, login_as, people, new_cohort, new_session
):
    cohort = new_cohort()
    session_id = new_session(cohort, day=2).id
    login_as(people.owner)
    url = f"/cohorts/{cohort.id}/sessions/{session_id}/cancel"
    page = client.post(url)
    assert page.status_code == 200
    assert "counts for nobody" in page.get_data(as_text=True)
    assert not stored(session_id).is_cancelled
    assert client.post(url, data={"confirm": "y"}).status_code == 302
    assert stored(session_id).is_cancelled
    calendar = client.get(f"/cohorts/{cohort.id}/sessions/{session_id}.ics").data
    assert b"STATUS:CANCELLED" in calendar
    # A cancelled session is not rescheduled: the overview offers no such link, the page
    # refuses with the service's message.
    response = client.post(
        f"/cohorts/{cohort.id}/sessions/{session_id}/edit", data=fields(), follow_redirects=False
    )
    assert "schedule a new one instead" in response.get_data(as_text=True)


def test_a_session_of_another_cohort_is_not_found(
    client, login_as, people, new_cohort, new_session
):
    first, second = new_cohort(name="First"), new_cohort(name="Second")
    session_id = new_session(second).id
    login_as(people.admin)
    for method, path in (
        ("GET", "edit"),
        ("POST", "edit"),
        ("POST", "cancel"),
    ):
        url = f"/cohorts/{first.id}/sessions/{session_id}/{path}"
        response = client.get(url) if method == "GET" else client.post(url, data={"confirm": "y"})
        assert response.status_code == 404
    assert not stored(session_id).is_cancelled


def test_a_closed_cohorts_sessions_do_not_change(client, login_as, people, new_cohort, new_session):
    cohort = new_cohort()
    session_id = new_session(cohort, day=2).id
    services.close_cohort(people.admin, cohort)
    login_as(people.admin)
    response = client.get(f"/cohorts/{cohort.id}/sessions/new", follow_redirects=True)
    assert "is closed" in response.get_data(as_text=True)
    response = client.post(
        f"/cohorts/{cohort.id}/sessions/{session_id}/cancel",
        data={"confirm": "y"},
        follow_redirects=True,
    )
    assert "is closed" in response.get_data(as_text=True)
    assert not stored(session_id).is_cancelled
    response = client.post(f"/cohorts/{cohort.id}/sessions/{session_id}/edit", data=fields())
    assert response.status_code == 302
    assert stored(session_id).starts_at == at(2, 14)


def test_trainers_and_coordinators_do_not_schedule(
    client, login_as, people, new_cohort, new_session
):
    cohort = new_cohort()
    session_id = new_session(cohort).id
    for who in (people.trainer, people.quito_coordinator):
        login_as(who)
        assert client.get(f"/cohorts/{cohort.id}/sessions/new").status_code == 403
        url = f"/cohorts/{cohort.id}/sessions/{session_id}/cancel"
        assert client.post(url, data={"confirm": "y"}).status_code == 403
    assert not stored(session_id).is_cancelled
