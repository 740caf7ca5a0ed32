"""Two app servers and a worker on one PostgreSQL database and one Redis, as the README's
production notes run them: whatever one server does, the other sees.

Each app server is gunicorn with the production settings, one worker, on a loopback port of
its own; the worker is `flask --app wsgi worker`, mailing to an SMTP server in this process.
A ``Browser`` keeps one person's cookies and sends each request to the server it names, as
a load balancer could; both servers get the same proxy headers, as behind one nginx.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.deploy.servers import (
    LOOKUP_LIMIT,
    PUBLIC_BASE_URL,
    THROTTLE_LOCK,
    running_servers,
    skip_unless_shared_storage,
)
from tests.factories import DEFAULT_PASSWORD, Factories
from trainer.auth.models import Role
from trainer.certificates import codes
from trainer.cohorts import services as cohorts
from trainer.cohorts import sessions as cohort_sessions
from trainer.cohorts.models import AttendanceRecord
from trainer.notifications.models import OutboxMail

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]


def test_two_app_servers_and_a_worker_share_one_database_and_one_redis(
    app, database_url, committing_db, tmp_path
):
    """One test, so that one set of servers is started (pytest-xdist would start one per
    process that runs a test of this file); each check below uses people of its own."""
    skip_unless_shared_storage(database_url)
    make = Factories(committing_db, tmp_path / "courses")
    with running_servers(database_url, tmp_path) as servers:
        a_log_in_made_on_one_server_is_valid_on_the_other(servers, make, committing_db)
        failed_log_ins_split_between_the_servers_lock_the_account(servers, make, committing_db)
        a_qr_code_shown_by_one_server_and_its_ticket_are_accepted_by_the_other(
            servers, make, committing_db
        )
        certificate_lookups_split_between_the_servers_meet_one_limit(servers)
        a_mail_queued_by_one_server_is_sent_by_the_worker(servers, make, committing_db)


def a_log_in_made_on_one_server_is_valid_on_the_other(servers, make, committing_db):
    person = make.user(full_name="Ana Núñez", email="ana@example.org")
    committing_db.session.commit()
    browser = servers.browser()
    a, b = servers.a, servers.b

    assert browser.log_in(a, person.email, DEFAULT_PASSWORD).status == 302
    home = browser.get(b, "/")
    assert home.status == 200, home.text[-2000:]
    assert "Welcome, Ana Núñez" in home.text
    assert "Firefox · Linux" in browser.get(b, "/account/sessions").text  # the log-in on A
    # The 200 is the cookie's doing: without it, server B sends people to log in.
    assert urlsplit(servers.browser().get(b, "/account/sessions").location).path == "/login"

    # Logging out on B ends the log-in on A too, even for a copy of the cookies kept aside.
    copy = browser.copy()
    assert browser.post(b, "/logout", {}, form_from=a, form_path="/account/sessions").status == 302
    assert urlsplit(copy.get(a, "/account/sessions").location).path == "/login"


def failed_log_ins_split_between_the_servers_lock_the_account(servers, make, committing_db):
    person = make.user(email="throttled@example.org")
    committing_db.session.commit()
    browser = servers.browser()
    a, b = servers.a, servers.b

    # Alternating servers: each sees only half the failures, yet the lock comes at the
    # configured count, because both count in one place (Redis).
    answers = [
        browser.log_in(server, person.email, "not the password")
        for server in [a, b] * (THROTTLE_LOCK // 2)
    ]
    assert [answer.status for answer in answers] == [401] * THROTTLE_LOCK
    assert all("Wrong e-mail or password." in answer.text for answer in answers[:-1])
    assert "Too many failed log-ins" in answers[-1].text
    for server in (a, b):
        refused = browser.log_in(server, person.email, DEFAULT_PASSWORD)
        assert refused.status == 401
        assert "Too many failed log-ins" in refused.text
    assert servers.throttle_failures(person.email, browser.address) == THROTTLE_LOCK + 2

    # Another address is not locked out by these failures, on either server.
    assert servers.browser().log_in(b, person.email, DEFAULT_PASSWORD).status == 302


def _workshop_today(make, committing_db):
    """A trainer, a participant and a cohort with a session today (check-in is open all day:
    the servers run with a margin of a day around sessions)."""
    zone = "America/Guayaquil"
    today = datetime.now(ZoneInfo(zone)).date()
    trainer = make.user(Role.TRAINER, email="trainer@example.org")
    participant = make.user(email="participant@example.org", full_name="Luis Peña")
    admin = make.user(Role.ADMIN)
    course = make.course()
    cohort = cohorts.create_cohort(
        admin,
        course,
        name="Quito, this week",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        timezone=zone,
        open_to_all=True,
        trainers=[trainer],
    )
    cohorts.start_cohort(admin, cohort)
    session = cohort_sessions.schedule_session(
        admin, cohort, day=today, start=time(9), end=time(12), place="Sala 1"
    )
    # Joined the day before, so the membership covers the session.
    cohorts.add_member(admin, cohort, participant, now=session.starts_at - timedelta(days=1))
    committing_db.session.commit()
    return trainer, participant, session


def a_qr_code_shown_by_one_server_and_its_ticket_are_accepted_by_the_other(
    servers, make, committing_db
):
    trainer, participant, session = _workshop_today(make, committing_db)
    a, b = servers.a, servers.b
    screen_path = f"/cohorts/{session.cohort_id}/sessions/{session.id}/qr/code"
    screen = servers.browser()
    assert screen.log_in(a, trainer.email, DEFAULT_PASSWORD).status == 302
    shown = screen.get(a, screen_path)
    assert shown.status == 200, shown.text[-2000:]
    scan_url = html.unescape(re.search(r'data-scan-url="([^"]+)"', shown.text).group(1))
    assert scan_url.startswith(f"{PUBLIC_BASE_URL}/check-in/")

    phone = servers.browser()
    assert phone.log_in(b, participant.email, DEFAULT_PASSWORD).status == 302
    scanned = phone.get(b, urlsplit(scan_url).path)  # B exchanges A's code for a ticket
    assert scanned.status == 302, scanned.text[-2000:]
    confirmation = urlsplit(scanned.location)
    assert confirmation.path == "/check-in"
    ticket = confirmation.query.removeprefix("ticket=")
    checked_in = phone.post(
        a, "/check-in", {"ticket": ticket}, form_from=a, form_path=f"/check-in?ticket={ticket}"
    )  # A takes B's ticket
    assert checked_in.status == 302, checked_in.text[-2000:]
    assert urlsplit(checked_in.location).path == "/my-sessions"

    committing_db.session.rollback()
    record = committing_db.session.scalar(
        select(AttendanceRecord).where(AttendanceRecord.session_id == session.id)
    )
    assert (record.user_id, record.status, record.method) == (participant.id, "present", "qr")
    assert "1 person has checked in so far." in screen.get(b, screen_path).text


def certificate_lookups_split_between_the_servers_meet_one_limit(servers):
    browser = servers.browser()
    a, b = servers.a, servers.b
    path = f"/verify/{codes.new_code()}"
    lookups = [browser.get(server, path) for server in [a, b] * (LOOKUP_LIMIT // 2)]
    assert [page.status for page in lookups] == [404] * LOOKUP_LIMIT
    # One count for both servers: what is left goes down with every lookup, wherever made.
    remaining = [int(page.headers["X-RateLimit-Remaining"]) for page in lookups]
    assert remaining == list(range(LOOKUP_LIMIT - 1, -1, -1))
    assert [browser.get(server, path).status for server in (a, b)] == [429, 429]
    # The limit is per address: someone else still gets an answer.
    assert servers.browser().get(b, path).status == 404


def a_mail_queued_by_one_server_is_sent_by_the_worker(servers, make, committing_db):
    person = make.user(email="forgetful@example.org", password=None)
    committing_db.session.commit()
    browser = servers.browser()
    a, b = servers.a, servers.b

    # The form comes from A, the request goes to B: the CSRF token is good on both.
    asked = browser.post(b, "/forgot-password", {"email": person.email}, form_from=a)
    assert asked.status == 302, asked.text[-2000:]

    (message,) = servers.wait_for_mail(person.email)
    body = message.get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(PUBLIC_BASE_URL)}(/set-password/\S+)", body)
    assert link, body
    # The worker made the link; server A accepts it.
    assert browser.get(a, link.group(1)).status == 200
    committing_db.session.rollback()
    mail = committing_db.session.scalar(select(OutboxMail).where(OutboxMail.user_id == person.id))
    assert (mail.status, mail.attempts) == ("sent", 1)
