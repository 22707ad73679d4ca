"""Tenant presets: the shipped TOML files, ``tenants load/export/list`` and the round trip."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlalchemy import func, select

from mentornet.extensions import db
from mentornet.tenancy.models import Tenant
from mentornet.tenancy.presets import export_settings, parse_preset, read_preset
from mentornet.tenancy.settings_schema import SettingsError, TenantSettings

TENANTS_DIR = Path(__file__).resolve().parents[1] / "tenants"
PRESET_PATHS = sorted(TENANTS_DIR.glob("*.toml"))
EXPECTED_SLUGS = {"denmark", "iceland", "norway", "morocco", "toronto"}
LOCAL_TEXT_KEYS = {"target_group", "title", "text", "name", "label", "help"}


def settings_of(slug: str) -> TenantSettings:
    return read_preset(TENANTS_DIR / f"{slug}.toml").settings


def local_texts(data: Any, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Every per-locale text in dumped settings, with its key path."""
    if isinstance(data, dict):
        for key, value in data.items():
            sub = f"{path}.{key}" if path else key
            if key in LOCAL_TEXT_KEYS and isinstance(value, dict):
                if value:
                    yield sub, value
            else:
                yield from local_texts(value, sub)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from local_texts(item, f"{path}[{index}]")


def tenant_rows(app) -> list[Tenant]:
    with app.app_context():
        tenants = db.session.scalars(select(Tenant).order_by(Tenant.slug)).all()
        db.session.expunge_all()
        return list(tenants)


def tenant_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Tenant))


# --- the shipped presets ------------------------------------------------------------------


def test_the_five_presets_are_shipped():
    assert {p.stem for p in PRESET_PATHS} >= EXPECTED_SLUGS


@pytest.mark.parametrize("path", PRESET_PATHS, ids=lambda p: p.stem)
def test_preset_validates_and_is_named_after_its_file(path: Path):
    preset = read_preset(path)
    assert preset.slug == path.stem
    assert preset.domain is None
    assert preset.settings.name.strip()


@pytest.mark.parametrize("path", PRESET_PATHS, ids=lambda p: p.stem)
def test_preset_texts_exist_in_every_locale_of_the_tenant(path: Path):
    settings = read_preset(path).settings
    texts = list(local_texts(settings.model_dump()))
    assert texts
    for key_path, text in texts:
        assert set(text) == set(settings.locales), key_path
        assert all(value.strip() for value in text.values()), key_path


@pytest.mark.parametrize("path", PRESET_PATHS, ids=lambda p: p.stem)
def test_preset_asks_nothing_sensitive(path: Path):
    settings = read_preset(path).settings
    sensitive = ("relig", "faith", "ethnic", "race", "sexual", "politic", "caste")
    for question in settings.intake_questions:
        words = " ".join([question.key, *question.label.values(), *question.help.values()])
        assert not any(s in words.lower() for s in sensitive), question.key


def test_denmark_follows_the_kvinfo_model():
    s = settings_of("denmark")
    assert s.locales == ["da", "en"]
    assert {o.key for o in s.offices} == {"copenhagen", "odense"}
    assert len(s.values) == 3
    assert s.cycle.months == 18
    assert [p.key for p in s.cycle.phases] == [
        "initiation",
        "cultivation",
        "maturation",
        "separation",
    ]
    assert s.cycle.first_meeting == "either"
    minimum = s.cycle.agreement_minimum
    assert (minimum.kind, minimum.value, minimum.meeting_kinds) == (
        "minutes_per_month",
        120,
        ["face_to_face"],
    )
    assert (s.cycle.follow_ups.first_after_weeks, s.cycle.follow_ups.every_weeks) == (4, 13)
    assert s.cycle.follow_ups.at_closing
    kinds = {c.field: c.kind for c in s.matching.criteria}
    assert kinds == {
        "profession": "taxonomy",
        "education_level": "ordinal",
        "goals": "overlap",
        "interests": "overlap",
        "languages": "overlap",
        "office": "same",
        "story": "text",
    }
    assert {c.field for c in s.matching.criteria if c.hard} == {"languages", "office"}
    assert len({q.kind for q in s.intake_questions}) >= 3


