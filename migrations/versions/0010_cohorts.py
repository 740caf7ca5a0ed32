"""cohorts: cohorts, their institutions, trainers and members, training sessions, attendance

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 01:10:11.842253

Only the cohort tables (trainer/cohorts/models.py). A member carries its cohort's family
under a composite foreign key, so that a partial unique index (left_at IS NULL, on SQLite
and PostgreSQL) keeps a participant in at most one active cohort per course family.
"""
import sqlalchemy as sa
from alembic import op

import trainer.dbtypes  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('is_open_to_all', sa.Boolean(), nullable=False),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name=op.f('ck_cohort_closed_has_date')),
    sa.CheckConstraint("state IN ('planned', 'running', 'closed')", name=op.f('ck_cohort_state_known')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_cohort_ends_after_start')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_cohort_course_id_course'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_cohort_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort')),
    sa.UniqueConstraint('id', 'family', name=op.f('uq_cohort_id_family'))
    )
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_family'), ['family'], unique=False)

    op.create_table('cohort_institution',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_cohort_institution_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_cohort_institution_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'institution_id', name=op.f('pk_cohort_institution'))
    )
    with op.batch_alter_table('cohort_institution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_institution_institution_id'), ['institution_id'], unique=False)

    op.create_table('cohort_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('left_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('left_at IS NULL OR left_at >= joined_at', name=op.f('ck_cohort_member_leaves_after_joining')),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_cohort_member_added_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id', 'family'], ['cohort.id', 'cohort.family'], name='fk_cohort_member_cohort_id_cohort', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_cohort_member_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_member'))
    )
    with op.batch_alter_table('cohort_member', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_member_cohort_id', ['cohort_id'], unique=False)
        batch_op.create_index('ix_cohort_member_one_active_per_family', ['user_id', 'family'], unique=True, sqlite_where=sa.text('left_at IS NULL'), postgresql_where=sa.text('left_at IS NULL'))

    op.create_table('cohort_trainer',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_cohort_trainer_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_cohort_trainer_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id', name=op.f('pk_cohort_trainer'))
    )
    with op.batch_alter_table('cohort_trainer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_trainer_user_id'), ['user_id'], unique=False)

    op.create_table('training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('cancelled_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_training_session_ends_after_start')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_training_session_cohort_id_cohort'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_session'))
    )
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('attendance_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('roster', 'qr', 'sheet')", name=op.f('ck_attendance_record_method_known')),
    sa.CheckConstraint("status IN ('present', 'late', 'excused', 'absent')", name=op.f('ck_attendance_record_status_known')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_attendance_record_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_attendance_record_session_id_training_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_attendance_record_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_record')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_attendance_record_session_id_user_id'))
    )
    with op.batch_alter_table('attendance_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_record_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attendance_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_record_user_id'))

    op.drop_table('attendance_record')
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_session_cohort_id'))

    op.drop_table('training_session')
    with op.batch_alter_table('cohort_trainer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_trainer_user_id'))

    op.drop_table('cohort_trainer')
    with op.batch_alter_table('cohort_member', schema=None) as batch_op:
        batch_op.drop_index('ix_cohort_member_one_active_per_family', sqlite_where=sa.text('left_at IS NULL'), postgresql_where=sa.text('left_at IS NULL'))
        batch_op.drop_index('ix_cohort_member_cohort_id')

    op.drop_table('cohort_member')
    with op.batch_alter_table('cohort_institution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_institution_institution_id'))

    op.drop_table('cohort_institution')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_family'))
        batch_op.drop_index(batch_op.f('ix_cohort_course_id'))

    op.drop_table('cohort')
