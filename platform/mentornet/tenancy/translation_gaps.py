"""Which of a tenant's own texts lack a translation in one of its languages.

A missing text falls back to the default language on every page, so nothing breaks; this
list is how the admin finds what still reads in the wrong language. Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentornet.tenancy.settings_schema import local_texts

# Which settings page edits the texts under each top-level key.
SECTION_PAGES = {
    "target_group": "settings.general",
    "values": "settings.general",
    "offices": "settings.offices",
    "intake_questions": "settings.intake",
    "matching": "settings.matching",
    "cycle": "settings.cycle",
    "profile": "settings.privacy",
    "consent_notices": "settings.privacy",
}


@dataclass(frozen=True)
class Gap:
    path: str
    locale: str
    default_text: str
    endpoint: str


def missing_translations(settings: dict[str, Any]) -> list[Gap]:
    """Every (text, language) pair without a translation, in the order of the settings."""
    locales: list[str] = list(settings.get("locales") or [])
    if not locales:
        return []
    default = locales[0]
    gaps = []
    for path, text in local_texts(settings, ""):
        top = path.split(".", 1)[0].split("[", 1)[0]
        for locale in locales[1:]:
            if not (text.get(locale) or "").strip():
                gaps.append(
                    Gap(
                        path,
                        locale,
                        text.get(default, ""),
                        SECTION_PAGES.get(top, "settings.advanced"),
                    )
                )
    return gaps
