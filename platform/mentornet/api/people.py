"""``mentees`` and ``mentors``: list, create, read, update, erase.

Create and update go through the same forms as the web pages, so the rules are one.
"""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_babel import gettext as _

from mentornet.accounts.models import STAFF_ROLES
from mentornet.api.blueprint import bp, require_role
from mentornet.api.pagination import paginate
from mentornet.errors import ApiError
from mentornet.extensions import db
from mentornet.people import export, forms, retention, services
from mentornet.people.models import Participant
from mentornet.tenancy.context import current_tenant

PUBLIC_FIELDS = (
    "id",
    "kind",
    "status",
    "name",
    "email",
    "phone",
    "office",
    "languages",
    "preferred_locale",
    "profession",
    "education_level",
    "education_field",
    "sector",
    "business_stage",
    "interests",
    "story",
    "intake_answers",
)
MENTEE_FIELDS = ("goals", "wishes", "country_of_origin", "arrival_year", "date_of_birth")
MENTOR_FIELDS = ("helps_with", "capacity", "availability", "paused_until")


def participant_json(p: Participant) -> dict[str, Any]:
    fields = PUBLIC_FIELDS + (MENTEE_FIELDS if p.kind == "mentee" else MENTOR_FIELDS)
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(p, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["created_at"] = p.created_at.isoformat()
    data["days_waiting"] = services.days_waiting(p)
    return data


def _offices() -> list[str]:
    return list(g.membership.offices or [])


def _kind(collection: str) -> str:
    return "mentee" if collection == "mentees" else "mentor"


def _payload() -> dict[str, Any]:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json", _("Send a JSON object."))
    return payload


def _one(collection: str, participant_id: int) -> Participant:
    participant = services.get_participant(participant_id, _kind(collection), _offices())
    if participant is None:
        raise ApiError(404, "not_found", _("There is nothing here."))
    return participant


def _invalid(fields: dict[str, str]) -> ApiError:
    return ApiError(422, "invalid", _("Some fields are not valid."), fields)


def _refused(exc: services.PeopleError) -> ApiError:
    if isinstance(exc, services.DuplicateEmail):
        return ApiError(
            409, "conflict", _("Someone with this email is already registered here."), exc.fields
        )
    return _invalid(exc.fields)


def _form_errors(form) -> dict[str, str]:
    return {name: " ".join(str(m) for m in messages) for name, messages in form.errors.items()}


@bp.get("/<any(mentees, mentors):collection>")
def participants_list(collection: str):
    require_role(*STAFF_ROLES)
    args = request.args
    try:
        days = int(args["min_days_waiting"]) if args.get("min_days_waiting") else None
    except ValueError:
        raise ApiError(
            400,
            "invalid_query",
            _("Invalid query parameters."),
            {"min_days_waiting": _("Must be a whole number.")},
        ) from None
    statement = services.search(
        kind=_kind(collection),
        q=args.get("q"),
        status=args.get("status"),
        office=args.get("office"),
        profession=args.get("profession"),
        language=args.get("language"),
        min_days_waiting=days,
        sort=args.get("sort", "-created"),
        offices=_offices(),
    )
    return paginate(statement, participant_json)


@bp.post("/<any(mentees, mentors):collection>")
def participants_create(collection: str):
    require_role(*STAFF_ROLES)
    payload = _payload()
    kind = _kind(collection)
    form = forms.form_from_json(
        forms.build_form_class(current_tenant.config, kind, public=False), payload
    )
    if not form.validate():
        raise _invalid(_form_errors(form))
    consents = []
    if payload.get("consent_recorded") is True:
        locale = form.preferred_locale.data
        consents = [(n, locale) for n in services.notices(locale) if n.required]
    else:
        raise _invalid({"consent_recorded": _("Record that she agreed to the notice (true).")})
    try:
        participant = services.register(
            kind, forms.profile_from_form(form), source="api", consents=consents
        )
    except services.PeopleError as exc:
        db.session.rollback()
        raise _refused(exc) from None
    db.session.commit()
    return participant_json(participant), 201


@bp.get("/<any(mentees, mentors):collection>/<int:participant_id>")
def participants_read(collection: str, participant_id: int):
    require_role(*STAFF_ROLES)
    return participant_json(_one(collection, participant_id))


@bp.patch("/<any(mentees, mentors):collection>/<int:participant_id>")
def participants_update(collection: str, participant_id: int):
    require_role(*STAFF_ROLES)
    participant = _one(collection, participant_id)
    payload = _payload()
    status = payload.pop("status", None)
    form_class = forms.build_form_class(current_tenant.config, participant.kind, public=False)
    form = forms.form_from_json(form_class, payload, partial_from=participant)
    if not form.validate():
        raise _invalid(_form_errors(form))
    try:
        services.update_profile(participant, forms.profile_from_form(form))
        if status is not None:
            services.set_status(participant, str(status))
    except services.PeopleError as exc:
        db.session.rollback()
        raise _refused(exc) from None
    db.session.commit()
    return participant_json(participant)


@bp.delete("/<any(mentees, mentors):collection>/<int:participant_id>")
def participants_erase(collection: str, participant_id: int):
    require_role(*STAFF_ROLES)
    participant = _one(collection, participant_id)
    # As retention does it: her login, her pair's free texts and her mails go too.
    retention.anonymise([participant])
    db.session.commit()
    return "", 204


@bp.get("/people/<int:participant_id>/export")
def participant_export(participant_id: int):
    """Everything held about her, in her language, for an access request (GDPR art. 15).

    ``?interviews=include`` adds the coordinator's interview notes.
    """
    require_role(*STAFF_ROLES)
    participant = services.get_participant(participant_id, offices=_offices())
    if participant is None:
        raise ApiError(404, "not_found", _("There is nothing here."))
    include = request.args.get("interviews", "")
    if include not in ("", "include", "leave_out"):
        raise ApiError(
            400,
            "invalid",
            _("Use interviews=include or interviews=leave_out."),
            {"interviews": _("Use include or leave_out.")},
        )
    return export.export(participant, with_interviews=include == "include")
