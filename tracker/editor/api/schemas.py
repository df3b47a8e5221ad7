"""The JSON API's shapes, written once: the API validates requests with them and /api/openapi.json publishes them.

Schemas are JSON Schema 2020-12 dicts, as OpenAPI 3.1 takes them. The
validator below covers the keywords used here (type, enum, required,
properties, additionalProperties, items, lengths, bounds, $ref to another
schema of the API's components); a schema that uses anything else fails
loudly when tracker/editor/api/__init__.py assembles the API, so the
document can never promise a check the API does not make. SCHEMAS here are
the shapes of stories, coverage and claims; the candidates and questions
modules declare their own.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from scrapers.urls import MAX_URL
from tracker.claim_queries import SEARCH_SORTS
from tracker.claims import MAX_CHARS
from tracker.db import REFUSED_CONTROLS
from tracker.editor.forms import MAX_CITED, is_unicode
from tracker.stories import CAPPED, NEW_COUNTED
from tracker.vocab import CLAIMANT_TYPES, COVERAGE_KINDS, RULINGS, STANCES, STATUSES

SUPPORTED = {
    "type",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "$ref",
    "description",
    "default",
    "format",
    "examples",
    "pattern",
    "contentEncoding",  # an annotation, as in JSON Schema 2020-12: the view decodes, and says so in its x-rules
}
# What a request's text may hold, said in each string schema as a pattern so the document states what
# validate() checks. minLength means some text, not only blanks: BLANKS lists them instead of using \S,
# because \S differs between dialects (Python counts U+001C..U+001F and U+0085 as space, the ECMA-262
# regexes of JSON Schema count U+FEFF), and neither counts the invisible format characters that
# tracker.db.shows_nothing does (a zero-width space, a soft hyphen). The class holds the union, so both
# dialects refuse what the API refuses; characters past U+FFFF are written as themselves, as every
# dialect reads them. tests/test_api.py checks it against shows_nothing over all of Unicode. No string
# may hold what tracker.db.refuse_control_chars refuses (a NUL, an escape). Each pattern reads every
# character at most a few times in both dialects: the classes before and after the one non-blank never
# overlap it.
BLANKS = (
    r"\x09-\x0d\x1c-\x20\x85\xa0\xad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f"
    r"\u3000\ufeff\ufff9-\ufffb"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
CONTROLS = "".join(f"\\x{ord(c):02x}" for c in REFUSED_CONTROLS)
NONBLANK = f"^[{BLANKS}]*[^{BLANKS}{CONTROLS}][^{CONTROLS}]*$"
TYPED = f"^[^{CONTROLS}]*$"
# A file's name as the client's system wrote it: folders, line breaks and escape codes are taken and left
# out of the name kept (tracker.captures.file_name), so it need only hold something that is not blank.
FILE_NAME = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": f"[^{BLANKS}]"}
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


def state_text(schema: Any) -> None:
    """Give every free-text string schema of a request its pattern (in place): NONBLANK with a minLength, else
    TYPED. Enums, dates and strings with a pattern of their own say what they take already."""
    if isinstance(schema, dict):
        types = schema.get("type")
        if (types == "string" or (isinstance(types, list) and "string" in types)) and not (
            {"enum", "pattern", "format"} & schema.keys()
        ):
            schema["pattern"] = NONBLANK if schema.get("minLength", 0) >= 1 else TYPED
        for value in schema.values():
            state_text(value)
    elif isinstance(schema, list):
        for value in schema:
            state_text(value)


def request_schemas(body_names: list[str], components: dict[str, dict]) -> set[str]:
    """These components and every one they reach through $refs (a request body's: the ones state_text applies to)."""
    found: set[str] = set()
    todo = list(body_names)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(components[name]))
    return found


def _pattern_message(pattern: str, value: str) -> str:
    """What a string its pattern refuses lacks, in words."""
    if "\x00" in value:  # named as refuse_control_chars names it, in the editor's forms too
        return "holds a NUL character (invisible, often pasted): remove it"
    if any(c in value for c in REFUSED_CONTROLS):
        return "holds a control character (an invisible escape code, often pasted): remove it"
    if pattern == NONBLANK:
        return "must not be empty"
    return f"must match {pattern}"


