"""api tokens: coordinators' keys for the JSON API, stored as SHA-256 hashes; an index for
the reports' reading of quiz attempts

Revision ID: 0015
Revises: 0018
Create Date: 2026-12-01 06:30:00

Only the api_token table (trainer/api/models.py): the token itself is never stored, only
its hash (unique, the look-up key) and its first characters, shown so that its owner can
tell tokens apart.

``ix_quiz_attempt_reports`` holds every column the learning-gain and item-analysis queries
read from quiz_attempt, after the people (user_id) and the family: PostgreSQL answers them
with an index-only scan instead of reading the wide rows (each carries its answers as JSON).
The figures are in docs/performance.md.
"""

import sqlalchemy as sa
from alembic import op

import trainer.dbtypes  # noqa: F401  (custom column types)

revision = "0015"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quiz_attempt_reports",
            [
                "user_id",
                "family",
                "status",
                "module_slug",
                "module_version_id",
                "score_percent",
                "id",
            ],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_attempt_reports")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))
    op.drop_table("api_token")
