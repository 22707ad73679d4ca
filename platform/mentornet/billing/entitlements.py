"""What a tenant's plan and billing status allow, and the notice that says why not.

Two rules, and only two: a read-only or canceled programme can be read but not changed,
and a programme at its plan's limit of open mentorships cannot propose another one.
Everything else keeps working, and no rule ever deletes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import g, has_request_context
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from mentornet.billing.plans import Plan
from mentornet.billing.services import (
    READ_ONLY_STATUSES,
    account_of,
    billing_enabled,
    effective_status,
    grace_ends_at,
    plan_of,
)
from mentornet.cycles.access import CycleError
from mentornet.cycles.lifecycle import OPEN_STATES
from mentornet.cycles.models import Mentorship
from mentornet.extensions import db
from mentornet.tenancy.context import bound_tenant_id, current_tenant, with_tenant
from mentornet.tenancy.models import Tenant, TenantStatus


@dataclass(frozen=True)
class Usage:
    open_mentorships: int
    plan: Plan

    @property
    def limit(self) -> int | None:
        return self.plan.max_open_mentorships

    @property
    def at_limit(self) -> bool:
        return not self.plan.allows(self.open_mentorships)


@dataclass(frozen=True)
class Notice:
    """A sentence for the top of every page, how loud it is, and whether to link billing."""

    message: str
    level: str  # "warning" or "danger"
    link_to_billing: bool = False


def open_mentorships(tenant: Tenant) -> int:
    """Mentorships that take a place on the plan: proposed, introduced, agreed, active."""
    statement = select(func.count(Mentorship.id)).where(Mentorship.state.in_(OPEN_STATES))
    if bound_tenant_id() == tenant.id:
        return db.session.scalar(statement) or 0
    with with_tenant(tenant):
        return db.session.scalar(statement) or 0


def usage_of(tenant: Tenant) -> Usage:
    return Usage(open_mentorships(tenant), plan_of(tenant))


def status_of(tenant: Tenant) -> str:
    """The status billing enforces: none of them when billing is off."""
    if not billing_enabled():
        return TenantStatus.ACTIVE.value
    return effective_status(tenant)


def can_write(tenant: Tenant) -> bool:
    return status_of(tenant) not in READ_ONLY_STATUSES


def read_only_message(status: str) -> str:
    if status == TenantStatus.CANCELED.value:
        return _(
            "This programme's subscription has ended, so it is read-only: everything can "
            "still be read, nothing can be changed. An admin can subscribe again under "
            "Plan and billing."
        )
    return _(
        "This programme is read-only because its payment is overdue: everything can still "
        "be read, nothing can be changed. An admin can settle the payment under Plan and "
        "billing."
    )


def limit_message(usage: Usage) -> str:
    return _(
        "This programme has %(count)d open mentorships and the %(plan)s plan allows "
        "%(limit)d. A mentorship counts from its proposal until it closes. No new "
        "mentorship can be proposed until one closes or the programme moves to a larger "
        "plan; everything else works as usual.",
        count=usage.open_mentorships,
        plan=usage.plan.name,
        limit=usage.limit or 0,
    )


def check_can_propose(tenant: Tenant) -> None:
    """Raise the CycleError a refused proposal shows, on the page and in the API.

    The tenant's row is locked first (FOR NO KEY UPDATE on PostgreSQL, which leaves
    inserts of the tenant's rows alone), so two coordinators proposing at once cannot
    both take the plan's last place.
    """
    status = status_of(tenant)
    if status in READ_ONLY_STATUSES:
        raise CycleError("read_only", read_only_message(status))
    plan = plan_of(tenant)
    if plan.max_open_mentorships is None:
        return
    db.session.execute(
        select(Tenant.id).where(Tenant.id == tenant.id).with_for_update(key_share=True)
    )
    usage = Usage(open_mentorships(tenant), plan)
    if usage.at_limit:
        raise CycleError("plan_limit", limit_message(usage))


def _past_due_message(grace_end: datetime | None) -> str:
    if grace_end is None:
        return _("The last payment for this programme did not go through.")
    return _(
        "The last payment for this programme did not go through. Everything works as usual "
        "until %(date)s; after that the programme becomes read-only until it is paid.",
        date=format_date(grace_end, "long"),
    )


def notice_for(tenant: Tenant, role: str | None) -> Notice | None:
    """What a member of ``tenant`` with ``role`` should read at the top of each page.

    Read-only concerns everyone (nothing can be logged); an overdue payment and the plan's
    limit concern the staff who pay and propose.
    """
    if role is None:
        return None
    admin = role == "admin"
    status = status_of(tenant)
    if status in READ_ONLY_STATUSES:
        return Notice(read_only_message(status), "danger", admin)
    if role not in ("admin", "coordinator"):
        return None
    if status == TenantStatus.PAST_DUE.value:
        return Notice(_past_due_message(grace_ends_at(account_of(tenant))), "warning", admin)
    usage = usage_of(tenant)
    if usage.at_limit:
        return Notice(limit_message(usage), "warning", admin)
    return None


def current_notice() -> Notice | None:
    """The notice for the member viewing this page; worked out once per request."""
    if not has_request_context():
        return None
    if "_billing_notice" not in g:
        tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]
        membership = g.get("membership")
        g._billing_notice = (
            notice_for(tenant, membership.role)
            if tenant is not None and membership is not None
            else None
        )
    return g._billing_notice
