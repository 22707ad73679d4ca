"""Every model, imported once so the metadata (and Alembic) sees every table."""

from mentornet.accounts.models import ApiToken, Invitation, Membership, User
from mentornet.cycles.models import (
    Agreement,
    FollowUp,
    Goal,
    Meeting,
    Mentorship,
    MentorshipTransition,
    Outcome,
    Response,
)
from mentornet.matching.models import MatchExclusion, MatchingRun, MatchLock, MatchProposal
from mentornet.people.models import Consent, Interview, Participant, SignupAttempt
from mentornet.tenancy.models import Tenant

__all__ = [
    "Agreement",
    "ApiToken",
    "Consent",
    "FollowUp",
    "Goal",
    "Interview",
    "Invitation",
    "MatchExclusion",
    "MatchLock",
    "MatchProposal",
    "MatchingRun",
    "Meeting",
    "Membership",
    "Mentorship",
    "MentorshipTransition",
    "Outcome",
    "Participant",
    "Response",
    "SignupAttempt",
    "Tenant",
    "User",
]
