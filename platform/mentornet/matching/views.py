"""The coordinator's match page for one mentee, and batch runs over the waiting list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mentornet.accounts.current import roles_required
from mentornet.accounts.models import STAFF_ROLES
from mentornet.cycles.access import CycleError
from mentornet.cycles.models import OPEN_STATES, Mentorship
from mentornet.extensions import db
from mentornet.matching import runs as batch
from mentornet.matching import services
from mentornet.matching.models import MatchExclusion, MatchingRun
from mentornet.matching.run_labels import progress_text, run_stage, run_status
from mentornet.matching.sentences import sentence
from mentornet.people import services as people
from mentornet.people.models import Participant
from mentornet.tenancy.context import current_tenant
from mentornet.tenancy.settings_schema import localized

bp = Blueprint("matching", __name__, url_prefix="/<tenant>")

PROPOSAL_STATUS = {
    "open": _l("Open"),
    "accepted": _l("Accepted"),
    "rejected": _l("Not taken"),
    "stale": _l("No longer possible"),
}


@bp.app_template_global()
def proposal_status(status: str) -> str:
    return str(PROPOSAL_STATUS.get(status, status))


bp.add_app_template_global(run_status)
bp.add_app_template_global(run_stage)
bp.add_app_template_global(progress_text)


def _offices() -> list[str]:
    return list(g.membership.offices or [])


def _person(participant_id: int, kind: str) -> Participant:
    participant = people.get_participant(participant_id, kind, _offices())
    if participant is None:
        abort(404)
    return participant


def _criterion_labels() -> dict[str, str]:
    settings = current_tenant.config
    code = str(get_locale())
    return {
        c.key: localized(c.label, code, settings.default_locale) for c in settings.matching.criteria
    }


@bp.get("/people/<int:participant_id>/match")
@roles_required(*STAFF_ROLES)
def match_page(participant_id: int):
    mentee = _person(participant_id, "mentee")
    try:
        limit = min(50, max(1, int(request.args.get("limit", 10))))
    except ValueError:
        limit = 10
    current = db.session.scalar(
        select(Mentorship).where(
            Mentorship.mentee_id == mentee.id, Mentorship.state.in_(OPEN_STATES)
        )
    )
    exclusions = db.session.scalars(
        select(MatchExclusion).where(MatchExclusion.mentee_id == mentee.id)
    ).all()
    excluded_people = {
        p.id: p
        for p in db.session.scalars(
            select(Participant).where(Participant.id.in_([x.mentor_id for x in exclusions]))
        )
    }
    lock = services.current_lock(mentee.id)
    return render_template(
        "matching/match.html",
        mentee=mentee,
        candidates=services.candidates(mentee, limit),
        labels=_criterion_labels(),
        sentence=sentence,
        current=current,
        lock=lock,
        exclusions=exclusions,
        excluded_people=excluded_people,
        lock_mentor=db.session.get(Participant, lock.mentor_id) if lock else None,
    )


def _mentor_from_form() -> Participant:
    try:
        mentor_id = int(request.form.get("mentor_id", ""))
    except ValueError:
        abort(404)
    return _person(mentor_id, "mentor")


@bp.post("/people/<int:participant_id>/match/propose")
@roles_required(*STAFF_ROLES)
def propose(participant_id: int):
    mentee = _person(participant_id, "mentee")
    mentor = _mentor_from_form()
    try:
        services.propose(mentee, mentor, g.user.id)
    except CycleError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("matching.match_page", participant_id=mentee.id)), 303
    db.session.commit()
    flash(
        _(
            "%(mentee)s and %(mentor)s are proposed to each other. Both can see it now.",
            mentee=mentee.name,
            mentor=mentor.name,
        ),
        "info",
    )
    return redirect(url_for("matching.match_page", participant_id=mentee.id)), 303


@bp.post("/people/<int:participant_id>/match/exclude")
@roles_required(*STAFF_ROLES)
def exclude(participant_id: int):
    mentee = _person(participant_id, "mentee")
    mentor = _mentor_from_form()
    services.set_exclusion(mentee, mentor, request.form.get("undo") != "1", g.user.id)
    db.session.commit()
    return redirect(url_for("matching.match_page", participant_id=mentee.id)), 303


@bp.post("/people/<int:participant_id>/match/lock")
@roles_required(*STAFF_ROLES)
def lock(participant_id: int):
    mentee = _person(participant_id, "mentee")
    mentor = None if request.form.get("undo") == "1" else _mentor_from_form()
    try:
        services.set_lock(mentee, mentor, g.user.id)
    except CycleError:
        db.session.rollback()
        flash(_("This mentor is excluded for this mentee."), "error")
    else:
        db.session.commit()
    return redirect(url_for("matching.match_page", participant_id=mentee.id)), 303


@bp.get("/matching")
@roles_required(*STAFF_ROLES)
def runs():
    recent = db.session.scalars(select(MatchingRun).order_by(MatchingRun.id.desc()).limit(20)).all()
    return render_template(
        "matching/runs.html",
        runs=recent,
        active=batch.active_run(),
        waiting=len(services.waiting_mentees()),
        settings=current_tenant.config.matching,
    )


@bp.post("/matching/runs")
@roles_required(*STAFF_ROLES)
def start_run():
    try:
        min_score = float(request.form.get("min_score") or current_tenant.config.matching.min_score)
        bonus = float(request.form.get("bonus") or 0)
        if not (0 <= min_score <= 1 and 0 <= bonus <= 0.1):
            raise ValueError
    except ValueError:
        flash(_("The minimum score is between 0 and 1, the bonus between 0 and 0.1."), "error")
        return redirect(url_for("matching.runs")), 303
    try:
        run = batch.start(by_user_id=g.user.id, min_score=min_score, bonus_per_month=bonus)
    except batch.RunInProgress as busy:
        busy_id = busy.run.id
        db.session.rollback()
        flash(_("A run is already in progress: wait for it or cancel it."), "error")
        return redirect(url_for("matching.run_page", run_id=busy_id)), 303
    db.session.commit()  # without Redis the run is computed here, at the commit
    return redirect(url_for("matching.run_page", run_id=run.id)), 303


def _run_or_404(run_id: int) -> MatchingRun:
    run = db.session.get(MatchingRun, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/matching/runs/<int:run_id>")
@roles_required(*STAFF_ROLES)
def run_page(run_id: int):
    run = _run_or_404(run_id)
    ids = {p.mentee_id for p in run.proposals} | {p.mentor_id for p in run.proposals}
    people_by_id = (
        {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_(ids)))}
        if ids
        else {}
    )
    return render_template(
        "matching/run.html", run=run, people=people_by_id, active=run.status in batch.ACTIVE
    )


@bp.get("/matching/runs/<int:run_id>/progress")
@roles_required(*STAFF_ROLES)
def run_progress(run_id: int):
    """The run page's script asks here while the run waits or works."""
    run = _run_or_404(run_id)
    return jsonify(
        status=run.status,
        stage=run.stage,
        progress=run.progress,
        text=progress_text(run),
        active=run.status in batch.ACTIVE,
    )


