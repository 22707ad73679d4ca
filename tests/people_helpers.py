"""Creating participants directly, for tests of the staff pages and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from mentornet.extensions import db
from mentornet.people.models import Interview, Participant
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant


def add_participant(app, slug: str, **values: Any) -> int:
    """A participant in tenant ``slug``; returns her id."""
    defaults: dict[str, Any] = {
        "kind": "mentee",
        "status": "applied",
        "name": "Test Person",
        "preferred_locale": "en",
        "languages": ["en"],
        "office": "north",
        "source": "test",
    }
    defaults.update(values)
    days_waiting = defaults.pop("days_waiting", None)
    notes = defaults.pop("interview_notes", None)
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with with_tenant(tenant):
            participant = Participant(**defaults)
            if days_waiting is not None:
                participant.status = "ready"
                participant.ready_since = datetime.now(UTC) - timedelta(days=days_waiting)
            if notes:
                participant.interviews.append(
                    Interview(
                        held_on=datetime.now(UTC).date(),
                        dreams="To work as a nurse again",
                        notes=notes,
                    )
                )
            db.session.add(participant)
            db.session.commit()
            return participant.id
