"""QR self check-in: accepted once inside the window; every refusal distinct, recording nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer.cohorts import checkin, services
from trainer.cohorts.checkin import CheckInRefused
from trainer.cohorts.models import AttendanceRecord
from trainer.extensions import db

from .conftest import at

# The session runs 14:00-17:00 UTC on March 2; the margin is 15 minutes (config.py).
DURING = at(2, 14, 20)


@pytest.fixture
def workshop(people, new_cohort, new_session):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.ana, now=at(1, 12))
    return new_session(cohort)


def ticket_at(session, now):
    return checkin.exchange_token(checkin.session_token(session, now=now), now=now)


def refused(reason: str, call) -> None:
    with pytest.raises(CheckInRefused) as caught:
        call()
    assert caught.value.reason == reason
    assert str(caught.value)
    assert db.session.scalar(select(func.count()).select_from(AttendanceRecord)) == 0


def test_inside_the_window_a_member_checks_in_once(people, workshop, received):
    record = checkin.check_in(people.ana, ticket_at(workshop, DURING), now=DURING)
    assert (record.status, record.method, record.recorded_by_id, record.recorded_at) == (
        "present",
        "qr",
        people.ana.id,
        DURING,
    )
    assert len(received["attendance-recorded"]) == 1
    with pytest.raises(CheckInRefused) as again:
        checkin.check_in(people.ana, ticket_at(workshop, DURING), now=DURING + timedelta(minutes=1))
    assert again.value.reason == checkin.ALREADY_CHECKED_IN
    assert len(received["attendance-recorded"]) == 1


def test_checking_in_shortly_before_the_start_is_accepted(people, workshop):
    early = at(2, 13, 50)
    record = checkin.check_in(people.ana, ticket_at(workshop, early), now=early)
    assert (record.status, record.recorded_at) == ("present", early)


def test_outside_the_window_nothing_is_recorded(people, workshop):
    refused(checkin.OUTSIDE_WINDOW, lambda: ticket_at(workshop, at(2, 13, 44)))
    late_ticket = ticket_at(workshop, at(2, 17, 10))
    refused(
        checkin.OUTSIDE_WINDOW, lambda: checkin.check_in(people.ana, late_ticket, now=at(2, 17, 16))
    )


def test_another_cohorts_member_is_refused(people, workshop, new_cohort):
    services.add_member(people.admin, new_cohort(name="Cuenca, March"), people.luis)
    refused(
        checkin.NOT_MEMBER,
        lambda: checkin.check_in(people.luis, ticket_at(workshop, DURING), now=DURING),
    )


def test_a_token_lasts_its_30_seconds_and_the_next_ones(workshop):
    token = checkin.session_token(workshop, now=DURING)
    step_start = DURING - timedelta(seconds=DURING.timestamp() % 30)
    checkin.exchange_token(token, now=step_start + timedelta(seconds=59))
    too_late = step_start + timedelta(seconds=60)
    refused(checkin.STALE_TOKEN, lambda: checkin.exchange_token(token, now=too_late))


def test_an_expired_ticket_is_refused(people, workshop):
    ticket = ticket_at(workshop, DURING)
    refused(
        checkin.EXPIRED_TICKET,
        lambda: checkin.check_in(people.ana, ticket, now=DURING + timedelta(minutes=10, seconds=1)),
    )


def test_a_ticket_outlives_the_rotating_code_so_logging_in_first_still_works(people, workshop):
    ticket = ticket_at(workshop, DURING)
    record = checkin.check_in(people.ana, ticket, now=DURING + timedelta(minutes=9))
    assert record.status == "present"


def test_forged_or_mixed_up_codes_are_invalid(people, workshop):
    token = checkin.session_token(workshop, now=DURING)
    ticket = ticket_at(workshop, DURING)
    for forged in ("", "nonsense", token[:-2] + "xx", ticket):
        refused(checkin.INVALID, lambda forged=forged: checkin.exchange_token(forged, now=DURING))
    refused(checkin.INVALID, lambda: checkin.check_in(people.ana, token, now=DURING))


def test_a_cancelled_session_takes_no_check_in(people, workshop):
    ticket = ticket_at(workshop, DURING)
    workshop.cancelled_at = DURING
    refused(checkin.CANCELLED, lambda: checkin.check_in(people.ana, ticket, now=DURING))


def test_a_check_in_replaces_an_absent_mark(people, workshop):
    from trainer.cohorts import sessions

    sessions.record_attendance(people.trainer, workshop, {people.ana: "absent"}, now=DURING)
    record = checkin.check_in(people.ana, ticket_at(workshop, DURING), now=DURING)
    assert (record.status, record.method) == ("present", "qr")


def test_the_qr_code_is_inline_svg():
    svg = checkin.qr_svg("https://trainer.example.org/check-in/abc")
    assert svg.startswith("<svg")
    assert "<script" not in svg
