"""Gunicorn settings for the Mentornet web process.

Every value can be changed from the environment, so one image serves a laptop, a small
compose stack and a Kubernetes cluster:

    PORT                  port to listen on (8000)
    GUNICORN_BIND         full bind address; overrides PORT (e.g. "unix:/run/mentornet.sock")
    WEB_CONCURRENCY       worker processes (default: 2 x CPUs + 1, at most GUNICORN_MAX_WORKERS)
    GUNICORN_MAX_WORKERS  upper bound for the computed default (8)
    GUNICORN_THREADS      threads per worker (4)
    GUNICORN_TIMEOUT      seconds a request may take before its worker is replaced (30)
    GUNICORN_GRACEFUL_TIMEOUT  seconds to finish requests on shutdown (30)
    GUNICORN_KEEPALIVE    seconds to hold idle keep-alive connections (5)
    GUNICORN_LOG_LEVEL    error log level (info)
    FORWARDED_ALLOW_IPS   proxies trusted for X-Forwarded-Proto (127.0.0.1,::1)
    GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket (off when unset)
"""

from __future__ import annotations

import math
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: {name} must be an integer, got {value!r}") from None


def _available_cpus() -> int:
    """CPUs this container may actually use: affinity, then the cgroup quota if lower.

    ``os.cpu_count()`` reports the host's CPUs, which would start far too many workers
    in a container limited to one or two cores.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = None
    try:  # cgroup v2: "max 100000" or "200000 100000"
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as fh:
            limit, period = fh.read().split()[:2]
        if limit != "max":
            quota = int(limit) / int(period)
    except (OSError, ValueError):
        try:  # cgroup v1
            with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", encoding="ascii") as fh:
                limit_us = int(fh.read())
            with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us", encoding="ascii") as fh:
                period_us = int(fh.read())
            if limit_us > 0 and period_us > 0:
                quota = limit_us / period_us
        except (OSError, ValueError):
            pass
    if quota is not None:
        cpus = min(cpus, max(1, math.ceil(quota)))
    return max(1, cpus)


# --- Socket ------------------------------------------------------------------------------

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_env_int('PORT', 8000)}"

# --- Processes ---------------------------------------------------------------------------

# Threads suit Mentornet's requests: most time is spent waiting on PostgreSQL and Redis.
worker_class = "gthread"
threads = max(1, _env_int("GUNICORN_THREADS", 4))
workers = max(
    1,
    _env_int(
        "WEB_CONCURRENCY",
        min(2 * _available_cpus() + 1, max(1, _env_int("GUNICORN_MAX_WORKERS", 8))),
    ),
)

# The app is loaded in each worker after the fork, so no database or Redis connection
# opened during start-up can end up shared between processes.
preload_app = False

# Recycle workers now and then so slow memory growth never accumulates; the jitter keeps
# them from all restarting at once.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Heartbeat files on a RAM disk: the root filesystem may be read-only, and a slow disk
# must not make healthy workers look stuck.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
)

# Recent gunicorn versions open a control socket under $HOME, which is read-only in the
# image. It stays off unless a path is given (a directory the service user can write,
# such as /tmp). Older versions ignore both settings.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or ""
control_socket_disable = not control_socket
if not control_socket:
    del control_socket

# --- Timeouts ----------------------------------------------------------------------------

timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep this above the idle timeout of a load balancer that reuses connections to us, or
# it may send a request on a connection gunicorn has just closed.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# --- Proxies -----------------------------------------------------------------------------

# Only these addresses may tell us the original scheme (X-Forwarded-Proto). Set it to the
# load balancer's addresses, or "*" when nothing but the proxy can reach the pods.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Logging -----------------------------------------------------------------------------

# Both logs go to the container's output streams.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The request line is logged as method + path + protocol (%(U)s, never %(r)s or %(q)s):
# query strings can hold search terms, names or e-mail addresses of participants. The
# Referer is left out for the same reason, and so is any user name.
#   client  [time]  "METHOD /path HTTP/x"  status  bytes  duration_ms  "user agent"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# The name shown in `ps` and `top`.
proc_name = "mentornet-web"
