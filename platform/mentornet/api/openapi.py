"""The OpenAPI 3.1 document of API v1, served per tenant."""

from __future__ import annotations

from typing import Any

from mentornet.api.reports import openapi_paths as reports_paths
from mentornet.cycles.lifecycle import DECLINE_REASONS, END_REASONS, STATES

ERROR = {"$ref": "#/components/schemas/Error"}
RUN = {"$ref": "#/components/schemas/MatchingRun"}


def _errors(*statuses: int) -> dict[str, Any]:
    return {
        str(s): {"description": "error", "content": {"application/json": {"schema": ERROR}}}
        for s in statuses
    }


PARTICIPANT_PROPERTIES: dict[str, Any] = {
    "id": {"type": "integer", "readOnly": True},
    "kind": {"enum": ["mentee", "mentor"], "readOnly": True},
    "status": {
        "enum": ["applied", "interviewed", "ready", "matched", "alumni", "paused", "withdrawn"]
    },
    "name": {"type": "string", "maxLength": 200},
    "email": {"type": ["string", "null"], "format": "email"},
    "phone": {"type": ["string", "null"]},
    "office": {"type": "string", "description": "an office key from the tenant's settings"},
    "languages": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "preferred_locale": {"type": "string"},
    "profession": {"type": ["string", "null"], "description": "ISCO-08 unit group, 4 digits"},
    "education_level": {"type": ["integer", "null"], "minimum": 0, "maximum": 8},
    "education_field": {"type": ["string", "null"], "description": "ISCED-F 2013 broad field"},
    "sector": {"type": ["string", "null"]},
    "business_stage": {"type": ["string", "null"]},
    "interests": {"type": "array", "items": {"type": "string"}},
    "story": {"type": ["string", "null"]},
    "goals": {"type": "array", "items": {"type": "string"}, "description": "mentees"},
    "wishes": {"type": ["string", "null"], "description": "mentees"},
    "country_of_origin": {"type": ["string", "null"], "description": "mentees, ISO 3166"},
    "arrival_year": {"type": ["integer", "null"], "description": "mentees"},
    "date_of_birth": {"type": ["string", "null"], "format": "date", "description": "mentees"},
    "helps_with": {"type": "array", "items": {"type": "string"}, "description": "mentors"},
    "capacity": {"type": "integer", "minimum": 1, "maximum": 10, "description": "mentors"},
    "availability": {"type": ["string", "null"], "description": "mentors"},
    "paused_until": {"type": ["string", "null"], "format": "date", "description": "mentors"},
    "intake_answers": {
        "type": "object",
        "readOnly": True,
        "description": "send each answer as intake_<question key>",
    },
    "consent_recorded": {
        "type": "boolean",
        "writeOnly": True,
        "description": "create only: she agreed to the notice",
    },
    "days_waiting": {"type": ["integer", "null"], "readOnly": True},
    "created_at": {"type": "string", "format": "date-time", "readOnly": True},
}


MATCHING_RUN_PROPERTIES: dict[str, Any] = {
    "id": {"type": "integer"},
    "status": {"enum": ["queued", "running", "done", "failed", "cancelled"]},
    "stage": {
        "enum": ["queued", "loading", "scoring", "assigning", "saving", "done"],
        "description": "where the run is, or where it stopped",
    },
    "progress": {"type": "number", "minimum": 0, "maximum": 1, "description": "share done"},
    "error": {"type": ["string", "null"], "description": "a failed run's error class"},
    "params": {"type": "object"},
    "stats": {"type": "object"},
    "created_at": {"type": "string", "format": "date-time"},
    "finished_at": {"type": ["string", "null"], "format": "date-time"},
    "proposals": {
        "type": "array",
        "description": "empty until the run is done",
        "items": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "mentee_id": {"type": "integer"},
                "mentor_id": {"type": "integer"},
                "score": {"type": "number"},
                "locked": {"type": "boolean"},
                "status": {"enum": ["open", "accepted", "rejected", "stale"]},
                "mentorship_id": {"type": ["integer", "null"]},
            },
        },
    },
}


