"""The API blueprint and its authentication: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _

from mentornet.accounts.services import token_for
from mentornet.billing.readonly import refuse_api_writes
from mentornet.dbtypes import utcnow
from mentornet.errors import ApiError
from mentornet.extensions import csrf, db
from mentornet.tenancy.context import bound_tenant_id

bp = Blueprint("api", __name__, url_prefix="/<tenant>/api/v1")
csrf.exempt(bp)  # no cookies are read here: a bearer token cannot be forged cross-site

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def _authenticate() -> None:
    # The session login does not count here: only a token can reach the API.
    g.user = None
    g.membership = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(401, "unauthorized", _("Send an API token: Authorization: Bearer <token>."))
    token = token_for(raw.strip())
    if token is None:
        raise ApiError(401, "unauthorized", _("This API token is not valid."))
    if token.tenant_id != bound_tenant_id():
        # A token of another tenant is a stranger here: nothing exists for it.
        raise ApiError(404, "not_found", _("There is nothing here."))
    membership = token.membership
    if membership is None or not membership.user.is_active:
        raise ApiError(401, "unauthorized", _("This API token is not valid."))
    g.user = membership.user
    g.membership = membership
    token.last_used_at = utcnow()
    db.session.commit()
    refuse_api_writes()  # a read-only programme answers every write with the reason


def require_role(*roles: str) -> None:
    if g.membership is None or g.membership.role not in roles:
        raise ApiError(403, "forbidden", _("Your role does not allow this."))
