"""Helpers the administration views share: the actor, lists, choices, errors."""

from __future__ import annotations

from flask import flash, session
from flask_babel import format_datetime
from flask_login import current_user
from sqlalchemy import Select, or_, select

from trainer.admin import keyset
from trainer.admin.keyset import KeysetPage, SortKey
from trainer.auth import policy
from trainer.auth.accounts import IssuedLink
from trainer.auth.models import Institution, User
from trainer.auth.services import AccountError
from trainer.extensions import db

PER_PAGE = 25
# Lists of people page by name, through the indexes on (full_name, id).
BY_NAME = SortKey((User.full_name, User.id))
TRIGRAM = 3
# The one-time link made by the last POST, shown by the page it redirects to, then forgotten.
ISSUED_LINK_KEY = "admin_issued_link"


def actor() -> User:
    return current_user._get_current_object()


def people_page(statement: Select, term: str | None = None) -> KeysetPage:
    """One page of people by name (searched for ``term``, if any, with ``search``): two
    queries, the rows and a bounded count, whatever the page."""
    # pg_trgm can look up three characters or more; a shorter term reads the name index.
    sort_matches = term is not None and len(term) >= TRIGRAM
    return keyset.paginate(statement, BY_NAME, PER_PAGE, sort_matches=sort_matches)


def search(statement: Select, term: str | None) -> Select:
    """Keep the people whose name or e-mail contains ``term`` (case-insensitive): on
    PostgreSQL through the pg_trgm indexes of both columns (revision 0020)."""
    if not term:
        return statement
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return statement.where(
        or_(User.full_name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
    )


def valid_filters(form) -> dict[str, str]:
    """The filters of a GET form that are set and valid; a bad one is ignored, not an error."""
    form.validate()
    return {
        name: field.data
        for name, field in form._fields.items()
        if name != "submit" and field.data and not field.errors
    }


def visible_institutions(actor: User, *, active_only: bool = False) -> list[Institution]:
    """The institutions whose people ``actor`` sees, by name."""
    statement = select(Institution).order_by(Institution.name)
    if active_only:
        statement = statement.where(Institution.is_active)
    return list(db.session.scalars(policy.scope_institutions(actor, statement)))


def institution_choices(institutions: list[Institution], blank: str | None = None) -> dict:
    choices = {"": blank} if blank is not None else {}
    for institution in institutions:
        choices[str(institution.id)] = institution.name
    return choices


def chosen_institution(value: str | None) -> Institution | None:
    return db.session.get(Institution, int(value)) if value else None


def show_error(form, error: AccountError) -> None:
    """Put a service's message next to its field, or above the form."""
    field = form._fields.get(error.field or "")
    if field is not None and field.type != "FieldList":
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def keep_issued_link(issued: IssuedLink) -> None:
    # Only a hash of the token is stored, so the link can be shown once, on the page the
    # POST redirects to; the signed session cookie carries it back to the same browser.
    session[ISSUED_LINK_KEY] = {
        "name": issued.user.full_name,
        "email": issued.user.email,
        "url": issued.url,
        "expires": format_datetime(issued.expires_at, "medium"),
    }


def pop_issued_link() -> dict | None:
    return session.pop(ISSUED_LINK_KEY, None)
