"""What the editor's templates show for the vocabulary: labels, icons and hints, safe links.

Registered once as Jinja globals and filters by tracker/editor/__init__.py
(templates import _macros.html without context, so these are globals, not a
context processor).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markupsafe import Markup

from scrapers.article import BIDI_CONTROLS
from tracker.claim_queries import RULED_ON_EARLIER_WORDING
from tracker.vocab import CLAIMANT_TYPES, CORRECTION_LABEL, RULINGS, STANCES, STATUS_LABELS, STATUSES

# Shape as well as colour and word, so a status reads at a glance without colour vision.
STATUS_ICONS = {"confirmed": "✓", "denied": "✕", "unclear": "?", "unreviewed": "○"}
STATUS_HINTS = {
    "confirmed": "The evidence establishes it.",
    "denied": "The evidence shows it is false.",
    "unclear": "The evidence is missing, thin or conflicting.",
}
CLAIMANT_TYPE_LABELS = {
    "named": "Named person",
    "anonymous": "Anonymous source",
    "organization": "Organisation",
    "outlet": "News outlet",
    "document": "Document",
    "unattributed": "Unattributed",
}
STANCE_LABELS = {"supports": "Supports", "contradicts": "Contradicts", "context": "Context"}

# How a document's text was read (documents.extractor, scrapers/documents.py), as its page says it: the page
# said "Text read by text" for a memo. A name not listed here is said as before, "Text read by NAME".
EXTRACTOR_LABELS = {
    "pdfminer.six": "Text from the PDF's text layer",
    "docx": "Text from the Word file",
    "html": "Text from the saved web page",
    "text": "Plain-text file",
    "transcribed by hand": "Text typed in by hand",
}


def kind_label(item: dict) -> str:
    """What a coverage item is, in words, for lists, pages and select boxes."""
    return {"document": "Document", "post": "Post", "reporting": "Our reporting", "statement": "Statement"}.get(
        item.get("kind") or "", "Article"
    )


def template_context() -> dict:
    return {
        "STATUS_LABELS": STATUS_LABELS,
        "STATUS_ICONS": STATUS_ICONS,
        "STATUS_HINTS": STATUS_HINTS,
        "CLAIMANT_TYPE_LABELS": CLAIMANT_TYPE_LABELS,
        "STANCE_LABELS": STANCE_LABELS,
        "EXTRACTOR_LABELS": EXTRACTOR_LABELS,
        "CLAIMANT_TYPES": CLAIMANT_TYPES,
        "STANCES": STANCES,
        "STATUSES": STATUSES,
        "RULINGS": RULINGS,
        "CORRECTION": CORRECTION_LABEL,
        "RULED_ON_EARLIER_WORDING": RULED_ON_EARLIER_WORDING,
        "http_url": http_url,
        "host": host,
        "source_name": source_name,
    }


def shown(value: object) -> object:
    """Every value a template prints, without bidi overrides, embeddings or isolates (BIDI_CONTROLS).

    A scraped title holding U+202E read as something it does not say ("Acme \u202egnillacer ton" showed "Acme
    not recalling") on every page that printed it, and a pasted claimant could do the same; the alerts drop
    them, and so do the editor's pages, once, as Jinja's `finalize`. Arabic and Hebrew still read right to left.
    """
    if isinstance(value, str) and BIDI_CONTROLS.search(value):
        cleaned = BIDI_CONTROLS.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned  # removing characters adds no markup
    return value


def http_url(url: str | None) -> str | None:
    """Only web addresses become links: a scraped `javascript:` URL stays inert text."""
    try:
        scheme = urlsplit((url or "").strip()).scheme.lower()
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    return url.strip() if scheme in ("http", "https") else None


def host(url: str | None) -> str:
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


def source_name(source: dict) -> str:
    """What a source is called on a page: the outlet typed for it, else the name its feed gives itself
    (once a pass has read it), else its host."""
    return source.get("outlet") or source.get("title") or host(source.get("url")) or source.get("url") or ""


_OPENING, _CLOSING = "\"'“‘„«‹", "\"'”’“»›"


def unquoted(text: str | None) -> str:
    """A quotation's words without the quote marks around them: the page puts its own (“"The AI…” otherwise)."""
    text = (text or "").strip()
    if len(text) > 1 and text[0] in _OPENING and text[-1] in _CLOSING:
        return text[1:-1].strip()
    return text


def quoted(text: str | None, length: int | None = None) -> str:
    """A quotation inside one pair of the page's quote marks, cut to about `length` characters.

    A sentence that opens or closes with a quotation of its own ("“We are reviewing,” said Dana Okafor.")
    keeps its marks and gets no second pair: wrapped, it read "““We are reviewing,” said Dana Okafor.”".
    """
    text = unquoted(text)
    if length is not None and len(text) > length:
        text = text[:length].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    if text[:1] in _OPENING or text[-1:] in _CLOSING:
        return text
    return f"“{text}”"
