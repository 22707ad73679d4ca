"""What Stripe's webhook events do to a tenant's plan and status.

Stripe delivers each event at least once and in no promised order, so:

* each event id is processed once: its ``stripe_events`` row is inserted first, and a
  second delivery (even one racing the first) finds it and changes nothing;
* an event older (by Stripe's ``created``) than the newest one applied to the tenant is
  recorded as ``stale`` and not applied: the newer one already carries the later state;
* a deleted subscription is final: nothing about that subscription revives it.

Subscription status to tenant status: trialing -> trial, active -> active, past_due ->
past_due (read-only once the grace period is over), unpaid/paused -> read_only,
canceled/incomplete_expired -> canceled with the plan back to Pilot. No event deletes data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mentornet.billing.models import BillingAccount, StripeEvent
from mentornet.billing.plans import PILOT, is_plan, plan_by_key, plan_for_price
from mentornet.billing.services import (
    FINAL_SUBSCRIPTION_STATUSES,
    account_for,
    effective_status,
    has_live_subscription,
)
from mentornet.dbtypes import as_utc
from mentornet.extensions import db
from mentornet.tenancy.models import Tenant, TenantStatus

log = logging.getLogger(__name__)

APPLIED, STALE, IGNORED, DUPLICATE = "applied", "stale", "ignored", "duplicate"

TENANT_STATUS = {
    "trialing": TenantStatus.TRIAL.value,
    "active": TenantStatus.ACTIVE.value,
    "past_due": TenantStatus.PAST_DUE.value,
    "unpaid": TenantStatus.READ_ONLY.value,
    "paused": TenantStatus.READ_ONLY.value,
    "canceled": TenantStatus.CANCELED.value,
    "incomplete_expired": TenantStatus.CANCELED.value,
}  # "incomplete": the first payment is still under way; the status waits for the outcome.

Object = Mapping[str, Any]


def _id(value: Any) -> str | None:
    """A Stripe reference: an id, or the object itself when it was expanded."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return str(value) if value else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _timestamp(value: Any) -> datetime | None:
    seconds = _int(value)
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


def _metadata(obj: Object) -> Mapping[str, Any]:
    metadata = obj.get("metadata")
    return metadata if isinstance(metadata, Mapping) else {}


def _invoice_subscription(invoice: Object) -> tuple[str | None, Mapping[str, Any]]:
    """The invoice's subscription id and metadata, in the current and the older API shape."""
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") if isinstance(parent, Mapping) else None
    if isinstance(details, Mapping):
        return _id(details.get("subscription")), _metadata(details)
    legacy = invoice.get("subscription_details")
    return _id(invoice.get("subscription")), _metadata(legacy) if isinstance(
        legacy, Mapping
    ) else {}


# --- which tenant an event is about -----------------------------------------------------


def _tenant_by_customer(customer_id: str | None) -> int | None:
    if not customer_id:
        return None
    return db.session.scalar(
        select(BillingAccount.tenant_id).where(BillingAccount.stripe_customer_id == customer_id)
    )


def _tenant_for(event_type: str, obj: Object) -> Tenant | None:
    """The tenant from what we sent Stripe (client_reference_id, metadata) or the customer
    we linked earlier. If the two disagree the event is not trusted with either."""
    if event_type.startswith("checkout.session."):
        named = _int(obj.get("client_reference_id")) or _int(_metadata(obj).get("tenant_id"))
    elif event_type.startswith("invoice."):
        named = _int(_invoice_subscription(obj)[1].get("tenant_id"))
    else:
        named = _int(_metadata(obj).get("tenant_id"))
    by_customer = _tenant_by_customer(_id(obj.get("customer")))
    if named and by_customer and named != by_customer:
        log.warning("billing: event names tenant %s, its customer is tenant %s", named, by_customer)
        return None
    tenant_id = by_customer or named
    return db.session.get(Tenant, tenant_id) if tenant_id else None


# --- applying one event -----------------------------------------------------------------


def _set_status(tenant: Tenant, account: BillingAccount, status: str, at: datetime) -> None:
    """Move the tenant to ``status``; past_due keeps the moment it started, for the grace."""
    if status == TenantStatus.PAST_DUE.value:
        account.past_due_since = account.past_due_since or at
        tenant.status = status
        tenant.status = effective_status(tenant, account)
        return
    if status in (TenantStatus.ACTIVE.value, TenantStatus.TRIAL.value):
        account.past_due_since = None
    tenant.status = status


def _is_finished(account: BillingAccount, subscription_id: str | None) -> bool:
    return bool(
        subscription_id
        and account.stripe_subscription_id == subscription_id
        and account.subscription_status in FINAL_SUBSCRIPTION_STATUSES
    )


def _is_other(account: BillingAccount, subscription_id: str | None) -> bool:
    """About a subscription other than the tenant's live one (an old, replaced one)."""
    return bool(
        subscription_id
        and account.stripe_subscription_id not in (None, subscription_id)
        and has_live_subscription(account)
    )


