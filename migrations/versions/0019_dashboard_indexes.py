"""dashboard indexes: the facts the coordinators' dashboard reads per person, from indexes
alone

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-01 11:30:00

The dashboard (``trainer.reports.facts``) reads, for each person in the report's scope,
their module progress, their quiz attempts and their attendance marks. Each index below
starts with the person (user_id) and holds every column read after it, so once the
people of a report are a small part of the programme PostgreSQL reads their rows with an
index-only scan per person instead of the tables' rows:

- ``ix_module_progress_reports``: slug, completion and pass times per person and family;
- ``ix_quiz_attempt_reports`` gains ``started_at`` (when each person was last active),
  after the columns learning gain and item analysis read, which it still serves;
- ``ix_attendance_record_user_id`` becomes (user_id, session_id, status), serving what the
  single-column index served.
"""

from alembic import op

revision = "0019"
down_revision = "0015"
branch_labels = None
depends_on = None

ATTEMPT_COLUMNS = [
    "user_id",
    "family",
    "status",
    "module_slug",
    "module_version_id",
    "score_percent",
    "id",
]


def upgrade():
    with op.batch_alter_table("module_progress", schema=None) as batch_op:
        batch_op.create_index(
            "ix_module_progress_reports",
            ["user_id", "family", "module_slug", "completed_at", "quiz_passed_at"],
            unique=False,
        )
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_attempt_reports")
        batch_op.create_index(
            "ix_quiz_attempt_reports", [*ATTEMPT_COLUMNS, "started_at"], unique=False
        )
    with op.batch_alter_table("attendance_record", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_record_user_id")
        batch_op.create_index(
            "ix_attendance_record_user_id", ["user_id", "session_id", "status"], unique=False
        )


def downgrade():
    with op.batch_alter_table("attendance_record", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_record_user_id")
        batch_op.create_index("ix_attendance_record_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_attempt_reports")
        batch_op.create_index("ix_quiz_attempt_reports", ATTEMPT_COLUMNS, unique=False)
    with op.batch_alter_table("module_progress", schema=None) as batch_op:
        batch_op.drop_index("ix_module_progress_reports")
