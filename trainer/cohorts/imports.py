"""Adding a CSV file of people to a cohort: all or nothing, every bad row named by its line.

The file is the people import's (``trainer.auth.people_import``): same columns, same checks,
same messages. A row whose e-mail has an account adds that participant; a row without one
creates the account first (with a set-password link, as the people import does) when the
importer asks for it and may create people. Then every row's participant is added to the
cohort, in the caller's transaction: one bad row and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.auth import people_import
from trainer.auth.csv_import import Problem, Record, Scope
from trainer.auth.models import Role, User
from trainer.auth.services import ImportRefused
from trainer.cohorts import policy
from trainer.cohorts.models import Cohort, CohortMember
from trainer.cohorts.services import add_member, refuse_closed, require
from trainer.dbtypes import utcnow
from trainer.extensions import db


@dataclass(frozen=True)
class MembersImport:
    added: list[CohortMember]  # new members (people already in the cohort are not repeated)
    already: int  # rows naming someone who was already a member
    created: list[User]  # accounts created
    links: list[tuple[str, str]]  # (e-mail, one-time set-password link) of those accounts


def import_scope(actor: User, cohort: Cohort) -> Scope:
    """Participants of the institutions the cohort is open to that the actor may add: all of
    them for those who run the cohort, their own institution's for its coordinator."""
    if policy.can_manage_cohort(actor, cohort):
        slugs = None if cohort.is_open_to_all else [i.slug for i in cohort.institutions]
    elif actor.institution is not None and policy.is_open_to(cohort, actor.institution_id):
        slugs = [actor.institution.slug]
    else:
        slugs = []
    return Scope(roles=(Role.PARTICIPANT.value,), institutions=slugs)


def import_members(
    actor: User,
    cohort: Cohort,
    data: bytes,
    *,
    filename: str = "",
    create_missing: bool = False,
    now: datetime | None = None,
) -> MembersImport:
    """Add everybody in the file to the cohort, or nobody.

    Raises ``ImportRefused`` listing every problem with its line (the file's, then the
    cohort's: no account, not a participant, another institution, already in another cohort
    of the course), and ``CohortError`` or ``AccountError`` for the whole request (a closed
    cohort, no right to create accounts). Flushes; the caller commits or rolls back.
    """
    require(policy.can_pick_members(actor, cohort))
    refuse_closed(cohort)
    if create_missing:
        people_import.import_scope(actor)  # AccountError unless the actor may create people
    checked = people_import.check_file(data, import_scope(actor, cohort), allow_existing=True)
    accounts = checked.accounts
    current = _memberships(cohort, [account.id for account in accounts.values()])
    problems = list(checked.problems)
    for record in checked.records:
        account = accounts.get(record.email)
        if account is None:
            if not create_missing:
                problems.append(Problem(record.line, _no_account(record.email)))
            continue
        reason = _refusal(actor, cohort, record, account, current.get(account.id))
        if reason is not None:
            problems.append(Problem(record.line, reason))
    if problems:
        raise ImportRefused(sorted(problems, key=lambda problem: problem.line or 0))
    new = [record for record in checked.records if record.email not in accounts]
    outcome = (
        people_import.create_accounts(actor, new, filename=filename)
        if new
        else people_import.ImportOutcome([], [])
    )
    people = {**accounts, **{user.email: user for user in outcome.users}}
    now = now or utcnow()
    added, already = [], 0
    for record in checked.records:
        person = people[record.email]
        membership = current.get(person.id)
        if membership is not None and membership.cohort_id == cohort.id:
            already += 1
            continue
        added.append(add_member(actor, cohort, person, now=now))
    return MembersImport(added=added, already=already, created=outcome.users, links=outcome.links)


def _memberships(cohort: Cohort, user_ids: list[int]) -> dict[int, CohortMember]:
    """The current membership in a cohort of the family of each of these people."""
    found: dict[int, CohortMember] = {}
    for start in range(0, len(user_ids), 500):
        for member in db.session.scalars(
            select(CohortMember)
            .options(joinedload(CohortMember.cohort))
            .where(
                CohortMember.family == cohort.family,
                CohortMember.left_at.is_(None),
                CohortMember.user_id.in_(user_ids[start : start + 500]),
            )
        ):
            found[member.user_id] = member
    return found


def _no_account(email: str) -> str:
    return _(
        "%(email)s has no account. Tick “Create an account” to create it with this import, "
        "or correct the e-mail.",
        email=email,
    )


def _refusal(
    actor: User, cohort: Cohort, record: Record, account: User, membership: CohortMember | None
) -> str | None:
    """Why this existing account cannot be added, in a message for its line, or None."""
    if account.role != Role.PARTICIPANT.value or not account.is_active:
        return _("%(email)s is not an active participant account.", email=account.email)
    slug = account.institution.slug if account.institution is not None else None
    if slug != record.institution:
        return _(
            "%(email)s belongs to another institution than “%(slug)s”; correct the "
            "institution column.",
            email=account.email,
            slug=record.institution,
        )
    if not policy.can_add_member(actor, cohort, account):
        return _("You cannot add %(email)s to this cohort.", email=account.email)
    if membership is not None and membership.cohort_id != cohort.id:
        return _(
            "%(email)s is already a member of the cohort %(cohort)s of this course; move "
            "them from the members page instead.",
            email=account.email,
            cohort=membership.cohort.name,
        )
    return None
