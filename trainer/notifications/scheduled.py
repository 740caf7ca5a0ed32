"""The mails written on a schedule: session reminders, inactivity nudges, weekly digests.

Each function takes ``now`` (tests freeze the clock by passing it), writes outbox rows and
flushes; the periodic task commits. The period in each row's key makes it once only: a
reminder per session date, a nudge per stretch of inactivity (the day it began), a digest
per ISO week. Whether the person still wants it is decided when it is sent.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from trainer.auth import policy
from trainer.auth.models import Role, User
from trainer.cohorts.models import Cohort, CohortMember, TrainingSession
from trainer.extensions import db
from trainer.learning import activity
from trainer.learning.models import Enrolment, EnrolmentStatus
from trainer.notifications import kinds
from trainer.notifications.outbox import add_mail

# Enrolments whose activity is loaded at once: bounded IN lists.
BATCH = 500


def at_risk_days() -> int:
    """N, the programme's at-risk setting: days without activity in an unfinished
    enrolment (Administration → Programme settings)."""
    from trainer.auth.services import programme_settings

    return programme_settings().inactive_after_days


def reminder_time(session: TrainingSession, cohort: Cohort, hour: int) -> datetime:
    """The day before the session, at ``hour`` where the cohort meets."""
    zone = zoneinfo.ZoneInfo(cohort.timezone)
    day = session.starts_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=zone)


def queue_reminders(now: datetime) -> int:
    """Remind the active members of each session starting within two days whose reminder
    time (the day before, SESSION_REMINDER_HOUR local) has come; how many mails written."""
    hour = current_app.config["SESSION_REMINDER_HOUR"]
    sessions = db.session.execute(
        select(TrainingSession, Cohort)
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .where(
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.starts_at > now,
            TrainingSession.starts_at <= now + timedelta(days=2),
        )
    ).all()
    written = 0
    for session, cohort in sessions:
        if reminder_time(session, cohort, hour) > now:
            continue
        members = db.session.scalars(
            select(CohortMember.user_id).where(
                CohortMember.cohort_id == cohort.id, CohortMember.left_at.is_(None)
            )
        ).all()
        period = session.starts_at.isoformat(timespec="minutes")
        for user_id in members:
            if add_mail(kinds.SESSION_REMINDER, user_id, f"session:{session.id}", period, now=now):
                written += 1
    return written


@dataclass
class Stalled:
    enrolment: Enrolment
    last_active: datetime


def stalled_enrolments(now: datetime, days: int, user_ids=None) -> list[Stalled]:
    """The enrolments the coordinators' dashboard counts at risk for inactivity: active,
    unfinished, with no activity for ``days`` days (``trainer.learning.activity``),
    optionally among ``user_ids`` (a select of user ids)."""
    statement = select(Enrolment).where(
        Enrolment.status == EnrolmentStatus.ACTIVE.value,
        Enrolment.completed_at.is_(None),
    )
    if user_ids is not None:
        statement = statement.where(Enrolment.user_id.in_(user_ids))
    enrolments = db.session.scalars(statement).all()
    found = []
    for start in range(0, len(enrolments), BATCH):
        batch = enrolments[start : start + BATCH]
        last = activity.last_activity(batch, now)
        for enrolment in batch:
            if activity.is_inactive(
                enrolment.status,
                enrolment.completed_at,
                last[enrolment.id],
                enrolment.enrolled_at,
                now=now,
                inactive_after_days=days,
            ):
                found.append(Stalled(enrolment, last[enrolment.id] or enrolment.enrolled_at))
    return found


def queue_nudges(now: datetime) -> int:
    """Nudge each participant with an enrolment stalled for N days, once per stretch of
    inactivity (its period is the day it began); how many mails written."""
    written = 0
    for stalled in stalled_enrolments(now, at_risk_days()):
        enrolment = stalled.enrolment
        if add_mail(
            kinds.NUDGE,
            enrolment.user_id,
            f"enrolment:{enrolment.id}",
            stalled.last_active.date().isoformat(),
            now=now,
        ):
            written += 1
    return written


def iso_week(moment: datetime) -> str:
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"


def queue_digests(now: datetime) -> int:
    """One digest per active coordinator and ISO week, covering the seven days before
    ``now``; how many mails written."""
    coordinators = db.session.scalars(
        select(User).where(User.role == Role.COORDINATOR.value, User.is_active.is_(True))
    ).all()
    since = now - timedelta(days=7)
    written = 0
    for coordinator in coordinators:
        subject = (
            "programme"
            if policy.sees_every_institution(coordinator)
            else f"institution:{coordinator.institution_id}"
        )
        if add_mail(
            kinds.DIGEST,
            coordinator,
            subject,
            iso_week(now),
            payload={"since": since.isoformat(), "until": now.isoformat()},
            now=now,
        ):
            written += 1
    return written


@dataclass
class Digest:
    enrolments: int
    completions: int
    at_risk: list[Stalled]


def digest_for(coordinator: User, since: datetime, until: datetime) -> Digest:
    """The figures of the people the coordinator may see (auth.policy), and only them."""
    people = policy.scope_people(coordinator, select(User.id))
    count = func.count(Enrolment.id)
    enrolments = db.session.scalar(
        select(count).where(
            Enrolment.user_id.in_(people),
            Enrolment.enrolled_at >= since,
            Enrolment.enrolled_at < until,
        )
    )
    completions = db.session.scalar(
        select(count).where(
            Enrolment.user_id.in_(people),
            Enrolment.completed_at >= since,
            Enrolment.completed_at < until,
        )
    )
    at_risk = stalled_enrolments(until, at_risk_days(), people)
    at_risk.sort(key=lambda s: s.last_active)
    return Digest(enrolments or 0, completions or 0, at_risk)
