"""Matching settings: criteria, weights and thresholds, with a preview that ranks a sample
mentee's candidates under the proposed weights beside the current ones, saving nothing.

The mentors' names are shown: the page is the tenant's admin's, and they are her data.
"""

from __future__ import annotations

from flask import request
from flask_babel import get_locale

from mentornet.accounts.current import roles_required
from mentornet.matching import services as matching_service
from mentornet.matching.preview import Comparison, compare
from mentornet.people.models import Participant
from mentornet.tenancy import editing
from mentornet.tenancy import settings_forms as pages
from mentornet.tenancy.form_errors import place_errors
from mentornet.tenancy.form_parts import row_action
from mentornet.tenancy.settings_schema import SettingsError, TenantSettings, validate_settings
from mentornet.tenancy.views import bp, make_form, page, store, tenant

PREVIEW_TOP = 10
SAMPLE_CHOICES = 200  # mentees offered as samples: the longest waiting list stays usable


def _sample_mentee(waiting: list[Participant]) -> Participant | None:
    """The mentee picked in the form, if she is waiting; else the first on the list."""
    wanted = request.values.get("mentee", type=int)
    chosen = next((m for m in waiting if m.id == wanted), None)
    return chosen or (waiting[0] if waiting else None)


def _preview(
    mentee: Participant, proposed: TenantSettings
) -> tuple[Comparison, dict[int, Participant]]:
    """Her candidates ranked now and under ``proposed``, and the mentors by id to name them."""
    current = matching_service.ranked_mentors(mentee)
    after = matching_service.ranked_mentors(mentee, settings=proposed)
    people = {mentor.id: mentor for mentor, _score in [*current, *after]}
    comparison = compare(
        [(m.id, score) for m, score in current],
        [(m.id, score) for m, score in after],
        top=PREVIEW_TOP,
    )
    return comparison, people


@bp.route("/matching", methods=["GET", "POST"])
@roles_required("admin")
def matching():
    settings = editing.current_settings(tenant())
    locales = list(settings["locales"])
    intake_fields = pages.intake_field_choices(settings, str(get_locale() or locales[0]))
    form_class = pages.matching_form_class(locales, intake_fields)
    form = make_form(form_class, pages.matching_data(settings, locales))
    waiting = matching_service.waiting_mentees()
    mentee = _sample_mentee(waiting)
    samples = waiting[:SAMPLE_CHOICES]
    if mentee is not None and mentee not in samples:
        samples.append(mentee)
    context = {"waiting": samples, "mentee": mentee, "top": PREVIEW_TOP}
    if not form.validate_on_submit():
        return page("matching.html", form, **context)
    action = row_action(request.form.get("action"))
    data, places = pages.matching_settings(form, settings, locales, action)
    if "preview" not in request.form:
        return store(form, data, places, "matching") or page("matching.html", form, **context)
    try:
        proposed = validate_settings(data)
    except SettingsError as exc:
        place_errors(form, exc.problems, places)
        return page("matching.html", form, **context)
    if mentee is not None:
        context["comparison"], context["people"] = _preview(mentee, proposed)
    return page("matching.html", form, status=200, previewing=True, **context)
