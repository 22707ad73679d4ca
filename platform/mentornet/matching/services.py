"""Loading participants into the engine, and storing what coordinators decide.

The rules live in the core modules beside this one; this layer only reads the tenant's
settings and rows, calls them, and writes exclusions, locks and accepted proposals.
Batch runs, computed by a background job, are in ``matching.runs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from mentornet.cycles import services as cycles
from mentornet.cycles.access import CycleError
from mentornet.cycles.models import OPEN_STATES, Mentorship
from mentornet.dbtypes import as_utc
from mentornet.extensions import db
from mentornet.matching.explain import Reason, explain
from mentornet.matching.models import MatchExclusion, MatchingRun, MatchLock
from mentornet.matching.profiles import Criterion, Profile
from mentornet.matching.scoring import Pool, rank
from mentornet.people.models import Participant
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import TenantSettings


def criteria_for(settings: TenantSettings) -> list[Criterion]:
    questions = {q.key: q for q in settings.intake_questions}
    criteria = []
    for c in settings.matching.criteria:
        scale: tuple[str, ...] = ()
        if c.field.startswith("intake.") and c.kind == "ordinal":
            question = questions.get(c.field[7:])
            if question is not None and question.choices:
                scale = tuple(choice.key for choice in question.choices)
        criteria.append(Criterion(c.key, c.field, c.kind, c.weight, c.hard, scale))
    return criteria


def _days_since(moment: datetime | None) -> int:
    if moment is None:
        return 0
    return max(0, (datetime.now(UTC) - as_utc(moment)).days)


def profile_of(p: Participant, free_capacity: int = 1) -> Profile:
    text = " ".join(t for t in ((p.wishes if p.kind == "mentee" else None), p.story) if t)
    return Profile(
        id=p.id,
        office=p.office,
        languages=tuple(p.languages or ()),
        profession=p.profession,
        education_level=p.education_level,
        education_field=p.education_field,
        interests=tuple(p.interests or ()),
        sector=p.sector,
        business_stage=p.business_stage,
        goals=tuple(p.goals or ()),
        helps_with=tuple(p.helps_with or ()),
        text=text,
        intake=dict(p.intake_answers or {}),
        free_capacity=free_capacity,
        days_waiting=_days_since(p.ready_since),
    )


def available_mentors() -> list[tuple[Participant, int]]:
    """Mentors who can take a mentee now, with their free places, in id order."""
    mentors = db.session.scalars(
        select(Participant)
        .where(
            Participant.kind == "mentor",
            Participant.erased_at.is_(None),
            Participant.status.in_(("ready", "matched")),
        )
        .order_by(Participant.id)
    ).all()
    taken = cycles.open_mentorships()
    today = date.today()
    result = []
    for mentor in mentors:
        if mentor.paused_until is not None and mentor.paused_until > today:
            continue
        free = max(0, mentor.capacity - taken.get(mentor.id, 0))
        if free > 0:
            result.append((mentor, free))
    return result


def excluded_mentor_ids(mentee_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(MatchExclusion.mentor_id).where(MatchExclusion.mentee_id == mentee_id)
        )
    )


def _one_mentee_pool(
    mentee: Participant,
    mentors: list[tuple[Participant, int]],
    settings: TenantSettings | None = None,
) -> Pool:
    """One mentee against every available mentor: what the match page shows.

    ``settings`` replaces the tenant's own, e.g. proposed weights to preview.
    """
    return Pool(
        [profile_of(mentee)],
        [profile_of(m, free) for m, free in mentors],
        criteria_for(settings or current_tenant.config),
    )


@dataclass
class Candidate:
    mentor: Participant
    score: float
    reasons: list[Reason]


def candidates(
    mentee: Participant, limit: int = 10, settings: TenantSettings | None = None
) -> list[Candidate]:
    """Her best mentors now, each with the reasons, criterion by criterion."""
    ranked = _ranked(mentee, limit, settings)
    if ranked is None:
        return []
    pool, mentors, order = ranked
    return [
        Candidate(mentors[r.mentor_index][0], r.score, explain(pool, 0, r.mentor_index))
        for r in order
    ]


def ranked_mentors(
    mentee: Participant, settings: TenantSettings | None = None, limit: int | None = None
) -> list[tuple[Participant, float]]:
    """Her mentors in order with their scores, without explanations (for previews).

    ``settings`` (default: the tenant's) says which criteria and weights rank them.
    """
    ranked = _ranked(mentee, limit, settings)
    if ranked is None:
        return []
    _pool, mentors, order = ranked
    return [(mentors[r.mentor_index][0], r.score) for r in order]


def _ranked(mentee: Participant, limit: int | None, settings: TenantSettings | None):
    """(pool, mentors, ranking) for one mentee, hard filters and exclusions applied."""
    mentors = available_mentors()
    if not mentors:
        return None
    pool = _one_mentee_pool(mentee, mentors, settings)
    excluded = excluded_mentor_ids(mentee.id)
    skip = [j for j, (m, _free) in enumerate(mentors) if m.id in excluded]
    order = rank(pool, 0, limit=limit if limit is not None else len(mentors), excluded=skip)
    return pool, mentors, order


def propose(mentee: Participant, mentor: Participant, by_user_id: int | None) -> Mentorship:
    """Propose the pair, keeping the score and reasons the coordinator saw on her page."""
    mentors = available_mentors()
    index = next((j for j, (m, _free) in enumerate(mentors) if m.id == mentor.id), None)
    score, reasons = None, []
    if index is not None:
        pool = _one_mentee_pool(mentee, mentors)
        reasons = explain(pool, 0, index)
        score = sum(r.share for r in reasons)
    return cycles.propose(
        mentee, mentor, by_user_id=by_user_id, score=score, explanation=reasons_json(reasons)
    )


def reasons_json(reasons: list[Reason]) -> list[dict[str, Any]]:
    return [
        {
            "criterion": r.key,
            "field": r.field,
            "kind": r.kind,
            "similarity": round(r.similarity, 4),
            "weight": r.weight,
            "share": round(r.share, 4),
            "hard": r.hard,
            "facts": r.facts,
        }
        for r in reasons
    ]


def set_exclusion(mentee: Participant, mentor: Participant, excluded: bool, by: int) -> None:
    existing = db.session.scalar(
        select(MatchExclusion).where(
            MatchExclusion.mentee_id == mentee.id, MatchExclusion.mentor_id == mentor.id
        )
    )
    if excluded and existing is None:
        db.session.add(MatchExclusion(mentee_id=mentee.id, mentor_id=mentor.id, created_by=by))
        lock = current_lock(mentee.id)
        if lock is not None and lock.mentor_id == mentor.id:
            db.session.delete(lock)
    elif not excluded and existing is not None and existing.reason == "coordinator":
        db.session.delete(existing)
    db.session.flush()


def current_lock(mentee_id: int) -> MatchLock | None:
    return db.session.scalar(select(MatchLock).where(MatchLock.mentee_id == mentee_id))


def set_lock(mentee: Participant, mentor: Participant | None, by: int) -> None:
    """Lock her with this mentor for batch runs (None: unlock)."""
    lock = current_lock(mentee.id)
    if lock is not None:
        db.session.delete(lock)
        db.session.flush()
    if mentor is not None:
        if mentor.id in excluded_mentor_ids(mentee.id):
            raise CycleError("excluded", "excluded")
        db.session.add(MatchLock(mentee_id=mentee.id, mentor_id=mentor.id, created_by=by))
    db.session.flush()


def waiting_mentees() -> list[Participant]:
    """The waiting list: mentees ready for a match with no mentorship in progress."""
    busy = select(Mentorship.mentee_id).where(Mentorship.state.in_(OPEN_STATES))
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.kind == "mentee",
                Participant.status == "ready",
                Participant.erased_at.is_(None),
                Participant.id.not_in(busy),
            )
            .order_by(Participant.id)
        )
    )


# Refusals that say nothing against the pair itself: its proposal stays open for later.
PROGRAMME_REFUSALS = ("plan_limit", "read_only")


def accept(run: MatchingRun, proposal_ids: list[int] | None, by_user_id: int | None):
    """Turn the chosen open proposals into proposed mentorships; the rest stay open.

    Once the programme's plan refuses (its limit reached, or read-only), the remaining
    chosen proposals are refused with the same reason and stay open for later.
    """
    created, refused = [], []
    blocked: CycleError | None = None
    for proposal in run.proposals:
        if proposal.status != "open" or (
            proposal_ids is not None and proposal.id not in proposal_ids
        ):
            continue
        if blocked is not None:
            refused.append((proposal, blocked))
            continue
        mentee = db.session.get(Participant, proposal.mentee_id)
        mentor = db.session.get(Participant, proposal.mentor_id)
        try:
            with db.session.begin_nested():
                mentorship = cycles.propose(
                    mentee, mentor, by_user_id=by_user_id, score=proposal.score
                )
        except CycleError as exc:
            if exc.code in PROGRAMME_REFUSALS:
                blocked = exc
            else:
                proposal.status = "stale"
            refused.append((proposal, exc))
            continue
        proposal.status = "accepted"
        proposal.mentorship_id = mentorship.id
        created.append(mentorship)
    db.session.flush()
    return created, refused
