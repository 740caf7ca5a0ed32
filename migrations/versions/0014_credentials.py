"""credentials: signed Open Badges 3.0 credentials and their revocation status lists

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 06:09:49.137242

The credential table (one row per signature: a reissue adds a row and revokes the old one)
and credential_status_list (each Bitstring Status List, with its signed credential). Each
credential's place in a list is unique, (status_list_id, status_index), so two transactions
never share a bit. Nothing to fill in: ``flask credentials sign`` signs existing
certificates once a key is configured.
"""
import sqlalchemy as sa
from alembic import op

import trainer.dbtypes  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('credential_status_list',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('jwt', sa.Text(), nullable=False),
    sa.Column('signed_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("purpose = 'revocation'", name=op.f('ck_credential_status_list_purpose_known')),
    sa.CheckConstraint('size >= 131072', name=op.f('ck_credential_status_list_size_at_least_minimum')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credential_status_list'))
    )
    op.create_table('credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('status_list_id', sa.Integer(), nullable=False),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('jwt', sa.Text(), nullable=False),
    sa.Column('kid', sa.String(length=300), nullable=False),
    sa.Column('signed_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.String(length=12), nullable=True),
    sa.CheckConstraint("revoked_at IS NULL OR revoked_reason IN ('revoked', 'reissued')", name=op.f('ck_credential_revocation_reason_known')),
    sa.CheckConstraint('status_index >= 0', name=op.f('ck_credential_status_index_not_negative')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_credential_certificate_id_certificate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_list_id'], ['credential_status_list.id'], name=op.f('fk_credential_status_list_id_credential_status_list'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credential')),
    sa.UniqueConstraint('status_list_id', 'status_index', name=op.f('uq_credential_status_list_id_status_index')),
    sa.UniqueConstraint('uuid', name=op.f('uq_credential_uuid'))
    )
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credential_certificate_id'), ['certificate_id'], unique=False)



def downgrade():
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credential_certificate_id'))

    op.drop_table('credential')
    op.drop_table('credential_status_list')
