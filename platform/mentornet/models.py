"""Every model, imported once so the metadata (and Alembic) sees every table."""

from mentornet.accounts.models import ApiToken, Invitation, Membership, User
from mentornet.cycles.models import Mentorship, MentorshipTransition
from mentornet.matching.models import MatchExclusion, MatchingRun, MatchLock, MatchProposal
from mentornet.people.models import Consent, Interview, Participant, SignupAttempt
from mentornet.tenancy.models import Tenant

__all__ = [
    "ApiToken",
    "Consent",
    "Interview",
    "Invitation",
    "MatchExclusion",
    "MatchLock",
    "MatchProposal",
    "MatchingRun",
    "Membership",
    "Mentorship",
    "MentorshipTransition",
    "Participant",
    "SignupAttempt",
    "Tenant",
    "User",
]
