"""accounts, institutions, files

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 09:58:49.682815

"""
import sqlalchemy as sa
from alembic import op

import trainer.dbtypes


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('institution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('ministry', 'municipality', 'agency', 'ngo', 'other')", name=op.f('ck_institution_kind_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution')),
    sa.UniqueConstraint('slug', name=op.f('uq_institution_slug'))
    )
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_failure_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size >= 0', name=op.f('ck_stored_file_size_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_sha256'), ['sha256'], unique=False)

    op.create_table('programme_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_name', sa.String(length=200), nullable=False),
    sa.Column('default_timezone', sa.String(length=64), nullable=False),
    sa.Column('logo_file_id', sa.Integer(), nullable=True),
    sa.Column('signatories', sa.JSON(), nullable=False),
    sa.Column('updated_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['logo_file_id'], ['stored_file.id'], name=op.f('fk_programme_settings_logo_file_id_stored_file'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_settings'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('is_programme_wide', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('participant', 'trainer', 'coordinator', 'admin')", name=op.f('ck_user_account_role_known')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_user_account_email_lowercase')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_user_account_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_institution_id'), ['institution_id'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_entry_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_audit_entry_institution_id_institution'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_institution_id'), ['institution_id'], unique=False)

    op.create_table('password_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_password_token_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_password_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_token_token_hash'))
    )
    with op.batch_alter_table('password_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_token_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('password_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_token_user_id'))

    op.drop_table('password_token')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_institution_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))

    op.drop_table('audit_entry')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_institution_id'))

    op.drop_table('user_account')
    op.drop_table('programme_settings')
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_sha256'))

    op.drop_table('stored_file')
    op.drop_table('login_throttle')
    op.drop_table('institution')
