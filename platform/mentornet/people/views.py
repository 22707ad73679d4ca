"""People pages: the public sign-up, the coordinators' lists and records, and each
participant's own profile. Views parse, call a service, render."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    json,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from mentornet.accounts.current import roles_required
from mentornet.accounts.models import STAFF_ROLES
from mentornet.extensions import db
from mentornet.pagination import page_of
from mentornet.people import export, forms, services, templating
from mentornet.people.classifications import isco
from mentornet.people.interview_form import InterviewForm
from mentornet.people.models import Consent, Participant
from mentornet.people.vocabulary import KINDS, STATUSES
from mentornet.tenancy.context import current_tenant

bp = Blueprint("people", __name__, url_prefix="/<tenant>")
templating.register(bp)


def _locale() -> str:
    return str(get_locale())


def _staff_offices() -> list[str]:
    return list(g.membership.offices or []) if g.get("membership") else []


def _participant_or_404(participant_id: int) -> Participant:
    participant = services.get_participant(participant_id, offices=_staff_offices())
    if participant is None:
        abort(404)
    return participant


# --- public sign-up -------------------------------------------------------------------


@bp.get("/join")
def join():
    return render_template("people/join_choose.html")


@bp.route("/join/<any(mentee, mentor):kind>", methods=["GET", "POST"])
def join_form(kind: str):
    locale = _locale()
    notices = services.notices(locale)
    form_class = forms.build_form_class(
        current_tenant.config,
        kind,
        public=True,
        notices=[(n.purpose, n.required, n.title, n.text) for n in notices],
    )
    form = form_class()
    if request.method == "POST":
        if not services.allow_signup(request.remote_addr or "unknown"):
            db.session.commit()
            return render_template(
                "people/join_form.html", form=form, kind=kind, notices=notices, limited=True
            ), 429
        db.session.commit()
        if form[forms.HONEYPOT].data:
            # A bot filled the hidden field: answer as if all went well, store nothing.
            return redirect(url_for("people.join_thanks", kind=kind))
        if form.validate_on_submit():
            given = [(n, locale) for n in notices if form[f"consent_{n.purpose}"].data]
            try:
                services.register(kind, forms.profile_from_form(form), source="web", consents=given)
            except services.PeopleError as exc:
                db.session.rollback()
                for field, message in exc.fields.items():
                    form[field].errors = [*form[field].errors, message]
            else:
                db.session.commit()
                return redirect(url_for("people.join_thanks", kind=kind))
        status = 400
    else:
        status = 200
    return render_template("people/join_form.html", form=form, kind=kind, notices=notices), status


@bp.get("/join/<any(mentee, mentor):kind>/thanks")
def join_thanks(kind: str):
    return render_template("people/join_thanks.html", kind=kind)


@bp.get("/isco")
def isco_search():
    """The occupation picker's suggestions; public reference data, nothing of the tenant."""
    results = isco().search(request.args.get("q", ""), _locale(), limit=15)
    return jsonify(
        [{"code": o.code, "label": o.label(_locale()), "level": o.level} for o in results]
    )


# --- coordinators ---------------------------------------------------------------------


@bp.get("/people")
@roles_required(*STAFF_ROLES)
def people_list():
    args = request.args
    kind = args.get("kind") if args.get("kind") in KINDS else "mentee"
    status = args.get("status") if args.get("status") in STATUSES else None
    try:
        days = max(0, int(args.get("days") or 0)) or None
    except ValueError:
        days = None
    statement = services.search(
        kind=kind,
        q=args.get("q") or None,
        status=status,
        office=args.get("office") or None,
        profession=args.get("profession") or None,
        language=args.get("language") or None,
        min_days_waiting=days,
        sort=args.get("sort", "-created"),
        offices=_staff_offices(),
    )
    page = page_of(statement, args, per_page=25)
    return render_template(
        "people/list.html",
        page=page,
        kind=kind,
        status=status,
        days=days,
        languages=forms.language_choices(_locale()),
        counts=services.counts_by_status(_staff_offices()),
    )


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def people_new():
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else "mentee"
    form = forms.build_form_class(current_tenant.config, kind, public=False)()
    consent_given = request.form.get("consent_recorded") == "y"
    if form.validate_on_submit():
        if not consent_given:
            flash(_("Record that she agreed to the notice before you register her."), "error")
        else:
            notices = services.notices(form.preferred_locale.data or _locale())
            consents = [(n, form.preferred_locale.data) for n in notices if n.required]
            try:
                participant = services.register(
                    kind, forms.profile_from_form(form), source="coordinator", consents=consents
                )
            except services.PeopleError as exc:
                db.session.rollback()
                for field, message in exc.fields.items():
                    form[field].errors = [*form[field].errors, message]
            else:
                db.session.commit()
                flash(_("%(name)s is registered.", name=participant.name), "info")
                return redirect(url_for("people.person", participant_id=participant.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "people/form.html",
        form=form,
        kind=kind,
        participant=None,
        notices=services.notices(_locale()),
    ), status


@bp.get("/people/<int:participant_id>")
@roles_required(*STAFF_ROLES)
def person(participant_id: int):
    participant = _participant_or_404(participant_id)
    return render_template(
        "people/detail.html",
        p=participant,
        statuses=STATUSES,
        isco=isco(),
        days_waiting=services.days_waiting(participant),
    )


def _download(participant: Participant, *, with_interviews: bool) -> Response:
    """Her data as a JSON file, in her language (people/export.py)."""
    document = export.export(participant, with_interviews=with_interviews)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename(participant)}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/people/<int:participant_id>/export")
