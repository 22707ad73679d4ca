"""What one coordinator's daily digest says: the work waiting for her on a given day.

Everything is counted within her offices (all of them when she is not limited), the
same pairs and people her pages show her. The digest names pairs by first names only
and carries no notes: it links to the pages where the rest is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from mentornet.accounts.models import Membership
from mentornet.cycles.access import Actor, visible
from mentornet.cycles.health import SILENT
from mentornet.cycles.lifecycle import COORDINATOR, WORKING_STATES
from mentornet.cycles.models import Mentorship
from mentornet.cycles.tracking import due_follow_ups, health_of
from mentornet.extensions import db
from mentornet.mail.recipients import first_name
from mentornet.people.models import Participant

LISTED = 10  # pairs listed by name in each section; the page has the rest


@dataclass(frozen=True)
class PairLine:
    mentorship_id: int
    mentee: str
    mentor: str
    on: date | None = None  # the check-in's due date


@dataclass
class Digest:
    signups: int = 0
    waiting_answers: int = 0
    overdue: list[PairLine] = field(default_factory=list)
    due: list[PairLine] = field(default_factory=list)
    silent: list[PairLine] = field(default_factory=list)
    overdue_total: int = 0
    due_total: int = 0
    silent_total: int = 0

    @property
    def empty(self) -> bool:
        return not (
            self.signups
            or self.waiting_answers
            or self.overdue_total
            or self.due_total
            or self.silent_total
        )


def actor_of(membership: Membership) -> Actor:
    return Actor(membership.user_id, COORDINATOR, None, tuple(membership.offices or ()))


def _first_names(mentorships: list[Mentorship]) -> dict[int, str]:
    ids = {x for m in mentorships for x in (m.mentee_id, m.mentor_id)}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Participant.id, Participant.name).where(Participant.id.in_(ids))
    )
    return {pid: first_name(name) for pid, name in rows}


def _line(m: Mentorship, names: dict[int, str], on: date | None = None) -> PairLine:
    return PairLine(m.id, names.get(m.mentee_id, ""), names.get(m.mentor_id, ""), on)


def digest_for(membership: Membership, day: date) -> Digest:
    actor = actor_of(membership)
    signups = select(func.count(Participant.id)).where(
        Participant.status == "applied", Participant.erased_at.is_(None)
    )
    if actor.offices:
        signups = signups.where(Participant.office.in_(actor.offices))
    waiting = visible(actor).where(Mentorship.state.in_(("proposed", "introduced"))).subquery()
    follow_ups = due_follow_ups(actor, today=day, horizon_days=0)
    working = db.session.scalars(
        visible(actor)
        .where(Mentorship.state.in_(WORKING_STATES))
        .options(selectinload(Mentorship.agreement), selectinload(Mentorship.meetings))
        .order_by(Mentorship.id)
    ).all()
    silent = [m for m in working if (h := health_of(m, day)) is not None and h.status == SILENT]
    overdue = [(f, m) for f, m in follow_ups if f.due_on < day]
    due = [(f, m) for f, m in follow_ups if f.due_on >= day]
    names = _first_names([m for _f, m in overdue[:LISTED] + due[:LISTED]] + silent[:LISTED])
    return Digest(
        signups=db.session.scalar(signups) or 0,
        waiting_answers=db.session.scalar(select(func.count()).select_from(waiting)) or 0,
        overdue=[_line(m, names, f.due_on) for f, m in overdue[:LISTED]],
        due=[_line(m, names, f.due_on) for f, m in due[:LISTED]],
        silent=[_line(m, names) for m in silent[:LISTED]],
        overdue_total=len(overdue),
        due_total=len(due),
        silent_total=len(silent),
    )
