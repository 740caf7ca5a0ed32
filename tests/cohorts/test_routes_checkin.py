"""QR check-in through the pages: the trainer's screen, the scan, the confirmation page.

The pages read the time through ``trainer.dbtypes.utcnow``; the ``clock`` fixture stops it
and moves it, so the 30-second codes and 10-minute tickets are tested at the second.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD
from trainer import dbtypes
from trainer.cohorts import checkin, services
from trainer.cohorts.models import AttendanceRecord, TrainingSession
from trainer.cohorts.sessions import cancel_session
from trainer.extensions import db

from .conftest import at

# The session runs 14:00-17:00 UTC on March 2 (09:00-12:00 in Quito); the margin is 15
# minutes. 14:20:00 starts a 30-second step.
DURING = at(2, 14, 20)


class Clock:
    def __init__(self, now):
        self.now = now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(DURING)
    monkeypatch.setattr(dbtypes, "utcnow", lambda: clock.now)
    return clock


@pytest.fixture
def workshop(people, new_cohort, new_session):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    return new_session(cohort)


def records() -> list[AttendanceRecord]:
    return list(db.session.scalars(select(AttendanceRecord)))


def scan(client, session, now) -> str:
    """Scan the code the screen shows at ``now``: the confirmation page's address."""
    response = client.get(f"/check-in/{checkin.session_token(session, now=now)}")
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert urlsplit(location).path == "/check-in"
    return location


def ticket_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["ticket"][0]


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_inside_the_window_a_check_in_is_accepted_once(client, login_as, people, workshop, clock):
    login_as(people.ana)
    confirmation = client.get(scan(client, workshop, clock.now))
    page = text(confirmation)
    assert confirmation.status_code == 200
    assert "Check in to" in page
    assert "Quito, March" in page
    assert "Sala 3" in page
    assert "Monday, March 2, 2026, 9:00\u202fAM to 12:00\u202fPM" in page
    assert "Ecuador (Guayaquil) Time" in page
    assert records() == []  # the page only reads

    ticket = ticket_of(scan(client, workshop, clock.now))
    response = client.post("/check-in", data={"ticket": ticket})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/my-sessions"
    assert "You are checked in" in text(client.get("/my-sessions"))
    (record,) = records()
    assert (record.user_id, record.status, record.method, record.recorded_by_id) == (
        people.ana.id,
        "present",
        "qr",
        people.ana.id,
    )
    assert record.recorded_at == DURING

    clock.advance(minutes=1)
    again = client.get(scan(client, workshop, clock.now))
    assert again.status_code == 409
    assert "already recorded" in text(again)
    second = client.post("/check-in", data={"ticket": ticket_of(scan(client, workshop, clock.now))})
    assert second.status_code == 409
    assert "already recorded" in text(second)
    assert len(records()) == 1


def test_outside_the_window_nothing_is_recorded(client, login_as, people, workshop, clock):
    login_as(people.ana)
    clock.now = at(2, 13, 44)  # a minute before check-in opens
    early = client.get(f"/check-in/{checkin.session_token(workshop, now=clock.now)}")
    assert early.status_code == 409
    assert "Check-in for this session is closed" in text(early)

    clock.now = at(2, 17, 10)  # the ticket is taken in the margin after the end...
    ticket = ticket_of(scan(client, workshop, clock.now))
    clock.now = at(2, 17, 16)  # ...and sent after check-in closed
    for response in (
        client.get(f"/check-in?ticket={ticket}"),
        client.post("/check-in", data={"ticket": ticket}),
    ):
        assert response.status_code == 409
        assert "Check-in for this session is closed" in text(response)
    assert records() == []


def test_a_participant_of_another_cohort_is_refused(
    client, login_as, people, workshop, new_cohort, clock
):
    services.add_member(people.admin, new_cohort(name="Cuenca, March"), people.luis)
    login_as(people.luis)
    ticket = ticket_of(scan(client, workshop, clock.now))
    for response in (
        client.get(f"/check-in?ticket={ticket}"),
        client.post("/check-in", data={"ticket": ticket}),
    ):
        assert response.status_code == 403
        assert "You are not a member of the cohort of this session" in text(response)
    assert records() == []


def test_a_stale_code_is_refused(client, login_as, people, workshop, clock):
    login_as(people.ana)
    token = checkin.session_token(workshop, now=clock.now)
    clock.advance(seconds=59)  # the code's step and the next one: still accepted
    assert client.get(f"/check-in/{token}").status_code == 302
    clock.advance(seconds=1)  # two rotations on
    response = client.get(f"/check-in/{token}")
    assert response.status_code == 410
    assert "This code has expired" in text(response)
    assert records() == []