def test_toronto_is_the_short_corporate_variant():
    s = settings_of("toronto")
    assert s.locales == ["en", "fr"]
    assert s.cycle.months == 4
    minimum = s.cycle.agreement_minimum
    assert (minimum.kind, minimum.value) == ("total_hours", 24)
    assert set(minimum.meeting_kinds) == {"face_to_face", "phone", "online"}
    assert (s.cycle.follow_ups.first_after_weeks, s.cycle.follow_ups.every_weeks) == (4, 4)
    criteria = {c.field: c for c in s.matching.criteria}
    assert criteria["profession"].kind == "taxonomy"
    assert criteria["sector"].kind == "same"
    assert "languages" in criteria
    assert criteria["profession"].weight == max(c.weight for c in s.matching.criteria)
    questions = {q.key: q for q in s.intake_questions}
    partner = questions["corporate_partner"]
    assert partner.kind == "single_choice" and partner.audience == "mentor"
    assert len(partner.choices) >= 3
    assert questions["orientation_attended"].kind == "yes_no"


def test_morocco_matches_businesses_in_arabic_first():
    s = settings_of("morocco")
    assert s.default_locale == "ar"
    assert "fr" in s.locales
    kinds = {c.field: c.kind for c in s.matching.criteria}
    assert kinds["sector"] == "same"
    assert kinds["business_stage"] == "ordinal"
    assert {o.key for o in s.offices} >= {"casablanca", "rabat"}


@pytest.mark.parametrize(("slug", "default_locale"), [("iceland", "is"), ("norway", "nb")])
def test_nordic_presets_use_their_own_language_first(slug: str, default_locale: str):
    s = settings_of(slug)
    assert s.locales == [default_locale, "en"]


def test_presets_are_written_for_their_own_programme():
    presets = {p.stem: read_preset(p).settings for p in PRESET_PATHS}
    slugs = sorted(presets)
    for i, a in enumerate(slugs):
        for b in slugs[i + 1 :]:
            sa, sb = presets[a], presets[b]
            assert sa.name != sb.name, (a, b)
            assert sa.country != sb.country, (a, b)
            assert not {o.key for o in sa.offices} & {o.key for o in sb.offices}, (a, b)
            assert {q.key for q in sa.intake_questions} != {q.key for q in sb.intake_questions}
            texts_a = {t for _, text in local_texts(sa.model_dump()) for t in text.values()}
            texts_b = {t for _, text in local_texts(sb.model_dump()) for t in text.values()}
            shared = texts_a & texts_b
            # Place names and short labels such as "B1" may coincide; sentences may not.
            assert not {t for t in shared if len(t.split()) > 4}, (a, b, shared)
    assert len({s.cycle.months for s in presets.values()}) >= 4


# --- round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PRESET_PATHS, ids=lambda p: p.stem)
def test_export_then_read_gives_the_same_settings(app, runner, path: Path, tmp_path: Path):
    original = read_preset(path)
    result = runner.invoke(args=["tenants", "load", str(path)])
    assert result.exit_code == 0, result.output

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == original.slug))
        assert tenant.settings == original.settings.model_dump(mode="json")
        text = export_settings(tenant)
    again = parse_preset(text)
    assert again.slug == original.slug
    assert again.settings == original.settings
    # Same layout as the presets: slug and every settings key at the top level.
    assert set(tomllib.loads(text)) == {"slug", *TenantSettings.model_fields}

    # The same through the command line, to stdout and to a file.
    printed = runner.invoke(args=["tenants", "export", original.slug])
    assert printed.exit_code == 0, printed.output
    assert parse_preset(printed.stdout).settings == original.settings
    out = tmp_path / "exported.toml"
    written = runner.invoke(args=["tenants", "export", original.slug, "--output", str(out)])
    assert written.exit_code == 0, written.output
    assert read_preset(out).settings == original.settings

    reloaded = runner.invoke(args=["tenants", "load", str(out)])
    assert reloaded.exit_code == 0, reloaded.output
    assert f"updated {original.slug}" in reloaded.stdout
    assert tenant_count(app) == 1


