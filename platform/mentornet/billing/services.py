"""A tenant's plan and billing status, and the two ways to Stripe: Checkout and the Portal.

Billing is on only when both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set. Off (the
embedded default, and the demo), every programme is on Pilot and nothing else is limited.
Nothing here ever deletes a tenant's data: a status only decides what may still be written.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mentornet.billing import stripe_api
from mentornet.billing.models import BillingAccount
from mentornet.billing.plans import PILOT, Plan, is_plan, plan_by_key
from mentornet.dbtypes import as_utc, utcnow
from mentornet.extensions import db
from mentornet.tenancy.models import Tenant, TenantStatus

log = logging.getLogger(__name__)

# Stripe subscription statuses after which that subscription never comes back.
FINAL_SUBSCRIPTION_STATUSES = ("canceled", "incomplete_expired")
# Statuses in which a programme's data can be read but not changed.
READ_ONLY_STATUSES = (TenantStatus.READ_ONLY.value, TenantStatus.CANCELED.value)


class BillingError(ValueError):
    """A billing step that cannot be taken now, with the reason to show the admin."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def billing_enabled() -> bool:
    config = current_app.config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


def account_of(tenant: Tenant) -> BillingAccount | None:
    """The tenant's billing row if it has one (a tenant that never paid may not)."""
    return db.session.get(BillingAccount, tenant.id)


def account_for(tenant: Tenant, *, lock: bool = False) -> BillingAccount:
    """The tenant's billing row, created on first use; ``lock`` holds it for this transaction."""
    statement = select(BillingAccount).where(BillingAccount.tenant_id == tenant.id)
    if lock:
        statement = statement.with_for_update()
    account = db.session.scalar(statement)
    if account is not None:
        return account
    try:
        with db.session.begin_nested():
            account = BillingAccount(tenant_id=tenant.id, plan=PILOT.key)
            db.session.add(account)
    except IntegrityError:  # another request created it a moment ago
        account = db.session.scalar(statement)
        assert account is not None
    return account


def plan_of(tenant: Tenant) -> Plan:
    """The plan the tenant is on now: Pilot when billing is off or nothing was bought."""
    if not billing_enabled():
        return PILOT
    account = account_of(tenant)
    return plan_by_key(account.plan) if account is not None else PILOT


def grace_period() -> timedelta:
    return timedelta(days=int(current_app.config.get("BILLING_GRACE_DAYS", 14)))


def grace_ends_at(account: BillingAccount | None) -> datetime | None:
    """When an overdue programme becomes read-only, if its payment is overdue."""
    if account is None or account.past_due_since is None:
        return None
    since = as_utc(account.past_due_since)
    assert since is not None
    return since + grace_period()


def effective_status(
    tenant: Tenant, account: BillingAccount | None = None, now: datetime | None = None
) -> str:
    """The tenant's status as it stands now: overdue past the grace period is read-only,
    even before ``mentornet billing sweep`` has written that down."""
    if tenant.status != TenantStatus.PAST_DUE.value:
        return tenant.status
    if account is None:
        account = account_of(tenant)
    ends = grace_ends_at(account)
    if ends is not None and ends <= (now or utcnow()):
        return TenantStatus.READ_ONLY.value
    return tenant.status


def has_live_subscription(account: BillingAccount | None) -> bool:
    return bool(
        account is not None
        and account.stripe_subscription_id
        and account.subscription_status not in FINAL_SUBSCRIPTION_STATUSES
    )


def sweep(now: datetime | None = None) -> list[int]:
    """Write down ``read_only`` for overdue tenants whose grace period has run out.

    Returns the ids of the tenants changed. Their data is kept as it is.
    """
    if not billing_enabled():
        return []
    now = now or utcnow()
    changed = []
    rows = db.session.execute(
        select(Tenant, BillingAccount)
        .join(BillingAccount, BillingAccount.tenant_id == Tenant.id)
        .where(Tenant.status == TenantStatus.PAST_DUE.value)
        .order_by(Tenant.id)
    ).all()
    for tenant, account in rows:
        if effective_status(tenant, account, now) == TenantStatus.READ_ONLY.value:
            tenant.status = TenantStatus.READ_ONLY.value
            changed.append(tenant.id)
            log.info("billing: tenant %s read-only, grace period over", tenant.id)
    db.session.flush()
    return changed


# --- to Stripe and back -------------------------------------------------------------------


def _billing_page(tenant: Tenant, **args: str) -> str:
    return url_for("billing.overview", tenant=tenant.slug, _external=True, **args)


def start_checkout(tenant: Tenant, plan_key: str) -> str:
    """The Stripe Checkout URL where the admin subscribes this tenant to a paid plan.

    The tenant's id travels as ``client_reference_id`` and in the subscription's metadata,
    so the webhooks can find the tenant again; nothing changes here until they arrive.
    """
    if not billing_enabled():
        raise BillingError("billing_off", _("Billing is not set up on this server."))
    plan = plan_by_key(plan_key) if is_plan(plan_key) else None
    price = plan.price_id() if plan is not None else None
    if plan is None or price is None:
        raise BillingError("unknown_plan", _("This plan cannot be bought."))
    account = account_for(tenant)
    if has_live_subscription(account):
        raise BillingError(
            "subscribed",
            _("This programme already has a subscription: change it in the customer portal."),
        )
    metadata = {"tenant_id": str(tenant.id), "plan": plan.key}
    params: dict[str, object] = {
        "mode": "subscription",
        "line_items": [{"price": price, "quantity": 1}],
        "client_reference_id": str(tenant.id),
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
        "success_url": _billing_page(tenant, checkout="done"),
        "cancel_url": _billing_page(tenant, checkout="canceled"),
    }
    if account.stripe_customer_id:
        params["customer"] = account.stripe_customer_id
    url = stripe_api.create_checkout_session(params)
    log.info("billing: checkout started for tenant %s, plan %s", tenant.id, plan.key)
    return url


def portal_url(tenant: Tenant) -> str:
    """The Stripe Customer Portal URL for this tenant's customer."""
    if not billing_enabled():
        raise BillingError("billing_off", _("Billing is not set up on this server."))
    account = account_of(tenant)
    if account is None or not account.stripe_customer_id:
        raise BillingError(
            "no_customer", _("There is no subscription to manage yet. Choose a plan first.")
        )
    return stripe_api.create_portal_session(
        {"customer": account.stripe_customer_id, "return_url": _billing_page(tenant)}
    )
