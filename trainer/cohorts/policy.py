"""Who may do what with a cohort: small ``can_*`` functions taking the actor explicitly.

- Running a cohort (creating it, assigning its trainers, scheduling its sessions, closing
  it) is for admins, programme coordinators and the owners of its course.
- An institution's coordinator adds their own institution's participants to cohorts open to
  that institution, and sees only those members.
- The cohort's trainers see and mark every member; so do the people who run the cohort.

Per-record checks live here; which members a list shows is decided once, by
``scope_members``, so a roster, a sheet and an export can never disagree.
"""

from __future__ import annotations

from sqlalchemy import Select, false, select

from trainer.auth.models import Role, User
from trainer.auth.policy import (
    can_list_people,
    is_admin,
    is_coordinator,
    is_programme_coordinator,
    is_trainer,
)
from trainer.cohorts.models import Cohort, CohortMember, CohortTrainer
from trainer.courses.models import Course


def course_owners(course: Course) -> set[str]:
    """E-mails of the owners the course's current version names (co-authors are not owners)."""
    version = course.current_version
    if version is None:
        return set()
    return {email.lower() for email in version.settings.get("owners", [])}


def is_course_owner(actor: User, course: Course) -> bool:
    return is_trainer(actor) and actor.email in course_owners(course)


def can_create_cohort(actor: User, course: Course) -> bool:
    if not actor.is_authenticated:
        return False
    return is_admin(actor) or is_programme_coordinator(actor) or is_course_owner(actor, course)


def can_manage_cohort(actor: User, cohort: Cohort) -> bool:
    """Edit the cohort, assign its trainers, schedule its sessions and close it."""
    return can_create_cohort(actor, cohort.course)


def is_cohort_trainer(actor: User, cohort: Cohort) -> bool:
    return is_trainer(actor) and any(trainer.id == actor.id for trainer in cohort.trainers)


def is_open_to(cohort: Cohort, institution_id: int | None) -> bool:
    """The cohort takes participants of this institution."""
    if institution_id is None:
        return False
    return cohort.is_open_to_all or any(i.id == institution_id for i in cohort.institutions)


def is_institution_coordinator(actor: User) -> bool:
    return is_coordinator(actor) and not actor.is_programme_wide


def can_add_members(actor: User, cohort: Cohort) -> bool:
    """Whether the actor may add anyone at all (which people: ``can_add_member``)."""
    if can_manage_cohort(actor, cohort):
        return True
    return is_institution_coordinator(actor) and is_open_to(cohort, actor.institution_id)


def can_pick_members(actor: User, cohort: Cohort) -> bool:
    """Pick participants from a list, or import a file of them: adding members needs a list
    of people, so it is for those who may list people (``auth.policy.scope_people``:
    coordinators and admins), within ``can_add_member`` for each one."""
    return can_add_members(actor, cohort) and can_list_people(actor)


def can_add_member(actor: User, cohort: Cohort, person: User) -> bool:
    """Add (or remove, or move) this participant: the cohort's managers may add anyone the
    cohort is open to; an institution's coordinator their own institution's participants."""
    if person.role != Role.PARTICIPANT.value or not is_open_to(cohort, person.institution_id):
        return False
    if can_manage_cohort(actor, cohort):
        return True
    return (
        is_institution_coordinator(actor)
        and actor.institution_id == person.institution_id
        and is_open_to(cohort, actor.institution_id)
    )


def trained_cohort_ids(actor: User) -> Select:
    """The ids of the cohorts the actor trains, to compose with a list's own scope (a
    cohort's trainers see their cohorts' members in reports)."""
    return select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == actor.id)


def can_see_all_members(actor: User, cohort: Cohort) -> bool:
    return can_manage_cohort(actor, cohort) or is_cohort_trainer(actor, cohort)


def can_see_cohort(actor: User, cohort: Cohort) -> bool:
    """Its managers and trainers; coordinators of an institution it is open to."""
    return can_see_all_members(actor, cohort) or can_add_members(actor, cohort)


def can_see_member(actor: User, cohort: Cohort, person: User) -> bool:
    if can_see_all_members(actor, cohort):
        return True
    return (
        is_institution_coordinator(actor)
        and is_open_to(cohort, actor.institution_id)
        and person.institution_id == actor.institution_id
    )


def can_read_sessions(actor: User, cohort: Cohort, *, is_member: bool) -> bool:
    """The cohort's sessions and calendar: whoever sees the cohort, and its members
    (``is_member``: the actor is an active member, which only a query can tell)."""
    return is_member or can_see_cohort(actor, cohort)


def can_take_attendance(actor: User, cohort: Cohort) -> bool:
    """Mark anyone present, late, excused or absent (roster or paper sheet)."""
    return can_see_all_members(actor, cohort)


def scope_members(actor: User, cohort: Cohort, statement: Select) -> Select:
    """Limit a query over ``CohortMember`` (joined to the member's ``User``) to the members
    the actor may see: all of them, their own institution's, or none."""
    if can_see_all_members(actor, cohort):
        return statement
    if is_institution_coordinator(actor) and is_open_to(cohort, actor.institution_id):
        return statement.where(CohortMember.user.has(User.institution_id == actor.institution_id))
    return statement.where(false())
