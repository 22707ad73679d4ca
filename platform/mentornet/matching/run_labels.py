"""Words for a batch run's status and stage, and its progress as one line of text,
in the reader's language (the percentage formatted for her locale)."""

from __future__ import annotations

from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mentornet.matching.models import MatchingRun

RUN_STATUS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
}

RUN_STAGE = {
    "queued": _l("Waiting to start"),
    "loading": _l("Loading the waiting list"),
    "scoring": _l("Scoring"),
    "assigning": _l("Assigning"),
    "saving": _l("Saving"),
    "done": _l("Done"),
}


def run_status(status: str) -> str:
    return str(RUN_STATUS.get(status, status))


def run_stage(stage: str) -> str:
    return str(RUN_STAGE.get(stage, stage))


def progress_text(run: MatchingRun) -> str:
    """E.g. "Scoring — 40%": the text beside (and inside) the page's progress bar."""
    return _(
        "%(stage)s — %(percent)s",
        stage=run_stage(run.stage),
        percent=format_percent(run.progress or 0.0),
    )
