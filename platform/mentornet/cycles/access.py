"""Who acts on a mentorship and what she may see; the error every cycle step raises.

Coordinators see the pairs of their offices (all of them when not limited); a mentor or
mentee sees her own. Anything else is answered as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from mentornet.cycles.lifecycle import COORDINATOR, MENTEE, MENTOR, Refused
from mentornet.cycles.messages import message
from mentornet.cycles.models import (
    Mentorship,
)
from mentornet.extensions import db
from mentornet.people.models import Participant
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import CycleTemplate

# Codes the API answers with 409 (the state of things forbids it) rather than 422.
CONFLICTS = {
    "illegal_transition",
    "needs_first_meeting",
    "needs_both_yes",
    "needs_agreement",
    "phase_order",
    "closed",
    "no_capacity",
    "conflict",
    "unavailable",
    "excluded",
}
# Codes the programme's plan or billing status refuses with: paying lifts them (402).
PAYMENT_REQUIRED = {"plan_limit", "read_only"}


class CycleError(ValueError):
    """A step the cycle does not allow now; ``code`` names why, ``fields`` where."""

    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}

    @property
    def status(self) -> int:
        if self.code == "not_allowed":
            return 403
        if self.code in PAYMENT_REQUIRED:
            return 402
        return 409 if self.code in CONFLICTS else 422


def refused(exc: Refused, field: str | None = None) -> CycleError:
    text = message(exc.code)
    return CycleError(exc.code, text, {field: text} if field else None)


def invalid(fields: dict[str, str]) -> CycleError:
    return CycleError("invalid", message("invalid"), fields)


@dataclass(frozen=True)
class Actor:
    """Who acts: a coordinator (staff, maybe limited to offices) or one side of a pair."""

    user_id: int | None
    role: str  # lifecycle role: coordinator, mentee or mentor
    participant_id: int | None = None
    offices: tuple[str, ...] = ()


def actor_for(membership: Any) -> Actor | None:
    """The actor a logged-in member is; a participant without a record is nobody here."""
    if membership.is_staff:
        return Actor(membership.user_id, COORDINATOR, None, tuple(membership.offices or ()))
    participant_id = db.session.scalar(
        select(Participant.id).where(
            Participant.user_id == membership.user_id,
            Participant.kind == membership.role,
            Participant.erased_at.is_(None),
        )
    )
    if participant_id is None:
        return None
    return Actor(membership.user_id, membership.role, participant_id)


SYSTEM = Actor(None, COORDINATOR)  # scheduled work and commands


# --- reading ------------------------------------------------------------------------------


def visible(actor: Actor) -> Select[tuple[Mentorship]]:
    """The mentorships an actor may see: her own, or every one of the coordinator's offices."""
    statement = select(Mentorship)
    if actor.role == MENTEE:
        return statement.where(Mentorship.mentee_id == actor.participant_id)
    if actor.role == MENTOR:
        return statement.where(Mentorship.mentor_id == actor.participant_id)
    if actor.offices:
        mentee, mentor = aliased(Participant), aliased(Participant)
        statement = (
            statement.join(mentee, mentee.id == Mentorship.mentee_id)
            .join(mentor, mentor.id == Mentorship.mentor_id)
            .where(or_(mentee.office.in_(actor.offices), mentor.office.in_(actor.offices)))
        )
    return statement


def get_for(actor: Actor, mentorship_id: int) -> Mentorship | None:
    """One mentorship if the actor may see it; None (answered as 404) otherwise."""
    return db.session.scalar(visible(actor).where(Mentorship.id == mentorship_id))


def people_of(mentorship: Mentorship) -> tuple[Participant, Participant]:
    mentee = db.session.get(Participant, mentorship.mentee_id)
    mentor = db.session.get(Participant, mentorship.mentor_id)
    assert mentee is not None and mentor is not None
    return mentee, mentor


def template() -> CycleTemplate:
    return current_tenant.config.cycle


def phase_keys() -> list[str]:
    return [p.key for p in template().phases]
