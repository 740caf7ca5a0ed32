"""Checking a CSV file of people to import, without touching the database.

``check_users_csv`` takes the file's bytes, the facts it needs (known institutions, which
e-mails already have accounts) and what the importing person may create. It returns either
every clean record or every problem, each with the physical line of the file it is on
(the header is line 1), so one upload shows everything there is to fix.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from trainer.languages import LANGUAGES
from trainer.text import has_control_characters

MAX_ROWS = 5000
COLUMNS = ("email", "full_name", "role", "institution", "language")
REQUIRED_COLUMNS = ("email", "full_name", "institution")
ROLES = ("participant", "trainer", "coordinator", "admin")
# Roles that cannot exist without an institution when imported (no programme-wide flag here).
ROLES_NEEDING_INSTITUTION = ("participant", "coordinator")
_LAYOUT = str.maketrans("", "", "\t\r\n")


@dataclass(frozen=True)
class Problem:
    line: int | None  # None: the file as a whole
    message: str


@dataclass(frozen=True)
class Record:
    line: int
    email: str
    full_name: str
    role: str
    institution: str | None  # slug
    language: str | None


@dataclass(frozen=True)
class Lookups:
    """What the database knows, handed in so the check stays pure."""

    institutions: Collection[str]  # slugs of active institutions
    registered: Callable[[list[str]], Collection[str]]  # which of these e-mails are taken
    inactive_institutions: Collection[str] = ()
    languages: Collection[str] = LANGUAGES


@dataclass(frozen=True)
class Scope:
    """What the importing person may create: these roles, in these institutions."""

    roles: Collection[str] = ROLES
    institutions: Collection[str] | None = None  # slugs; None: any institution


@dataclass
class CheckResult:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The records of the lines without a problem, kept when the file has problems (then
    # ``records`` is empty), so that a caller checking more can name every problem at once.
    sound: list[Record] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_users_csv(data: bytes, lookups: Lookups, scope: Scope | None = None) -> CheckResult:
    """All records when every row is good; otherwise no record and every problem."""
    scope = scope or Scope()
    text, problem = _decode(data)
    if problem is not None:
        return CheckResult(problems=[problem])
    if not text.strip():
        return CheckResult(problems=[Problem(None, _("The file is empty."))])
    try:
        header, rows, count = _read(text)
    except csv.Error as error:
        return CheckResult(problems=[Problem(error.args[1], _bad_csv_message())])
    problems = _check_header(header)
    if problems:
        return CheckResult(problems=problems)
    if not rows:
        return CheckResult(problems=[Problem(None, _("The file has a header but no people."))])
    if count > MAX_ROWS:
        message = _(
            "The file has %(count)d people; at most %(limit)d can be imported at once. "
            "Split it into several files.",
            count=count,
            limit=MAX_ROWS,
        )
        return CheckResult(problems=[Problem(None, message)])
    return _check_rows(header, rows, lookups, scope)


def _decode(data: bytes) -> tuple[str, Problem | None]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = _(
            "The file is not UTF-8 text (the first character that is not is on line "
            "%(line)d). In Excel choose “CSV UTF-8” when saving; in LibreOffice "
            "choose the character set “Unicode (UTF-8)”.",
            line=line,
        )
        return "", Problem(None, message)


def _read(text: str) -> tuple[list[str], list[tuple[int, list[str]]], int]:
    """The header, the non-blank rows (each with the line it starts on) and their number.

    Rows past MAX_ROWS are counted, not kept: millions of tiny rows would fill the memory.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    count = last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise csv.Error(str(error), reader.line_num) from error
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in cells]
        else:
            count += 1
            if count <= MAX_ROWS:
                rows.append((line, [cell.strip() for cell in cells]))
    return header or [], rows, count


def _bad_csv_message() -> str:
    return _(
        "This line cannot be read as CSV: a quotation mark is probably missing or extra. "
        "Values that contain the separator must be enclosed in double quotes."
    )


def _check_header(header: list[str]) -> list[Problem]:
    problems = []
    expected = ", ".join(COLUMNS)
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(
                Problem(1, _("Column %(n)d of the header has no name; remove it.", n=position))
            )
        elif name not in COLUMNS:
            message = _(
                "Unknown column “%(name)s”. The columns are: %(columns)s.",
                name=name,
                columns=expected,
            )
            problems.append(Problem(1, message + _did_you_mean(name, COLUMNS)))
        elif header.index(name) != position - 1:
            problems.append(Problem(1, _("The column “%(name)s” appears twice.", name=name)))
    for name in REQUIRED_COLUMNS:
        if name not in header:
            message = _(
                "The header has no “%(name)s” column. The first line must name the "
                "columns: %(columns)s (role and language may be left out).",
                name=name,
                columns=expected,
            )
            problems.append(Problem(1, message))
    return problems


