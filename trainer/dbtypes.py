"""Column types shared by every domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import DateTime, Index
from sqlalchemy.types import TypeDecorator


def one_of(column: str, values: Iterable[str]) -> str:
    """A CHECK constraint's text: ``column`` holds one of ``values`` (a StrEnum or strings)."""
    return f"{column} IN ({', '.join(repr(str(value)) for value in values)})"


def postgresql_only(index: Index) -> Index:
    """``index`` built on PostgreSQL alone (a pg_trgm index, say): other databases skip it
    when creating tables, and ``compares_on`` leaves it out of their schema comparison."""
    index.info["dialect"] = "postgresql"
    return index.ddl_if(dialect="postgresql")


def compares_on(dialect: str):
    """An Alembic ``include_object`` hook for a database of ``dialect``: leaves out the
    indexes of the models that are built on another database only."""

    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        wanted = getattr(obj, "info", {}).get("dialect") if type_ == "index" else None
        return wanted is None or wanted == dialect

    return include_object


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite keeps no offset, so values are stored as naive UTC and handed back aware;
    PostgreSQL stores ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use trainer.dbtypes.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is UTC:
            # PostgreSQL connections speak UTC (trainer.postgres): nothing to convert.
            return value
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
