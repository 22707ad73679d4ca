"""Candidates, proposals, exclusions, locks and batch runs through the web and the API."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import login
from tests.people_helpers import add_participant
from tests.test_people_signup import rows

NURSE = {
    "profession": "2221",
    "languages": ["da", "ar"],
    "goals": ["job_in_field"],
    "office": "north",
}


def auth(world, role="coordinator"):
    return {"Authorization": f"Bearer {world.tokens[role]}"}


@pytest.fixture
def pool(app, tenants):
    """A nurse waiting in alpha, three mentors, and a bravo mentor who must never appear."""
    return {
        "amina": add_participant(app, "alpha", name="Amina", days_waiting=30, **NURSE),
        "sara": add_participant(
            app,
            "alpha",
            name="Sara",
            days_waiting=5,
            profession="2512",
            languages=["da"],
            goals=["job"],
            office="north",
        ),
        "nurse_mentor": add_participant(
            app,
            "alpha",
            kind="mentor",
            status="ready",
            name="Karen",
            profession="2221",
            languages=["da"],
            office="north",
            helps_with=["cv", "network"],
        ),
        "doctor_mentor": add_participant(
            app,
            "alpha",
            kind="mentor",
            status="ready",
            name="Lone",
            profession="2211",
            languages=["da"],
            office="north",
            helps_with=["network"],
        ),
        "south_mentor": add_participant(
            app,
            "alpha",
            kind="mentor",
            status="ready",
            name="Mette",
            profession="2221",
            languages=["da"],
            office="south",
        ),
        "paused_mentor": add_participant(
            app,
            "alpha",
            kind="mentor",
            status="paused",
            name="Pia",
            profession="2221",
            languages=["da"],
        ),
        "bravo_mentor": add_participant(
            app,
            "bravo",
            kind="mentor",
            status="ready",
            name="Bravo Mentor",
            profession="2221",
            languages=["da"],
        ),
    }


def set_criteria(app, slug, criteria):
    """Change the tenant's matching criteria (as an admin would in the settings)."""
    from sqlalchemy import select

    from mentornet.extensions import db
    from mentornet.tenancy.models import Tenant

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        settings = dict(tenant.settings)
        settings["matching"] = {"criteria": criteria}
        tenant.settings = settings
        db.session.commit()


def label(key):
    return {"da": key, "en": key}


# Profession counts three times as much as the office, which is also a hard rule.
PROFESSION_AND_OFFICE = [
    {"key": "prof", "field": "profession", "kind": "taxonomy", "weight": 3, "label": label("P")},
    {
        "key": "office",
        "field": "office",
        "kind": "same",
        "weight": 1,
        "hard": True,
        "label": label("O"),
    },
]


def test_candidates_are_ranked_with_explanations(client, tenants, pool, app):
    alpha, _ = tenants
    set_criteria(app, "alpha", PROFESSION_AND_OFFICE)
    response = client.get(
        f"/alpha/api/v1/mentees/{pool['amina']}/candidates?limit=5&lang=en", headers=auth(alpha)
    )
    assert response.status_code == 200
    items = response.json["items"]
    assert [i["mentor_id"] for i in items] == [pool["nurse_mentor"], pool["doctor_mentor"]]
    best = items[0]
    assert best["score"] == 1.0
    assert all(0 <= i["score"] <= 1 for i in items)
    profession = best["explanation"][0]
    assert (profession["criterion"], profession["similarity"], profession["weight"]) == (
        "prof",
        1.0,
        3.0,
    )
    assert profession["share"] == pytest.approx(0.75)
    assert profession["sentence"] == "Both work as nursing professionals (ISCO 2221)."
    second = items[1]["explanation"][0]
    assert second["similarity"] == 0.5  # 2221 and 2211 share the sub-major group 22
    assert second["sentence"] == "Both work in the same field: Health professionals (ISCO 22)."


def test_changing_a_weight_reorders_at_once(client, tenants, pool, app):
    alpha, _ = tenants
    criteria = [
        {
            "key": "prof",
            "field": "profession",
            "kind": "taxonomy",
            "weight": 3,
            "label": label("P"),
        },
        {"key": "goals", "field": "goals", "kind": "overlap", "weight": 0, "label": label("G")},
    ]
    set_criteria(app, "alpha", criteria)
    url = f"/alpha/api/v1/mentees/{pool['amina']}/candidates"
    first = [i["mentor_id"] for i in client.get(url, headers=auth(alpha)).json["items"]]
    assert first[0] == pool["nurse_mentor"]
    criteria[0]["weight"], criteria[1]["weight"] = 0.1, 5  # goals now decide
    set_criteria(app, "alpha", criteria)
    items = client.get(url, headers=auth(alpha)).json["items"]
    scores = {i["mentor_id"]: i["score"] for i in items}
    # Karen offers cv and network (2 of the 4 she needs), Lone only network.
    assert scores[pool["nurse_mentor"]] > scores[pool["doctor_mentor"]]
    assert pool["south_mentor"] in scores  # office is no longer a criterion at all


