"""The rq queues, the Redis connections and the delivery policy of every job."""

from __future__ import annotations

from typing import Any

from flask import current_app
from redis import Redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry as RedisRetry
from rq import Queue, Retry

QUEUES = ("default", "notifications", "matching")

MAX_FAILURE_TTL = 30 * 24 * 3600  # failed jobs (ids only) are kept 30 days at most

# Overridable through the app config (tests shorten the retry intervals).
DEFAULTS: dict[str, Any] = {
    "JOBS_RETRY_MAX": 3,
    "JOBS_RETRY_INTERVALS": (10, 60, 300),
    "JOBS_FAILURE_TTL": MAX_FAILURE_TTL,
    "JOBS_RESULT_TTL": 3600,
    "JOBS_TIMEOUT": 600,
}


def setting(name: str) -> Any:
    return current_app.config.get(name, DEFAULTS[name])


def redis_url() -> str | None:
    return current_app.config.get("REDIS_URL") or None


def connection() -> Redis:
    """The web's client: short timeouts and one quick retry, so a Redis outage costs a
    request about a second before the job is kept in ``pending_jobs`` instead."""
    url = redis_url()
    if not url:
        raise RuntimeError("REDIS_URL is not set: jobs run inline")
    clients = current_app.extensions.setdefault("mentornet.redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(
            url,
            socket_connect_timeout=1,
            socket_timeout=2,
            retry=RedisRetry(ExponentialBackoff(cap=0.2, base=0.05), 1),
        )
    return clients[url]


def worker_connection() -> Redis:
    """The worker's own client: rq raises its read timeout above the blocking dequeue."""
    url = redis_url()
    if not url:
        raise RuntimeError("REDIS_URL is not set: jobs run inline")
    return Redis.from_url(url, socket_connect_timeout=5)


def queue(name: str, conn: Redis | None = None) -> Queue:
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}; one of {', '.join(QUEUES)}")
    return Queue(name, connection=conn if conn is not None else connection())


def retry_policy() -> Retry:
    return Retry(max=setting("JOBS_RETRY_MAX"), interval=list(setting("JOBS_RETRY_INTERVALS")))


def failure_ttl() -> int:
    return min(int(setting("JOBS_FAILURE_TTL")), MAX_FAILURE_TTL)
