"""The registry of tasks, by stable name, and the rules for what a job may carry.

A task is a plain function of row ids, registered under a name that outlives refactors::

    @task("cycles.send_reminder", queue="notifications")
    def send_reminder(follow_up_id: int) -> None:
        follow_up = db.session.get(FollowUp, follow_up_id)   # scoped to the bound tenant
        if follow_up is None or not once(f"reminder-{follow_up_id}"):
            return
        ...

The runner has bound the tenant (``current_tenant``) before the function is called and
commits after it returns. Tasks must be safe to run twice: delivery is at least once.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from mentornet.extensions import db
from mentornet.jobs.queues import QUEUES
from mentornet.tenancy.context import bound_tenant_id

# Modules that register tasks, imported before a name is looked up (web and worker alike).
TASK_MODULES: tuple[str, ...] = (
    "mentornet.jobs.tasks",
    "mentornet.jobs.schedule",
    "mentornet.mail.tasks",
    "mentornet.matching.tasks",
    "mentornet.people.retention",
)

_TOKEN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
MAX_IDS = 16


class JobArgumentError(ValueError):
    """A job was asked to carry something other than ids (personal data stays out of jobs)."""


class UnknownTask(LookupError):
    pass


@dataclass(frozen=True)
class TaskSpec:
    name: str
    func: Callable[..., Any]
    queue: str
    platform: bool  # True: runs with no tenant bound (tenant_id None), for operator work


_registry: dict[str, TaskSpec] = {}


def task(name: str, *, queue: str = "default", platform: bool = False):
    """Register ``func`` as the task ``name`` (dotted, e.g. ``"cycles.send_reminder"``)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"task names are dotted lower-case words, not {name!r}")
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}; one of {', '.join(QUEUES)}")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        existing = _registry.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"task {name!r} is already registered")
        _registry[name] = TaskSpec(name=name, func=func, queue=queue, platform=platform)
        return func

    return register


def get_task(name: str) -> TaskSpec:
    if name not in _registry:
        for module in TASK_MODULES:
            importlib.import_module(module)
    try:
        return _registry[name]
    except KeyError:
        raise UnknownTask(f"no task named {name!r}") from None


def check_token(value: Any, what: str = "id") -> None:
    """An id is an int or a short token of letters, digits and ``_.:-``: no names, no
    e-mail addresses, no free text, no structures."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise JobArgumentError(
            f"a job {what} must be an int or a short token, not a {type(value).__name__}"
        )
    if isinstance(value, str) and not _TOKEN.fullmatch(value):
        raise JobArgumentError(f"a job {what} must be a short token of letters, digits and _.:-")


def check_arguments(spec: TaskSpec, tenant_id: Any, ids: tuple[Any, ...], job_key: Any) -> None:
    if spec.platform:
        if tenant_id is not None:
            raise JobArgumentError(f"{spec.name} is a platform task: tenant_id must be None")
    elif isinstance(tenant_id, bool) or not isinstance(tenant_id, int):
        raise JobArgumentError(f"{spec.name} needs the tenant id (an int)")
    if len(ids) > MAX_IDS:
        raise JobArgumentError(f"a job carries at most {MAX_IDS} ids")
    for value in ids:
        check_token(value)
    if job_key is not None:
        check_token(job_key, "job_key")


def once(key: str) -> bool:
    """Claim ``key`` for the bound tenant; False when a job already did this work.

    The receipt is written in the job's transaction: if the job fails, the rollback
    removes it and the retry does the work; if it commits, a second delivery skips.
    Work outside the database (a mail) should happen last, just before the commit.
    """
    check_token(key, "receipt key")
    from mentornet.jobs.models import JobReceipt

    tenant_id = bound_tenant_id()
    full_key = f"{'platform' if tenant_id is None else tenant_id}:{key}"
    if db.session.scalar(select(JobReceipt.id).where(JobReceipt.key == full_key)) is not None:
        return False
    db.session.add(JobReceipt(key=full_key, tenant_id=tenant_id))
    # A concurrent twin fails here on the unique key; its retry then finds the receipt.
    db.session.flush()
    return True


@task("jobs.ping")
def ping(participant_id: int) -> str:
    """Proves the path end to end: the bound tenant's participant, receipted once."""
    from mentornet.people.models import Participant

    if db.session.get(Participant, participant_id) is None:
        return "missing"  # absent, or another tenant's: the same answer
    if not once(f"jobs.ping:{participant_id}"):
        return "already done"
    return "done"
