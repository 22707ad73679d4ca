"""The admin's settings pages and the settings API, as an admin uses them: each page
saves a change she can see elsewhere, refuses bad input beside the field with a 400 and
saves nothing, keeps a history, and stays inside her own tenant."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import login, make_app
from tests.people_helpers import add_participant
from tests.settings_helpers import history_rows, stored_settings, submit

PAGES = (
    "",
    "/offices",
    "/intake",
    "/intake/new",
    "/intake/hobby/edit",
    "/matching",
    "/cycle",
    "/privacy",
    "/advanced",
    "/history",
)


def sign_in(client, slug: str, role: str, lang: str = "en"):
    """Log in as ``role`` of ``slug``, reading the pages in ``lang``."""
    response = login(client, slug, f"{role}@{slug}.example.org")
    assert response.status_code == 302
    client.post(f"/{slug}/language", data={"locale": lang, "next": f"/{slug}/"})
    return client


@pytest.fixture
def admin(client, tenants):
    return sign_in(client, "alpha", "admin")


@pytest.fixture
def visitor(app, tenants):
    """Someone not logged in, reading the public pages (in ``?lang=``)."""
    return app.test_client()


def html(response) -> str:
    return response.get_data(as_text=True)


def error_beside(page: str, field_id: str) -> str:
    """The error shown right under the field ``field_id`` (empty when there is none)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


def auth(world, role: str = "admin") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


# --- access --------------------------------------------------------------------------------


def test_every_settings_page_opens_for_the_admin_and_is_in_the_menu(admin):
    for page in PAGES:
        response = admin.get(f"/alpha/settings{page}")
        assert response.status_code == 200, page
    menu = html(admin.get("/alpha/settings"))
    for path in ("", "/offices", "/intake", "/matching", "/cycle", "/privacy", "/advanced"):
        assert f'href="/alpha/settings{path}"' in menu
    assert 'href="/alpha/settings/history"' in menu


@pytest.mark.parametrize("page", PAGES)
def test_a_coordinator_is_refused(client, tenants, owner_engine, page):
    sign_in(client, "alpha", "coordinator")
    before = stored_settings(owner_engine, "alpha")
    assert client.get(f"/alpha/settings{page}").status_code == 403
    if page not in ("/intake", "/history"):
        assert client.post(f"/alpha/settings{page}", data={"name": "Taken"}).status_code == 403
    assert stored_settings(owner_engine, "alpha") == before


