"""The public sign-up: forms from the profile and intake questions, consent, spam guard."""

from __future__ import annotations

import pytest
from sqlalchemy import text

VALID_MENTEE = {
    "name": "Amina Hassan",
    "email": "amina@example.net",
    "phone": "+45 12 34 56 78",
    "office": "north",
    "preferred_locale": "da",
    "languages": ["ar", "da"],
    "profession": "2221",
    "education_level": "6",
    "education_field": "09",
    "interests": ["children", "cooking"],
    "story": "Jeg var sygeplejerske i Bagdad.",
    "goals": ["job_in_field", "network"],
    "wishes": "En sygeplejerske, der kender det danske sundhedsvæsen.",
    "country_of_origin": "IQ",
    "arrival_year": "2019",
    "date_of_birth": "1988-04-02",
    "intake_hobby": "Løb",
    "intake_level": "high",
    "intake_days": ["mon"],
    "intake_years_here": "5",
    "intake_start": "2026-01-05",
    "intake_children": "yes",
    "consent_programme": "y",
}

VALID_MENTOR = {
    "name": "Karen Holm",
    "email": "karen@example.net",
    "office": "south",
    "preferred_locale": "da",
    "languages": ["da", "en"],
    "profession": "2221",
    "helps_with": ["cv", "network"],
    "capacity": "2",
    "intake_children": "no",
    "consent_programme": "y",
}


def rows(owner_engine, sql: str, **params):
    with owner_engine.connect() as conn:
        return conn.execute(text(sql), params).mappings().all()


@pytest.mark.parametrize(
    ("slug", "lang"), [("alpha", "da"), ("alpha", "en"), ("bravo", "en"), ("bravo", "ar")]
)
def test_join_pages_render_in_each_of_the_tenants_locales(client, tenants, slug, lang):
    choose = client.get(f"/{slug}/join?lang={lang}")
    assert choose.status_code == 200
    assert f'lang="{lang}"' in choose.text
    assert f"Newcomers served by {slug.capitalize()} [{lang}]" in choose.text
    assert f"We meet as equals. [{lang}]" in choose.text
    for kind in ("mentee", "mentor"):
        page = client.get(f"/{slug}/join/{kind}?lang={lang}")
        assert page.status_code == 200
        assert f"Hobby [{lang}]" in page.text  # the tenant's own question, in her language
        assert "Retired question" not in page.text
        assert ('name="goals"' in page.text) == (kind == "mentee")
        assert ('name="helps_with"' in page.text) == (kind == "mentor")
        assert ('name="intake_level"' in page.text) == (kind == "mentee")


def test_a_mentee_signs_up_and_gives_consent(client, tenants, owner_engine):
    alpha, _ = tenants
    response = client.post("/alpha/join/mentee", data=VALID_MENTEE)
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"])
    assert "Tak" in thanks.text  # confirmed in her language
    [person] = rows(owner_engine, "SELECT * FROM participants")
    assert person["tenant_id"] == alpha.id
    assert (person["kind"], person["status"], person["source"]) == ("mentee", "applied", "web")
    assert person["email"] == "amina@example.net"
    assert person["profession"] == "2221" and person["education_level"] == 6
    assert person["preferred_locale"] == "da"
    consents = rows(owner_engine, "SELECT * FROM consents")
    assert [(c["purpose"], c["notice_version"], c["locale"]) for c in consents] == [
        ("programme", "builtin-1", "da")
    ]
    assert "Alpha" in consents[0]["notice_text"]  # the exact text she read
    assert consents[0]["withdrawn_at"] is None


def test_a_mentor_signs_up(client, tenants, owner_engine):
    assert client.post("/alpha/join/mentor", data=VALID_MENTOR).status_code == 302
    [person] = rows(owner_engine, "SELECT kind, capacity, helps_with FROM participants")
    assert person["kind"] == "mentor" and person["capacity"] == 2


