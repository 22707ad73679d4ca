"""Which tenant a request is for: the ``/<tenant>/`` prefix, or a custom domain mapped to it.

Never a form field or a header an attacker could set: only the URL and the Host the
server was reached at.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, abort, current_app, g
from sqlalchemy import select

from mentornet.extensions import db
from mentornet.tenancy import context
from mentornet.tenancy.models import Tenant

# Paths a mapped host serves without the tenant prefix being added.
_HOST_PASSTHROUGH = ("/static/", "/healthz", "/readyz")


def tenant_by_slug(slug: str) -> Tenant | None:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def install_tenant_resolution(app: Flask) -> None:
    @app.url_value_preprocessor
    def _bind_tenant(endpoint: str | None, values: dict[str, Any] | None) -> None:
        slug = values.pop("tenant", None) if values else None
        if slug is None:
            context.bind(None)
            return
        tenant = tenant_by_slug(slug)
        if tenant is None:
            context.bind(None)
            g.unknown_tenant = slug
            abort(404)
        context.bind(tenant)

    @app.url_defaults
    def _add_tenant(endpoint: str, values: dict[str, Any]) -> None:
        if "tenant" in values or not current_app.url_map.is_endpoint_expecting(endpoint, "tenant"):
            return
        tenant = context.current_tenant._get_current_object()  # type: ignore[attr-defined]
        if tenant is not None:
            values["tenant"] = tenant.slug

    @app.teardown_request
    def _unbind(exc: BaseException | None) -> None:
        for name in ("_mn_tenant", "_mn_tenant_id", "_mn_platform_scope"):
            g.pop(name, None)

    app.wsgi_app = TenantHostMiddleware(app.wsgi_app, app)  # type: ignore[method-assign]


class TenantHostMiddleware:
    """Serve ``https://mentors.example.org/login`` as ``/<slug>/login`` for a mapped domain."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self._cache: dict[str, tuple[str | None, float]] = {}

    def slug_for_host(self, host: str) -> str | None:
        ttl = self.app.config.get("TENANT_HOST_CACHE_SECONDS", 60)
        cached = self._cache.get(host)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        with self.app.app_context():
            slug = db.session.scalar(select(Tenant.slug).where(Tenant.domain == host))
        if ttl > 0:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[host] = (slug, now + ttl)
        return slug

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        path = environ.get("PATH_INFO") or "/"
        if path.startswith(_HOST_PASSTHROUGH):
            # Probes must not depend on the database: /healthz answers even when it is down.
            return self.wsgi_app(environ, start_response)
        host = environ.get("HTTP_HOST", "").rsplit(":", 1)[0].strip().lower().rstrip(".")
        slug = self.slug_for_host(host) if host else None
        if slug and not (path == f"/{slug}" or path.startswith(f"/{slug}/")):
            environ["PATH_INFO"] = f"/{slug}{path}"
        return self.wsgi_app(environ, start_response)
