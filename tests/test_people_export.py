"""A participant's data export (an access request): complete, in her language, private."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import login
from tests.cycle_helpers import advance, auth, pair, propose
from tests.people_helpers import add_participant


def export_of(client, world, participant_id: int, role: str = "coordinator", **query):
    return client.get(
        f"/{world.slug}/api/v1/people/{participant_id}/export",
        headers=auth(world, role),
        query_string=query,
    )


def profile(document) -> dict[str, dict]:
    return {field["field"]: field for field in document["profile"]}


def test_the_export_holds_her_profile_answers_consents_and_mentorships_in_her_language(
    app, client, tenants
):
    alpha, _ = tenants
    mentee_id, mentor_id = pair(
        app,
        alpha,
        preferred_locale="da",
        country_of_origin="SY",
        intake_answers={"hobby": "Syning", "children": "yes"},
        interview_notes="Worried about her papers",
    )
    mentorship = propose(client, alpha, mentee_id, mentor_id)
    advance(client, alpha, mentorship["id"], "active")

    response = export_of(client, alpha, mentee_id)
    assert response.status_code == 200
    doc = response.json
    assert doc["language"] == "da"
    assert doc["title"] == "Det, Alpha har registreret om dig"
    fields = profile(doc)
    assert fields["name"]["value"] == "Amina"
    assert fields["country_of_origin"] == {
        "field": "country_of_origin",
        "label": "Det land, du kommer fra",
        "value": "SY",
        "text": "Syrien",
    }
    assert fields["goals"]["text"].startswith("Find et job inden for mit eget fag")
    assert "capacity" not in fields  # a mentor's field, not hers
    answers = {a["key"]: a for a in doc["intake"]}
    assert answers["hobby"]["question"] == "Hobby [da]" and answers["hobby"]["text"] == "Syning"
    assert answers["children"]["text"] == "Ja"
    [m] = doc["mentorships"]
    assert (m["with"], m["state"], m["state_text"]) == ("Karen", "active", "Aktivt")
    # Interview notes are coordinator-only unless the coordinator asks for them.
    assert "interviews" not in doc
    assert "Worried about her papers" not in response.text
    full = export_of(client, alpha, mentee_id, interviews="include").json
    assert [i["notes"] for i in full["interviews"]] == ["Worried about her papers"]


def test_an_export_is_in_english_when_she_writes_in_english(app, client, tenants):
    alpha, _ = tenants
    pid = add_participant(app, "alpha", name="Sara", preferred_locale="en", languages=["ar"])
    doc = export_of(client, alpha, pid).json
    assert doc["language"] == "en"
    assert profile(doc)["languages"] == {
        "field": "languages",
        "label": "Languages you speak",
        "value": ["ar"],
        "text": "Arabic",
    }


def test_a_language_the_programme_does_not_offer_falls_back_to_its_default(app, client, tenants):
    alpha, _ = tenants
    pid = add_participant(app, "alpha", preferred_locale="fr")
    assert export_of(client, alpha, pid).json["language"] == "da"


def test_she_downloads_her_own_data_without_the_interview_notes(app, client, tenants):
    alpha, _ = tenants
    mentee_id, _mentor = pair(app, alpha, interview_notes="Private note", preferred_locale="en")
    login(client, "alpha", alpha.emails["mentee"])
    response = client.get("/alpha/me/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="alpha-participant-{mentee_id}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["profile"][0]["value"] == "Amina"
    assert "Private note" not in response.text
    assert "Ask a coordinator" in response.json["interviews_note"]
    assert "Download my data" in client.get("/alpha/me?lang=en").text


def test_staff_download_from_her_page(app, client, tenants):
    alpha, _ = tenants
    pid = add_participant(app, "alpha", name="Hana", interview_notes="Note")
    login(client, "alpha", alpha.emails["coordinator"])
    assert "Download personal data" in client.get(f"/alpha/people/{pid}?lang=en").text
    plain = client.get(f"/alpha/people/{pid}/export")
    assert plain.status_code == 200 and "interviews" not in plain.json
    full = client.get(f"/alpha/people/{pid}/export?interviews=include")
    assert [i["notes"] for i in full.json["interviews"]] == ["Note"]


def test_participants_and_bad_input_get_clear_refusals(app, client, tenants):
    alpha, _ = tenants
    pid = add_participant(app, "alpha")
    refused = export_of(client, alpha, pid, role="mentee")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    bad = export_of(client, alpha, pid, interviews="all")
    assert bad.status_code == 400 and "interviews" in bad.json["error"]["fields"]
    assert export_of(client, alpha, 999999).status_code == 404
    login(client, "alpha", alpha.emails["mentee"])
    assert client.get(f"/alpha/people/{pid}/export").status_code in (403, 404)


def test_an_office_limited_coordinator_exports_only_her_office(app, client, tenants, owner_engine):
    alpha, _ = tenants
    south = add_participant(app, "alpha", office="south")
    with owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE memberships SET offices = :offices "
                "WHERE user_id = :uid AND tenant_id = :tid"
            ),
            {"offices": '["north"]', "uid": alpha.user_ids["coordinator"], "tid": alpha.id},
        )
    assert export_of(client, alpha, south).status_code == 404


def test_another_tenants_participant_is_not_found_and_unchanged(app, client, tenants, owner_engine):
    alpha, bravo = tenants
    theirs = add_participant(app, "bravo", name="Bravo Person", interview_notes="Bravo note")

    def row() -> tuple:
        with owner_engine.connect() as conn:
            return tuple(
                conn.execute(
                    text("SELECT name, email, status, erased_at FROM participants WHERE id = :id"),
                    {"id": theirs},
                ).one()
            )

    before = row()
    api = export_of(client, alpha, theirs, interviews="include")
    assert api.status_code == 404 and "Bravo" not in api.text
    login(client, "alpha", alpha.emails["coordinator"])
    page = client.get(f"/alpha/people/{theirs}/export?interviews=include")
    assert page.status_code == 404 and "Bravo" not in page.text
    assert row() == before
    assert export_of(client, bravo, theirs).status_code == 200
