"""Who a report counts: the people an actor may see, and the filters a report is asked for.

Every report statement joins ``User`` and passes through ``people_in_scope``, the one place
where reports meet ``auth.policy.scope_people``; a cohort's trainers, who see their cohorts'
members, are the cohorts' helper composed here, so every report follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_

from trainer.auth.models import User
from trainer.auth.policy import is_trainer, scope_people
from trainer.cohorts.models import CohortMember
from trainer.cohorts.policy import trained_cohort_ids


@dataclass(frozen=True)
class ReportFilter:
    """A course family, optionally narrowed to one cohort or one institution.

    A cohort means the participants whose active membership of the family is that cohort;
    an institution outside the actor's scope gives an empty report, never another
    institution's people.
    """

    family: str
    cohort_id: int | None = None
    institution_id: int | None = None


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
    return statement


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
