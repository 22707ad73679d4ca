"""Every model, imported once so the metadata (and Alembic) sees every table."""

from mentornet.accounts.models import ApiToken, Membership, User
from mentornet.tenancy.models import Tenant

__all__ = ["ApiToken", "Membership", "Tenant", "User"]
