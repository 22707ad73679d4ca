"""The message catalogues: complete, current with the code, and safe to format."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
REQUIRED_LOCALES = {"en", "da", "nb", "is", "fi", "sv", "fr", "ar"}

LOCALES = sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))

# A Python %-format placeholder: %(name)s, %d, %.2f, ... (``%%`` is kept to be compared too).
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?"  # mapping key
    r"[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"  # flags, width, precision, length
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _label(msgid: str | tuple[str, ...]) -> str:
    return " / ".join(msgid) if isinstance(msgid, tuple) else msgid


def _forms(message: Message) -> tuple[str, ...]:
    string = message.string
    if isinstance(string, (tuple, list)):
        return tuple(string)
    return (string or "",)


def _placeholders(text: str) -> Counter[tuple[str | None, str]]:
    return Counter((m["name"], m["type"]) for m in PLACEHOLDER.finditer(text))


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(TEMPLATE)


def test_shipped_locales() -> None:
    missing = REQUIRED_LOCALES - set(LOCALES)
    assert not missing, f"missing catalogues for: {', '.join(sorted(missing))}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(locale: str, template: Catalog) -> None:
    catalog = _read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    assert not catalog.fuzzy, f"{locale}: the catalogue header is marked fuzzy"
    problems: list[str] = []
    for expected in _messages(template):
        message = catalog.get(expected.id)
        if message is None:
            problems.append(f"missing: {_label(expected.id)!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {_label(expected.id)!r}")
        forms = _forms(message)
        if message.pluralizable and len(forms) != catalog.num_plurals:
            problems.append(
                f"{len(forms)} plural forms instead of {catalog.num_plurals}: "
                f"{_label(expected.id)!r}"
            )
        if not all(form.strip() for form in forms):
            problems.append(f"untranslated: {_label(expected.id)!r}")
    for message in _messages(catalog):
        if message.fuzzy and message.id not in template:
            problems.append(f"fuzzy: {_label(message.id)!r}")
    assert not problems, f"{locale}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match(locale: str) -> None:
    catalog = _read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    problems: list[str] = []
    for message in _messages(catalog):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = _placeholders(ids[-1])
        for index, form in enumerate(_forms(message)):
            if not form:
                continue
            found = _placeholders(form)
            # A plural form may leave the count out ("one mentor"), but may not add anything.
            if message.pluralizable:
                allowed = set(expected) | set(_placeholders(ids[0]))
                mismatch = not set(found) <= allowed
            else:
                mismatch = found != expected
            if mismatch:
                problems.append(
                    f"{_label(message.id)!r} [{index}]: expected {sorted(expected.elements())}, "
                    f"got {sorted(found.elements())} in {form!r}"
                )
    assert not problems, f"{locale}:\n  " + "\n  ".join(problems)


def test_template_is_current(tmp_path: Path, template: Catalog) -> None:
    """messages.pot holds exactly what the code marks for translation (as `make translations`)."""
    output = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "--no-location",
            "--sort-output",
            "--project",
            "Mentornet",
            "--copyright-holder",
            "Mentornet",
            "-o",
            str(output),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    extracted = {m.id for m in _messages(_read(output))}
    shipped = {m.id for m in _messages(template)}
    missing = sorted(map(_label, extracted - shipped))
    extra = sorted(map(_label, shipped - extracted))
    lines = [f"  not in messages.pot: {msgid!r}" for msgid in missing]
    lines += [f"  no longer in the code: {msgid!r}" for msgid in extra]
    assert not lines, "translations/messages.pot is stale; run `make translations`.\n" + "\n".join(
        lines
    )
