"""Absolute links for mails: a job has no request to take the server's address from.

``MENTORNET_BASE_URL`` says where Mentornet is served (``https://mentors.example.org``,
with a path if it lives under one). Without it, a mail built during a request (the
demo's inline jobs) links to the address the request came in on, and a worker falls
back to the local demo address.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

from mentornet.tenancy.context import current_tenant

DEMO_BASE_URL = "http://localhost:5000"


def base_url() -> str:
    configured = current_app.config.get("MENTORNET_BASE_URL")
    if configured:
        return configured
    if has_request_context():
        return request.host_url
    return DEMO_BASE_URL


def absolute_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, _external=True)`` against the base URL, for the bound tenant."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    if "tenant" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "tenant"):
        values["tenant"] = current_tenant.slug
    return adapter.build(endpoint, values, force_external=True)
