"""JSON-LD: the page's <script type="application/ld+json"> blocks as items, and their values as text.

Publishers nest items (@graph, mainEntity), give one value or a list, a string
or an object with a name, and write JSON with trailing commas; these helpers
absorb that so the metadata readers see plain strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from scrapers.article.cleaning import clean


def json_ld(tree: HtmlElement) -> Iterator[dict]:
    """The items of every JSON-LD block; a block that is not JSON, or nests deeper than Python's
    parser goes (RecursionError, a hostile or broken page), is skipped, not fatal to the page."""
    for script in tree.xpath("//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        for data in _json_values(raw):
            yield from _ld_items(data)


# A comment or CDATA wrapper (also behind "//"), a comment of its own before the JSON, and a template's statement
# end, around the JSON.
WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--[^{\[]*?-->|<!--)|(?://\s*)?(?:\]\]>|-->|;)\s*$")
TRAILING_COMMA = re.compile(r",\s*([}\]])")
ESCAPE = re.compile(r"\\(.)", re.S)
DECODER = json.JSONDecoder(strict=False)


def _json_values(raw: str) -> list:
    """The JSON values a block holds, as CMSs write it: several written one after another (two plugins'
    blocks in one script), trailing commas, and escapes JSON has not ("It\\'s", PHP's addslashes: the
    character kept, the backslash dropped). Empty when it holds none."""
    raw = WRAPPERS.sub("", raw)
    for text in (raw, TRAILING_COMMA.sub(r"\1", raw)):
        try:
            return [json.loads(text, strict=False)]
        except json.JSONDecodeError:
            continue
        except RecursionError:
            return []
    text = ESCAPE.sub(lambda m: m[0] if m[1] in '"\\/bfnrtu' else m[1], TRAILING_COMMA.sub(r"\1", raw))
    values: list = []
    position = 0
    try:
        while position < len(text):
            value, position = DECODER.raw_decode(text, position)
            values.append(value)
            while position < len(text) and (text[position].isspace() or text[position] in ",;"):
                position += 1
    except (json.JSONDecodeError, RecursionError):
        pass  # the values before the break are kept
    return values


def _ld_items(data, depth: int = 0) -> Iterator[dict]:
    if depth > 4:
        return
    if isinstance(data, list):
        for d in data:
            yield from _ld_items(d, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _ld_items(data["@graph"], depth + 1)
        yield data
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _ld_items(main, depth + 1)


def ld_types(item: dict) -> set[str]:
    types = item.get("@type")
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list):
        return set()
    # "NewsArticle", "https://schema.org/NewsArticle" and "schema:NewsArticle" are one type.
    return {t.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for t in types if isinstance(t, str)}


def ld_names(value, depth: int = 0) -> str | None:
    if isinstance(value, list):
        if depth > 4:  # a list of lists of names is already unusual; deeper is a broken page
            return None
        names = [n for n in (ld_names(v, depth + 1) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        return ld_text(value.get("name"))
    return ld_text(value)


def ld_text(value) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if isinstance(value, str):
        return clean(value)
    return None
