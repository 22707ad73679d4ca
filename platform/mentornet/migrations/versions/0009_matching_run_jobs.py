"""Batch matching runs as background jobs

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 08:00:00

A failed run keeps the class name of its error (never a message), and a tenant has at
most one run waiting or working at a time, which the database enforces with a partial
unique index, so two coordinators pressing "Run" at once start one run, not two.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('queued', 'running')")


def upgrade():
    with op.batch_alter_table('matching_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error', sa.String(length=80), nullable=True))
    op.create_index(
        'uq_matching_runs_active',
        'matching_runs',
        ['tenant_id'],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )


def downgrade():
    op.drop_index('uq_matching_runs_active', table_name='matching_runs')
    with op.batch_alter_table('matching_runs', schema=None) as batch_op:
        batch_op.drop_column('error')
