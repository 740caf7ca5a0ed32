"""Who may see, download, issue, revoke and reissue certificates.

- The holder sees and downloads their own.
- Admins and coordinators act on the certificates of the people they see (their
  institution's, or everybody's for a programme coordinator): issue by hand, revoke,
  reissue, download, read the history. Trainers take attendance but do not certify.
- Anyone may verify a code (no check: the public page shows nothing else personal).

Lists go through ``scope_certificates``, which agrees with ``can_manage`` as
``auth.policy.scope_people`` agrees with ``can_see_person``.
"""

from __future__ import annotations

from sqlalchemy import Select, false

from trainer.auth import policy as auth
from trainer.auth.models import AuditEntry, User


def can_certify(actor: User) -> bool:
    """Whether the actor may act on anyone's certificates at all (which: ``can_manage``)."""
    return auth.is_admin(actor) or auth.is_coordinator(actor)


def can_issue(actor: User, holder: User) -> bool:
    return can_certify(actor) and auth.can_see_person(actor, holder)


def can_manage(actor: User, certificate) -> bool:
    """Revoke, reissue, download and read the history of this certificate."""
    return can_issue(actor, certificate.holder)


def can_see(actor: User, certificate) -> bool:
    """Download the PDF: the holder, and those who manage the certificate."""
    if not actor.is_authenticated:
        return False
    return certificate.user_id == actor.id or can_manage(actor, certificate)


def scope_certificates(actor: User, statement: Select) -> Select:
    """``statement`` (over ``Certificate`` joined to its holder ``User``) narrowed to the
    certificates ``actor`` manages."""
    return auth.scope_people(actor, statement)


def scope_audit(actor: User, statement: Select) -> Select:
    """``statement`` (over ``AuditEntry``) narrowed to the entries about people ``actor``
    sees: all for admins and programme coordinators, their institution's for a coordinator."""
    if auth.sees_every_institution(actor):
        return statement
    if auth.is_coordinator(actor) and actor.institution_id is not None:
        return statement.where(AuditEntry.institution_id == actor.institution_id)
    return statement.where(false())
