"""Batch matching as a background job, on its own queue so long runs do not hold up mail."""

from __future__ import annotations

from mentornet.jobs import task
from mentornet.matching import runs


@task(runs.TASK, queue="matching")
def run_batch(run_id: int) -> str:
    """Compute one batch run of the bound tenant (see ``matching.runs.compute``)."""
    return runs.compute(run_id)
