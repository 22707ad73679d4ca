"""Locale and text direction.

The chain, as in CTFd but always within the tenant's own locales: the user's choice (the
language switcher, kept on her account and in her session), then ``?lang=``, then the
tenant's default. Outside a tenant (the platform pages) the browser's preference counts
before the default.
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale

from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import localized


def translation_directories() -> list[str]:
    """Compiled catalogues: inside the installed package first, then the source tree."""
    package_dir = Path(__file__).resolve().parent
    candidates = [package_dir / "translations", package_dir.parent.parent / "translations"]
    return [str(p) for p in candidates if p.is_dir()] or [str(candidates[-1])]


def allowed_locales() -> list[str]:
    tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]
    if tenant is not None:
        return tenant.locales
    return list(current_app.config["SUPPORTED_LOCALES"])


def select_locale() -> str:
    allowed = allowed_locales()
    if not has_request_context():
        return allowed[0]
    user = g.get("user")
    for choice in (
        session.get("locale"),
        getattr(user, "locale", None),
        request.args.get("lang"),
    ):
        if choice in allowed:
            return choice
    if current_tenant._get_current_object() is None:  # type: ignore[attr-defined]
        best = request.accept_languages.best_match(allowed)
        if best:
            return best
    return allowed[0]


def select_timezone() -> str | None:
    return None  # the configured BABEL_DEFAULT_TIMEZONE


def text_direction() -> str:
    locale = get_locale()
    return locale.text_direction if locale is not None else "ltr"


def locale_name(code: str) -> str:
    """A language's name in that language: 'dansk', 'العربية'."""
    return Locale.parse(code).get_display_name(code) or code


def local_text(text: dict[str, str] | None) -> str:
    """A tenant's text in the reader's language, else the tenant's default, else any."""

    if not text:
        return ""
    locale = get_locale()
    tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]
    default = tenant.default_locale if tenant is not None else "en"
    return localized(text, str(locale) if locale is not None else default, default)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import format_date, format_datetime, format_number, format_percent

    from mentornet.accounts.labels import role_label, role_label_plural
    from mentornet.tenancy.labels import tenant_status_label
    from mentornet.tenancy.navigation import settings_pages

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_datetime,
        format_number=format_number,
        format_percent=format_percent,
        role_label=role_label,
        role_label_plural=role_label_plural,
        settings_pages=settings_pages,
        tenant_status_label=tenant_status_label,
    )

    @app.context_processor
    def _i18n_context() -> dict[str, object]:
        locale = get_locale()
        code = str(locale) if locale is not None else "en"
        tenant = current_tenant._get_current_object()  # type: ignore[attr-defined]

        return {
            "current_tenant": tenant,
            "locale_code": code,
            "text_direction": text_direction(),
            "locale_choices": [(c, locale_name(c)) for c in allowed_locales()],
            "local": local_text,
        }
