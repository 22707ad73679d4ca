"""The reports pages: the dashboard, CSV files of its tables, the printable yearly report
and the comparison with sister programmes. Coordinators and admins only; a coordinator
limited to some offices sees her offices' figures and chooses among them alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask import Blueprint, Response, abort, g, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from mentornet.accounts.current import roles_required
from mentornet.accounts.models import STAFF_ROLES
from mentornet.i18n import local_text
from mentornet.reports import federation, filters, labels, presentation, services
from mentornet.reports.figures import TABLES, Table
from mentornet.reports.filters import FilterError, Filters
from mentornet.tenancy.context import current_tenant

bp = Blueprint("reports", __name__, url_prefix="/<tenant>/reports")
YEARS_OFFERED = 10
# The measures shown as large figures at the top of the dashboard.
GLANCE = (
    "signed_up",
    "registered",
    "completed",
    "completion_rate",
    "job_found",
    "mentors_stayed",
    "days_to_match",
)


@dataclass
class FilterForm:
    """What the filter form shows: the values sent, the choices, a problem per field."""

    values: Mapping[str, str]
    offices: list[tuple[str, str]]
    years: list[int]
    limited: bool
    errors: dict[str, str] = field(default_factory=dict)


def _limited_to() -> list[str]:
    return list(g.membership.offices or [])


def _office_choices() -> list[tuple[str, str]]:
    mine = _limited_to()
    return [
        (o.key, local_text(o.name))
        for o in current_tenant.config.offices
        if not mine or o.key in mine
    ]


def _form(args: Mapping[str, str], today: date, errors: dict[str, str] | None = None):
    first = max(filters.FIRST_YEAR, today.year - YEARS_OFFERED + 1)
    return FilterForm(
        values={k: args.get(k, "") for k in ("from", "to", "year", "office")},
        offices=_office_choices(),
        years=list(range(today.year, first - 1, -1)),
        limited=bool(_limited_to()),
        errors=errors or {},
    )


def _parse(args: Mapping[str, str], today: date) -> Filters:
    return filters.parse(
        args,
        today=today,
        offices=[o.key for o in current_tenant.config.offices],
        limited_to=_limited_to(),
    )


def _problems(exc: FilterError, today: date) -> dict[str, str]:
    return {name: labels.problem(code, today) for name, code in exc.fields.items()}


def _period_text(f: Filters) -> str:
    return _(
        "%(start)s to %(end)s",
        start=format_date(f.period.start, "long"),
        end=format_date(f.period.end, "long"),
    )


def _scope_text(f: Filters) -> str:
    if f.office:
        return labels.office_name(f.office)
    if f.offices is not None:
        return ", ".join(labels.office_name(key) for key in f.offices)
    return _("All offices")


def _shown(tables: list[Table], prefix: str = "chart") -> list[presentation.Shown]:
    return [presentation.show(t, f"{prefix}-{t.key}") for t in tables]


def _refused(template: str, args: Mapping[str, str], today: date, exc: FilterError, **context):
    form = _form(args, today, _problems(exc, today))
    return render_template(template, form=form, tables=[], **context), 400


@bp.get("")
@roles_required(*STAFF_ROLES)
def dashboard():
    today = date.today()
    try:
        chosen = _parse(request.args, today)
    except FilterError as exc:
        return _refused("reports/dashboard.html", request.args, today, exc)
    tables = services.dashboard(chosen)
    csv_args = {k: v for k, v in request.args.items() if k in ("from", "to", "year", "office")}
    return render_template(
        "reports/dashboard.html",
        form=_form(request.args, today),
        chosen=chosen,
        period=_period_text(chosen),
        scope=_scope_text(chosen),
        glance=GLANCE,
        tables=_shown(tables),
        csv_args=csv_args,
    )


@bp.get("/<name>.csv")
@roles_required(*STAFF_ROLES)
def table_csv(name: str):
    if name not in TABLES:
        abort(404)
    today = date.today()
    try:
        chosen = _parse(request.args, today)
    except FilterError as exc:
        return _refused("reports/dashboard.html", request.args, today, exc)
    table = next(t for t in services.dashboard(chosen) if t.key == name)
    filename = f"{current_tenant.slug}-{name}-{chosen.period.start}-{chosen.period.end}.csv"
    return _csv(presentation.csv_text(table), filename)


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/year/<int:year>")
@roles_required(*STAFF_ROLES)
def yearly(year: int):
    today = date.today()
    if not filters.FIRST_YEAR <= year <= today.year:
        abort(404)
    args = {"year": str(year), "office": request.args.get("office", "")}
    try:
        chosen = _parse(args, today)
    except FilterError as exc:
        return _refused("reports/year.html", args, today, exc, year=year)
    tables = services.dashboard(chosen)
    return render_template(
        "reports/year.html",
        form=_form(args, today),
        year=year,
        chosen=chosen,
        period=_period_text(chosen),
        scope=_scope_text(chosen),
        made_on=format_date(today, "long"),
        tables=_shown(tables, "year"),
    )


def _federation_year(today: date) -> int:
    """The year asked for (this year by default); raises :class:`FilterError`."""
    raw = request.args.get("year", "")
    return filters.parse({"year": raw}, today=today, offices=[]).year or today.year


def _federation_table(year: int, today: date) -> Table:
    tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]
    own = _("%(name)s (your programme)", name=tenant.name)
    return federation.compare(tenant, year, today, own)


@bp.get("/federation")
@roles_required(*STAFF_ROLES)
def federation_page():
    today = date.today()
    if not federation.opted_in(current_tenant):
        # Nothing to compare: it sees no one, and is told how to join.
        return render_template("reports/federation.html", joined=False, settings_url=_privacy_url())
    context = {"joined": True, "settings_url": None}
    try:
        year = _federation_year(today)
    except FilterError as exc:
        return _refused("reports/federation.html", request.args, today, exc, **context)
    table = _federation_table(year, today)
    return render_template(
        "reports/federation.html",
        form=_form({"year": str(year)}, today),
        year=year,
        table=presentation.show(table, "federation-chart"),
        **context,
    )


@bp.get("/federation.csv")
@roles_required(*STAFF_ROLES)
def federation_csv():
    if not federation.opted_in(current_tenant):
        abort(404)
    today = date.today()
    try:
        year = _federation_year(today)
    except FilterError as exc:
        context = {"joined": True, "settings_url": None}
        return _refused("reports/federation.html", request.args, today, exc, **context)
    table = _federation_table(year, today)
    return _csv(presentation.csv_text(table), f"{current_tenant.slug}-federation-{year}.csv")


def _privacy_url() -> str | None:
    if g.membership.role != "admin":
        return None
    return url_for("settings.privacy")
