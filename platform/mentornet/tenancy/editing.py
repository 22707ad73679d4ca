"""Changing a tenant's settings: validate, diff by key path, store, keep the history.

The settings pages, the TOML page and the API all save through :func:`apply_settings`,
so one set of rules decides what may be stored. No Flask request is read here; the
tenant must be bound (the checks look at its participants, staff and mentorships).
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from mentornet.extensions import db
from mentornet.tenancy.models import SettingsChange, Tenant
from mentornet.tenancy.settings_schema import SettingsError, TenantSettings, validate_settings

# Items of these lists are told apart by this field, not by their place in the list.
IDENTITY_FIELDS = ("key", "purpose")
# Keys holding a text per locale (see settings_schema._LOCAL_TEXT_KEYS).
LOCAL_TEXT_KEYS = frozenset({"target_group", "title", "text", "name", "label", "help"})

Problem = tuple[str, str]


# --- reading -------------------------------------------------------------------------------


def current_settings(tenant: Tenant) -> dict[str, Any]:
    """The stored settings with every default filled in, as a fresh dict to edit."""
    return tenant.config.model_dump(mode="json")


# --- helpers the pages build new settings with ---------------------------------------------


def set_locales(data: dict[str, Any], locales: list[str]) -> dict[str, Any]:
    """``data`` with ``locales`` (default first) and every text in a dropped locale removed.

    Switching a language off must not leave texts the schema would refuse behind it.
    """
    result = copy.deepcopy(data)
    result["locales"] = list(locales)
    _prune_texts(result, set(locales))
    return result


def _prune_texts(value: Any, keep: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in LOCAL_TEXT_KEYS and isinstance(item, dict):
                for locale in [loc for loc in item if loc not in keep]:
                    del item[locale]
            else:
                _prune_texts(item, keep)
    elif isinstance(value, list):
        for item in value:
            _prune_texts(item, keep)


def moved(items: list[Any], index: int, step: int) -> list[Any]:
    """``items`` with the one at ``index`` moved ``step`` places (-1 up, +1 down), clamped."""
    target = index + step
    if not (0 <= index < len(items)) or not (0 <= target < len(items)):
        return list(items)
    result = list(items)
    result[index], result[target] = result[target], result[index]
    return result


# --- differences ---------------------------------------------------------------------------


def _identity(items: list[Any]) -> str | None:
    """The field that identifies the items of a list of tables, when every item has it."""
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for name in IDENTITY_FIELDS:
        if all(name in item for item in items):
            return name
    return None


def diff_settings(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Every change from ``before`` to ``after`` as ``{"path", "before", "after"}``.

    Lists of keyed items (offices, questions, criteria, phases...) are compared by key:
    ``matching.criteria[profession].weight``; a new order is one change of kind "order"
    listing the keys before and after, so a reorder reads as a reorder and not as edits.
    """
    changes: list[dict[str, Any]] = []
    _diff(before, after, path, changes)
    return changes


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _diff(before: Any, after: Any, path: str, out: list[dict[str, Any]]) -> None:
    if before == after:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            _diff(before.get(key), after.get(key), _join(path, key), out)
        return
    if isinstance(before, list) and isinstance(after, list):
        identity = _identity(before + after)
        if identity is not None:
            _diff_keyed(before, after, identity, path, out)
            return
        if before and after and all(isinstance(i, dict) for i in before + after):
            for index in range(max(len(before), len(after))):
                _diff(
                    before[index] if index < len(before) else None,
                    after[index] if index < len(after) else None,
                    f"{path}[{index}]",
                    out,
                )
            return
    out.append({"path": path or "(top level)", "before": before, "after": after})


def _diff_keyed(
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    identity: str,
    path: str,
    out: list[dict[str, Any]],
) -> None:
    old = {item[identity]: item for item in before}
    new = {item[identity]: item for item in after}
    for key, item in old.items():
        if key not in new:
            out.append({"path": f"{path}[{key}]", "before": item, "after": None})
    for key, item in new.items():
        if key in old:
            _diff(old[key], item, f"{path}[{key}]", out)
        else:
            out.append({"path": f"{path}[{key}]", "before": None, "after": item})
    kept_before = [key for key in old if key in new]
    kept_after = [key for key in new if key in old]
    if kept_before != kept_after:
        out.append({"path": path, "kind": "order", "before": list(old), "after": list(new)})


# --- rules that need the tenant's data -----------------------------------------------------


def office_usage() -> dict[str, tuple[int, int]]:
    """Per office key: (participants, staff members) that point at it."""
    from mentornet.accounts.models import Membership
    from mentornet.people.models import Participant

    participants = dict(
        db.session.execute(
            select(Participant.office, func.count())
            .where(Participant.erased_at.is_(None), Participant.office.is_not(None))
            .group_by(Participant.office)
        ).all()
    )
    staff: Counter[str] = Counter()
    for offices in db.session.scalars(select(Membership.offices)):
        staff.update(set(offices or []))
    keys = set(participants) | set(staff)
    return {key: (participants.get(key, 0), staff.get(key, 0)) for key in keys}


