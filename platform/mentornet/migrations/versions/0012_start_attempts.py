"""Onboarding: a limit on how many programmes one address may start in an hour

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 09:30:00

A platform table (no tenant exists before the sign-up), holding a keyed hash of the
address and a time only: no row-level security.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'start_attempts',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_start_attempts')),
    )
    op.create_index(
        'ix_start_attempts_lookup', 'start_attempts', ['address_hash', 'created_at'], unique=False
    )


def downgrade():
    op.drop_index('ix_start_attempts_lookup', table_name='start_attempts')
    op.drop_table('start_attempts')
