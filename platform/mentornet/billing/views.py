"""Billing pages of a tenant, and Stripe's webhook."""

from __future__ import annotations

import logging

import stripe
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from mentornet.accounts.current import roles_required
from mentornet.billing import entitlements, events, services, stripe_api
from mentornet.billing.forms import CheckoutForm, PortalForm
from mentornet.billing.plans import PLANS, paid_plans_on_sale
from mentornet.billing.readonly import refuse_page_writes
from mentornet.errors import json_error
from mentornet.extensions import csrf, db
from mentornet.tenancy.context import current_tenant

log = logging.getLogger(__name__)

bp = Blueprint("billing", __name__)
bp.before_app_request(refuse_page_writes)


@bp.app_context_processor
def _billing_notice() -> dict[str, object]:
    # A function, so only pages that show the banner (base.html) pay for its queries.
    return {"billing_notice": entitlements.current_notice}


@bp.get("/<tenant>/billing")
@roles_required("admin")
def overview():
    tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]
    enabled = services.billing_enabled()
    account = services.account_of(tenant) if enabled else None
    returned = request.args.get("checkout")
    if returned == "done":
        flash(_("Thank you. The new plan applies as soon as Stripe confirms the payment."), "info")
    elif returned == "canceled":
        flash(_("Checkout was left before paying; nothing has changed."), "info")
    return render_template(
        "billing/overview.html",
        enabled=enabled,
        usage=entitlements.usage_of(tenant),
        status=entitlements.status_of(tenant),
        grace_ends=services.grace_ends_at(account) if enabled else None,
        plans=PLANS,
        on_sale={p.key for p in paid_plans_on_sale()} if enabled else set(),
        subscribed=services.has_live_subscription(account),
        has_customer=bool(account and account.stripe_customer_id),
    )


def _to_stripe(make_url) -> object:
    """Redirect to the Stripe page ``make_url`` opens, or back here with the reason."""
    if not services.billing_enabled():
        abort(404)
    tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]
    try:
        url = make_url(tenant)
    except services.BillingError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("billing.overview"), 303)
    except stripe.StripeError as exc:
        db.session.rollback()
        log.warning(
            "billing: stripe request for tenant %s failed: %s", tenant.id, type(exc).__name__
        )
        flash(_("Stripe could not be reached just now. Please try again in a moment."), "error")
        return redirect(url_for("billing.overview"), 303)
    db.session.commit()
    return redirect(url, 303)


@bp.post("/<tenant>/billing/checkout")
@roles_required("admin")
def checkout():
    form = CheckoutForm()
    if not form.validate_on_submit():
        abort(400)
    return _to_stripe(lambda tenant: services.start_checkout(tenant, form.plan.data))


@bp.post("/<tenant>/billing/portal")
@roles_required("admin")
def portal():
    if not PortalForm().validate_on_submit():
        abort(400)
    return _to_stripe(services.portal_url)


@bp.post("/billing/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Stripe's events, verified on the raw body before anything reads it."""
    if not services.billing_enabled():
        return json_error(404, "not_found", _("There is nothing here."))
    signature = request.headers.get("Stripe-Signature")
    if not signature:
        return json_error(400, "signature_missing", _("The Stripe-Signature header is missing."))
    try:
        event = stripe_api.verified_event(request.get_data(), signature)
    except stripe_api.WebhookRejected:
        return json_error(400, "signature_invalid", _("The Stripe signature is not valid."))
    outcome = events.handle_event(event)
    db.session.commit()
    return {"received": True, "outcome": outcome}
