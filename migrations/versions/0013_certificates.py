"""certificates: completion and attendance certificates with their frozen snapshot

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 02:37:24.359228

Only the certificate table (trainer/certificates/models.py). Uniqueness is the database's:
one completion certificate per enrolment (unique enrolment_id), one attendance certificate
per participant and cohort (unique user_id, cohort_id; NULL cohorts never collide), unique
codes. The logo a certificate shows is kept (RESTRICT) while a certificate points at it.
"""
import sqlalchemy as sa
from alembic import op

import trainer.dbtypes  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('institution_name', sa.String(length=200), nullable=False),
    sa.Column('course_title', sa.String(length=300), nullable=False),
    sa.Column('certificate_title', sa.String(length=300), nullable=False),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('programme_name', sa.String(length=200), nullable=False),
    sa.Column('signatories', sa.JSON(), nullable=False),
    sa.Column('logo_file_id', sa.Integer(), nullable=True),
    sa.Column('logo_sha256', sa.String(length=64), nullable=True),
    sa.Column('issued_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('reissued_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("(kind = 'completion' AND enrolment_id IS NOT NULL AND cohort_id IS NULL) OR (kind = 'attendance' AND cohort_id IS NOT NULL AND enrolment_id IS NULL)", name=op.f('ck_certificate_kind_names_its_source')),
    sa.CheckConstraint("kind IN ('completion', 'attendance')", name=op.f('ck_certificate_kind_known')),
    sa.CheckConstraint("revoked_at IS NULL OR revoked_reason <> ''", name=op.f('ck_certificate_revocation_has_reason')),
    sa.CheckConstraint('expires_on IS NULL OR expires_on >= issued_on', name=op.f('ck_certificate_expires_after')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_certificate_cohort_id_cohort'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_certificate_course_id_course'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_certificate_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_certificate_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['logo_file_id'], ['stored_file.id'], name=op.f('fk_certificate_logo_file_id_stored_file'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_certificate_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code')),
    sa.UniqueConstraint('enrolment_id', name=op.f('uq_certificate_enrolment_id')),
    sa.UniqueConstraint('user_id', 'cohort_id', name=op.f('uq_certificate_user_id_cohort_id'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_family'), ['family'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_logo_file_id'), ['logo_file_id'], unique=False)



def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_logo_file_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_family'))
        batch_op.drop_index(batch_op.f('ix_certificate_course_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_cohort_id'))

    op.drop_table('certificate')