def test_a_visitor_is_sent_to_the_login_page(client, tenants):
    response = client.get("/alpha/settings/offices")
    assert response.status_code == 302
    assert "/alpha/login" in response.headers["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_another_tenants_settings_do_not_exist_for_her(admin, owner_engine, page):
    before = stored_settings(owner_engine, "bravo")
    assert admin.get(f"/bravo/settings{page}").status_code == 404
    if page not in ("/intake", "/history"):
        assert admin.post(f"/bravo/settings{page}", data={"name": "Taken"}).status_code == 404
    assert admin.post("/bravo/settings/intake/hobby/retire").status_code == 404
    assert stored_settings(owner_engine, "bravo") == before
    assert history_rows(owner_engine, "bravo") == []


def test_the_forms_need_their_csrf_token(database, tenants, owner_engine):
    app = make_app(database, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/alpha/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html(page)).group(1)
    client.post(
        "/alpha/login",
        data={"email": "admin@alpha.example.org", "password": "correct horse battery"}
        | {"csrf_token": token},
    )
    before = stored_settings(owner_engine, "alpha")
    form = html(client.get("/alpha/settings"))
    assert 'name="csrf_token"' in form
    response = client.post("/alpha/settings", data={"name": "Forged", "country": "DK"})
    assert response.status_code == 400
    assert stored_settings(owner_engine, "alpha") == before
    with app.app_context():
        from mentornet.extensions import db

        db.session.remove()
        db.engine.dispose()


# --- programme ----------------------------------------------------------------------------


def test_a_new_values_text_shows_on_the_join_page(admin, owner_engine, visitor):
    response = submit(
        admin,
        "/alpha/settings",
        {
            "values-0-text-da": "Vi mødes i øjenhøjde, altid.",
            "values-1-title-da": "Nysgerrighed",
            "values-1-text-da": "Vi spørger før vi antager.",
        },
    )
    assert response.status_code == 302
    join = html(visitor.get("/alpha/join?lang=da"))
    assert "Vi mødes i øjenhøjde, altid." in join
    assert join.index("Equality [da]") < join.index("Nysgerrighed")

    # Moving the new value up puts it first on the join page.
    assert submit(admin, "/alpha/settings", action="up:values-1").status_code == 302
    join = html(visitor.get("/alpha/join?lang=da"))
    assert join.index("Nysgerrighed") < join.index("Equality [da]")
    assert [v["title"]["da"] for v in stored_settings(owner_engine, "alpha")["values"]] == [
        "Nysgerrighed",
        "Equality [da]",
    ]

    # And removing it takes it off again.
    assert submit(admin, "/alpha/settings", action="remove:values-0").status_code == 302
    assert "Nysgerrighed" not in html(visitor.get("/alpha/join?lang=da"))


def test_the_programme_name_is_the_tenants_name(admin, owner_engine, visitor):
    assert submit(admin, "/alpha/settings", {"name": "Alpha Mentors"}).status_code == 302
    assert stored_settings(owner_engine, "alpha")["name"] == "Alpha Mentors"
    assert "Alpha Mentors" in html(visitor.get("/alpha/join"))


def test_switching_a_language_on_adds_empty_fields_for_its_texts(admin, owner_engine, visitor):
    response = submit(admin, "/alpha/settings", {"enabled_locales": ["da", "en", "fr"]})
    assert response.status_code == 302
    assert stored_settings(owner_engine, "alpha")["locales"] == ["da", "en", "fr"]
    page = html(admin.get("/alpha/settings"))
    assert re.search(r'name="target_group-fr"[^>]*>\s*</textarea>', page)
    offices = html(admin.get("/alpha/settings/offices"))
    assert 'name="offices-0-name-fr" type="text" value=""' in offices

    # Filled in, the French text is what a French reader sees.
    submit(admin, "/alpha/settings", {"target_group-fr": "Pour les nouvelles venues."})
    assert "Pour les nouvelles venues." in html(visitor.get("/alpha/join?lang=fr"))


def test_switching_a_language_off_removes_its_texts(admin, owner_engine):
    assert submit(admin, "/alpha/settings", {"enabled_locales": ["da"]}).status_code == 302
    settings = stored_settings(owner_engine, "alpha")
    assert settings["locales"] == ["da"]
    assert settings["offices"][0]["name"] == {"da": "North office [da]"}
    assert "target_group-en" not in html(admin.get("/alpha/settings"))


def test_switching_the_default_language_off_is_refused(admin, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = submit(admin, "/alpha/settings", {"enabled_locales": ["en"], "default_locale": "da"})
    assert response.status_code == 400
    assert "Danish is the default language: choose another default" in error_beside(
        html(response), "enabled_locales"
    )
    assert stored_settings(owner_engine, "alpha") == before


def test_a_new_default_language_needs_every_text_in_it(admin, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = submit(
        admin, "/alpha/settings", {"enabled_locales": ["da", "en", "sv"], "default_locale": "sv"}
    )
    assert response.status_code == 400
    page = html(response)
    # Beside this page's own fields, and listed by key path for the other pages' texts.
    assert "Write this in Swedish, the default language." in error_beside(page, "target_group-sv")
    assert "<code>offices[0].name</code>" in page
    assert stored_settings(owner_engine, "alpha") == before


def test_a_missing_default_language_text_is_refused_beside_it_and_nothing_is_lost(
    admin, owner_engine
):
    before = stored_settings(owner_engine, "alpha")
    response = submit(
        admin,
        "/alpha/settings",
        {"target_group-da": "", "target_group-en": "A new English text", "name": "Renamed"},
    )
    assert response.status_code == 400
    page = html(response)
    assert "Write this in Danish, the default language." in error_beside(page, "target_group-da")
    assert "A new English text" in page  # what she typed is still there
    assert 'value="Renamed"' in page
    assert stored_settings(owner_engine, "alpha") == before
    assert history_rows(owner_engine, "alpha") == []


# --- offices ------------------------------------------------------------------------------


def test_a_new_office_is_offered_on_the_join_form(admin, owner_engine, visitor):
    response = submit(
        admin,
        "/alpha/settings/offices",
        {"offices-2-key": "east", "offices-2-name-da": "Østkontoret", "offices-2-city": "Aarhus"},
    )
    assert response.status_code == 302
    assert '<option value="east">Østkontoret</option>' in html(
        visitor.get("/alpha/join/mentee?lang=da")
    )
    office = stored_settings(owner_engine, "alpha")["offices"][2]
    assert office == {"key": "east", "name": {"da": "Østkontoret"}, "city": "Aarhus"}


def test_an_office_is_renamed_and_reordered(admin, owner_engine, visitor):
    submit(admin, "/alpha/settings/offices", {"offices-1-name-da": "Sydkontoret"})
    assert submit(admin, "/alpha/settings/offices", action="up:offices-1").status_code == 302
    form = html(visitor.get("/alpha/join/mentee?lang=da"))
    assert form.index("Sydkontoret") < form.index("North office [da]")
    assert [o["key"] for o in stored_settings(owner_engine, "alpha")["offices"]] == [
        "south",
        "north",
    ]
    [renamed, moved] = history_rows(owner_engine, "alpha")
    assert renamed["changes"] == [
        {"path": "offices[south].name.da", "before": "South office [da]", "after": "Sydkontoret"}
    ]
    assert moved["changes"] == [
        {
            "path": "offices",
            "kind": "order",
            "before": ["north", "south"],
            "after": ["south", "north"],
        }
    ]


def test_a_duplicate_office_key_is_refused_beside_the_key(admin, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = submit(
        admin,
        "/alpha/settings/offices",
        {"offices-2-key": "north", "offices-2-name-da": "Endnu et nord"},
    )
    assert response.status_code == 400
    page = html(response)
    assert "“north” is used twice" in error_beside(page, "offices-2-key")
    assert 'value="Endnu et nord"' in page
    assert stored_settings(owner_engine, "alpha") == before


def test_an_office_in_use_cannot_be_removed(app, admin, owner_engine):
    add_participant(app, "alpha", office="north")
    response = submit(admin, "/alpha/settings/offices", action="remove:offices-0")
    assert response.status_code == 400
    page = html(response)
    assert "This office is still in use (participants: 1, staff: 0)." in page
    assert [o["key"] for o in stored_settings(owner_engine, "alpha")["offices"]] == [
        "north",
        "south",
    ]
    # The unused one goes.
    assert submit(admin, "/alpha/settings/offices", action="remove:offices-1").status_code == 302
    assert [o["key"] for o in stored_settings(owner_engine, "alpha")["offices"]] == ["north"]


# --- intake questions ----------------------------------------------------------------------


def test_a_new_question_is_asked_on_the_join_form(admin, owner_engine, visitor):
    response = submit(
        admin,
        "/alpha/settings/intake/new",
        {
            "key": "pets",
            "kind": "single_choice",
            "audience": "mentee",
            "label-da": "Har du kæledyr?",
            "choices-0-key": "dog",
            "choices-0-label-da": "Hund",
            "choices-1-key": "cat",
            "choices-1-label-da": "Kat",
        },
    )
    assert response.status_code == 302
    form = html(visitor.get("/alpha/join/mentee?lang=da"))
    assert "Har du kæledyr?" in form
    assert '<option value="cat">Kat</option>' in form
    assert "Har du kæledyr?" not in html(visitor.get("/alpha/join/mentor?lang=da"))
    [change] = history_rows(owner_engine, "alpha")
    assert change["section"] == "intake"
    assert change["changes"][0]["path"] == "intake_questions[pets]"


def test_a_list_question_with_one_choice_is_refused_beside_the_choices(admin, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = submit(
        admin,
        "/alpha/settings/intake/new",
        {"key": "pets", "kind": "single_choice", "label-da": "Kæledyr?", "choices-0-key": "dog"},
    )
    assert response.status_code == 400
    page = html(response)
    assert "A question answered from a list needs at least two choices." in page
    assert 'value="Kæledyr?"' in page
    assert stored_settings(owner_engine, "alpha") == before


def test_a_new_question_cannot_take_an_existing_key(admin, owner_engine):
    response = submit(
        admin, "/alpha/settings/intake/new", {"key": "hobby", "kind": "text", "label-da": "Igen"}
    )
    assert response.status_code == 400
    assert "“hobby” is used twice" in error_beside(html(response), "key")


def test_a_question_is_edited_but_its_key_stays(admin, owner_engine, visitor):
    page = html(admin.get("/alpha/settings/intake/hobby/edit"))
    assert 'name="key"' not in page
    response = submit(
        admin, "/alpha/settings/intake/hobby/edit", {"label-da": "Hvad laver du i fritiden?"}
    )
    assert response.status_code == 302
    assert "Hvad laver du i fritiden?" in html(visitor.get("/alpha/join/mentor?lang=da"))
    question = stored_settings(owner_engine, "alpha")["intake_questions"][0]
    assert question["key"] == "hobby"


def test_a_retired_question_leaves_the_form_and_her_answer_stays_on_her_profile(
    app, client, tenants, owner_engine
):
    person = add_participant(
        app,
        "alpha",
        name="Amina",
        goals=["job"],
        intake_answers={"hobby": "Skak", "level": "low", "children": "yes"},
    )
    sign_in(client, "alpha", "admin", lang="da")
    assert 'name="intake_hobby"' in html(client.get("/alpha/join/mentee"))
    assert (
        client.post("/alpha/settings/intake/hobby/retire", data={"retired": "1"}).status_code == 302
    )
    assert 'name="intake_hobby"' not in html(client.get("/alpha/join/mentee"))
    profile = html(client.get(f"/alpha/people/{person}"))
    assert "Hobby [da]" in profile and "Skak" in profile

    # Saving her profile keeps the answer to the question no longer asked.
    response = client.patch(
        f"/alpha/api/v1/mentees/{person}", headers=auth(tenants[0]), json={"name": "Amina A."}
    )
    assert response.status_code == 200, response.json
    assert response.json["intake_answers"]["hobby"] == "Skak"

    # Asked again, it is back on the form.
    client.post("/alpha/settings/intake/hobby/retire", data={"retired": "0"})
    assert 'name="intake_hobby"' in html(client.get("/alpha/join/mentee"))


def test_an_answered_question_cannot_be_deleted(app, admin, owner_engine):
    add_participant(app, "alpha", intake_answers={"hobby": "Skak"})
    listing = html(admin.get("/alpha/settings/intake"))
    assert 'action="/alpha/settings/intake/hobby/delete"' not in listing
    assert 'action="/alpha/settings/intake/start/delete"' in listing
    response = admin.post("/alpha/settings/intake/hobby/delete")
    assert response.status_code == 400
    assert "This question has answers (1). Retire it instead" in html(response)
    keys = [q["key"] for q in stored_settings(owner_engine, "alpha")["intake_questions"]]
    assert "hobby" in keys
    # An unanswered one can go.
    assert admin.post("/alpha/settings/intake/start/delete").status_code == 302
    keys = [q["key"] for q in stored_settings(owner_engine, "alpha")["intake_questions"]]
    assert "start" not in keys and "hobby" in keys


def test_a_question_moved_up_is_asked_earlier(admin, owner_engine, visitor):
    form = html(visitor.get("/alpha/join/mentee?lang=da"))
    assert form.index("Start date [da]") < form.index("Children [da]")
    assert (
        admin.post("/alpha/settings/intake/children/move", data={"direction": "up"}).status_code
        == 302
    )
    form = html(visitor.get("/alpha/join/mentee?lang=da"))
    assert form.index("Children [da]") < form.index("Start date [da]")
    [change] = history_rows(owner_engine, "alpha")
    assert change["changes"][0]["kind"] == "order"


def test_an_unknown_question_is_not_found(admin):
    assert admin.get("/alpha/settings/intake/nope/edit").status_code == 404
    assert admin.post("/alpha/settings/intake/nope/retire").status_code == 404


# --- matching -----------------------------------------------------------------------------


@pytest.fixture
def nurse_pool(app, tenants):
    """A nurse who speaks Arabic, and two mentors: a nurse and an Arabic-speaking doctor."""
    return {
        "amina": add_participant(
            app, "alpha", name="Amina", days_waiting=10, profession="2221", languages=["ar"]
        ),
        "karen": add_participant(
            app,
            "alpha",
            kind="mentor",
            status="ready",
            name="Karen",
            profession="2221",
            languages=["da"],
        ),
        "lone": add_participant(
            app,
            "alpha",
            kind="mentor",
            status="ready",
            name="Lone",
            profession="2211",
            languages=["ar"],
        ),
    }


# A new criterion; its key, left empty, is taken from what it compares.
LANGUAGE_CRITERION = {
    "criteria-1-field": "languages",
    "criteria-1-kind": "overlap",
    "criteria-1-weight": "10",
    "criteria-1-label-da": "Fælles sprog",
}


def _order(page: str, *names: str) -> list[str]:
    return sorted(names, key=lambda name: page.index(name))


def test_new_weights_change_the_order_of_candidates(admin, nurse_pool, owner_engine):
    match = f"/alpha/people/{nurse_pool['amina']}/match"
    assert _order(html(admin.get(match)), "Karen", "Lone") == ["Karen", "Lone"]
    response = submit(admin, "/alpha/settings/matching", LANGUAGE_CRITERION)
    assert response.status_code == 302
    assert _order(html(admin.get(match)), "Karen", "Lone") == ["Lone", "Karen"]

    # Back to profession alone: the weight of languages to 0.
    submit(admin, "/alpha/settings/matching", {"criteria-1-weight": "0"})
    assert _order(html(admin.get(match)), "Karen", "Lone") == ["Karen", "Lone"]
    paths = [c["path"] for row in history_rows(owner_engine, "alpha") for c in row["changes"]]
    assert paths == ["matching.criteria[languages]", "matching.criteria[languages].weight"]


def test_the_preview_reorders_the_candidates_without_saving(admin, nurse_pool, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = submit(
        admin,
        "/alpha/settings/matching",
        LANGUAGE_CRITERION | {"mentee": nurse_pool["amina"]},
        action="preview=1",
    )
    assert response.status_code == 200
    page = html(response)
    assert "nothing is saved until you press Save" in page
    table = page[page.index('<table class="ranking">') :]
    table = table[table.index("<tbody>") :]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    first, second = (re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in rows[:2])
    # Place 1: Karen now, Lone with the proposed weights (she was second: up one place).
    assert re.search(r"1 Karen .* Lone .* 2 ↑ up 1", first)
    assert re.search(r"2 Lone .* Karen .* 1 ↓ down 1", second)
    assert 'value="Fælles sprog"' in page  # the proposal stays in the form
    assert stored_settings(owner_engine, "alpha") == before
    assert history_rows(owner_engine, "alpha") == []


def test_a_preview_of_invalid_weights_shows_the_problem(admin, nurse_pool, owner_engine):
    response = submit(
        admin,
        "/alpha/settings/matching",
        {"criteria-0-weight": "0"},
        action="preview=1",
    )
    assert response.status_code == 400
    assert "At least one criterion needs a weight above 0." in html(response)


def test_a_weight_out_of_range_is_refused_beside_it(admin, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = submit(admin, "/alpha/settings/matching", {"criteria-0-weight": "500"})
    assert response.status_code == 400
    assert error_beside(html(response), "criteria-0-weight")
    assert stored_settings(owner_engine, "alpha") == before


def test_a_criterion_that_does_not_fit_its_field_is_refused_beside_it(admin, owner_engine):
    response = submit(
        admin,
        "/alpha/settings/matching",
        LANGUAGE_CRITERION | {"criteria-1-kind": "taxonomy"},
    )
    assert response.status_code == 400
    assert "compared with overlap" in error_beside(html(response), "criteria-1-field")


def test_a_decimal_comma_is_understood(admin, owner_engine):
    assert submit(admin, "/alpha/settings/matching", {"min_score": "0,45"}).status_code == 302
    assert stored_settings(owner_engine, "alpha")["matching"]["min_score"] == 0.45


# --- cycle --------------------------------------------------------------------------------


def test_phases_that_do_not_add_up_are_refused_beside_the_phases(admin, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = submit(admin, "/alpha/settings/cycle", {"months": "12"})
    assert response.status_code == 400
    page = html(response)
    phases = page[page.index('id="phases-heading"') :]
    assert "The phases add up to 6 months, but the cycle lasts 12 months." in phases[:2000]
    assert stored_settings(owner_engine, "alpha") == before


def test_a_longer_cycle_with_a_new_phase_is_saved(admin, owner_engine):
    response = submit(
        admin,
        "/alpha/settings/cycle",
        {
            "months": "12",
            "phases-1-key": "farewell",
            "phases-1-name-da": "Afsked",
            "phases-1-months": "6",
            "agreement_value": "90",
            "meeting_kinds": ["face_to_face", "online"],
        },
    )
    assert response.status_code == 302
    cycle = stored_settings(owner_engine, "alpha")["cycle"]
    assert cycle["months"] == 12
    assert [(p["key"], p["months"]) for p in cycle["phases"]] == [("start", 6), ("farewell", 6)]
    assert cycle["agreement_minimum"] == {
        "kind": "minutes_per_month",
        "value": 90,
        "meeting_kinds": ["face_to_face", "online"],
    }


# --- privacy ------------------------------------------------------------------------------


def test_a_field_no_longer_collected_leaves_the_join_form(admin, owner_engine, visitor):
    assert 'name="phone"' in html(visitor.get("/alpha/join/mentee"))
    page = html(admin.get("/alpha/settings/privacy"))
    kept = re.findall(r'name="fields" value="(\w+)"\s+checked', page)
    assert "phone" in kept
    response = submit(
        admin, "/alpha/settings/privacy", {"fields": [f for f in kept if f != "phone"]}
    )
    assert response.status_code == 302
    assert 'name="phone"' not in html(visitor.get("/alpha/join/mentee"))


def test_a_consent_notice_is_added_and_shown_on_the_join_form(admin, owner_engine, visitor):
    response = submit(
        admin,
        "/alpha/settings/privacy",
        {
            "notices-0-key": "newsletter",
            "notices-0-version": "2024-1",
            "notices-0-title-da": "Nyhedsbrev",
            "notices-0-text-da": "Vi sender dig et nyhedsbrev fire gange om året.",
        },
    )
    assert response.status_code == 302
    assert "Vi sender dig et nyhedsbrev" in html(visitor.get("/alpha/join/mentee?lang=da"))


def test_a_consent_notice_without_a_version_is_refused_beside_it(admin, owner_engine):
    response = submit(
        admin,
        "/alpha/settings/privacy",
        {
            "notices-0-key": "newsletter",
            "notices-0-title-da": "Nyhedsbrev",
            "notices-0-text-da": "x",
        },
    )
    assert response.status_code == 400
    assert error_beside(html(response), "notices-0-version")


# --- all settings as TOML -----------------------------------------------------------------


def test_the_toml_page_saves_any_setting(admin, owner_engine):
    page = html(admin.get("/alpha/settings/advanced"))
    text = re.search(r"<textarea[^>]*>\r?\n?(.*?)</textarea>", page, re.S).group(1)
    text = text.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")
    assert "retention_months = 24" in text
    response = admin.post(
        "/alpha/settings/advanced",
        data={"toml": text.replace("retention_months = 24", "retention_months = 36")},
    )
    assert response.status_code == 302
    assert stored_settings(owner_engine, "alpha")["retention_months"] == 36
    [change] = history_rows(owner_engine, "alpha")
    assert change["section"] == "advanced"
    assert change["changes"] == [{"path": "retention_months", "before": 24, "after": 36}]


def test_bad_toml_is_refused_and_nothing_saved(admin, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = admin.post("/alpha/settings/advanced", data={"toml": 'name = "unclosed'})
    assert response.status_code == 400
    assert "not valid TOML" in html(response)
    assert "name = &#34;unclosed" in html(response) or "name = &quot;unclosed" in html(response)
    assert stored_settings(owner_engine, "alpha") == before


def test_each_problem_of_the_toml_is_listed_with_its_key_path(admin, owner_engine):
    before = stored_settings(owner_engine, "alpha")
    response = admin.post(
        "/alpha/settings/advanced",
        data={"toml": 'slug = "bravo"\nname = "X"\ncountry = "dk"\n'},
    )
    assert response.status_code == 400
    page = html(response)
    for path in ("slug", "country", "locales", "offices", "matching", "cycle"):
        assert f"<code>{path}</code>" in page, path
    assert stored_settings(owner_engine, "alpha") == before


# --- history ------------------------------------------------------------------------------


def test_the_history_says_who_when_and_what(app, admin, tenants, owner_engine):
    submit(admin, "/alpha/settings/offices", {"offices-0-city": "Aalborg"})
    page = html(admin.get("/alpha/settings/history"))
    assert "Admin of alpha" in page
    assert "Offices" in page
    assert "<code>offices[north].city</code>" in page
    assert "Aalborg" in page
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page)


def test_a_change_by_a_removed_account_says_so(app, admin, tenants, owner_engine):
    from mentornet.accounts.models import Membership, User
    from mentornet.extensions import db
    from mentornet.tenancy.context import with_tenant
    from mentornet.tenancy.models import Tenant

    other = sign_in(app.test_client(), "alpha", "coordinator")
    del other
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "alpha"))
        with with_tenant(tenant):
            from mentornet.tenancy.editing import apply_settings, current_settings

            data = current_settings(tenant)
            data["retention_months"] = 30
            apply_settings(tenant, data, "api", tenants[0].user_ids["coordinator"])
            db.session.delete(db.session.get(Membership, tenants[0].member_ids["coordinator"]))
            db.session.flush()
            db.session.delete(db.session.get(User, tenants[0].user_ids["coordinator"]))
            db.session.commit()
    page = html(admin.get("/alpha/settings/history"))
    assert "removed account" in page
    assert "<code>retention_months</code>" in page


def test_the_history_is_paginated(admin, owner_engine):
    for months in range(25, 47):
        submit(admin, "/alpha/settings/privacy", {"retention_months": str(months)})
    assert len(history_rows(owner_engine, "alpha")) == 22
    first = html(admin.get("/alpha/settings/history"))
    assert first.count('class="card"') == 20
    assert 'rel="next"' in first
    second = html(admin.get("/alpha/settings/history?page=2"))
    assert second.count('class="card"') == 2
    # The oldest change is on the last page.
    assert 'class="value">24</code>' in second


# --- the settings API ---------------------------------------------------------------------


def test_the_api_replaces_the_settings_with_history(client, tenants, owner_engine):
    alpha = tenants[0]
    settings = client.get("/alpha/api/v1/settings", headers=auth(alpha)).json["settings"]
    settings["retention_months"] = 48
    response = client.put(
        "/alpha/api/v1/settings", headers=auth(alpha), json={"settings": settings}
    )
    assert response.status_code == 200, response.json
    assert response.json["settings"]["retention_months"] == 48
    assert response.json["changes"] == [{"path": "retention_months", "before": 24, "after": 48}]
    assert stored_settings(owner_engine, "alpha")["retention_months"] == 48
    [change] = history_rows(owner_engine, "alpha")
    assert (change["section"], change["user_id"]) == ("api", alpha.user_ids["admin"])

    history = client.get("/alpha/api/v1/settings/history", headers=auth(alpha)).json
    assert history["total"] == 1
    assert history["items"][0]["user"] == {"id": alpha.user_ids["admin"], "name": "Admin of alpha"}
    assert history["items"][0]["changes"][0]["path"] == "retention_months"


def test_invalid_settings_through_the_api_name_each_field(client, tenants, owner_engine):
    alpha = tenants[0]
    before = stored_settings(owner_engine, "alpha")
    settings = client.get("/alpha/api/v1/settings", headers=auth(alpha)).json["settings"]
    settings["offices"][1]["key"] = "north"
    settings["cycle"]["months"] = 0
    response = client.put(
        "/alpha/api/v1/settings", headers=auth(alpha), json={"settings": settings}
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert "greater than 0" in error["fields"]["cycle.months"]
    assert stored_settings(owner_engine, "alpha") == before

    settings = client.get("/alpha/api/v1/settings", headers=auth(alpha)).json["settings"]
    settings["offices"][1]["key"] = "north"
    response = client.put(
        "/alpha/api/v1/settings", headers=auth(alpha), json={"settings": settings}
    )
    assert "appears twice" in response.json["error"]["fields"]["offices[1].key"]

    response = client.put("/alpha/api/v1/settings", headers=auth(alpha), json={"name": "X"})
    assert response.status_code == 422
    assert "settings" in response.json["error"]["fields"]
    assert history_rows(owner_engine, "alpha") == []


def test_only_the_admin_may_change_settings_through_the_api(client, tenants, owner_engine):
    alpha, bravo = tenants
    before = stored_settings(owner_engine, "alpha")
    body = {"settings": before}
    response = client.put("/alpha/api/v1/settings", headers=auth(alpha, "coordinator"), json=body)
    assert response.status_code == 403
    assert (
        client.get("/alpha/api/v1/settings/history", headers=auth(alpha, "coordinator")).status_code
        == 403
    )
    # An admin of another tenant is a stranger here.
    response = client.put("/alpha/api/v1/settings", headers=auth(bravo), json=body)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert stored_settings(owner_engine, "alpha") == before
