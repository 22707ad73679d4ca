"""A new organisation signs itself up at /start and lands on its getting-started checklist."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from mentornet.accounts.models import Membership, User
from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.onboarding import limits
from mentornet.onboarding.models import StartAttempt
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.models import Tenant
from tests.conftest import login
from tests.factories import SIGNUP

GOOD = SIGNUP


def errors_of(response) -> dict[str, str]:
    """Each field's error, read from the page: the id of its message names the field."""
    page = response.get_data(as_text=True)
    return dict(re.findall(r'<p class="error" id="([a-z_]+)-error">([^<]*)</p>', page))


def tenant_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Tenant)).all())


def test_start_page_offers_the_presets_and_a_blank_programme(client):
    page = client.get("/start").get_data(as_text=True)
    for key in ("denmark", "toronto", "iceland", "norway", "morocco", "blank"):
        assert f'value="{key}"' in page
    assert "Mentoring Partnership Toronto" in page
    # The hint's placeholder is shown as text, not swallowed as an HTML tag.
    assert "/&lt;address&gt;/" in page and "<address>" not in page


def test_sign_up_creates_a_trial_tenant_with_its_admin_logged_in(app, client):
    response = client.post("/start", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/oslo-mentors/getting-started")

    page = client.get("/oslo-mentors/getting-started")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Kari Nordmann" in text  # logged in, her name in the header
    for step in ("step-values", "step-criteria", "step-coordinators", "step-join_link"):
        assert f'id="{step}" class="todo"' in text
    assert "/oslo-mentors/join" in text  # the link to share

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "oslo-mentors"))
        assert tenant.status == "trial"
        assert tenant.name == "Oslo Mentors" and tenant.country == "NO"
        # Denmark's programme, under her name, with Norwegian first and a text in it.
        config = tenant.config
        assert config.name == "Oslo Mentors"
        assert config.locales[0] == "nb"
        assert config.cycle.months == 18
        assert "nb" in config.target_group and "da" in config.target_group
        with with_tenant(tenant):
            membership = db.session.scalar(select(Membership))
            assert membership.role == "admin"
            assert membership.user.email == "kari@oslo.example.org"
            assert membership.user.locale == "nb"

    # Her programme speaks Norwegian by default.
    client.post("/oslo-mentors/logout")
    assert 'lang="nb"' in client.get("/oslo-mentors/").get_data(as_text=True)


def test_blank_programme_is_written_in_the_chosen_language(app, client):
    data = dict(GOOD, slug="rabat-mentors", preset="blank", locale="fr", country="MA")
    assert client.post("/start", data=data).status_code == 302
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "rabat-mentors"))
        config = tenant.config
        assert config.locales == ["fr"]
        assert config.offices[0].name["fr"] == "Bureau principal"
        assert [p.key for p in config.cycle.phases] == [
            "initiation",
            "cultivation",
            "maturation",
            "separation",
        ]
    # Its public form works at once.
    assert client.get("/rabat-mentors/join/mentee").status_code == 200


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("ab", "Use between 3 and 40 characters."),
        ("Oslo Mentors", "Use lower-case letters"),
        ("-oslo", "Use lower-case letters"),
        ("oslo--mentors", "Use lower-case letters"),
        ("9oslo", "Use lower-case letters"),
        ("admin", "This address is reserved."),
        ("start", "This address is reserved."),
        ("static", "This address is reserved."),
        ("alpha", "This address is already taken."),
    ],
)
def test_the_web_address_is_checked(app, client, tenants, slug, reason):
    before = tenant_count(app)
    response = client.post("/start", data=dict(GOOD, slug=slug))
    assert response.status_code == 400
    assert errors_of(response)["slug"].startswith(reason)
    assert tenant_count(app) == before


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("organisation", "", "Please give your organisation's name."),
        ("country", "XX", "Not a valid choice."),
        ("preset", "atlantis", "Not a valid choice."),
        ("locale", "de", "Not a valid choice."),
        ("admin_name", "", "Please give your name."),
        ("email", "kari-at-oslo", "This does not look like an email address."),
        ("password", "short", "A password needs at least 10 characters."),
        ("confirm", "something else", "The two passwords are not the same."),
    ],
)
def test_each_field_is_validated_beside_it(app, client, field, value, reason):
    response = client.post("/start", data=dict(GOOD, **{field: value}))
    assert response.status_code == 400
    assert errors_of(response)[field] == reason
    # What she typed is still there, so nothing is lost.
    assert 'value="Kari Nordmann"' in response.get_data(as_text=True) or field == "admin_name"
    assert tenant_count(app) == 0


