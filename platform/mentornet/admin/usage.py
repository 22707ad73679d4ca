"""What the operator may know of each tenant: status, plan and counts, never people.

Counts are read in one platform scope, grouped by tenant, so the page costs a handful of
queries however many tenants there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select

from mentornet.accounts.models import Membership
from mentornet.billing.models import BillingAccount
from mentornet.billing.plans import PILOT
from mentornet.billing.services import billing_enabled
from mentornet.cycles.lifecycle import OPEN_STATES
from mentornet.cycles.models import Mentorship
from mentornet.extensions import db
from mentornet.people.models import Participant
from mentornet.tenancy.context import platform_scope
from mentornet.tenancy.models import Tenant


@dataclass
class TenantUsage:
    id: int
    slug: str
    name: str
    country: str
    status: str
    plan: str
    created_at: datetime
    members: dict[str, int] = field(default_factory=dict)
    participants: dict[str, int] = field(default_factory=dict)
    mentorships: dict[str, int] = field(default_factory=dict)


def _grouped(statement) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for tenant_id, key, count in db.session.execute(statement):
        out[tenant_id][key] = count
    return out


def tenants_with_usage() -> list[TenantUsage]:
    """Every tenant, newest first, with its plan and counts (no names, no emails)."""
    plans: dict[int, str] = {}
    if billing_enabled():  # with billing off every programme is on Pilot
        plans = dict(
            db.session.execute(select(BillingAccount.tenant_id, BillingAccount.plan)).all()
        )
    state = case((Mentorship.state.in_(OPEN_STATES), "open"), else_=Mentorship.state)
    with platform_scope():
        members = _grouped(
            select(Membership.tenant_id, Membership.role, func.count()).group_by(
                Membership.tenant_id, Membership.role
            )
        )
        participants = _grouped(
            select(Participant.tenant_id, Participant.kind, func.count()).group_by(
                Participant.tenant_id, Participant.kind
            )
        )
        mentorships = _grouped(
            select(Mentorship.tenant_id, state, func.count()).group_by(Mentorship.tenant_id, state)
        )
    rows = db.session.scalars(select(Tenant).order_by(Tenant.created_at.desc(), Tenant.id.desc()))
    return [
        TenantUsage(
            id=t.id,
            slug=t.slug,
            name=t.name,
            country=t.country,
            status=t.status,
            plan=plans.get(t.id, PILOT.key),
            created_at=t.created_at,
            members=members.get(t.id, {}),
            participants=participants.get(t.id, {}),
            mentorships=mentorships.get(t.id, {}),
        )
        for t in rows
    ]
