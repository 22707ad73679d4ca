"""The report's filters: a period (from/to, or a year) and an office, checked once for the
pages, the CSV files and the API alike.

Plain Python: a refused filter raises :class:`FilterError` with a problem code per field,
and the caller puts the sentence for it beside the field (or in the API's ``fields``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

FIRST_YEAR = 2000  # the oldest programme on the model began in 2002
MAX_YEARS = 10  # a longer period would make the monthly tables unreadable

# Problem codes (``labels.FILTER_PROBLEMS`` has the sentences).
NOT_A_DATE = "not_a_date"
TOO_EARLY = "too_early"
END_BEFORE_START = "end_before_start"
TOO_LONG = "too_long"
NOT_A_YEAR = "not_a_year"
NOT_YOUR_OFFICE = "not_your_office"


class FilterError(ValueError):
    """Filters that cannot be used; ``fields`` maps a field name to a problem code."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def end_exclusive(self) -> date:
        return self.end + timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    """What to count: the period, and the offices (None: the whole programme)."""

    period: Period
    offices: tuple[str, ...] | None
    office: str = ""  # the office chosen in the form, "" for all the viewer may see
    year: int | None = None  # set when the period is a whole calendar year
    today: date | None = None


def _date(raw: str, field: str, problems: dict[str, str]) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        problems[field] = NOT_A_DATE
        return None
    if value.year < FIRST_YEAR:
        problems[field] = TOO_EARLY
        return None
    return value


def _year(raw: str, today: date, problems: dict[str, str]) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= today.year:
        problems["year"] = NOT_A_YEAR
        return None
    return int(raw)


def parse(
    args: Mapping[str, str],
    *,
    today: date,
    offices: Sequence[str],
    limited_to: Sequence[str] = (),
) -> Filters:
    """Filters from query arguments ``from``, ``to``, ``year`` and ``office``.

    ``offices`` are the tenant's office keys; ``limited_to`` the viewer's own when she is
    limited to some (then she may choose only among them, and "all" means all of hers).
    With no dates the period is the chosen year, else this year up to today; dates win
    over a year, and a missing end is today.
    """
    problems: dict[str, str] = {}
    start = _date(args.get("from", ""), "from", problems)
    end = _date(args.get("to", ""), "to", problems)
    year = _year(args.get("year", ""), today, problems)
    office = (args.get("office") or "").strip()
    choosable = list(limited_to) or list(offices)
    if office and office not in choosable:
        problems["office"] = NOT_YOUR_OFFICE
    if problems:
        raise FilterError(problems)
    whole_year: int | None = None
    if start is None and end is None:
        whole_year = year or today.year
        period = Period.year(whole_year)
        if whole_year == today.year:
            period = Period(period.start, today)
    else:
        end = end or today
        start = start or date(end.year, 1, 1)
        if end < start:
            raise FilterError({"to": END_BEFORE_START})
        if (end - start).days > MAX_YEARS * 366:
            raise FilterError({"from": TOO_LONG})
        period = Period(start, end)
        if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
            whole_year = start.year
    if office:
        chosen: tuple[str, ...] | None = (office,)
    elif limited_to:
        chosen = tuple(limited_to)
    else:
        chosen = None
    return Filters(period, chosen, office, whole_year, today)


def months(period: Period, today: date) -> list[str]:
    """``YYYY-MM`` of each month the period touches that has ended by ``today``.

    A month still running would read as a month of too few meetings.
    """
    found: list[str] = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        following = date(year + month // 12, month % 12 + 1, 1)
        if following <= today:
            found.append(f"{year:04d}-{month:02d}")
        year, month = following.year, following.month
    return found
