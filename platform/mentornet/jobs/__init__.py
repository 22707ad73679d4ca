"""Background work: one way to enqueue, rq queues with Redis, inline without it.

Jobs carry a task name, the tenant id and ids of rows, never personal data; the runner
binds the tenant before the task touches a row. ``enqueue`` is the only entry point:

    from mentornet.jobs import enqueue
    db.session.commit()                      # the job reads what the caller committed
    enqueue("jobs.ping", tenant.id, participant.id, job_key=f"ping-{participant.id}")

or, from a service inside the request's transaction, ``enqueue_after_commit`` with the
same arguments: the job starts when (and only if) the transaction commits.
"""

from mentornet.jobs.enqueue import Enqueued, enqueue, enqueue_after_commit
from mentornet.jobs.tasks import JobArgumentError, once, task

__all__ = ["Enqueued", "JobArgumentError", "enqueue", "enqueue_after_commit", "once", "task"]
