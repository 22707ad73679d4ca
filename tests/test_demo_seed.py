"""Synthetic demo participants: ``people.synthetic.generate`` and ``mentornet demo seed``."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mentornet.extensions import db
from mentornet.people import synthetic
from mentornet.people.classifications import isced_fields, isco
from mentornet.people.models import Participant
from mentornet.people.vocabulary import (
    BUSINESS_STAGES,
    GOALS,
    HELPS_WITH,
    INTERESTS,
    LANGUAGES,
    SECTORS,
    STATUSES,
)
from mentornet.tenancy.context import platform_scope, with_tenant
from mentornet.tenancy.models import Tenant
from mentornet.tenancy.presets import read_preset
from mentornet.tenancy.settings_schema import (
    ALL_PROFILE_FIELDS,
    PROFILE_FIELDS,
    IntakeQuestion,
    TenantSettings,
)
from tests.conftest import login

TENANTS_DIR = Path(__file__).resolve().parents[1] / "tenants"
SLUGS = ("denmark", "iceland", "norway", "morocco", "toronto")
TODAY = date(2025, 3, 14)
KVINFO_TOP_TEN = ("IQ", "RU", "IR", "PL", "CN", "TR", "SO", "BR", "UA", "PK")
WOMEN_ONLY = ("denmark", "iceland", "norway", "morocco")


@cache
def settings_of(slug: str) -> TenantSettings:
    return read_preset(TENANTS_DIR / f"{slug}.toml").settings


@cache
def people(slug: str, kind: str, count: int = 300, seed: int = 11) -> tuple[dict[str, Any], ...]:
    """Generated once per test run: the tests below only read them."""
    return tuple(synthetic.generate(settings_of(slug), kind, count, random.Random(seed), TODAY))


def everyone(slug: str) -> list[dict[str, Any]]:
    return [*people(slug, "mentee"), *people(slug, "mentor")]


def empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


# --- determinism --------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_the_same_seed_gives_the_same_people(slug: str):
    settings = settings_of(slug)
    first = synthetic.generate(settings, "mentee", 40, random.Random(5), TODAY)
    again = synthetic.generate(settings, "mentee", 40, random.Random(5), TODAY)
    other = synthetic.generate(settings, "mentee", 40, random.Random(6), TODAY)
    assert first == again
    assert first != other


_FRESH_RUN = """
import json, random, sys
from datetime import date
from mentornet.people.synthetic import generate
from mentornet.tenancy.presets import read_preset
settings = read_preset(sys.argv[1]).settings
rows = []
for kind in ("mentee", "mentor"):
    rows += generate(settings, kind, 30, random.Random(2024), date(2025, 3, 14))
