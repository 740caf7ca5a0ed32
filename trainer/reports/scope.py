"""Who a report counts: the people an actor may see, and the filters a report is asked for.

Every report statement joins ``User`` and passes through ``people_in_scope``, the one place
where reports meet ``auth.policy.scope_people``; a cohort's trainers, who see their cohorts'
members, are the cohorts' helper composed here, so every report follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import aliased

from trainer.auth.models import User
from trainer.auth.policy import is_trainer, scope_people
from trainer.cohorts.models import CohortMember
from trainer.cohorts.policy import trained_cohort_ids
from trainer.learning.models import Enrolment


@dataclass(frozen=True)
class ReportFilter:
    """A course family, optionally narrowed to one cohort or one institution.

    A cohort means the participants whose active membership of the family is that cohort;
    an institution outside the actor's scope gives an empty report, never another
    institution's people. Enrolment dates narrow to those who enrolled in that period.
    """

    family: str
    cohort_id: int | None = None
    institution_id: int | None = None
    # The people who enrolled in the family between these days (UTC), both included.
    enrolled_from: date | None = None
    enrolled_to: date | None = None


def people_in_scope(actor: User, statement: Select, report: ReportFilter) -> Select:
    """``statement`` (which joins ``User`` and the ``active_cohort`` membership, see
    ``join_active_cohort``) narrowed to the people the actor may see and the filter asks:
    ``scope_people``'s, or for a trainer the members of the cohorts they train."""
    if is_trainer(actor):
        statement = statement.where(CohortMember.cohort_id.in_(trained_cohort_ids(actor)))
    else:
        statement = scope_people(actor, statement)
    if report.institution_id is not None:
        statement = statement.where(User.institution_id == report.institution_id)
    if report.cohort_id is not None:
        statement = statement.where(CohortMember.cohort_id == report.cohort_id)
    if report.enrolled_from is not None or report.enrolled_to is not None:
        # An alias: the statement may select from enrolment itself.
        enrolment = aliased(Enrolment)
        enrolled = select(enrolment.id).where(
            enrolment.user_id == User.id, enrolment.family == report.family
        )
        if report.enrolled_from is not None:
            enrolled = enrolled.where(enrolment.enrolled_at >= _midnight(report.enrolled_from))
        if report.enrolled_to is not None:
            enrolled = enrolled.where(
                enrolment.enrolled_at < _midnight(report.enrolled_to + timedelta(days=1))
            )
        statement = statement.where(enrolled.exists())
    return statement


def narrows_by_cohort(actor: User, report: ReportFilter) -> bool:
    """Whether ``people_in_scope`` narrows by the active cohort membership (a trainer's
    cohorts, or a cohort filter): a statement that only needs the people's ids joins the
    membership then, and can leave it out otherwise."""
    return is_trainer(actor) or report.cohort_id is not None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def join_active_cohort(statement: Select, family: str) -> Select:
    """Add each person's active membership of the family's cohorts (at most one, by the
    cohort_member partial unique index), or none."""
    return statement.outerjoin(
        CohortMember,
        and_(
            CohortMember.user_id == User.id,
            CohortMember.family == family,
            CohortMember.left_at.is_(None),
        ),
    )