def _participant_paths() -> dict[str, Any]:
    participant = {"$ref": "#/components/schemas/Participant"}
    json_body = {"required": True, "content": {"application/json": {"schema": participant}}}
    filters = [
        {"name": name, "in": "query", "schema": {"type": kind}}
        for name, kind in (
            ("q", "string"),
            ("status", "string"),
            ("office", "string"),
            ("profession", "string"),
            ("language", "string"),
            ("min_days_waiting", "integer"),
            ("sort", "string"),
            ("page", "integer"),
            ("per_page", "integer"),
        )
    ]
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    paths: dict[str, Any] = {}
    for collection in ("mentees", "mentors"):
        paths[f"/{collection}"] = {
            "get": {
                "summary": f"List {collection} (staff)",
                "parameters": filters,
                "responses": {"200": {"description": "a page"}, **_errors(400, 401, 403)},
            },
            "post": {
                "summary": f"Register one of the {collection}",
                "requestBody": json_body,
                "responses": {
                    "201": {"description": "created"},
                    **_errors(400, 401, 403, 409, 422),
                },
            },
        }
        paths[f"/{collection}/{{id}}"] = {
            "parameters": id_param,
            "get": {
                "summary": "Read",
                "responses": {"200": {"description": "ok"}, **_errors(401, 403, 404)},
            },
            "patch": {
                "summary": "Update some fields (and the status)",
                "requestBody": json_body,
                "responses": {
                    "200": {"description": "ok"},
                    **_errors(400, 401, 403, 404, 409, 422),
                },
            },
            "delete": {
                "summary": "Erase her personal data for good, her login here with it; "
                "her pairs stay, anonymous, for the counts",
                "responses": {"204": {"description": "erased"}, **_errors(401, 403, 404)},
            },
        }
    paths["/people/{id}/export"] = {
        "parameters": [
            *id_param,
            {
                "name": "interviews",
                "in": "query",
                "schema": {"type": "string", "enum": ["include", "leave_out"]},
            },
        ],
        "get": {
            "summary": "Everything held about one participant, labelled in her language "
            "(an access request); interview notes only with interviews=include",
            "responses": {"200": {"description": "her data"}, **_errors(400, 401, 403, 404)},
        },
    }
    return paths


def _matching_paths() -> dict[str, Any]:
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    json_body = {"content": {"application/json": {"schema": {"type": "object"}}}}
    return {
        "/mentees/{id}/candidates": {
            "parameters": [
                *id_param,
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                },
            ],
            "get": {
                "summary": "Ranked mentors for one mentee, each with score 0..1 and a "
                "per-criterion explanation (similarity, weight, share, sentence)",
                "responses": {"200": {"description": "candidates"}, **_errors(400, 401, 403, 404)},
            },
        },
        "/matching/runs": {
            "post": {
                "summary": "Start a batch run over the whole waiting list (optimal assignment). "
                "The run is computed by a background job: follow it with GET "
                "/matching/runs/{id} (its Location). Without a job queue the run is done "
                "when this answers. One run at a time: while one is queued or running, "
                "another start answers 409 `run_in_progress`, its Location the running run",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "min_score": {"type": "number", "minimum": 0, "maximum": 1},
                                    "waiting_bonus_per_month": {
                                        "type": "number",
                                        "minimum": 0,
                                        "maximum": 0.1,
                                    },
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "202": {
                        "description": "the run, queued (or already done without a job queue)",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": RUN}},
                    },
                    **_errors(400, 401, 403, 409, 422),
                },
            }
        },
        "/matching/runs/{id}": {
            "parameters": id_param,
            "get": {
                "summary": "A run: status, stage, progress (0..1), and its proposals once done",
                "responses": {
                    "200": {
                        "description": "the run",
                        "content": {"application/json": {"schema": RUN}},
                    },
                    **_errors(401, 403, 404),
                },
            },
        },
        "/matching/runs/{id}/cancel": {
            "parameters": id_param,
            "post": {
                "summary": "Cancel a queued or running run: the job stops before its next "
                "stage and the run proposes nothing. Cancelling a cancelled run changes "
                "nothing; a run that is done or failed answers 409 `not_cancellable`",
                "responses": {
                    "200": {
                        "description": "the cancelled run",
                        "content": {"application/json": {"schema": RUN}},
                    },
                    **_errors(401, 403, 404, 409),
                },
            },
        },
        "/matching/runs/{id}/accept": {
            "parameters": id_param,
            "post": {
                "summary": "Accept proposals (all open ones, or proposal_ids): they become "
                "proposed mentorships",
                "requestBody": json_body,
                "responses": {
                    "200": {"description": "created mentorships and refused proposals"},
                    **_errors(401, 403, 404, 422),
                },
            },
        },
    }


def _op(summary: str, ok: str, *errors: int, body: dict[str, Any] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "responses": {
            ok.split(" ", 1)[0]: {"description": ok.split(" ", 1)[1]},
            **_errors(*errors),
        },
    }
    if body is not None:
        operation["requestBody"] = {
            "content": {"application/json": {"schema": {"type": "object", "properties": body}}}
        }
    return operation


