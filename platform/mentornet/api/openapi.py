"""The OpenAPI 3.1 document of API v1, served per tenant."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*statuses: int) -> dict[str, Any]:
    return {
        str(s): {"description": "error", "content": {"application/json": {"schema": ERROR}}}
        for s in statuses
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
        "info": {"title": "Mentornet API", "version": "1"},
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
            "/settings": {
                "get": {
                    "summary": "The tenant's settings (admin only)",
                    "responses": {"200": {"description": "ok"}, **_errors(401, 403, 404)},
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
