"""A read-only or canceled programme refuses every write, on its pages and in its API.

Reads keep working, and so do the few writes that are not the programme's work: logging
in and out (single sign-on included), choosing a language, a person withdrawing her
consent or being erased (her rights do not depend on the organisation's bill), and the
billing pages, so that an admin can pay.
"""

from __future__ import annotations

from flask import g, render_template, request
from flask.typing import ResponseReturnValue

from mentornet.billing.entitlements import read_only_message, status_of
from mentornet.billing.services import READ_ONLY_STATUSES
from mentornet.errors import ApiError, json_error, wants_json
from mentornet.tenancy.context import current_tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STATUS = 402  # Payment Required: paying (or subscribing again) lifts it
ALWAYS_ALLOWED = frozenset(
    {
        "accounts.login",
        "accounts.logout",
        "accounts.choose_language",
        "people.me_withdraw_consent",
        "api.participants_erase",
    }
)


def _allowed(endpoint: str | None) -> bool:
    if endpoint is None or endpoint in ALWAYS_ALLOWED:
        return True
    blueprint = endpoint.split(".", 1)[0]
    # Single sign-on is a way of logging in; only its settings page is the admin's work.
    return blueprint == "billing" or (blueprint == "sso" and "settings" not in endpoint)


def _refused() -> str | None:
    """Why this request may not write, or None when it may."""
    if request.method in SAFE_METHODS or _allowed(request.endpoint):
        return None
    tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]
    status = status_of(tenant) if tenant is not None else None
    if status not in READ_ONLY_STATUSES:
        return None
    return read_only_message(status)


def refuse_page_writes() -> ResponseReturnValue | None:
    """Before every request: a tenant page's write while read-only gets the reason.

    The API is left to :func:`refuse_api_writes`, which runs after its token check so a
    caller without a token learns nothing about the programme's billing.
    """
    if request.blueprint == "api":
        return None
    message = _refused()
    if message is None:
        return None
    if wants_json():
        return json_error(STATUS, "read_only", message)
    g._billing_notice = None  # the page says it already; no banner repeating it above
    return render_template("billing/refused.html", message=message), STATUS


def refuse_api_writes() -> None:
    message = _refused()
    if message is not None:
        raise ApiError(STATUS, "read_only", message)
