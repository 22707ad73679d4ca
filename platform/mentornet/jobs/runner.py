"""What a worker executes: every rq job calls ``run`` with a task name and ids.

Each run gets its own app context, so its own ``g`` (no tenant bound) and its own
database session; it binds the tenant, calls the task, commits, and rolls back on error.
The worker process builds its app once (``mentornet jobs worker`` runs inside one).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, has_app_context

from mentornet.extensions import db
from mentornet.jobs.tasks import get_task

log = logging.getLogger(__name__)

_app: Flask | None = None


class TaskFailed(Exception):
    """What rq stores for a failed job: the task and the error class, not its message,
    which may quote row values. The full traceback goes to the worker's log."""

    def __init__(self, task_name: str, cause: str) -> None:
        super().__init__(f"{task_name} failed: {cause}")
        self.cause = cause


def _application() -> Flask:
    global _app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _app is None:  # a bare `rq worker`: build the app from the environment
        from mentornet import create_app

        _app = create_app()
    return _app


def run(task_name: str, tenant_id: int | None, *ids: Any, job_key: str | None = None) -> Any:
    """Run one task for one tenant (``None``: a platform task) in a fresh app context."""
    spec = get_task(task_name)
    with _application().app_context():
        try:
            if spec.platform:
                if tenant_id is not None:
                    raise ValueError(f"{task_name} is a platform task")
                result = spec.func(*ids)
                db.session.commit()
                return result
            from mentornet.tenancy.context import with_tenant
            from mentornet.tenancy.models import Tenant

            tenant = db.session.get(Tenant, tenant_id)
            if tenant is None:
                log.warning("job %s for tenant %s skipped: no such tenant", task_name, tenant_id)
                return None
            with with_tenant(tenant):
                result = spec.func(*ids)
                db.session.commit()  # inside the binding: the flush checks every row
            return result
        except Exception as exc:
            db.session.rollback()
            log.exception(
                "job %s for tenant %s ids %s failed: %s",
                task_name,
                tenant_id,
                list(ids),
                type(exc).__name__,
            )
            _note_error(type(exc).__name__)
            raise TaskFailed(task_name, type(exc).__name__) from None


def _note_error(error: str) -> None:
    """Keep the error class and the count of failed attempts on the rq job, for
    ``mentornet jobs failed`` and the operator's page."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.meta["error"] = error
        job.meta["attempts"] = int(job.meta.get("attempts", 0)) + 1
        try:
            job.save_meta()
        except Exception:  # the failure itself is what matters; rq records it anyway
            log.warning("could not save the error of job %s", job.id)
