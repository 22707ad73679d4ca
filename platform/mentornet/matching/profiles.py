"""What the engine knows of a person and of a criterion: plain, immutable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A mentee's goals and the help that answers them: the goals criterion compares the help
# she needs with the help a mentor offers.
GOAL_HELP: dict[str, tuple[str, ...]] = {
    "job": ("job_search", "cv", "interview_practice", "network"),
    "job_in_field": ("job_search", "cv", "interview_practice", "network"),
    "education": ("education_system",),
    "language": ("language",),
    "network": ("network",),
    "self_esteem": ("workplace_culture", "interview_practice"),
    "business": ("entrepreneurship",),
    "society": ("workplace_culture", "education_system"),
}

# Ordered scales for the ordinal criterion: (lowest, highest) or the keys in order.
EDUCATION_LEVELS = (0, 8)  # ISCED 2011
BUSINESS_STAGES = ("idea", "starting", "early", "growing", "established")


@dataclass(frozen=True)
class Criterion:
    """One thing the tenant compares: a field, how, and how much it counts."""

    key: str
    field: str
    kind: str  # same | taxonomy | ordinal | overlap | text
    weight: float
    hard: bool = False
    # For an intake question used as an ordinal: its choice keys in order.
    scale: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A mentee or a mentor as the engine sees her: only what criteria can compare."""

    id: int
    office: str | None = None
    languages: tuple[str, ...] = ()
    profession: str | None = None  # ISCO-08 unit group
    education_level: int | None = None
    education_field: str | None = None
    interests: tuple[str, ...] = ()
    sector: str | None = None
    business_stage: str | None = None
    goals: tuple[str, ...] = ()  # mentee
    helps_with: tuple[str, ...] = ()  # mentor
    text: str = ""  # her wishes and story; his story
    intake: dict[str, Any] = field(default_factory=dict)
    # Mentors only: how many more mentees she can take now.
    free_capacity: int = 1
    # Mentees only: days on the waiting list (for the optional bonus).
    days_waiting: int = 0

    def needs(self) -> tuple[str, ...]:
        """The help a mentee's goals call for."""
        seen: dict[str, None] = {}
        for goal in self.goals:
            for item in GOAL_HELP.get(goal, ()):
                seen[item] = None
        return tuple(seen)
