"""The reports' words and numbers in the reader's language.

Tables carry keys (``figures``); this module names them (titles, columns, rows, filter
problems) and formats their numbers with Babel for the page. CSV files take the same
names with plain numbers (see ``exports``).
"""

from __future__ import annotations

from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mentornet.cycles.labels import LABELS as CYCLE_LABELS
from mentornet.i18n import local_text
from mentornet.people.classifications import isco
from mentornet.people.vocabulary import STATUS_LABELS
from mentornet.reports import filters
from mentornet.reports.figures import (
    COUNT,
    DAYS,
    NO_OFFICE,
    OTHER,
    SHARE,
    TOTAL,
    Hidden,
    Row,
    Table,
    Value,
)
from mentornet.reports.queries import UNKNOWN
from mentornet.tenancy.context import current_tenant

TITLES = {
    "summary": _l("At a glance"),
    "pipeline": _l("Pipeline"),
    "success": _l("Success measures"),
    "waiting": _l("Waiting list by profession and office"),
    "countries": _l("Countries of origin"),
    "ages": _l("Age at sign-up"),
    "meetings": _l("Meetings against the agreement"),
    "federation": _l("Sister programmes compared"),
}

NOTES = {
    "summary": _l("Counted in the chosen period."),
    "pipeline": _l(
        "Applied, waiting and the stages still in progress are counted as they stand today; "
        "completed, continued as friends, declined and ended early in the chosen period."
    ),
    "success": _l(
        "Cycles closed in the chosen period. A cycle is completed when the pair closed it "
        "with a farewell or goes on as friends. Out of: for the cycle, those completed or "
        "ended early; for jobs, the mentees who had a job among their goals; for mentors, "
        "those who finished with a mentee; otherwise the completed cycles."
    ),
    "waiting": _l(
        "Mentees waiting for a match today, by the major group of their profession (ISCO-08)."
    ),
    "countries": _l(
        "Mentees who signed up in the chosen period. A profile's country is erased with "
        "the rest of it after the retention period, so older periods show more as not "
        "recorded."
    ),
    "ages": _l("Mentees who signed up in the chosen period, by their age on that day."),
    "meetings": _l(
        "Pairs active for the whole month. Each pair's minimum is the one in its "
        "agreement, counting only the kinds of meeting the agreement names."
    ),
    "federation": _l(
        "Programmes that chose to share their figures, for one year. No names of people, "
        "only counts; a figure about fewer than 10 people is not shown, and a share only "
        "when at least 10 people are on each side of it."
    ),
}

COLUMNS = {
    "value": _l("Figure"),
    "count": _l("Number"),
    "of": _l("Out of"),
    "share": _l("Share"),
    TOTAL: _l("Total"),
    "pairs": _l("Pairs active all month"),
    "meetings_per_pair": _l("Meetings per pair"),
    "hours_per_pair": _l("Hours per pair"),
    "met": _l("Pairs that met the minimum"),
    "met_share": _l("Share that met the minimum"),
}

MEASURES = {
    "signed_up": _l("Mentees signed up"),
    "proposed": _l("Matches proposed"),
    "registered": _l("Matches registered (both said yes)"),
    "completed": _l("Cycles completed"),
    "completion_rate": _l("Completion rate"),
    "job_found": _l("Job seekers who found a job"),
    "job_in_field": _l("Job seekers who found a job in their field"),
    "education_started": _l("Started an education"),
    "mentors_stayed": _l("Mentors who stayed for another mentee"),
    "days_to_match": _l("Median days from sign-up to match"),
    "days_to_agreement": _l("Median days from match to agreement"),
    "mentee_satisfaction": _l("Mentees' satisfaction (1 to 5)"),
    "mentor_satisfaction": _l("Mentors' satisfaction (1 to 5)"),
}

OUTCOMES = {
    "completion": _l("Completed the cycle"),
    "job_found": _l("Found a job"),
    "job_in_field": _l("Found a job in her field"),
    "education_started": _l("Started an education"),
    "language_improved": _l("Improved her language"),
    "network_grown": _l("Grew her network"),
    "mentors_stayed": _l("Mentors who took another mentee"),
}

