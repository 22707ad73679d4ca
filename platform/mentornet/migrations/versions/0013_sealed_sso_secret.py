"""Single sign-on: room for the provider's client secret sealed at rest

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 09:45:00

The secret is now stored encrypted ("fernet:" and a token, accounts/sealed.py), longer
than the secret itself. A secret saved before stays readable as it is and is sealed the
next time an admin saves the provider.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sso_providers', schema=None) as batch_op:
        batch_op.alter_column(
            'client_secret',
            existing_type=sa.String(length=500),
            type_=sa.String(length=1024),
            existing_nullable=False,
        )


def downgrade():
    with op.batch_alter_table('sso_providers', schema=None) as batch_op:
        batch_op.alter_column(
            'client_secret',
            existing_type=sa.String(length=1024),
            type_=sa.String(length=500),
            existing_nullable=False,
        )