STATE = {"enum": list(STATES)}
SIDE = {"enum": ["mentee", "mentor"], "description": "coordinators only: whose answer this is"}
DAY = {"type": "string", "format": "date"}
OUTCOME = {
    "job_found": {"type": "boolean"},
    "job_in_field": {"type": "boolean"},
    "education_started": {"type": "boolean"},
    "language_improved": {"type": "boolean"},
    "network_grown": {"type": "boolean"},
    "mentee_satisfaction": {"type": "integer", "minimum": 1, "maximum": 5},
    "mentor_satisfaction": {"type": "integer", "minimum": 1, "maximum": 5},
    "farewell_held": {"type": "boolean"},
    "farewell_on": DAY,
}


def _cycle_paths() -> dict[str, Any]:
    """Every step of a pair's cycle; 409 when the state does not allow it, and nothing changes."""
    mid = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]

    def sub(name: str) -> list[dict[str, Any]]:
        return [*mid, {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}]

    step = (401, 403, 404, 409, 422)
    return {
        "/mentorships": {
            "get": _op(
                "Mentorships you may see: a coordinator's offices, or your own (?state=)",
                "200 a page of mentorships",
                400,
                401,
                404,
            ),
            "post": _op(
                "Propose a mentorship (create = propose); both sides see it. 402 plan_limit: "
                "the programme's plan has no free place for another open mentorship",
                "201 the proposed mentorship",
                400,
                401,
                402,
                403,
                409,
                422,
                body={"mentee_id": {"type": "integer"}, "mentor_id": {"type": "integer"}},
            ),
        },
        "/mentorships/{id}": {
            "parameters": mid,
            "get": _op(
                "A mentorship: state, phase, first meeting, responses, agreement, health, "
                "outcome, transitions",
                "200 the mentorship",
                401,
                404,
            ),
        },
        "/mentorships/{id}/responses": {
            "parameters": mid,
            "get": _op("Each side's answers", "200 the answers", 401, 404),
            "post": _op(
                "Answer yes or no for your side (a no declines, with reason_code); the second "
                "yes after the first meeting makes the pair agreed",
                "201 the mentorship",
                *step,
                body={
                    "answer": {"enum": ["yes", "no"]},
                    "side": SIDE,
                    "reason_code": {"enum": list(DECLINE_REASONS)},
                    "reason": {"type": "string"},
                },
            ),
        },
        "/mentorships/{id}/transitions": {
            "parameters": mid,
            "get": _op("Every transition: who, when, from, to, why", "200 transitions", 401, 404),
            "post": _op(
                "Move the pair: introduced (first_meeting_on, led_by), declined or ended_early "
                "(reason_code, reason), active (the next phase), completed or redefined "
                "(outcomes)",
                "201 the mentorship",
                *step,
                body={
                    "to": STATE,
                    "first_meeting_on": DAY,
                    "led_by": {"enum": ["mentee", "coordinator"]},
                    "reason_code": {"enum": sorted({*DECLINE_REASONS, *END_REASONS})},
                    "reason": {"type": "string"},
                    "phase": {"type": "string"},
                    **OUTCOME,
                },
            ),
        },
        "/mentorships/{id}/agreement": {
            "parameters": mid,
            "patch": _op(
                "Change the agreement before both accepted (each side accepts again)",
                "200 the mentorship",
                *step,
                body={
                    "minimum_value": {"type": "integer"},
                    "months": {"type": "number"},
                    "goals": {"type": "array", "items": {"type": "string"}},
                    "notes": {"type": "string"},
                },
            ),
        },
        "/mentorships/{id}/agreement/accept": {
            "parameters": mid,
            "post": _op(
                "Accept the agreement for your side; when both have, the first phase starts "
                "and follow-ups are scheduled",
                "200 the mentorship",
                *step,
                body={"side": SIDE},
            ),
        },
        "/mentorships/{id}/meetings": {
            "parameters": mid,
            "get": _op("Meetings, newest first", "200 meetings", 401, 404),
            "post": _op(
                "Log a meeting",
                "201 the meeting",
                *step,
                body={
                    "held_on": DAY,
                    "kind": {"enum": ["face_to_face", "phone", "online", "email"]},
                    "minutes": {"type": "integer", "minimum": 1, "maximum": 1440},
                    "note": {"type": "string", "maxLength": 2000},
                },
            ),
        },
        "/mentorships/{id}/goals": {
            "parameters": mid,
            "get": _op("Her goals in this mentorship", "200 goals", 401, 404),
            "post": _op(
                "Add a goal: one of hers, or custom with a title",
                "201 the goal",
                *step,
                body={"key": {"type": "string"}, "title": {"type": "string"}, "target_on": DAY},
            ),
        },
        "/mentorships/{id}/goals/{goal_id}": {
            "parameters": sub("goal_id"),
            "patch": _op(
                "Update a goal's status and dates",
                "200 the goal",
                *step,
                body={
                    "status": {"enum": ["open", "in_progress", "achieved", "dropped"]},
                    "achieved_on": DAY,
                    "target_on": DAY,
                },
            ),
        },
        "/mentorships/{id}/follow-ups": {
            "parameters": mid,
            "get": _op("The coordinator's check-ins (staff only)", "200 follow-ups", 401, 403, 404),
        },
        "/mentorships/{id}/follow-ups/{follow_up_id}/done": {
            "parameters": sub("follow_up_id"),
            "post": _op(
                "Mark a check-in done, with a note (staff only)",
                "200 the follow-up",
                *step,
                body={"note": {"type": "string"}},
            ),
        },
        "/mentorships/{id}/close": {
            "parameters": mid,
            "post": _op(
                "Close the programme part: completed (needs the farewell) or redefined",
                "200 the mentorship",
                *step,
                body={
                    "to": {"enum": ["completed", "redefined"]},
                    "reason": {"type": "string"},
                    **OUTCOME,
                },
            ),
        },
        "/mentorships/{id}/satisfaction": {
            "parameters": mid,
            "post": _op(
                "Your own satisfaction with the cycle, 1 to 5 (mentor or mentee)",
                "200 the mentorship",
                *step,
                body={"satisfaction": {"type": "integer", "minimum": 1, "maximum": 5}},
            ),
        },
        "/follow-ups": {
            "get": _op(
                "Check-ins due within a week or overdue, across your pairs (staff only)",
                "200 follow-ups",
                401,
                403,
            ),
        },
    }


