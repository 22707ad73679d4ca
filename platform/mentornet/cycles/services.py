"""Loading and storing a mentorship's cycle; the rules come from the core modules.

Every step takes an :class:`Actor` (who acts, in which role, for which side), gathers the
facts about the pair, asks ``lifecycle`` whether the step is allowed, and only then
writes. A refused step raises :class:`CycleError` and has written nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select

from mentornet.billing.entitlements import check_can_propose
from mentornet.cycles import lifecycle
from mentornet.cycles.access import (
    Actor,
    CycleError,
    invalid,
    people_of,
    phase_keys,
    refused,
    template,
)
from mentornet.cycles.lifecycle import OPEN_STATES, Refused
from mentornet.cycles.messages import message
from mentornet.cycles.models import (
    Agreement,
    FollowUp,
    Goal,
    Mentorship,
    MentorshipTransition,
    Outcome,
    Response,
)
from mentornet.cycles.outcomes import Outcome as OutcomeFacts
from mentornet.cycles.outcomes import problems
from mentornet.cycles.schedule import follow_ups as follow_up_dates
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.jobs import enqueue_after_commit
from mentornet.matching.models import MatchExclusion, MatchLock
from mentornet.people.models import Participant
from mentornet.tenancy.models import Tenant


def facts(mentorship: Mentorship) -> set[str]:
    held: set[str] = set()
    if mentorship.first_meeting_on is not None:
        held.add(lifecycle.FIRST_MEETING)
    answers = [lifecycle.Answer(r.side, r.stage, r.answer) for r in mentorship.responses]
    if lifecycle.both_said_yes(answers):
        held.add(lifecycle.BOTH_SAID_YES)
    agreement = mentorship.agreement
    if agreement and agreement.mentee_accepted_at and agreement.mentor_accepted_at:
        held.add(lifecycle.AGREEMENT_ACCEPTED)
    return held


def _check(mentorship: Mentorship, to_state: str, actor: Actor, extra: Iterable[str] = ()) -> None:
    try:
        lifecycle.check(mentorship.state, to_state, actor.role, facts(mentorship) | set(extra))
    except Refused as exc:
        raise refused(exc) from None


def answers(mentorship: Mentorship) -> dict[tuple[str, str], Response]:
    return {(r.side, r.stage): r for r in mentorship.responses}


# --- capacity and proposing -------------------------------------------------------------


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
    mentorship: Mentorship,
    to_state: str,
    by_user_id: int | None,
    reason: str = "",
    *,
    reason_code: str | None = None,
    phase: str | None = None,
) -> None:
    mentorship.transitions.append(
        MentorshipTransition(
            from_state=mentorship.state if mentorship.id else None,
            to_state=to_state,
            by_user_id=by_user_id,
            reason=reason,
            reason_code=reason_code,
            phase=phase,
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
    coordinators cannot both take her last free place. The programme's plan may refuse
    first (``plan_limit``, ``read_only``): see billing/entitlements.py.
    """
    if mentee.kind != "mentee" or mentor.kind != "mentor":
        raise CycleError("invalid", message("needs_pair"))
    tenant = db.session.get(Tenant, mentee.tenant_id)
    assert tenant is not None
    check_can_propose(tenant)
    locked = db.session.scalar(
        select(Participant).where(Participant.id == mentor.id).with_for_update()
    )
    if locked is None or not mentor_is_available(locked):
        raise CycleError("unavailable", message("unavailable"))
    if _excluded(mentee.id, mentor.id):
        raise CycleError("excluded", message("excluded"))
    if has_open_mentorship(mentee.id):
        raise CycleError("conflict", message("conflict"))
    taken = open_mentorships([mentor.id]).get(mentor.id, 0)
    if taken >= locked.capacity:
        raise CycleError("no_capacity", message("no_capacity"))
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
    lock = db.session.scalar(select(MatchLock).where(MatchLock.mentee_id == mentee.id))
    if lock is not None:
        db.session.delete(lock)  # the decision is made: the lock has done its work
    db.session.flush()
    enqueue_after_commit("mail.proposal", mentorship.tenant_id, mentorship.id)
    return mentorship


def _excluded(mentee_id: int, mentor_id: int) -> bool:
    return (
        db.session.scalar(
            select(MatchExclusion.id).where(
                MatchExclusion.mentee_id == mentee_id, MatchExclusion.mentor_id == mentor_id
            )
        )
        is not None
    )


