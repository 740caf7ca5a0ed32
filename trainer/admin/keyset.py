"""Keyset pagination for the administration lists (people, accounts, the audit log).

A page is "the next rows after (or before) the last row seen", in the order of a sort key
that ends with the primary key, e.g. (full_name, id). With an index on that key the database
reads just the rows of the page, so a deep page costs what the first one costs, where an
OFFSET would read and sort everything before it. Rows added meanwhile are neither skipped
nor shown twice.

The links carry the edge row's key as a cursor: JSON in URL-safe base64, checked on the way
back in. Nothing in it is secret (it is what the page shows); a cursor that is not one of
ours gives the first page, never an error from the database.

The number of rows is counted only up to ``COUNT_CAP`` + 1, through a LIMIT subquery, so a
list of a million people costs as much to count as one of a thousand.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from flask import flash, request
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from trainer.extensions import db
from trainer.text import has_control_characters
from trainer.urls import MAX_ID

COUNT_CAP = 1000
# A name is at most 200 characters, escaped as JSON and then base64: far below this.
MAX_CURSOR = 2000


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class SortKey:
    """The order of a list: its columns, most significant first, ending with the primary
    key so that every row has its own place."""

    columns: tuple[InstrumentedAttribute, ...]
    descending: bool = False

    def ordering(self, backwards: bool = False, sort_matches: bool = False) -> list:
        columns = list(self.columns)
        if sort_matches:
            # The same order, but no index gives it (see ``paginate``).
            columns[0] = columns[0].concat("")
        if self.descending != backwards:
            return [column.desc() for column in columns]
        return [column.asc() for column in columns]

    def beyond(self, values: tuple, backwards: bool = False):
        """The condition "after ``values`` in this order" (or before, ``backwards``)."""
        key = tuple_(*self.columns)
        if self.descending != backwards:
            return key < tuple_(*values)
        return key > tuple_(*values)

    def values_of(self, row) -> list:
        return [getattr(row, column.key) for column in self.columns]


@dataclass
class KeysetPage:
    items: list
    total: int | None  # None: more than COUNT_CAP
    next_cursor: str | None
    prev_cursor: str | None
    is_first: bool

    @property
    def count_cap(self) -> str:
        return format_number(COUNT_CAP)


def encode(values: list) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    text = json.dumps(plain, ensure_ascii=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def decode(key: SortKey, cursor: str) -> tuple:
    """The key values a cursor names, each of its column's type; BadCursor otherwise."""
    if len(cursor) > MAX_CURSOR:
        raise BadCursor(cursor)
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        values = json.loads(text)
    except (binascii.Error, UnicodeError, ValueError):
        raise BadCursor(cursor) from None
    if not isinstance(values, list) or len(values) != len(key.columns):
        raise BadCursor(cursor)
    return tuple(_value(column, value) for column, value in zip(key.columns, values, strict=True))


def _value(column: InstrumentedAttribute, value):
    # A TypeDecorator (UTCDateTime) tells its Python type through the type it wraps.
    python_type = getattr(column.type, "impl", column.type).python_type
    if python_type is int:
        if type(value) is not int or not 0 <= value <= MAX_ID:
            raise BadCursor(value)
        return value
    if python_type is datetime:
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise BadCursor(value)
        return moment
    length = getattr(column.type, "length", None) or 200
    if not isinstance(value, str) or len(value) > length or has_control_characters(value):
        raise BadCursor(value)
    try:
        value.encode("utf-8")  # JSON can carry a lone surrogate, which no database takes
    except UnicodeEncodeError:
        raise BadCursor(value) from None
    return value


def paginate(
    statement: Select, key: SortKey, per_page: int, sort_matches: bool = False
) -> KeysetPage:
    """One page of ``statement`` (its own ORDER BY replaced by ``key``'s), placed by the
    request's ``after`` or ``before`` cursor: two queries, the rows and the bounded count.
    A cursor that is not one of ours gives the first page, with a word saying so.

    ``sort_matches`` is for a search that an index finds (pg_trgm): it asks for the key's
    order in a form no index gives, so that PostgreSQL finds the matches and sorts them.
    Otherwise, when the search matches many rows, PostgreSQL walks the key's index hoping
    to meet a page of matches soon, which takes 200 ms at 200,000 people when they sit
    together in name order (everyone called María), against 30 ms for finding and sorting
    10,000 matches."""
    edge, backwards = _edge(key)
    if edge is not None and backwards:
        items, more = _rows(statement, key, per_page, edge, True, sort_matches)
        if more:
            items.reverse()
            return _page(statement, key, items, has_prev=True, has_next=True)
        edge = None  # back at the start of the list: its first page, full
    items, more = _rows(statement, key, per_page, edge, False, sort_matches)
    return _page(statement, key, items, has_prev=edge is not None, has_next=more)


def _edge(key: SortKey) -> tuple[tuple | None, bool]:
    """The key of the row the request's cursor names, and whether to read backwards."""
    before = request.args.get("before")
    cursor = before or request.args.get("after")
    if not cursor:
        return None, False
    try:
        return decode(key, cursor), bool(before)
    except BadCursor:
        flash(_("That page link is not valid; the list starts again at its first page."), "warning")
        return None, False


def _rows(
    statement: Select,
    key: SortKey,
    per_page: int,
    edge: tuple | None,
    backwards: bool,
    sort_matches: bool,
) -> tuple[list, bool]:
    rows = statement.order_by(None).order_by(*key.ordering(backwards, sort_matches))
    if edge is not None:
        rows = rows.where(key.beyond(edge, backwards))
    items = list(db.session.scalars(rows.limit(per_page + 1)))
    return items[:per_page], len(items) > per_page


def _page(statement: Select, key: SortKey, items: list, has_prev: bool, has_next: bool):
    return KeysetPage(
        items=items,
        total=_bounded_count(statement, key),
        next_cursor=encode(key.values_of(items[-1])) if has_next and items else None,
        prev_cursor=encode(key.values_of(items[0])) if has_prev and items else None,
        is_first=not has_prev,
    )


def _bounded_count(statement: Select, key: SortKey) -> int | None:
    """How many rows ``statement`` gives, or None when more than COUNT_CAP: the count reads
    at most COUNT_CAP + 1 of them, through the sort key's last column (the primary key)."""
    bounded = statement.order_by(None).with_only_columns(key.columns[-1]).limit(COUNT_CAP + 1)
    count = db.session.scalar(select(func.count()).select_from(bounded.subquery()))
    return count if count <= COUNT_CAP else None