def test_match_page_shows_bars_and_proposes(client, tenants, pool, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get(f"/alpha/people/{pool['amina']}/match?lang=en")
    assert page.status_code == 200
    assert "Karen" in page.text and "Bravo Mentor" not in page.text and "Pia" not in page.text
    assert 'class="meter-fill"' in page.text
    proposed = client.post(
        f"/alpha/people/{pool['amina']}/match/propose", data={"mentor_id": pool["nurse_mentor"]}
    )
    assert proposed.status_code == 303
    [m] = rows(owner_engine, "SELECT mentee_id, mentor_id, state, score FROM mentorships")
    assert (m["mentee_id"], m["mentor_id"], m["state"]) == (
        pool["amina"],
        pool["nurse_mentor"],
        "proposed",
    )
    statuses = dict(
        (r["id"], r["status"]) for r in rows(owner_engine, "SELECT id, status FROM participants")
    )
    assert statuses[pool["amina"]] == "matched" and statuses[pool["nurse_mentor"]] == "matched"
    [t] = rows(owner_engine, "SELECT from_state, to_state, by_user_id FROM mentorship_transitions")
    assert (t["from_state"], t["to_state"]) == (None, "proposed") and t["by_user_id"]


def test_a_mentor_with_no_free_place_cannot_be_proposed(client, tenants, pool, owner_engine):
    alpha, _ = tenants
    h = auth(alpha)
    ok = client.post(
        "/alpha/api/v1/mentorships",
        headers=h,
        json={"mentee_id": pool["amina"], "mentor_id": pool["nurse_mentor"]},
    )
    assert ok.status_code == 201 and ok.json["state"] == "proposed"
    full = client.post(
        "/alpha/api/v1/mentorships",
        headers=h,
        json={"mentee_id": pool["sara"], "mentor_id": pool["nurse_mentor"]},
    )
    assert full.status_code == 409 and full.json["error"]["code"] == "no_capacity"
    twice = client.post(
        "/alpha/api/v1/mentorships",
        headers=h,
        json={"mentee_id": pool["amina"], "mentor_id": pool["doctor_mentor"]},
    )
    assert twice.status_code == 409 and twice.json["error"]["code"] == "conflict"
    paused = client.post(
        "/alpha/api/v1/mentorships",
        headers=h,
        json={"mentee_id": pool["sara"], "mentor_id": pool["paused_mentor"]},
    )
    assert paused.status_code == 409
    bad = client.post("/alpha/api/v1/mentorships", headers=h, json={"mentee_id": "x"})
    assert bad.status_code == 422 and "mentee_id" in bad.json["error"]["fields"]
    assert len(rows(owner_engine, "SELECT id FROM mentorships")) == 1


def test_exclusion_and_lock_from_the_match_page(client, tenants, pool, owner_engine):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    base = f"/alpha/people/{pool['amina']}/match"
    client.post(f"{base}/exclude", data={"mentor_id": pool["nurse_mentor"]})
    assert "Karen" not in client.get(f"{base}?lang=en").text.split("Excluded for her")[0]
    client.post(f"{base}/exclude", data={"mentor_id": pool["nurse_mentor"], "undo": "1"})
    assert rows(owner_engine, "SELECT id FROM match_exclusions") == []
    client.post(f"{base}/lock", data={"mentor_id": pool["doctor_mentor"]})
    [lock] = rows(owner_engine, "SELECT mentee_id, mentor_id FROM match_locks")
    assert lock["mentor_id"] == pool["doctor_mentor"]


def test_batch_run_respects_locks_exclusions_and_office(client, tenants, pool, app, owner_engine):
    alpha, _ = tenants
    set_criteria(app, "alpha", PROFESSION_AND_OFFICE)
    login(client, "alpha", alpha.emails["coordinator"])
    # Sara is locked with Karen, although Amina would score higher with her.
    client.post(
        f"/alpha/people/{pool['sara']}/match/lock", data={"mentor_id": pool["nurse_mentor"]}
    )
    client.post(
        f"/alpha/people/{pool['amina']}/match/exclude", data={"mentor_id": pool["doctor_mentor"]}
    )
    run = client.post("/alpha/api/v1/matching/runs", headers=auth(alpha), json={"min_score": 0})
    assert run.status_code == 202  # accepted: a job computes it, inline without Redis
    body = run.json
    assert body["status"] == "done" and body["progress"] == 1.0
    pairs = {(p["mentee_id"], p["mentor_id"]): p for p in body["proposals"]}
    assert (pool["sara"], pool["nurse_mentor"]) in pairs and pairs[
        (pool["sara"], pool["nurse_mentor"])
    ]["locked"]
    # Amina: Karen is locked away, Lone excluded, Mette in another office -> nobody.
    assert not any(m == pool["amina"] for m, _ in pairs)
    accepted = client.post(
        f"/alpha/api/v1/matching/runs/{body['id']}/accept", headers=auth(alpha), json={}
    )
    assert accepted.status_code == 200 and len(accepted.json["mentorships"]) == 1
    assert rows(owner_engine, "SELECT id FROM match_locks") == []  # decided: lock released


def test_decline_excludes_the_pair_and_returns_her_to_the_pool(
    app, client, tenants, pool, owner_engine
):
    from sqlalchemy import select

    from mentornet.cycles import access
    from mentornet.cycles import services as cycles
    from mentornet.cycles.models import Mentorship
    from mentornet.extensions import db
    from mentornet.tenancy.context import with_tenant
    from mentornet.tenancy.models import Tenant

    alpha, _ = tenants
    created = client.post(
        "/alpha/api/v1/mentorships",
        headers=auth(alpha),
        json={"mentee_id": pool["amina"], "mentor_id": pool["nurse_mentor"]},
    ).json
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "alpha"))
        with with_tenant(tenant):
            mentorship = db.session.get(Mentorship, created["id"])
            with pytest.raises(access.CycleError):
                cycles.decline(mentorship, access.SYSTEM, reason_code="other", reason="  ")
            cycles.decline(mentorship, access.SYSTEM, reason_code="chemistry")
            db.session.commit()
    statuses = {
        r["id"]: r["status"] for r in rows(owner_engine, "SELECT id, status FROM participants")
    }
    assert statuses[pool["amina"]] == "ready" and statuses[pool["nurse_mentor"]] == "ready"
    [x] = rows(owner_engine, "SELECT mentor_id, reason FROM match_exclusions")
    assert (x["mentor_id"], x["reason"]) == (pool["nurse_mentor"], "declined")
    run = client.post(
        "/alpha/api/v1/matching/runs", headers=auth(alpha), json={"min_score": 0}
    ).json
    assert (pool["amina"], pool["nurse_mentor"]) not in {
        (p["mentee_id"], p["mentor_id"]) for p in run["proposals"]
    }
    assert any(p["mentee_id"] == pool["amina"] for p in run["proposals"])  # she is back in the pool


