"""The admin's list of the programme's own texts still missing in one of its languages."""

from __future__ import annotations

from itertools import groupby

from flask import render_template

from mentornet.accounts.current import roles_required
from mentornet.tenancy import editing
from mentornet.tenancy.form_parts import language_name
from mentornet.tenancy.translation_gaps import missing_translations
from mentornet.tenancy.views import bp, tenant


@bp.get("/translations")
@roles_required("admin")
def translations():
    settings = editing.current_settings(tenant())
    gaps = sorted(
        missing_translations(settings), key=lambda gap: settings["locales"].index(gap.locale)
    )
    by_locale = [
        (locale, language_name(locale), list(items))
        for locale, items in groupby(gaps, key=lambda gap: gap.locale)
    ]
    return render_template(
        "settings/translations.html",
        by_locale=by_locale,
        default_language=language_name(settings["locales"][0]),
        languages=[language_name(code) for code in settings["locales"][1:]],
    )
