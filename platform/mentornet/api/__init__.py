"""JSON API v1 at ``/<tenant>/api/v1``: bearer tokens, JSON in and out, JSON errors."""

from mentornet.api import people, resources  # noqa: F401  (modules that register routes)
from mentornet.api.blueprint import bp

__all__ = ["bp"]
