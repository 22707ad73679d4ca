"""Occupation (ISCO-08) and education (ISCED 2011, ISCED-F 2013) classifications.

A participant's profession is stored as an ISCO-08 code and her education as an ISCED
level and field, so that matching, waiting lists and reports compare like with like across
tenants and countries whatever words she used. This module is plain reference data: no
Flask, no database, so the matching engine and the reports can use it anywhere.

The data ship as JSON beside this file and are read through importlib.resources, so they
load the same from a source tree and from an installed wheel.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = [
    "IscoIndex",
    "Occupation",
    "isced_field_label",
    "isced_fields",
    "isced_level_label",
    "isced_levels",
    "isco",
    "normalize",
    "shared_depth",
]

PACKAGE = "mentornet.people.classifications"
FALLBACK_LOCALE = "en"
UNIT_LEVEL = 4

# Language tags people and browsers use for a locale we label under another key.
_LOCALE_ALIASES = {"no": "nb", "nn": "nb"}
# Letters that NFKD leaves whole; folded so that "jordmodre" still finds "jordmødre".
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
_WORD = re.compile(r"\w+")
# Below this length a dropped last letter would match too much ("car" -> "ca...").
_LOOSE_MIN = 5


def normalize(text: str) -> str:
    """Case- and accent-free form of a text, so "Développeur" and "developpeur" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped.translate(_FOLD)


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalize(text)))


def _locale_chain(locale: str | None) -> list[str]:
    """Keys to try for a locale, most specific first, ending in English: "nb-NO" -> nb, en."""
    chain: list[str] = []
    if locale:
        full = locale.strip().replace("-", "_")
        language = full.split("_", 1)[0].lower()
        for key in (full, language, _LOCALE_ALIASES.get(language, "")):
            if key and key not in chain:
                chain.append(key)
    if FALLBACK_LOCALE not in chain:
        chain.append(FALLBACK_LOCALE)
    return chain


def _pick(labels: Mapping[str, str], locale: str | None) -> str:
    """The label in the locale, else English: every entry has English, not every other."""
    for key in _locale_chain(locale):
        text = labels.get(key)
        if text:
            return text
    return labels[FALLBACK_LOCALE]


def _read_json(name: str) -> Any:
    return json.loads(files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))


def shared_depth(a: str, b: str) -> int:
    """How many leading levels two ISCO codes share (0..4).

    An ISCO code's digits are its path (2 > 22 > 222 > 2221), so the common prefix is the
    common ancestry: "2221" and "2222" share 3 levels, "2221" and "5321" none. The matching
    engine's taxonomy criterion scores closeness with it.
    """
    a, b = (a or "").strip(), (b or "").strip()
    depth = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        depth += 1
    return min(depth, UNIT_LEVEL)


@dataclass(frozen=True)
class Occupation:
    """One ISCO-08 group: major (level 1) down to unit group (level 4)."""

    code: str
    level: int
    parent: str | None
    # Not part of equality or hashing: the code identifies the group.
    labels: dict[str, str] = field(compare=False)

    @property
    def is_unit(self) -> bool:
        return self.level == UNIT_LEVEL

    def label(self, locale: str = FALLBACK_LOCALE) -> str:
        """Title in the locale; English when the group has no label in that language."""
        return _pick(self.labels, locale)


@dataclass(frozen=True)
class _Match:
    whole: bool  # every query word is a whole word of the label
    loose: bool  # some query word matched only without its last letter ("nurse" ~ "nursing")
    position: int  # where the first query word matched: earlier reads as more relevant


def _match_words(query: tuple[str, ...], words: tuple[str, ...]) -> _Match | None:
    """Every query word must begin some word of the label; None when one does not."""
    whole, loose = True, False
    position = 0
    for index, token in enumerate(query):
        found = next((i for i, word in enumerate(words) if word.startswith(token)), None)
        if found is None and len(token) >= _LOOSE_MIN:
            stem = token[:-1]
            found = next((i for i, word in enumerate(words) if word.startswith(stem)), None)
            if found is not None:
                loose = True
        if found is None:
            return None
        if token not in words:
            whole = False
        if index == 0:
            position = found
    return _Match(whole=whole and not loose, loose=loose, position=position)