def answer_counts() -> dict[str, int]:
    """Per intake question key: how many participants answered it (erased ones have none)."""
    from mentornet.people.models import Participant

    counts: Counter[str] = Counter()
    for answers in db.session.scalars(
        select(Participant.intake_answers).where(Participant.erased_at.is_(None))
    ):
        counts.update(key for key, value in (answers or {}).items() if value not in ("", None, []))
    return dict(counts)


def _phase_usage() -> dict[str, int]:
    from mentornet.cycles.models import OPEN_STATES, Mentorship

    return dict(
        db.session.execute(
            select(Mentorship.phase, func.count())
            .where(Mentorship.state.in_(OPEN_STATES), Mentorship.phase.is_not(None))
            .group_by(Mentorship.phase)
        ).all()
    )


def _keys(items: list[dict[str, Any]], field: str = "key") -> dict[str, int]:
    return {item[field]: index for index, item in enumerate(items)}


def transition_problems(before: dict[str, Any], after: dict[str, Any]) -> list[Problem]:
    """What valid settings still may not do to the data already stored under the old ones.

    Removing an office someone belongs to, a question someone answered or a phase a pair
    is in would orphan that data; changing a question's kind would misread its answers;
    new wording of a consent notice under the same version would blur what was agreed to.
    """
    problems: list[Problem] = []
    new_offices = _keys(after["offices"])
    removed = [o["key"] for o in before["offices"] if o["key"] not in new_offices]
    if removed:
        usage = office_usage()
        for key in removed:
            people, staff = usage.get(key, (0, 0))
            if people or staff:
                problems.append(
                    (
                        f"offices[{key}]",
                        f"office {key!r} is still used by {people} participant(s) and {staff} "
                        "staff member(s); move them to another office first",
                    )
                )
    old_questions = {q["key"]: q for q in before["intake_questions"]}
    new_questions = _keys(after["intake_questions"])
    if old_questions:
        counts = answer_counts()
        for key, question in old_questions.items():
            answered = counts.get(key, 0)
            if not answered:
                continue
            if key not in new_questions:
                problems.append(
                    (
                        f"intake_questions[{key}]",
                        f"question {key!r} has answers from {answered} participant(s); "
                        "retire it instead, so the answers are kept",
                    )
                )
            elif after["intake_questions"][new_questions[key]]["kind"] != question["kind"]:
                problems.append(
                    (
                        f"intake_questions[{new_questions[key]}].kind",
                        f"the kind cannot change: {answered} participant(s) answered this "
                        "question; add a new question and retire this one",
                    )
                )
    new_phases = _keys(after["cycle"]["phases"])
    removed = [p["key"] for p in before["cycle"]["phases"] if p["key"] not in new_phases]
    if removed:
        usage = _phase_usage()
        for key in removed:
            if usage.get(key):
                problems.append(
                    (
                        f"cycle.phases[{key}]",
                        f"{usage[key]} mentorship(s) are in phase {key!r} now; "
                        "keep it until they have moved on",
                    )
                )
    old_notices = {n["purpose"]: n for n in before["consent_notices"]}
    for index, notice in enumerate(after["consent_notices"]):
        old = old_notices.get(notice["purpose"])
        if old is None or old["version"] != notice["version"]:
            continue
        if old["title"] != notice["title"] or old["text"] != notice["text"]:
            problems.append(
                (
                    f"consent_notices[{index}].version",
                    "the wording changed: give the notice a new version, so consents given "
                    "to the old wording stay apart",
                )
            )
    return problems


# --- saving --------------------------------------------------------------------------------


def check_settings(tenant: Tenant, data: dict[str, Any]) -> TenantSettings:
    """Validate ``data`` as the tenant's next settings; raise :class:`SettingsError`."""
    settings = validate_settings(copy.deepcopy(data))
    problems = transition_problems(current_settings(tenant), settings.model_dump(mode="json"))
    if problems:
        raise SettingsError(problems)
    return settings


def apply_settings(
    tenant: Tenant, data: dict[str, Any], section: str, user_id: int | None
) -> SettingsChange | None:
    """Validate and store ``data`` as the tenant's settings, with one history entry.

    Raises :class:`SettingsError` listing (key path, reason), storing nothing. Returns
    the history entry, or None when nothing changed (and then nothing is stored). Flushes;
    the caller commits.
    """
    before = current_settings(tenant)
    settings = check_settings(tenant, data)
    after = settings.model_dump(mode="json")
    changes = diff_settings(before, after)
    if not changes:
        return None
    tenant.settings = after
    tenant.name = settings.name
    tenant.country = settings.country
    change = SettingsChange(user_id=user_id, section=section, changes=changes, before=before)
    db.session.add(change)
    db.session.flush()
    return change
