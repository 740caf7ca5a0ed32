"""authoring: drafts edited in the browser, and the course.yml of versions made there

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import trainer.dbtypes  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=True),
    sa.Column('course_yml', sa.Text(), nullable=False),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['base_version_id'], ['course_version.id'], name=op.f('fk_course_draft_base_version_id_course_version'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_draft_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_course_draft_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_draft')),
    sa.UniqueConstraint('course_id', name=op.f('uq_course_draft_course_id'))
    )
    op.create_table('course_version_source',
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('course_yml', sa.Text(), nullable=False),
    sa.CheckConstraint("origin IN ('web', 'zip')", name=op.f('ck_course_version_source_origin_known')),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_version.id'], name=op.f('fk_course_version_source_course_version_id_course_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_version_id', name=op.f('pk_course_version_source'))
    )
    op.create_table('module_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('file_name', sa.String(length=120), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('updated_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['course_draft.id'], name=op.f('fk_module_draft_draft_id_course_draft'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_draft')),
    sa.UniqueConstraint('draft_id', 'file_name', name=op.f('uq_module_draft_draft_id_file_name')),
    sa.UniqueConstraint('draft_id', 'slug', name=op.f('uq_module_draft_draft_id_slug'))
    )
    with op.batch_alter_table('module_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_draft_draft_id'), ['draft_id'], unique=False)

    op.create_table('draft_asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('size >= 0', name=op.f('ck_draft_asset_size_not_negative')),
    sa.ForeignKeyConstraint(['draft_id'], ['course_draft.id'], name=op.f('fk_draft_asset_draft_id_course_draft'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_draft_asset_stored_file_id_stored_file'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_asset')),
    sa.UniqueConstraint('draft_id', 'name', name=op.f('uq_draft_asset_draft_id_name'))
    )
    with op.batch_alter_table('draft_asset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_asset_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_asset_stored_file_id'), ['stored_file_id'], unique=False)


def downgrade():
    with op.batch_alter_table('draft_asset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_asset_stored_file_id'))
        batch_op.drop_index(batch_op.f('ix_draft_asset_draft_id'))

    op.drop_table('draft_asset')
    with op.batch_alter_table('module_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_draft_draft_id'))

    op.drop_table('module_draft')
    op.drop_table('course_version_source')
    op.drop_table('course_draft')
