"""What a working pair records: meetings and goals; the coordinator's follow-ups; health.

The rules (what counts toward the minimum, when a pair is silent, when check-ins fall)
live in ``health`` and ``schedule``; this layer loads rows, checks input and stores.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from mentornet.cycles import lifecycle
from mentornet.cycles.access import (
    Actor,
    CycleError,
    invalid,
    people_of,
    template,
    visible,
)
from mentornet.cycles.health import Health, MeetingFact, Minimum, health
from mentornet.cycles.lifecycle import COORDINATOR
from mentornet.cycles.messages import message
from mentornet.cycles.models import (
    Agreement,
    FollowUp,
    Goal,
    Meeting,
    Mentorship,
)
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.people.models import Participant
from mentornet.tenancy.settings_schema import MEETING_KINDS

GOAL_STATUSES = ("open", "in_progress", "achieved", "dropped")


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
        raise invalid(errors)
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
        raise invalid({"key": message("goals_hers")})
    if key == "custom" and not title:
        raise invalid({"title": message("title_required")})
    if len(title) > 200:
        raise invalid({"title": message("too_long")})
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
        raise invalid(errors)
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


# --- follow-ups and health ------------------------------------------------------------------


def complete_follow_up(follow_up: FollowUp, actor: Actor, note: str) -> None:
    if actor.role != COORDINATOR:
        raise CycleError("not_allowed", message("not_allowed"))
    if follow_up.status != "scheduled":
        raise CycleError("closed", message("follow_up_closed"))
    if not (note or "").strip():
        raise invalid({"note": message("note_required")})
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
