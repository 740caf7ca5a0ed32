"""Inactivity has one definition (trainer.learning.activity): the participants the
coordinators' dashboard counts at risk for inactivity are those nudged and listed in the
digest, a session attended counting as activity in both."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.certificates.conftest import at, attend, join
from tests.certificates.conftest import world as world  # noqa: F401  (the fixture)
from trainer.auth.services import programme_settings
from trainer.learning import activity
from trainer.notifications import kinds
from trainer.notifications.models import OutboxMail
from trainer.notifications.scheduled import digest_for, queue_nudges, stalled_enrolments
from trainer.reports import dashboard
from trainer.reports.dashboard import INACTIVE
from trainer.reports.scope import ReportFilter


def test_who_the_dashboard_counts_inactive_is_who_is_nudged(db, world):
    settings = programme_settings()
    db.session.add(settings)
    settings.inactive_after_days = 14
    enrolments = {}
    for person in (world.nusta, world.luis):
        enrolments[person.id] = join(world, person)
        enrolments[person.id].enrolled_at = at(1, 12)
    # Ñusta attended three sessions (the last on 4 March) and did nothing else online;
    # Luis did nothing at all since enrolling on 1 March.
    attend(world, world.nusta, 3)
    db.session.flush()
    for day, expected in (
        (10, set()),
        (16, {world.luis.id}),
        (20, {world.luis.id, world.nusta.id}),
    ):
        now = at(day, 12)
        board = dashboard.build(
            world.admin,
            ReportFilter(family=world.course.family),
            now=now,
            inactive_after_days=14,
        )
        counted = {line.user_id for line in board.at_risk if INACTIVE in line.reasons}
        assert counted == expected, day
        assert {s.enrolment.user_id for s in stalled_enrolments(now, 14)} == expected, day
        digest = digest_for(world.programme, now - timedelta(days=7), now)
        assert {s.enrolment.user_id for s in digest.at_risk} == expected, day
    # The nudges go to exactly those people, counted from the same last activity.
    assert queue_nudges(at(16, 12)) == 1
    (row,) = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == kinds.NUDGE))
    assert row.user_id == world.luis.id
    assert row.period == "2026-03-01"  # the stretch began on enrolling
    assert queue_nudges(at(20, 12)) == 1
    last = activity.last_activity([enrolments[world.nusta.id]], at(20, 12))
    assert last[enrolments[world.nusta.id].id] == world.sessions[2].starts_at


def test_the_definition_counts_from_enrolling_when_there_was_no_activity():
    enrolled = at(1, 12)
    assert activity.days_inactive(None, enrolled, at(15, 12)) == 14
    assert activity.days_inactive(at(10, 12), enrolled, at(15, 11)) == 4
    assert activity.is_inactive(
        "active", None, None, enrolled, now=at(15, 12), inactive_after_days=14
    )
    assert not activity.is_inactive(
        "active", at(2, 12), None, enrolled, now=at(30, 12), inactive_after_days=14
    )
    assert not activity.is_inactive(
        "withdrawn", None, None, enrolled, now=at(30, 12), inactive_after_days=14
    )