def _checkout_completed(
    tenant: Tenant, account: BillingAccount, session: Object, at: datetime
) -> str:
    """Link the customer and the new subscription to the tenant who started Checkout."""
    subscription_id = _id(session.get("subscription"))
    if session.get("mode") != "subscription" or not subscription_id:
        return IGNORED
    if _is_finished(account, subscription_id):
        return STALE
    if account.stripe_subscription_id != subscription_id:
        if has_live_subscription(account):
            log.warning(
                "billing: tenant %s replaces subscription %s with %s",
                tenant.id,
                account.stripe_subscription_id,
                subscription_id,
            )
        account.stripe_subscription_id = subscription_id
        account.subscription_status = None
    account.stripe_customer_id = _id(session.get("customer")) or account.stripe_customer_id
    plan_key = _metadata(session).get("plan")
    if is_plan(plan_key) and plan_by_key(plan_key).is_paid:
        account.plan = plan_key
    if account.subscription_status is None and session.get("payment_status") == "paid":
        # Paid at Checkout: active now, even if the subscription's own event comes later.
        account.subscription_status = "active"
        _set_status(tenant, account, TenantStatus.ACTIVE.value, at)
    return APPLIED


def _current_period_end(subscription: Object) -> datetime | None:
    items = (subscription.get("items") or {}).get("data") or []
    if items and items[0].get("current_period_end"):
        return _timestamp(items[0]["current_period_end"])
    return _timestamp(subscription.get("current_period_end"))


def _price_of(subscription: Object) -> str | None:
    items = (subscription.get("items") or {}).get("data") or []
    return _id(items[0].get("price")) if items else None


def _subscription_changed(
    tenant: Tenant, account: BillingAccount, subscription: Object, at: datetime
) -> str:
    """created, updated and deleted: the subscription as Stripe holds it at ``at``."""
    subscription_id = _id(subscription.get("id"))
    if _is_finished(account, subscription_id):
        return STALE  # deleted is final: no later-arriving event revives it
    if _is_other(account, subscription_id):
        return IGNORED
    status = str(subscription.get("status") or "")
    account.stripe_subscription_id = subscription_id
    account.stripe_customer_id = _id(subscription.get("customer")) or account.stripe_customer_id
    account.subscription_status = status
    account.current_period_end = _current_period_end(subscription)
    if status in FINAL_SUBSCRIPTION_STATUSES:
        account.plan = PILOT.key  # back to the free plan; every row stays
        account.past_due_since = None
        tenant.status = TenantStatus.CANCELED.value
        return APPLIED
    plan = plan_for_price(_price_of(subscription))
    plan_key = plan.key if plan else _metadata(subscription).get("plan")
    if is_plan(plan_key):
        account.plan = plan_key
    if status in TENANT_STATUS:
        _set_status(tenant, account, TENANT_STATUS[status], at)
    return APPLIED


def _invoice_event(paid: bool) -> Callable[[Tenant, BillingAccount, Object, datetime], str]:
    def apply(tenant: Tenant, account: BillingAccount, invoice: Object, at: datetime) -> str:
        subscription_id = _invoice_subscription(invoice)[0]
        if _is_other(account, subscription_id) or not has_live_subscription(account):
            return IGNORED
        if paid:
            if tenant.status in (TenantStatus.PAST_DUE.value, TenantStatus.READ_ONLY.value):
                account.subscription_status = "active"
                _set_status(tenant, account, TenantStatus.ACTIVE.value, at)
        elif tenant.status in (TenantStatus.ACTIVE.value, TenantStatus.TRIAL.value):
            account.subscription_status = "past_due"
            _set_status(tenant, account, TenantStatus.PAST_DUE.value, at)
        return APPLIED

    return apply


HANDLERS: dict[str, Callable[[Tenant, BillingAccount, Object, datetime], str]] = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "invoice.payment_failed": _invoice_event(paid=False),
    "invoice.paid": _invoice_event(paid=True),
}


def _claim(event_id: str, event_type: str, created: datetime) -> StripeEvent | None:
    """The event's row, inserted now; None if this event id was already received."""
    if db.session.get(StripeEvent, event_id) is not None:
        return None
    record = StripeEvent(id=event_id, type=event_type[:100], created_at=created, outcome=IGNORED)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:  # the same event, delivered twice at once: the other one has it
        return None
    return record


def handle_event(event: Mapping[str, Any]) -> str:
    """Apply one verified Stripe event; returns applied, stale, ignored or duplicate.

    Flushes, does not commit: the caller commits the event's row and its effect together,
    so a failure leaves neither and Stripe's retry starts clean.
    """
    event_id, event_type = str(event["id"]), str(event.get("type") or "")
    created = _timestamp(event.get("created")) or datetime.now(UTC)
    record = _claim(event_id, event_type, created)
    if record is None:
        log.info("billing: stripe event %s received again; already processed", event_id)
        return DUPLICATE
    obj = (event.get("data") or {}).get("object") or {}
    handler = HANDLERS.get(event_type)
    tenant = _tenant_for(event_type, obj) if handler is not None else None
    if handler is None or tenant is None:
        outcome = IGNORED
    else:
        record.tenant_id = tenant.id
        account = account_for(tenant, lock=True)
        last = as_utc(account.last_event_at)
        if last is not None and created < last:
            outcome = STALE
        else:
            outcome = handler(tenant, account, obj, created)
            if outcome == APPLIED:
                account.last_event_at = created
    record.outcome = outcome
    db.session.flush()
    log.info(
        "billing: stripe event %s (%s) for tenant %s: %s",
        event_id,
        event_type,
        record.tenant_id,
        outcome,
    )
    return outcome
