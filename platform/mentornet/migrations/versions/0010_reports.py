"""Reports: indexes for the dashboard aggregates

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 08:00:00

The reports count a period's sign-ups, closings and meetings. Without these indexes each
of those queries reads every row of the tenant (and checks row-level security on each);
the meetings index carries the columns the monthly figures need, so PostgreSQL answers
from the index alone. Measured in benchmarks/README.md ("Reports").
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_participants_tenant_kind_created_at',
        'participants',
        ['tenant_id', 'kind', 'created_at'],
    )
    op.create_index('ix_mentorships_tenant_closed_at', 'mentorships', ['tenant_id', 'closed_at'])
    op.create_index(
        'ix_meetings_tenant_held_on',
        'meetings',
        ['tenant_id', 'held_on'],
        postgresql_include=['mentorship_id', 'kind', 'minutes'],
    )


def downgrade():
    op.drop_index('ix_meetings_tenant_held_on', table_name='meetings')
    op.drop_index('ix_mentorships_tenant_closed_at', table_name='mentorships')
    op.drop_index('ix_participants_tenant_kind_created_at', table_name='participants')
