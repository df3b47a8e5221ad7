"""The JSON API for reporters' own tools: stories, claims, evidence, rulings, candidates, questions.

Authentication is a bearer token (`python -m tracker users token NAME`, or
the Account page); a signed-in browser session works too (auth.py). Errors
are JSON: {"message": ...}, with "errors": [...] when the query or body
failed its schema; bad input is 400 (query) or 422 (body) (errors.py).

The package assembles itself here, and only here: MODULES are the modules
that declare routes with @endpoint (routing.py) and the schemas they use;
build() adds their routes to one blueprint and merges their schemas into the
components that both validate requests and fill /api/openapi.json. Importing
a module registers nothing, and a module added to MODULES is all a new area
of the API needs.
"""

from __future__ import annotations

import copy

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from tracker.editor.api import alerts, candidates, claims, documents, questions, reporting, schemas, stories
from tracker.editor.api.auth import authenticate
from tracker.editor.api.errors import error_response
from tracker.editor.api.openapi import openapi_document
from tracker.editor.api.routing import BLUEPRINT, Endpoint, add_routes, endpoint, views_of

MODULES = (stories, claims, candidates, questions, documents, reporting, alerts)

__all__ = ["bp", "error_response", "MODULES"]


def build() -> tuple[Blueprint, list[Endpoint], dict[str, dict]]:
    """The API blueprint, every route's declaration, and the merged schemas (checked once, here)."""
    components: dict[str, dict] = dict(schemas.SCHEMAS)
    for module in MODULES:
        own = getattr(module, "SCHEMAS", {})
        clash = set(own) & set(components)
        if clash:
            raise ValueError(f"{module.__name__} redefines API schemas {sorted(clash)}")
        components.update(own)
    views = [view for module in MODULES for view in views_of(module)]
    names = [view.__name__ for view in views]
    if len(set(names)) != len(names):
        raise ValueError(f"two API views share a name: {sorted(n for n in names if names.count(n) > 1)}")
    # What requests send gets the patterns of typed text; answers are described as they are. Each request
    # schema is copied first: the dicts it is built of (STAMP, STR) describe answers too.
    requests = schemas.request_schemas([v.api_endpoint.body for v in views if v.api_endpoint.body], components)
    answers = {n for spec in (v.api_endpoint for v in views) for n in spec.responses.values()}
    shared = requests & schemas.request_schemas(sorted(answers - {"OpenAPI"}), components)
    if shared:
        raise ValueError(f"API schemas used in requests and answers alike: {sorted(shared)}")
    for name in requests:
        components[name] = copy.deepcopy(components[name])
        schemas.state_text(components[name])
    for schema in components.values():
        schemas.check_supported(schema)

    bp = Blueprint(BLUEPRINT, __name__, url_prefix="/api")
    bp.before_request(authenticate)
    specs = add_routes(bp, views, components)

    @endpoint("GET", "/openapi.json", "This document", {200: "OpenAPI"}, auth=False)
    def openapi() -> ResponseReturnValue:
        return jsonify(document)

    specs += add_routes(bp, [openapi], components)
    for spec in specs:
        spec.params = copy.deepcopy(spec.params)  # shared dicts (CLAIM_LIST_PARAMS, STATUS) stay as written
        for param in spec.params.values():
            schemas.state_text(param)
            schemas.check_supported(param)
    document = openapi_document(specs, components)
    return bp, specs, components


bp, ENDPOINTS, COMPONENTS = build()
