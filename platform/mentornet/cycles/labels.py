"""Words for the cycle's keys (states, reasons, kinds), in the reader's language."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import localized

LABELS = {
    "state": {
        "proposed": _l("Proposed"),
        "introduced": _l("First meeting held"),
        "agreed": _l("Agreed"),
        "active": _l("Active"),
        "completed": _l("Completed"),
        "redefined": _l("Continues as friends"),
        "declined": _l("Declined"),
        "ended_early": _l("Ended early"),
    },
    "decline_reason": {
        "chemistry": _l("We did not click"),
        "expectations": _l("Our expectations were too different"),
        "time": _l("Not enough time"),
        "practical": _l("Distance or timetable"),
        "found_other_help": _l("Help was found elsewhere"),
        "other": _l("Another reason"),
    },
    "end_reason": {
        "time": _l("Not enough time"),
        "moved": _l("Moved away"),
        "health": _l("Illness or family reasons"),
        "no_contact": _l("Lost contact"),
        "goal_reached": _l("The goal was reached early"),
        "conflict": _l("Disagreement"),
        "other": _l("Another reason"),
    },
    "meeting_kind": {
        "face_to_face": _l("Face to face"),
        "phone": _l("Phone"),
        "online": _l("Online"),
        "email": _l("Email or messages"),
    },
    "goal_status": {
        "open": _l("Not started"),
        "in_progress": _l("In progress"),
        "achieved": _l("Achieved"),
        "dropped": _l("Dropped"),
    },
    "health": {
        "on_track": _l("On track"),
        "behind": _l("Behind the agreement"),
        "silent": _l("Silent"),
    },
    "follow_up_kind": {
        "first": _l("After the first month"),
        "regular": _l("Regular check-in"),
        "closing": _l("At closing"),
    },
    "led_by": {
        "mentee": _l("The mentee led it"),
        "coordinator": _l("A coordinator facilitated it"),
    },
    "side": {
        "mentee": _l("Mentee"),
        "mentor": _l("Mentor"),
        "coordinator": _l("Coordinator"),
    },
}


def cycle_label(group: str, key: str | None) -> str:
    if key is None:
        return ""
    return str(LABELS.get(group, {}).get(key, key))


def choices(group: str) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in LABELS[group].items()]


def phase_name(key: str | None) -> str:
    """The tenant's own name for a phase, in the reader's language."""
    if key is None:
        return ""
    settings = current_tenant.config
    for phase in settings.cycle.phases:
        if phase.key == key:
            return localized(phase.name, str(get_locale()), settings.default_locale)
    return key


def register(bp: Blueprint) -> None:
    bp.add_app_template_global(cycle_label)
    bp.add_app_template_global(phase_name)