def _exclude(mentorship: Mentorship, reason: str, by_user_id: int | None) -> None:
    if not _excluded(mentorship.mentee_id, mentorship.mentor_id):
        db.session.add(
            MatchExclusion(
                mentee_id=mentorship.mentee_id,
                mentor_id=mentorship.mentor_id,
                reason=reason,
                created_by=by_user_id,
            )
        )


def _back_to_pool(mentorship: Mentorship) -> None:
    """She waits for another mentor; her waiting time keeps counting from before."""
    db.session.flush()
    mentee, mentor = people_of(mentorship)
    if mentee.status == "matched" and not has_open_mentorship(mentee.id):
        mentee.status = "ready"
        if mentee.ready_since is None:
            mentee.ready_since = utcnow()
    _refresh_mentor_status(mentor)
    db.session.flush()


# --- the two yeses and the first meeting -------------------------------------------------


def _reason(codes: tuple[str, ...], code: str | None, text: str) -> tuple[str, str]:
    code = (code or "").strip()
    text = (text or "").strip()
    if code not in codes:
        raise invalid({"reason_code": message("choose_reason")})
    if code == "other" and not text:
        raise invalid({"reason": message("say_why")})
    return code, text


def decline(
    mentorship: Mentorship, actor: Actor, *, reason_code: str | None, reason: str = ""
) -> None:
    """Either side says no: the pair is excluded from now on, she goes back to the pool."""
    _check(mentorship, "declined", actor, [lifecycle.REASON])
    code, text = _reason(lifecycle.DECLINE_REASONS, reason_code, reason)
    _record(mentorship, "declined", actor.user_id, text, reason_code=code)
    mentorship.closed_at = utcnow()
    _exclude(mentorship, "declined", actor.user_id)
    _back_to_pool(mentorship)
    # A no keeps no answer row: response id 0 tells the mail task the pair was declined.
    enqueue_after_commit("mail.answer_received", mentorship.tenant_id, mentorship.id, 0)


def _side(actor: Actor, side: str | None) -> str:
    """A participant answers for herself; a coordinator records an answer for one side."""
    if actor.role in lifecycle.SIDES:
        if side not in (None, actor.role):
            raise CycleError("not_allowed", message("not_allowed"))
        return actor.role
    if side not in lifecycle.SIDES:
        raise invalid({"side": message("choose_side")})
    return side


def respond(
    mentorship: Mentorship,
    actor: Actor,
    *,
    answer: str,
    side: str | None = None,
    reason_code: str | None = None,
    reason: str = "",
) -> Response | None:
    """One side's yes or no. A no declines the pair; the second yes after the first
    meeting makes it ``agreed`` and drafts the agreement from the tenant's template."""
    who = _side(actor, side)
    if mentorship.state not in ("proposed", "introduced"):
        raise CycleError("illegal_transition", message("answers_closed"))
    if answer not in lifecycle.ANSWERS:
        raise invalid({"answer": message("choose_answer")})
    if answer == "no":
        decline(mentorship, actor, reason_code=reason_code, reason=reason)
        return None
    stage = mentorship.state
    response = answers(mentorship).get((who, stage))
    if response is None:
        response = Response(side=who, stage=stage, answer="yes")
        mentorship.responses.append(response)
    response.answer, response.by_user_id, response.at = "yes", actor.user_id, utcnow()
    db.session.flush()
    if lifecycle.BOTH_SAID_YES in facts(mentorship):
        _agree(mentorship, actor)
    enqueue_after_commit("mail.answer_received", mentorship.tenant_id, mentorship.id, response.id)
    return response


def record_first_meeting(
    mentorship: Mentorship, actor: Actor, *, on: date | None, led_by: str | None
) -> None:
    """The first meeting took place (led by her alone, or facilitated by the coordinator)."""
    _check(mentorship, "introduced", actor, [lifecycle.FIRST_MEETING])
    errors: dict[str, str] = {}
    if on is None:
        errors["first_meeting_on"] = message("date_required")
    elif on > date.today():
        errors["first_meeting_on"] = message("date_future")
    elif on < mentorship.created_at.date():
        errors["first_meeting_on"] = message("date_before_proposal")
    try:
        lifecycle.check_first_meeting(template().first_meeting, led_by or "")
    except Refused as exc:
        errors["led_by"] = message(exc.code)
    if errors:
        raise invalid(errors)
    mentorship.first_meeting_on = on
    mentorship.first_meeting_led_by = led_by
    _record(mentorship, "introduced", actor.user_id)
    db.session.flush()


# --- the agreement and the start --------------------------------------------------------


