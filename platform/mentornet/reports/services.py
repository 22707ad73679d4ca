"""The dashboard's tables for the bound tenant, and their JSON for the API."""

from __future__ import annotations

from typing import Any

from mentornet.reports import figures, queries
from mentornet.reports.figures import Hidden, Table
from mentornet.reports.filters import Filters, months
from mentornet.tenancy.context import current_tenant


def offices_shown(filters: Filters) -> list[str]:
    """The offices the figures cover: the chosen ones, else every office of the tenant."""
    if filters.offices is not None:
        return list(filters.offices)
    return [office.key for office in current_tenant.config.offices]


def dashboard(filters: Filters) -> list[Table]:
    """Every table of the dashboard, counted for ``filters``."""
    assert filters.today is not None
    month_keys = months(filters.period, filters.today)
    counts = queries.collect(filters, month_keys)
    return figures.tables(
        counts,
        phases=[phase.key for phase in current_tenant.config.cycle.phases],
        offices=offices_shown(filters),
        months=month_keys,
    )


def _json_value(value: figures.Value) -> Any:
    if isinstance(value, Hidden):
        return "fewer_than_10"
    if isinstance(value, float):
        return round(value, 4)
    return value


def table_json(table: Table) -> dict[str, Any]:
    """Keys and numbers: shares as fractions 0..1, days as numbers, no words."""
    return {
        "rows_are": table.rows_are,
        "columns": [{"key": c.key, "unit": c.unit} for c in table.columns],
        "rows": [
            {
                "key": row.key,
                **({"total": True} if row.total else {}),
                **({"unit": row.unit} if row.unit else {}),
                "values": {
                    c.key: _json_value(v) for c, v in zip(table.columns, row.values, strict=True)
                },
            }
            for row in table.rows
        ],
    }
