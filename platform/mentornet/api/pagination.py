"""``?page`` and ``?per_page`` for every list, with totals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from mentornet.errors import ApiError
from mentornet.extensions import db

MAX_PER_PAGE = 200


def _positive_int(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        limit = _(" and at most %(max)d", max=maximum) if maximum else ""
        raise ApiError(
            400,
            "invalid_query",
            _("Invalid query parameters."),
            {name: _("Must be a whole number of at least 1%(limit)s.", limit=limit)},
        )
    return value


def paginate(statement: Select[Any], serialize: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    page = _positive_int("page", 1)
    per_page = _positive_int("per_page", 50, MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return {
        "items": [serialize(row) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": total or 0,
        "pages": max(1, -(-(total or 0) // per_page)),
    }
