"""``mentorships`` and their cycle: responses, transitions, agreement, meetings, goals,
follow-ups, close. Coordinators see the pairs of their offices; a mentor or mentee with
a token sees her own, and answers for her own side only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from mentornet.accounts.models import STAFF_ROLES
from mentornet.api.blueprint import bp, require_role
from mentornet.api.pagination import paginate
from mentornet.cycles import access, tracking
from mentornet.cycles import services as cycles
from mentornet.cycles.lifecycle import STATES
from mentornet.cycles.models import FollowUp, Goal, Meeting, Mentorship
from mentornet.cycles.outcomes import Outcome
from mentornet.errors import ApiError
from mentornet.extensions import db


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def meeting_json(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.id,
        "held_on": m.held_on.isoformat(),
        "kind": m.kind,
        "minutes": m.minutes,
        "note": m.note,
        "logged_by": m.logged_by_side,
    }


def goal_json(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.id,
        "key": goal.key,
        "title": goal.title,
        "status": goal.status,
        "target_on": _iso(goal.target_on),
        "achieved_on": _iso(goal.achieved_on),
    }


def follow_up_json(f: FollowUp, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    return {
        "id": f.id,
        "mentorship_id": f.mentorship_id,
        "kind": f.kind,
        "due_on": f.due_on.isoformat(),
        "status": f.status,
        "overdue": f.status == "scheduled" and f.due_on < today,
        "done_at": _iso(f.done_at),
        "note": f.note,
    }


def mentorship_json(m: Mentorship) -> dict[str, Any]:
    agreement = m.agreement
    outcome = m.outcome
    state_health = tracking.health_of(m)
    return {
        "id": m.id,
        "mentee_id": m.mentee_id,
        "mentor_id": m.mentor_id,
        "state": m.state,
        "phase": m.phase,
        "score": m.score,
        "explanation": m.explanation,
        "created_at": m.created_at.isoformat(),
        "first_meeting": {"on": _iso(m.first_meeting_on), "led_by": m.first_meeting_led_by}
        if m.first_meeting_on
        else None,
        "agreed_at": _iso(m.agreed_at),
        "active_since": _iso(m.active_since),
        "closed_at": _iso(m.closed_at),
        "responses": [response_json(r) for r in m.responses],
        "agreement": {
            "minimum": {
                "kind": agreement.minimum_kind,
                "value": agreement.minimum_value,
                "meeting_kinds": agreement.meeting_kinds,
            },
            "months": agreement.months,
            "goals": agreement.goals,
            "notes": agreement.notes,
            "mentee_accepted_at": _iso(agreement.mentee_accepted_at),
            "mentor_accepted_at": _iso(agreement.mentor_accepted_at),
        }
        if agreement
        else None,
        "health": {
            "status": state_health.status,
            "expected_minutes": state_health.expected_minutes,
            "counted_minutes": state_health.counted_minutes,
            "last_meeting": _iso(state_health.last_meeting),
            "weeks_silent": state_health.weeks_silent,
        }
        if state_health
        else None,
        "outcome": {name: getattr(outcome, name) for name in (*Outcome.names(), "farewell_on")}
        | {"farewell_on": _iso(outcome.farewell_on)}
        if outcome
        else None,
        "transitions": [transition_json(t) for t in m.transitions],
    }


def response_json(r: Any) -> dict[str, Any]:
    return {
        "side": r.side,
        "stage": r.stage,
        "answer": r.answer,
        "reason_code": r.reason_code,
        "at": r.at.isoformat(),
    }


def transition_json(t: Any) -> dict[str, Any]:
    return {
        "from": t.from_state,
        "to": t.to_state,
        "phase": t.phase,
        "by": t.by_user_id,
        "at": t.at.isoformat(),
        "reason_code": t.reason_code,
        "reason": t.reason,
    }


# --- parsing ---------------------------------------------------------------------------


def _payload() -> dict[str, Any]:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json", _("Send a JSON object."))
    return payload


class _Fields:
    """Reads typed values from a JSON object, collecting a message per bad field."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload
        self.errors: dict[str, str] = {}

    def date(self, name: str) -> date | None:
        raw = self.payload.get(name)
        if raw in (None, ""):
            return None
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            self.errors[name] = _("A date as YYYY-MM-DD.")
            return None

    def int(self, name: str) -> int | None:
        raw = self.payload.get(name)
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            self.errors[name] = _("A whole number.")
            return None
        return raw

    def number(self, name: str) -> float | None:
        raw = self.payload.get(name)
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.errors[name] = _("A number.")
            return None
        return float(raw)

    def bool(self, name: str) -> bool | None:
        raw = self.payload.get(name)
        if raw is None or isinstance(raw, bool):
            return raw
        self.errors[name] = _("true or false.")
        return None

    def text(self, name: str) -> str | None:
        raw = self.payload.get(name)
        if raw is None or isinstance(raw, str):
            return raw
        self.errors[name] = _("A text.")
        return None

    def texts(self, name: str) -> list[str] | None:
        raw = self.payload.get(name)
        if raw is None:
            return None
        if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            return raw
        self.errors[name] = _("A list of texts.")
        return None

    def done(self) -> None:
        if self.errors:
            raise ApiError(422, "invalid", _("Some fields are not valid."), self.errors)


