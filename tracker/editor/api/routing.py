"""How an API route is declared, checked and called: @endpoint, the request's user, body and query validation.

@endpoint only describes a view (its method, path, responses, body and
query schemas) and returns it unchanged; nothing is registered on import.
tracker/editor/api/__init__.py collects the declared views of the modules it
lists (views_of) and adds them to the blueprint (add_routes), each wrapped
so that it receives a validated `body` and `query`. The same declarations
make /api/openapi.json (tracker/editor/api/openapi.py), so the document can
never promise a check the API does not make.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType

from flask import Blueprint, g, request
from flask.typing import ResponseReturnValue

from tracker import users
from tracker.db import TrackerError
from tracker.editor.api import idempotency, schemas
from tracker.editor.forms import whole_number

BLUEPRINT = "api"
INTEGER_TEXT = re.compile(r"(-?)([0-9]+)(?:\.0*)?")


@dataclass
class Endpoint:
    method: str
    path: str  # OpenAPI style: /claims/{claim_id}
    summary: str
    responses: dict[int, str]
    body: str | None = None
    params: dict[str, dict] = field(default_factory=dict)
    auth: bool = True
    editors_only: bool = False
    forbidden: str = "Only editors and admins change a claim's status."  # the 403 message of editors_only
    description: str = ""
    endpoint: str = ""
    # Statuses a request that fits the schema can still get, and why: rules of the newsroom's data no
    # schema can state (a quote must be in the text it quotes). /api/openapi.json lists each under its
    # status and in the operation's "x-rules"; docs/api.md says why they exist.
    rules: dict[int, str] = field(default_factory=dict)
    # OpenAPI links of the success answer (name -> {"operationId", "parameters"}): where the ids it carries lead,
    # for a client and for schemathesis' stateful phase, which follows them.
    links: dict[str, dict] = field(default_factory=dict)
    # A POST that creates (answers 201) takes an Idempotency-Key (idempotency.py) unless this is False: for a body
    # holding a secret, which no record may keep even hashed.
    keyed: bool = True

    def __post_init__(self) -> None:
        if self.takes_key:
            for status, rule in ((422, idempotency.REUSED_RULE), (409, idempotency.BUSY_RULE)):
                self.responses.setdefault(status, "Error")
                self.rules[status] = f"{self.rules[status]}; {rule}" if status in self.rules else rule
            self.responses.setdefault(400, "Error")

    @property
    def takes_key(self) -> bool:
        """Whether a retry of this operation can name itself with an Idempotency-Key header."""
        return self.keyed and self.method == "POST" and 201 in self.responses


class ApiError(TrackerError):
    """A refusal with field-level details, shown as {"message", "errors"}."""

    def __init__(self, message: str, status_code: int, errors: list[dict] | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.errors = errors or []


def endpoint(method: str, path: str, summary: str, responses: dict[int, str], **options) -> Callable:
    """Declare an API route on a view: what it takes and answers, for Flask and for /api/openapi.json alike."""

    def declare(view: Callable) -> Callable:
        view.api_endpoint = Endpoint(  # type: ignore[attr-defined]
            method, path, summary, responses, endpoint=f"{BLUEPRINT}.{view.__name__}", **options
        )
        return view

    return declare


def views_of(module: ModuleType) -> list[Callable]:
    """The views a module declares with @endpoint, in the order it defines them."""
    return [
        value
        for value in vars(module).values()
        if callable(value) and hasattr(value, "api_endpoint") and value.__module__ == module.__name__
    ]


def add_routes(bp: Blueprint, views: Iterable[Callable], components: dict[str, dict]) -> list[Endpoint]:
    """Add each declared view to the blueprint, validating against `components`; returns their declarations."""
    specs = []
    for view in views:
        spec: Endpoint = view.api_endpoint  # type: ignore[attr-defined]
        if set(spec.rules) - set(spec.responses):
            raise ValueError(f"{spec.endpoint}: a rule's status is not among its responses")
        rule = spec.path
        for name in path_params(spec.path):
            converter = "int:" if name.endswith("_id") else ""
            rule = rule.replace("{" + name + "}", f"<{converter}{name}>")
        bp.add_url_rule(rule, view.__name__, _wrap(view, spec, components), methods=[spec.method])
        specs.append(spec)
    return specs


def path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def api_user() -> dict:
    """The account this request acts for (set by tracker/editor/api/auth.py before every view)."""
    return g.api_user


def _wrap(view: Callable, spec: Endpoint, components: dict[str, dict]) -> Callable:
    def wrapped(**kwargs) -> ResponseReturnValue:
        if spec.editors_only and not users.can_rule(api_user()):
            # Before reading the body: a reporter's tool learns it may not, not what it got wrong.
            raise ApiError(spec.forbidden, 403)
        # The key before the body: a malformed one is the documented 400 whatever the body (it was the body's 422).
        key = idempotency.sent_key() if spec.takes_key else None
        if spec.params:
            kwargs["query"] = _query(spec.params, components)
        if spec.body:
            kwargs["body"] = _body(spec.body, components)
        if key is not None:
            return idempotency.once(api_user()["id"], key, lambda: view(**kwargs))
        return view(**kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


NOT_JSON = "Send a JSON object with Content-Type: application/json."


def _body(schema_name: str, components: dict[str, dict]) -> dict:
    data = _sent_json()
    errors = schemas.validate(schemas.ref(schema_name), data, components=components)
    if errors:
        first = errors[0]
        raise ApiError(f"Invalid request: {first['field']} {first['message']}.", 422, errors)
    return schemas.normalize(schemas.ref(schema_name), data, components=components)


def _sent_json() -> object:
    """The request's JSON body, or an ApiError saying in one line what is wrong with it.

    Every body that could not be read was told to "Send a JSON object with Content-Type: application/json", though
    it had been sent as that: a body in Latin-1, with a trailing comma, nested deeper than the parser recurses (a
    500 before that), or with a number longer than Python converts. Each is now said as what it is.
    """
    if not request.is_json:
        raise ApiError(NOT_JSON, 400)
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ApiError(NOT_JSON, 400)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(
            f"The body is not UTF-8 (byte 0x{raw[e.start]:02x} at byte {e.start + 1}): send JSON in UTF-8.", 400
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        said = e.msg[:1].lower() + e.msg[1:]
        raise ApiError(f"The body is not JSON: {said} at line {e.lineno}, column {e.colno}.", 400) from None
    except RecursionError:
        raise ApiError(
            "The body nests arrays or objects deeper than any request does: send a JSON object.", 400
        ) from None
    except ValueError:  # a number longer than int() converts (sys.get_int_max_str_digits)
        raise ApiError(
            f"The body holds a number longer than {sys.get_int_max_str_digits():,} digits: send a JSON object.", 400
        ) from None


def _integer(raw: str) -> int | str:
    """A query's integer (10115, or 10115.0: both integers to JSON Schema), else the text for the schema to refuse."""
    whole = INTEGER_TEXT.fullmatch(raw)
    number = whole_number(whole.group(2)) if whole else None
    if number is None:
        return raw
    return -number if whole.group(1) else number


def _query(params: dict[str, dict], components: dict[str, dict]) -> dict:
    if "cursor" in params and "page" not in params and "page" in request.args:
        # Ignored, `page=2` gave the first page again as if it were the second: said, with the way to page on.
        message = "is not taken: these lists page by cursor; pass the last page's next_cursor as cursor"
        raise ApiError(
            f"Invalid query: page {message} (the first page needs none).", 400, [{"field": "page", "message": message}]
        )
    values: dict = {}
    errors = []
    for name, schema in params.items():
        raw = request.args.get(name)
        if raw is None:  # sent empty, it is checked like any value: `until=` is no date
            continue
        value: object = raw
        if schema.get("type") == "integer":
            value = _integer(raw)
        elif schema.get("type") == "boolean":
            value = {"true": True, "false": False, "1": True, "0": False}.get(raw.lower(), raw)
        errors += schemas.validate(schema, value, name, components=components)
        values[name] = value
    if errors:
        raise ApiError(f"Invalid query: {errors[0]['field']} {errors[0]['message']}.", 400, errors)
    return values
