"""Which tenant the current request, job or command works for.

The binding lives on Flask's ``g`` (every database session needs an app context anyway),
so a request, a job and a CLI command each start unbound. Queries on tenant-owned data
with nothing bound raise :class:`TenantNotBound`: the scoping fails closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from flask import g, has_app_context
from werkzeug.local import LocalProxy

if TYPE_CHECKING:
    from mentornet.tenancy.models import Tenant


class TenantNotBound(RuntimeError):
    """Tenant-owned data was touched with no tenant bound and outside a platform scope."""


class CrossTenantWrite(RuntimeError):
    """A flush would have written a row that belongs to another tenant."""


def _get(name: str, default: Any = None) -> Any:
    return g.get(name, default) if has_app_context() else default


def bound_tenant_id() -> int | None:
    return _get("_mn_tenant_id")


def in_platform_scope() -> bool:
    return bool(_get("_mn_platform_scope", False))


def _current() -> Tenant | None:
    return _get("_mn_tenant")


current_tenant: Tenant = LocalProxy(_current)  # type: ignore[assignment]


def bind(tenant: Tenant | None) -> None:
    """Bind ``tenant`` for the rest of this app context (used once per request)."""
    g._mn_tenant = tenant
    g._mn_tenant_id = tenant.id if tenant is not None else None
    _sync_database()


@contextmanager
def with_tenant(tenant: Tenant) -> Iterator[Tenant]:
    """Work as ``tenant`` inside the block, then restore what was bound before."""
    previous = (_get("_mn_tenant"), _get("_mn_tenant_id"), _get("_mn_platform_scope", False))
    g._mn_tenant, g._mn_tenant_id, g._mn_platform_scope = tenant, tenant.id, False
    _sync_database()
    try:
        yield tenant
    finally:
        g._mn_tenant, g._mn_tenant_id, g._mn_platform_scope = previous
        _sync_database()


@contextmanager
def platform_scope() -> Iterator[None]:
    """Read across tenants, for the operator's aggregates and authentication look-ups only.

    Writes to tenant-owned rows still need a bound tenant.
    """
    previous = _get("_mn_platform_scope", False)
    g._mn_platform_scope = True
    _sync_database()
    try:
        yield
    finally:
        g._mn_platform_scope = previous
        _sync_database()


def _sync_database() -> None:
    # Imported late: the session module imports this one.
    from mentornet.tenancy.session import sync_row_security

    sync_row_security()
