"""A small programme with known figures, on fixed past dates, for the report tests.

Mentorships are written as rows (as the cycle services leave them), so a test can put
each milestone on the day it needs; people come from ``people_helpers.add_participant``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from mentornet.cycles.models import Agreement, Goal, Meeting, Mentorship, Outcome
from mentornet.extensions import db
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.people_helpers import add_participant

YEAR = 2024


def at(day: str) -> datetime:
    """Noon UTC on an ISO day: a timestamp safely inside that day in any database."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC).replace(hour=12)


def person(app, slug: str, created: str, **values: Any) -> int:
    return add_participant(app, slug, created_at=at(created), **values)


def pair(
    app,
    slug: str,
    mentee_id: int,
    mentor_id: int,
    *,
    state: str,
    created: str,
    agreed: str | None = None,
    active_since: str | None = None,
    closed: str | None = None,
    phase: str | None = None,
    goals: Iterable[str] = (),
    outcome: dict[str, Any] | None = None,
    meetings: Iterable[tuple[str, str, int]] = (),
    minimum: tuple[str, int, list[str], float] = ("minutes_per_month", 120, ["face_to_face"], 6),
) -> int:
    """A mentorship in ``state`` with its milestones; ``meetings`` are (day, kind, minutes)."""
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with with_tenant(tenant):
            m = Mentorship(
                mentee_id=mentee_id,
                mentor_id=mentor_id,
                state=state,
                created_at=at(created),
                state_changed_at=at(closed or agreed or created),
                agreed_at=at(agreed) if agreed else None,
                active_since=date.fromisoformat(active_since) if active_since else None,
                phase=phase,
                closed_at=at(closed) if closed else None,
            )
            if agreed:
                kind, value, kinds, months = minimum
                m.agreement = Agreement(
                    minimum_kind=kind,
                    minimum_value=value,
                    meeting_kinds=kinds,
                    months=months,
                    goals=list(goals),
                )
            for key in goals:
                m.goals.append(Goal(key=key, status="open"))
            for day, kind, minutes in meetings:
                m.meetings.append(
                    Meeting(
                        held_on=date.fromisoformat(day),
                        kind=kind,
                        minutes=minutes,
                        logged_by_side="mentee",
                    )
                )
            if outcome is not None:
                m.outcome = Outcome(farewell_held=True, **outcome)
            db.session.add(m)
            db.session.commit()
            return m.id


# The known programme: (key, signed up, status, office, other profile values).
MENTEES = (
    ("m1", "2024-01-10", "alumni", "north",
     {"country_of_origin": "SY", "date_of_birth": date(1990, 5, 1), "profession": "2221"}),
    ("m2", "2024-02-01", "alumni", "north",
     {"country_of_origin": "SY", "date_of_birth": date(1980, 3, 1), "profession": "2221"}),
    ("m3", "2024-03-01", "ready", "south",
     {"country_of_origin": "AF", "date_of_birth": date(2002, 1, 1), "profession": "5120"}),
    ("m4", "2023-06-01", "matched", "south", {"country_of_origin": "IR"}),
    ("m5", "2024-05-01", "applied", "north", {}),
    ("m6", "2024-06-01", "ready", "north", {"profession": "2211"}),
    # Anonymised by retention: of her profile only the coarse age band is left.
    ("m7", "2024-04-01", "withdrawn", "south",
     {"name": "", "erased_at": at("2024-12-01"), "age_band": "45-54"}),
    ("m8", "2024-01-05", "ready", "north", {}),
    ("m9", "2024-09-01", "matched", "north", {}),
)  # fmt: skip
MENTORS = (("k1", "matched", "north"), ("k2", "matched", "south"), ("k3", "ready", "north"))
F2F = "face_to_face"


def programme(app, slug: str = "alpha") -> dict[str, int]:
    """The known programme of the report tests (figures worked out in test_reports.py).

    Offices north and south; mentees m1..m9, mentors k1..k3; pairs A (completed), B (goes
    on as friends), C (declined), D (active since 2023), E (ended early), F (proposed).
    """
    ids: dict[str, int] = {}
    for key, created, status, office, values in MENTEES:
        ids[key] = person(app, slug, created, kind="mentee", status=status, office=office, **values)
    for key, status, office in MENTORS:
        ids[key] = person(
            app, slug, "2022-01-01", kind="mentor", status=status, office=office, capacity=2
        )

    def between(mentee: str, mentor: str, **values: Any) -> int:
        return pair(app, slug, ids[mentee], ids[mentor], **values)

    ids["A"] = between(
        "m1", "k1", state="completed", created="2024-02-10", agreed="2024-02-20",
        active_since="2024-03-01", closed="2024-10-01", goals=["job_in_field"],
        outcome={"job_found": True, "job_in_field": True, "education_started": False,
                 "language_improved": True, "network_grown": True,
                 "mentee_satisfaction": 5, "mentor_satisfaction": 4},
        meetings=[("2024-03-15", F2F, 90), ("2024-04-10", F2F, 150)],
    )  # fmt: skip
    ids["B"] = between(
        "m2", "k3", state="redefined", created="2024-03-01", agreed="2024-03-11",
        active_since="2024-04-01", closed="2024-11-15", goals=["job", "language"],
        outcome={"job_found": False, "education_started": True, "language_improved": False,
                 "network_grown": True},
    )  # fmt: skip
    ids["C"] = between("m3", "k2", state="declined", created="2024-04-01", closed="2024-04-10")
    ids["D"] = between(
        "m4", "k2", state="active", created="2023-07-01", agreed="2023-07-10",
        active_since="2023-08-01", phase="start",
        meetings=[("2024-01-08", F2F, 60), ("2024-01-22", F2F, 60), ("2024-02-12", "phone", 120)],
    )  # fmt: skip
    ids["E"] = between(
        "m8", "k1", state="ended_early", created="2024-01-20", agreed="2024-02-01",
        active_since="2024-02-05", closed="2024-06-01",
    )  # fmt: skip
    ids["F"] = between("m9", "k1", state="proposed", created="2024-10-15")
    return ids
