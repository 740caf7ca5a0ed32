"""Applying a checked CSV of people: all or nothing, one audit entry per import."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TextIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.auth import audit, csv_import, policy
from trainer.auth.models import (
    Institution,
    Role,
    User,
)
from trainer.auth.services import (
    AccountError,
    ImportRefused,
    _new_password_token,
    set_password_url,
)
from trainer.extensions import db
from trainer.languages import LANGUAGES

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ImportOutcome:
    users: list[User]
    links: list[tuple[str, str]]  # (e-mail, one-time set-password link)


def import_scope(actor: User | None) -> csv_import.Scope:
    """What ``actor`` may import: admins (and the command line) anything; coordinators
    participants of their institution, or of any for a programme coordinator."""
    if actor is None or policy.is_admin(actor):
        return csv_import.Scope()
    if policy.is_programme_coordinator(actor):
        return csv_import.Scope(roles=(Role.PARTICIPANT.value,))
    if policy.is_coordinator(actor) and actor.institution is not None:
        return csv_import.Scope(
            roles=(Role.PARTICIPANT.value,), institutions=(actor.institution.slug,)
        )
    raise AccountError(_("Only administrators and coordinators can import people."))


def import_users(
    actor: User | None, data: bytes, *, filename: str = "", links: bool = True
) -> ImportOutcome:
    """Create everybody in the file, or nobody: on any problem, ImportRefused lists them all.

    Accounts get no password; with ``links`` each gets a one-time set-password link, returned
    here once. One audit entry records the import.
    """
    scope = import_scope(actor)
    institutions = {row.slug: row for row in db.session.scalars(select(Institution))}
    lookups = csv_import.Lookups(
        institutions=[slug for slug, row in institutions.items() if row.is_active],
        inactive_institutions=[slug for slug, row in institutions.items() if not row.is_active],
        registered=_registered_emails,
        languages=LANGUAGES,
    )
    result = csv_import.check_users_csv(data, lookups, scope)
    if not result.ok:
        raise ImportRefused(result.problems)
    users = [
        User(
            email=record.email,
            full_name=record.full_name,
            role=record.role,
            institution=institutions[record.institution] if record.institution else None,
            language=record.language,
        )
        for record in result.records
    ]
    try:
        with db.session.begin_nested():
            db.session.add_all(users)
    except IntegrityError:
        raise AccountError(
            _("Someone created one of these accounts meanwhile. Upload the file again.")
        ) from None
    pairs = _password_links(users, actor) if links else []
    used = sorted({record.institution for record in result.records if record.institution})
    after = {"count": len(users), "file": filename, "institutions": used, "links": len(pairs)}
    only = institutions[used[0]].id if len(used) == 1 else None
    audit.record(actor, "users.import", None, None, after, filename, institution_id=only)
    return ImportOutcome(users, pairs)


def _registered_emails(emails: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        taken.update(db.session.scalars(select(User.email).where(User.email.in_(chunk))))
    return taken


def _password_links(users: list[User], actor: User | None) -> list[tuple[str, str]]:
    pairs, rows = [], []
    for user in users:
        token, row = _new_password_token(user, actor)
        pairs.append((user.email, set_password_url(token)))
        rows.append(row)
    db.session.add_all(rows)
    db.session.flush()
    return pairs


def write_links_csv(stream: TextIO, links: list[tuple[str, str]]) -> None:
    """The e-mail,link file handed over after an import (web page or command line), with
    every cell that a spreadsheet would run as a formula turned into plain text."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(["email", "link"])
    for email, link in links:
        writer.writerow([spreadsheet_text(email), spreadsheet_text(link)])


def spreadsheet_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value
