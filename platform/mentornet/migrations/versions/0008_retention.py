"""Retention: anonymising participants after the tenant's retention period

Two coarse stand-ins on participants, filled only when retention anonymises her, so the
reports can still group former participants without anything that identifies a person:
the ISCO-08 major group of her profession (one digit) and a ten-year age band.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profession_group', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('age_band', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('age_band')
        batch_op.drop_column('profession_group')
