"""The OpenAPI document as this platform answers: its 422 bodies, not FastAPI's defaults."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

# What a 422 really looks like here (dondoc/platform/errors.py): each problem names its field and says,
# in Vietnamese, what to fix; a refusal decided by a use case carries one message.
_VALIDATION_ITEM = {
    "title": "ValidationError",
    "type": "object",
    "properties": {
        "field": {"type": "string", "title": "Trường"},
        "message": {"type": "string", "title": "Thông báo"},
        "type": {"type": "string", "title": "Loại lỗi"},
    },
    "required": ["message"],
}
_VALIDATION_ANSWER = {
    "title": "HTTPValidationError",
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
                {"type": "string"},
            ]
        }
    },
    "required": ["detail"],
}


def describe_errors_as_sent(app: FastAPI) -> None:
    """Make the OpenAPI document describe the 422 bodies this platform sends, not FastAPI's defaults."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            schemas = schema.get("components", {}).get("schemas", {})
            if "ValidationError" in schemas:
                schemas["ValidationError"] = _VALIDATION_ITEM
                schemas["HTTPValidationError"] = _VALIDATION_ANSWER
            app.openapi_schema = schema
        return app.openapi_schema

    # FastAPI's documented way to customise the schema is to replace the method on the instance.
    app.openapi = openapi  # type: ignore[method-assign]  # see the line above
