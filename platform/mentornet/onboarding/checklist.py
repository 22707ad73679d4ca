"""The getting-started checklist a new programme's admin lands on.

Each step is done when the data says so (a coordinator was invited, the criteria were
saved) or when the admin ticks it herself (the preset's values suit her as they are).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from mentornet.accounts.models import Invitation, Membership, Role
from mentornet.extensions import db
from mentornet.tenancy.models import SettingsChange, Tenant


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    text: str
    endpoint: str
    done: bool


STEPS = {
    "values": (
        _l("Write your values"),
        _l("Say who the programme is for and what it stands for, in each of your languages."),
        "settings.general",
    ),
    "criteria": (
        _l("Choose your matching criteria"),
        _l("Decide what makes a good pair in your programme, and how much each criterion weighs."),
        "settings.matching",
    ),
    "coordinators": (
        _l("Invite your coordinators"),
        _l("Coordinators interview mentees and mentors, propose the pairs and follow them up."),
        "home.members",
    ),
    "join_link": (
        _l("Share the join link"),
        _l("Mentees and mentors sign up through your public form, in their own language."),
        "onboarding.checklist",
    ),
}


def _saved_sections() -> set[str]:
    """Top-level settings keys the admin has changed since the programme began."""
    sections: set[str] = set()
    for changes in db.session.scalars(select(SettingsChange.changes)):
        for change in changes or []:
            path = str(change.get("path", ""))
            sections.add(path.split(".", 1)[0].split("[", 1)[0])
    return sections


def _coordinators_invited() -> bool:
    coordinator = Role.COORDINATOR.value
    members = db.session.scalar(
        select(func.count()).select_from(Membership).where(Membership.role == coordinator)
    )
    invited = db.session.scalar(
        select(func.count()).select_from(Invitation).where(Invitation.role == coordinator)
    )
    return bool(members or invited)


def steps(tenant: Tenant) -> list[Step]:
    """The steps in order, each marked done or not, for the bound tenant."""
    ticked = set(tenant.checklist or [])
    saved = _saved_sections()
    done = {
        "values": "values" in ticked or bool(saved & {"values", "target_group"}),
        "criteria": "criteria" in ticked or "matching" in saved,
        "coordinators": "coordinators" in ticked or _coordinators_invited(),
        "join_link": "join_link" in ticked,
    }
    return [
        Step(key, str(title), str(text), endpoint, done[key])
        for key, (title, text, endpoint) in STEPS.items()
    ]


def tick(tenant: Tenant, key: str) -> None:
    """The admin marks a step done herself."""
    if key not in STEPS:
        raise KeyError(key)
    if key not in (tenant.checklist or []):
        tenant.checklist = [*(tenant.checklist or []), key]
