"""API resources of the foundation: who am I, the tenant's members, its settings."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import select

from mentornet.accounts.models import STAFF_ROLES, Membership, User
from mentornet.api.blueprint import bp, require_role
from mentornet.api.openapi import openapi_document
from mentornet.api.pagination import paginate
from mentornet.errors import ApiError
from mentornet.extensions import db
from mentornet.tenancy import editing
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.models import SettingsChange
from mentornet.tenancy.settings_schema import SettingsError


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


@bp.put("/settings")
def settings_update():
    """Replace the whole settings: validated as the admin pages do, kept in the history."""
    require_role("admin")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json", _("Send a JSON object."))
    data = payload.get("settings")
    if not isinstance(data, dict):
        raise ApiError(
            422,
            "invalid",
            _("Some fields are not valid."),
            {"settings": _("Send the whole settings as a JSON object.")},
        )
    tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]
    try:
        change = editing.apply_settings(tenant, data, "api", g.user.id)
    except SettingsError as exc:
        fields: dict[str, str] = {}
        for path, reason in exc.problems:
            fields[path] = f"{fields[path]}; {reason}" if path in fields else reason
        raise ApiError(422, "invalid", _("Some fields are not valid."), fields) from None
    db.session.commit()
    return {
        "slug": tenant.slug,
        "settings": tenant.settings,
        "changes": change.changes if change is not None else [],
    }


def settings_change_json(row: Any) -> dict[str, Any]:
    change, name = row
    return {
        "id": change.id,
        "section": change.section,
        "user": {"id": change.user_id, "name": name} if change.user_id is not None else None,
        "created_at": change.created_at.isoformat(),
        "changes": change.changes,
    }


@bp.get("/settings/history")
def settings_history():
    require_role("admin")
    statement = (
        select(SettingsChange, User.name)
        .outerjoin(User, User.id == SettingsChange.user_id)
        .order_by(SettingsChange.created_at.desc(), SettingsChange.id.desc())
    )
    return paginate(statement, settings_change_json)


@bp.get("/openapi.json")
def openapi():
    return openapi_document(current_tenant.slug)
