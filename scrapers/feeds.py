"""RSS, Atom and JSON feeds and news sitemaps: bytes in, entries out.

feedparser is given the bytes we fetched, never a URL, so it does no network
I/O of its own and every feed can be tested from a saved file. Feeds in the
wild are often malformed; a bozo feed still yields what feedparser could
read, and Feed.problem says why it was only partly read. feedparser reads no
JSON Feed; those are read here, into the same entries.
"""

from __future__ import annotations

import calendar
import io
import json
import math
import pyexpat
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

import feedparser
import lxml.etree
from bs4 import BeautifulSoup, CData, NavigableString, Tag
from feedparser.datetimes import _parse_date as feedparser_date  # the date parser feedparser itself uses

from scrapers.article.charset import LATIN1_LABELS, text_codec
from scrapers.article.cleaning import CONTROLS, without_controls
from scrapers.records import OUTLET_MAX, SUMMARY_MAX, TITLE_MAX, Feed, FeedEntry, ParseError, shorten
from scrapers.timestamps import OFFSET_LIMIT, format_time, utc_offset
from scrapers.urls import is_http_url, is_unresolvable_wrapper, join_url

# A title or byline is a line of text (TITLE_MAX); the feed's own title names the outlet of every entry it lists
# (OUTLET_MAX), so one of megabytes (the body may be 10 MB) would be stored once per entry: 2 MB made 20 items
# hold 40 MB.
# Characters of an entry's markup (its summary, or the whole article in content:encoded) read for its text, of
# which SUMMARY_MAX are kept: 5 MB of paragraphs took 630 MB and 14 s to read whole.
MARKUP_MAX = 256 * 1024
# Tags of that markup read ("<" counted): BeautifulSoup builds an object for each, and 100,000 <b> in 300 KB (none
# of them closed, so no text to stop at) took 3 s of CPU, growing faster than their number. A summary's text starts
# within its first hundred tags; an article's, after its figures and embeds, within a few hundred.
MARKUP_TAGS_MAX = 5000
_FIRST_TAGS = re.compile(f"(?:[^<]*+<){{{MARKUP_TAGS_MAX}}}[^<]*+")
# Entries read from one feed, newest first as feeds list them. Real feeds list tens; one listing 100,000
# (an archive, or a hostile site) would become as many items, whose pages the next passes fetch one by one.
MAX_ENTRIES = 1000
BEYOND_MAX = f"beyond the first {MAX_ENTRIES} entries of the feed"
NO_LINK = "no link"
NOT_HTTP = "link is not an http(s) URL"
UNRESOLVABLE = (
    "a Google News link that does not carry the article's address (only Google can resolve it); "
    "add the outlet's own feed, or the article's address"
)
_C1_CONTROLS = re.compile("[\x80-\x9f]")
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head")
_BLOCKS = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre tr table section article header footer figure "
    "figcaption".split()
)
_TEXT = (NavigableString, CData)  # what get_text() reads: not comments, doctypes or script bodies
_FEED_ROOT = re.compile(rb"\s*<(?:[\w.-]+:)?(rss|feed|RDF|urlset|sitemapindex)[\s>/]")
_SITEMAP_ROOTS = frozenset({b"urlset", b"sitemapindex"})
# A DOCTYPE, with its internal subset (quoted values may hold "]" and ">"); possessive, so nothing backtracks.
_DOCTYPE = rb"(<!DOCTYPE\s++(?!html)[^>\[]*+)(\[(?:[^\]\"']++|\"[^\"]*+\"|'[^']*+')*+\]\s*+)?>"
_PROLOG = re.compile(rb"\s*(?:<\?[^>]*\?>|<!--.*?-->|" + _DOCTYPE + rb")", re.S | re.I)
_SUBSET = re.compile(_DOCTYPE, re.S | re.I)
# An entity a feed may declare: a character (a reference, or a few bytes), as handwritten feeds define &nbsp;.
_SAFE_ENTITY = re.compile(
    rb"""<!ENTITY\s++(\w++)\s++(?:"(&\#\w{1,8};|[^"'&<%]{0,8})"|'(&\#\w{1,8};|[^"'&<%]{0,8})')\s*+>""", re.I
)
# The encoding an XML declaration names: feedparser decodes by it, and fails the whole feed on "undefined".
_DECLARED_AS = re.compile(r"declared as ([\w.:-]+)")  # feedparser's words when the bytes were not that encoding
# Its words before the encoding are taken a word at a time, each whole: "[^>]*?\s+encoding" tried the run of spaces
# from each of its spaces, and a declaration of 40,000 spaces took 3.4 s.
_DECLARED_ENCODING = re.compile(rb"""\A(\s*+<\?xml\b(?:\s*+[^\s>]++)*?)\s++encoding\s*+=\s*+(["'])([^"'>]{0,64})\2""")
DECLARED_ENTITIES = (
    "it declares XML entities that are not expanded (entities that nest grow a feed of a kilobyte to "
    "gigabytes); a reference to one is kept as written"
)


@dataclass
class ParsedFeed(Feed):
    """A Feed plus the entries we kept out and why, so ingest can report them."""

    skipped: dict[str, int] = field(default_factory=dict)


