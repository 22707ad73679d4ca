"""The mentorship lifecycle as data: states, who may move a pair where, and on what facts.

Core code: no Flask, no database. The service layer gathers the facts about one pair,
asks :func:`check`, and only then writes; a refused step raises :class:`Refused` with a
code the service layer turns into a sentence in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

STATES = (
    "proposed",
    "introduced",
    "agreed",
    "active",
    "completed",
    "redefined",
    "declined",
    "ended_early",
)
# A mentor's place is taken while a mentorship is in one of these states.
OPEN_STATES = ("proposed", "introduced", "agreed", "active")
CLOSED_STATES = ("completed", "redefined", "declined", "ended_early")
# Meetings and goals belong to a pair that has agreed to work together.
WORKING_STATES = ("agreed", "active")

COORDINATOR = "coordinator"
MENTEE = "mentee"
MENTOR = "mentor"
SIDES = (MENTEE, MENTOR)
EVERYONE = (COORDINATOR, MENTEE, MENTOR)

# What must be true before a step may be taken.
FIRST_MEETING = "first_meeting"
BOTH_SAID_YES = "both_said_yes"
AGREEMENT_ACCEPTED = "agreement_accepted"
REASON = "reason"
OUTCOMES = "outcomes"
FAREWELL = "farewell"


@dataclass(frozen=True)
class Rule:
    by: tuple[str, ...]
    needs: tuple[str, ...] = ()


TRANSITIONS: dict[tuple[str, str], Rule] = {
    ("proposed", "introduced"): Rule(EVERYONE, (FIRST_MEETING,)),
    ("proposed", "declined"): Rule(EVERYONE, (REASON,)),
    ("introduced", "declined"): Rule(EVERYONE, (REASON,)),
    ("introduced", "agreed"): Rule(EVERYONE, (BOTH_SAID_YES,)),
    ("agreed", "active"): Rule(EVERYONE, (AGREEMENT_ACCEPTED,)),
    ("agreed", "ended_early"): Rule(EVERYONE, (REASON,)),
    ("active", "ended_early"): Rule(EVERYONE, (REASON,)),
    # Closing the programme part is the coordinator's: she records the outcomes.
    ("active", "completed"): Rule((COORDINATOR,), (OUTCOMES, FAREWELL)),
    ("active", "redefined"): Rule((COORDINATOR,), (OUTCOMES,)),
}

# Why a step was refused; the service layer has a sentence for each.
ILLEGAL = "illegal_transition"
NOT_YOURS = "not_allowed"
MISSING = {
    FIRST_MEETING: "needs_first_meeting",
    BOTH_SAID_YES: "needs_both_yes",
    AGREEMENT_ACCEPTED: "needs_agreement",
    REASON: "needs_reason",
    OUTCOMES: "needs_outcomes",
    FAREWELL: "needs_farewell",
}

# The lists a reason is chosen from (with free text beside it).
DECLINE_REASONS = ("chemistry", "expectations", "time", "practical", "found_other_help", "other")
END_REASONS = ("time", "moved", "health", "no_contact", "goal_reached", "conflict", "other")
FIRST_MEETING_LEADS = {"mentee_led": ("mentee",), "facilitated": ("coordinator",)}
ANSWERS = ("yes", "no")


class Refused(ValueError):
    """A step the lifecycle does not allow; ``code`` says why."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def check(from_state: str, to_state: str, by: str, facts: Iterable[str]) -> Rule:
    """The rule that lets ``by`` move a pair from one state to another, given what holds.

    Raises :class:`Refused` when the step is not in the table, is not ``by``'s to take,
    or a fact it needs is missing; the order (table, role, facts) decides which error
    a caller sees first.
    """
    rule = TRANSITIONS.get((from_state, to_state))
    if rule is None:
        raise Refused(ILLEGAL, f"{from_state} -> {to_state}")
    if by not in rule.by:
        raise Refused(NOT_YOURS, by)
    held = set(facts)
    for need in rule.needs:
        if need not in held:
            raise Refused(MISSING[need], need)
    return rule


def moves(state: str, by: str) -> list[str]:
    """The states ``by`` may in principle take a pair in ``state`` to (facts aside)."""
    return [to for (source, to), rule in TRANSITIONS.items() if source == state and by in rule.by]


def check_first_meeting(style: str, led_by: str) -> None:
    """The tenant's template may ask that the mentee lead it, or that a coordinator does."""
    if led_by not in ("mentee", "coordinator"):
        raise Refused("invalid_led_by", led_by)
    allowed = FIRST_MEETING_LEADS.get(style)
    if allowed is not None and led_by not in allowed:
        raise Refused("wrong_led_by", led_by)


@dataclass(frozen=True)
class Answer:
    side: str
    stage: str
    answer: str


def both_said_yes(answers: Iterable[Answer]) -> bool:
    """Both must say yes *after* the first meeting: a yes to meet is not a yes to go on."""
    yes = {a.side for a in answers if a.stage == "introduced" and a.answer == "yes"}
    return yes >= set(SIDES)


def next_phase(phases: Sequence[str], current: str | None) -> str | None:
    """The phase after ``current`` (the first when there is none yet), or None at the end."""
    if not phases:
        return None
    if current not in phases:
        return phases[0]
    index = phases.index(current)
    return phases[index + 1] if index + 1 < len(phases) else None


def check_phase_move(phases: Sequence[str], current: str | None, target: str) -> None:
    """Phases go forward one at a time, so none is skipped without anyone noticing."""
    if target not in phases:
        raise Refused("unknown_phase", target)
    if target != next_phase(phases, current):
        raise Refused("phase_order", f"{current} -> {target}")