class IscoIndex:
    """The ISCO-08 hierarchy with look-ups by code and a search for the occupation picker."""

    def __init__(self, groups: list[Occupation]) -> None:
        self._by_code: dict[str, Occupation] = {
            group.code: group for group in sorted(groups, key=lambda g: g.code)
        }
        self._children: dict[str | None, list[Occupation]] = {}
        for group in self._by_code.values():
            if group.parent is not None and group.parent not in self._by_code:
                raise ValueError(f"ISCO group {group.code} has unknown parent {group.parent}")
            self._children.setdefault(group.parent, []).append(group)
        # Words of every label, normalised once: search runs on each keystroke of the picker.
        self._words: dict[str, dict[str, tuple[str, ...]]] = {
            group.code: {key: _words(text) for key, text in group.labels.items()}
            for group in self._by_code.values()
        }

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Occupation]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._by_code

    def get(self, code: str | None) -> Occupation | None:
        """The group with this code, or None; codes are strings ("0110" keeps its zero)."""
        if not code:
            return None
        return self._by_code.get(code.strip())

    def is_valid_unit(self, code: str | None) -> bool:
        """True for an existing 4-digit unit group, the only level a profession is stored at."""
        group = self.get(code)
        return group is not None and group.is_unit

    def ancestors(self, code: str | None) -> list[Occupation]:
        """The groups above a code, major group first, without the code itself."""
        group = self.get(code)
        chain: list[Occupation] = []
        while group is not None and group.parent is not None:
            group = self._by_code[group.parent]
            chain.append(group)
        chain.reverse()
        return chain

    def children(self, code: str | None = None) -> list[Occupation]:
        """The groups one level below a code; the 10 major groups for None."""
        key = code.strip() if code else None
        return list(self._children.get(key, []))

    shared_depth = staticmethod(shared_depth)

    def search(
        self, query: str, locale: str = FALLBACK_LOCALE, limit: int = 20
    ) -> list[Occupation]:
        """Groups whose code or title matches what a person typed, best first.

        Digits match codes by prefix; words match the beginnings of title words in the
        person's language and in English (which every group has), ignoring case and
        accents. Unit groups come first, since a profession is stored as a unit group:
        those matching whole words, then the rest, then the broader groups.
        """
        tokens = _words(query or "")
        if not tokens or limit <= 0:
            return []
        digits = [token for token in tokens if token.isdigit()]
        text = tuple(token for token in tokens if not token.isdigit())
        locales = _locale_chain(locale)
        ranked: list[tuple[tuple[int, ...], str, Occupation]] = []
        for group in self._by_code.values():
            if not all(group.code.startswith(prefix) for prefix in digits):
                continue
            exact_code = any(group.code == prefix for prefix in digits)
            whole, loose, locale_rank, length, position = exact_code, False, 0, 0, 0
            if text:
                words = self._words[group.code]
                found = [
                    (not match.whole, rank, len(words[key]), match.position, match.loose)
                    for rank, key in enumerate(locales)
                    if key in words and (match := _match_words(text, words[key])) is not None
                ]
                if not found:
                    continue
                not_whole, locale_rank, length, position, loose = min(found)
                whole = not not_whole
            # Units before broader groups; within each, whole words before beginnings.
            tier = (0 if group.is_unit else 2) + (0 if whole else 1)
            # Shorter titles and earlier hits read as closer to what was typed.
            key = (int(not exact_code), tier, locale_rank, length, position, int(loose))
            ranked.append((key, group.code, group))
        ranked.sort(key=lambda item: item[:2])
        return [group for _, _, group in ranked[:limit]]


@cache
def isco() -> IscoIndex:
    """The ISCO-08 index, read once per process."""
    data = _read_json("isco08.json")
    return IscoIndex(
        [
            Occupation(
                code=group["code"],
                level=group["level"],
                parent=group["parent"],
                labels=dict(group["label"]),
            )
            for group in data["groups"]
        ]
    )


@cache
def _isced() -> tuple[dict[int, dict[str, str]], dict[str, dict[str, str]]]:
    data = _read_json("isced.json")
    levels = {int(entry["code"]): dict(entry["label"]) for entry in data["levels"]}
    fields = {str(entry["code"]): dict(entry["label"]) for entry in data["fields"]}
    return levels, fields


def _field_code(code: str | int) -> str:
    # Field codes are two digits ("04"); a form or an integer may hand us 4.
    text = str(code).strip()
    return text.zfill(2) if text.isdigit() else text


def isced_levels(locale: str = FALLBACK_LOCALE) -> list[tuple[int, str]]:
    """ISCED 2011 levels 0..8 as (code, label) for a form's choices, in order."""
    levels, _ = _isced()
    return [(code, _pick(labels, locale)) for code, labels in sorted(levels.items())]


def isced_fields(locale: str = FALLBACK_LOCALE) -> list[tuple[str, str]]:
    """ISCED-F 2013 broad fields "00".."10" as (code, label) for a form's choices, in order."""
    _, fields = _isced()
    return [(code, _pick(labels, locale)) for code, labels in sorted(fields.items())]


def isced_level_label(code: int | str, locale: str = FALLBACK_LOCALE) -> str:
    """Label of an ISCED level; KeyError for a code that is not a level."""
    levels, _ = _isced()
    try:
        labels = levels[int(code)]
    except (TypeError, ValueError):
        raise KeyError(code) from None
    return _pick(labels, locale)


def isced_field_label(code: str | int, locale: str = FALLBACK_LOCALE) -> str:
    """Label of an ISCED-F broad field; KeyError for a code that is not a field."""
    _, fields = _isced()
    return _pick(fields[_field_code(code)], locale)