def test_participants_see_their_proposal(app, client, tenants, pool):
    from tests.test_people_staff import invite

    alpha, _ = tenants
    client.post(
        "/alpha/api/v1/mentorships",
        headers=auth(alpha),
        json={"mentee_id": pool["amina"], "mentor_id": pool["nurse_mentor"]},
    )
    link = invite(client, alpha, pool["amina"], email="amina@example.net", app=app)
    client.post("/alpha/logout")
    client.post(
        link, data={"name": "Amina", "password": "amina password", "confirm": "amina password"}
    )
    page = client.get("/alpha/me?lang=en").text
    assert "We propose Karen to you" in page


def test_matching_cli(runner, tenants, pool, app):
    result = runner.invoke(
        args=["matching", "run", "--tenant", "alpha", "--min-score", "0", "--accept"]
    )
    assert result.exit_code == 0, result.output
    assert "proposals" in result.output and "accepted:" in result.output
    assert runner.invoke(args=["matching", "run", "--tenant", "nowhere"]).exit_code == 2


def test_bad_api_input(client, tenants, pool):
    alpha, _ = tenants
    bad_limit = client.get(
        f"/alpha/api/v1/mentees/{pool['amina']}/candidates?limit=0", headers=auth(alpha)
    )
    assert bad_limit.status_code == 400 and "limit" in bad_limit.json["error"]["fields"]
    bad_run = client.post("/alpha/api/v1/matching/runs", headers=auth(alpha), json={"min_score": 3})
    assert bad_run.status_code == 422 and "min_score" in bad_run.json["error"]["fields"]
    mentor_as_mentee = client.get(
        f"/alpha/api/v1/mentees/{pool['nurse_mentor']}/candidates", headers=auth(alpha)
    )
    assert mentor_as_mentee.status_code == 404
    for role in ("mentor", "mentee"):
        assert (
            client.post(
                "/alpha/api/v1/matching/runs", headers=auth(alpha, role), json={}
            ).status_code
            == 403
        )


