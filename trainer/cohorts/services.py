"""Cohorts and their members: create, staff, fill, move and close.

Plain functions taking the acting user; they check the actor's right with
``trainer.cohorts.policy`` (so the CLI and future API are held to the same rules as views),
flush and never commit, and raise ``CohortError`` with a message saying what to do.
Signals (``trainer.cohorts.signals``) are sent after the flush, inside the caller's
transaction.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.auth.models import Institution, Role, User
from trainer.cohorts import policy
from trainer.cohorts.models import Cohort, CohortMember, CohortState, TrainingSession
from trainer.cohorts.signals import cohort_closed, member_added, member_left
from trainer.courses.models import Course
from trainer.dbtypes import utcnow
from trainer.extensions import db

MAX_NAME = 200


class CohortError(ValueError):
    """A cohort operation that cannot be carried out; the message says why and what to do."""


def require(allowed: bool) -> None:
    if not allowed:
        raise CohortError(_("You are not allowed to do this for this cohort."))


def _check_fields(name: str, starts_on: date, ends_on: date, timezone: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise CohortError(_("Give the cohort a name."))
    if len(name) > MAX_NAME:
        raise CohortError(_("The name is too long: %(max)d characters at most.", max=MAX_NAME))
    if ends_on < starts_on:
        raise CohortError(_("The cohort cannot end before it starts."))
    if timezone not in zoneinfo.available_timezones():
        raise CohortError(
            _("Unknown time zone %(zone)s; use a name such as America/Guayaquil.", zone=timezone)
        )
    return name


def _check_trainers(trainers: Iterable[User]) -> list[User]:
    trainers = list({trainer.id: trainer for trainer in trainers}.values())
    for trainer in trainers:
        if trainer.role != Role.TRAINER.value or not trainer.is_active:
            raise CohortError(
                _("%(name)s is not an active trainer account.", name=trainer.full_name)
            )
    return trainers


def create_cohort(
    actor: User,
    course: Course,
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    timezone: str,
    institutions: Iterable[Institution] = (),
    open_to_all: bool = False,
    trainers: Iterable[User] = (),
) -> Cohort:
    """A planned cohort of the course's family, open to ``institutions`` (or to all)."""
    require(policy.can_create_cohort(actor, course))
    name = _check_fields(name, starts_on, ends_on, timezone)
    cohort = Cohort(
        course=course,
        family=course.family,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        timezone=timezone,
        is_open_to_all=open_to_all,
        created_by_id=actor.id,
    )
    cohort.institutions = list({i.id: i for i in institutions}.values())
    cohort.trainers = _check_trainers(trainers)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def assign_trainers(actor: User, cohort: Cohort, trainers: Iterable[User]) -> Cohort:
    """Make ``trainers`` the cohort's trainers, replacing the previous list."""
    require(policy.can_manage_cohort(actor, cohort))
    cohort.trainers = _check_trainers(trainers)
    db.session.flush()
    return cohort


def start_cohort(actor: User, cohort: Cohort) -> Cohort:
    """Planned -> running; idempotent. A closed cohort stays closed."""
    require(policy.can_manage_cohort(actor, cohort))
    refuse_closed(cohort)
    cohort.state = CohortState.RUNNING.value
    db.session.flush()
    return cohort


def close_cohort(actor: User, cohort: Cohort, *, now: datetime | None = None) -> Cohort:
    """Close the cohort, freezing its members and attendance; ``cohort_closed`` is sent once,
    by the call that closed it (closing a closed cohort changes nothing and sends nothing)."""
    require(policy.can_manage_cohort(actor, cohort))
    if cohort.is_closed:
        return cohort
    cohort.state = CohortState.CLOSED.value
    cohort.closed_at = now or utcnow()
    db.session.flush()
    cohort_closed.send(cohort, actor=actor)
    return cohort


def refuse_closed(cohort: Cohort) -> None:
    if cohort.is_closed:
        raise CohortError(
            _(
                "The cohort %(name)s is closed; its members and attendance can no longer change.",
                name=cohort.name,
            )
        )


def active_membership(person: User, family: str) -> CohortMember | None:
    """The participant's current membership in a cohort of the family, if any."""
    return db.session.scalar(
        select(CohortMember).where(
            CohortMember.user_id == person.id,
            CohortMember.family == family,
            CohortMember.left_at.is_(None),
        )
    )


def _check_can_join(actor: User, cohort: Cohort, person: User) -> None:
    refuse_closed(cohort)
    if person.role != Role.PARTICIPANT.value or not person.is_active:
        raise CohortError(
            _("%(name)s is not an active participant account.", name=person.full_name)
        )
    if not policy.is_open_to(cohort, person.institution_id):
        raise CohortError(
            _(
                "The cohort %(cohort)s is not open to the institution of %(name)s.",
                cohort=cohort.name,
                name=person.full_name,
            )
        )
    require(policy.can_add_member(actor, cohort, person))


def _open_membership(actor: User, cohort: Cohort, person: User, now: datetime) -> CohortMember:
    member = CohortMember(
        cohort=cohort, family=cohort.family, user_id=person.id, joined_at=now, added_by_id=actor.id
    )
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:
        # Added to a cohort of the family by someone else a moment ago.
        raise CohortError(
            _already_member(person, active_membership(person, cohort.family))
        ) from None
    return member


def _already_member(person: User, membership: CohortMember | None) -> str:
    cohort_name = membership.cohort.name if membership is not None else ""
    return _(
        "%(name)s is already a member of the cohort %(cohort)s of this course; move them instead.",
        name=person.full_name,
        cohort=cohort_name,
    )