def test_errors_speak_the_visitors_language(client):
    response = client.post("/start?lang=da", data=dict(GOOD, password="kort", confirm="kort"))
    assert response.status_code == 400
    assert errors_of(response)["password"] == "En adgangskode skal have mindst 10 tegn."


def test_an_existing_account_must_give_its_own_password(app, client, tenants):
    alpha, _bravo = tenants
    taken = alpha.emails["coordinator"]
    response = client.post(
        "/start",
        data=dict(GOOD, email=taken, password="not her password", confirm="not her password"),
    )
    assert response.status_code == 400
    assert "already has a Mentornet account" in errors_of(response)["password"]
    assert tenant_count(app) == 2
    # Her password still works where it did.
    assert login(client, "alpha", taken).status_code == 302

    # With her own password she becomes admin of the new programme too.
    client.post("/alpha/logout")
    response = client.post("/start", data=dict(GOOD, email=taken))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == taken))
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "oslo-mentors"))
        with with_tenant(tenant):
            assert db.session.scalar(select(Membership)).user_id == user.id


def test_the_checklist_ticks_steps_from_data_and_by_hand(app, client):
    client.post("/start", data=GOOD)
    response = client.post("/oslo-mentors/getting-started/join_link")
    assert response.status_code == 302
    page = client.get("/oslo-mentors/getting-started").get_data(as_text=True)
    assert 'id="step-join_link" class="done"' in page

    # Inviting a coordinator ticks that step by itself.
    client.post(
        "/oslo-mentors/members/invite", data={"email": "c@oslo.example.org", "role": "coordinator"}
    )
    page = client.get("/oslo-mentors/getting-started").get_data(as_text=True)
    assert 'id="step-coordinators" class="done"' in page
    assert 'id="step-values" class="todo"' in page

    assert client.post("/oslo-mentors/getting-started/nonsense").status_code == 404


def test_the_checklist_is_for_the_programmes_admin_only(client, tenants):
    alpha, _bravo = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    assert client.get("/alpha/getting-started").status_code == 403
    client.post("/alpha/logout")
    login(client, "alpha", alpha.emails["admin"])
    # Another tenant's checklist is not hers: it does not exist for her.
    assert client.get("/bravo/getting-started").status_code == 404
    assert client.post("/bravo/getting-started/join_link").status_code == 404
    with client.application.app_context():
        bravo_tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "bravo"))
        assert bravo_tenant.checklist == []


# --- a brake on scripted sign-ups ---------------------------------------------------------


def organisation(n: int) -> dict[str, str]:
    return dict(
        SIGNUP, organisation=f"Mentors {n}", slug=f"mentors-{n}", email=f"admin{n}@example.org"
    )


def test_one_address_starts_five_programmes_an_hour_then_waits(app, client, english):
    for n in range(limits.STARTS_PER_HOUR):
        assert client.post("/start", data=organisation(n)).status_code == 302
        client.post("/mentors-0/logout")
    refused = client.post("/start", data=organisation(99))
    assert refused.status_code == 429
    assert "Please wait an hour and try again" in refused.text
    assert 'value="Mentors 99"' in refused.text  # what she typed is kept
    assert tenant_count(app) == limits.STARTS_PER_HOUR
    # Another address is not held up, and form errors do not count as attempts.
    other = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.post("/start", data={}, environ_base=other).status_code == 400
    assert client.post("/start", data=organisation(6), environ_base=other).status_code == 302
    # An hour later the first address may start again.
    later = utcnow() + timedelta(hours=1, minutes=1)
    with app.test_request_context():
        assert limits.allow_start("127.0.0.1", now=later)
    with app.app_context():
        hashes = db.session.scalars(select(StartAttempt.address_hash)).all()
    assert "127.0.0.1" not in " ".join(hashes)  # only a keyed hash is kept


def test_behind_a_trusted_proxy_each_visitor_is_counted(database):
    from tests.conftest import make_app

    behind = make_app(database, TRUSTED_PROXIES=1)
    client = behind.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(limits.STARTS_PER_HOUR):
        visitor = {"X-Forwarded-For": f"198.51.100.{n}"}
        answer = client.post("/start", data=organisation(n), headers=visitor, environ_base=proxy)
        assert answer.status_code == 302
    # Without the setting all of them would have been the proxy's address, and refused.
    again = client.post(
        "/start",
        data=organisation(50),
        headers={"X-Forwarded-For": "198.51.100.0"},
        environ_base=proxy,
    )
    assert again.status_code == 302
    with behind.app_context():
        db.session.remove()
        db.engine.dispose()
