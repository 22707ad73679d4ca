"""Pairs and mentorships in a given state, for the cycle tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.people_helpers import add_participant

TODAY = date.today().isoformat()
# A complete closing record, as a coordinator's form would send it.
OUTCOME = {
    "job_found": True,
    "job_in_field": True,
    "education_started": False,
    "language_improved": True,
    "network_grown": True,
    "farewell_held": True,
    "farewell_on": TODAY,
}


def auth(world, role: str = "coordinator") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def pair(app, world, *, linked: bool = True, **mentee: Any) -> tuple[int, int]:
    """A waiting mentee and a ready mentor of ``world``, logged in as its mentee and mentor
    members when ``linked``."""
    mentee_values = {"goals": ["job_in_field", "language"], "days_waiting": 20} | mentee
    mentee_id = add_participant(
        app,
        world.slug,
        name="Amina",
        languages=["da", "en"],
        user_id=world.user_ids["mentee"] if linked else None,
        **mentee_values,
    )
    mentor_id = add_participant(
        app,
        world.slug,
        kind="mentor",
        status="ready",
        name="Karen",
        languages=["da", "en"],
        capacity=2,
        user_id=world.user_ids["mentor"] if linked else None,
    )
    return mentee_id, mentor_id


def propose(client, world, mentee_id: int, mentor_id: int) -> dict[str, Any]:
    response = client.post(
        f"/{world.slug}/api/v1/mentorships",
        headers=auth(world),
        json={"mentee_id": mentee_id, "mentor_id": mentor_id},
    )
    assert response.status_code == 201, response.json
    return response.json


def post(client, world, mentorship_id: int, path: str, role: str = "coordinator", **body: Any):
    return client.post(
        f"/{world.slug}/api/v1/mentorships/{mentorship_id}/{path}",
        headers=auth(world, role),
        json=body,
    )


def advance(client, world, mentorship_id: int, state: str) -> dict[str, Any]:
    """Take a proposed mentorship to ``state`` the way a coordinator records it."""
    ok = (200, 201)

    def step(path: str, **body: Any) -> dict[str, Any]:
        response = post(client, world, mentorship_id, path, **body)
        assert response.status_code in ok, response.json
        return response.json

    m = client.get(f"/{world.slug}/api/v1/mentorships/{mentorship_id}", headers=auth(world)).json
    if state == "proposed":
        return m
    if state == "declined":
        return step("responses", answer="no", side="mentor", reason_code="time")
    m = step("transitions", to="introduced", first_meeting_on=TODAY, led_by="coordinator")
    if state == "introduced":
        return m
    step("responses", answer="yes", side="mentee")
    m = step("responses", answer="yes", side="mentor")
    if state == "agreed":
        return m
    if state == "ended_early" and m["state"] == "agreed":
        return step("transitions", to="ended_early", reason_code="moved")
    step("agreement/accept", side="mentee")
    m = step("agreement/accept", side="mentor")
    if state == "active":
        return m
    if state in ("completed", "redefined"):
        return step("close", to=state, **OUTCOME)
    raise AssertionError(state)
