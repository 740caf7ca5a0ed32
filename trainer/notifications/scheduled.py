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
from trainer.learning.models import Enrolment, EnrolmentStatus, ModuleProgress
from trainer.notifications import kinds
from trainer.notifications.outbox import add_mail


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
    """Active, unfinished enrolments with no activity (enrolling, viewing or completing a
    module) for ``days`` days, optionally among ``user_ids`` (a select of user ids)."""
    cutoff = now - timedelta(days=days)
    statement = select(Enrolment).where(
        Enrolment.status == EnrolmentStatus.ACTIVE.value,
        Enrolment.completed_at.is_(None),
        Enrolment.enrolled_at <= cutoff,
    )
    if user_ids is not None:
        statement = statement.where(Enrolment.user_id.in_(user_ids))
    enrolments = db.session.scalars(statement).all()
    if not enrolments:
        return []
    latest = dict(
        (
            ((user_id, family), at)
            for user_id, family, at in db.session.execute(
                select(
                    ModuleProgress.user_id,
                    ModuleProgress.family,
                    func.max(ModuleProgress.completed_at),
                )
                .where(ModuleProgress.user_id.in_({e.user_id for e in enrolments}))
                .group_by(ModuleProgress.user_id, ModuleProgress.family)
            )
        )
    )
    found = []
    for enrolment in enrolments:
        moments = [enrolment.enrolled_at, enrolment.last_viewed_at]
        moments.append(latest.get((enrolment.user_id, enrolment.family)))
        last_active = max(m for m in moments if m is not None)
        if last_active <= cutoff:
            found.append(Stalled(enrolment, last_active))
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
