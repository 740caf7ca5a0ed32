"""programme setting: days without activity before a participant is at risk

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-01 06:30:00

The coordinators' dashboard lists participants with no activity (module view, quiz attempt,
attendance) for this many days as at risk; the notifications' inactivity nudge reads the same
setting. Existing programmes get the default, 14 days.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programme_settings") as batch_op:
        batch_op.add_column(
            sa.Column("inactive_after_days", sa.Integer(), nullable=False, server_default="14")
        )


def downgrade():
    with op.batch_alter_table("programme_settings") as batch_op:
        batch_op.drop_column("inactive_after_days")
