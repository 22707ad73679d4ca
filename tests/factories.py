"""Builders for test data: tenant settings, tenants with one member per role, tokens."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentornet.accounts import services
from mentornet.extensions import db
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from mentornet.tenancy.presets import read_preset, upsert_tenant
from mentornet.tenancy.settings_schema import validate_settings

PASSWORD = "correct horse battery"
# The /start form as a new organisation fills it in (Norwegian, from the Denmark preset).
SIGNUP = {
    "organisation": "Oslo Mentors",
    "country": "NO",
    "slug": "oslo-mentors",
    "preset": "denmark",
    "locale": "nb",
    "admin_name": "Kari Nordmann",
    "email": "kari@oslo.example.org",
    "password": PASSWORD,
    "confirm": PASSWORD,
}
TENANTS_DIR = Path(__file__).resolve().parent.parent / "tenants"
ROLES = ("admin", "coordinator", "mentor", "mentee")


def settings_data(name: str, locales: tuple[str, ...] = ("da", "en")) -> dict[str, Any]:
    """Small but complete settings; every text in every locale of the tenant."""

    def text(words: str) -> dict[str, str]:
        return {loc: f"{words} [{loc}]" for loc in locales}

    return {
        "name": name,
        "country": "DK",
        "locales": list(locales),
        "target_group": text(f"Newcomers served by {name}"),
        "values": [{"title": text("Equality"), "text": text("We meet as equals.")}],
        "offices": [
            {"key": "north", "name": text("North office")},
            {"key": "south", "name": text("South office")},
        ],
        "intake_questions": [
            {"key": "hobby", "kind": "text", "label": text("Hobby")},
            {
                "key": "about_family",
                "kind": "long_text",
                "label": text("Family"),
                "help": text("Only if you want to"),
            },
            {
                "key": "level",
                "kind": "single_choice",
                "audience": "mentee",
                "required": True,
                "label": text("Language level"),
                "choices": [
                    {"key": "low", "label": text("Low")},
                    {"key": "high", "label": text("High")},
                ],
            },
            {
                "key": "days",
                "kind": "multiple_choice",
                "label": text("Days"),
                "choices": [
                    {"key": "mon", "label": text("Monday")},
                    {"key": "tue", "label": text("Tuesday")},
                ],
            },
            {
                "key": "years_here",
                "kind": "number",
                "audience": "mentee",
                "label": text("Years here"),
            },
            {"key": "start", "kind": "date", "label": text("Start date")},
            {"key": "children", "kind": "yes_no", "required": True, "label": text("Children")},
            {"key": "old", "kind": "text", "retired": True, "label": text("Retired question")},
        ],
        "matching": {
            "criteria": [
                {
                    "key": "profession",
                    "field": "profession",
                    "kind": "taxonomy",
                    "weight": 3,
                    "label": text("Profession"),
                },
            ]
        },
        "cycle": {
            "months": 6,
            "phases": [{"key": "start", "name": text("Start"), "months": 6}],
            "agreement_minimum": {"kind": "minutes_per_month", "value": 120},
            "follow_ups": {"first_after_weeks": 4, "every_weeks": 8},
        },
        "retention_months": 24,
    }


@dataclass
class TenantWorld:
    slug: str
    id: int
    emails: dict[str, str] = field(default_factory=dict)
    member_ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)


def make_tenant(
    slug: str,
    locales: tuple[str, ...] = ("da", "en"),
    domain: str | None = None,
    preset: str | None = None,
) -> TenantWorld:
    """A tenant with one member per role and an API token each. Needs an app context.

    ``preset`` loads a shipped file from tenants/ (e.g. "denmark") instead of the small
    test settings; the tenant's slug is then the preset's.
    """
    if preset is not None:
        tenant, _created = upsert_tenant(read_preset(TENANTS_DIR / f"{preset}.toml"))
        slug = tenant.slug
    else:
        data = settings_data(slug.capitalize(), locales)
        validate_settings(copy.deepcopy(data))
        tenant = Tenant(slug=slug, name=data["name"], country="DK", settings=data, domain=domain)
        db.session.add(tenant)
    db.session.commit()
    world = TenantWorld(slug=slug, id=tenant.id)
    with with_tenant(tenant):
        for role in ROLES:
            email = f"{role}@{slug}.example.org"
            user = services.ensure_user(email, name=f"{role.title()} of {slug}", password=PASSWORD)
            membership = services.grant_membership(user, role)
            db.session.flush()
            world.emails[role] = email
            world.member_ids[role] = membership.id
            world.user_ids[role] = user.id
            world.tokens[role] = services.create_token(membership, "test")
        db.session.commit()
    return world