@roles_required(*STAFF_ROLES)
def person_export(participant_id: int):
    participant = _participant_or_404(participant_id)
    return _download(participant, with_interviews=request.args.get("interviews") == "include")


@bp.route("/people/<int:participant_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def person_edit(participant_id: int):
    participant = _participant_or_404(participant_id)
    return _edit_profile(
        participant, redirect_to=url_for("people.person", participant_id=participant.id)
    )


def _edit_profile(participant: Participant, redirect_to: str):
    form_class = forms.build_form_class(current_tenant.config, participant.kind, public=False)
    if request.method == "POST":
        form = form_class()
    else:
        form = form_class(formdata=None, data=forms.form_data_from_participant(participant))
    if form.validate_on_submit():
        try:
            services.update_profile(participant, forms.profile_from_form(form))
        except services.PeopleError as exc:
            db.session.rollback()
            for field, message in exc.fields.items():
                form[field].errors = [*form[field].errors, message]
        else:
            db.session.commit()
            flash(_("The changes are saved."), "info")
            return redirect(redirect_to)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "people/form.html", form=form, kind=participant.kind, participant=participant, notices=[]
    ), status


@bp.post("/people/<int:participant_id>/status")
@roles_required(*STAFF_ROLES)
def person_status(participant_id: int):
    participant = _participant_or_404(participant_id)
    try:
        services.set_status(participant, request.form.get("status", ""))
    except services.PeopleError as exc:
        flash(exc.fields["status"], "error")
    else:
        db.session.commit()
        flash(_("The status is changed."), "info")
    return redirect(url_for("people.person", participant_id=participant.id))


@bp.route("/people/<int:participant_id>/interview", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def person_interview(participant_id: int):
    participant = _participant_or_404(participant_id)
    form = InterviewForm()
    form.languages.choices = forms.language_choices(_locale())
    if request.method == "GET":
        form.held_on.data = date.today()
        form.languages.data = list(participant.languages or [])
    if form.validate_on_submit():
        services.record_interview(participant, form.interview_data(), g.user.id)
        db.session.commit()
        flash(_("The interview is recorded."), "info")
        return redirect(url_for("people.person", participant_id=participant.id))
    status = 400 if request.method == "POST" else 200
    return render_template("people/interview_form.html", form=form, p=participant), status


@bp.post("/people/<int:participant_id>/invite")
@roles_required(*STAFF_ROLES)
def person_invite(participant_id: int):
    from mentornet.accounts import invitations

    participant = _participant_or_404(participant_id)
    if not participant.email:
        flash(_("She needs an email address before she can get a login."), "error")
        return redirect(url_for("people.person", participant_id=participant.id))
    link = invitations.invite_participant(participant, invited_by=g.user.id)
    db.session.commit()
    return render_template("people/invited.html", p=participant, link=link)


# --- the participant herself --------------------------------------------------------------


def _own_participant() -> Participant:
    participant = db.session.scalar(
        select(Participant).where(Participant.user_id == g.user.id, Participant.erased_at.is_(None))
    )
    if participant is None:
        abort(404)
    return participant


@bp.get("/me")
@roles_required("mentor", "mentee")
def me():
    from mentornet.cycles.models import OPEN_STATES, Mentorship

    participant = _own_participant()
    column = Mentorship.mentee_id if participant.kind == "mentee" else Mentorship.mentor_id
    other = Mentorship.mentor_id if participant.kind == "mentee" else Mentorship.mentee_id
    # Her mentorships, the ones in progress first: a closed one still takes her rating.
    rows = db.session.execute(
        select(Mentorship, Participant.name)
        .join(Participant, Participant.id == other)
        .where(column == participant.id)
        .order_by(Mentorship.state.in_(OPEN_STATES).desc(), Mentorship.id.desc())
    ).all()
    return render_template("people/me.html", p=participant, isco=isco(), mentorships=rows)


@bp.get("/me/export")
@roles_required("mentor", "mentee")
def me_export():
    return _download(_own_participant(), with_interviews=False)


@bp.route("/me/edit", methods=["GET", "POST"])
@roles_required("mentor", "mentee")
def me_edit():
    participant = _own_participant()
    return _edit_profile(participant, redirect_to=url_for("people.me"))


@bp.post("/me/consents/<int:consent_id>/withdraw")
@roles_required("mentor", "mentee")
def me_withdraw_consent(consent_id: int):
    participant = _own_participant()
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.participant_id != participant.id:
        abort(404)
    services.withdraw_consent(consent)
    db.session.commit()
    flash(
        _("Your consent is withdrawn. A coordinator will contact you about what happens next."),
        "info",
    )
    return redirect(url_for("people.me"))
