"""Every model, imported once so the metadata (and Alembic) sees every table."""

from mentornet.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    SsoIdentity,
    SsoProvider,
    User,
)
from mentornet.billing.models import BillingAccount, StripeEvent
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
from mentornet.jobs.models import JobReceipt, PendingJob
from mentornet.mail.models import OutboxMessage
from mentornet.matching.models import MatchExclusion, MatchingRun, MatchLock, MatchProposal
from mentornet.onboarding.models import StartAttempt
from mentornet.people.models import Consent, Interview, Participant, SignupAttempt
from mentornet.reports.models import PairMonth
from mentornet.tenancy.models import SettingsChange, Tenant

__all__ = [
    "Agreement",
    "ApiToken",
    "BillingAccount",
    "Consent",
    "FollowUp",
    "Goal",
    "Interview",
    "Invitation",
    "JobReceipt",
    "MatchExclusion",
    "MatchLock",
    "MatchProposal",
    "MatchingRun",
    "Meeting",
    "Membership",
    "Mentorship",
    "MentorshipTransition",
    "OutboxMessage",
    "Outcome",
    "PairMonth",
    "Participant",
    "PendingJob",
    "Response",
    "SettingsChange",
    "SignupAttempt",
    "SsoIdentity",
    "SsoProvider",
    "StartAttempt",
    "StripeEvent",
    "Tenant",
    "User",
]