def _agree(mentorship: Mentorship, actor: Actor) -> None:
    _check(mentorship, "agreed", actor)
    cycle = template()
    mentee, _mentor = people_of(mentorship)
    mentorship.agreement = Agreement(
        minimum_kind=cycle.agreement_minimum.kind,
        minimum_value=cycle.agreement_minimum.value,
        meeting_kinds=list(cycle.agreement_minimum.meeting_kinds),
        months=cycle.months,
        goals=list(mentee.goals or []),
    )
    mentorship.agreed_at = utcnow()
    _record(mentorship, "agreed", actor.user_id)
    db.session.flush()


def update_agreement(
    mentorship: Mentorship,
    actor: Actor,
    *,
    minimum_value: int | None = None,
    months: float | None = None,
    goals: list[str] | None = None,
    notes: str | None = None,
) -> Agreement:
    """Change the terms before both accepted; a change asks both to accept again."""
    agreement = mentorship.agreement
    if mentorship.state != "agreed" or agreement is None:
        raise CycleError("illegal_transition", message("agreement_fixed"))
    errors: dict[str, str] = {}
    if minimum_value is not None and not 1 <= minimum_value <= 10_000:
        errors["minimum_value"] = message("minimum_range")
    if months is not None and not 0 < months <= 60:
        errors["months"] = message("months_range")
    if goals is not None:
        mentee, _mentor = people_of(mentorship)
        if any(g not in (mentee.goals or []) for g in goals):
            errors["goals"] = message("goals_hers")
    if errors:
        raise invalid(errors)
    before = (agreement.minimum_value, agreement.months, list(agreement.goals), agreement.notes)
    if minimum_value is not None:
        agreement.minimum_value = minimum_value
    if months is not None:
        agreement.months = months
    if goals is not None:
        agreement.goals = list(goals)
    if notes is not None:
        agreement.notes = notes.strip()
    after = (agreement.minimum_value, agreement.months, list(agreement.goals), agreement.notes)
    if after != before:
        agreement.mentee_accepted_at = agreement.mentor_accepted_at = None
        agreement.updated_at = utcnow()
    db.session.flush()
    return agreement


def accept_agreement(
    mentorship: Mentorship, actor: Actor, *, side: str | None = None, today: date | None = None
) -> None:
    """One side accepts the agreement; when both have, the pair starts its first phase."""
    who = _side(actor, side)
    agreement = mentorship.agreement
    if mentorship.state != "agreed" or agreement is None:
        raise CycleError("illegal_transition", message("agreement_fixed"))
    setattr(agreement, f"{who}_accepted_at", utcnow())
    db.session.flush()
    if lifecycle.AGREEMENT_ACCEPTED in facts(mentorship):
        _start(mentorship, actor, today or date.today())


def _start(mentorship: Mentorship, actor: Actor, today: date) -> None:
    _check(mentorship, "active", actor)
    cycle = template()
    agreement = mentorship.agreement
    assert agreement is not None
    first = lifecycle.next_phase(phase_keys(), None)
    mentorship.active_since = today
    mentorship.phase = first
    _record(mentorship, "active", actor.user_id, phase=first)
    for due in follow_up_dates(
        today, agreement.months, cycle.follow_ups.first_after_weeks, cycle.follow_ups.every_weeks
    ):
        mentorship.follow_ups.append(FollowUp(kind=due.kind, due_on=due.on))
    for key in agreement.goals:
        mentorship.goals.append(Goal(key=key, status="open"))
    db.session.flush()


def move_phase(mentorship: Mentorship, actor: Actor, phase: str | None) -> None:
    if mentorship.state != "active":
        raise CycleError("illegal_transition", message("illegal_transition"))
    try:
        lifecycle.check_phase_move(phase_keys(), mentorship.phase, phase or "")
    except Refused as exc:
        raise refused(exc, "phase") from None
    mentorship.phase = phase
    _record(mentorship, "active", actor.user_id, phase=phase)
    db.session.flush()


# --- closing --------------------------------------------------------------------------------


def _closing(mentorship: Mentorship, today: date) -> None:
    """Future check-ins are off; the coordinator's closing call is due now."""
    for follow_up in mentorship.follow_ups:
        if follow_up.status == "scheduled" and follow_up.due_on > today:
            follow_up.status = "cancelled"
    if template().follow_ups.at_closing:
        mentorship.follow_ups.append(FollowUp(kind="closing", due_on=today))
    mentorship.closed_at = utcnow()