def openapi_document(slug: str) -> dict[str, Any]:
    page_params = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {
            "name": "per_page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 200},
        },
    ]
    member = {"$ref": "#/components/schemas/Member"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Mentornet API",
            "version": "1",
            "description": "While a programme is read-only (payment overdue past the grace "
            "period, or subscription ended) every write answers 402 with code read_only; "
            "reads keep working.",
        },
        "servers": [{"url": f"/{slug}/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/me": {
                "get": {
                    "summary": "The member the token belongs to",
                    "responses": {"200": {"description": "ok"}, **_errors(401, 404)},
                }
            },
            "/members": {
                "get": {
                    "summary": "Members of the tenant (staff only)",
                    "parameters": page_params,
                    "responses": {
                        "200": {
                            "description": "a page of members",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "items": {"type": "array", "items": member},
                                            "page": {"type": "integer"},
                                            "per_page": {"type": "integer"},
                                            "total": {"type": "integer"},
                                            "pages": {"type": "integer"},
                                        },
                                    }
                                }
                            },
                        },
                        **_errors(400, 401, 403, 404),
                    },
                }
            },
            "/members/{id}": {
                "get": {
                    "summary": "One member (staff only)",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "the member",
                            "content": {"application/json": {"schema": member}},
                        },
                        **_errors(401, 403, 404),
                    },
                }
            },
            **_participant_paths(),
            **_matching_paths(),
            **_cycle_paths(),
            **reports_paths(),
            "/settings": {
                "get": {
                    "summary": "The tenant's settings (admin only)",
                    "responses": {"200": {"description": "ok"}, **_errors(401, 403, 404)},
                },
                "put": {
                    "summary": "Replace the tenant's settings (admin only); validated, and kept "
                    "in the history. Problems come back per key path in error.fields",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["settings"],
                                    "properties": {"settings": {"type": "object"}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {"description": "saved; `changes` lists each changed key path"},
                        **_errors(400, 401, 403, 404, 422),
                    },
                },
            },
            "/settings/history": {
                "get": {
                    "summary": "Changes to the settings, newest first: who, when, what "
                    "(admin only)",
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer"}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {"200": {"description": "a page"}, **_errors(400, 401, 403, 404)},
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message", "fields"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {"type": "object"},
                            },
                        }
                    },
                },
                "Participant": {"type": "object", "properties": PARTICIPANT_PROPERTIES},
                "MatchingRun": {"type": "object", "properties": MATCHING_RUN_PROPERTIES},
                "Member": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "email": {"type": "string"},
                        "role": {"enum": ["admin", "coordinator", "mentor", "mentee"]},
                        "offices": {"type": "array", "items": {"type": "string"}},
                        "created_at": {"type": "string", "format": "date-time"},
                    },
                },
            },
        },
    }