print(json.dumps(rows, default=str, sort_keys=True))
"""


def _fresh_run(slug: str, hash_seed: str) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_RUN, str(TENANTS_DIR / f"{slug}.toml")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("slug", ["denmark", "morocco"])
def test_two_fresh_processes_generate_the_same_people(slug: str):
    """Nothing may depend on set order or string hashing, which change per process."""
    first = _fresh_run(slug, "1")
    assert first == _fresh_run(slug, "2")
    in_process = []
    for kind in ("mentee", "mentor"):
        in_process += synthetic.generate(settings_of(slug), kind, 30, random.Random(2024), TODAY)
    assert first == json.loads(json.dumps(in_process, default=str, sort_keys=True))


# --- what is filled -----------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_only_collected_fields_are_filled(slug: str):
    settings = settings_of(slug)
    collected = set(settings.profile.fields)
    columns = set(Participant.__table__.columns.keys())
    for kind in ("mentee", "mentor"):
        other_side = PROFILE_FIELDS["mentor" if kind == "mentee" else "mentee"]
        for person in people(slug, kind):
            assert set(person) <= columns, set(person) - columns
            for name in ALL_PROFILE_FIELDS:
                if name == "capacity":
                    continue  # the column's default (1) when not asked, as on the forms
                if name not in collected or name in other_side:
                    assert empty(person[name]), (kind, name, person[name])
            if kind == "mentee" or "capacity" not in collected:
                assert person["capacity"] == 1


@pytest.mark.parametrize(
    ("slug", "kind", "filled"),
    [
        ("denmark", "mentee", ("profession", "education_level", "education_field", "interests",
                               "story", "goals", "wishes", "country_of_origin", "arrival_year",
                               "date_of_birth")),
        ("denmark", "mentor", ("profession", "helps_with", "availability", "story")),
        ("morocco", "mentee", ("education_level", "sector", "business_stage", "date_of_birth",
                               "goals", "wishes", "story")),
        ("toronto", "mentee", ("profession", "sector", "country_of_origin", "arrival_year")),
    ],
)  # fmt: skip
def test_collected_fields_are_filled(slug: str, kind: str, filled: tuple[str, ...]):
    for person in people(slug, kind):
        for name in filled:
            assert not empty(person[name]), (name, person)


def test_presets_leave_out_what_they_do_not_ask():
    assert all(p["profession"] is None for p in everyone("morocco"))
    assert all(p["country_of_origin"] is None for p in everyone("morocco"))
    assert all(p["date_of_birth"] is None for p in everyone("toronto"))
    assert all(p["interests"] == [] for p in everyone("toronto"))
    assert all(p["sector"] is None for p in everyone("denmark"))


@pytest.mark.parametrize("slug", SLUGS)
def test_values_come_from_the_vocabularies(slug: str):
    settings = settings_of(slug)
    helps = set(HELPS_WITH) | {item.key for item in settings.profile.help_items}
    fields = {code for code, _ in isced_fields()}
    offices = {office.key for office in settings.offices}
    for person in everyone(slug):
        assert person["status"] in STATUSES
        assert person["office"] in offices
        assert person["preferred_locale"] in settings.locales
        assert person["languages"][0] == settings.default_locale
        assert person["preferred_locale"] in person["languages"]
        assert set(person["languages"]) <= set(LANGUAGES)
        assert len(set(person["languages"])) == len(person["languages"])
        assert set(person["interests"]) <= set(INTERESTS)
        assert person["interests"] == [] or 1 <= len(person["interests"]) <= 4
        if person["education_level"] is not None:
            assert 2 <= person["education_level"] <= 8
        assert person["education_field"] is None or person["education_field"] in fields
        assert person["sector"] is None or person["sector"] in SECTORS
        assert person["business_stage"] is None or person["business_stage"] in BUSINESS_STAGES
        if person["kind"] == "mentee":
            assert set(person["goals"]) <= set(GOALS)
            assert person["goals"] == [] or 1 <= len(person["goals"]) <= 3
        else:
            assert set(person["helps_with"]) <= helps
            assert person["helps_with"] == [] or 2 <= len(person["helps_with"]) <= 5
            assert 1 <= person["capacity"] <= 3
        assert len(person["name"]) <= 200 and person["name"].strip() == person["name"]


def test_tenant_help_items_are_offered_sometimes():
    offered = Counter(key for p in people("morocco", "mentor") for key in p["helps_with"])
    assert offered["financing"] > 0 and offered["marketing"] > 0
    assert offered["financing"] < len(people("morocco", "mentor"))


def test_mentors_mostly_take_one_mentee():
    capacities = Counter(p["capacity"] for p in people("denmark", "mentor"))
    assert capacities[1] > capacities[2] > capacities[3] > 0


def test_addresses_are_unique_and_reserved():
    for slug in SLUGS:
        emails = [p["email"] for p in everyone(slug)]
        assert len(set(emails)) == len(emails)
        for email in emails:
            assert re.fullmatch(r"[a-z0-9.]+\.\d+@example\.(org|net)", email), email


# --- who signs up -------------------------------------------------------------------------


def test_denmark_origins_follow_kvinfo_top_ten():
    mentees = synthetic.generate(settings_of("denmark"), "mentee", 2000, random.Random(3), TODAY)
    counts = Counter(p["country_of_origin"] for p in mentees)
    top_ten = [country for country, _ in counts.most_common(10)]
    assert set(top_ten) == set(KVINFO_TOP_TEN)
    assert top_ten[0] == "IQ"
    tail = sum(n for country, n in counts.items() if country not in KVINFO_TOP_TEN)
    assert 0.19 < tail / len(mentees) < 0.31
    assert len(counts) > 25  # "from over 140 countries": a long tail, not ten


def test_other_programmes_have_their_own_origins():
    norway = Counter(p["country_of_origin"] for p in people("norway", "mentee"))
    assert {"SY", "PL", "ER", "SO", "AF"} <= set(norway)
    toronto = Counter(p["country_of_origin"] for p in people("toronto", "mentee"))
    assert toronto.most_common(1)[0][0] == "IN"
    assert {"CN", "PH", "PK", "IR", "NG"} <= set(toronto)


def test_mentees_speak_their_countrys_language():
    languages = {"IQ": "ar", "RU": "ru", "IR": "fa", "PL": "pl", "CN": "zh", "TR": "tr",
                 "SO": "so", "BR": "pt", "UA": "uk", "PK": "ur"}  # fmt: skip
    for person in people("denmark", "mentee"):
        own = languages.get(person["country_of_origin"])
        if own:
            assert own in person["languages"], person


@pytest.mark.parametrize("slug", ["denmark", "morocco"])
def test_ages_are_18_to_68(slug: str):
    for person in people(slug, "mentee"):
        born = person["date_of_birth"]
        age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
        assert 18 <= age <= 68, born
    ages = {TODAY.year - p["date_of_birth"].year for p in people(slug, "mentee")}
    assert min(ages) < 25 and max(ages) > 50


def test_arrival_is_after_age_ten_and_not_in_the_future():
    for person in people("denmark", "mentee"):
        assert person["date_of_birth"].year + 10 < person["arrival_year"] <= TODAY.year
        assert person["arrival_year"] <= person["created_at"].year
    for slug in ("iceland", "norway", "toronto"):
        assert all(p["arrival_year"] <= TODAY.year for p in people(slug, "mentee"))


def test_professions_are_isco_unit_groups():
    index = isco()
    for code in synthetic.COMMON_PROFESSIONS:
        assert index.is_valid_unit(code), code
    for slug in SLUGS:
        for person in everyone(slug):
            if person["profession"] is not None:
                assert index.is_valid_unit(person["profession"]), person["profession"]
    majors = Counter(p["profession"][0] for p in people("denmark", "mentee"))
    assert len(majors) >= 7  # a broad spread, not a handful of favourites
    units = {p["profession"] for p in people("denmark", "mentee")}
    assert len(units) > 60


def test_toronto_is_weighted_toward_professionals_and_technicians():
    def skilled_share(slug: str) -> float:
        mentees = people(slug, "mentee")
        return sum(p["profession"][0] in "23" for p in mentees) / len(mentees)

    assert skilled_share("toronto") > 0.75
    assert skilled_share("toronto") > skilled_share("denmark") + 0.2


def test_mentors_professions_resemble_but_differ_from_mentees():
    mentees = Counter(p["profession"][0] for p in people("denmark", "mentee", 1000))
    mentors = Counter(p["profession"][0] for p in people("denmark", "mentor", 1000))
    assert mentees.most_common(1)[0][0] == mentors.most_common(1)[0][0] == "2"
    assert mentors["2"] > mentees["2"]
    assert mentees["5"] + mentees["9"] > mentors["5"] + mentors["9"]


def test_status_mix_is_realistic():
    mentees = Counter(p["status"] for p in people("denmark", "mentee", 1000))
    waiting = sum(mentees[s] for s in ("ready", "applied", "interviewed", "matched"))
    assert waiting > 0.7 * 1000
    assert 0 < mentees["alumni"] < mentees["ready"]
    assert 0 < mentees["paused"] + mentees["withdrawn"] < 0.15 * 1000
    mentors = Counter(p["status"] for p in people("denmark", "mentor", 1000))
    assert mentors["ready"] + mentors["matched"] > 0.7 * 1000


def test_dates_are_in_the_past_and_consistent():
    now = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC)
    for slug in SLUGS:
        for person in everyone(slug):
            created = person["created_at"]
            assert now - timedelta(days=3 * 365 + 1) <= created < now
            assert created <= person["status_changed_at"] < now
            if person["status"] == "ready":
                ready = person["ready_since"]
                assert created <= ready < now
                assert now - ready <= timedelta(days=401)
            else:
                assert person["ready_since"] is None
            if person["paused_until"] is not None:
                assert person["kind"] == "mentor" and person["paused_until"] > TODAY
    mentors = people("denmark", "mentor", 1000)
    assert any(p["paused_until"] for p in mentors if p["status"] != "paused")


def test_women_programmes_have_women_and_toronto_has_both():
    men = {name for pool in synthetic.NAME_POOLS.values() for name in pool.men}
    men |= {synthetic.MOROCCAN_ARABIC.get(name, name) for name in men}
    women = {name for pool in synthetic.NAME_POOLS.values() for name in pool.women}
    for slug in WOMEN_ONLY:
        for person in everyone(slug):
            assert not any(person["name"].startswith(f"{m} ") for m in men), person["name"]
    toronto = everyone("toronto")
    assert any(any(p["name"].startswith(f"{m} ") for m in men) for p in toronto)
    assert any(any(p["name"].startswith(f"{w} ") for w in women) for p in toronto)


# --- texts --------------------------------------------------------------------------------

ARABIC = re.compile(r"[\u0600-\u06ff]")
# First-person words of each language: every text is written by the person herself.
MARKERS = {
    "da": {"jeg", "mig", "min", "mit"},
    "nb": {"jeg", "meg", "min", "mitt"},
    "is": {"ég", "mig", "mér", "mitt", "mín"},
    "en": {"i", "me", "my"},
    "fr": {"je", "j", "me", "m", "mon", "moi"},
}


@pytest.mark.parametrize("slug", SLUGS)
def test_texts_are_in_the_persons_language(slug: str):
    for person in everyone(slug):
        locale = person["preferred_locale"]
        for text in (person["story"], person["wishes"]):
            if text is None:
                continue
            assert 20 < len(text) < 1500
            if locale == "ar":
                assert ARABIC.search(text), text
            else:
                assert not ARABIC.search(text), text
                words = set(re.findall(r"\w+", text.lower()))
                assert words & MARKERS[locale], (locale, text)


def test_texts_vary_and_mention_profession_or_goals():
    stories = [p["story"] for p in people("denmark", "mentee")]
    assert len(set(stories)) > 0.9 * len(stories)
    assert sum("arbejde" in s or "uddannet" in s or "uddannelse" in s for s in stories) > 100
    wishes = [p["wishes"] for p in people("denmark", "mentee")]
    assert all(w.startswith(("Jeg", "Det", "I ", "It")) for w in wishes)


def test_moroccan_names_are_in_arabic_script_for_arabic_readers():
    """Moroccan names are; the few newcomers from elsewhere keep the Latin spelling."""
    arabic_readers = [p for p in everyone("morocco") if p["preferred_locale"] == "ar"]
    in_arabic = [p for p in arabic_readers if ARABIC.search(p["name"])]
    assert len(in_arabic) > 0.85 * len(arabic_readers)
    for person in everyone("morocco"):
        assert person["email"].isascii()
        if person["preferred_locale"] == "fr":
            assert not ARABIC.search(person["name"])


# --- intake answers -----------------------------------------------------------------------


def _answer_problem(question: IntakeQuestion, value: Any) -> str:
    keys = [choice.key for choice in question.choices]
    kind = question.kind
    if kind == "single_choice":
        return "" if value in keys else f"{value!r} not a choice"
    if kind == "multiple_choice":
        ok = isinstance(value, list) and value and set(value) <= set(keys)
        return "" if ok and len(set(value)) == len(value) else f"{value!r} not choices"
    if kind == "yes_no":
        return "" if value in ("yes", "no") else f"{value!r} not yes/no"
    if kind == "number":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 80
        return "" if ok else f"{value!r} not a plausible number"
    if kind == "date":
        try:
            parsed = date.fromisoformat(value)
        except (TypeError, ValueError):
            return f"{value!r} not an ISO date"
        return "" if abs((parsed - TODAY).days) < 20 * 365 else f"{value} implausible"
    limit = 500 if kind == "text" else 5000
    return "" if isinstance(value, str) and 0 < len(value) <= limit else f"{value!r} bad text"


@pytest.mark.parametrize("slug", SLUGS)
def test_intake_answers_fit_the_questions(slug: str):
    settings = settings_of(slug)
    for kind in ("mentee", "mentor"):
        questions = {
            q.key: q
            for q in settings.intake_questions
            if not q.retired and q.audience in (kind, "both")
        }
        answered: Counter[str] = Counter()
        for person in people(slug, kind):
            answers = person["intake_answers"]
            assert set(answers) <= set(questions), set(answers) - set(questions)
            for key, question in questions.items():
                if question.required:
                    assert key in answers, (kind, key)
                if key in answers:
                    answered[key] += 1
                    problem = _answer_problem(question, answers[key])
                    assert not problem, (slug, kind, key, problem)
            json.dumps(answers)  # stored in a JSON column
        assert set(answered) == set(questions)  # every question gets answers from someone


def test_numbers_agree_with_the_profile():
    for person in people("denmark", "mentee"):
        years = person["intake_answers"].get("years_in_denmark")
        if years is not None:
            assert years == TODAY.year - person["arrival_year"]


# --- the command --------------------------------------------------------------------------


def _load_presets(runner) -> None:
    result = runner.invoke(args=["tenants", "load", str(TENANTS_DIR)])
    assert result.exit_code == 0, result.output


def _counts(app) -> dict[tuple[str, str], int]:
    with app.app_context(), platform_scope():
        rows = db.session.execute(
            select(Tenant.slug, Participant.kind, func.count())
            .join(Tenant, Tenant.id == Participant.tenant_id)
            .where(Participant.source == "demo")
            .group_by(Tenant.slug, Participant.kind)
        ).all()
    return {(slug, kind): count for slug, kind, count in rows}


def test_seed_inserts_into_one_tenant_and_skips_the_second_time(app, runner):
    _load_presets(runner)
    args = ["demo", "seed", "--tenant", "denmark", "--mentees", "30", "--mentors", "20"]
    result = runner.invoke(args=[*args, "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "denmark: 30 mentees, 20 mentors" in result.output
    assert _counts(app) == {("denmark", "mentee"): 30, ("denmark", "mentor"): 20}

    again = runner.invoke(args=[*args, "--seed", "1"])
    assert again.exit_code == 0, again.output
    assert "skipped" in again.output
    assert _counts(app) == {("denmark", "mentee"): 30, ("denmark", "mentor"): 20}

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "denmark"))
        with with_tenant(tenant):
            stored = db.session.scalars(select(Participant)).all()
            assert {p.tenant_id for p in stored} == {tenant.id}
            assert len({p.email for p in stored}) == 50
            mentee = next(p for p in stored if p.kind == "mentee" and p.date_of_birth)
            assert isinstance(mentee.languages, list) and mentee.intake_answers


def test_seed_links_the_demo_logins(app, runner, client):
    _load_presets(runner)
    result = runner.invoke(args=["demo", "seed", "--tenant", "denmark", "--mentees", "5",
                                 "--mentors", "5", "--seed", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "denmark"))
        with with_tenant(tenant):
            for kind in ("mentee", "mentor"):
                email = f"{kind}@denmark.example.org"
                linked = db.session.scalars(
                    select(Participant).where(Participant.user_id.is_not(None))
                    .where(Participant.kind == kind)
                ).all()  # fmt: skip
                assert [p.email for p in linked] == [email]
                assert linked[0].source == "demo"
            name = db.session.scalar(
                select(Participant.name).where(Participant.email == "mentee@denmark.example.org")
            )
    assert login(client, "denmark", "mentee@denmark.example.org", "mentornet-demo").status_code in (
        302,
        303,
    )
    page = client.get("/denmark/me")
    assert page.status_code == 200
    assert name in page.get_data(as_text=True)


def test_seed_defaults_fill_every_tenant(app, runner):
    _load_presets(runner)
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    counts = _counts(app)
    for slug in SLUGS:
        assert f"{slug}: 60 mentees, 50 mentors" in result.output
        # Paused mentors are passed over: every programme gets one pair per demo step.
        assert f"{slug}: 7 mentorships at every step of the cycle" in result.output
        assert counts[(slug, "mentee")] == 60
        assert counts[(slug, "mentor")] == 50


def test_seed_walks_pairs_through_the_cycle_and_proposes_the_logins(app, runner, client):
    from mentornet.cycles.models import Mentorship

    _load_presets(runner)
    args = ["demo", "seed", "--tenant", "toronto", "--mentees", "30", "--mentors", "20"]
    result = runner.invoke(args=[*args, "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "toronto: 7 mentorships at every step of the cycle" in result.output
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "toronto"))
        with with_tenant(tenant):
            states = Counter(db.session.scalars(select(Mentorship.state)).all())
    assert states == {"proposed": 2, "introduced": 1, "agreed": 1, "active": 2, "completed": 1}
    again = runner.invoke(args=[*args, "--seed", "1"])
    assert "mentorships" not in again.output  # seeded once
    login(client, "toronto", "mentee@toronto.example.org", "mentornet-demo")
    page = client.get("/toronto/me?lang=en").get_data(as_text=True)
    assert "We propose" in page and "Open the mentorship" in page
