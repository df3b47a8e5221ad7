"""/api/openapi.json: the OpenAPI 3.1 description of the declared routes, with the merged schemas as components."""

from __future__ import annotations

from tracker.editor.api import idempotency
from tracker.editor.api.routing import Endpoint, path_params
from tracker.editor.api.schemas import ref

API_VERSION = "1.0.0"
ERROR_TEXT = {
    400: "Bad query parameters or request",
    401: "No valid token or session",
    403: "Not allowed for this role",
    404: "Not found",
    409: "It changed since the version given (the claim, question or development as it is now is in `current`), or "
    "the candidate was decided already, or the first request with this Idempotency-Key is still being answered",
    422: "The body failed validation, or a domain rule refused it",
}
# The 503 of a working database that cannot take the request (tracker/editor/__init__.py answers it through
# errors.error_response): any operation with an account can meet it, since the account is read from that database.
# A write meets a full or read-only disk, or another program keeping the database busy; a read, read-only storage
# where SQLite cannot make the -shm a WAL database is read through.
STORAGE_TEXT = {
    "write": "The working database cannot take a write right now (its disk is full or read-only, or another program "
    "keeps it busy), so nothing was saved: send the same request again once that is sorted",
    "read": "The working database is on read-only storage and could not be read right now, so nothing was changed: "
    "try again once whoever runs the tracker has made it writable",
}


def openapi_document(specs: list[Endpoint], components: dict[str, dict]) -> dict:
    """The OpenAPI 3.1 description of these routes, with `components` as its schemas."""
    paths: dict = {}
    for spec in specs:
        operation: dict = {"summary": spec.summary, "operationId": spec.endpoint.split(".", 1)[1], "responses": {}}
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer"} if name.endswith("_id") else {"type": "string"},
            }
            for name in path_params(spec.path)
        ]
        parameters += [
            {"name": name, "in": "query", "required": False, "schema": schema} for name, schema in spec.params.items()
        ]
        if spec.takes_key:
            parameters.append(
                {"name": idempotency.HEADER, "in": "header", "required": False, "schema": idempotency.KEY_SCHEMA}
            )
        if parameters:
            operation["parameters"] = parameters
        if spec.body:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(spec.body)}},
            }
        if spec.description:
            operation["description"] = spec.description
        if not spec.auth:
            operation["security"] = []
        if spec.rules:
            operation["x-rules"] = {str(status): rule for status, rule in sorted(spec.rules.items())}
        responses = {**spec.responses, 503: "Error"} if spec.auth else spec.responses
        for status, schema_name in responses.items():
            description = "OK" if status < 300 else ERROR_TEXT.get(status, "Error")
            if status == 503:
                description = STORAGE_TEXT["read" if spec.method in ("GET", "HEAD") else "write"]
            if status in spec.rules:
                description += f"; also when the request fits the schema: {spec.rules[status]}"
            content_schema = {"type": "object"} if schema_name == "OpenAPI" else ref(schema_name)
            operation["responses"][str(status)] = {
                "description": description,
                "content": {"application/json": {"schema": content_schema}},
            }
        if spec.links:
            operation["responses"][str(min(spec.responses))]["links"] = spec.links
        paths.setdefault(spec.path, {})[spec.method.lower()] = operation
    named = {op["operationId"] for methods in paths.values() for op in methods.values()}
    unknown = {link["operationId"] for spec in specs for link in spec.links.values()} - named
    if unknown:
        raise ValueError(f"links to operations that do not exist: {sorted(unknown)}")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom Tracker API",
            "version": API_VERSION,
            "description": (
                "Stories, claims, evidence and rulings of the newsroom's working database, for reporters' own tools. "
                "Authenticate with `Authorization: Bearer TOKEN` (`python -m tracker users token NAME`, or the "
                "Account page). Confidential fields (source_identity, internal_notes, rationale) are returned to "
                "staff and never published. Errors are JSON with a message. An operation that creates something "
                "takes an Idempotency-Key header: a retry with the same key and request gets the first answer "
                "again and makes nothing."
            ),
        },
        "servers": [{"url": "/api"}],
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
        "paths": paths,
    }