def end_early(
    mentorship: Mentorship,
    actor: Actor,
    *,
    reason_code: str | None,
    reason: str = "",
    today: date | None = None,
) -> None:
    """Ending before the cycle's end needs a reason; she may be matched again, not with him."""
    _check(mentorship, "ended_early", actor, [lifecycle.REASON])
    code, text = _reason(lifecycle.END_REASONS, reason_code, reason)
    _record(mentorship, "ended_early", actor.user_id, text, reason_code=code)
    _closing(mentorship, today or date.today())
    _exclude(mentorship, "ended_early", actor.user_id)
    _back_to_pool(mentorship)


def close(
    mentorship: Mentorship,
    actor: Actor,
    *,
    to_state: str,
    outcome: OutcomeFacts,
    farewell_on: date | None = None,
    reason: str = "",
    today: date | None = None,
) -> Outcome:
    """``completed`` after a farewell, or ``redefined`` (they go on as friends): both keep
    the outcomes the reports count."""
    if to_state not in ("completed", "redefined"):
        raise refused(Refused("illegal_transition"))
    held = set()
    found = problems(outcome)
    if not found:
        held.add(lifecycle.OUTCOMES)
    if outcome.farewell_held:
        held.add(lifecycle.FAREWELL)
    try:
        lifecycle.check(mentorship.state, to_state, actor.role, facts(mentorship) | held)
    except Refused as exc:
        if exc.code == "needs_outcomes":
            raise invalid(
                {name: message(f"outcome_{code}") for name, code in found.items()}
            ) from None
        if exc.code == "needs_farewell":
            raise refused(exc, "farewell_held") from None
        raise refused(exc) from None
    if farewell_on is not None and farewell_on > date.today():
        raise invalid({"farewell_on": message("date_future")})
    stored = mentorship.outcome or Outcome()
    for name in OutcomeFacts.names():
        value = getattr(outcome, name)
        # A side's own rating is hers: the coordinator's form leaves it alone when blank.
        if name.endswith("_satisfaction") and value is None:
            continue
        setattr(stored, name, value)
    stored.farewell_on = farewell_on if outcome.farewell_held else None
    stored.recorded_by, stored.recorded_at = actor.user_id, utcnow()
    mentorship.outcome = stored
    today = today or date.today()
    _record(mentorship, to_state, actor.user_id, (reason or "").strip())
    _closing(mentorship, today)
    db.session.flush()
    mentee, mentor = people_of(mentorship)
    mentee.status = "alumni"
    _refresh_mentor_status(mentor)
    db.session.flush()
    return stored


def rate(mentorship: Mentorship, actor: Actor, satisfaction: int | None) -> Outcome:
    """Each side gives her own satisfaction, 1 to 5, near or after the end."""
    if actor.role not in lifecycle.SIDES:
        raise CycleError("not_allowed", message("not_allowed"))
    if mentorship.state not in ("active", "completed", "redefined"):
        raise CycleError("illegal_transition", message("rate_when"))
    if satisfaction is None or not 1 <= satisfaction <= 5:
        raise invalid({"satisfaction": message("satisfaction_range")})
    stored = mentorship.outcome or Outcome()
    setattr(stored, f"{actor.role}_satisfaction", satisfaction)
    mentorship.outcome = stored
    db.session.flush()
    return stored


# --- the generic transition (the API's ``transitions`` resource) -------------------------


def transition(mentorship: Mentorship, actor: Actor, to_state: str, data: dict[str, Any]) -> None:
    """Move a pair to ``to_state`` with what that step needs; the one door for every step."""
    if to_state == "introduced":
        record_first_meeting(
            mentorship, actor, on=data.get("first_meeting_on"), led_by=data.get("led_by")
        )
    elif to_state == "declined":
        decline(
            mentorship, actor, reason_code=data.get("reason_code"), reason=data.get("reason", "")
        )
    elif to_state == "ended_early":
        end_early(
            mentorship, actor, reason_code=data.get("reason_code"), reason=data.get("reason", "")
        )
    elif to_state == "active" and mentorship.state == "active":
        move_phase(mentorship, actor, data.get("phase"))
    elif to_state in ("completed", "redefined"):
        close(
            mentorship,
            actor,
            to_state=to_state,
            outcome=data.get("outcome") or OutcomeFacts(),
            farewell_on=data.get("farewell_on"),
            reason=data.get("reason", ""),
        )
    elif to_state == "agreed":
        _agree(mentorship, actor)
    elif to_state == "active":
        _start(mentorship, actor, date.today())
    else:
        _check(mentorship, to_state, actor)  # not in the table: refused with its reason
