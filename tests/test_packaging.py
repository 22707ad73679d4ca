"""The built wheel carries compiled catalogues: an installed Mentornet speaks every language."""

from __future__ import annotations

import gettext
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCALES = sorted(p.parent.parent.name for p in (ROOT / "translations").glob("*/LC_MESSAGES/*.po"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    [built] = out.glob("mentornet-*.whl")
    return zipfile.ZipFile(built)


def test_every_shipped_locale_is_compiled_into_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for locale in LOCALES:
        assert f"mentornet/translations/{locale}/LC_MESSAGES/messages.mo" in names
    # Only compiled catalogues go in: the sources stay in the repository.
    assert not [n for n in names if n.endswith((".po", ".pot"))]


@pytest.mark.parametrize(("locale", "expected"), [("da", "Log ind"), ("ar", "تسجيل الدخول")])
def test_the_compiled_catalogues_translate(wheel: zipfile.ZipFile, locale: str, expected: str):
    data = wheel.read(f"mentornet/translations/{locale}/LC_MESSAGES/messages.mo")
    catalogue = gettext.GNUTranslations(io.BytesIO(data))
    assert catalogue.gettext("Log in") == expected
