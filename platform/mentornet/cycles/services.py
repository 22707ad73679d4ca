"""Loading and storing a mentorship's cycle; the rules come from the core modules.

Every step takes an :class:`Actor` (who acts, in which role, for which side), gathers the
facts about the pair, asks ``lifecycle`` whether the step is allowed, and only then
writes. A refused step raises :class:`CycleError` and has written nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from mentornet.cycles import lifecycle
from mentornet.cycles.health import Health, MeetingFact, Minimum, health
from mentornet.cycles.lifecycle import COORDINATOR, MENTEE, MENTOR, OPEN_STATES, Refused
from mentornet.cycles.messages import message
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
from mentornet.cycles.outcomes import Outcome as OutcomeFacts
from mentornet.cycles.outcomes import problems
from mentornet.cycles.schedule import follow_ups as follow_up_dates
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.matching.models import MatchExclusion, MatchLock
from mentornet.people.models import Participant
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import MEETING_KINDS, CycleTemplate

GOAL_STATUSES = ("open", "in_progress", "achieved", "dropped")
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
        return 409 if self.code in CONFLICTS else 422


def _refused(exc: Refused, field: str | None = None) -> CycleError:
    text = message(exc.code)
    return CycleError(exc.code, text, {field: text} if field else None)


def _invalid(fields: dict[str, str]) -> CycleError:
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
        raise _refused(exc) from None


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
    coordinators cannot both take her last free place.
    """
    if mentee.kind != "mentee" or mentor.kind != "mentor":
        raise CycleError("invalid", message("needs_pair"))
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
        raise _invalid({"reason_code": message("choose_reason")})
    if code == "other" and not text:
        raise _invalid({"reason": message("say_why")})
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


def _side(actor: Actor, side: str | None) -> str:
    """A participant answers for herself; a coordinator records an answer for one side."""
    if actor.role in lifecycle.SIDES:
        if side not in (None, actor.role):
            raise CycleError("not_allowed", message("not_allowed"))
        return actor.role
    if side not in lifecycle.SIDES:
        raise _invalid({"side": message("choose_side")})
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
        raise _invalid({"answer": message("choose_answer")})
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
        raise _invalid(errors)
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
        raise _invalid(errors)
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
        raise _refused(exc, "phase") from None
    mentorship.phase = phase
    _record(mentorship, "active", actor.user_id, phase=phase)
    db.session.flush()


# --- meetings and goals -------------------------------------------------------------------


def _working(mentorship: Mentorship) -> None:
    if mentorship.state not in lifecycle.WORKING_STATES:
        raise CycleError("closed", message("not_working"))


def log_meeting(
    mentorship: Mentorship,
    actor: Actor,
    *,
    held_on: date | None,
    kind: str | None,
    minutes: int | None,
    note: str = "",
) -> Meeting:
    _working(mentorship)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = message("date_required")
    elif held_on > date.today():
        errors["held_on"] = message("date_future")
    elif held_on < mentorship.created_at.date():
        errors["held_on"] = message("date_before_proposal")
    if kind not in MEETING_KINDS:
        errors["kind"] = message("choose_kind")
    if minutes is None or not 1 <= minutes <= 1440:
        errors["minutes"] = message("minutes_range")
    if len(note or "") > 2000:
        errors["note"] = message("too_long")
    if errors:
        raise _invalid(errors)
    meeting = Meeting(
        held_on=held_on,
        kind=kind,
        minutes=minutes,
        note=(note or "").strip(),
        logged_by_side=actor.role,
        logged_by_user_id=actor.user_id,
    )
    mentorship.meetings.append(meeting)
    db.session.flush()
    return meeting