AGES = {
    "under-25": _l("Under 25"),
    "25-34": _l("25 to 34"),
    "35-44": _l("35 to 44"),
    "45-54": _l("45 to 54"),
    "55-64": _l("55 to 64"),
    "65-plus": _l("65 and over"),
}

NOT_RECORDED = _l("Not recorded")
NO_DATA = "\u2013"  # an en dash: nothing to count


def problem(code: str, today: date) -> str:
    """The sentence shown beside a filter that cannot be used."""
    messages = {
        filters.NOT_A_DATE: _("Give a date as year-month-day, for example 2025-03-31."),
        filters.TOO_EARLY: _("Choose a date in %(year)s or later.", year=str(filters.FIRST_YEAR)),
        filters.END_BEFORE_START: _("The end of the period comes before its start."),
        filters.TOO_LONG: _(
            "Choose a period of at most %(years)s years.", years=str(filters.MAX_YEARS)
        ),
        filters.NOT_A_YEAR: _(
            "Choose a year from %(first)s to %(last)s.",
            first=str(filters.FIRST_YEAR),
            last=str(today.year),
        ),
        filters.NOT_YOUR_OFFICE: _("Choose one of the offices in the list."),
    }
    return messages.get(code, _("This value cannot be used."))


def _locale_code() -> str:
    locale = get_locale()
    return str(locale) if locale is not None else "en"


def office_name(key: str) -> str:
    for office in current_tenant.config.offices:
        if office.key == key:
            return local_text(office.name)
    return key


def phase_name(key: str) -> str:
    for phase in current_tenant.config.cycle.phases:
        if phase.key == key:
            return local_text(phase.name)
    return key


def country_name(code: str) -> str:
    try:
        names = Locale.parse(_locale_code()).territories
    except (UnknownLocaleError, ValueError):
        names = {}
    return names.get(code.upper(), code)


def month_name(key: str) -> str:
    """``2025-03`` as "March 2025" in the reader's language."""
    year, month = (int(part) for part in key.split("-"))
    return format_skeleton("yMMMM", date(year, month, 1), locale=_locale_code())


def title(key: str) -> str:
    return str(TITLES.get(key, key))


def note(key: str) -> str:
    return str(NOTES.get(key, ""))


def column_label(key: str) -> str:
    if key == NO_OFFICE:
        return _("No office")
    if key.startswith("office:"):
        return office_name(key.removeprefix("office:"))
    label = COLUMNS.get(key) or MEASURES.get(key)
    return str(label) if label is not None else key


def row_label(table: Table, row: Row) -> str:
    """What a row is about, in the reader's language."""
    if row.label is not None:
        return row.label
    key, kind = row.key, table.rows_are
    if row.total:
        return str(COLUMNS[TOTAL])
    if key == UNKNOWN:
        return str(NOT_RECORDED)
    if kind == "measure":
        return str(MEASURES.get(key, key))
    if kind == "outcome":
        return str(OUTCOMES.get(key, key))
    if kind == "stage":
        if key == "phase:":
            return _("Active, no phase set")
        if key.startswith("phase:"):
            return _("Active: %(phase)s", phase=phase_name(key.removeprefix("phase:")))
        if key == "waiting":
            return str(STATUS_LABELS["ready"])
        if key in STATUS_LABELS:
            return str(STATUS_LABELS[key])
        return str(CYCLE_LABELS["state"].get(key, key))
    if kind == "profession":
        group = isco().get(key)
        return group.label(_locale_code()) if group is not None else key
    if kind == "country":
        return _("Other countries") if key == OTHER else country_name(key)
    if kind == "age_band":
        return str(AGES.get(key, key))
    if kind == "month":
        return month_name(key)
    return key


def cell(value: Value, unit: str) -> str:
    """A number as the page shows it, in the reader's language."""
    if isinstance(value, Hidden):
        return _("fewer than 10")
    if value is None:
        return NO_DATA
    if unit == COUNT:
        return format_decimal(value, "#,##0")
    if unit == SHARE:
        return format_percent(value, "#,##0%")
    if unit == DAYS:
        return format_decimal(value, "#,##0.#")
    return format_decimal(value, "#,##0.0")
