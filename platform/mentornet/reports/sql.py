"""Date expressions the two databases spell differently, as SQLAlchemy constructs.

PostgreSQL subtracts dates and has ``age()``; SQLite has ``julianday()`` and
``strftime()``. Each construct compiles to the one the connected database understands,
so the queries stay one text for both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement[int]):  # lower case: reads like the SQL function it is
    """Whole calendar days from ``earlier`` to ``later`` (dates or timestamps)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


class age_at(FunctionElement[int]):
    """Her age in whole years on ``day``, given ``born``."""

    type = Integer()
    inherit_cache = True
    name = "age_at"


class month_start(FunctionElement[Any]):
    """The first moment of the month of a date or timestamp (a timestamp on PostgreSQL,
    ``YYYY-MM-01`` text on SQLite); both compare with dates and sort as time does."""

    inherit_cache = True
    name = "month_start"


class next_month_start(FunctionElement[Any]):
    """The first moment of the month after that of a date or timestamp."""

    inherit_cache = True
    name = "next_month_start"


def month_key(value: Any) -> str:
    """``YYYY-MM`` of what ``month_start`` returned (a datetime, a date or text)."""
    return str(value)[:7]


def _args(element: FunctionElement[Any], compiler: Any, **kw: Any) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(days_between, "postgresql")
def _days_between_pg(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = _args(element, compiler, **kw)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


@compiles(days_between)
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = _args(element, compiler, **kw)
    return f"CAST(julianday(date({later})) - julianday(date({earlier})) AS INTEGER)"


@compiles(age_at, "postgresql")
def _age_at_pg(element: age_at, compiler: Any, **kw: Any) -> str:
    day, born = _args(element, compiler, **kw)
    return f"CAST(date_part('year', age(CAST({day} AS DATE), CAST({born} AS DATE))) AS INTEGER)"


@compiles(age_at)
def _age_at_sqlite(element: age_at, compiler: Any, **kw: Any) -> str:
    day, born = _args(element, compiler, **kw)
    return (
        f"(CAST(strftime('%Y', {day}) AS INTEGER) - CAST(strftime('%Y', {born}) AS INTEGER)"
        f" - (strftime('%m-%d', {day}) < strftime('%m-%d', {born})))"
    )


@compiles(month_start, "postgresql")
def _month_start_pg(element: month_start, compiler: Any, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"date_trunc('month', CAST({value} AS TIMESTAMP))"


@compiles(month_start)
def _month_start_sqlite(element: month_start, compiler: Any, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"date({value}, 'start of month')"


@compiles(next_month_start, "postgresql")
def _next_month_start_pg(element: next_month_start, compiler: Any, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"(date_trunc('month', CAST({value} AS TIMESTAMP)) + INTERVAL '1 month')"


@compiles(next_month_start)
def _next_month_start_sqlite(element: next_month_start, compiler: Any, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"date({value}, 'start of month', '+1 month')"
