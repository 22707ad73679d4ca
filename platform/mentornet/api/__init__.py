"""JSON API v1 at ``/<tenant>/api/v1``: bearer tokens, JSON in and out, JSON errors."""

from mentornet.api import cycles, matching, people, resources  # noqa: F401  (modules with routes)
from mentornet.api.blueprint import bp

__all__ = ["bp"]
