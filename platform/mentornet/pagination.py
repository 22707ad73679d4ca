"""Pages of a query, for HTML lists and the API alike: ``?page`` and ``?per_page``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from mentornet.extensions import db

MAX_PER_PAGE = 200


class BadPage(ValueError):
    """``page`` or ``per_page`` is not a whole number in range; ``field`` says which."""

    def __init__(self, field: str, maximum: int | None = None) -> None:
        super().__init__(field)
        self.field = field
        self.maximum = maximum


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _positive(args: Mapping[str, str], name: str, default: int, maximum: int | None) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise BadPage(name, maximum) from None
    if value < 1 or (maximum is not None and value > maximum):
        raise BadPage(name, maximum)
    return value


def page_of(
    statement: Select[Any], args: Mapping[str, str], per_page: int = 50, strict: bool = False
) -> Page:
    """One page of ``statement``; out-of-range input raises only when ``strict`` (the API)."""
    try:
        page = _positive(args, "page", 1, None)
        size = _positive(args, "per_page", per_page, MAX_PER_PAGE)
    except BadPage:
        if strict:
            raise
        page, size = 1, per_page
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    window = statement.limit(size).offset((page - 1) * size)
    if len(statement.column_descriptions) > 1:  # rows of several entities stay tuples
        rows: Any = db.session.execute(window).all()
    else:
        rows = db.session.scalars(window).unique().all()
    return Page(items=list(rows), page=page, per_page=size, total=total or 0)
