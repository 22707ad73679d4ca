"""The one place Mentornet talks to Stripe: the API client and webhook verification.

The client is built per call from the app's configuration. ``STRIPE_HTTP_CLIENT`` (an
instance of stripe's ``HTTPClient``) replaces the network: tests answer as Stripe's API
would without leaving the machine.
"""

from __future__ import annotations

import json
from typing import Any

import stripe
from flask import current_app

# Seconds a signed webhook stays acceptable: stripe's default, against replays.
WEBHOOK_TOLERANCE = 300


class WebhookRejected(ValueError):
    """The body is not a Stripe event signed with our webhook secret."""


def client() -> stripe.StripeClient:
    config = current_app.config
    return stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        http_client=config.get("STRIPE_HTTP_CLIENT"),
        max_network_retries=2,
    )


def verified_event(payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event in ``payload`` once its ``Stripe-Signature`` proves Stripe sent it.

    The signature covers the raw bytes, so they are checked before anything parses them.
    """
    try:
        stripe.WebhookSignature.verify_header(
            payload,
            signature,
            current_app.config["STRIPE_WEBHOOK_SECRET"],
            WEBHOOK_TOLERANCE,
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise WebhookRejected(type(exc).__name__) from None
    if not isinstance(event, dict) or event.get("object") != "event" or not event.get("id"):
        raise WebhookRejected("not an event")
    return event


def create_checkout_session(params: dict[str, Any]) -> str:
    """A Checkout Session's URL, where the admin pays on Stripe's own page."""
    session = client().v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
    return str(session.url)


def create_portal_session(params: dict[str, Any]) -> str:
    """A Customer Portal session's URL: cards, invoices, plan changes, cancellation."""
    session = client().v1.billing_portal.sessions.create(params=params)  # type: ignore[arg-type]
    return str(session.url)