def _goal_fields(status: str | None, achieved_on: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if status is not None and status not in GOAL_STATUSES:
        errors["status"] = message("choose_status")
    if achieved_on is not None and achieved_on > date.today():
        errors["achieved_on"] = message("date_future")
    return errors


def add_goal(
    mentorship: Mentorship,
    actor: Actor,
    *,
    key: str | None,
    title: str = "",
    target_on: date | None = None,
) -> Goal:
    """One of her goals, or one of their own words ("custom", with a title)."""
    _working(mentorship)
    mentee, _mentor = people_of(mentorship)
    title = (title or "").strip()
    if key != "custom" and key not in (mentee.goals or []):
        raise _invalid({"key": message("goals_hers")})
    if key == "custom" and not title:
        raise _invalid({"title": message("title_required")})
    if len(title) > 200:
        raise _invalid({"title": message("too_long")})
    goal = Goal(key=key, title=title, status="open", target_on=target_on)
    mentorship.goals.append(goal)
    db.session.flush()
    return goal


def update_goal(
    mentorship: Mentorship,
    actor: Actor,
    goal: Goal,
    *,
    status: str | None = None,
    achieved_on: date | None = None,
    target_on: date | None = None,
) -> Goal:
    _working(mentorship)
    errors = _goal_fields(status, achieved_on)
    if errors:
        raise _invalid(errors)
    if status is not None:
        goal.status = status
    if target_on is not None:
        goal.target_on = target_on
    if goal.status == "achieved":
        goal.achieved_on = achieved_on or goal.achieved_on or date.today()
    else:
        goal.achieved_on = None
    goal.updated_at = utcnow()
    db.session.flush()
    return goal


def get_goal(mentorship: Mentorship, goal_id: int) -> Goal | None:
    return next((g for g in mentorship.goals if g.id == goal_id), None)


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
        raise _refused(Refused("illegal_transition"))
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
            raise _invalid(
                {name: message(f"outcome_{code}") for name, code in found.items()}
            ) from None
        if exc.code == "needs_farewell":
            raise _refused(exc, "farewell_held") from None
        raise _refused(exc) from None
    if farewell_on is not None and farewell_on > date.today():
        raise _invalid({"farewell_on": message("date_future")})
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
        raise _invalid({"satisfaction": message("satisfaction_range")})
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


# --- follow-ups and health ------------------------------------------------------------------


def complete_follow_up(follow_up: FollowUp, actor: Actor, note: str) -> None:
    if actor.role != COORDINATOR:
        raise CycleError("not_allowed", message("not_allowed"))
    if follow_up.status != "scheduled":
        raise CycleError("closed", message("follow_up_closed"))
    if not (note or "").strip():
        raise _invalid({"note": message("note_required")})
    follow_up.status, follow_up.note = "done", note.strip()
    follow_up.done_at, follow_up.done_by = utcnow(), actor.user_id
    db.session.flush()


def due_follow_ups(
    actor: Actor, today: date | None = None, horizon_days: int = 7
) -> list[tuple[FollowUp, Mentorship]]:
    """Check-ins due within ``horizon_days`` or already overdue, oldest first."""
    today = today or date.today()
    mentorships = visible(actor).subquery()
    rows = db.session.execute(
        select(FollowUp, Mentorship)
        .join(Mentorship, Mentorship.id == FollowUp.mentorship_id)
        .where(
            Mentorship.id.in_(select(mentorships.c.id)),
            FollowUp.status == "scheduled",
            FollowUp.due_on <= today + timedelta(days=horizon_days),
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    return [(f, m) for f, m in rows]


def follow_up_board(
    actor: Actor, today: date | None = None
) -> list[tuple[FollowUp, Mentorship, str, str]]:
    """The dashboard's list: each due or overdue check-in with the pair's names."""
    rows = due_follow_ups(actor, today)
    ids = {x for _f, m in rows for x in (m.mentee_id, m.mentor_id)}
    names = dict(
        db.session.execute(
            select(Participant.id, Participant.name).where(Participant.id.in_(ids))
        ).all()
    )
    return [(f, m, names.get(m.mentee_id, ""), names.get(m.mentor_id, "")) for f, m in rows]


def minimum_of(agreement: Agreement) -> Minimum:
    return Minimum(
        agreement.minimum_kind,
        agreement.minimum_value,
        tuple(agreement.meeting_kinds),
        agreement.months,
    )


def health_of(mentorship: Mentorship, today: date | None = None) -> Health | None:
    """Only a pair that is working together has a health to speak of."""
    if mentorship.state not in lifecycle.WORKING_STATES or mentorship.agreement is None:
        return None
    since = mentorship.active_since or (mentorship.agreed_at or mentorship.created_at).date()
    meetings = [MeetingFact(m.held_on, m.kind, m.minutes) for m in mentorship.meetings]
    return health(
        minimum_of(mentorship.agreement),
        meetings,
        since,
        today or date.today(),
        template().silent_after_weeks,
    )
