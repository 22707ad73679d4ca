"""Automatic tenant scoping of the ORM: fail closed, stamp new rows, refuse cross-tenant writes."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from mentornet.accounts.models import ApiToken, Membership, User
from mentornet.extensions import db
from mentornet.tenancy import (
    CrossTenantWrite,
    TenantNotBound,
    current_tenant,
    platform_scope,
    with_tenant,
)
from mentornet.tenancy.models import Tenant


def _tenant(slug: str) -> Tenant:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def test_queries_on_tenant_data_fail_closed_without_a_tenant(app, tenants):
    with app.app_context():
        with pytest.raises(TenantNotBound):
            db.session.scalars(select(Membership)).all()
        with pytest.raises(TenantNotBound):
            db.session.get(Membership, tenants[0].member_ids["admin"])


def test_queries_see_only_the_bound_tenant(app, tenants):
    alpha, bravo = tenants
    with app.app_context(), with_tenant(_tenant("alpha")):
        ids = set(db.session.scalars(select(Membership.id)))
        assert ids == set(alpha.member_ids.values())
        assert current_tenant.slug == "alpha"
        # Another tenant's id is as absent as an id that never existed.
        assert db.session.get(Membership, bravo.member_ids["admin"]) is None
        joined = db.session.scalars(select(ApiToken).join(Membership)).all()
        assert {t.tenant_id for t in joined} == {alpha.id}


def test_identity_map_does_not_leak_another_tenants_object(app, tenants):
    _alpha, bravo = tenants
    with app.app_context():
        with with_tenant(_tenant("bravo")):
            loaded = db.session.get(Membership, bravo.member_ids["mentor"])
            assert loaded is not None  # now in the identity map
        with with_tenant(_tenant("alpha")):
            assert db.session.get(Membership, bravo.member_ids["mentor"]) is None


def test_new_rows_take_the_bound_tenant(app, tenants):
    alpha, _ = tenants
    with app.app_context():
        user = User(email="new@alpha.example.org", name="New")
        db.session.add(user)
        db.session.flush()
        with with_tenant(_tenant("alpha")):
            membership = Membership(user_id=user.id, role="mentor", offices=[])
            db.session.add(membership)
            db.session.commit()
            assert membership.tenant_id == alpha.id


def test_inserting_without_a_tenant_raises(app, tenants):
    with app.app_context():
        user = User(email="loose@example.org", name="Loose")
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, role="mentor", offices=[]))
        with pytest.raises(TenantNotBound):
            db.session.flush()


def test_a_flush_writing_another_tenants_row_raises(app, tenants):
    _alpha, bravo = tenants
    with app.app_context():
        with platform_scope():
            foreign = db.session.get(Membership, bravo.member_ids["mentee"])
        with with_tenant(_tenant("alpha")):
            foreign.role = "admin"
            with pytest.raises(CrossTenantWrite):
                db.session.flush()
            db.session.rollback()
            user = User(email="x@example.org", name="X")
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, role="mentor", tenant_id=bravo.id))
            with pytest.raises(CrossTenantWrite):
                db.session.flush()
            db.session.rollback()
    with app.app_context(), with_tenant(_tenant("bravo")):
        assert db.session.get(Membership, bravo.member_ids["mentee"]).role == "mentee"


def test_moving_a_row_to_another_tenant_raises(app, tenants):
    alpha, bravo = tenants
    with app.app_context(), with_tenant(_tenant("alpha")):
        own = db.session.get(Membership, alpha.member_ids["mentor"])
        own.tenant_id = bravo.id
        with pytest.raises(CrossTenantWrite):
            db.session.flush()


def test_orm_bulk_update_is_scoped(app, tenants):
    alpha, bravo = tenants
    with app.app_context():
        with with_tenant(_tenant("alpha")):
            db.session.execute(
                update(Membership).values(offices=["north"]),
                execution_options={"synchronize_session": False},
            )
            db.session.commit()
        with platform_scope():
            rows = db.session.execute(select(Membership.tenant_id, Membership.offices)).all()
    assert {tuple(o) for t, o in rows if t == alpha.id} == {("north",)}
    assert {tuple(o) for t, o in rows if t == bravo.id} == {()}


def test_core_statements_on_tenant_tables_are_refused(app, tenants):
    with app.app_context(), with_tenant(_tenant("alpha")):
        table = Membership.__table__
        with pytest.raises(TenantNotBound):
            db.session.execute(update(table).values(role="admin"))
        with pytest.raises(TenantNotBound):
            db.session.execute(select(table.c.id))


def test_platform_scope_reads_across_tenants(app, tenants):
    with app.app_context(), platform_scope():
        assert len(db.session.scalars(select(Membership)).all()) == 8


def test_text_sql_is_a_known_hole_closed_by_row_security_on_postgres(app, tenants):
    """Plain text() SQL is not scoped by the ORM; on PostgreSQL RLS still filters it."""
    alpha, _ = tenants
    with app.app_context(), with_tenant(_tenant("alpha")):
        ids = {row[0] for row in db.session.execute(text("SELECT tenant_id FROM memberships"))}
        if db.engine.dialect.name == "postgresql":
            assert ids == {alpha.id}
        else:
            assert len(ids) == 2  # SQLite has no second wall: the ORM is the only one


@pytest.mark.postgres
def test_row_level_security_is_the_second_wall(app, tenants):
    alpha, _bravo = tenants
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row-level security exists on PostgreSQL only")
        role = db.session.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        assert tuple(role) == (False, False)
        with with_tenant(_tenant("alpha")):
            db.session.execute(text("UPDATE memberships SET role = 'admin'"))
            db.session.commit()
        # Nothing bound: RLS shows no tenant rows at all.
        assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar() == 0
        with with_tenant(_tenant("bravo")):
            roles = set(db.session.scalars(select(Membership.role)))
            assert roles == {"admin", "coordinator", "mentor", "mentee"}
            with pytest.raises(Exception, match="row-level security"):
                db.session.execute(
                    text(
                        "INSERT INTO memberships (tenant_id, user_id, role, offices, created_at) "
                        "SELECT :a, user_id, 'admin', '[]', now() FROM memberships LIMIT 1"
                    ),
                    {"a": alpha.id},
                )
            db.session.rollback()
