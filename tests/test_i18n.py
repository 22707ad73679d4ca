"""Locale choice: the user's choice, then ?lang=, then the tenant default; never outside
the tenant's locales. <html lang> and dir follow."""

from __future__ import annotations

import re

from tests.conftest import login


def html_attrs(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.text)
    return match.group(1), match.group(2)


def test_tenant_default_locale(client, tenants):
    assert html_attrs(client.get("/alpha/")) == ("da", "ltr")
    assert html_attrs(client.get("/bravo/")) == ("en", "ltr")


def test_lang_parameter_within_the_tenants_locales(client, tenants):
    assert html_attrs(client.get("/alpha/?lang=en")) == ("en", "ltr")
    assert html_attrs(client.get("/bravo/?lang=ar")) == ("ar", "rtl")
    # Arabic is not one of alpha's locales: the default stands.
    assert html_attrs(client.get("/alpha/?lang=ar")) == ("da", "ltr")


def test_the_users_choice_wins_and_is_kept_on_her_account(app, client, tenants):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["mentee"])
    client.post("/alpha/language", data={"locale": "en", "next": "/alpha/"})
    assert html_attrs(client.get("/alpha/?lang=da")) == ("en", "ltr")
    client.post("/alpha/logout")
    fresh = app.test_client()
    login(fresh, "alpha", alpha.emails["mentee"])
    assert html_attrs(fresh.get("/alpha/")) == ("en", "ltr")


def test_a_choice_outside_the_tenant_is_ignored(client, tenants):
    client.post("/bravo/language", data={"locale": "ar", "next": "/bravo/"})
    assert html_attrs(client.get("/bravo/")) == ("ar", "rtl")
    # The same session on a tenant without Arabic falls back to that tenant's default.
    assert html_attrs(client.get("/alpha/")) == ("da", "ltr")
    client.post("/alpha/language", data={"locale": "fi", "next": "/alpha/"})
    assert html_attrs(client.get("/alpha/")) == ("da", "ltr")


def test_pages_are_translated(client, tenants):
    danish = client.get("/alpha/login").text
    assert "Adgangskode" in danish
    english = client.get("/alpha/login?lang=en").text
    assert "Password" in english


def test_home_shows_the_tenants_own_texts_in_the_chosen_language(client, tenants):
    page = client.get("/alpha/?lang=en").text
    assert "Newcomers served by Alpha [en]" in page
    assert "Equality [en]" in page and "We meet as equals. [en]" in page
    assert "North office [en]" in page


def test_a_custom_domain_serves_its_tenant(app, tenants):
    from sqlalchemy import update

    from mentornet.extensions import db
    from mentornet.tenancy.models import Tenant

    with app.app_context():
        db.session.execute(
            update(Tenant).where(Tenant.slug == "alpha").values(domain="mentor.alpha.example")
        )
        db.session.commit()
    client = app.test_client()
    page = client.get("/", base_url="http://mentor.alpha.example")
    assert page.status_code == 200
    assert "Newcomers served by Alpha" in page.text
    assert client.get("/login", base_url="http://mentor.alpha.example").status_code == 200
    # A mapped host never reaches another tenant's pages.
    assert client.get("/bravo/", base_url="http://mentor.alpha.example").status_code == 404
    assert client.get("/healthz", base_url="http://mentor.alpha.example").status_code == 200
