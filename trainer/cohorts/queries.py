"""What the cohort pages read (the list, the roster, the sign-in sheet, the members, "My
sessions"), each in a fixed number of queries.

Members always go through ``policy.scope_members``, so a coordinator's roster and sheet list
only their own institution's people, whatever the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from trainer.auth.models import Institution, Role, User
from trainer.auth.policy import (
    is_admin,
    is_programme_coordinator,
    is_trainer,
    scope_people,
)
from trainer.cohorts import policy
from trainer.cohorts.models import AttendanceRecord, Cohort, CohortMember, TrainingSession
from trainer.cohorts.sessions import member_rates
from trainer.completion.attendance import AttendanceRates
from trainer.courses.models import Course
from trainer.courses.policy import courses_naming
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


def visible_cohorts(actor: User) -> list[Cohort]:
    """The cohorts the actor may see (``policy.can_see_cohort``), by course and start date,
    with their course, trainers and institutions, in a fixed number of queries."""
    statement = (
        select(Cohort)
        .join(Cohort.course)
        .options(
            contains_eager(Cohort.course).joinedload(Course.current_version),
            selectinload(Cohort.trainers),
            selectinload(Cohort.institutions),
        )
        .order_by(Course.title, Course.id, Cohort.starts_on.desc(), Cohort.id)
    )
    if is_admin(actor) or is_programme_coordinator(actor):
        pass
    elif policy.is_institution_coordinator(actor):
        statement = statement.where(
            Cohort.is_open_to_all | Cohort.institutions.any(Institution.id == actor.institution_id)
        )
    elif is_trainer(actor):
        # Ownership is named in course.yml, so it is read from the course's current version.
        owned = [c.id for c in courses_naming(actor.email) if policy.is_course_owner(actor, c)]
        statement = statement.where(
            Cohort.trainers.any(User.id == actor.id) | Cohort.course_id.in_(owned)
        )
    else:
        return []
    return [c for c in db.session.scalars(statement).unique() if policy.can_see_cohort(actor, c)]


def courses_for_new_cohort(actor: User) -> list[Course]:
    """The courses the actor may create a cohort of, by title (one query)."""
    if not (is_admin(actor) or is_programme_coordinator(actor) or is_trainer(actor)):
        return []
    courses = db.session.scalars(
        select(Course)
        .options(joinedload(Course.current_version))
        .where(Course.current_version_id.is_not(None), Course.is_archived.is_(False))
        .order_by(Course.title, Course.id)
    )
    return [course for course in courses if policy.can_create_cohort(actor, course)]


def member_count(actor: User, cohort: Cohort) -> int:
    """How many active members the actor may see (``policy.scope_members``)."""
    statement = (
        select(func.count(CohortMember.id))
        .join(CohortMember.user)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.left_at.is_(None))
    )
    return db.session.scalar(policy.scope_members(actor, cohort, statement)) or 0


def rates_so_far(
    members: Sequence[CohortMember], sessions: Sequence[TrainingSession], *, now: datetime
) -> dict[int, AttendanceRates]:
    """{member id: attendance rates} for members of one cohort whose ``sessions`` are given,
    in one query whatever their number."""
    if not members or not sessions:
        return {}
    marks = {
        (session_id, user_id): status
        for session_id, user_id, status in db.session.execute(
            select(
                AttendanceRecord.session_id, AttendanceRecord.user_id, AttendanceRecord.status
            ).where(
                AttendanceRecord.session_id.in_([s.id for s in sessions]),
                AttendanceRecord.user_id.in_({m.user_id for m in members}),
            )
        )
    }
    return {
        member.id: member_rates(
            sessions,
            marks,
            member.user_id,
            joined_at=member.joined_at,
            left_at=member.left_at,
            now=now,
        )
        for member in members
    }


@dataclass(frozen=True)
class Candidates:
    """Participants who may be added to a cohort: the first ``people`` of ``total``, and
    the other cohort of the same course each of them is in, if any."""

    people: list[User]
    total: int
    elsewhere: dict[int, Cohort]


def _contains(term: str):
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return User.full_name.ilike(pattern, escape="\\") | User.email.ilike(pattern, escape="\\")


def candidates(actor: User, cohort: Cohort, *, term: str = "", limit: int = 100) -> Candidates:
    """Active participants of the institutions the cohort is open to, among the people the
    actor may list (``auth.policy.scope_people``), who are not members of it yet; by name,
    narrowed by ``term`` (name or e-mail). Three queries whatever their number."""
    statement = select(User).where(
        User.role == Role.PARTICIPANT.value,
        User.is_active.is_(True),
        ~select(CohortMember.id)
        .where(
            CohortMember.cohort_id == cohort.id,
            CohortMember.user_id == User.id,
            CohortMember.left_at.is_(None),
        )
        .exists(),
    )
    if cohort.is_open_to_all:
        statement = statement.where(User.institution_id.is_not(None))
    else:
        statement = statement.where(User.institution_id.in_([i.id for i in cohort.institutions]))
    statement = scope_people(actor, statement)
    if term:
        statement = statement.where(_contains(term))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    people = list(
        db.session.scalars(
            statement.options(joinedload(User.institution))
            .order_by(User.full_name, User.id)
            .limit(limit)
        )
    )
    elsewhere: dict[int, Cohort] = {}
    if people:
        for member in db.session.scalars(
            select(CohortMember)
            .options(joinedload(CohortMember.cohort))
            .where(
                CohortMember.family == cohort.family,
                CohortMember.left_at.is_(None),
                CohortMember.user_id.in_([person.id for person in people]),
            )
        ):
            elsewhere[member.user_id] = member.cohort
    return Candidates(people, total, elsewhere)