def test_an_expired_ticket_is_refused(client, login_as, people, workshop, clock):
    login_as(people.ana)
    ticket = ticket_of(scan(client, workshop, clock.now))
    clock.advance(minutes=10, seconds=1)
    for response in (
        client.get(f"/check-in?ticket={ticket}"),
        client.post("/check-in", data={"ticket": ticket}),
    ):
        assert response.status_code == 410
        assert "This check-in link has expired" in text(response)
    assert records() == []


def test_forged_codes_and_a_cancelled_session_are_refused(
    client, login_as, people, workshop, clock
):
    login_as(people.ana)
    for response in (
        client.get("/check-in/nonsense"),
        client.get("/check-in?ticket=nonsense"),
        client.get("/check-in"),
        client.post("/check-in", data={"ticket": "nonsense"}),
        # A screen's code is no ticket.
        client.post("/check-in", data={"ticket": checkin.session_token(workshop, now=DURING)}),
    ):
        assert response.status_code == 400
        assert "This check-in code is not valid" in text(response)
    ticket = ticket_of(scan(client, workshop, clock.now))
    cancel_session(people.admin, db.session.get(TrainingSession, workshop.id), now=DURING)
    response = client.post("/check-in", data={"ticket": ticket})
    assert response.status_code == 410
    assert "cancelled" in text(response)
    assert records() == []


def test_logged_out_the_check_in_completes_after_logging_in(client, people, workshop, clock):
    token = checkin.session_token(workshop, now=clock.now)
    confirmation = scan(client, workshop, clock.now)  # logged out: the scan still answers
    to_login = client.get(confirmation)
    assert to_login.status_code == 302
    login_url = to_login.headers["Location"]
    assert urlsplit(login_url).path == "/login"
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    assert next_url == urlsplit(confirmation).path + "?" + urlsplit(confirmation).query
    login_page = text(client.get(login_url))
    assert f'name="next" type="hidden" value="{next_url}"' in login_page

    clock.advance(seconds=65)  # the code on the screen has rotated twice meanwhile
    assert client.get(f"/check-in/{token}").status_code == 410
    logged_in = client.post(
        "/login",
        data={"email": people.ana.email, "password": DEFAULT_PASSWORD, "next": next_url},
    )
    assert logged_in.status_code == 302
    assert logged_in.headers["Location"] == next_url
    back = client.get(next_url)
    assert back.status_code == 200
    assert "Check in to" in text(back)

    done = client.post("/check-in", data={"ticket": ticket_of(confirmation)})
    assert done.status_code == 302
    (record,) = records()
    assert (record.user_id, record.status, record.method) == (people.ana.id, "present", "qr")
    assert record.recorded_at == DURING + timedelta(seconds=65)


def test_the_confirmation_form_keeps_the_ticket_if_the_log_in_ends_before_it_is_sent(
    client, login_as, people, workshop, clock
):
    login_as(people.ana)
    confirmation = scan(client, workshop, clock.now)
    page = text(client.get(confirmation))
    ticket = ticket_of(confirmation)
    assert f'action="/check-in?ticket={ticket}"' in page
    assert f'name="ticket" type="hidden" value="{ticket}"' in page


def _scan_url(page: str) -> str:
    match = re.search(r'data-scan-url="([^"]+)"', page)
    assert match, page
    return match.group(1)


def test_the_trainers_screen_shows_a_code_that_checks_in(client, login_as, people, workshop, clock):
    login_as(people.trainer)
    path = f"/cohorts/{workshop.cohort_id}/sessions/{workshop.id}/qr"
    response = client.get(path)
    page = text(response)
    assert response.status_code == 200
    assert "<svg" in page
    assert 'viewBox="' in page
    assert "Scan with your phone camera" in page
    assert "0 people have checked in so far." in page
    assert f'href="{path}"' in page
    assert "Show a new code" in page
    assert "Quito, March" in page
    assert '<meta http-equiv="refresh"' not in page
    assert "<script>" not in page  # the screen's script is a file (the CSP allows no other)
    assert 'src="/static/js/checkin-screen.js"' in page
    assert f'href="{path.removesuffix("/qr")}/attendance"' in page  # back to the roster
    assert f'href="{path}"' in text(client.get(path.removesuffix("/qr") + "/attendance"))
    url = _scan_url(page)
    assert url.startswith("http://localhost/check-in/")  # PUBLIC_BASE_URL, absolute

    login_as(people.ana)
    confirmation = client.get(urlsplit(url).path)
    assert confirmation.status_code == 302
    client.post("/check-in", data={"ticket": ticket_of(confirmation.headers["Location"])})
    assert len(records()) == 1

    login_as(people.trainer)
    clock.advance(seconds=30)
    fragment = client.get(path + "/code")
    assert fragment.status_code == 200
    assert "1 person has checked in so far." in text(fragment)
    assert "<html" not in text(fragment)
    assert 'data-refresh-in="30"' in text(fragment)
    assert _scan_url(text(fragment)) != url  # rotated