def add_member(
    actor: User, cohort: Cohort, person: User, *, now: datetime | None = None
) -> CohortMember:
    """Make ``person`` an active member of the cohort and send ``member_added``.

    Idempotent: a participant already in this cohort keeps their membership (and no signal is
    sent). One already in another cohort of the family is refused: moving is ``move_member``.
    The database's partial unique index settles two coordinators adding them at once.
    """
    _check_can_join(actor, cohort, person)
    current = active_membership(person, cohort.family)
    if current is not None:
        if current.cohort_id == cohort.id:
            return current
        raise CohortError(_already_member(person, current))
    member = _open_membership(actor, cohort, person, now or utcnow())
    member_added.send(cohort, member=member, actor=actor, moved_from=None)
    return member


def remove_member(
    actor: User, cohort: Cohort, person: User, *, now: datetime | None = None
) -> CohortMember:
    """End the participant's membership (their attendance records stay); sends
    ``member_left``. Refused when they are not an active member of this cohort."""
    refuse_closed(cohort)
    current = active_membership(person, cohort.family)
    if current is None or current.cohort_id != cohort.id:
        raise CohortError(_("%(name)s is not a member of this cohort.", name=person.full_name))
    require(policy.can_add_member(actor, cohort, person))
    current.left_at = max(now or utcnow(), current.joined_at)
    db.session.flush()
    member_left.send(cohort, member=current, actor=actor, moved_to=None)
    return current


def move_member(
    actor: User, person: User, to_cohort: Cohort, *, now: datetime | None = None
) -> CohortMember:
    """Close the participant's membership in their current cohort of the family and open one
    in ``to_cohort``, at the same instant, in one flush: they are never in two cohorts, nor in
    none. Sends ``member_left`` then ``member_added`` (each naming the other membership).
    Online progress is the enrolment's and is untouched; attendance counts from now on in
    the new cohort. A participant in no cohort yet is simply added."""
    now = now or utcnow()
    current = active_membership(person, to_cohort.family)
    if current is None:
        return add_member(actor, to_cohort, person, now=now)
    if current.cohort_id == to_cohort.id:
        return current
    refuse_closed(current.cohort)
    require(policy.can_add_member(actor, current.cohort, person))
    _check_can_join(actor, to_cohort, person)
    current.left_at = max(now, current.joined_at)
    db.session.flush()
    member = _open_membership(actor, to_cohort, person, now)
    member_left.send(current.cohort, member=current, actor=actor, moved_to=member)
    member_added.send(to_cohort, member=member, actor=actor, moved_from=current)
    return member


def update_cohort(
    actor: User,
    cohort: Cohort,
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    timezone: str,
    institutions: Iterable[Institution] = (),
    open_to_all: bool = False,
    trainers: Iterable[User] = (),
) -> Cohort:
    """Change the cohort's name, dates, time zone, institutions and trainers, checked as
    ``create_cohort`` checks them. A closed cohort refuses. So do new dates that would leave
    a scheduled session outside them (reschedule or cancel it first), and institutions that
    would leave members of an institution the cohort is no longer open to (their coordinator
    would lose sight of them: remove them first). Sessions keep their instants; a new time
    zone shows them at its own wall-clock times."""
    require(policy.can_manage_cohort(actor, cohort))
    refuse_closed(cohort)
    name = _check_fields(name, starts_on, ends_on, timezone)
    chosen_trainers = _check_trainers(trainers)
    chosen = list({i.id: i for i in institutions}.values())
    _check_sessions_within(cohort, starts_on, ends_on, timezone)
    if not open_to_all:
        _check_members_stay_open(cohort, {i.id for i in chosen})
    cohort.name, cohort.starts_on, cohort.ends_on = name, starts_on, ends_on
    cohort.timezone, cohort.is_open_to_all = timezone, open_to_all
    cohort.institutions = chosen
    cohort.trainers = chosen_trainers
    db.session.flush()
    return cohort


def _check_sessions_within(cohort: Cohort, starts_on: date, ends_on: date, timezone: str) -> None:
    zone = zoneinfo.ZoneInfo(timezone)
    for session in db.session.scalars(
        select(TrainingSession)
        .where(TrainingSession.cohort_id == cohort.id, TrainingSession.cancelled_at.is_(None))
        .order_by(TrainingSession.starts_at)
    ):
        day = session.starts_at.astimezone(zone).date()
        if not starts_on <= day <= ends_on:
            raise CohortError(
                _(
                    "The session of %(day)s would fall outside the new dates; reschedule or "
                    "cancel it first.",
                    day=day.isoformat(),
                )
            )


def _check_members_stay_open(cohort: Cohort, institution_ids: set[int]) -> None:
    left_out = db.session.scalars(
        select(Institution)
        .join(User, User.institution_id == Institution.id)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(
            CohortMember.cohort_id == cohort.id,
            CohortMember.left_at.is_(None),
            Institution.id.not_in(institution_ids),
        )
        .distinct()
        .order_by(Institution.name)
    ).first()
    if left_out is not None:
        raise CohortError(
            _(
                "Members of %(institution)s are in this cohort: keep it open to their "
                "institution, or remove them first.",
                institution=left_out.name,
            )
        )


def add_members(
    actor: User, cohort: Cohort, people: Iterable[User], *, now: datetime | None = None
) -> list[CohortMember]:
    """Add every participant in ``people`` (``add_member`` each), or nobody: one CohortError
    names every one that cannot be added, and what was written for the others (their
    memberships, and whatever subscribers to ``member_added`` wrote) is rolled back to a
    savepoint taken before the first."""
    now = now or utcnow()
    members, refusals = [], []
    savepoint = db.session.begin_nested()
    for person in people:
        try:
            members.append(add_member(actor, cohort, person, now=now))
        except CohortError as error:
            refusals.append(str(error))
    if refusals:
        savepoint.rollback()
        raise CohortError(" ".join(refusals))
    savepoint.commit()
    return members
