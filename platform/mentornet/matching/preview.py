"""How a change of weights reorders one mentee's candidates: plain data, no Flask.

The admin sees both rankings side by side before she saves anything; each row says
where a mentor stood before and after, so the effect of a weight is plain to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Placing:
    """One mentor in one of the two rankings, with her place in the other one."""

    mentor_id: int
    rank: int  # 1-based, in this ranking
    score: float
    other_rank: int | None  # in the other ranking; None when filtered out there
    other_score: float | None
    top: int = 10  # how many places each side shows

    @property
    def movement(self) -> str:
        """Against the other ranking: "up", "down", "same", or "new" (not in its top)."""
        if self.other_rank is None or self.other_rank > self.top:
            return "new"
        if self.other_rank > self.rank:
            return "up"
        if self.other_rank < self.rank:
            return "down"
        return "same"

    @property
    def places(self) -> int:
        """How many places she moved (0 when new or unchanged)."""
        return abs(self.other_rank - self.rank) if self.other_rank is not None else 0


@dataclass(frozen=True)
class Comparison:
    current: list[Placing]  # top under the current weights; other_* = proposed
    proposed: list[Placing]  # top under the proposed weights; other_* = current

    @property
    def changed(self) -> bool:
        return [p.mentor_id for p in self.current] != [p.mentor_id for p in self.proposed]


def compare(
    current: Sequence[tuple[int, float]], proposed: Sequence[tuple[int, float]], top: int = 10
) -> Comparison:
    """Both rankings' ``top`` places; each full ranking gives the other's ranks.

    ``current`` and ``proposed`` are (mentor id, score), best first, ideally complete, so
    a mentor who climbs from 14th into the top 10 shows where she came from.
    """
    current_rank = {mentor: (i + 1, score) for i, (mentor, score) in enumerate(current)}
    proposed_rank = {mentor: (i + 1, score) for i, (mentor, score) in enumerate(proposed)}

    def placings(ranking: Sequence[tuple[int, float]], other: dict[int, tuple[int, float]]):
        rows = []
        for index, (mentor, score) in enumerate(ranking[:top]):
            other_rank, other_score = other.get(mentor, (None, None))
            rows.append(Placing(mentor, index + 1, score, other_rank, other_score, top))
        return rows

    return Comparison(placings(current, proposed_rank), placings(proposed, current_rank))
