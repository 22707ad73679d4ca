"""The admin sees which of the programme's own texts are missing in one of its languages."""

from __future__ import annotations

import re

from sqlalchemy import select

from mentornet.extensions import db
from mentornet.tenancy.models import Tenant
from mentornet.tenancy.translation_gaps import missing_translations
from tests.conftest import login


def drop_english(app, slug: str) -> dict:
    """Take the English out of the first value's title and the second office's name."""
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        settings = dict(tenant.settings)
        settings["values"] = [dict(v) for v in settings["values"]]
        settings["values"][0]["title"] = {"da": settings["values"][0]["title"]["da"]}
        settings["offices"] = [dict(o) for o in settings["offices"]]
        settings["offices"][1]["name"] = {"da": "Syd"}
        tenant.settings = settings
        db.session.commit()
        return settings


def test_missing_texts_are_listed_per_language_with_where_to_fix_them(app, client, tenants):
    alpha, _ = tenants
    login(client, "alpha", alpha.emails["admin"])
    before = client.get("/alpha/settings/translations?lang=en").text
    assert "Every text of the programme is written in each of its languages." in before

    drop_english(app, "alpha")
    page = client.get("/alpha/settings/translations?lang=en").text
    assert "2 texts missing" in page
    rows = re.findall(r"<tr><th scope=\"row\"><code>([^<]+)</code></th><td>([^<]*)</td>", page)
    assert rows == [("values[0].title", "Equality [da]"), ("offices[1].name", "Syd")]
    assert 'href="/alpha/settings"' in page and 'href="/alpha/settings/offices"' in page
    # The pages fall back to the default language meanwhile.
    assert "Equality [da]" in client.get("/alpha/?lang=en").text


def test_the_list_is_the_admins_and_her_programmes_only(app, client, tenants):
    alpha, _bravo = tenants
    login(client, "alpha", alpha.emails["coordinator"])
    assert client.get("/alpha/settings/translations").status_code == 403
    client.post("/alpha/logout")
    login(client, "alpha", alpha.emails["admin"])
    assert client.get("/bravo/settings/translations").status_code == 404


def test_gaps_ignore_the_default_language_and_empty_help():
    settings = {
        "locales": ["fr", "ar"],
        "target_group": {"fr": "Nouveaux arrivants", "ar": "القادمون الجدد"},
        "intake_questions": [{"key": "q", "label": {"fr": "Question"}, "help": {}}],
        "cycle": {"phases": [{"key": "p", "name": {"fr": "Début", "ar": " "}}]},
    }
    gaps = [(g.path, g.locale, g.endpoint) for g in missing_translations(settings)]
    assert gaps == [
        ("intake_questions[0].label", "ar", "settings.intake"),
        ("cycle.phases[0].name", "ar", "settings.cycle"),
    ]
