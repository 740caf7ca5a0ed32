"""Accounts that admins and coordinators manage: create, edit, (de)activate, links.

Services flush and never commit; each change writes its audit entry in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from trainer.auth import audit, csv_import, logins, policy
from trainer.auth.models import (
    Institution,
    PasswordToken,
    Role,
    User,
)
from trainer.auth.services import (
    AccountError,
    _hash_token,
    _require_admin,
    create_password_token,
    create_user,
    find_user_by_email,
    set_password_url,
    void_unused_links,
)
from trainer.extensions import db
from trainer.languages import LANGUAGES


@dataclass(frozen=True)
class AccountFields:
    """What an admin or coordinator fills in about a person."""

    email: str
    full_name: str
    role: str = Role.PARTICIPANT.value
    institution: Institution | None = None
    language: str | None = None
    is_programme_wide: bool = False


@dataclass(frozen=True)
class IssuedLink:
    user: User
    url: str
    expires_at: datetime


def create_account(actor: User | None, fields: AccountFields) -> User:
    """Create an account without a password (its owner sets one through a link) and audit it.

    Admins create anyone; a coordinator only participants of the institutions they see.
    """
    fields = _check_account(actor, None, fields)
    user = create_user(
        fields.email,
        fields.full_name,
        fields.role,
        institution=fields.institution,
        language=fields.language,
        is_programme_wide=fields.is_programme_wide,
    )
    audit.record(actor, "user.create", user, None, audit.user_snapshot(user), user.email)
    return user


def update_account(actor: User, person: User, fields: AccountFields) -> bool:
    """Change a person's details, role or institution (admins only); audited when changed.

    A new role, institution or reach logs the person out everywhere and voids their unused
    set-password links."""
    _require_admin(actor)
    fields = _check_account(actor, person, fields)
    before = audit.user_snapshot(person)
    moved = (
        fields.role,
        getattr(fields.institution, "id", None),
        fields.is_programme_wide,
    ) != (person.role, person.institution_id, person.is_programme_wide)
    person.email, person.full_name, person.role = fields.email, fields.full_name, fields.role
    person.institution, person.language = fields.institution, fields.language
    person.is_programme_wide = fields.is_programme_wide
    if moved:
        # Links made before (by a coordinator who no longer manages the person) must not
        # open the account with its new role or in its new institution; nor may a device
        # logged in before carry on with the new rights unasked.
        void_unused_links(person)
        logins.end_all(person)
    db.session.flush()
    old, new = audit.changed(before, audit.user_snapshot(person))
    if new:
        audit.record(actor, "user.update", person, old, new, person.email)
    return bool(new)


def set_account_active(actor: User, person: User, active: bool) -> None:
    """Deactivate or reactivate an account. Deactivating ends every session and remember-me
    cookie of the person and voids their unused set-password links. Idempotent."""
    _require_admin(actor)
    if person.id == actor.id and not active:
        raise AccountError(_("You cannot deactivate your own account. Ask another administrator."))
    if person.is_active == active:
        return
    person.is_active = active
    if not active:
        logins.end_all(person)
        void_unused_links(person)
    db.session.flush()
    action = "user.reactivate" if active else "user.deactivate"
    before, after = {"is_active": not active}, {"is_active": active}
    audit.record(actor, action, person, before, after, person.email)


def issue_password_link(actor: User, person: User) -> IssuedLink:
    """Make a one-time set-password link to hand over in person; audited. The link itself
    is returned once and never stored."""
    if not policy.can_issue_password_link(actor, person):
        raise AccountError(_("You cannot make a set-password link for this person."))
    if not person.is_active:
        raise AccountError(_("This account is deactivated: reactivate it first."))
    token = create_password_token(person, actor)
    expires_at = db.session.scalar(
        select(PasswordToken.expires_at).where(PasswordToken.token_hash == _hash_token(token))
    )
    after = {"expires_at": expires_at.isoformat(timespec="minutes")}
    audit.record(actor, "user.password_link", person, None, after, person.email)
    return IssuedLink(person, set_password_url(token), expires_at)


def _check_account(actor: User | None, person: User | None, fields: AccountFields):
    email = csv_import.valid_email(fields.email)
    if email is None:
        raise AccountError(_("Enter a valid e-mail address."), "email")
    other = find_user_by_email(email)
    if other is not None and other is not person:
        raise AccountError(_("%(email)s already has an account.", email=email), "email")
    full_name = fields.full_name.strip()
    if not full_name or len(full_name) > 200:
        raise AccountError(_("Give the full name (at most 200 characters)."), "full_name")
    if fields.role not in {role.value for role in Role}:
        raise AccountError(_("Choose a role."), "role")
    is_self = actor is not None and person is not None and person.id == actor.id
    if is_self and fields.role != Role.ADMIN.value:
        raise AccountError(
            _("You cannot remove your own administrator role. Ask another administrator."),
            "role",
        )
    if fields.language not in (None, *LANGUAGES):
        raise AccountError(_("Choose a language."), "language")
    wide = fields.is_programme_wide and fields.role == Role.COORDINATOR.value
    institution = fields.institution
    moved = person is None or person.institution_id != getattr(institution, "id", None)
    if institution is not None and not institution.is_active and moved:
        raise AccountError(_("This institution has been deactivated."), "institution")
    if institution is None and fields.role == Role.PARTICIPANT.value:
        raise AccountError(_("A participant must belong to an institution."), "institution")
    if institution is None and fields.role == Role.COORDINATOR.value and not wide:
        raise AccountError(
            _("A coordinator needs an institution, or must be marked programme-wide."),
            "institution",
        )
    if not policy.can_create_account(actor, fields.role, institution and institution.id):
        raise AccountError(
            _("You can only create participants of the institutions you coordinate."),
            "institution",
        )
    return AccountFields(email, full_name, fields.role, institution, fields.language, wide)
