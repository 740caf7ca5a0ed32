"""drafts keep the e-mails of the people their course.yml names

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 00:50:00

Deciding who may edit a course used to parse its draft's course.yml on every request, for
every visitor. The draft now keeps those people, set when course.yml is saved; existing
drafts get them here, read with the course checker's bounded YAML reader.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("people", sa.JSON(), nullable=False, server_default="[]"))
    _fill_people()


def _fill_people():
    from trainer.courses.coursefile import parse_course_settings

    connection = op.get_bind()
    drafts = sa.table(
        "course_draft",
        sa.column("id", sa.Integer),
        sa.column("course_yml", sa.Text),
        sa.column("people", sa.JSON),
    )
    rows = connection.execute(sa.select(drafts.c.id, drafts.c.course_yml)).all()
    for draft_id, course_yml in rows:
        settings, _ = parse_course_settings(course_yml or "", "course.yml")
        if settings is None:
            continue
        people = sorted({e.lower() for e in (*settings.owners, *settings.co_authors)})
        connection.execute(drafts.update().where(drafts.c.id == draft_id).values(people=people))


def downgrade():
    with op.batch_alter_table("course_draft", schema=None) as batch_op:
        batch_op.drop_column("people")
