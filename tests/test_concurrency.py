"""Two coordinators taking a mentor's last free place at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from tests.people_helpers import add_participant

pytestmark = pytest.mark.postgres


def test_the_last_free_place_is_taken_once(app, tenants, owner_engine):
    if owner_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every write; the race needs PostgreSQL")
    alpha, _ = tenants
    mentor = add_participant(
        app,
        "alpha",
        kind="mentor",
        status="ready",
        name="Last place",
        profession="2221",
        languages=["da"],
        capacity=1,
    )
    mentees = [
        add_participant(
            app, "alpha", name=f"Mentee {n}", days_waiting=1, profession="2221", languages=["da"]
        )
        for n in range(6)
    ]
    barrier = threading.Barrier(len(mentees))
    statuses: list[int] = []
    codes: list[str] = []

    def propose(mentee_id: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/alpha/api/v1/mentorships",
            json={"mentee_id": mentee_id, "mentor_id": mentor},
            headers={"Authorization": f"Bearer {alpha.tokens['coordinator']}"},
        )
        statuses.append(response.status_code)
        if response.status_code != 201:
            codes.append(response.json["error"]["code"])

    threads = [threading.Thread(target=propose, args=(m,)) for m in mentees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201] + [409] * (len(mentees) - 1)
    assert set(codes) == {"no_capacity"}  # a clear conflict, not a crash
    with owner_engine.connect() as conn:
        taken = conn.execute(
            text("SELECT count(*) FROM mentorships WHERE mentor_id = :m AND state = 'proposed'"),
            {"m": mentor},
        ).scalar()
    assert taken == 1
