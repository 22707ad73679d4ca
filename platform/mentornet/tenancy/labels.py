"""Names of a tenant's statuses, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "trial": _l("Trial"),
    "active": _l("Active"),
    "past_due": _l("Payment overdue"),
    "read_only": _l("Read-only"),
    "canceled": _l("Canceled"),
}


def tenant_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
