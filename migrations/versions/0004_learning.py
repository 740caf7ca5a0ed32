"""learning: enrolments, module progress, quiz attempts, anonymous survey responses

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:15:28.145400

Only the learning tables (trainer/learning/models.py). Progress and attempts are keyed by
course family and module slug, so they carry no foreign key to a module version except the
quiz definition an attempt was taken on.
"""
import sqlalchemy as sa
from alembic import op

import trainer.dbtypes  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enrolment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('enrolled_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('active', 'withdrawn')", name=op.f('ck_enrolment_status_known')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_enrolment_course_id_course'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_enrolment_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
    sa.UniqueConstraint('user_id', 'family', name=op.f('uq_enrolment_user_id_family'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_family'), ['family'], unique=False)

    op.create_table('module_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('module_slug', sa.String(length=80), nullable=False),
    sa.Column('first_viewed_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_viewed_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('quiz_passed_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_module_progress_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_progress')),
    sa.UniqueConstraint('user_id', 'family', 'module_slug', name=op.f('uq_module_progress_user_id_family_module_slug'))
    )
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_progress_family'), ['family'], unique=False)

    op.create_table('quiz_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('module_slug', sa.String(length=80), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('question_order', sa.JSON(), nullable=False),
    sa.Column('started_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('answers', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('results', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('score_percent', sa.Float(), nullable=True),
    sa.Column('is_passed', sa.Boolean(), nullable=True),
    sa.Column('draft_answers', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('draft_saved_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('in_progress', 'submitted', 'expired')", name=op.f('ck_quiz_attempt_status_known')),
    sa.CheckConstraint('number > 0', name=op.f('ck_quiz_attempt_number_positive')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_quiz_attempt_course_id_course'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['module_version_id'], ['module_version.id'], name=op.f('fk_quiz_attempt_module_version_id_module_version'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_quiz_attempt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempt')),
    sa.UniqueConstraint('user_id', 'family', 'module_slug', 'number', name=op.f('uq_quiz_attempt_user_id_family_module_slug_number'))
    )
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempt_family_module_slug', ['family', 'module_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_attempt_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_attempt_module_version_id'), ['module_version_id'], unique=False)

    # Anonymous survey answers: deliberately no user, no attempt, no time of day.
    op.create_table('survey_response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('module_slug', sa.String(length=80), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_version_id', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_survey_response_course_id_course'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['module_version_id'], ['module_version.id'], name=op.f('fk_survey_response_module_version_id_module_version'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_family'), ['family'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_module_version_id'), ['module_version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_module_version_id'))
        batch_op.drop_index(batch_op.f('ix_survey_response_family'))
        batch_op.drop_index(batch_op.f('ix_survey_response_course_id'))

    op.drop_table('survey_response')
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_attempt_module_version_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_attempt_course_id'))
        batch_op.drop_index('ix_quiz_attempt_family_module_slug')

    op.drop_table('quiz_attempt')
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_progress_family'))

    op.drop_table('module_progress')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_family'))
        batch_op.drop_index(batch_op.f('ix_enrolment_course_id'))

    op.drop_table('enrolment')
