"""Words for the settings schema's keys (kinds, fields, rules), in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from mentornet.cycles.labels import LABELS as CYCLE_LABELS
from mentornet.tenancy.settings_schema import (
    ALL_PROFILE_FIELDS,
    CRITERION_FIELDS,
    CRITERION_KINDS,
    INTAKE_KINDS,
    MEETING_KINDS,
)

INTAKE_KIND_LABELS = {
    "text": _l("Short text"),
    "long_text": _l("Long text"),
    "single_choice": _l("One choice from a list"),
    "multiple_choice": _l("Several choices from a list"),
    "number": _l("Number"),
    "date": _l("Date"),
    "yes_no": _l("Yes or no"),
}

AUDIENCE_LABELS = {
    "both": _l("Mentees and mentors"),
    "mentee": _l("Mentees"),
    "mentor": _l("Mentors"),
}

CRITERION_KIND_LABELS = {
    "same": _l("The same value"),
    "taxonomy": _l("Close in the occupation classification"),
    "ordinal": _l("Close on a scale"),
    "overlap": _l("What they have in common"),
    "text": _l("Similar words in their texts"),
}

# The participant fields as the profile page names them.
FIELD_LABELS = {
    "phone": _l("Phone"),
    "profession": _l("Profession"),
    "education_level": _l("Highest education"),
    "education_field": _l("Field of education"),
    "interests": _l("Interests"),
    "story": _l("Story"),
    "sector": _l("Sector"),
    "business_stage": _l("Stage of the business"),
    "goals": _l("Goals"),
    "wishes": _l("The mentor she wishes for"),
    "country_of_origin": _l("Country of origin"),
    "arrival_year": _l("Arrived"),
    "date_of_birth": _l("Date of birth"),
    "helps_with": _l("Can help with"),
    "capacity": _l("Mentees at a time"),
    "availability": _l("Availability"),
    "languages": _l("Languages"),
    "office": _l("Office"),
}

FIRST_MEETING_LABELS = {
    "either": _l("Led by the mentee or facilitated, as they prefer"),
    "mentee_led": _l("Led by the mentee"),
    "facilitated": _l("Facilitated by a coordinator"),
}

AGREEMENT_KIND_LABELS = {
    "minutes_per_month": _l("Minutes a month"),
    "total_hours": _l("Hours over the whole cycle"),
}

SECTION_LABELS = {
    "general": _l("Programme"),
    "offices": _l("Offices"),
    "intake": _l("Intake questions"),
    "matching": _l("Matching"),
    "cycle": _l("Cycle"),
    "privacy": _l("Privacy"),
    "advanced": _l("All settings as TOML"),
    "api": _l("API"),
}


def pairs(labels: dict[str, object], keys: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(key, label) choices in the order of ``keys`` (default: the dict's own order)."""
    return [(key, str(labels.get(key, key))) for key in (keys or tuple(labels))]


def intake_kind_choices() -> list[tuple[str, str]]:
    return pairs(INTAKE_KIND_LABELS, INTAKE_KINDS)


def criterion_kind_choices() -> list[tuple[str, str]]:
    return pairs(CRITERION_KIND_LABELS, CRITERION_KINDS)


def criterion_field_choices() -> list[tuple[str, str]]:
    return pairs(FIELD_LABELS, tuple(CRITERION_FIELDS))


def profile_field_choices() -> list[tuple[str, str]]:
    return pairs(FIELD_LABELS, ALL_PROFILE_FIELDS)


def meeting_kind_choices() -> list[tuple[str, str]]:
    return pairs(CYCLE_LABELS["meeting_kind"], MEETING_KINDS)


def section_label(section: str) -> str:
    return str(SECTION_LABELS.get(section, section))
