"""people list indexes: pages in name order and newest-first audit pages read from indexes;
search by any part of a name or address through pg_trgm on PostgreSQL

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 19:00:00

The administration lists page by key (``trainer.admin.keyset``): the next rows after the
last one shown, in the list's order. Each index below gives the rows in that order, so a
page reads its rows and stops, however deep it is:

- ``ix_user_account_full_name`` (full_name, id): the accounts list, everyone by name;
- ``ix_user_account_institution_id`` becomes (institution_id, full_name, id): one
  institution's people by name (a coordinator's list), serving what it served before;
- ``ix_audit_entry_created_at``, ``_action`` and ``_actor_id`` gain (created_at, id): the
  audit log newest first, whole or for one action or one actor; the actor's also lists
  who has entries with one probe per actor.

On PostgreSQL, GIN indexes of the pg_trgm extension on ``full_name`` and ``email`` serve the
search (``ILIKE '%term%'``), which otherwise reads the whole table. The extension ships with
PostgreSQL (the contrib package) and creating it needs a superuser or, from PostgreSQL 13,
a database owner; the upgrade stops with a message saying so when it cannot.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TRIGRAM_COLUMNS = ("full_name", "email")


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index("ix_user_account_full_name", ["full_name", "id"], unique=False)
        batch_op.drop_index("ix_user_account_institution_id")
        batch_op.create_index(
            "ix_user_account_institution_id", ["institution_id", "full_name", "id"], unique=False
        )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        for column in ("created_at", "action", "actor_id"):
            batch_op.drop_index(f"ix_audit_entry_{column}")
            columns = [column] if column == "created_at" else [column, "created_at"]
            batch_op.create_index(f"ix_audit_entry_{column}", [*columns, "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _create_trigram_indexes()


def _create_trigram_indexes():
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        raise RuntimeError(
            "Revision 0020 needs the PostgreSQL extension pg_trgm, for the search of people by "
            "any part of a name or an e-mail address, and could not create it: "
            f"{error.orig}. Install PostgreSQL's contrib package if it is missing, then run "
            "`CREATE EXTENSION pg_trgm;` in this database as a superuser (or its owner, "
            "PostgreSQL 13 and later), and run `flask --app wsgi db upgrade` again."
        ) from None
    # The operator class lives in the schema the extension was created in, which need not be
    # on this connection's search path.
    schema = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    )
    operator_class = f'"{schema}".gin_trgm_ops'
    for column in TRIGRAM_COLUMNS:
        op.execute(
            f"CREATE INDEX ix_user_account_{column}_trgm ON user_account "
            f"USING gin ({column} {operator_class})"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for column in TRIGRAM_COLUMNS:
            op.drop_index(f"ix_user_account_{column}_trgm", table_name="user_account")
        # The extension stays: something else in the database may use it.
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        for column in ("actor_id", "action", "created_at"):
            batch_op.drop_index(f"ix_audit_entry_{column}")
            batch_op.create_index(f"ix_audit_entry_{column}", [column], unique=False)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index("ix_user_account_institution_id")
        batch_op.create_index(
            "ix_user_account_institution_id", ["institution_id"], unique=False
        )
        batch_op.drop_index("ix_user_account_full_name")
