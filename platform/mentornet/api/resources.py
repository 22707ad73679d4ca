"""API resources of the foundation: who am I, the tenant's members, its settings."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext as _
from sqlalchemy import select

from mentornet.accounts.models import STAFF_ROLES, Membership, User
from mentornet.api.blueprint import bp, require_role
from mentornet.api.openapi import openapi_document
from mentornet.api.pagination import paginate
from mentornet.errors import ApiError
from mentornet.extensions import db
from mentornet.tenancy.context import current_tenant


def member_json(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.id,
        "name": membership.user.name,
        "email": membership.user.email,
        "role": membership.role,
        "offices": list(membership.offices or []),
        "created_at": membership.created_at.isoformat(),
    }


@bp.get("/me")
def me():
    return {"tenant": current_tenant.slug, "member": member_json(g.membership)}


@bp.get("/members")
def members():
    require_role(*STAFF_ROLES)
    statement = select(Membership).join(User).order_by(Membership.id)
    return paginate(statement, member_json)


@bp.get("/members/<int:member_id>")
def member(member_id: int):
    require_role(*STAFF_ROLES)
    membership = db.session.get(Membership, member_id)
    if membership is None:
        raise ApiError(404, "not_found", _("There is nothing here."))
    return member_json(membership)


@bp.get("/settings")
def settings():
    require_role("admin")
    return {"slug": current_tenant.slug, "settings": current_tenant.settings}


@bp.get("/openapi.json")
def openapi():
    return openapi_document(current_tenant.slug)