def ref(name: str) -> dict:
    """A reference to another schema of the API's components."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, required: list[str] | None = None, description: str = "") -> dict:
    """An object schema with exactly these properties (every one required unless `required` says which)."""
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties) if required is None else required,
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


STR = {"type": "string"}
# A web address given to fetch or cite: as long as the editor's forms take (scrapers/urls.py MAX_URL).
URL = {"type": "string", "minLength": 1, "maxLength": MAX_URL}
INT = {"type": "integer"}
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}  # what SQLite can hold
STAMP = {"type": "string", "description": "UTC time, ISO 8601 (2026-11-24T09:30:00Z)."}
NULLABLE_STR = {"type": ["string", "null"]}
NULLABLE_STAMP = {"type": ["string", "null"], "description": STAMP["description"]}
PRECISION = {
    "type": ["string", "null"],
    "enum": ["day", None],
    "description": "day: the source gave only the date; the stamp's date is that day as the source wrote it, its "
    "time only where the item stands within the day (when we first saw it). null: the stamp is exact.",
}
OFFSET = {
    "type": ["integer", "null"],
    "minimum": -1080,
    "maximum": 1080,
    "description": "The offset from UTC, in minutes east, the source wrote the time with (-300: New York in winter): "
    "the stamp on its own clock is the day and time it printed. null: UTC, or not known.",
}
STATUS = {"type": "string", "enum": list(STATUSES)}

EVIDENCE_CREATE = obj(
    {
        "revision_id": {**ID, "description": "The coverage revision the quote comes from (see /coverage)."},
        "quote": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_CHARS["quote"],
            "description": "The exact words, as they appear in the revision's text; refused with 422 otherwise.",
        },
        "stance": {"type": "string", "enum": list(STANCES), "default": "supports"},
        "start": {**ID, "minimum": 0, "description": "Offset of the quote, when it occurs twice."},
        "page": {**ID, "description": "A document's page to look for the quote on."},
    },
    required=["revision_id", "quote"],
)


def nullable(schema: dict) -> dict:
    """An object schema that also takes null (validate() follows no $ref beside a type, so the shape is inline)."""
    return {**schema, "type": ["object", "null"]}


COUNT = {"type": "integer", "minimum": 0}
# What came in since a person last looked at a story (tracker.stories.new_since_looked), as the story page says it.
SINCE_LOOKED = obj(
    {
        "looked_at": {**STAMP, "description": "When this account last looked at the story. " + STAMP["description"]},
        "rulings": {**COUNT, "description": "Status changes of the story's claims since."},
        "claims": {**COUNT, "description": "Claims logged since."},
        "candidates": {**COUNT, "description": "Claim candidates found since and still waiting for triage."},
        "coverage": {**COUNT, "description": "Scraped articles and statements stored or revised since (each once)."},
        "total": {**COUNT, "description": "The four counts added up."},
        "capped": {
            "type": "array",
            "maxItems": len(CAPPED),
            "items": {"type": "string", "enum": list(CAPPED)},
            "description": f"The counts that are of the newest {NEW_COUNTED:,} ids only (the last look was long "
            'ago): each is at least that many, as the editor says "at least 3 claims logged"; with a total of 0, '
            "older changes may still be new.",
        },
    }
)

SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "additionalProperties": False,
        "required": ["message"],
        "properties": {
            "message": STR,
            "errors": {
                "type": "array",
                "items": obj({"field": STR, "message": STR}),
            },
        },
    },
    "StatusCounts": obj({s: {"type": "integer", "minimum": 0} for s in STATUSES}),
    "Story": obj(
        {
            "slug": STR,
            "title": STR,
            "description": STR,
            "keywords_include": STR,
            "keywords_exclude": STR,
            "created_at": STAMP,
            "claims": {"type": "integer", "minimum": 0},
            "counts": ref("StatusCounts"),
            "new": {
                **nullable(SINCE_LOOKED),
                "description": "What came in since the token's account last looked at the story (its page in the "
                "editor, or POST /stories/{slug}/looked); null when it never has, and on a read-only database, which "
                "keeps no look (the editor's pages say none there either).",
            },
        }
    ),
    "SinceLooked": SINCE_LOOKED,
    "StoryList": obj({"stories": {"type": "array", "items": ref("Story")}}),
    "Coverage": obj(
        {
            "id": ID,
            "kind": {"type": "string", "enum": list(COVERAGE_KINDS)},
            "url": STR,
            "outlet": NULLABLE_STR,
            "title": NULLABLE_STR,
            "published_at": NULLABLE_STAMP,
            "published_precision": PRECISION,
            "published_offset": OFFSET,
            "latest_revision_id": {"type": ["integer", "null"]},
            "revision_count": {"type": "integer", "minimum": 0},
        }
    ),
    "CoverageList": obj(
        {
            "coverage": {"type": "array", "items": ref("Coverage")},
            "next_cursor": {"type": ["string", "null"], "description": "Pass as cursor for the next page."},
        }
    ),
    "ClaimSummary": obj(
        {
            "id": ID,
            "story": STR,
            "text": STR,
            "claimant": STR,
            "claimant_type": {"type": "string", "enum": list(CLAIMANT_TYPES)},
            "status": STATUS,
            "status_changed_at": NULLABLE_STAMP,
            "version": ID,
            "published": {"type": "boolean", "description": "Marked publishable by an editor."},
            "first_reported_at": NULLABLE_STAMP,
            "first_reported_precision": PRECISION,
            "first_reported_offset": OFFSET,
            "created_at": STAMP,
            "updated_at": STAMP,
            "evidence_count": {"type": "integer", "minimum": 0},
            "snippet_html": {
                "type": ["string", "null"],
                "description": "With q: the matching words in <mark>, everything else HTML-escaped.",
            },
        }
    ),
    "ClaimList": obj(
        {
            "claims": {"type": "array", "items": ref("ClaimSummary")},
            "next_cursor": {"type": ["string", "null"], "description": "Pass as cursor for the next page."},
        }
    ),
    "Evidence": obj(
        {
            "id": ID,
            "claim_id": ID,
            "revision_id": ID,
            "coverage_id": ID,
            "quote": STR,
            "start": INT,
            "end": INT,
            "stance": {"type": "string", "enum": list(STANCES)},
            "url": STR,
            "outlet": NULLABLE_STR,
            "title": NULLABLE_STR,
            "published_at": NULLABLE_STAMP,
            "published_precision": PRECISION,
            "published_offset": OFFSET,
            "added_by": NULLABLE_STR,
            "added_at": STAMP,
            "changed_in_later_revision": {
                "type": "boolean",
                "description": "The quote is gone from a later revision of the coverage: review the claim.",
            },
            "coverage_kind": {"type": "string", "enum": list(COVERAGE_KINDS)},
            "page": {"type": ["integer", "null"], "description": "The document page the quote is on."},
            "capture_id": {
                "type": ["integer", "null"],
                "description": "The item as received that the quoted text was read from (GET /captures/{id}).",
            },
            "received_at": NULLABLE_STAMP,
            "sha256": {"type": ["string", "null"], "description": "SHA-256 of the item as received."},
            "public_attribution": {
                "type": ["string", "null"],
                "description": "Our reporting: the approved line readers see; null until an editor approves it.",
            },
        }
    ),
    "HistoryEntry": obj(
        {
            "id": ID,
            "from_status": STATUS,
            "to_status": STATUS,
            "rationale": {"type": "string", "description": "Internal; never published."},
            "public_rationale": STR,
            "is_correction": {"type": "boolean"},
            "editor": NULLABLE_STR,
            "at": STAMP,
            "cited_evidence_ids": {"type": "array", "items": ID},
        }
    ),
    "RelatedClaim": obj({"id": ID, "text": STR, "status": STATUS}),
    "EvidenceCreate": EVIDENCE_CREATE,
    "ClaimCreate": obj(
        {
            "text": {"type": "string", "minLength": 1, "maxLength": MAX_CHARS["text"]},
            "claimant": {
                "type": "string",
                "maxLength": MAX_CHARS["claimant"],
                "description": "As publicly attributed.",
            },
            "claimant_type": {"type": "string", "enum": list(CLAIMANT_TYPES)},
            "source_identity": {
                "type": "string",
                "maxLength": MAX_CHARS["source_identity"],
                "description": "Confidential; never published.",
            },
            "internal_notes": {
                "type": "string",
                "maxLength": MAX_CHARS["internal_notes"],
                "description": "Never published.",
            },
            "evidence": {"type": "array", "maxItems": 20, "items": ref("EvidenceCreate")},
        },
        required=["text", "claimant_type"],
    ),
    "StatusChange": obj(
        {
            "status": {"type": "string", "enum": list(RULINGS)},
            "rationale": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_CHARS["rationale"],
                "description": "Never published.",
            },
            "public_rationale": {
                "type": "string",
                "maxLength": MAX_CHARS["public_rationale"],
                "description": "Shown to readers; required when the ruling corrects a published claim.",
            },
            "version": {**ID, "description": "The claim's version you based the ruling on (409 if it moved)."},
            "evidence_ids": {"type": "array", "minItems": 1, "maxItems": MAX_CITED, "items": ID},
        },
        required=["status", "rationale", "version", "evidence_ids"],
    ),
}

# The description of an operation whose request, sent again once it is done, is answered as done (not 409).
SENT_TWICE = (
    "The same request sent again once it is done (a retry whose answer was lost) is answered 200 with the {kind} "
    "as it is, not 409: {what}."
)

CLAIM_DETAIL_EXTRA = {
    "source_identity": {"type": "string", "description": "Confidential; never published."},
    "internal_notes": {"type": "string", "description": "Never published."},
    "created_by": NULLABLE_STR,
    "evidence": {"type": "array", "items": ref("Evidence")},
    "history": {"type": "array", "items": ref("HistoryEntry")},
    "related": {"type": "array", "items": ref("RelatedClaim")},
    "ruled_on_earlier_wording": {
        **nullable(
            obj(
                {
                    "ruling_id": ID,
                    "ruled_at": STAMP,
                    "text": STR,
                    "claimant": STR,
                    "claimant_type": STR,
                }
            )
        ),
        "description": "The claim's latest ruling was made on this earlier wording (or attribution): readers keep "
        "seeing it with its verdict until an editor rules again on the claim as it now reads. null: the ruling, if "
        "any, is on the claim's present words.",
    },
}
SCHEMAS["ClaimDetail"] = obj({**SCHEMAS["ClaimSummary"]["properties"], **CLAIM_DETAIL_EXTRA})
SCHEMAS["ClaimDetail"]["required"] = [k for k in SCHEMAS["ClaimDetail"]["properties"] if k != "snippet_html"]
SCHEMAS["ClaimSummary"]["required"] = [k for k in SCHEMAS["ClaimSummary"]["properties"] if k != "snippet_html"]
SCHEMAS["Conflict"] = obj({"message": STR, "current": ref("ClaimDetail")})

# Rules a schema cannot state, shared by the operations that apply them (routing.Endpoint.rules).
CURSOR_RULE = "a cursor this API did not hand out: pass next_cursor back as it came; a page number (page=)"
PAGE_RULE = "a page for coverage that is not a document, or a page its document does not have"
DATE_RULE = "a date and time that cannot be read (give e.g. 2026-12-02T15:30, UTC), or one in the future"
BASE64_RULE = "content_base64 that is not base64"
QUOTE_RULE = (
    "an evidence quote that is not word for word in its revision's text, or a revision that is not coverage of "
    "this story"
)

# A page's position, base64url of a small JSON object: opaque to clients, who pass next_cursor back.
CURSOR = {
    "type": "string",
    "maxLength": 1000,
    "pattern": "^[A-Za-z0-9_-]+$",
    "description": "next_cursor of the previous page, as it came (opaque: any other value is a 400).",
}

# How many a page of a story's claims or coverage holds.
PAGE_LIMIT = {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}

# Query parameters of the claims list, with the schema each value is checked against.
CLAIM_LIST_PARAMS = {
    "status": STATUS,
    "claimant_type": {"type": "string", "enum": list(CLAIMANT_TYPES)},
    "outlet": {"type": "string", "maxLength": 200},
    "since": {"type": "string", "format": "date", "description": "First day, inclusive (reported date)."},
    "until": {"type": "string", "format": "date", "description": "Last day, inclusive (reported date)."},
    "has_evidence": {"type": "boolean"},
    "q": {"type": "string", "maxLength": 200, "description": "Full-text search in the claim and claimant."},
    "sort": {"type": "string", "enum": list(SEARCH_SORTS), "description": "relevance needs q; default newest."},
    "limit": PAGE_LIMIT,
    "cursor": CURSOR,
}
# The coverage list's: its pages, as the claims list's.
COVERAGE_LIST_PARAMS = {"limit": PAGE_LIMIT, "cursor": CURSOR}


def validate(schema: dict, value: Any, path: str = "", *, components: dict[str, dict] = SCHEMAS) -> list[dict]:
    """Errors of value against schema, each {"field", "message"}; empty when valid.

    A $ref names a schema of `components`: the whole API's (the package
    merges every module's SCHEMAS into one), or by default these.
    """
    if "$ref" in schema:
        return validate(components[schema["$ref"].rsplit("/", 1)[1]], value, path, components=components)
    name = path or "body"
    types = schema.get("type")
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        if not any(_is_type(value, t) for t in allowed):
            return [{"field": name, "message": f"must be {' or '.join(allowed)}"}]
    if "enum" in schema and value not in schema["enum"]:
        return [{"field": name, "message": f"must be one of: {', '.join(map(str, schema['enum']))}"}]
    errors: list[dict] = []
    if isinstance(value, str) and schema.get("format") == "date" and not _is_date(value):
        return [{"field": name, "message": "must be a date like 2026-11-24"}]
    if isinstance(value, str):
        if not is_unicode(value):
            return [{"field": name, "message": "must be Unicode text (it holds a lone surrogate such as \\ud800)"}]
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append({"field": name, "message": _pattern_message(schema["pattern"], value)})
        elif len(value) < schema.get("minLength", 0):
            errors.append({"field": name, "message": "must not be empty"})
        if len(value) > schema.get("maxLength", len(value)):
            errors.append({"field": name, "message": f"must be at most {schema['maxLength']} characters"})
    if _is_type(value, "integer"):
        if value < schema.get("minimum", value):
            errors.append({"field": name, "message": f"must be at least {schema['minimum']}"})
        if value > schema.get("maximum", value):
            errors.append({"field": name, "message": f"must be at most {schema['maximum']}"})
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append({"field": name, "message": f"needs at least {schema['minItems']} item(s)"})
        if len(value) > schema.get("maxItems", len(value)):
            errors.append({"field": name, "message": f"takes at most {schema['maxItems']} items"})
        if "items" in schema:
            for i, item in enumerate(value):
                errors += validate(schema["items"], item, f"{name}[{i}]", components=components)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                errors.append({"field": _join(path, key), "message": "is required"})
        for key, item in value.items():
            if key in props:
                errors += validate(props[key], item, _join(path, key), components=components)
            elif schema.get("additionalProperties") is False:
                errors.append({"field": _join(path, key), "message": "is not a known field"})
    return errors


def normalize(schema: dict, value: Any, *, components: dict[str, dict] = SCHEMAS) -> Any:
    """A validated value with each integer written as 10115.0 turned into 10115, so views only see ints."""
    if "$ref" in schema:
        return normalize(components[schema["$ref"].rsplit("/", 1)[1]], value, components=components)
    if isinstance(value, float) and value.is_integer():
        types = schema.get("type")
        if types == "integer" or (isinstance(types, list) and "integer" in types):
            return int(value)
    if isinstance(value, list) and "items" in schema:
        return [normalize(schema["items"], item, components=components) for item in value]
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: normalize(props[k], v, components=components) if k in props else v for k, v in value.items()}
    return value


def _is_date(value: str) -> bool:
    """An RFC 3339 full-date (2026-11-24), as JSON Schema's "date" format means it."""
    if not DATE_TEXT.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_type(value: Any, kind: str) -> bool:
    return {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        # JSON Schema counts 10115.0 as an integer too; normalize() turns it into 10115 for the view.
        "integer": lambda v: (
            (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
        ),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }[kind](value)


def check_supported(schema: Any) -> None:
    """Refuse a schema that uses a keyword validate() does not check (at import, so the document never lies)."""
    if isinstance(schema, dict):
        unknown = set(schema) - SUPPORTED
        if unknown:
            raise ValueError(f"schema keywords not checked by validate(): {sorted(unknown)}")
        for key, value in schema.items():
            if key == "properties":
                for sub in value.values():
                    check_supported(sub)
            elif key in ("items", "additionalProperties"):
                check_supported(value)
