"""Why a mentor fits a mentee, criterion by criterion: the facts behind each similarity.

Plain data; the service layer turns each reason into a sentence in the viewer's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mentornet.matching.profiles import Profile
from mentornet.matching.scoring import Pool, _as_set, _raw


@dataclass(frozen=True)
class Reason:
    """One criterion's part in a score."""

    key: str
    field: str
    kind: str
    similarity: float
    weight: float
    share: float  # this criterion's contribution to the score (all shares add up to it)
    hard: bool
    facts: dict[str, Any] = field(default_factory=dict)


def _facts(kind: str, mentee_value: Any, mentor_value: Any) -> dict[str, Any]:
    if kind == "overlap":
        wanted = list(_as_set(mentee_value))
        offered = set(_as_set(mentor_value))
        return {
            "shared": [x for x in wanted if x in offered],
            "missing": [x for x in wanted if x not in offered],
        }
    if kind == "taxonomy":
        a, b = str(mentee_value or ""), str(mentor_value or "")
        depth = 0
        if a and b:
            while depth < min(len(a), len(b)) and a[depth] == b[depth]:
                depth += 1
        return {
            "mentee": a or None,
            "mentor": b or None,
            "depth": depth,
            "shared": a[:depth] if depth else None,
        }
    if kind == "text":
        return {"has_text": bool(mentee_value) and bool(mentor_value)}
    return {"mentee": mentee_value, "mentor": mentor_value}


def explain(pool: Pool, mentee_index: int, mentor_index: int) -> list[Reason]:
    """The reasons for one pair, in the order of the tenant's criteria."""
    similarities = pool.similarities([mentee_index])[:, 0, mentor_index]
    mentee: Profile = pool.mentees[mentee_index]
    mentor: Profile = pool.mentors[mentor_index]
    reasons = []
    for criterion, similarity in zip(pool.criteria, similarities, strict=True):
        reasons.append(
            Reason(
                key=criterion.key,
                field=criterion.field,
                kind=criterion.kind,
                similarity=float(similarity),
                weight=float(criterion.weight),
                share=float(criterion.weight * similarity / pool.weight_total),
                hard=criterion.hard,
                facts=_facts(
                    criterion.kind,
                    _raw(mentee, criterion, "mentee"),
                    _raw(mentor, criterion, "mentor"),
                ),
            )
        )
    return reasons
