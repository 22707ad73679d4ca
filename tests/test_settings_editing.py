"""The settings service: validation, differences by key path, history, and the rules that
protect data already stored (offices in use, answered questions, phases pairs are in)."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from mentornet.extensions import db
from mentornet.matching.preview import compare
from mentornet.tenancy.context import with_tenant
from mentornet.tenancy.editing import (
    apply_settings,
    current_settings,
    diff_settings,
    set_locales,
)
from mentornet.tenancy.models import SettingsChange, Tenant
from mentornet.tenancy.settings_schema import SettingsError
from tests.factories import settings_data
from tests.people_helpers import add_participant


def _tenant(slug: str) -> Tenant:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def _criteria(weights: dict[str, float]) -> list[dict]:
    labels = {"da": "x", "en": "x"}
    fields = {"profession": "taxonomy", "languages": "overlap", "goals": "overlap"}
    return [
        {"key": key, "field": key, "kind": fields[key], "weight": weight, "label": labels}
        for key, weight in weights.items()
    ]


# --- differences ---------------------------------------------------------------------------


def test_a_weight_change_is_named_by_the_criterion_key_not_its_place():
    before = {"matching": {"criteria": _criteria({"languages": 1, "profession": 3})}}
    after = copy.deepcopy(before)
    after["matching"]["criteria"][1]["weight"] = 5
    assert diff_settings(before, after) == [
        {"path": "matching.criteria[profession].weight", "before": 3, "after": 5}
    ]


def test_a_reorder_reads_as_one_reorder():
    before = {"offices": [{"key": "north", "name": {"da": "N"}}, {"key": "south", "name": {}}]}
    after = {"offices": list(reversed(before["offices"]))}
    assert diff_settings(before, after) == [
        {
            "path": "offices",
            "kind": "order",
            "before": ["north", "south"],
            "after": ["south", "north"],
        }
    ]


def test_added_and_removed_items_are_named_by_key():
    north = {"key": "north", "name": {"da": "N"}}
    east = {"key": "east", "name": {"da": "E"}}
    changes = diff_settings({"offices": [north]}, {"offices": [east]})
    assert {"path": "offices[north]", "before": north, "after": None} in changes
    assert {"path": "offices[east]", "before": None, "after": east} in changes
    assert all(c.get("kind") != "order" for c in changes)  # nothing kept, so no reorder


def test_texts_and_plain_lists_are_compared_by_value():
    before = {"target_group": {"da": "A"}, "locales": ["da"], "values": [{"title": {"da": "T"}}]}
    after = {
        "target_group": {"da": "B"},
        "locales": ["da", "en"],
        "values": [{"title": {"da": "U"}}],
    }
    assert diff_settings(before, after) == [
        {"path": "target_group.da", "before": "A", "after": "B"},
        {"path": "locales", "before": ["da"], "after": ["da", "en"]},
        {"path": "values[0].title.da", "before": "T", "after": "U"},
    ]


def test_switching_a_language_off_drops_its_texts_everywhere():
    data = set_locales(settings_data("Alpha", ("da", "en")), ["da"])
    assert data["locales"] == ["da"]
    assert data["target_group"] == {"da": "Newcomers served by Alpha [da]"}
    assert data["offices"][0]["name"] == {"da": "North office [da]"}
    assert data["intake_questions"][2]["choices"][0]["label"] == {"da": "Low [da]"}


# --- saving --------------------------------------------------------------------------------


def test_a_saved_change_is_stored_with_who_when_and_what(app, tenants):
    with app.app_context():
        tenant = _tenant("alpha")
        with with_tenant(tenant):
            data = current_settings(tenant)
            data["name"] = "Alpha Mentors"
            data["matching"]["criteria"][0]["weight"] = 5
            change = apply_settings(tenant, data, "api", tenants[0].user_ids["admin"])
            db.session.commit()
            assert tenant.name == "Alpha Mentors"
            assert tenant.config.matching.criteria[0].weight == 5
            stored = db.session.scalars(select(SettingsChange)).all()
        assert [c.id for c in stored] == [change.id]
        assert change.user_id == tenants[0].user_ids["admin"]
        assert change.section == "api"
        assert change.created_at is not None
        assert change.before["name"] == "Alpha"
        assert {c["path"]: (c["before"], c["after"]) for c in change.changes} == {
            "name": ("Alpha", "Alpha Mentors"),
            "matching.criteria[profession].weight": (3.0, 5.0),
        }


def test_saving_the_same_settings_stores_nothing(app, tenants):
    with app.app_context():
        tenant = _tenant("alpha")
        with with_tenant(tenant):
            # The factory stored them without defaults; filling those in is no change.
            assert apply_settings(tenant, tenant.settings, "api", None) is None
            assert db.session.scalars(select(SettingsChange)).all() == []


def test_invalid_settings_name_each_problem_and_store_nothing(app, tenants):
    with app.app_context():
        tenant = _tenant("alpha")
        with with_tenant(tenant):
            data = current_settings(tenant)
            data["offices"][1]["key"] = "north"
            del data["target_group"]["da"]
            with pytest.raises(SettingsError) as raised:
                apply_settings(tenant, data, "api", None)
            paths = dict(raised.value.problems)
            assert "appears twice" in paths["offices[1].key"]
            assert "default locale 'da' is missing" in paths["target_group"]
            db.session.rollback()
            assert [o.key for o in tenant.config.offices] == ["north", "south"]
            assert db.session.scalars(select(SettingsChange)).all() == []


def test_an_office_in_use_cannot_be_removed_but_an_empty_one_can(app, tenants):
    add_participant(app, "alpha", office="north")
    with app.app_context():
        tenant = _tenant("alpha")
        with with_tenant(tenant):
            data = current_settings(tenant)
            data["offices"] = [o for o in data["offices"] if o["key"] != "north"]
            with pytest.raises(SettingsError) as raised:
                apply_settings(tenant, data, "offices", None)
            [(path, reason)] = raised.value.problems
            assert path == "offices[north]"
            assert "1 participant(s)" in reason
            data = current_settings(tenant)
            data["offices"] = [o for o in data["offices"] if o["key"] != "south"]
            apply_settings(tenant, data, "offices", None)
            assert [o.key for o in tenant.config.offices] == ["north"]


def test_an_office_a_coordinator_is_limited_to_cannot_be_removed(app, tenants):
    from mentornet.accounts.models import Membership

    with app.app_context():
        tenant = _tenant("alpha")
        with with_tenant(tenant):
            coordinator = db.session.get(Membership, tenants[0].member_ids["coordinator"])
            coordinator.offices = ["south"]
            db.session.flush()
            data = current_settings(tenant)
            data["offices"] = data["offices"][:1]
            with pytest.raises(SettingsError) as raised:
                apply_settings(tenant, data, "offices", None)
            assert "1 staff member(s)" in dict(raised.value.problems)["offices[south]"]


def test_an_answered_question_can_be_retired_but_not_deleted_or_changed_in_kind(app, tenants):
    add_participant(app, "alpha", intake_answers={"hobby": "Chess"})
    with app.app_context():
        tenant = _tenant("alpha")
        with with_tenant(tenant):
            data = current_settings(tenant)
            data["intake_questions"] = [q for q in data["intake_questions"] if q["key"] != "hobby"]
            with pytest.raises(SettingsError) as raised:
                apply_settings(tenant, data, "intake", None)
            assert "retire it instead" in dict(raised.value.problems)["intake_questions[hobby]"]

            data = current_settings(tenant)
            data["intake_questions"][0]["kind"] = "long_text"
            with pytest.raises(SettingsError) as raised:
                apply_settings(tenant, data, "intake", None)
            assert "cannot change" in dict(raised.value.problems)["intake_questions[0].kind"]

            data = current_settings(tenant)
            data["intake_questions"][0]["retired"] = True
            change = apply_settings(tenant, data, "intake", None)
            assert change.changes == [
                {"path": "intake_questions[hobby].retired", "before": False, "after": True}
            ]


def test_new_wording_of_a_consent_notice_needs_a_new_version(app, tenants):
    with app.app_context():
        tenant = _tenant("alpha")
        with with_tenant(tenant):
            data = current_settings(tenant)
            notice = {
                "purpose": "programme",
                "version": "1",
                "required": True,
                "title": {"da": "Samtykke"},
                "text": {"da": "Vi gemmer dine svar."},
            }
            data["consent_notices"] = [notice]
            apply_settings(tenant, data, "privacy", None)
            data = current_settings(tenant)
            data["consent_notices"][0]["text"] = {"da": "Vi gemmer dine svar i tre år."}
            with pytest.raises(SettingsError) as raised:
                apply_settings(tenant, data, "privacy", None)
            assert "new version" in dict(raised.value.problems)["consent_notices[0].version"]
            data["consent_notices"][0]["version"] = "2"
            apply_settings(tenant, data, "privacy", None)
            assert tenant.config.consent_notices[0].version == "2"


def test_a_phase_pairs_are_in_cannot_be_removed(app, tenants):
    from mentornet.cycles.models import Mentorship

    mentee = add_participant(app, "alpha", status="matched")
    mentor = add_participant(app, "alpha", kind="mentor", status="matched")
    with app.app_context():
        tenant = _tenant("alpha")
        with with_tenant(tenant):
            db.session.add(
                Mentorship(mentee_id=mentee, mentor_id=mentor, state="active", phase="start")
            )
            db.session.flush()
            data = current_settings(tenant)
            data["cycle"]["phases"] = [
                {"key": "first", "name": {"da": "Første"}, "months": 6},
            ]
            with pytest.raises(SettingsError) as raised:
                apply_settings(tenant, data, "cycle", None)
            assert "1 mentorship(s)" in dict(raised.value.problems)["cycle.phases[start]"]


# --- the weights preview -------------------------------------------------------------------


def test_compare_says_who_moved_up_down_or_is_new():
    current = [(1, 0.9), (2, 0.8), (3, 0.7), (4, 0.2)]
    proposed = [(3, 0.95), (1, 0.9), (4, 0.85), (2, 0.1)]
    result = compare(current, proposed, top=3)
    assert [(p.mentor_id, p.rank, p.other_rank, p.movement) for p in result.proposed] == [
        (3, 1, 3, "up"),
        (1, 2, 1, "down"),
        (4, 3, 4, "new"),  # fourth before: not in the top three
    ]
    assert result.proposed[0].places == 2
    assert [p.mentor_id for p in result.current] == [1, 2, 3]
    assert result.changed


def test_compare_with_no_change_says_so():
    ranking = [(1, 0.9), (2, 0.8)]
    result = compare(ranking, ranking)
    assert not result.changed
    assert {p.movement for p in result.proposed} == {"same"}