def _actor() -> access.Actor:
    actor = access.actor_for(g.membership)
    if actor is None:
        raise ApiError(404, "not_found", _("There is nothing here."))
    return actor


def _mentorship(mentorship_id: int) -> tuple[access.Actor, Mentorship]:
    actor = _actor()
    mentorship = access.get_for(actor, mentorship_id)
    if mentorship is None:
        raise ApiError(404, "not_found", _("There is nothing here."))
    return actor, mentorship


def _step(action: Callable[[], Any]) -> Any:
    """Run one cycle step in the request's transaction: all of it, or nothing."""
    try:
        result = action()
    except access.CycleError as exc:
        db.session.rollback()
        raise ApiError(exc.status, exc.code, exc.message, exc.fields or None) from None
    db.session.commit()
    return result


# --- mentorships -------------------------------------------------------------------------


@bp.get("/mentorships")
def list_mentorships():
    actor = _actor()
    statement = access.visible(actor)
    state = request.args.get("state")
    if state:
        if state not in STATES:
            raise ApiError(
                400,
                "invalid_query",
                _("Invalid query parameters."),
                {"state": _("One of: %(values)s.", values=", ".join(STATES))},
            )
        statement = statement.where(Mentorship.state == state)
    # Everything mentorship_json reads, loaded once for the page rather than once a row.
    statement = statement.options(
        *(
            selectinload(relation)
            for relation in (
                Mentorship.agreement,
                Mentorship.meetings,
                Mentorship.responses,
                Mentorship.transitions,
                Mentorship.outcome,
            )
        )
    )
    return paginate(statement.order_by(Mentorship.id.desc()), mentorship_json)


@bp.post("/mentorships")
def create_mentorship():
    """Create = propose: the coordinator proposes a mentor to a mentee."""
    require_role(*STAFF_ROLES)
    from mentornet.api.matching import person_or_error
    from mentornet.matching import services as matching

    payload = _payload()
    mentee = person_or_error(payload.get("mentee_id"), "mentee", "mentee_id")
    mentor = person_or_error(payload.get("mentor_id"), "mentor", "mentor_id")
    mentorship = _step(lambda: matching.propose(mentee, mentor, g.user.id))
    return mentorship_json(mentorship), 201


@bp.get("/mentorships/<int:mentorship_id>")
def read_mentorship(mentorship_id: int):
    return mentorship_json(_mentorship(mentorship_id)[1])


@bp.get("/mentorships/<int:mentorship_id>/responses")
def list_responses(mentorship_id: int):
    return {"items": [response_json(r) for r in _mentorship(mentorship_id)[1].responses]}