def _check_rows(
    header: list[str], rows: list[tuple[int, list[str]]], lookups: Lookups, scope: Scope
) -> CheckResult:
    result = CheckResult()
    first_line_of: dict[str, int] = {}
    for line, cells in rows:
        if len(cells) > len(header) and any(cells[len(header) :]):
            message = _(
                "This line has %(count)d values but the header has %(columns)d columns. "
                "Enclose values that contain the separator in double quotes.",
                count=len(cells),
                columns=len(header),
            )
            result.problems.append(Problem(line, message))
            continue
        values = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        record, email, reasons = _check_row(line, values, lookups, scope)
        if email in first_line_of:
            reasons.append(
                _(
                    "The e-mail %(email)s appears twice in the file, on lines %(first)d and "
                    "%(line)d.",
                    email=email,
                    first=first_line_of[email],
                    line=line,
                )
            )
        elif email is not None:
            first_line_of[email] = line
        result.problems += [Problem(line, reason) for reason in reasons]
        if record is not None and not reasons:
            result.records.append(record)
    taken = set(lookups.registered(list(first_line_of)))
    for email, line in first_line_of.items():
        if email in taken:
            message = _("%(email)s already has an account.", email=email)
            result.problems.append(Problem(line, message))
    if result.problems:
        result.problems.sort(key=lambda problem: problem.line or 0)
        bad_lines = {problem.line for problem in result.problems}
        result.sound = [record for record in result.records if record.line not in bad_lines]
        result.records = []
    else:
        result.sound = list(result.records)
    return result


def _check_row(
    line: int, values: dict[str, str], lookups: Lookups, scope: Scope
) -> tuple[Record | None, str | None, list[str]]:
    """The row's record (if it can be made), its valid e-mail, and what is wrong with it."""
    reasons: list[str] = []
    for column, value in values.items():
        # Line breaks and tabs may stand inside a quoted value; NUL and the like may not.
        if has_control_characters(value.translate(_LAYOUT)):
            reasons.append(
                _(
                    "The column “%(column)s” holds an invisible control character (such as "
                    "NUL); delete it and save the file again.",
                    column=column,
                )
            )
    if reasons:
        return None, None, reasons
    email = _check_email(values.get("email", ""), reasons)
    full_name = values.get("full_name", "")
    if not full_name:
        reasons.append(_("The full name is missing."))
    elif len(full_name) > 200:
        reasons.append(_("The full name is longer than 200 characters."))
    role = _check_role(values.get("role", "").lower() or "participant", scope, reasons)
    institution = _check_institution(
        values.get("institution", "").lower() or None, role, lookups, scope, reasons
    )
    language = values.get("language", "").lower() or None
    if language is not None and language not in lookups.languages:
        reasons.append(
            _(
                "Unknown language “%(language)s”: use %(languages)s, or leave it empty.",
                language=language,
                languages=", ".join(lookups.languages),
            )
        )
    if reasons or email is None or role is None:
        return None, email, reasons
    return Record(line, email, full_name, role, institution, language), email, reasons


def _check_email(raw: str, reasons: list[str]) -> str | None:
    if not raw:
        reasons.append(_("The e-mail is missing."))
        return None
    email = valid_email(raw)
    if email is None:
        reasons.append(_("“%(email)s” is not a valid e-mail address.", email=raw))
    return email


def valid_email(raw: str) -> str | None:
    """The address as accounts store it (trimmed, lower case), or None if it is not one."""
    email = raw.strip().lower()
    if not email or len(email) > 254:
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return None
    return email


def _check_role(role: str, scope: Scope, reasons: list[str]) -> str | None:
    if role not in ROLES:
        reasons.append(
            _(
                "Unknown role “%(role)s”: use %(roles)s, or leave it empty for participant.",
                role=role,
                roles=", ".join(ROLES),
            )
            + _did_you_mean(role, ROLES)
        )
        return None
    if role not in scope.roles:
        reasons.append(
            _(
                "You can only import %(roles)s, not %(role)s.",
                roles=", ".join(scope.roles),
                role=role,
            )
        )
        return None
    return role


def _check_institution(
    slug: str | None, role: str | None, lookups: Lookups, scope: Scope, reasons: list[str]
) -> str | None:
    if slug is None:
        if role in ROLES_NEEDING_INSTITUTION:
            reasons.append(
                _(
                    "The institution is missing: a %(role)s needs one. Give its short name (slug).",
                    role=role,
                )
            )
        return None
    if slug in lookups.inactive_institutions:
        reasons.append(_("The institution “%(slug)s” has been deactivated.", slug=slug))
    elif slug not in lookups.institutions:
        reasons.append(
            _("There is no institution with the short name “%(slug)s”.", slug=slug)
            + _did_you_mean(slug, lookups.institutions)
        )
    elif scope.institutions is not None and slug not in scope.institutions:
        reasons.append(
            _(
                "You can only import people into %(allowed)s, not into “%(slug)s”.",
                allowed=", ".join(sorted(scope.institutions)) or "-",
                slug=slug,
            )
        )
    return slug


def _did_you_mean(word: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if not close:
        return ""
    return " " + _("Did you mean “%(word)s”?", word=close[0])
