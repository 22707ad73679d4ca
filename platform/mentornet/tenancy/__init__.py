"""Tenants, their settings, and the one small API for "which tenant is this?".

current_tenant        the bound Tenant (a proxy cached on ``g``), or None
with_tenant(t)        bind a tenant for a job or a command
platform_scope()      the operator's few cross-tenant reads
"""

from mentornet.tenancy.context import (
    CrossTenantWrite,
    TenantNotBound,
    bound_tenant_id,
    current_tenant,
    in_platform_scope,
    platform_scope,
    with_tenant,
)

__all__ = [
    "CrossTenantWrite",
    "TenantNotBound",
    "bound_tenant_id",
    "current_tenant",
    "in_platform_scope",
    "platform_scope",
    "with_tenant",
]