@bp.post("/mentorships/<int:mentorship_id>/responses")
def create_response(mentorship_id: int):
    """Yes or no from one side; a coordinator says which side she records for."""
    actor, mentorship = _mentorship(mentorship_id)
    fields = _Fields(_payload())
    answer, side = fields.text("answer"), fields.text("side")
    code, reason = fields.text("reason_code"), fields.text("reason")
    fields.done()
    _step(
        lambda: cycles.respond(
            mentorship,
            actor,
            answer=answer or "",
            side=side,
            reason_code=code,
            reason=reason or "",
        )
    )
    return mentorship_json(mentorship), 201


@bp.get("/mentorships/<int:mentorship_id>/transitions")
def list_transitions(mentorship_id: int):
    return {"items": [transition_json(t) for t in _mentorship(mentorship_id)[1].transitions]}


def _outcome(fields: _Fields) -> Outcome:
    values = {name: fields.bool(name) for name in Outcome.names() if "satisfaction" not in name}
    values["farewell_held"] = bool(values["farewell_held"])
    for name in ("mentee_satisfaction", "mentor_satisfaction"):
        values[name] = fields.int(name)
    return Outcome(**values)


@bp.post("/mentorships/<int:mentorship_id>/transitions")
def create_transition(mentorship_id: int):
    """Move the pair to the state ``to``, with what that step needs."""
    actor, mentorship = _mentorship(mentorship_id)
    fields = _Fields(_payload())
    to = fields.text("to")
    data: dict[str, Any] = {
        "first_meeting_on": fields.date("first_meeting_on"),
        "led_by": fields.text("led_by"),
        "reason_code": fields.text("reason_code"),
        "reason": fields.text("reason") or "",
        "phase": fields.text("phase"),
        "farewell_on": fields.date("farewell_on"),
    }
    if to in ("completed", "redefined"):
        data["outcome"] = _outcome(fields)
    if to not in STATES:
        fields.errors["to"] = _("One of: %(values)s.", values=", ".join(STATES))
    fields.done()
    _step(lambda: cycles.transition(mentorship, actor, to or "", data))
    return mentorship_json(mentorship), 201


@bp.post("/mentorships/<int:mentorship_id>/close")
def close_mentorship(mentorship_id: int):
    """Close the programme part: ``completed`` (with a farewell) or ``redefined``."""
    actor, mentorship = _mentorship(mentorship_id)
    fields = _Fields(_payload())
    to = fields.text("to") or "completed"
    outcome = _outcome(fields)
    farewell_on, reason = fields.date("farewell_on"), fields.text("reason") or ""
    if to not in ("completed", "redefined"):
        fields.errors["to"] = _("One of: %(values)s.", values="completed, redefined")
    fields.done()
    _step(
        lambda: cycles.close(
            mentorship, actor, to_state=to, outcome=outcome, farewell_on=farewell_on, reason=reason
        )
    )
    return mentorship_json(mentorship)


@bp.post("/mentorships/<int:mentorship_id>/satisfaction")
def rate_mentorship(mentorship_id: int):
    """Her own satisfaction with the cycle, 1 to 5 (mentor or mentee, for her side)."""
    actor, mentorship = _mentorship(mentorship_id)
    fields = _Fields(_payload())
    value = fields.int("satisfaction")
    fields.done()
    _step(lambda: cycles.rate(mentorship, actor, value))
    return mentorship_json(mentorship)


# --- the agreement -----------------------------------------------------------------------


@bp.patch("/mentorships/<int:mentorship_id>/agreement")
def update_agreement(mentorship_id: int):
    """Change the terms before both accepted; each side then accepts again."""
    actor, mentorship = _mentorship(mentorship_id)
    fields = _Fields(_payload())
    values = {
        "minimum_value": fields.int("minimum_value"),
        "months": fields.number("months"),
        "goals": fields.texts("goals"),
        "notes": fields.text("notes"),
    }
    fields.done()
    _step(lambda: cycles.update_agreement(mentorship, actor, **values))
    return mentorship_json(mentorship)


