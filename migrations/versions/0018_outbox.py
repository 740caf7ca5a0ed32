"""outbox: every mail as a row written with the change that causes it; mail preferences

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-01 07:10:00

One mail per (kind, person, subject, period): the unique constraint is what makes a
re-judged completion, a retried task or a second sweeper send nothing twice. The
notification_preference row of a person holds the optional mails they turned off.
"""
import sqlalchemy as sa
from alembic import op

import trainer.dbtypes  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subject_key', sa.String(length=80), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('preview', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'held', 'skipped')", name=op.f('ck_outbox_status_known')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_outbox_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('kind', 'user_id', 'subject_key', 'period', name=op.f('uq_outbox_kind_user_id_subject_key_period'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_user_id'), ['user_id'], unique=False)

    op.create_table('notification_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reminders', sa.Boolean(), nullable=False),
    sa.Column('digests', sa.Boolean(), nullable=False),
    sa.Column('updated_at', trainer.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_preference_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preference'))
    )


def downgrade():
    op.drop_table('notification_preference')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_user_id'))
        batch_op.drop_index('ix_outbox_status_next_attempt_at')

    op.drop_table('outbox')
