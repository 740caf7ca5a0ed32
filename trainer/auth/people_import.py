"""Applying a checked CSV of people: all or nothing, one audit entry per import."""

from __future__ import annotations

import base64
import csv
import io
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


@dataclass(frozen=True)
class CheckedFile:
    """A file of people, checked: every problem, and the records of the lines without one."""

    records: list[csv_import.Record]
    problems: list[csv_import.Problem]
    # E-mail -> the account it already has (only when existing accounts are allowed).
    accounts: dict[str, User]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(
    data: bytes, scope: csv_import.Scope, *, allow_existing: bool = False
) -> CheckedFile:
    """Every row of the file, checked within ``scope``.

    An e-mail that already has an account is a problem, unless ``allow_existing``: then its
    account is returned in ``accounts`` (with its institution), for the caller to judge.
    When the file has problems, ``records`` still holds the lines that have none, so that a
    caller checking more can name every problem in one go.
    """
    institutions = _institutions()
    lookups = csv_import.Lookups(
        institutions=[slug for slug, row in institutions.items() if row.is_active],
        inactive_institutions=[slug for slug, row in institutions.items() if not row.is_active],
        registered=_nobody if allow_existing else _registered_emails,
        languages=LANGUAGES,
    )
    result = csv_import.check_users_csv(data, lookups, scope)
    accounts = _accounts([r.email for r in result.sound]) if allow_existing else {}
    return CheckedFile(result.sound, result.problems, accounts)


def import_users(
    actor: User | None, data: bytes, *, filename: str = "", links: bool = True
) -> ImportOutcome:
    """Create everybody in the file, or nobody: on any problem, ImportRefused lists them all.

    Accounts get no password; with ``links`` each gets a one-time set-password link, returned
    here once. One audit entry records the import.
    """
    checked = check_file(data, import_scope(actor))
    if not checked.ok:
        raise ImportRefused(checked.problems)
    return create_accounts(actor, checked.records, filename=filename, links=links)


def create_accounts(
    actor: User | None,
    records: list[csv_import.Record],
    *,
    filename: str = "",
    links: bool = True,
) -> ImportOutcome:
    """Create the accounts of checked records (``check_file``), with set-password links,
    recorded in one audit entry; AccountError if one was created meanwhile."""
    institutions = _institutions()
    users = [
        User(
            email=record.email,
            full_name=record.full_name,
            role=record.role,
            institution=institutions[record.institution] if record.institution else None,
            language=record.language,
        )
        for record in records
    ]
    try:
        with db.session.begin_nested():
            db.session.add_all(users)
    except IntegrityError:
        raise AccountError(
            _("Someone created one of these accounts meanwhile. Upload the file again.")
        ) from None
    pairs = _password_links(users, actor) if links else []
    used = sorted({record.institution for record in records if record.institution})
    after = {"count": len(users), "file": filename, "institutions": used, "links": len(pairs)}
    only = institutions[used[0]].id if len(used) == 1 else None
    audit.record(actor, "users.import", None, None, after, filename, institution_id=only)
    return ImportOutcome(users, pairs)


def _institutions() -> dict[str, Institution]:
    return {row.slug: row for row in db.session.scalars(select(Institution))}


def _nobody(emails: list[str]) -> set[str]:
    return set()


def _accounts(emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        found.update(
            (user.email, user)
            for user in db.session.scalars(select(User).where(User.email.in_(chunk)))
        )
    return found


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


def links_data_uri(links: list[tuple[str, str]]) -> str:
    """The links file as a data: address, for a page to offer it for download once (only
    hashes of the links are kept, and thousands do not fit in a session cookie)."""
    buffer = io.StringIO()
    write_links_csv(buffer, links)
    # The byte-order mark makes Excel read the file as UTF-8.
    encoded = base64.b64encode(("\ufeff" + buffer.getvalue()).encode()).decode()
    return f"data:text/csv;charset=utf-8;base64,{encoded}"
