"""Role names as people read them, in their language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

ROLE_LABELS = {
    "admin": _l("Admin"),
    "coordinator": _l("Coordinator"),
    "mentor": _l("Mentor"),
    "mentee": _l("Mentee"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def role_label_plural(role: str, count: int) -> str:
    """'1 mentor', '12 mentors': the count's plural form in the viewer's language."""
    if role == "admin":
        return ngettext("admin", "admins", count)
    if role == "coordinator":
        return ngettext("coordinator", "coordinators", count)
    if role == "mentor":
        return ngettext("mentor", "mentors", count)
    return ngettext("mentee", "mentees", count)
