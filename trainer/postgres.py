"""PostgreSQL connections talk UTC.

Every timestamp column is ``timestamptz`` read through ``dbtypes.UTCDateTime``, which hands
values back in UTC. psycopg builds each value in the connection's time zone (the server's
``TimeZone``, often ``Etc/UTC`` or a local zone); converting it to UTC then costs a time
zone look-up per value, which is a measurable part of a report that loads tens of thousands
of timestamps. With the connection's ``TimeZone`` set to UTC once, when it is opened,
psycopg builds the values in UTC already and the conversion is a no-op. No figure changes:
timestamps are instants, and no query here formats or truncates them in SQL.
"""

from __future__ import annotations

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine


def init_postgres() -> None:
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


def _on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, psycopg.Connection):
        return
    if dbapi_connection.info.parameter_status("TimeZone") == "UTC":
        return
    autocommit = dbapi_connection.autocommit
    # Outside a transaction, so that no rollback undoes it.
    dbapi_connection.autocommit = True
    try:
        dbapi_connection.execute("SET TIME ZONE 'UTC'")
    finally:
        dbapi_connection.autocommit = autocommit