_MAYBE_SURROGATE = re.compile(rb"&#(?:[xX][dD][89a-fA-F]|5[5-7])")
_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7});(?=&#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7});)?")


def _joined_surrogates(data: bytes) -> bytes:
    """Emoji some publishing systems write as UTF-16 halves (&#xd83d;&#xde00;) joined into one reference.

    XML has no such characters, and feedparser fails on the whole feed for
    one of them; a half left alone (&#xd800;) is dropped.
    """
    if not _MAYBE_SURROGATE.search(data):
        return data
    joined = [False]  # the previous reference took this one in

    def number(ref: bytes) -> int:
        return int(ref[1:], 16) if ref[:1] in (b"x", b"X") else int(ref)

    def one(match: re.Match) -> bytes:
        if joined[0]:
            joined[0] = False
            return b""
        ref, following = number(match.group(1)), match.group(2)
        if not 0xD800 <= ref <= 0xDFFF:
            return match.group()
        low = number(following) if following is not None else None
        if ref <= 0xDBFF and low is not None and 0xDC00 <= low <= 0xDFFF:
            joined[0] = True
            return b"&#x%X;" % (0x10000 + ((ref - 0xD800) << 10) + (low - 0xDC00))
        return b""

    return _REF.sub(one, data)


def looks_like_feed(data: bytes) -> bool:
    """Is this an RSS, RDF or Atom document, a sitemap or a JSON Feed (as opposed to an HTML page)?

    Decided by the first element after the XML prolog, the way a browser
    sniffs, or by a JSON object's "version", because file extensions and
    content types are often wrong (JSON Feeds come as text/plain and
    application/json as often as application/feed+json).
    """
    if _root_name(data) is not None:
        return True
    try:
        document = _json_object(data)
    except ParseError:
        return False
    return isinstance(document, dict) and _json_feed_version(document) is not None


def _root_name(data: bytes) -> bytes | None:
    """The feed's root element (rss, feed, RDF, urlset, sitemapindex), or None for anything else."""
    head = _ascii_head(data)
    root = _FEED_ROOT.match(head, _prolog_end(head))
    return root.group(1) if root else None


def _prolog_end(data: bytes) -> int:
    """Where the XML declaration, comments and DOCTYPE before the root element end."""
    pos = 0
    while True:
        match = _PROLOG.match(data, pos)
        if not match or match.end() == pos:
            return pos
        pos = match.end()


def _without_entity_declarations(data: bytes) -> tuple[bytes, bool]:
    """The document with its DOCTYPE's internal subset reduced to entities of a character, and whether it
    declared others.

    Entities that nest are the "billion laughs": 1 KB that expands to
    gigabytes. expat stops one at its amplification limit, but only after
    handing feedparser some 10 MB of text a piece at a time (5 to 20 s and
    70 MB a poll), and feedparser takes out only the declarations that start
    a line. A reference to an entity taken out is undefined, and feedparser's
    lenient reading keeps it as written. Those kept go one per line, in
    double quotes, after a DOCTYPE on a line of its own, as feedparser
    reads them. A document in UTF-16 (with a byte-order mark or without),
    UTF-32 or EBCDIC the same, on its text (_on_text).
    """
    dropped = False

    def reduced(text: bytes) -> bytes:
        nonlocal dropped
        text, dropped = _reduced_subset(text)
        return text

    return _on_text(data, reduced), dropped


def _reduced_subset(data: bytes) -> tuple[bytes, bool]:
    """_without_entity_declarations on a document whose markup is ASCII bytes."""
    end = _prolog_end(data)
    doctype = _SUBSET.search(data, 0, end)
    if doctype is None or doctype.group(2) is None:
        return data, False
    subset = doctype.group(2)
    kept = [b'<!ENTITY %s "%s">' % (name, double or single) for name, double, single in _SAFE_ENTITY.findall(subset)]
    dropped = subset.upper().count(b"<!ENTITY") > len(kept)
    declared = b"\n" + doctype.group(1).rstrip() + b" [\n" + b"\n".join(kept) + b"\n]>" if kept else b""
    # The DOCTYPE on a line of its own too, or feedparser leaves the entities out; none kept: no subset at all.
    return data[: doctype.start()] + (declared or doctype.group(1).rstrip() + b">") + data[doctype.end() :], dropped


def _ascii_head(data: bytes) -> bytes:
    """The first few KB as bytes we can match ASCII markup in, whatever the encoding."""
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(codec, errors="ignore").encode("ascii", errors="ignore")
    return head


def parse_feed(data: bytes, url: str | None = None, charset: str | None = None) -> ParsedFeed:
    """Parse feed bytes; `url` (where they came from) resolves relative links, `charset` is the one the
    HTTP answer's Content-Type named (scrapers.http.Response.charset), if any.

    Raises ParseError when the bytes are not a feed at all; a feed that is
    only partly readable returns its readable entries with `problem` set.
    """
    if not data or not data.strip():
        raise ParseError("empty document, not a feed")
    data, declared = _without_entity_declarations(data)
    data, unusable = _without_unusable_encoding(data)
    data = _utf8_under_another_label(data)
    feed = _parsed_feed(data, url, charset)
    for problem, found in ((unusable, bool(unusable)), (DECLARED_ENTITIES, declared)):
        if found:
            feed.problem = f"{feed.problem}; {problem}" if feed.problem else problem
    return feed


def _without_unusable_encoding(data: bytes) -> tuple[bytes, str]:
    """The document without an XML declaration's encoding that names no text encoding, and what it named.

    A hand-rolled feed may declare anything ("undefined", "base64", a typo);
    without the label, the feed is read as the UTF-8 an XML document is by
    default, rather than failed whole or called malformed.
    """
    match = _DECLARED_ENCODING.match(data)
    if match is None:
        return data, ""
    label = match.group(3).decode("ascii", "replace").strip()
    if text_codec(label):
        return data, ""
    return (
        match.group(1) + data[match.end() :],
        f"its XML declaration names the encoding '{without_controls(label)}', which is no text encoding; read as UTF-8",
    )


def _utf8_under_another_label(data: bytes) -> bytes:
    """The document without its XML declaration's encoding when that names another than UTF-8 but the bytes are
    UTF-8 (valid, and not all ASCII): XML then reads them as the UTF-8 they are.

    A publishing system set to windows-1252 or ISO-8859-x that writes its
    text as UTF-8 all the same had every title read "RÃ¼ckruf" for
    "Rückruf", and stored so. As for a page (scrapers/article/charset.py)
    and a feed's HTTP charset (_http_charset), bytes that are valid UTF-8
    are UTF-8 whatever is declared: text in a single-byte encoding almost
    never is, once it holds a letter beyond ASCII.
    """
    match = _DECLARED_ENCODING.match(data)
    if match is None or data.isascii():
        return data
    codec = text_codec(match.group(3).decode("ascii", "replace").strip())
    if codec is None or codec.startswith(("utf-8", "utf-16", "utf-32")):
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return match.group(1) + data[match.end() :]


def _http_charset(data: bytes, charset: str | None) -> dict[str, str] | None:
    """Headers telling feedparser the charset the HTTP answer named, for a feed whose bytes name none.

    A feed with no BOM and no encoding in its XML declaration is UTF-8 to
    feedparser, which then falls back to windows-1252: an ISO-8859-2 or KOI8-R
    feed had every title misread ("£ódŸ" for "Łódź"), and a windows-1252 one
    was said not to be in the encoding it declares. As for a page
    (scrapers/article/charset.py), bytes that are valid UTF-8 are read as
    UTF-8 whatever the header says (servers label everything ISO-8859-1 by
    default), a Latin-1 label means windows-1252, and an encoding the
    document declares itself comes first. The content type given is always
    application/xml: feedparser reads a text/xml one without a charset as
    ASCII (RFC 3023).
    """
    if not charset:
        return None
    label = charset.strip().lower()
    codec = text_codec("cp1252" if label in LATIN1_LABELS else label)
    if codec is None or codec.startswith(("utf-8", "utf-16", "utf-32")):
        return None
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _DECLARED_ENCODING.match(data):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return {"content-type": f"application/xml; charset={codec}"}
    return None


def _parsed_feed(data: bytes, url: str | None, charset: str | None = None) -> ParsedFeed:
    if _root_name(data) in _SITEMAP_ROOTS:
        return _news_sitemap(data, url)
    document = _json_object(data)
    if document is not None:
        return _json_feed(document, url)
    headers = _http_charset(data, charset)
    data, beyond = _first_entries_only(_joined_surrogates(data))
    data = _on_text(data, _for_feedparser)
    try:
        parsed = feedparser.parse(
            io.BytesIO(data),  # a stream: bytes naming a file (a body of "/etc/..."), feedparser would open it
            response_headers=headers,
            # Both rewrite every entry's markup, all of it, in pure Python (most of the 35 s a 10 MB feed took);
            # html_to_text keeps only the text of what it reads, and links are resolved by _usable_link.
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (ValueError, KeyError) as e:  # feedparser fails so on hostile bytes (&#99999999;, <link></item></link>)
        raise ParseError(f"the feed cannot be read ({type(e).__name__}: {e})") from None
    if not parsed.get("version") and not parsed.entries:
        reason = _bozo_reason(parsed) if parsed.get("bozo") else "no RSS or Atom root element"
        raise ParseError(f"not an RSS, Atom or JSON feed ({reason})")
    channel = parsed.feed
    feed = ParsedFeed(title=shorten(_clean(channel.get("title")), OUTLET_MAX), link=channel.get("link") or None)
    base = url or feed.link
    for raw in parsed.entries[:MAX_ENTRIES]:
        entry, reason = _entry(raw, base)
        if entry is None:
            _skip(feed, reason)
        else:
            feed.entries.append(entry)
    beyond += max(0, len(parsed.entries) - MAX_ENTRIES)
    if beyond:
        _skip(feed, BEYOND_MAX, beyond)
    if isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        # Read whole in another encoding (a later error would have been the bozo exception instead): no entry lost.
        declared = _DECLARED_AS.search(str(parsed.bozo_exception))
        label = declared.group(1) if declared else "encoding"
        label = label.upper() if label.lower().startswith("utf") else label
        used = parsed.get("encoding") or "another encoding"
        feed.problem = f"its bytes are not the {label} it declares (or XML assumes); read as {used}"
    elif parsed.get("bozo"):
        feed.problem = (
            f"malformed feed, read {len(feed.entries) + sum(feed.skipped.values())} entries "
            f"up to the error: {_bozo_reason(parsed)}"
        )
    return feed


# The encodings feedparser tells from a document's first four bytes, in its order, in which ASCII markup is not ASCII
# bytes: (those bytes, the codec, how many of them are a byte-order mark).
_WIDE_STARTS = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\x4c\x6f\xa7\x94", "cp037", 0),  # "<?xm" in EBCDIC
    (b"\x00\x3c\x00\x3f", "utf-16-be", 0),
    (b"\x3c\x00\x3f\x00", "utf-16-le", 0),
    (b"\x00\x00\x00\x3c", "utf-32-be", 0),
    (b"\x3c\x00\x00\x00", "utf-32-le", 0),
)


def _on_text(data: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    """`rewrite` applied to the document, whose markup it matches as ASCII bytes: one in UTF-16, UTF-32 or EBCDIC
    (as feedparser tells them, with a byte-order mark or without) is rewritten as UTF-8 and given back in its own
    encoding, as feedparser reads it; one that encoding cannot read is left as it is (feedparser fails on it)."""
    start = next(((codec, mark) for bom, codec, mark in _WIDE_STARTS if data.startswith(bom)), None)
    if start is None:
        return rewrite(data)
    codec, mark = start
    try:
        text = data[mark:].decode(codec).encode("utf-8", "surrogatepass")
        rewritten = rewrite(text)
        return data if rewritten == text else data[:mark] + rewritten.decode("utf-8", "surrogatepass").encode(codec)
    except UnicodeError:
        return data


# Namespace prefixes a feed may declare. feedparser names each element of a namespace it does not know by looking
# through every prefix declared so far: 10,000 prefixes, each with an element of its own, took 3 s, growing with the
# square of their number. A real feed declares a dozen or two (Dublin Core, content, media, iTunes, ...).
NAMESPACES_MAX = 100
_NAMESPACE_PREFIX = re.compile(rb"xmlns:([^\s=/>]{1,200})\s*=")


def _check_namespaces(data: bytes) -> None:
    """Raises ParseError for a feed declaring more than NAMESPACES_MAX namespace prefixes (however often each)."""
    if data.count(b"xmlns:") <= NAMESPACES_MAX:
        return
    prefixes = set()
    for match in _NAMESPACE_PREFIX.finditer(data):
        prefixes.add(match.group(1))
        if len(prefixes) > NAMESPACES_MAX:
            raise ParseError(
                f"the feed declares more than {NAMESPACES_MAX} namespace prefixes (a real feed declares a dozen or "
                "two); it is not read"
            )


def _for_feedparser(data: bytes) -> bytes:
    """The document with what feedparser reads in time growing faster than it bounded (_bounded_bylines,
    _bounded_head, _declaration_on_its_own_line), the same to any XML reader; ParseError for one declaring more
    namespaces than it reads in time (_check_namespaces)."""
    _check_namespaces(data)
    return _declaration_on_its_own_line(_bounded_head(_bounded_bylines(data)))


# feedparser reads the bytes before the root element (its "head") with regexes anchored at each line's start
# (^\s*<!ENTITY([^>]*?)>): each read on through the blank lines after it (30,000 took 3.6 s, growing with the square
# of their number), and each declaration on to the next ">" (30,000 "<!ENTITY" lines: minutes). A run of white
# space longer than HEAD_SPACE_MAX is one line break there; a declaration whose ">" is not within DECLARATION_MAX
# bytes (a real one's is, a DOCTYPE naming its DTD included) is no longer one to them ("<! ENTITY", an error to
# any XML reader, as it was).
HEAD_SPACE_MAX = 64
DECLARATION_MAX = 1024
_HEAD_END = re.compile(rb"<\w")  # where feedparser takes the head to end
_HEAD_SPACE = re.compile(rb"\s{%d,}" % (HEAD_SPACE_MAX + 1))
_HEAD_DECLARATION = re.compile(rb"<!(?=ENTITY|DOCTYPE)")


def _bounded_head(data: bytes) -> bytes:
    """The document with its head (the bytes before the root element) read by feedparser in linear time."""
    end = _HEAD_END.search(data)
    if end is None:
        return data  # feedparser then reads no head
    head = _HEAD_SPACE.sub(lambda run: b"\n" if b"\n" in run.group() else run.group(), data[: end.start()])

    def declaration(match: re.Match) -> bytes:
        return b"<!" if head.find(b">", match.end(), match.end() + DECLARATION_MAX) >= 0 else b"<! "

    head = _HEAD_DECLARATION.sub(declaration, head)
    return head + data[end.start() :] if len(head) != end.start() else data


# The first line feedparser reads the XML declaration's encoding from (^<\?.*encoding=['"](.*?)['"].*\?>) is read
# again from every "encoding=" and quote in it when no "?>" follows: a first line of 3,000 "encoding='" took over a
# minute. The declaration is put on a line of its own (XML allows any white space after it) when more of its line
# names an encoding; one with no "?>" in its first DECLARATION_MAX bytes ends its line there.
def _declaration_on_its_own_line(data: bytes) -> bytes:
    """The document with its XML declaration alone on its first line, if more of that line says "encoding="."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if not data.startswith(b"<?", start):
        return data
    line_end = data.find(b"\n", start)
    line_end = len(data) if line_end < 0 else line_end
    declared = data.find(b"?>", start, min(line_end, start + DECLARATION_MAX))
    split = declared + 2 if declared >= 0 else min(line_end, start + DECLARATION_MAX)
    if data.find(b"encoding=", split, line_end) < 0:
        return data
    return data[:split] + b"\n" + data[split:]


# Bytes of an author's, editor's or publisher's element (author, dc:creator, managingEditor, webMaster,
# dc:publisher, itunes:author, itunes:owner) handed to feedparser: a byline keeps TITLE_MAX characters of it.
# feedparser looks for an e-mail address in the element's whole text with a regex that reads on from every letter
# to the end of the run of letters: 100,000 letters took it over 20 s, growing with the square of their number.
BYLINE_ELEMENT_MAX = 2048
_BYLINE_START = re.compile(
    rb"<((?:[\w.-]+:)?(?:author|creator|publisher|managingeditor|webmaster|owner))(?:\s[^<>]*+)?(?<!/)>", re.I
)
_CDATA_START = re.compile(rb"\s*<!\[CDATA\[")
# Letters, digits and "_.+-" in a row (a reference may stand for any of them) in a byline element's text: that regex
# reads the run from each of them, so even within BYLINE_ELEMENT_MAX 1,000 entries of 2,000 letters each took 15 s.
# A space is put after each BYLINE_RUN_MAX of them (a real name's or e-mail address's runs are far shorter).
BYLINE_RUN_MAX = 64
_BYLINE_RUN = re.compile(rb"(?:[A-Za-z0-9_.+\-]|&\#?\w{1,8};){%d}" % BYLINE_RUN_MAX)
_BYLINE_TEXT = re.compile(rb"<!\[CDATA\[|\]\]>|<[^<>]*+>|(" + _BYLINE_RUN.pattern + rb")")
# Where the bytes dropped from a byline element stop short of its end tag: they would take an entry's start or end,
# or another byline element, with them (a real feed's author left unclosed runs on into the next entry's).
_BEYOND_A_BYLINE = re.compile(rb"</?(?:[\w.-]+:)?(?:item|entry|channel|feed)[\s>/]")
_SECTION_MARK = re.compile(rb"<!\[cdata\[|<!--|\]\]>")


def _bounded_bylines(data: bytes) -> bytes:
    """The document with each byline element (_BYLINE_START) longer than BYLINE_ELEMENT_MAX bytes cut to its
    first text (_byline_head), its runs of letters broken (_broken_runs), all else as it was.

    What follows it goes up to the element's end tag, whatever it holds
    (text, references, CDATA, comments or elements between runs of letters
    all reach feedparser as one text), or up to an entry's start or end or
    another byline element, if one comes first. The search moves only
    forward, so each byte is looked at a bounded number of times; an
    element whose end tag is missing is left alone.
    """
    lower = data.lower()  # feedparser's lenient parser closes <author> with </AUTHOR>
    pieces: list[bytes] = []
    kept_to = pos = 0
    found: dict[bytes, tuple[int, int]] = {}  # what was looked for: from where, and where it first is (-1: nowhere)

    def first(what: bytes, at: int) -> int:
        """Where `what` (an end tag, or b"" for _BEYOND_A_BYLINE) first is from `at` on, found again only when
        `at` has passed it: the search moves forward, so each is looked for through each byte once."""
        since, where = found.get(what, (len(data) + 1, -1))
        if not (since <= at and (where < 0 or at <= where)):
            beyond = _BEYOND_A_BYLINE.search(lower, at) if not what else None
            where = lower.find(what, at) if what else beyond.start() if beyond else -1
            found[what] = (at, where)
        return where

    while match := _BYLINE_START.search(data, pos):
        start, name = match.end(), match.group(1).lower()
        pos = start
        end = first(b"</" + name, start)
        if end < 0:
            continue
        if end - start <= BYLINE_ELEMENT_MAX:
            if _BYLINE_RUN.search(data, start, end):
                pieces += [data[kept_to:start], _broken_runs(data[start:end])]
                kept_to = end
            pos = end
            continue
        read, head = _byline_head(data[start : start + BYLINE_ELEMENT_MAX])
        dropped = start + read
        if head.endswith(b"]]>"):  # the CDATA section it opens with ends in what is dropped, or holds the end tag
            closed = lower.find(b"]]>", dropped, end)
            if closed < 0:
                continue
            dropped = closed + 3
        beyond = first(b"", dropped)
        stop = end if beyond < 0 else min(end, beyond)
        byline = _BYLINE_START.search(data, dropped, stop)
        stop = byline.start() if byline else stop
        if not _whole_sections(lower, dropped, stop):
            pos = stop
            continue
        pieces += [data[kept_to:start], _broken_runs(head)]
        kept_to = pos = stop
    return b"".join([*pieces, data[kept_to:]]) if pieces else data


def _broken_runs(content: bytes) -> bytes:
    """A byline element's content with a space after each BYLINE_RUN_MAX letters in a row of its text (not of its
    tags), CDATA included."""
    return _BYLINE_TEXT.sub(lambda match: match.group() + b" " if match.group(1) else match.group(), content)


def _whole_sections(lower: bytes, start: int, end: int) -> bool:
    """Whether every CDATA section and comment begun in lower[start:end] ends in it, and no CDATA section begun
    before it ends in it: only then can those bytes go without leaving the rest of one as markup, or text."""
    at = start
    while mark := _SECTION_MARK.search(lower, at, end):
        if mark.group() == b"]]>":
            return False
        close = lower.find(b"]]>" if mark.group() == b"<![cdata[" else b"-->", mark.end(), end)
        if close < 0:
            return False
        at = close + 3
    return True


def _byline_head(window: bytes) -> tuple[int, bytes]:
    """How many bytes of a byline element's first BYLINE_ELEMENT_MAX are kept, and what they are kept as: the
    letters before any markup, or those of the CDATA section it opens with (closed again), without a character
    cut short or a reference left open."""
    cdata = _CDATA_START.match(window)
    start = cdata.end() if cdata else 0
    stop = window.find(b"]]>" if cdata else b"<", start)
    text = _whole_characters(window[start : stop if stop >= 0 else len(window)])
    if cdata:
        return start + len(text), window[:start] + text + b"]]>"
    reference = text.rfind(b"&")
    if reference >= 0 and b";" not in text[reference:]:
        text = text[:reference]
    return len(text), text


def _whole_characters(text: bytes) -> bytes:
    """Bytes cut at an arbitrary place, without the UTF-8 character cut short at their end, if any (in a single-byte
    encoding, at most the last three characters go)."""
    lead = len(text) - 1
    while lead >= max(0, len(text) - 4) and 0x80 <= text[lead] < 0xC0:
        lead -= 1
    if lead < 0 or text[lead] < 0x80:
        return text[: lead + 1]
    needs = 2 if text[lead] < 0xE0 else 3 if text[lead] < 0xF0 else 4
    return text if len(text) - lead >= needs else text[:lead]


class _NotCertain(Exception):
    """Stops the reading of _first_entries_only: setting entries aside might change what feedparser reads."""


# An over-count of the entries a feed's bytes can hold (every start and end tag of a prefixed one counts): a feed
# with no more is handed to feedparser as it is, unread.
_ENTRY_MARKS = (b"<item", b"<entry", b":item", b":entry")


def _first_entries_only(data: bytes) -> tuple[bytes, int]:
    """The feed without its entries beyond the first MAX_ENTRIES, and how many were set aside; the feed as it is
    and 0 unless that certainly changes nothing else feedparser reads.

    feedparser reads every entry in Python (about 0.8 s a thousand entries
    of a news feed), and all but the first MAX_ENTRIES are dropped after.
    expat, in C, reads the feed first; the entries past MAX_ENTRIES are then
    cut out, each run of them up to the next tag of their parent (a channel
    title after them stays). Only when the feed is well-formed XML with its
    namespaces declared, UTF-8, with no DOCTYPE (feedparser rewrites one its
    own way), and every entry (item or entry element) is a child of the same
    element: then feedparser reads the rest exactly as it would have.
    """
    if sum(data.count(mark) for mark in _ENTRY_MARKS) <= MAX_ENTRIES:
        return data, 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data, 0
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    open_elements: list[int] = []  # where each element open at this point starts: it tells them apart
    name = parent = run = None  # the entries' element (its namespace and name) and parent; where a run began
    count, runs = 0, []  # entries so far; the runs of entries past MAX_ENTRIES, from each to the next tag after it

    def declared(version: str, encoding: str | None, standalone: int) -> None:
        if encoding is not None and encoding.lower() != "utf-8":
            raise _NotCertain

    def doctype(*args: object) -> None:
        raise _NotCertain

    def start(element: str, attributes: dict) -> None:
        nonlocal name, parent, run, count
        here, inside = parser.CurrentByteIndex, open_elements[-1] if open_elements else None
        if element.rpartition(" ")[2] in ("item", "entry"):
            if name is None:
                name, parent = element, inside
            elif element != name or inside != parent:  # an entry elsewhere (quoted in another): read it all
                raise _NotCertain
            count += 1
            if count > MAX_ENTRIES and run is None:
                run = here
        elif run is not None and inside == parent:
            runs.append((run, here))
            run = None
        open_elements.append(here)

    def end(element: str) -> None:
        nonlocal run
        if open_elements.pop() == parent and run is not None:
            runs.append((run, parser.CurrentByteIndex))
            run = None

    parser.XmlDeclHandler, parser.StartDoctypeDeclHandler = declared, doctype
    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except (_NotCertain, pyexpat.ExpatError):
        return data, 0
    if not runs:
        return data, 0
    kept, last = [], 0
    for first, after in runs:
        kept.append(data[last:first])
        last = after
    kept.append(data[last:])
    return b"".join(kept), count - MAX_ENTRIES


def _entry(raw: dict, base: str | None) -> tuple[FeedEntry | None, str]:
    link, reason = _usable_link((raw.get("link") or "").strip(), base)
    if reason:
        return None, reason
    summary = raw.get("summary")
    if not summary and raw.get("content"):
        summary = raw["content"][0].get("value")
    return (
        FeedEntry(
            link=link,
            title=shorten(_without_outlet(_clean(raw.get("title")), _source_title(raw)), TITLE_MAX),
            published=iso_utc(raw.get("published_parsed")) or iso_utc(raw.get("published")),
            published_offset=written_offset(raw.get("published")),
            # dict.get: feedparser's own get() would answer updated_parsed with published_parsed.
            updated=iso_utc(dict.get(raw, "updated_parsed")) or iso_utc(dict.get(raw, "updated")),
            author=_author(raw),
            summary=shorten(html_to_text(summary, enough=SUMMARY_MAX), SUMMARY_MAX),
            guid=raw.get("id") or None,
            outlet=_source_title(raw),
        ),
        "",
    )


def _usable_link(link: str, base: str | None) -> tuple[str, str]:
    """An entry's link made absolute against the feed's address, or "" and why it cannot be followed."""
    if not link:
        return "", NO_LINK
    if base and not is_http_url(link):
        link = join_url(base, link) or ""
    if not is_http_url(link):
        return "", NOT_HTTP
    if is_unresolvable_wrapper(link):
        return "", UNRESOLVABLE
    return link, ""


# URLs read from one sitemap: the sitemaps protocol allows 50,000 (and a news sitemap 1,000 news entries). Each
# is read (its address resolved, its dates parsed) before the newest are chosen, some 20 us apiece: 10 MB of short
# ones (170,000) took 4 s of CPU, 400,000 over 7.
SITEMAP_URLS_MAX = 50_000
BEYOND_SITEMAP_MAX = f"beyond the {SITEMAP_URLS_MAX:,} URLs a sitemap may list"
_SITEMAP_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
NO_NEWS_TITLE = (
    "a sitemap entry without a news title (a plain sitemap lists every page of a site); "
    "use the outlet's news sitemap or its feed"
)


def _news_sitemap(data: bytes, url: str | None) -> ParsedFeed:
    """A news sitemap (sitemaps.org with Google's news extension) read as a feed, newest first.

    Several wire services and papers no longer publish RSS, but large outlets
    keep a news sitemap of their last two days for search engines: each <url>
    with its <news:title> and <news:publication_date>, the outlet in
    <news:name>. Entries without a news title (a plain sitemap: every page of
    the site, nothing to match a story's keywords against) are skipped, and a
    sitemap index (a list of sitemaps) is refused, naming its first sitemap.
    URLs past the protocol's SITEMAP_URLS_MAX are counted, not read.
    Entities are not expanded and nothing is fetched while parsing.
    """
    try:
        root = lxml.etree.fromstring(data, _SITEMAP_PARSER)
    except (lxml.etree.XMLSyntaxError, ValueError) as e:
        raise ParseError(f"the sitemap cannot be read ({e})") from None
    if root is None:
        raise ParseError("the sitemap cannot be read (no elements)")
    if _local(root.tag) == "sitemapindex":
        first = next((el.text.strip() for el in root.iter() if _local(el.tag) == "loc" and (el.text or "").strip()), "")
        raise ParseError(
            "a sitemap index, which lists sitemaps, not articles: add the outlet's news sitemap as the source"
            + (f" (the index's first is {without_controls(first[:300])})" if first else "")  # shown on terminals
        )
    feed = ParsedFeed(title=None, link=None)
    entries: list[FeedEntry] = []
    urls = 0
    for node in root:
        if _local(node.tag) != "url":
            continue
        urls += 1
        if urls > SITEMAP_URLS_MAX:
            continue
        own = {_local(el.tag): (el.text or "").strip() for el in node if _local(el.tag) in ("loc", "lastmod")}
        news = {}
        for el in node.iter():
            name = _local(el.tag)
            if name in ("title", "publication_date", "name") and isinstance(el.tag, str) and "news" in el.tag:
                news.setdefault(name, (el.text or "").strip())
        link, reason = _usable_link(own.get("loc", ""), url)
        if reason:
            _skip(feed, reason)
            continue
        title = shorten(without_controls(news.get("title", "")).strip(), TITLE_MAX)
        if not title:
            _skip(feed, NO_NEWS_TITLE)
            continue
        outlet = shorten(without_controls(news.get("name", "")).strip(), OUTLET_MAX)
        feed.title = feed.title or outlet
        entries.append(
            FeedEntry(
                link=link,
                title=title,
                published=iso_utc(news.get("publication_date") or None),
                published_offset=written_offset(news.get("publication_date")),
                updated=iso_utc(own.get("lastmod") or None),
                outlet=outlet,
            )
        )
    if urls > SITEMAP_URLS_MAX:
        _skip(feed, BEYOND_SITEMAP_MAX, urls - SITEMAP_URLS_MAX)
    entries.sort(key=lambda e: e.published or e.updated or "", reverse=True)
    feed.entries = entries[:MAX_ENTRIES]
    if len(entries) > MAX_ENTRIES:
        _skip(feed, BEYOND_MAX, len(entries) - MAX_ENTRIES)
    return feed


# JSON Feed (https://jsonfeed.org/version/1.1): the version names the format, whatever the content type says.
_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/(.{1,20})")
_READ_VERSIONS = re.compile(r"1(?:\.\d{1,3})?/?")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_DIGITS = 100  # longer integers are no id nor date anyone writes; Python refuses to read past 4,300 digits
MAX_AUTHORS = 20
NOT_AN_OBJECT = "an item that is not a JSON object"
EXTERNAL_ONLY = (
    "an item linking only elsewhere (external_url), not to a page of its own; add that outlet's feed or page"
)


def _json_int(digits: str) -> int | float:
    return int(digits) if len(digits) <= _JSON_DIGITS else float(digits)


def _opens_as_json_object(data: bytes) -> bool:
    return _ascii_head(data).lstrip(b" \t\r\n\x00").startswith(b"{")


def _json_object(data: bytes) -> object | None:
    """The JSON value of bytes that begin as a JSON object does ('{'), or None for any other bytes.

    Raises ParseError when they begin so but cannot be read: broken JSON, or
    nesting deeper than Python's parser goes (it raises RecursionError).
    Bytes that are not UTF-8 are read with U+FFFD in place, as a browser does.
    """
    if not _opens_as_json_object(data):
        return None
    text = data.decode(json.detect_encoding(data), errors="replace").lstrip("\ufeff")
    try:
        return json.loads(text, parse_int=_json_int, strict=False)  # raw tabs and newlines in strings, as some write
    except RecursionError:
        raise ParseError("the JSON document cannot be read: it is nested too deeply to be a feed") from None
    except ValueError as e:
        raise ParseError(f"the JSON document cannot be read ({type(e).__name__}: {str(e)[:200]})") from None


def _json_feed_version(document: dict) -> str | None:
    """What follows https://jsonfeed.org/version/ in the document's "version", or None when it is no JSON Feed."""
    version = document.get("version")
    match = _JSON_FEED_VERSION.fullmatch(version.strip()) if isinstance(version, str) else None
    return match.group(1) if match else None


def _json_feed(document: object, url: str | None) -> ParsedFeed:
    """A JSON Feed (versions 1 and 1.1) read into the entries RSS gives, with the same limits and skip reasons.

    An item's page is its `url`; an item with only `external_url` links to
    someone else's article, which would be stored under this feed's outlet,
    so it is skipped with a reason. Every field may be of any type in a
    hostile or broken feed: a wrong one reads as missing, and text loses its
    control characters and lone UTF-16 halves ("\\ud800", which JSON can
    escape but no UTF-8 column can hold) before anything else reads it.
    """
    version = _json_feed_version(document) if isinstance(document, dict) else None
    if version is None:
        raise ParseError(
            'not an RSS, Atom or JSON feed: a JSON document without JSON Feed\'s "version" '
            "(https://jsonfeed.org/version/1.1)"
        )
    if not _READ_VERSIONS.fullmatch(version):
        raise ParseError(f"JSON Feed version {ascii(version)} is not read; versions 1 and 1.1 are")
    items = document.get("items")
    if not isinstance(items, list):
        raise ParseError('a JSON Feed without a list of "items"; it is not a feed we can read')
    home = _json_link(document.get("home_page_url"), url)
    base = url or _json_link(document.get("feed_url"), None) or home
    feed = ParsedFeed(title=shorten(_clean(_json_text(document.get("title"))), OUTLET_MAX), link=home)
    authors = _json_authors(document)
    for raw in items[:MAX_ENTRIES]:
        entry, reason = _json_item(raw, base, authors)
        if entry is None:
            _skip(feed, reason)
        else:
            feed.entries.append(entry)
    if len(items) > MAX_ENTRIES:
        _skip(feed, BEYOND_MAX, len(items) - MAX_ENTRIES)
    return feed


def _json_item(raw: object, base: str | None, feed_authors: str | None) -> tuple[FeedEntry | None, str]:
    if not isinstance(raw, dict):
        return None, NOT_AN_OBJECT
    link = raw.get("url")
    if link is None or (isinstance(link, str) and not link.strip()):
        return None, EXTERNAL_ONLY if _json_text(raw.get("external_url")) else NO_LINK
    if not isinstance(link, str) or CONTROLS.search(link):
        return None, NOT_HTTP
    link, reason = _usable_link(link.strip(), base)
    if reason:
        return None, reason
    texts = (_json_text(raw.get(key)) for key in ("summary", "content_html", "content_text"))
    return (
        FeedEntry(
            link=link,
            title=shorten(_clean(_json_text(raw.get("title"))), TITLE_MAX),
            published=iso_utc(_json_text(raw.get("date_published"))),
            published_offset=written_offset(_json_text(raw.get("date_published"))),
            updated=iso_utc(_json_text(raw.get("date_modified"))),
            author=_json_authors(raw) or feed_authors,
            summary=shorten(
                html_to_text(next((text for text in texts if text and text.strip()), None), enough=SUMMARY_MAX),
                SUMMARY_MAX,
            ),
            guid=_json_id(raw.get("id")),
        ),
        "",
    )


def _json_text(value: object) -> str | None:
    """A JSON string without control characters and lone surrogates; None for any other type."""
    return without_controls(value) if isinstance(value, str) else None


def _json_link(value: object, base: str | None) -> str | None:
    """An absolute http(s) address from a JSON Feed field, or None."""
    if not isinstance(value, str) or CONTROLS.search(value):
        return None
    link, reason = _usable_link(value.strip(), base)
    return None if reason else link


def _json_id(value: object) -> str | None:
    """An item's id as text: JSON Feed 1.0 let it be a number, which readers are to read as a string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else str(value)) if math.isfinite(value) else None
    text = (_json_text(value) or "").strip()
    return text or None


def _json_authors(owner: dict) -> str | None:
    """The names of version 1.1's `authors` list, else version 1's `author` object, as one byline."""
    for authors in (owner.get("authors"), [owner.get("author")]):
        if not isinstance(authors, list):
            continue
        names = (_clean(_json_text(a.get("name"))) for a in authors[:MAX_AUTHORS] if isinstance(a, dict))
        byline = ", ".join(dict.fromkeys(name for name in names if name))
        if byline:
            return shorten(byline, TITLE_MAX)
    return None


def _skip(feed: ParsedFeed, reason: str, count: int = 1) -> None:
    """Count entries kept out of the feed, by reason (ingest and the pass report them)."""
    feed.skipped[reason] = feed.skipped.get(reason, 0) + count


def _local(tag: object) -> str:
    """An element's name without its namespace; '' for comments and processing instructions."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _without_outlet(title: str | None, outlet: str | None) -> str | None:
    """An aggregator's entry title without the " - Outlet" it appends (Google News does)."""
    if title and outlet and title.endswith(f" - {outlet}") and len(title) > len(outlet) + 3:
        return title[: -len(outlet) - 3].rstrip() or title
    return title


def _source_title(raw: dict) -> str | None:
    """The publication an entry says it comes from: RSS's <source>, Atom's <source><title>.

    Aggregators (Google News, feed-merging services) name each entry's outlet
    there; the feed's own title is the aggregator's, or the search's.
    """
    source = raw.get("source")
    title = source.get("title") if isinstance(source, dict) else None
    return shorten(_clean(title), OUTLET_MAX) if isinstance(title, str) else None


def _author(raw: dict) -> str | None:
    detail = raw.get("author_detail") or {}
    return shorten(_clean(detail.get("name") or raw.get("author")), TITLE_MAX)


def _bozo_reason(parsed: dict) -> str:
    """Why feedparser read the feed only in part, without control characters: the words can quote the feed
    (its declared encoding), and they are shown on a terminal."""
    exc = parsed.get("bozo_exception")
    message = without_controls(" ".join(str(exc).split())) if exc else "unknown error"
    return f"{type(exc).__name__}: {message}" if exc else message


def _clean(value: str | None) -> str | None:
    text = html_to_text(value)
    return text or None


def html_to_text(html: str | None, *, enough: int | None = None) -> str:
    """Markup to plain text: scripts, styles and attributes (event handlers) are gone, one block per line.

    feedparser's own sanitizer is off (_parsed_feed): the summary is stored
    and shown as text, so nothing of the markup survives here at all. The tree is walked once
    with a stack, not edited: inserting line breaks beside each block made
    BeautifulSoup re-walk everything inside it, so a hostile summary of a few
    thousand nested blocks took minutes. Only the first MARKUP_MAX characters (MARKUP_TAGS_MAX tags)
    are read: a summary is cut far shorter, and whole they cost memory and time
    in proportion to a feed's size limit. `enough`: the characters of text
    the caller keeps; the markup is read in windows of four times that,
    doubling, until they are found (a summary's 1,000 characters are
    usually in its first 4 KB, where reading 256 KB of an article sent
    whole took a 10 MB feed's poll seconds).
    """
    if not html:
        return ""
    html = _first_tags(html[:MARKUP_MAX])
    window = 4 * enough if enough else len(html)
    while window < len(html):
        text = _markup_text(html[:window])
        if len(text) > enough:
            return text
        window *= 2
    return _markup_text(html)


def _first_tags(html: str) -> str:
    """The markup before its tag ("<") past the first MARKUP_TAGS_MAX, or all of it when it has no more."""
    if html.count("<") <= MARKUP_TAGS_MAX:
        return html
    return html[: _FIRST_TAGS.match(html).end()]


def _markup_text(html: str) -> str:
    html = _fix_c1(html)
    if "<" not in html and "&" not in html:
        return _tidy(html)
    soup = BeautifulSoup(html, "lxml")
    parts: list[str] = []
    stack = [(soup, iter(soup.contents))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if node.name in _BLOCKS:
                parts.append("\n")
        elif isinstance(child, Tag):
            if child.name not in _DROP:
                if child.name in _BLOCKS:
                    parts.append("\n")
                stack.append((child, iter(child.contents)))
        elif type(child) in _TEXT:
            parts.append(str(child))
    return _tidy("".join(parts))


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in without_controls(text).splitlines())
    return "\n".join(line for line in lines if line)


def _fix_c1(text: str) -> str:
    """Undo a Windows-1252 feed decoded as Latin-1: browsers treat the two as one, feeds rely on it."""
    if not _C1_CONTROLS.search(text):
        return text
    try:
        return text.encode("latin-1").decode("cp1252")
    except UnicodeError:
        return _C1_CONTROLS.sub("", text)


def iso_utc(value: str | time.struct_time | datetime | date | None) -> str | None:
    """A date in any usual feed or page format as 'YYYY-MM-DDTHH:MM:SSZ' in UTC, else None.

    One format in every table lets dates sort as text; a time without a zone
    is taken as UTC, a bare date as midnight UTC.
    """
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        try:
            dt = datetime.fromtimestamp(calendar.timegm(value), UTC)
        except (OverflowError, ValueError, OSError):
            return None
    elif isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        dt = _parse_date_text(value.strip())
        if dt is None:
            return None
    else:
        return None
    try:
        return format_time(dt)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the first second UTC can hold
        return None


def written_offset(value: object) -> int | None:
    """The offset, in minutes east of UTC, a feed wrote a date with ("Sun, 07 Dec 2025 23:30:00 -0500", "EST",
    "2025-12-07T23:30:00-05:00"); None for UTC, none written, or no date.

    iso_utc keeps the instant and drops it; kept beside the entry's date, the item is shown on the day the
    outlet printed until its page says more (scrapers/timestamps.py utc_offset reads a page's).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    offset = utc_offset(text)
    if offset is not None or _ISO_DATE.match(text):
        return offset
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    shift = parsed.utcoffset() if parsed.tzinfo else None
    minutes = int(shift.total_seconds() // 60) if shift is not None else 0
    return minutes if minutes and abs(minutes) <= OFFSET_LIMIT else None


def _parse_date_text(text: str) -> datetime | None:
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    if _ISO_DATE.match(text):
        return None  # ISO-shaped but impossible (2026-13-45): feedparser would roll it over
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: a year no datetime holds
        pass
    parsed = feedparser_date(text)  # the many formats feeds use (W3CDTF, RFC 822 variants, ...)
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, OSError):  # "0000" is read as year 0, which no datetime holds
        return None


# A feed's first entry, and the first element in it that names it (its link, guid or id).
_ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")
_IDENTITY = re.compile(
    rb"<((?:[\w.-]+:)?(?:link|guid|id))\b[^>]*?/>|<((?:[\w.-]+:)?(?:link|guid|id))\b[^>]*>[^<]{1,2000}</\2\s*>"
)
WINDOW_SEARCH = 4096  # how far into the first entry its link or id is looked for
WINDOW_FALLBACK = 256  # without one, this much from the entry's start


def newest_entry_window(body: bytes) -> tuple[int, int] | None:
    """(offset, length) of the bytes that name a feed's newest entry: its first link, guid or id element.

    Feeds list the newest entry first. When a story is added on top, other
    bytes take this place; when anything before it changes length, they
    move: either way these bytes change. A ranged GET of them alone, a
    hundred bytes or so, tells whether the feed changed
    (scrapers/http/verify.py). None for a feed without entries. In a JSON
    Feed, the first item's "id" or "url" member.
    """
    if _opens_as_json_object(body):
        return _json_entry_window(body)
    start = _ENTRY_START.search(body)
    if start is None:
        return None
    element = _IDENTITY.search(body, start.end(), start.start() + WINDOW_SEARCH)
    if element is None:
        return start.start(), min(WINDOW_FALLBACK, len(body) - start.start())
    return element.start(), element.end() - element.start()


_JSON_DECODER = json.JSONDecoder(parse_int=_json_int, strict=False)  # as _json_object reads it


def _json_entry_window(body: bytes) -> tuple[int, int] | None:
    """(offset, length) of the first item's "id" or "url" member in a JSON Feed, found by walking its syntax.

    A search for the bytes would be misled by an "items" or "id" inside a
    string or a nested object. The body is decoded as Latin-1, one character
    per byte, so offsets in the text are offsets in the body (JSON's syntax
    is ASCII; strings are only skipped). None when there is no first item,
    the JSON is broken or nested too deeply, or the feed is not UTF-8.
    """
    text = body.decode("latin-1")
    try:
        members = _json_members(text, _JSON_SPACE.match(text, 3 if body.startswith(b"\xef\xbb\xbf") else 0).end())
        window = None
        for key, start, _key_start in members:  # json.loads reads the last "items" when there are several
            if key == "items":
                window = _first_item_window(text, start)
        return window
    except (ValueError, RecursionError):
        return None


def _first_item_window(text: str, start: int) -> tuple[int, int] | None:
    if text[start : start + 1] != "[":
        return None
    item = _JSON_SPACE.match(text, start + 1).end()
    if text[item : item + 1] != "{":
        return None
    for key, value, key_start in _json_members(text, item):
        if key in ("id", "url"):
            end = _JSON_DECODER.raw_decode(text, value)[1]
            return (key_start, end - key_start) if end - key_start <= WINDOW_SEARCH else None
    end = _JSON_DECODER.raw_decode(text, item)[1]
    return item, min(WINDOW_FALLBACK, end - item)


def _json_members(text: str, start: int) -> Iterator[tuple[str, int, int]]:
    """(key, where its value starts, where its key starts) of each member of the JSON object at `start`.

    Raises ValueError at broken syntax.
    """
    if text[start : start + 1] != "{":
        raise ValueError("not an object")
    at = _JSON_SPACE.match(text, start + 1).end()
    while text[at : at + 1] == '"':
        key, after = _JSON_DECODER.raw_decode(text, at)
        colon = _JSON_SPACE.match(text, after).end()
        if text[colon : colon + 1] != ":":
            raise ValueError("no colon")
        value = _JSON_SPACE.match(text, colon + 1).end()
        yield key, value, at
        at = _JSON_SPACE.match(text, _JSON_DECODER.raw_decode(text, value)[1]).end()
        if text[at : at + 1] != ",":
            return
        at = _JSON_SPACE.match(text, at + 1).end()
