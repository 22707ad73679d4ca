"""Background work: one way to enqueue, rq queues with Redis, inline without it.

Jobs carry a task name, the tenant id and ids of rows, never personal data; the runner
binds the tenant before the task touches a row. ``enqueue`` is the only entry point:

    from mentornet.jobs import enqueue
    db.session.commit()                      # the job reads what the caller committed
    enqueue("jobs.ping", tenant.id, participant.id, job_key=f"ping-{participant.id}")
"""

from mentornet.jobs.enqueue import Enqueued, enqueue
from mentornet.jobs.tasks import JobArgumentError, once, task

__all__ = ["Enqueued", "JobArgumentError", "enqueue", "once", "task"]
