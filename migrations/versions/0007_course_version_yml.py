"""course versions keep their course.yml as written

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 11:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("course_yml", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("course_version", schema=None) as batch_op:
        batch_op.drop_column("course_yml")
