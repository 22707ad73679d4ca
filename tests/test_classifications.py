"""ISCO-08 and ISCED reference data: complete, consistent, searchable the way people type."""

from __future__ import annotations

import ast
import json
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from mentornet.people import classifications
from mentornet.people.classifications import (
    Occupation,
    isced_field_label,
    isced_fields,
    isced_level_label,
    isced_levels,
    isco,
    normalize,
    shared_depth,
)

LOCALES = ("en", "da", "nb", "is", "fi", "sv", "fr", "ar")
PACKAGE = "mentornet.people.classifications"


def raw(name: str) -> dict:
    return json.loads(files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))


def codes(results) -> list[str]:
    return [group.code for group in results]


# --- ISCO-08: the hierarchy ---------------------------------------------------------------


def test_isco_has_every_group_of_each_level():
    assert Counter(group.level for group in isco()) == {1: 10, 2: 43, 3: 130, 4: 436}
    assert len(isco()) == 619


def test_isco_file_has_no_duplicate_codes():
    data = raw("isco08.json")
    assert data["version"] == "ISCO-08"
    listed = [group["code"] for group in data["groups"]]
    assert len(listed) == len(set(listed)) == 619


def test_isco_hierarchy_is_consistent():
    index = isco()
    for group in index:
        assert group.code.isdigit()
        assert group.level == len(group.code)
        if group.level == 1:
            assert group.parent is None
            continue
        parent = index.get(group.parent)
        assert parent is not None, group.code
        assert parent.level == group.level - 1
        assert group.code[:-1] == parent.code
        assert group in index.children(parent.code)
    # Every group above unit level has something under it; units have nothing.
    for group in index:
        assert bool(index.children(group.code)) == (group.level < 4), group.code


def test_every_group_has_an_english_title_and_the_top_levels_four_more_languages():
    for group in isco():
        assert group.labels["en"].strip(), group.code
        if group.level <= 2:
            for locale in ("da", "nb", "fr", "ar"):
                assert group.labels.get(locale, "").strip(), (group.code, locale)


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("2221", "Nursing professionals"),
        ("2512", "Software developers"),
        ("2211", "Generalist medical practitioners"),
        ("3221", "Nursing associate professionals"),
        ("5120", "Cooks"),
        ("9112", "Cleaners and helpers in offices, hotels and other establishments"),
        ("0110", "Commissioned armed forces officers"),
        ("1120", "Managing directors and chief executives"),
    ],
)
def test_known_official_titles(code, title):
    assert isco().get(code).label("en") == title


def test_codes_are_strings_that_keep_their_leading_zero():
    index = isco()
    assert index.get("0110").parent == "011"
    assert index.get("110") is None
    assert index.get(" 2221 ").code == "2221"
    assert index.get("") is None
    assert index.get(None) is None
    assert "0110" in index
    assert "9999" not in index


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("2221", True),
        ("0110", True),
        ("222", False),
        ("22", False),
        ("2", False),
        ("9999", False),
        ("22210", False),
        ("", False),
        (None, False),
        ("abcd", False),
    ],
)
def test_only_existing_unit_groups_are_valid_professions(code, valid):
    assert isco().is_valid_unit(code) is valid


def test_ancestors_run_from_the_major_group_down():
    assert codes(isco().ancestors("2221")) == ["2", "22", "222"]
    assert codes(isco().ancestors("222")) == ["2", "22"]
    assert isco().ancestors("2") == []
    assert isco().ancestors("9999") == []


def test_children_one_level_down():
    assert codes(isco().children()) == [str(n) for n in range(10)]
    assert codes(isco().children("222")) == ["2221", "2222"]
    assert codes(isco().children("01")) == ["011"]
    assert isco().children("2221") == []
    assert isco().children("9999") == []


def test_the_index_is_loaded_once():
    assert isco() is isco()


def test_occupations_compare_and_hash_by_code():
    same = Occupation(code="2221", level=4, parent="222", labels={"en": "anything"})
    assert isco().get("2221") == same
    assert len({isco().get("2221"), isco().get("2221"), isco().get("2222")}) == 2


# --- ISCO-08: labels per locale -------------------------------------------------------------


def test_label_falls_back_to_english_where_a_language_has_no_title():
    software = isco().get("2512")
    assert "da" not in software.labels
    assert software.label("da") == software.label("en") == "Software developers"
    assert software.label("xx") == "Software developers"


def test_label_in_the_locale_when_there_is_one():
    professionals = isco().get("2")
    assert professionals.label("nb") == professionals.labels["nb"]
    assert professionals.label("nb") != professionals.label("en")
    # Region tags and the generic Norwegian tag find the Bokmål label.
    assert professionals.label("nb-NO") == professionals.label("nb_NO") == professionals.label("nb")
    assert professionals.label("no") == professionals.label("nb")


# --- ISCO-08: search -------------------------------------------------------------------------


def test_search_by_word_prefix_puts_unit_groups_first():
    results = isco().search("nurs")
    found = codes(results)
    assert "2221" in found and "3221" in found
    assert "222" in found  # broader groups are offered too, after the units
    units = [group.level == 4 for group in results]
    assert units == sorted(units, reverse=True), found


def test_search_puts_whole_word_matches_first():
    # "office" is a whole word of these two; "officers" and "offices" only begin with it.
    found = codes(isco().search("office", limit=50))
    assert set(found[:2]) == {"3341", "4110"}
    assert "0110" in found[2:]
    assert "9112" in found[2:]


