"""Candidates for a mentee, batch runs, and proposing a mentorship."""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for
from flask_babel import gettext as _

from mentornet.accounts.models import STAFF_ROLES
from mentornet.api.blueprint import bp, require_role
from mentornet.api.cycles import mentorship_json
from mentornet.errors import ApiError, json_error
from mentornet.extensions import db
from mentornet.matching import runs as batch
from mentornet.matching import services
from mentornet.matching.models import MatchingRun
from mentornet.matching.sentences import sentence
from mentornet.people import services as people


def person_or_error(participant_id: Any, kind: str, field: str | None = None):
    try:
        participant = people.get_participant(
            int(participant_id), kind, list(g.membership.offices or [])
        )
    except (TypeError, ValueError):
        participant = None
    if participant is None:
        if field:
            raise ApiError(
                422,
                "invalid",
                _("Some fields are not valid."),
                {field: _("No such %(kind)s.", kind=kind)},
            )
        raise ApiError(404, "not_found", _("There is nothing here."))
    return participant


def run_json(run: MatchingRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "status": run.status,
        "stage": run.stage,
        "progress": run.progress,
        "error": run.error,
        "params": run.params,
        "stats": run.stats,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "proposals": [
            {
                "id": p.id,
                "mentee_id": p.mentee_id,
                "mentor_id": p.mentor_id,
                "score": round(p.score, 4),
                "locked": p.locked,
                "status": p.status,
                "mentorship_id": p.mentorship_id,
            }
            for p in run.proposals
        ],
    }


@bp.get("/mentees/<int:participant_id>/candidates")
def candidates(participant_id: int):
    require_role(*STAFF_ROLES)
    mentee = person_or_error(participant_id, "mentee")
    raw = request.args.get("limit", "10")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise ApiError(
            400,
            "invalid_query",
            _("Invalid query parameters."),
            {"limit": _("Must be a whole number from 1 to %(max)d.", max=100)},
        )
    found = services.candidates(mentee, int(raw))
    return {
        "mentee_id": mentee.id,
        "items": [
            {
                "mentor_id": c.mentor.id,
                "name": c.mentor.name,
                "score": round(c.score, 4),
                "explanation": [
                    dict(item, sentence=sentence(reason))
                    for item, reason in zip(
                        services.reasons_json(c.reasons), c.reasons, strict=True
                    )
                ],
            }
            for c in found
        ],
    }


@bp.post("/matching/runs")
def start_run():
    require_role(*STAFF_ROLES)
    payload = request.get_json(silent=True) or {}
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json", _("Send a JSON object."))
    errors = {}
    values = {}
    for name, upper in (("min_score", 1.0), ("waiting_bonus_per_month", 0.1)):
        if payload.get(name) is None:
            continue
        try:
            values[name] = float(payload[name])
            if not 0 <= values[name] <= upper:
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = _("A number from 0 to %(max)s.", max=upper)
    if errors:
        raise ApiError(422, "invalid", _("Some fields are not valid."), errors)
    try:
        run = batch.start(
            by_user_id=g.user.id,
            min_score=values.get("min_score"),
            bonus_per_month=values.get("waiting_bonus_per_month"),
        )
    except batch.RunInProgress as busy:
        busy_id = busy.run.id
        db.session.rollback()
        response, status = json_error(
            409,
            "run_in_progress",
            _("Run %(id)s is still in progress; wait for it or cancel it.", id=busy_id),
        )
        response.headers["Location"] = _run_url(busy_id)
        return response, status
    db.session.commit()  # without Redis the run is computed here, at the commit
    return run_json(run), 202, {"Location": _run_url(run.id)}


def _run_url(run_id: int) -> str:
    return url_for("api.read_run", run_id=run_id)


def _run(run_id: int) -> MatchingRun:
    run = db.session.get(MatchingRun, run_id)
    if run is None:
        raise ApiError(404, "not_found", _("There is nothing here."))
    return run


@bp.get("/matching/runs/<int:run_id>")
def read_run(run_id: int):
    require_role(*STAFF_ROLES)
    return run_json(_run(run_id))


@bp.post("/matching/runs/<int:run_id>/cancel")
def cancel_run(run_id: int):
    require_role(*STAFF_ROLES)
    run = _run(run_id)
    try:
        run = batch.cancel(run)
    except batch.NotCancellable as ended:
        status = ended.run.status
        db.session.rollback()
        raise ApiError(
            409,
            "not_cancellable",
            _(
                "This run has already ended (%(status)s); there is nothing to cancel.",
                status=status,
            ),
        ) from None
    db.session.commit()
    batch.drop_waiting_job(run)
    return run_json(run)


@bp.post("/matching/runs/<int:run_id>/accept")
def accept_run(run_id: int):
    require_role(*STAFF_ROLES)
    run = _run(run_id)
    payload = request.get_json(silent=True) or {}
    ids = payload.get("proposal_ids") if isinstance(payload, dict) else None
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
        raise ApiError(
            422,
            "invalid",
            _("Some fields are not valid."),
            {"proposal_ids": _("A list of proposal ids, or leave it out for all.")},
        )
    created, refused = services.accept(run, ids, g.user.id)
    db.session.commit()
    return {
        "mentorships": [mentorship_json(m) for m in created],
        "refused": [
            {"proposal_id": p.id, "code": exc.code, "message": exc.message} for p, exc in refused
        ],
    }
