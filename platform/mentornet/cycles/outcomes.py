"""What a closed cycle achieved, as the seeds measure success.

Core code: no Flask, no database. Every yes/no question must be answered for an outcome
to count as recorded: a blank would read as "no" in the reports and flatter nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

QUESTIONS = ("job_found", "education_started", "language_improved", "network_grown")
SATISFACTION = range(1, 6)


@dataclass(frozen=True)
class Outcome:
    job_found: bool | None = None
    job_in_field: bool | None = None
    education_started: bool | None = None
    language_improved: bool | None = None
    network_grown: bool | None = None
    mentee_satisfaction: int | None = None
    mentor_satisfaction: int | None = None
    farewell_held: bool = False

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def problems(outcome: Outcome) -> dict[str, str]:
    """Field name -> problem code, empty when the outcome can be stored."""
    found: dict[str, str] = {}
    for name in QUESTIONS:
        if getattr(outcome, name) is None:
            found[name] = "required"
    if outcome.job_found and outcome.job_in_field is None:
        found["job_in_field"] = "required"
    if not outcome.job_found and outcome.job_in_field:
        found["job_in_field"] = "needs_job"
    for name in ("mentee_satisfaction", "mentor_satisfaction"):
        value = getattr(outcome, name)
        if value is not None and value not in SATISFACTION:
            found[name] = "out_of_range"
    return found


def is_recorded(outcome: Outcome) -> bool:
    return not problems(outcome)