@bp.post("/mentorships/<int:mentorship_id>/agreement/accept")
def accept_agreement(mentorship_id: int):
    actor, mentorship = _mentorship(mentorship_id)
    fields = _Fields(request.get_json(silent=True) or {})
    side = fields.text("side")
    fields.done()
    _step(lambda: cycles.accept_agreement(mentorship, actor, side=side))
    return mentorship_json(mentorship)


# --- meetings, goals, follow-ups ------------------------------------------------------------


@bp.get("/mentorships/<int:mentorship_id>/meetings")
def list_meetings(mentorship_id: int):
    return {"items": [meeting_json(m) for m in _mentorship(mentorship_id)[1].meetings]}


@bp.post("/mentorships/<int:mentorship_id>/meetings")
def create_meeting(mentorship_id: int):
    actor, mentorship = _mentorship(mentorship_id)
    fields = _Fields(_payload())
    held_on, kind = fields.date("held_on"), fields.text("kind")
    minutes, note = fields.int("minutes"), fields.text("note") or ""
    fields.done()
    meeting = _step(
        lambda: tracking.log_meeting(
            mentorship, actor, held_on=held_on, kind=kind, minutes=minutes, note=note
        )
    )
    return meeting_json(meeting), 201


@bp.get("/mentorships/<int:mentorship_id>/goals")
def list_goals(mentorship_id: int):
    return {"items": [goal_json(goal) for goal in _mentorship(mentorship_id)[1].goals]}


@bp.post("/mentorships/<int:mentorship_id>/goals")
def create_goal(mentorship_id: int):
    actor, mentorship = _mentorship(mentorship_id)
    fields = _Fields(_payload())
    key, title = fields.text("key"), fields.text("title") or ""
    target_on = fields.date("target_on")
    fields.done()
    goal = _step(
        lambda: tracking.add_goal(mentorship, actor, key=key, title=title, target_on=target_on)
    )
    return goal_json(goal), 201


@bp.patch("/mentorships/<int:mentorship_id>/goals/<int:goal_id>")
def update_goal(mentorship_id: int, goal_id: int):
    actor, mentorship = _mentorship(mentorship_id)
    goal = tracking.get_goal(mentorship, goal_id)
    if goal is None:
        raise ApiError(404, "not_found", _("There is nothing here."))
    fields = _Fields(_payload())
    status = fields.text("status")
    achieved_on, target_on = fields.date("achieved_on"), fields.date("target_on")
    fields.done()
    _step(
        lambda: tracking.update_goal(
            mentorship, actor, goal, status=status, achieved_on=achieved_on, target_on=target_on
        )
    )
    return goal_json(goal)


@bp.get("/mentorships/<int:mentorship_id>/follow-ups")
def list_follow_ups(mentorship_id: int):
    """The coordinator's check-ins with this pair (their notes are coordinator-only)."""
    mentorship = _mentorship(mentorship_id)[1]  # 404 before 403: another's id reveals nothing
    require_role(*STAFF_ROLES)
    return {"items": [follow_up_json(f) for f in mentorship.follow_ups]}


@bp.post("/mentorships/<int:mentorship_id>/follow-ups/<int:follow_up_id>/done")
def complete_follow_up(mentorship_id: int, follow_up_id: int):
    actor, mentorship = _mentorship(mentorship_id)
    require_role(*STAFF_ROLES)
    follow_up = next((f for f in mentorship.follow_ups if f.id == follow_up_id), None)
    if follow_up is None:
        raise ApiError(404, "not_found", _("There is nothing here."))
    fields = _Fields(_payload())
    note = fields.text("note") or ""
    fields.done()
    _step(lambda: tracking.complete_follow_up(follow_up, actor, note))
    return follow_up_json(follow_up)


@bp.get("/follow-ups")
def due_follow_ups():
    """Every check-in due within a week or overdue, across the coordinator's pairs."""
    require_role(*STAFF_ROLES)
    rows = tracking.due_follow_ups(_actor())
    return {"items": [follow_up_json(f) for f, _m in rows]}
