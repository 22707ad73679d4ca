"""Stand-ins for Stripe in the billing tests.

``FakeStripeHTTP`` stands for Stripe's API on the network: it is a real stripe-python
``HTTPClient``, so the library encodes every request exactly as it would for Stripe, and
it answers with JSON bodies shaped like Stripe's objects. It keeps each request it got, so
a test can read what Mentornet sent.

``signed`` stands for Stripe's webhook sender: an event body and its ``Stripe-Signature``
header, HMAC-SHA256 with the endpoint's secret over ``"{timestamp}.{payload}"``, as
Stripe signs and as stripe-python's own tests build them.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

WEBHOOK_SECRET = "whsec_test_mentornet"
SECRET_KEY = "sk_test_mentornet"
PRICES = {"programme": "price_test_programme", "network": "price_test_network"}

_ids = itertools.count(1)


@dataclass
class SentRequest:
    method: str
    path: str
    params: dict[str, str]  # form fields as Stripe receives them: "line_items[0][price]"
    headers: dict[str, str]


class FakeStripeHTTP(stripe.HTTPClient):
    """Answers Checkout and Customer Portal session requests as Stripe's API does."""

    name = "fake-stripe"

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[SentRequest] = []
        self.down = False

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        if self.down:
            raise stripe.APIConnectionError("connection refused", should_retry=False)
        if isinstance(post_data, bytes):
            post_data = post_data.decode()
        params = dict(parse_qsl(post_data or "", keep_blank_values=True))
        path = urlsplit(url).path
        self.requests.append(SentRequest(method.upper(), path, params, dict(headers or {})))
        number = next(_ids)
        if method == "post" and path == "/v1/checkout/sessions":
            session_id = f"cs_test_a1{number:06d}"
            body: dict[str, Any] = {
                "id": session_id,
                "object": "checkout.session",
                "mode": params.get("mode"),
                "client_reference_id": params.get("client_reference_id"),
                "customer": params.get("customer"),
                "status": "open",
                "payment_status": "unpaid",
                "success_url": params.get("success_url"),
                "cancel_url": params.get("cancel_url"),
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
                "livemode": False,
            }
            return self._answer(200, body)
        if method == "post" and path == "/v1/billing_portal/sessions":
            body = {
                "id": f"bps_test_{number:06d}",
                "object": "billing_portal.session",
                "customer": params.get("customer"),
                "return_url": params.get("return_url"),
                "url": f"https://billing.stripe.com/p/session/test_{number:06d}",
                "livemode": False,
            }
            return self._answer(200, body)
        error = {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})"}
        return self._answer(404, {"error": error})

    @staticmethod
    def _answer(status: int, body: dict[str, Any]):
        return json.dumps(body), status, {"Request-Id": f"req_test_{next(_ids)}"}

    def close(self) -> None:
        pass

    def sent(self, path: str) -> list[SentRequest]:
        return [r for r in self.requests if r.path == path]


# --- webhook events -------------------------------------------------------------------------


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event(event_type: str, obj: dict[str, Any], created: int, event_id: str | None = None):
    return {
        "id": event_id or f"evt_test_{next(_ids):08d}",
        "object": "event",
        "api_version": "2025-09-30.clover",
        "created": created,
        "livemode": False,
        "pending_webhooks": 1,
        "type": event_type,
        "data": {"object": obj},
    }


def subscription(
    sub_id: str,
    customer: str,
    status: str,
    tenant_id: int | None = None,
    plan: str = "programme",
    period_end: int | None = None,
) -> dict[str, Any]:
    period_end = period_end or int(time.time()) + 30 * 86400
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "metadata": {"tenant_id": str(tenant_id), "plan": plan} if tenant_id else {},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": f"si_{sub_id}",
                    "object": "subscription_item",
                    "price": {"id": PRICES[plan], "object": "price", "recurring": {}},
                    "quantity": 1,
                    "current_period_end": period_end,
                }
            ],
        },
    }


def checkout_session(
    tenant_id: int, customer: str, sub_id: str, plan: str = "programme", paid: bool = True
) -> dict[str, Any]:
    return {
        "id": f"cs_test_{sub_id}",
        "object": "checkout.session",
        "mode": "subscription",
        "client_reference_id": str(tenant_id),
        "customer": customer,
        "subscription": sub_id,
        "payment_status": "paid" if paid else "unpaid",
        "status": "complete",
        "metadata": {"tenant_id": str(tenant_id), "plan": plan},
    }


def invoice(customer: str, sub_id: str, status: str = "open") -> dict[str, Any]:
    return {
        "id": f"in_test_{next(_ids):06d}",
        "object": "invoice",
        "customer": customer,
        "status": status,
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": sub_id, "metadata": {}},
        },
    }