def test_export_keeps_the_domain(app, runner, tmp_path: Path):
    raw = tomllib.loads((TENANTS_DIR / "toronto.toml").read_text(encoding="utf-8"))
    raw["domain"] = "mentoring.example.org"
    path = tmp_path / "toronto.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    assert runner.invoke(args=["tenants", "load", str(path)]).exit_code == 0

    result = runner.invoke(args=["tenants", "export", "toronto"])
    assert result.exit_code == 0
    exported = parse_preset(result.stdout)
    assert exported.domain == "mentoring.example.org"
    assert exported.settings == read_preset(path).settings
    assert tenant_rows(app)[0].domain == "mentoring.example.org"


def test_export_leaves_out_what_toml_cannot_hold(app, runner, tmp_path: Path):
    raw = tomllib.loads((TENANTS_DIR / "iceland.toml").read_text(encoding="utf-8"))
    del raw["offices"][0]["city"]  # stored as None
    raw["intake_questions"][0].pop("help", None)  # stored as {}
    path = tmp_path / "iceland.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    assert runner.invoke(args=["tenants", "load", str(path)]).exit_code == 0
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "iceland"))
        assert tenant.settings["offices"][0]["city"] is None
        text = export_settings(tenant)
    assert parse_preset(text).settings == read_preset(path).settings


# --- malformed presets ----------------------------------------------------------------------


def _denmark_raw() -> dict[str, Any]:
    return tomllib.loads((TENANTS_DIR / "denmark.toml").read_text(encoding="utf-8"))


def _mutated(change: Callable[[dict[str, Any]], None]) -> Callable[[], str]:
    def build() -> str:
        raw = _denmark_raw()
        change(raw)
        return tomli_w.dumps(raw)

    return build


def _unclosed_string() -> str:
    text = (TENANTS_DIR / "denmark.toml").read_text(encoding="utf-8")
    return text.replace('country = "DK"', 'country = "DK', 1)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


