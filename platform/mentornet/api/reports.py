"""``reports/summary``: the dashboard's tables as JSON, with the same filters.

Coordinators and admins only; a coordinator limited to some offices gets her offices'
figures. Keys and numbers only (shares as fractions 0..1): the words are the client's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, request
from flask_babel import gettext as _

from mentornet.accounts.models import STAFF_ROLES
from mentornet.api.blueprint import bp, require_role
from mentornet.errors import ApiError
from mentornet.reports import filters, labels, services
from mentornet.reports.filters import FilterError
from mentornet.tenancy.context import current_tenant

FILTER_PARAMETERS = (
    ("from", "date", "first day of the period (YYYY-MM-DD); default 1 January"),
    ("to", "date", "last day of the period (YYYY-MM-DD); default today"),
    ("year", "integer", "a whole calendar year, when from and to are not given"),
    ("office", "string", "an office key; a coordinator limited to offices may give only hers"),
)


@bp.get("/reports/summary")
def reports_summary():
    require_role(*STAFF_ROLES)
    today = date.today()
    try:
        chosen = filters.parse(
            request.args,
            today=today,
            offices=[o.key for o in current_tenant.config.offices],
            limited_to=list(g.membership.offices or []),
        )
    except FilterError as exc:
        fields = {name: labels.problem(code, today) for name, code in exc.fields.items()}
        raise ApiError(400, "invalid_query", _("Invalid query parameters."), fields) from None
    tables = services.dashboard(chosen)
    return {
        "period": {"from": chosen.period.start.isoformat(), "to": chosen.period.end.isoformat()},
        "offices": list(chosen.offices) if chosen.offices is not None else None,
        "tables": {table.key: services.table_json(table) for table in tables},
    }


def openapi_paths() -> dict[str, Any]:
    """This resource's part of the OpenAPI document."""
    return {
        "/reports/summary": {
            "get": {
                "summary": "The reports dashboard's tables (coordinators and admins): "
                "pipeline, success measures, waiting list, countries, ages, meetings",
                "parameters": [
                    {"name": name, "in": "query", "description": text, "schema": {"type": kind}}
                    for name, kind, text in FILTER_PARAMETERS
                ],
                "responses": {
                    "200": {"description": "period, offices and tables (keys and numbers)"},
                    **{
                        str(status): {
                            "description": "error",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        }
                        for status in (400, 401, 403, 404)
                    },
                },
            }
        }
    }
