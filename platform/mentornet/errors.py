"""Error pages in the visitor's language, and JSON errors for the API.

An id of another tenant answers exactly like an id that does not exist: 404.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


class ApiError(HTTPException):
    """An API error with a machine code, a message and optional per-field messages."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = code
        self.fields = fields or {}


def wants_json() -> bool:
    return request.blueprint == "api" or "/api/v1/" in request.path


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("unauthorized", _("You need to log in or give a valid API token.")),
        403: ("forbidden", _("Your role does not allow this.")),
        404: ("not_found", _("There is nothing here.")),
        405: ("method_not_allowed", _("This address does not accept that method.")),
        409: ("conflict", _("This conflicts with the current state.")),
        413: ("too_large", _("The request is too large.")),
        422: ("invalid", _("Some fields are not valid.")),
        429: ("rate_limited", _("Too many requests; please wait a moment.")),
        500: ("server_error", _("Something went wrong on our side. It has been logged.")),
        503: ("unavailable", _("The service is not available right now.")),
    }


def json_error(status: int, code: str, message: str, fields: dict[str, Any] | None = None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return jsonify(body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return json_error(exc.code or 400, exc.error_code, exc.description or "", exc.fields)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        message = _("The form had expired or was sent from elsewhere. Please try again.")
        if wants_json():
            return json_error(400, "csrf", message)
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        code, message = _messages().get(status, ("error", exc.description or ""))
        if wants_json():
            response = json_error(status, code, message)
        else:
            response = render_template("errors/error.html", status=status, message=message), status
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            body, status = response
            return body, status, {"Allow": ", ".join(exc.valid_methods)}
        return response

    @app.errorhandler(InternalServerError)
    def _server_error(exc: InternalServerError):
        original = getattr(exc, "original_exception", None)
        # Ids only: exception types and the path, never form values or personal data.
        log.error(
            "unhandled %s on %s %s",
            type(original).__name__ if original else "error",
            request.method,
            request.path,
            exc_info=original,
        )
        from mentornet.extensions import db

        db.session.rollback()
        code, message = _messages()[500]
        if wants_json():
            return json_error(500, code, message)
        return render_template("errors/error.html", status=500, message=message), 500