MATCH_WEB = [
    ("GET", "/{slug}/people/{mentee}/match", {}),
    ("POST", "/{slug}/people/{mentee}/match/propose", {"mentor_id": "{mentor}"}),
    ("POST", "/{slug}/people/{mentee}/match/exclude", {"mentor_id": "{mentor}"}),
    ("POST", "/{slug}/people/{mentee}/match/lock", {"mentor_id": "{mentor}"}),
    ("GET", "/{slug}/matching/runs/{run}", {}),
    ("GET", "/{slug}/matching/runs/{run}/progress", {}),
    ("POST", "/{slug}/matching/runs/{run}/cancel", {}),
    ("POST", "/{slug}/matching/runs/{run}/accept", {"all": "1"}),
]
MATCH_API = [
    ("GET", "/{slug}/api/v1/mentees/{mentee}/candidates", None),
    ("GET", "/{slug}/api/v1/matching/runs/{run}", None),
    ("POST", "/{slug}/api/v1/matching/runs/{run}/cancel", None),
    ("POST", "/{slug}/api/v1/matching/runs/{run}/accept", {}),
    ("GET", "/{slug}/api/v1/mentorships/{mentorship}", None),
]


@pytest.fixture
def bravo_objects(app, client, tenants):
    _, bravo = tenants
    mentee = add_participant(
        app,
        "bravo",
        name="B mentee",
        days_waiting=3,
        profession="2221",
        languages=["en"],
        office="north",
    )
    mentor = add_participant(
        app,
        "bravo",
        kind="mentor",
        status="ready",
        name="B mentor",
        profession="2221",
        languages=["en"],
        office="north",
    )
    other = add_participant(
        app,
        "bravo",
        kind="mentor",
        status="ready",
        name="B other",
        profession="2222",
        languages=["en"],
        office="north",
    )
    h = auth(bravo)
    run = client.post("/bravo/api/v1/matching/runs", headers=h, json={"min_score": 0}).json
    mentorship = client.post(
        "/bravo/api/v1/mentorships", headers=h, json={"mentee_id": mentee, "mentor_id": mentor}
    ).json
    return {"mentee": mentee, "mentor": other, "run": run["id"], "mentorship": mentorship["id"]}


def _snapshot(owner_engine, tenant_id):
    tables = (
        "participants",
        "mentorships",
        "match_exclusions",
        "match_locks",
        "matching_runs",
        "match_proposals",
    )
    with owner_engine.connect() as conn:
        return {
            t: conn.execute(
                text(f"SELECT * FROM {t} WHERE tenant_id = :t ORDER BY id"), {"t": tenant_id}
            ).all()
            for t in tables
        }


@pytest.mark.parametrize(("method", "route", "data"), MATCH_WEB)
def test_match_pages_of_b_are_404_for_a(
    client, tenants, owner_engine, bravo_objects, method, route, data
):
    alpha, bravo = tenants
    before = _snapshot(owner_engine, bravo.id)
    login(client, "alpha", alpha.emails["admin"])
    form = {k: v.format(**bravo_objects) for k, v in data.items()}
    for slug in ("alpha", "bravo"):
        response = client.open(route.format(slug=slug, **bravo_objects), method=method, data=form)
        assert response.status_code == 404, (slug, route)
    assert _snapshot(owner_engine, bravo.id) == before


@pytest.mark.parametrize(("method", "route", "body"), MATCH_API)
def test_match_api_of_b_is_404_for_a(
    client, tenants, owner_engine, bravo_objects, method, route, body
):
    alpha, bravo = tenants
    before = _snapshot(owner_engine, bravo.id)
    for slug in ("alpha", "bravo"):
        response = client.open(
            route.format(slug=slug, **bravo_objects),
            method=method,
            json=body,
            headers=auth(alpha, "admin"),
        )
        assert response.status_code == 404, (slug, route)
    assert _snapshot(owner_engine, bravo.id) == before


def test_proposing_bravo_people_from_alpha_is_refused(client, tenants, bravo_objects, pool):
    alpha, _ = tenants
    response = client.post(
        "/alpha/api/v1/mentorships",
        headers=auth(alpha),
        json={"mentee_id": pool["amina"], "mentor_id": bravo_objects["mentor"]},
    )
    assert response.status_code == 422 and "mentor_id" in response.json["error"]["fields"]
