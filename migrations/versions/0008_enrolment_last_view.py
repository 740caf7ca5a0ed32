"""enrolments record the last module viewed; module progress no longer records views

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:40:00

A module view was an INSERT ... ON CONFLICT into module_progress on every page; it is now
at most one UPDATE of the enrolment (trainer.learning.services.record_view). The views
recorded so far move to the enrolment: the modules viewed, the last one and when.
"""

import sqlalchemy as sa
from alembic import op

import trainer.dbtypes  # noqa: F401  (custom column types)

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_module_slug", sa.String(length=80), nullable=True))
        batch_op.add_column(
            sa.Column(
                "last_viewed_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("viewed_modules", sa.JSON(), nullable=True))

    progress = sa.table(
        "module_progress",
        sa.column("user_id"),
        sa.column("family"),
        sa.column("module_slug"),
        sa.column("last_viewed_at"),
    )
    enrolment = sa.table(
        "enrolment",
        sa.column("user_id"),
        sa.column("family"),
        sa.column("last_module_slug"),
        sa.column("last_viewed_at"),
        sa.column("viewed_modules", sa.JSON()),
    )
    bind = op.get_bind()
    views: dict[tuple, list] = {}
    rows = bind.execute(
        sa.select(
            progress.c.user_id,
            progress.c.family,
            progress.c.module_slug,
            progress.c.last_viewed_at,
        )
        .where(progress.c.last_viewed_at.is_not(None))
        .order_by(progress.c.last_viewed_at)
    )
    for user_id, family, slug, viewed_at in rows:
        entry = views.setdefault((user_id, family), [[], None, None])
        entry[0].append(slug)
        entry[1], entry[2] = slug, viewed_at
    for (user_id, family), (slugs, last_slug, last_at) in views.items():
        bind.execute(
            enrolment.update()
            .where(enrolment.c.user_id == user_id, enrolment.c.family == family)
            .values(viewed_modules=slugs, last_module_slug=last_slug, last_viewed_at=last_at)
        )

    with op.batch_alter_table("module_progress", schema=None) as batch_op:
        batch_op.drop_column("first_viewed_at")
        batch_op.drop_column("last_viewed_at")


def downgrade():
    with op.batch_alter_table("module_progress", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "last_viewed_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "first_viewed_at", trainer.dbtypes.UTCDateTime(timezone=True), nullable=True
            )
        )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_column("viewed_modules")
        batch_op.drop_column("last_viewed_at")
        batch_op.drop_column("last_module_slug")
