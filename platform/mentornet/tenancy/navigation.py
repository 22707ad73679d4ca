"""The admin's settings area: one list of pages, shown as the side menu of each of them."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

# (endpoint, label); pages another module owns (billing, single sign-on) are listed here
# too, so the admin finds every setting in one place.
SETTINGS_PAGES = (
    ("onboarding.checklist", _l("Getting started")),
    ("settings.general", _l("Programme")),
    ("settings.offices", _l("Offices")),
    ("settings.intake", _l("Intake questions")),
    ("settings.matching", _l("Matching")),
    ("settings.cycle", _l("Cycle")),
    ("settings.privacy", _l("Privacy")),
    ("settings.translations", _l("Missing translations")),
    ("settings.advanced", _l("All settings as TOML")),
    ("settings.history", _l("History of changes")),
    ("home.members", _l("Team and invitations")),
    ("sso.settings", _l("Single sign-on")),
    ("billing.overview", _l("Plan and billing")),
)


def settings_pages() -> list[tuple[str, str]]:
    """The pages that exist in this build, in menu order."""
    return [(e, str(label)) for e, label in SETTINGS_PAGES if e in current_app.view_functions]
