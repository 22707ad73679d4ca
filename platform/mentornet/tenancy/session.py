"""The database session that keeps every tenant in its own space.

Three walls, from the inside out:

1. ``do_orm_execute`` adds ``tenant_id = :bound`` to every ORM SELECT, UPDATE and DELETE
   that touches a tenant-owned model (``with_loader_criteria``), and refuses Core
   statements on tenant tables outside a platform scope, since it cannot scope them.
2. ``before_flush`` stamps new rows with the bound tenant and refuses to write a row of
   another tenant; ``get()`` checks objects served from the identity map without SQL.
3. On PostgreSQL, row-level security: ``app.tenant_id`` is set per transaction with
   ``set_config(..., true)`` (``SET LOCAL``) and every tenant table has a policy on it.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import ForeignKey, event, inspect, text
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.sql import util as sql_util

from mentornet.dbtypes import IdType
from mentornet.tenancy.context import (
    CrossTenantWrite,
    TenantNotBound,
    bound_tenant_id,
    in_platform_scope,
)


class TenantOwned:
    """Mixin for models whose rows belong to one tenant: they carry ``tenant_id``.

    Each such table also declares ``UNIQUE (tenant_id, id)`` (see ``tenant_key``): that
    pair is what composite foreign keys point at, so a row can never refer to another
    tenant's row, even through a bug.
    """

    __tenant_owned__ = True

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(
            IdType, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False, index=True
        )


def is_tenant_owned(obj_or_cls: Any) -> bool:
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return bool(getattr(cls, "__tenant_owned__", False))


_tenant_tables: frozenset[str] | None = None


def tenant_table_names() -> frozenset[str]:
    """Names of every tenant-owned table (computed once, after the models are mapped)."""
    global _tenant_tables
    if _tenant_tables is None:
        from mentornet.extensions import db

        _tenant_tables = frozenset(
            mapper.local_table.name
            for mapper in db.Model.registry.mappers
            if is_tenant_owned(mapper.class_)
        )
    return _tenant_tables


def _require_tenant(what: str) -> int:
    tenant_id = bound_tenant_id()
    if tenant_id is None:
        raise TenantNotBound(f"{what} on tenant-owned data with no tenant bound")
    return tenant_id


class TenantSession(FlaskSession):
    """Flask-SQLAlchemy's session, with ``get()`` checked against the bound tenant."""

    def get(self, entity: Any, ident: Any, **kwargs: Any) -> Any:
        obj = super().get(entity, ident, **kwargs)
        if obj is None or not is_tenant_owned(obj) or in_platform_scope():
            return obj
        # An object already in the identity map is returned without SQL, so the
        # criteria added in do_orm_execute never saw it: check it here.
        if obj.tenant_id != _require_tenant("get()"):
            return None
        return obj


@event.listens_for(TenantSession, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete or state.is_insert):
        return  # text() and DDL: not parseable here; row-level security covers PostgreSQL
    if not any(is_tenant_owned(m.class_) for m in state.all_mappers):
        # No tenant model at the top: walk the statement for tenant tables (subqueries,
        # Core tables). The walk is skipped for the common case just above.
        found = sql_util.find_tables(state.statement, check_columns=True, include_crud=True)
        tables = {getattr(t, "name", None) for t in found} & tenant_table_names()
        if not tables:
            return
    else:
        tables = set()
    if not state.is_orm_statement:
        # Core statements carry no mapper for with_loader_criteria to attach to.
        if state.is_select and in_platform_scope():
            return
        raise TenantNotBound(
            f"Core statements on tenant tables ({', '.join(sorted(tables))}) are not "
            "scoped; use ORM statements"
        )
    if state.is_insert:
        _require_tenant("insert")
        return
    if in_platform_scope():
        return
    tenant_id = _require_tenant("query")
    # Applies to the entity wherever it appears: joins, subqueries, relationship loads.
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        )
    )


@event.listens_for(TenantSession, "before_flush")
def _guard_flush(session: TenantSession, flush_context: Any, instances: Any) -> None:
    tenant_id = bound_tenant_id()
    for obj in session.new:
        if not is_tenant_owned(obj):
            continue
        bound = _require_tenant("insert")
        if obj.tenant_id is None:
            obj.tenant_id = bound
        elif obj.tenant_id != bound:
            raise CrossTenantWrite(
                f"new {type(obj).__name__} for tenant {obj.tenant_id}, bound to {bound}"
            )
    for obj in list(session.dirty) + list(session.deleted):
        if not is_tenant_owned(obj):
            continue
        history = inspect(obj).attrs.tenant_id.history
        if history.deleted and history.deleted[0] is not None:
            raise CrossTenantWrite(f"tenant_id of {type(obj).__name__} may not change")
        if tenant_id is None:
            raise TenantNotBound(f"write to {type(obj).__name__} with no tenant bound")
        if obj.tenant_id != tenant_id:
            raise CrossTenantWrite(
                f"{type(obj).__name__} of tenant {obj.tenant_id} written while bound to {tenant_id}"
            )


_SET_ROW_SECURITY = text(
    "SELECT set_config('app.tenant_id', :tenant_id, true), "
    "set_config('app.platform_scope', :platform, true)"
)


def _row_security_params() -> dict[str, str]:
    tenant_id = bound_tenant_id()
    return {
        "tenant_id": "" if tenant_id is None else str(tenant_id),
        "platform": "on" if in_platform_scope() else "off",
    }


@event.listens_for(TenantSession, "after_begin")
def _set_row_security_on_begin(session: TenantSession, transaction: Any, connection: Any) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(_SET_ROW_SECURITY, _row_security_params())


def sync_row_security() -> None:
    """Re-apply the PostgreSQL settings when the binding changes mid-transaction."""
    from mentornet.extensions import db

    session = db.session()
    if not session.in_transaction():
        return  # after_begin will set them when the next transaction starts
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_SET_ROW_SECURITY, _row_security_params())
