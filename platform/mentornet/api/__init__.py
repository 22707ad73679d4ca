"""JSON API v1 at ``/<tenant>/api/v1``: bearer tokens, JSON in and out, JSON errors."""

from mentornet.api.blueprint import bp
from mentornet.api import resources  # noqa: E402,F401  (registers the routes)

__all__ = ["bp"]
