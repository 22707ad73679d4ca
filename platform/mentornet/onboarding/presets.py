"""What a new organisation can start from: a shipped preset, or a blank programme.

A preset is another organisation's whole programme (values, criteria, cycle...). The new
organisation takes it under its own name, country and default language; texts the preset
lacks in that language start as a copy of the preset's own, ready to be translated.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from mentornet.tenancy.presets import preset_files, read_preset
from mentornet.tenancy.settings_schema import (
    SUPPORTED_LOCALES,
    SettingsError,
    local_texts,
    validate_settings,
)

BLANK = "blank"


@dataclass(frozen=True)
class PresetChoice:
    """One preset as /start offers it."""

    key: str
    name: str
    country: str
    months: float
    locales: tuple[str, ...]
    target_group: dict[str, str]


def choices(presets_path: str | Path) -> list[PresetChoice]:
    """The shipped presets, in file name order; unreadable files are left out."""
    found: list[PresetChoice] = []
    path = Path(presets_path)
    if not path.exists():
        return found
    for file in preset_files(path):
        try:
            preset = read_preset(file)
        except SettingsError:
            continue
        s = preset.settings
        found.append(
            PresetChoice(
                key=preset.slug,
                name=s.name,
                country=s.country,
                months=s.cycle.months,
                locales=tuple(s.locales),
                target_group=dict(s.target_group),
            )
        )
    return found


def settings_for(
    presets_path: str | Path, key: str, *, name: str, country: str, locale: str
) -> dict[str, Any]:
    """Validated settings for a new organisation from preset ``key`` (or ``blank``)."""
    if key == BLANK:
        data = blank_settings(locale)
    else:
        files = {f.stem: f for f in preset_files(Path(presets_path))}
        if key not in files:
            raise KeyError(key)
        data = read_preset(files[key]).settings.model_dump(mode="json")
    data = copy.deepcopy(data)
    data["name"] = name
    data["country"] = country
    _make_default(data, locale)
    return validate_settings(data).model_dump(mode="json")


def _make_default(data: dict[str, Any], locale: str) -> None:
    """Put ``locale`` first, and give every text a version in it (a copy to translate)."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(locale)
    previous_default = data["locales"][0]
    data["locales"] = [locale, *[code for code in data["locales"] if code != locale]]
    for _path, text in local_texts(data, ""):
        if locale not in text and previous_default in text:
            text[locale] = text[previous_default]


def blank_settings(locale: str) -> dict[str, Any]:
    """A small working programme: one office, four criteria, a 12-month cycle.

    The texts are written in the organisation's language from the shipped catalogues.
    """
    with force_locale(locale):

        def t(text: str) -> dict[str, str]:
            return {locale: text}

        return {
            "name": "",
            "country": "",
            "locales": [locale],
            "retention_months": 24,
            "target_group": t(
                _("Newcomers who want a mentor to help them find their way in work and society.")
            ),
            "values": [
                {
                    "title": t(_("One to one")),
                    "text": t(
                        _("Each mentee has her own mentor, who gives time, knowledge and network.")
                    ),
                }
            ],
            "offices": [{"key": "main", "name": t(_("Main office"))}],
            "intake_questions": [],
            "matching": {
                "min_score": 0.3,
                "criteria": [
                    {
                        "key": "profession",
                        "field": "profession",
                        "kind": "taxonomy",
                        "weight": 40,
                        "label": t(_("Profession")),
                    },
                    {
                        "key": "goals",
                        "field": "goals",
                        "kind": "overlap",
                        "weight": 30,
                        "label": t(_("Her goals and what the mentor can help with")),
                    },
                    {
                        "key": "languages",
                        "field": "languages",
                        "kind": "overlap",
                        "weight": 20,
                        "hard": True,
                        "label": t(_("A shared language")),
                    },
                    {
                        "key": "story",
                        "field": "story",
                        "kind": "text",
                        "weight": 10,
                        "label": t(_("Her wishes and the mentor's story")),
                    },
                ],
            },
            "cycle": {
                "months": 12,
                "first_meeting": "either",
                "phases": [
                    {"key": "initiation", "name": t(_("Initiation")), "months": 2},
                    {"key": "cultivation", "name": t(_("Cultivation")), "months": 6},
                    {"key": "maturation", "name": t(_("Maturation")), "months": 3},
                    {"key": "separation", "name": t(_("Separation")), "months": 1},
                ],
                "agreement_minimum": {
                    "kind": "minutes_per_month",
                    "value": 120,
                    "meeting_kinds": ["face_to_face"],
                },
                "follow_ups": {"first_after_weeks": 4, "every_weeks": 12, "at_closing": True},
            },
        }
