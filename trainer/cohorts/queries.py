"""What the roster, the sign-in sheet and "My sessions" read, each in a fixed number of queries.

Members always go through ``policy.scope_members``, so a coordinator's roster and sheet list
only their own institution's people, whatever the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from trainer.auth.models import User
from trainer.cohorts import policy
from trainer.cohorts.models import AttendanceRecord, Cohort, CohortMember, TrainingSession
from trainer.extensions import db


@dataclass(frozen=True)
class RosterLine:
    member: CohortMember
    record: AttendanceRecord | None
    # The session has ended and nobody marked this member: absent until someone does.
    not_recorded: bool

    @property
    def user(self) -> User:
        return self.member.user


def is_active_member(person: User, cohort: Cohort) -> bool:
    """Whether ``person`` is an active member of the cohort (one query)."""
    if not person.is_authenticated:
        return False
    return (
        db.session.scalar(
            select(CohortMember.id).where(
                CohortMember.cohort_id == cohort.id,
                CohortMember.user_id == person.id,
                CohortMember.left_at.is_(None),
            )
        )
        is not None
    )


def visible_members(
    actor: User, cohort: Cohort, session: TrainingSession | None = None
) -> list[CohortMember]:
    """The members the actor may see, by name: the active ones or, for a session, those
    whose membership covers it (someone who left later still appears on its roster)."""
    statement = (
        select(CohortMember)
        .join(CohortMember.user)
        .options(contains_eager(CohortMember.user))
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.full_name, User.id)
    )
    if session is None:
        statement = statement.where(CohortMember.left_at.is_(None))
    else:
        statement = statement.where(
            CohortMember.joined_at < session.ends_at,
            CohortMember.left_at.is_(None) | (CohortMember.left_at > session.starts_at),
        )
    members = db.session.scalars(policy.scope_members(actor, cohort, statement)).unique()
    # Someone who left and rejoined during the session appears once.
    seen: dict[int, CohortMember] = {}
    for member in members:
        seen.setdefault(member.user_id, member)
    return list(seen.values())


def roster(actor: User, session: TrainingSession, *, now: datetime) -> list[RosterLine]:
    """One line per member the actor may see at the session, with their record if any."""
    members = visible_members(actor, session.cohort, session)
    records = {
        record.user_id: record
        for record in db.session.scalars(
            select(AttendanceRecord).where(
                AttendanceRecord.session_id == session.id,
                AttendanceRecord.user_id.in_([member.user_id for member in members]),
            )
        )
    }
    ended = session.ends_at <= now and not session.is_cancelled
    return [
        RosterLine(
            member=member,
            record=records.get(member.user_id),
            not_recorded=ended and member.user_id not in records,
        )
        for member in members
    ]


def upcoming_sessions(
    person: User, *, now: datetime, limit: int = 50, cancelled: bool = True
) -> list[TrainingSession]:
    """Sessions of the participant's current cohorts that have not ended yet, soonest first,
    cancelled ones included unless ``cancelled`` is false (so they see that a session was
    called off)."""
    statement = (
        select(TrainingSession)
        .join(TrainingSession.cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .options(contains_eager(TrainingSession.cohort).joinedload(Cohort.course))
        .where(
            CohortMember.user_id == person.id,
            CohortMember.left_at.is_(None),
            TrainingSession.ends_at > now,
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
        .limit(limit)
    )
    if not cancelled:
        statement = statement.where(TrainingSession.cancelled_at.is_(None))
    return list(db.session.scalars(statement).unique())


def own_attendance(person: User, sessions: list[TrainingSession]) -> dict[int, str]:
    """{session id: the person's recorded status} at those sessions, in one query."""
    if not sessions:
        return {}
    return dict(
        db.session.execute(
            select(AttendanceRecord.session_id, AttendanceRecord.status).where(
                AttendanceRecord.user_id == person.id,
                AttendanceRecord.session_id.in_([session.id for session in sessions]),
            )
        ).all()
    )
