"""A mentorship's whole cycle through the JSON API, for Denmark's and Toronto's programmes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from mentornet.cycles.lifecycle import STATES, TRANSITIONS
from tests.cycle_helpers import OUTCOME, TODAY, advance, auth, pair, post, propose
from tests.factories import make_tenant
from tests.test_people_signup import rows


@pytest.fixture
def denmark(app):
    with app.app_context():
        return make_tenant("denmark", preset="denmark")


@pytest.fixture
def toronto(app):
    with app.app_context():
        return make_tenant("toronto", preset="toronto")


def get(client, world, mentorship_id, role="coordinator", path=""):
    url = f"/{world.slug}/api/v1/mentorships/{mentorship_id}{'/' + path if path else ''}"
    return client.get(url, headers=auth(world, role))


def test_a_whole_denmark_cycle(app, client, denmark, owner_engine):
    dk = denmark
    mentee_id, mentor_id = pair(app, dk)
    m = propose(client, dk, mentee_id, mentor_id)
    mid = m["id"]
    assert m["state"] == "proposed"
    # Both sides are told: each sees the proposal among her own mentorships.
    for role in ("mentee", "mentor"):
        mine = client.get("/denmark/api/v1/mentorships", headers=auth(dk, role)).json
        assert [x["id"] for x in mine["items"]] == [mid]

    # A yes to meet is not yet a yes to go on.
    assert post(client, dk, mid, "responses", "mentee", answer="yes").status_code == 201
    skip = post(client, dk, mid, "transitions", to="agreed")
    assert (skip.status_code, skip.json["error"]["code"]) == (409, "illegal_transition")

    first = post(
        client,
        dk,
        mid,
        "transitions",
        "mentee",
        to="introduced",
        first_meeting_on=TODAY,
        led_by="mentee",
    )
    assert first.json["state"] == "introduced"
    assert first.json["first_meeting"] == {"on": TODAY, "led_by": "mentee"}

    post(client, dk, mid, "responses", "mentee", answer="yes")
    early = post(client, dk, mid, "transitions", to="agreed")
    assert (early.status_code, early.json["error"]["code"]) == (409, "needs_both_yes")
    # She cannot answer for him.
    for_him = post(client, dk, mid, "responses", "mentee", answer="yes", side="mentor")
    assert for_him.status_code == 403
    agreed = post(client, dk, mid, "responses", "mentor", answer="yes").json
    assert agreed["state"] == "agreed"
    agreement = agreed["agreement"]
    # Denmark's template: two hours face to face a month, about 18 months, her goals.
    assert agreement["minimum"] == {
        "kind": "minutes_per_month",
        "value": 120,
        "meeting_kinds": ["face_to_face"],
    }
    assert agreement["months"] == 18
    assert agreement["goals"] == ["job_in_field", "language"]

    post(client, dk, mid, "agreement/accept", "mentor")
    changed = client.patch(
        f"/denmark/api/v1/mentorships/{mid}/agreement",
        headers=auth(dk, "mentee"),
        json={"goals": ["job_in_field"], "notes": "We meet at the library"},
    ).json
    # Changing the terms asks both to accept again.
    assert changed["agreement"]["mentor_accepted_at"] is None
    bad_goal = client.patch(
        f"/denmark/api/v1/mentorships/{mid}/agreement",
        headers=auth(dk, "mentee"),
        json={"goals": ["religion"]},
    )
    assert bad_goal.status_code == 422 and "goals" in bad_goal.json["error"]["fields"]
    post(client, dk, mid, "agreement/accept", "mentee")
    active = post(client, dk, mid, "agreement/accept", "mentor").json
    assert active["state"] == "active" and active["phase"] == "initiation"
    assert active["agreement"]["mentee_accepted_at"] and active["agreement"]["mentor_accepted_at"]

    # Follow-ups: after the first month, then every three months, within 18 months.
    follow_ups = get(client, dk, mid, path="follow-ups").json["items"]
    start = date.today()
    assert [f["due_on"] for f in follow_ups] == [
        (start + timedelta(weeks=4 + 13 * i)).isoformat() for i in range(6)
    ]
    assert get(client, dk, mid, "mentee", "follow-ups").status_code == 403  # coordinator notes

    goals = get(client, dk, mid, "mentee", "goals").json["items"]
    assert [(g["key"], g["status"]) for g in goals] == [("job_in_field", "open")]

    meeting = post(
        client,
        dk,
        mid,
        "meetings",
        "mentee",
        held_on=TODAY,
        kind="face_to_face",
        minutes=120,
        note="Coffee and her CV",
    )
    assert meeting.status_code == 201 and meeting.json["logged_by"] == "mentee"
    post(client, dk, mid, "meetings", "mentor", held_on=TODAY, kind="phone", minutes=30)
    assert [x["kind"] for x in get(client, dk, mid, "mentor", "meetings").json["items"]] == [
        "phone",
        "face_to_face",
    ]

    skip_phase = post(client, dk, mid, "transitions", to="active", phase="maturation")
    assert (skip_phase.status_code, skip_phase.json["error"]["code"]) == (409, "phase_order")
    for phase in ("cultivation", "maturation", "separation"):
        moved = post(client, dk, mid, "transitions", "mentor", to="active", phase=phase)
        assert moved.json["phase"] == phase

    achieved = client.patch(
        f"/denmark/api/v1/mentorships/{mid}/goals/{goals[0]['id']}",
        headers=auth(dk, "mentee"),
        json={"status": "achieved"},
    ).json
    assert achieved["achieved_on"] == TODAY

    # Closing is the coordinator's, with a farewell and every outcome answered.
    assert post(client, dk, mid, "close", "mentee", **OUTCOME).status_code == 403
    no_farewell = post(client, dk, mid, "close", **(OUTCOME | {"farewell_held": False}))
    assert no_farewell.status_code == 422
    assert "farewell_held" in no_farewell.json["error"]["fields"]
    half = post(client, dk, mid, "close", job_found=True, farewell_held=True)
    assert half.status_code == 422
    assert set(half.json["error"]["fields"]) == {
        "job_in_field",
        "education_started",
        "language_improved",
        "network_grown",
    }
    assert get(client, dk, mid).json["state"] == "active"  # refused steps change nothing
    done = post(client, dk, mid, "close", mentor_satisfaction=4, **OUTCOME).json
    assert done["state"] == "completed"
    assert done["outcome"]["job_found"] and done["outcome"]["job_in_field"]
    rated = post(client, dk, mid, "satisfaction", "mentee", satisfaction=5).json
    assert (rated["outcome"]["mentee_satisfaction"], rated["outcome"]["mentor_satisfaction"]) == (
        5,
        4,
    )

    follow_ups = get(client, dk, mid, path="follow-ups").json["items"]
    assert {f["status"] for f in follow_ups if f["kind"] != "closing"} == {"cancelled"}
    assert [f["due_on"] for f in follow_ups if f["kind"] == "closing"] == [TODAY]

    steps = get(client, dk, mid, path="transitions").json["items"]
    assert [(s["from"], s["to"], s["phase"]) for s in steps] == [
        (None, "proposed", None),
        ("proposed", "introduced", None),
        ("introduced", "agreed", None),
        ("agreed", "active", "initiation"),
        ("active", "active", "cultivation"),
        ("active", "active", "maturation"),
        ("active", "active", "separation"),
        ("active", "completed", None),
    ]
    assert steps[1]["by"] == dk.user_ids["mentee"] and steps[2]["by"] == dk.user_ids["mentor"]
    assert all(s["at"] for s in steps)

    statuses = {
        r["id"]: r["status"] for r in rows(owner_engine, "SELECT id, status FROM participants")
    }
    assert statuses[mentee_id] == "alumni" and statuses[mentor_id] == "ready"
    late = post(client, dk, mid, "meetings", "mentee", held_on=TODAY, kind="phone", minutes=10)
    assert (late.status_code, late.json["error"]["code"]) == (409, "closed")


def test_a_whole_toronto_cycle(app, client, toronto, owner_engine):
    to = toronto
    mentee_id, mentor_id = pair(app, to, goals=["job_in_field"])
    mid = propose(client, to, mentee_id, mentor_id)["id"]
    # TRIEC facilitates every first meeting: one led by the mentee alone is refused.
    alone = post(
        client,
        to,
        mid,
        "transitions",
        "mentee",
        to="introduced",
        first_meeting_on=TODAY,
        led_by="mentee",
    )
    assert alone.status_code == 422 and "led_by" in alone.json["error"]["fields"]
    post(
        client,
        to,
        mid,
        "transitions",
        to="introduced",
        first_meeting_on=TODAY,
        led_by="coordinator",
    )
    post(client, to, mid, "responses", "mentor", answer="yes")
    agreed = post(client, to, mid, "responses", "mentee", answer="yes").json
    assert agreed["agreement"]["minimum"]["kind"] == "total_hours"
    assert agreed["agreement"]["minimum"]["value"] == 24 and agreed["agreement"]["months"] == 4
    post(client, to, mid, "agreement/accept", "mentee")
    active = post(client, to, mid, "agreement/accept", "mentor").json
    assert active["phase"] == "getting_started"
    due = [f["due_on"] for f in get(client, to, mid, path="follow-ups").json["items"]]
    assert due == [(date.today() + timedelta(weeks=4 * i)).isoformat() for i in (1, 2, 3, 4)]
    for kind in ("online", "phone", "face_to_face"):
        post(client, to, mid, "meetings", "mentee", held_on=TODAY, kind=kind, minutes=90)
    # Online and phone count for TRIEC; 4.5 hours are logged.
    assert get(client, to, mid).json["health"]["counted_minutes"] == 270
    for phase in ("career_plan", "wrap_up"):
        post(client, to, mid, "transitions", to="active", phase=phase)
    closed = post(client, to, mid, "transitions", to="completed", **OUTCOME).json
    assert closed["state"] == "completed" and closed["outcome"]["farewell_held"] is True


def test_health_on_track_behind_and_silent(app, client, denmark, owner_engine):
    dk = denmark
    mid = advance(client, dk, propose(client, dk, *pair(app, dk))["id"], "active")["id"]
    assert get(client, dk, mid).json["health"]["status"] == "on_track"  # nothing due yet
    # Seventy days ago, and not a word since.
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE mentorships SET active_since = :d, created_at = :c WHERE id = :id"),
            {
                "d": date.today() - timedelta(days=70),
                "c": date.today() - timedelta(days=75),
                "id": mid,
            },
        )
    health = get(client, dk, mid).json["health"]
    assert (health["status"], health["weeks_silent"]) == ("silent", 10)
    assert health["expected_minutes"] == 240
    post(client, dk, mid, "meetings", held_on=TODAY, kind="face_to_face", minutes=120)
    assert get(client, dk, mid).json["health"]["status"] == "behind"
    post(client, dk, mid, "meetings", held_on=TODAY, kind="online", minutes=120)
    assert get(client, dk, mid).json["health"]["status"] == "behind"  # online is not face to face
    post(client, dk, mid, "meetings", held_on=TODAY, kind="face_to_face", minutes=150)
    assert get(client, dk, mid).json["health"]["status"] == "on_track"


def test_a_no_declines_with_a_reason_and_puts_her_back(app, client, denmark, owner_engine):
    dk = denmark
    mentee_id, mentor_id = pair(app, dk)
    mid = propose(client, dk, mentee_id, mentor_id)["id"]
    advance(client, dk, mid, "introduced")
    no_reason = post(client, dk, mid, "responses", "mentor", answer="no")
    assert no_reason.status_code == 422 and "reason_code" in no_reason.json["error"]["fields"]
    other = post(client, dk, mid, "responses", "mentor", answer="no", reason_code="other")
    assert other.status_code == 422 and "reason" in other.json["error"]["fields"]
    assert get(client, dk, mid).json["state"] == "introduced"
    declined = post(
        client,
        dk,
        mid,
        "responses",
        "mentor",
        answer="no",
        reason_code="expectations",
        reason="She hoped for someone in a hospital",
    ).json
    assert declined["state"] == "declined"
    last = declined["transitions"][-1]
    assert (last["reason_code"], last["reason"]) == (
        "expectations",
        "She hoped for someone in a hospital",
    )
    assert {
        r["id"]: r["status"] for r in rows(owner_engine, "SELECT id, status FROM participants")
    }[mentee_id] == "ready"
    again = client.post(
        "/denmark/api/v1/mentorships",
        headers=auth(dk),
        json={"mentee_id": mentee_id, "mentor_id": mentor_id},
    )
    assert (again.status_code, again.json["error"]["code"]) == (409, "excluded")


def test_ended_early_needs_a_reason_and_redefined_keeps_outcomes(app, client, denmark):
    dk = denmark
    first = advance(client, dk, propose(client, dk, *pair(app, dk))["id"], "active")["id"]
    missing = post(client, dk, first, "transitions", "mentee", to="ended_early")
    assert missing.status_code == 422 and "reason_code" in missing.json["error"]["fields"]
    ended = post(
        client,
        dk,
        first,
        "transitions",
        "mentee",
        to="ended_early",
        reason_code="moved",
        reason="Moved to Aarhus",
    ).json
    assert ended["state"] == "ended_early"
    second = advance(client, dk, propose(client, dk, *pair(app, dk, linked=False))["id"], "active")
    friends = post(
        client, dk, second["id"], "close", **(OUTCOME | {"to": "redefined", "farewell_held": False})
    )
    assert friends.json["state"] == "redefined"
    assert friends.json["outcome"]["network_grown"] is True


STATE_ORDER = [
    "proposed",
    "introduced",
    "agreed",
    "active",
    "completed",
    "redefined",
    "declined",
    "ended_early",
]


def test_every_illegal_transition_is_refused_and_changes_nothing(
    app, client, denmark, owner_engine
):
    dk = denmark
    mentorships = {}
    for state in STATE_ORDER:
        ids = pair(app, dk, linked=False)
        mentorships[state] = advance(client, dk, propose(client, dk, *ids)["id"], state)["id"]
    assert {get(client, dk, mid).json["state"] for mid in mentorships.values()} == set(STATES)
    before = rows(owner_engine, "SELECT id, state, phase FROM mentorships ORDER BY id")
    steps = len(rows(owner_engine, "SELECT id FROM mentorship_transitions"))
    refused = 0
    for source, mid in mentorships.items():
        for target in STATES:
            if (source, target) in TRANSITIONS or (source, target) == ("active", "active"):
                continue
            response = post(
                client,
                dk,
                mid,
                "transitions",
                to=target,
                reason_code="other",
                reason="testing",
                first_meeting_on=TODAY,
                led_by="coordinator",
                **OUTCOME,
            )
            assert response.status_code == 409, (source, target, response.json)
            assert response.json["error"]["code"] == "illegal_transition"
            refused += 1
    assert refused == len(STATES) ** 2 - len(TRANSITIONS) - 1
    assert rows(owner_engine, "SELECT id, state, phase FROM mentorships ORDER BY id") == before
    assert len(rows(owner_engine, "SELECT id FROM mentorship_transitions")) == steps


def test_follow_ups_due_and_overdue_done_with_a_note(app, client, denmark, owner_engine):
    dk = denmark
    mid = advance(client, dk, propose(client, dk, *pair(app, dk))["id"], "active")["id"]
    first, second = get(client, dk, mid, path="follow-ups").json["items"][:2]
    assert client.get("/denmark/api/v1/follow-ups", headers=auth(dk)).json["items"] == []
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE follow_ups SET due_on = :d WHERE id = :id"),
            {"d": date.today() - timedelta(days=3), "id": first["id"]},
        )
        conn.execute(
            text("UPDATE follow_ups SET due_on = :d WHERE id = :id"),
            {"d": date.today() + timedelta(days=2), "id": second["id"]},
        )
    due = client.get("/denmark/api/v1/follow-ups", headers=auth(dk)).json["items"]
    assert [(f["id"], f["overdue"]) for f in due] == [(first["id"], True), (second["id"], False)]
    assert client.get("/denmark/api/v1/follow-ups", headers=auth(dk, "mentor")).status_code == 403
    path = f"follow-ups/{first['id']}/done"
    assert post(client, dk, mid, path, note="  ").status_code == 422
    done = post(client, dk, mid, path, note="Called both: going well").json
    assert done["status"] == "done" and done["note"] == "Called both: going well"
    assert post(client, dk, mid, path, note="again").status_code == 409
    due = client.get("/denmark/api/v1/follow-ups", headers=auth(dk)).json["items"]
    assert [f["id"] for f in due] == [second["id"]]


def test_bad_input_gets_json_errors_never_a_500(app, client, denmark):
    dk = denmark
    mid = advance(client, dk, propose(client, dk, *pair(app, dk))["id"], "active")["id"]
    cases = [
        ("meetings", {"held_on": "yesterday", "kind": "face_to_face", "minutes": 60}, "held_on"),
        ("meetings", {"held_on": TODAY, "kind": "telepathy", "minutes": 60}, "kind"),
        ("meetings", {"held_on": TODAY, "kind": "phone", "minutes": "an hour"}, "minutes"),
        ("meetings", {"held_on": TODAY, "kind": "phone", "minutes": 0}, "minutes"),
        ("meetings", {"held_on": "2999-01-01", "kind": "phone", "minutes": 5}, "held_on"),
        ("goals", {"key": "custom"}, "title"),
        ("goals", {"key": "religion"}, "key"),
        ("satisfaction", {"satisfaction": 9}, "satisfaction"),
        ("transitions", {"to": "flying"}, "to"),
    ]
    for path, body, field in cases:
        response = post(client, dk, mid, path, "mentee", **body)
        assert response.status_code == 422, (path, body, response.json)
        assert field in response.json["error"]["fields"], (path, body)
    not_json = client.post(
        f"/denmark/api/v1/mentorships/{mid}/meetings", headers=auth(dk), data="minutes=5"
    )
    assert not_json.status_code == 400
    assert get(client, dk, mid, "mentee", "meetings").json["items"] == []


def test_participants_see_only_their_own_and_coordinators_only_their_offices(app, client, denmark):
    dk = denmark
    mine = propose(client, dk, *pair(app, dk))["id"]
    theirs = propose(client, dk, *pair(app, dk, linked=False, office="aarhus"))["id"]
    assert get(client, dk, theirs, "mentee").status_code == 404
    assert get(client, dk, mine, "mentee").status_code == 200
    with app.app_context():
        from mentornet.accounts.models import Membership
        from mentornet.extensions import db
        from mentornet.tenancy.context import with_tenant
        from mentornet.tenancy.models import Tenant

        with with_tenant(db.session.get(Tenant, dk.id)):
            membership = db.session.get(Membership, dk.member_ids["coordinator"])
            membership.offices = ["aarhus"]
            db.session.commit()
    assert get(client, dk, mine).status_code == 404
    listed = client.get("/denmark/api/v1/mentorships", headers=auth(dk)).json["items"]
    assert [m["id"] for m in listed] == [theirs]
