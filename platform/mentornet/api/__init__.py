"""JSON API v1 at ``/<tenant>/api/v1``: bearer tokens, JSON in and out, JSON errors."""

from mentornet.api import (  # noqa: F401  (modules with routes)
    cycles,
    matching,
    people,
    reports,
    resources,
)
from mentornet.api.blueprint import bp

__all__ = ["bp"]