@bp.post("/matching/runs/<int:run_id>/cancel")
@roles_required(*STAFF_ROLES)
def cancel_run(run_id: int):
    run = _run_or_404(run_id)
    try:
        batch.cancel(run)
    except batch.NotCancellable:
        db.session.rollback()
        flash(_("This run has already ended; there is nothing to cancel."), "error")
    else:
        db.session.commit()
        batch.drop_waiting_job(run)
        flash(_("The run is cancelled. It proposes nothing."), "info")
    return redirect(url_for("matching.run_page", run_id=run_id)), 303


@bp.post("/matching/runs/<int:run_id>/accept")
@roles_required(*STAFF_ROLES)
def accept_run(run_id: int):
    run = _run_or_404(run_id)
    chosen = (
        None
        if request.form.get("all") == "1"
        else [int(x) for x in request.form.getlist("proposal") if x.isdigit()]
    )
    created, refused = services.accept(run, chosen, g.user.id)
    db.session.commit()
    held = [exc for _proposal, exc in refused if exc.code in services.PROGRAMME_REFUSALS]
    flash(
        _(
            "%(created)s mentorships proposed; %(refused)s no longer possible.",
            created=len(created),
            refused=len(refused) - len(held),
        ),
        "info",
    )
    if held:
        # Why the rest wait: the plan's limit or a read-only programme, not the pairs.
        flash(held[0].message, "error")
    return redirect(url_for("matching.run_page", run_id=run.id)), 303
