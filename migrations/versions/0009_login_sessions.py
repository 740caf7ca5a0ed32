"""log-ins recorded per device; the session version goes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 00:30:00

"""

import sqlalchemy as sa
from alembic import op

import trainer.dbtypes

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("device", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_login_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_session_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_login_session_expires_at"), ["expires_at"], unique=False
        )
    # Log-in rows end sessions one by one; the version that ended them all at once goes.
    # A plain DROP COLUMN (SQLite 3.35 and later): batch mode would copy user_account and
    # drop the original, and on SQLite that would cascade to the tables that refer to it.
    op.drop_column("user_account", "session_version")


def downgrade():
    op.add_column(
        "user_account",
        sa.Column("session_version", sa.Integer(), nullable=False, server_default="1"),
    )
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_session_expires_at"))
        batch_op.drop_index(batch_op.f("ix_login_session_user_id"))
    op.drop_table("login_session")
