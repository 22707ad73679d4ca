"""Paginated API lists: ``{"items", "page", "per_page", "total", "pages"}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import Select

from mentornet.errors import ApiError
from mentornet.pagination import BadPage, page_of


def paginate(statement: Select[Any], serialize: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    try:
        page = page_of(statement, request.args, strict=True)
    except BadPage as exc:
        message = (
            _("Must be a whole number from 1 to %(max)d.", max=exc.maximum)
            if exc.maximum
            else _("Must be a whole number of at least 1.")
        )
        raise ApiError(
            400, "invalid_query", _("Invalid query parameters."), {exc.field: message}
        ) from None
    return {
        "items": [serialize(row) for row in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }
