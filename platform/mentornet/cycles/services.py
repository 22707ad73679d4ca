"""Proposing a mentorship and declining one: the first steps of the cycle.

The full lifecycle (first meeting, agreement, phases, closing) builds on these.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from mentornet.cycles.models import OPEN_STATES, Mentorship, MentorshipTransition
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.matching.models import MatchExclusion, MatchLock
from mentornet.people.models import Participant


class CycleError(ValueError):
    """A step the cycle does not allow now; ``code`` names why, for the API."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def open_mentorships(mentor_ids: list[int] | None = None) -> dict[int, int]:
    """How many places each mentor has taken (open mentorships), by mentor id."""
    statement = select(Mentorship.mentor_id, func.count()).where(Mentorship.state.in_(OPEN_STATES))
    if mentor_ids is not None:
        statement = statement.where(Mentorship.mentor_id.in_(mentor_ids))
    return dict(db.session.execute(statement.group_by(Mentorship.mentor_id)).all())


def mentor_is_available(mentor: Participant, today: date | None = None) -> bool:
    today = today or date.today()
    return (
        mentor.kind == "mentor"
        and mentor.erased_at is None
        and mentor.status in ("ready", "matched")
        and (mentor.paused_until is None or mentor.paused_until <= today)
    )


def has_open_mentorship(mentee_id: int) -> bool:
    return (
        db.session.scalar(
            select(Mentorship.id).where(
                Mentorship.mentee_id == mentee_id, Mentorship.state.in_(OPEN_STATES)
            )
        )
        is not None
    )


def _record(
    mentorship: Mentorship, to_state: str, by_user_id: int | None, reason: str = ""
) -> None:
    mentorship.transitions.append(
        MentorshipTransition(
            from_state=mentorship.state if mentorship.id else None,
            to_state=to_state,
            by_user_id=by_user_id,
            reason=reason,
        )
    )
    mentorship.state = to_state
    mentorship.state_changed_at = utcnow()


def _refresh_mentor_status(mentor: Participant) -> None:
    taken = open_mentorships([mentor.id]).get(mentor.id, 0)
    if mentor.status in ("ready", "matched"):
        mentor.status = "matched" if taken else "ready"


def propose(
    mentee: Participant,
    mentor: Participant,
    *,
    by_user_id: int | None,
    score: float | None = None,
    explanation: list[dict[str, Any]] | None = None,
) -> Mentorship:
    """A proposed mentorship; both sides see it on their own page.

    The mentor's row is locked first (SELECT ... FOR UPDATE on PostgreSQL), so two
    coordinators cannot both take her last free place.
    """
    if mentee.kind != "mentee" or mentor.kind != "mentor":
        raise CycleError("invalid", _("A mentorship needs a mentee and a mentor."))
    locked = db.session.scalar(
        select(Participant).where(Participant.id == mentor.id).with_for_update()
    )
    if locked is None or not mentor_is_available(locked):
        raise CycleError("unavailable", _("This mentor is not available for a new mentee."))
    excluded = db.session.scalar(
        select(MatchExclusion.id).where(
            MatchExclusion.mentee_id == mentee.id, MatchExclusion.mentor_id == mentor.id
        )
    )
    if excluded is not None:
        raise CycleError("excluded", _("This mentor is excluded for this mentee."))
    if has_open_mentorship(mentee.id):
        raise CycleError("conflict", _("She already has a mentorship in progress."))
    taken = open_mentorships([mentor.id]).get(mentor.id, 0)
    if taken >= locked.capacity:
        raise CycleError("no_capacity", _("This mentor has no free place."))
    mentorship = Mentorship(
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        score=score,
        explanation=explanation or [],
        proposed_by=by_user_id,
    )
    _record(mentorship, "proposed", by_user_id)
    db.session.add(mentorship)
    mentee.status = "matched"
    db.session.flush()
    _refresh_mentor_status(locked)
    _drop_lock(mentee.id)  # the decision is made: the lock has done its work
    db.session.flush()
    return mentorship


def _drop_lock(mentee_id: int) -> None:
    lock = db.session.scalar(select(MatchLock).where(MatchLock.mentee_id == mentee_id))
    if lock is not None:
        db.session.delete(lock)


def decline(mentorship: Mentorship, *, by_user_id: int | None, reason: str) -> None:
    """Either side says no: the pair is excluded from now on, she goes back to the pool."""
    if mentorship.state not in ("proposed", "introduced"):
        raise CycleError(
            "illegal_transition", _("Only a proposed or introduced mentorship can be declined.")
        )
    if not reason.strip():
        raise CycleError("invalid", _("Say why it was declined."))
    _record(mentorship, "declined", by_user_id, reason.strip())
    exists = db.session.scalar(
        select(MatchExclusion.id).where(
            MatchExclusion.mentee_id == mentorship.mentee_id,
            MatchExclusion.mentor_id == mentorship.mentor_id,
        )
    )
    if exists is None:
        db.session.add(
            MatchExclusion(
                mentee_id=mentorship.mentee_id,
                mentor_id=mentorship.mentor_id,
                reason="declined",
                created_by=by_user_id,
            )
        )
    db.session.flush()
    mentee = db.session.get(Participant, mentorship.mentee_id)
    mentor = db.session.get(Participant, mentorship.mentor_id)
    if mentee is not None and mentee.status == "matched" and not has_open_mentorship(mentee.id):
        mentee.status = "ready"  # back in the pool; her waiting time keeps counting
        if mentee.ready_since is None:
            mentee.ready_since = utcnow()
    if mentor is not None:
        _refresh_mentor_status(mentor)
    db.session.flush()
