"""Every model, imported once so the metadata (and Alembic) sees every table."""

from mentornet.accounts.models import ApiToken, Invitation, Membership, User
from mentornet.people.models import Consent, Interview, Participant, SignupAttempt
from mentornet.tenancy.models import Tenant

__all__ = [
    "ApiToken",
    "Consent",
    "Interview",
    "Invitation",
    "Membership",
    "Participant",
    "SignupAttempt",
    "Tenant",
    "User",
]