INVALID = [
    ("mentee", "name", ""),
    ("mentee", "email", "not-an-email"),
    ("mentee", "email", ""),
    ("mentee", "phone", "call me maybe"),
    ("mentee", "office", "atlantis"),
    ("mentee", "languages", []),
    ("mentee", "languages", ["xx"]),
    ("mentee", "preferred_locale", "ar"),
    ("mentee", "profession", "9999"),
    ("mentee", "profession", "nurse"),
    ("mentee", "education_level", "12"),
    ("mentee", "education_field", "99"),
    ("mentee", "interests", ["stamp_collecting"]),
    ("mentee", "goals", []),
    ("mentee", "country_of_origin", "XX"),
    ("mentee", "arrival_year", "1800"),
    ("mentee", "arrival_year", "soon"),
    ("mentee", "date_of_birth", "2099-01-01"),
    ("mentee", "date_of_birth", "2020-01-01"),
    ("mentee", "date_of_birth", "yesterday"),
    ("mentee", "story", "x" * 5001),
    ("mentee", "intake_level", ""),
    ("mentee", "intake_level", "medium"),
    ("mentee", "intake_days", ["sun"]),
    ("mentee", "intake_years_here", "many"),
    ("mentee", "intake_start", "31/31/2026"),
    ("mentee", "intake_children", ""),
    ("mentee", "consent_programme", ""),
    ("mentor", "helps_with", []),
    ("mentor", "capacity", "0"),
    ("mentor", "capacity", "11"),
]


@pytest.mark.parametrize(("kind", "field", "value"), INVALID)
def test_each_invalid_field_is_refused_beside_the_field(
    client, tenants, owner_engine, kind, field, value
):
    data = dict(VALID_MENTEE if kind == "mentee" else VALID_MENTOR)
    if value in ("", []):
        data.pop(field)
    else:
        data[field] = value
    response = client.post(f"/alpha/join/{kind}", data=data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert response.text.count('class="error"') == 1  # only the bad field is marked
    assert rows(owner_engine, "SELECT id FROM participants") == []
    # What she typed is still there: nothing is lost.
    kept = data.get("name") or data["email"]
    assert f'value="{kept}"' in response.text


def test_errors_are_in_her_language(client, tenants):
    data = dict(VALID_MENTEE, email="nope")
    danish = client.post("/alpha/join/mentee?lang=da", data=data).text
    english = client.post("/alpha/join/mentee?lang=en", data=data).text
    assert "Det ligner ikke en e-mailadresse." in danish
    assert "This does not look like an email address." in english


def test_the_same_email_twice_in_one_tenant_is_refused(client, tenants, owner_engine):
    assert client.post("/alpha/join/mentee", data=VALID_MENTEE).status_code == 302
    again = client.post("/alpha/join/mentor", data=dict(VALID_MENTOR, email="AMINA@example.net"))
    assert again.status_code == 400
    assert 'id="email-error"' in again.text
    assert len(rows(owner_engine, "SELECT id FROM participants")) == 1


def test_the_same_person_in_two_tenants_is_two_participants(client, tenants, owner_engine):
    alpha, bravo = tenants
    assert client.post("/alpha/join/mentee", data=VALID_MENTEE).status_code == 302
    bravo_data = dict(VALID_MENTEE, preferred_locale="en")
    bravo_data.pop("intake_level")
    bravo_data["intake_level"] = "low"
    assert client.post("/bravo/join/mentee", data=bravo_data).status_code == 302
    found = rows(owner_engine, "SELECT tenant_id FROM participants ORDER BY tenant_id")
    assert [r["tenant_id"] for r in found] == sorted([alpha.id, bravo.id])


def test_the_honeypot_stores_nothing(client, tenants, owner_engine):
    response = client.post("/alpha/join/mentee", data=dict(VALID_MENTEE, website="http://spam"))
    assert response.status_code == 302  # the bot is told it worked
    assert rows(owner_engine, "SELECT id FROM participants") == []


def test_sign_ups_are_rate_limited_per_address(client, tenants, owner_engine):
    for n in range(5):
        data = dict(VALID_MENTEE, email=f"person{n}@example.net")
        assert client.post("/alpha/join/mentee", data=data).status_code == 302
    sixth = client.post("/alpha/join/mentee", data=dict(VALID_MENTEE, email="six@example.net"))
    assert sixth.status_code == 429
    assert len(rows(owner_engine, "SELECT id FROM participants")) == 5
    other = client.post(
        "/alpha/join/mentee",
        data=dict(VALID_MENTEE, email="x@example.net"),
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert other.status_code == 302
    stored = rows(owner_engine, "SELECT address_hash FROM signup_attempts")
    assert all("127.0.0.1" not in r["address_hash"] for r in stored)  # only a hash is kept


def test_isco_picker_suggests_occupations(client, tenants):
    found = client.get("/alpha/isco?q=nurs&lang=en").json
    assert "2221" in [item["code"] for item in found]
