"""JSON API v1 at ``/<tenant>/api/v1``: bearer tokens, JSON in and out, JSON errors."""

from mentornet.api import resources  # noqa: F401  (registers the routes)
from mentornet.api.blueprint import bp

__all__ = ["bp"]
