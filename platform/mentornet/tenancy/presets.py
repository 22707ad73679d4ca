"""Tenant presets: the TOML files in ``tenants/``, read, validated, stored and exported.

A preset file holds ``slug``, an optional ``domain`` and every :class:`TenantSettings` key
at the top level. Reading never half-succeeds: every problem in a file (and, for a
directory, in every file) is collected and reported before anything is written.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import select

from mentornet.extensions import db
from mentornet.tenancy.models import Tenant, TenantStatus
from mentornet.tenancy.settings_schema import SettingsError, TenantSettings, validate_settings

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,62}$")
DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
FILE_PATH = "(file)"


@dataclass(frozen=True)
class PresetFile:
    """One validated preset: what ``upsert_tenant`` stores and ``export_settings`` writes."""

    slug: str
    domain: str | None
    settings: TenantSettings
    raw: dict[str, Any]


class PresetLoadError(Exception):
    """Problems in one or more files; ``problems`` lists (file, key path, reason)."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {p}: {r}" for f, p, r in problems))


def parse_preset(text: str) -> PresetFile:
    """Parse and validate preset TOML text; raise :class:`SettingsError` with every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([(FILE_PATH, f"not valid TOML: {exc}")]) from None
    return _validate(raw)


def read_preset(path: str | Path) -> PresetFile:
    """Read one preset file; raise :class:`SettingsError` listing (key path, reason)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError([(FILE_PATH, f"cannot be read: {exc}")]) from None
    return parse_preset(text)


def _validate(raw: dict[str, Any]) -> PresetFile:
    """Check slug and domain here and the rest with the schema, so all problems show at once."""
    problems: list[tuple[str, str]] = []
    slug = raw.get("slug")
    if slug is None:
        problems.append(("slug", "missing; every preset names its tenant"))
    elif not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        problems.append(("slug", f"{slug!r} does not match {SLUG_PATTERN.pattern}"))
    domain = raw.get("domain")
    if domain is not None and (not isinstance(domain, str) or not DOMAIN_PATTERN.fullmatch(domain)):
        problems.append(("domain", f"{domain!r} is not a lower-case host name"))
    data = {key: value for key, value in raw.items() if key not in ("slug", "domain")}
    settings: TenantSettings | None = None
    try:
        settings = validate_settings(data)
    except SettingsError as exc:
        problems.extend(exc.problems)
    if problems or settings is None:
        raise SettingsError(problems)
    return PresetFile(slug=slug, domain=domain, settings=settings, raw=raw)


def preset_files(path: str | Path) -> list[Path]:
    """The file itself, or every ``*.toml`` directly inside a directory, in name order."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.glob("*.toml") if p.is_file())
    return [path]


def read_path(path: str | Path) -> list[tuple[Path, PresetFile]]:
    """Read and validate every preset under ``path``; raise :class:`PresetLoadError` if any fail.

    Slugs and domains must also be unique across the files, since they are unique columns.
    """
    files = preset_files(path)
    problems: list[tuple[str, str, str]] = []
    if not files:
        problems.append((str(path), FILE_PATH, "no .toml files in this directory"))
    presets: list[tuple[Path, PresetFile]] = []
    seen: dict[tuple[str, str], Path] = {}
    for file in files:
        try:
            preset = read_preset(file)
        except SettingsError as exc:
            problems.extend((str(file), key, reason) for key, reason in exc.problems)
            continue
        for column in ("slug", "domain"):
            value = getattr(preset, column)
            if value is None:
                continue
            if (column, value) in seen:
                problems.append(
                    (str(file), column, f"{value!r} is already used by {seen[column, value]}")
                )
            seen[column, value] = file
        presets.append((file, preset))
    if problems:
        raise PresetLoadError(problems)
    return presets


def load_path(path: str | Path) -> list[tuple[Tenant, bool]]:
    """Validate every preset under ``path``, then create or update its tenant; no commit.

    Nothing is added to the session unless every file is valid and no domain belongs to
    another tenant, so a failed load leaves the database as it was.
    """
    presets = read_path(path)
    problems: list[tuple[str, str, str]] = []
    for file, preset in presets:
        if preset.domain is None:
            continue
        owner = db.session.scalar(select(Tenant).where(Tenant.domain == preset.domain))
        if owner is not None and owner.slug != preset.slug:
            reason = f"{preset.domain!r} already belongs to tenant {owner.slug!r}"
            problems.append((str(file), "domain", reason))
    if problems:
        raise PresetLoadError(problems)
    return [upsert_tenant(preset) for _, preset in presets]


def upsert_tenant(preset: PresetFile) -> tuple[Tenant, bool]:
    """Create or update the tenant named by ``preset``; return it and whether it is new.

    The status of an existing tenant is left alone (billing owns it), and so is its domain
    when the preset names none: the shipped presets omit it, and reloading them must not
    disconnect a custom domain set up in production.
    """
    settings = preset.settings
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == preset.slug))
    created = tenant is None
    if tenant is None:
        tenant = Tenant(slug=preset.slug, status=TenantStatus.ACTIVE.value)
        db.session.add(tenant)
    tenant.name = settings.name
    tenant.country = settings.country
    tenant.settings = settings.model_dump(mode="json")
    if preset.domain is not None:
        tenant.domain = preset.domain
    return tenant, created


def export_settings(tenant: Tenant) -> str:
    """The tenant as preset TOML: ``slug``, ``domain`` if set, then the settings at top level.

    ``parse_preset`` on the result gives settings equal to the stored ones.
    """
    data: dict[str, Any] = {"slug": tenant.slug}
    if tenant.domain:
        data["domain"] = tenant.domain
    data.update(_drop_empty(tenant.settings or {}))
    return tomli_w.dumps(data)


def _drop_empty(value: Any) -> Any:
    """Drop what TOML cannot say (None) or says badly (an empty table); defaults fill them in."""
    if isinstance(value, Mapping):
        cleaned = {key: _drop_empty(item) for key, item in value.items() if item is not None}
        return {key: item for key, item in cleaned.items() if item != {}}
    if isinstance(value, list | tuple):
        return [_drop_empty(item) for item in value if item is not None]
    return value