def test_without_a_public_address_the_code_uses_the_requests_host(
    app, client, login_as, people, workshop, clock, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    login_as(people.trainer)
    page = text(
        client.get(
            f"/cohorts/{workshop.cohort_id}/sessions/{workshop.id}/qr",
            base_url="https://localhost:8443",
        )
    )
    assert _scan_url(page).startswith("https://localhost:8443/check-in/")


def test_outside_the_window_the_screen_says_when_check_in_opens(
    client, login_as, people, workshop, clock
):
    login_as(people.trainer)
    path = f"/cohorts/{workshop.cohort_id}/sessions/{workshop.id}/qr"
    clock.now = at(2, 12)
    page = text(client.get(path))
    assert "Check-in is closed for now. It opens on Monday, March 2, 2026 at 8:45\u202fAM" in page
    assert "<svg" not in page
    assert "data-scan-url" not in page
    clock.now = at(2, 18)
    assert "It closed on Monday, March 2, 2026 at 12:15\u202fPM" in text(client.get(path))


def test_a_session_asked_for_under_another_cohort_is_not_found(
    client, login_as, people, workshop, new_cohort
):
    other = new_cohort(name="Cuenca, March")
    login_as(people.admin)
    assert client.get(f"/cohorts/{other.id}/sessions/{workshop.id}/qr").status_code == 404


def test_my_sessions_lists_whats_coming_in_the_cohorts_zone(
    client, login_as, people, workshop, new_session, clock
):
    cohort = workshop.cohort
    later = new_session(cohort, day=9)
    called_off = new_session(cohort, day=5)
    cancel_session(people.admin, called_off)
    past = new_session(cohort, day=1)
    past.place = "Sala vieja"
    login_as(people.ana)
    response = client.get("/my-sessions")
    page = text(response)
    assert response.status_code == 200
    days = [page.index(f"March {day}, 2026") for day in (2, 5, 9)]
    assert days == sorted(days)  # soonest first
    assert "Sala vieja" not in page  # over
    assert "Ecuador (Guayaquil) Time" in page
    assert "Cancelled" in page
    assert "Sala 3" in page
    assert page.count('<h2><time datetime="') == 3
    for session in (workshop, called_off, later):
        assert f'href="/cohorts/{cohort.id}/sessions/{session.id}.ics"' in page
    assert page.count(f'href="/cohorts/{cohort.id}/calendar.ics"') == 1
    calendar = client.get(f"/cohorts/{cohort.id}/sessions/{later.id}.ics")
    assert calendar.status_code == 200
    assert calendar.mimetype == "text/calendar"
    assert 'href="/my-sessions"' in page  # in the main navigation

    client.post("/check-in", data={"ticket": ticket_of(scan(client, workshop, clock.now))})
    assert "Your attendance:" in text(client.get("/my-sessions"))


def test_my_sessions_is_empty_for_someone_in_no_cohort(client, login_as, people, clock):
    login_as(people.luis)
    assert "You have no upcoming sessions." in text(client.get("/my-sessions"))
    login_as(people.trainer)
    page = text(client.get("/my-sessions"))
    assert 'href="/my-sessions"' not in page.split("<main", 1)[0]  # not in staff's navigation


def test_the_home_page_names_the_next_session(
    client, login_as, people, workshop, new_session, clock
):
    cancel_session(people.admin, db.session.get(TrainingSession, workshop.id), now=DURING)
    new_session(workshop.cohort, day=9)
    login_as(people.ana)
    page = text(client.get("/"))
    assert "Next session:" in page
    assert "Monday, March 9, 2026, 9:00\u202fAM to 12:00\u202fPM" in page  # not the cancelled one
    assert "Quito, March, Sala 3." in page
    login_as(people.luis)
    assert "Next session:" not in text(client.get("/"))
