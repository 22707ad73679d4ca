"""Mail: the outbox of messages sent or, without SMTP, shown in the demo

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 08:00:00

"""
import sqlalchemy as sa
from alembic import op

from mentornet.tenancy import rls

TENANT_TABLES = ('outbox_messages',)

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_outbox_messages_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('tenant_id', 'id', name='uq_outbox_messages_tenant_id_id'),
    sa.UniqueConstraint('tenant_id', 'key', name='uq_outbox_messages_tenant_id_key')
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_tenant_created', ['tenant_id', 'created_at'], unique=False)

    rls.enable(*TENANT_TABLES)


def downgrade():
    rls.disable(*TENANT_TABLES)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_tenant_created')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_tenant_id'))

    op.drop_table('outbox_messages')