def test_search_tolerates_a_final_letter_the_title_does_not_have():
    # People type "nurse"; the ILO's title says "Nursing".
    assert codes(isco().search("nurse"))[:2] == ["2221", "3221"]


def test_search_needs_every_word():
    found = codes(isco().search("software dev"))
    assert found[0] == "2512"
    assert "2511" not in found


def test_search_ignores_case():
    assert codes(isco().search("NURSING")) == codes(isco().search("nursing"))


def test_search_in_danish_finds_danish_titles():
    results = isco().search("sygeplej", "da")
    assert codes(results)[0] == "2221"
    assert "222" in codes(results)
    assert all(group.label("da").lower().startswith("sygeplej") for group in results)
    # Danish words are searched only for Danish speakers.
    assert isco().search("sygeplej", "en") == []


def test_search_in_another_language_also_searches_english():
    found = codes(isco().search("nurs", "da"))
    assert "3221" in found  # no Danish title: found through its English one
    assert found.index("2221") < found.index("3221")


def test_search_by_code_prefix():
    results = isco().search("25")
    found = codes(results)
    assert found[0] == "25"
    assert all(code.startswith("25") for code in found)
    expected_units = {g.code for g in isco() if g.level == 4 and g.code.startswith("25")}
    assert {g.code for g in results if g.level == 4} == expected_units
    assert codes(isco().search("2512")) == ["2512"]


def test_search_combines_a_code_prefix_with_words():
    assert codes(isco().search("25 software")) == ["2512", "2519", "251"]


def test_search_ignores_accents():
    assert normalize("Développeur") == normalize("developpeur") == "developpeur"
    plain = codes(isco().search("specialistes sante", "fr"))
    accented = codes(isco().search("Spécialistes Santé", "fr"))
    assert plain == accented
    assert "22" in plain
    assert codes(isco().search("medecins generalistes", "fr")) == ["2211"]


def test_search_folds_nordic_letters_and_arabic_vowel_marks():
    assert "2222" in codes(isco().search("jordmodre", "nb"))
    assert "2222" in codes(isco().search("JORDMØDRE", "nb"))
    assert "2221" in codes(isco().search("التَّمريض", "ar"))


@pytest.mark.parametrize("query", ["", "   ", "!?", "zzzzqx"])
def test_search_without_anything_to_match_finds_nothing(query):
    assert isco().search(query) == []


def test_search_respects_the_limit():
    assert len(isco().search("workers", limit=5)) == 5
    assert isco().search("nurs", limit=0) == []


# --- ISCO-08: closeness for matching --------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "depth"),
    [
        ("2221", "2222", 3),
        ("2221", "2310", 1),
        ("2221", "5321", 0),
        ("2221", "2221", 4),
        ("2221", "2261", 2),
        ("0110", "0210", 1),
        ("22", "2221", 2),
        ("", "2221", 0),
    ],
)
def test_shared_depth(a, b, depth):
    assert shared_depth(a, b) == depth
    assert shared_depth(b, a) == depth
    assert isco().shared_depth(a, b) == depth


# --- ISCED ---------------------------------------------------------------------------------


def test_isced_levels_zero_to_eight_in_order():
    assert [code for code, _ in isced_levels()] == list(range(9))


def test_isced_fields_are_the_eleven_broad_fields():
    assert [code for code, _ in isced_fields()] == [f"{n:02d}" for n in range(11)]


@pytest.mark.parametrize("part", ["levels", "fields"])
def test_isced_has_every_label_in_every_locale(part):
    for entry in raw("isced.json")[part]:
        assert set(entry["label"]) == set(LOCALES), entry["code"]
        for locale, text in entry["label"].items():
            assert text.strip() == text and text, (entry["code"], locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_isced_choices_are_distinct_in_every_locale(locale):
    # Two choices reading the same would make a sign-up form ambiguous.
    levels = [label for _, label in isced_levels(locale)]
    fields = [label for _, label in isced_fields(locale)]
    assert len(set(levels)) == 9
    assert len(set(fields)) == 11


def test_isced_labels_follow_the_locale():
    assert isced_level_label(6, "da") == "Bachelor eller tilsvarende"
    assert isced_level_label(6, "da") != isced_level_label(6, "en")
    assert isced_level_label("6", "da") == dict(isced_levels("da"))[6]
    assert isced_field_label("04", "fr") == dict(isced_fields("fr"))["04"]
    assert isced_field_label(4, "fr") == isced_field_label("04", "fr")


def test_isced_labels_fall_back_to_english():
    assert isced_level_label(7, "de") == isced_level_label(7, "en")
    assert isced_field_label("09", "de") == isced_field_label("09", "en")
    assert dict(isced_levels("de")) == dict(isced_levels("en"))
    assert isced_level_label(6, "nb-NO") == isced_level_label(6, "nb")


@pytest.mark.parametrize("code", [9, -1, "x", None])
def test_unknown_isced_level_is_a_key_error(code):
    with pytest.raises(KeyError):
        isced_level_label(code)


@pytest.mark.parametrize("code", ["11", "4a", ""])
def test_unknown_isced_field_is_a_key_error(code):
    with pytest.raises(KeyError):
        isced_field_label(code)


# --- the module stays plain Python -----------------------------------------------------------


def test_the_module_imports_neither_flask_nor_a_database():
    tree = ast.parse(Path(classifications.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy", "mentornet"}