MALFORMED = {
    "toml_syntax": (_unclosed_string, "(file)", f"line {_line_of(_unclosed_string(), 'country')}"),
    "unknown_key": (
        _mutated(lambda r: r["cycle"].update(length_weeks=78)),
        "cycle.length_weeks",
        "permitted",
    ),
    "phases_not_summing": (
        _mutated(lambda r: r["cycle"]["phases"][1].update(months=7)),
        "cycle",
        "19",
    ),
    "text_without_default_locale": (
        _mutated(lambda r: r["values"][0]["title"].pop("da")),
        "values[0].title",
        "'da'",
    ),
    "locale_not_enabled": (
        _mutated(lambda r: r["offices"][1]["name"].update(sv="Odense")),
        "offices[1].name",
        "'sv'",
    ),
    "unknown_criterion_field": (
        _mutated(lambda r: r["matching"]["criteria"][0].update(field="religion")),
        "matching.criteria[0]",
        "religion",
    ),
    "missing_slug": (_mutated(lambda r: r.pop("slug")), "slug", "missing"),
    "invalid_slug": (_mutated(lambda r: r.update(slug="Denmark!")), "slug", "Denmark!"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_preset_is_refused_and_nothing_is_written(app, runner, tmp_path, case):
    build, key_path, reason = MALFORMED[case]
    path = tmp_path / "denmark.toml"
    path.write_text(build(), encoding="utf-8")

    result = runner.invoke(args=["tenants", "load", str(path)])

    assert result.exit_code == 2, result.output
    prefix = f"{path}: {key_path}: "
    lines = [line for line in result.stderr.splitlines() if line.startswith(prefix)]
    assert lines, result.stderr
    assert any(reason in line for line in lines), result.stderr
    assert "created" not in result.stdout
    assert tenant_count(app) == 0

    with pytest.raises(SettingsError) as caught:
        read_preset(path)
    assert key_path in [problem[0] for problem in caught.value.problems]


def test_every_problem_in_a_file_is_reported_at_once(runner, tmp_path):
    raw = _denmark_raw()
    raw["slug"] = "DK"
    raw["retention_months"] = 0
    raw["cycle"]["phases"][0]["colour"] = "red"
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")

    result = runner.invoke(args=["tenants", "load", str(path)])

    assert result.exit_code == 2
    for key_path in ("slug", "retention_months", "cycle.phases[0].colour"):
        assert f"{path}: {key_path}: " in result.stderr


def test_one_bad_file_in_a_directory_stops_the_whole_load(app, runner, tmp_path):
    for preset in PRESET_PATHS:
        (tmp_path / preset.name).write_text(preset.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "zz-broken.toml"
    broken.write_text(_mutated(lambda r: r.update(slug="broken", country="Denmark"))(), "utf-8")

    result = runner.invoke(args=["tenants", "load", str(tmp_path)])

    assert result.exit_code == 2
    assert f"{broken}: country: " in result.stderr
    assert result.stdout == ""
    assert tenant_count(app) == 0


def test_two_files_with_the_same_slug_are_refused(app, runner, tmp_path):
    text = (TENANTS_DIR / "denmark.toml").read_text(encoding="utf-8")
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    (tmp_path / "b.toml").write_text(text, encoding="utf-8")

    result = runner.invoke(args=["tenants", "load", str(tmp_path)])

    assert result.exit_code == 2
    assert f"{tmp_path / 'b.toml'}: slug: " in result.stderr
    assert tenant_count(app) == 0


def test_an_empty_directory_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["tenants", "load", str(tmp_path)])
    assert result.exit_code == 2
    assert str(tmp_path) in result.stderr


# --- load, list, export ---------------------------------------------------------------------


def test_loading_the_directory_twice_creates_then_updates(app, runner):
    expected = {p.stem: read_preset(p) for p in PRESET_PATHS}

    first = runner.invoke(args=["tenants", "load", str(TENANTS_DIR)])
    assert first.exit_code == 0, first.output
    assert sorted(first.stdout.splitlines()) == sorted(f"created {s}" for s in expected)
    rows = tenant_rows(app)
    assert {t.slug for t in rows} == set(expected)
    for tenant in rows:
        settings = expected[tenant.slug].settings
        assert (tenant.name, tenant.country, tenant.status) == (
            settings.name,
            settings.country,
            "active",
        )
        assert tenant.settings == settings.model_dump(mode="json")

    second = runner.invoke(args=["tenants", "load", str(TENANTS_DIR)])
    assert second.exit_code == 0, second.output
    assert sorted(second.stdout.splitlines()) == sorted(f"updated {s}" for s in expected)
    assert tenant_count(app) == len(expected)


def test_reloading_changes_settings_but_keeps_status(app, runner, tmp_path):
    source = TENANTS_DIR / "norway.toml"
    assert runner.invoke(args=["tenants", "load", str(source)]).exit_code == 0
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "norway"))
        tenant.status = "past_due"
        db.session.commit()

    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    raw["name"] = "Mentornettverket Vest"
    raw["retention_months"] = raw["retention_months"] + 12
    changed = tmp_path / "norway.toml"
    changed.write_text(tomli_w.dumps(raw), encoding="utf-8")
    result = runner.invoke(args=["tenants", "load", str(changed)])

    assert result.exit_code == 0, result.output
    [tenant] = tenant_rows(app)
    assert tenant.name == "Mentornettverket Vest"
    assert tenant.settings["retention_months"] == raw["retention_months"]
    assert tenant.status == "past_due"


def test_list_shows_slug_status_and_name(app, runner):
    assert runner.invoke(args=["tenants", "list"]).stdout.strip() == ""
    assert runner.invoke(args=["tenants", "load", str(TENANTS_DIR)]).exit_code == 0

    result = runner.invoke(args=["tenants", "list"])

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(PRESET_PATHS)
    by_slug = {line.split()[0]: line for line in lines}
    for path in PRESET_PATHS:
        preset = read_preset(path)
        line = by_slug[preset.slug]
        assert line.split()[1] == "active"
        assert line.rstrip().endswith(preset.settings.name)


def test_export_of_an_unknown_slug_fails(app, runner):
    result = runner.invoke(args=["tenants", "export", "atlantis"])
    assert result.exit_code == 2
    assert "atlantis" in result.stderr
    assert result.stdout == ""
