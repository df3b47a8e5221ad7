"""Is this answer the page we asked for, or something standing in front of it?

Sites often answer an automated reader with a page that is not the page,
and often with HTTP 200: a bot check (a CDN's or bot-protection vendor's
JavaScript challenge), a cookie-consent wall (a redirect to a consent host,
or an interstitial about cookies), a "page not found" served as 200 (a
soft 404), a redirect from the page to its site's home page (how many
sites retire a page: another soft 404), or to a sign-in or subscription
page. Stored as text, each would become a new revision of the item,
on a statement a false "statement changed" alert, with the real text
buried under the wall's. `not_the_page` tells them from the response alone:
its final address (beside the one asked for), status, headers, <title> and
how much text it shows.

Only general signals are used: the headers and page titles the major CDNs
and bot-protection vendors give their challenges, consent hosts, "not
found" titles in the languages we read. A signal that could also be an
article's headline ("Before you continue", "Access Denied", "Page not
found: ...") counts only on a short page that declares no publication date
(walls and error pages never do; articles mostly do). bench/notpage.py
counts the real articles it flags (none of the extraction corpus's 490).
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from urllib3.util import parse_url

from scrapers.article.charset import decode_html
from scrapers.article.maintext import STRUCTURED_BODY_MIN
from scrapers.article.titles import TITLE_SEPARATORS
from scrapers.feeds import looks_like_feed
from scrapers.http import Response
from scrapers.http.advice import advice
from scrapers.http.guard import shorten
from scrapers.records import ParseError

BOT_CHECK, CONSENT, NOT_FOUND, SCRIPT_ONLY, SIGN_IN = "bot_check", "consent", "not_found", "script_only", "sign_in"
KINDS = (BOT_CHECK, CONSENT, NOT_FOUND, SCRIPT_ONLY, SIGN_IN)

# A challenge or consent page shows a few sentences. Real articles can show as little (bench/notpage.py
# prints the shortest), so a short text is never a signal of its own: it only lets an ambiguous title count.
SHORT_TEXT = 2500
# A soft 404 keeps the site's menus and "most read" lists around its one sentence.
NOT_FOUND_TEXT = 8000

# Response headers that only a challenge carries (a site behind these CDNs sends their other headers always).
CHALLENGE_HEADERS = {
    "cf-mitigated": ("challenge",),  # Cloudflare
    "x-vercel-mitigated": ("challenge",),  # Vercel
    "x-amzn-waf-action": ("challenge", "captcha"),  # AWS WAF
}
REFUSING_STATUSES = (401, 403, 405, 429, 503)
BLOCKER_HEADERS = ("x-datadome",)  # on every answer of a protected site: a bot check only with a refusing status

# Whole titles of challenge pages, case-folded, dots and ellipses left out; one naming no vendor (it could be a
# headline) counts on a short page only.
CHALLENGE_TITLES = {
    "just a moment": "Cloudflare",
    "attention required! | cloudflare": "Cloudflare",
    "please wait | cloudflare": "Cloudflare",
    "one moment, please": "",
    "checking your browser": "",
    "ddos-guard": "DDoS-Guard",
    "access to this page has been denied": "PerimeterX",
    "pardon our interruption": "Imperva",
    "access denied": "",  # Akamai's, among others
    "are you a robot?": "",
    "robot or human?": "",
    "human verification": "",
    "verify you are human": "",
}
# What a challenge page says or loads, in lower case: counted on a short page only.
CHALLENGE_MARKS = (
    "enable javascript and cookies to continue",
    "checking if the site connection is secure",
    "checking your browser before accessing",
    "verify you are human",
    "verifying you are human",
    "press & hold to confirm you are",
    "incapsula incident id",
    "_cf_chl_opt",  # Cloudflare's challenge script settings
    "captcha-delivery.com",  # DataDome
    "px-captcha",  # PerimeterX
)
CONSENT_HOST_LABELS = ("consent", "guce")  # consent.google.com, consent.youtube.com, guce.yahoo.com, ...
# Where a site sends a reader it wants signed in or subscribed first: a sign-in, account or subscription
# page (in the languages the article reader reads), or a host of its own for signing in.
SIGN_IN_PATH = re.compile(
    r"/(?:log-?in|sign-?in|signin|sso|auth(?:enticate)?|anmelden|einloggen|login\.\w+|connexion|identification|"
    r"iniciar-sesion|acceso|accedi|entrar|subscribe|subscription|abo|abonnement|abonnieren|suscripcion|"
    r"paywall|register|registrieren|registrierung)(?:[/?.#]|$)",
    re.I,
)
SIGN_IN_HOST_LABELS = ("login", "signin", "sso", "auth", "accounts", "account")
# A consent wall's title asks for a choice before the page; a cookie or privacy *policy* is a page of its own.
CONSENT_TITLES = re.compile(
    r"before you continue|bevor sie (?:fortfahren|zu )|avant de continuer|avant d.acc[ée]der"
    r"|antes de (?:continuar|ir a)|prima di continuare|zanim przejdziesz"
    r"|(?:cookie|privacy|consent)[ -]?(?:settings|preferences|choices)"
    r"|(?:cookie|datenschutz)[ -]?einstellungen|einwilligung|zustimmung|consentement|consentimiento|consenso"
    r"|cookie consent|consent required|param[èe]tres des cookies|gestion des cookies",
    re.I,
)
COOKIE_WORD = re.compile(r"cookie", re.I)
# ... and its text offers the choice.
CONSENT_CHOICE = re.compile(
    r"accept|agree|reject all|akzeptier|zustimm|einverstanden|ablehnen|accepter|refuser|acept|rechaz|accett|rifiut"
    r"|aceit|zgadzam|akceptuj",
    re.I,
)
# "Not found" in the title, in the languages we read; a bare "404" or "not found" only as a whole part of it.
NOT_FOUND_PHRASES = re.compile(
    r"page (?:was )?not found|page (?:cannot|can.t|could not|couldn.t) be found|page (?:does not|doesn.t) exist"
    r"|page no longer exists|(?:error|fehler|erreur|errore|erro|b[łl][ąa]d)\s*404|404\s*(?:error|fehler|not found)"
    r"|seite (?:wurde |konnte )?nicht gefunden|seite existiert nicht|page introuvable|page non trouv[ée]e"
    r"|p[áa]gina no encontrada|p[áa]gina n[ãa]o encontrada|pagina non trovata|pagina niet gevonden"
    r"|nie znaleziono strony|strona nie (?:istnieje|zosta[łl]a znaleziona)",
    re.I,
)
NOT_FOUND_PARTS = {
    "404",
    "not found",
    "file not found",
    "nicht gefunden",
    "introuvable",
    "no encontrado",
    "non trovato",
}
DOTS = re.compile(r"[.…]+")
# A page built by scripts shows no more than this outside its <noscript> note (a statement, however short,
# comes with the site's menus and footer; an app's shell with nothing at all).
SCRIPT_SHELL_TEXT = 200
JAVASCRIPT = re.compile(r"javascript|\bJS\b", re.I)
NOSCRIPT_OPEN = re.compile(r"<noscript\b", re.I)
NOSCRIPT_CLOSE = re.compile(r"</noscript\b[^>]{0,100}>", re.I)
SCRIPT_TAG = re.compile(r"<script\b", re.I)
WORD = re.compile(r"\w")
# A publication date declared for the page itself (not a <time> in a list of other stories, which a 404 page has).
PUBLISHED = ("article:published_time", "datepublished")
# A JSON-LD articleBody as long as the article reader takes in place of markup without text: the story is
# in the page for machines, and read from there (scrapers/article/maintext.py, structured_body).
STRUCTURED_BODY = re.compile(rf'"articlebody"\s*:\s*\[?\s*"(?:[^"\\]|\\.){{{STRUCTURED_BODY_MIN}}}')

# Read in one pass, never by a pattern that scans to the end from every unclosed tag (hours on hostile markup):
# a tag ends before the next "<", except a hidden element's end tag, which ends at its ">" within 100
# characters as a browser reads it ("</svg\n</span>" closes the SVG).
TITLE_OPEN = re.compile(r"<title\b[^<>]*>", re.I)
TITLE_CLOSE = re.compile(r"</title", re.I)
TITLE_MAX = 300  # characters of a title compared; a longer one is no wall's
HIDDEN_OPEN = re.compile(r"<!--|<(script|style|template|svg|head)\b", re.I)
HIDDEN_CLOSE = {
    name: re.compile(rf"</{name}\b[^>]{{0,100}}>", re.I) for name in ("script", "style", "template", "svg", "head")
}
COMMENT_CLOSE = re.compile(r"-->")
# A site's home page: its root, a language's root ("/en/", "/de-at"), or an index file at either.
HOME_PATH = re.compile(r"/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:(?:index|default|home)(?:\.[a-z]{2,5})?)?", re.I)
TAG = re.compile(r"<[^<>]*>")
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NotThePage:
    """A response that is not the page: its kind (KINDS) and what it is, in a reporter's words."""

    kind: str
    what: str  # e.g. 'a bot check (Cloudflare\'s "Just a moment..." page)'
    url: str  # where it came from (after redirects); the address asked for when the redirect is what is wrong

    @property
    def reason(self) -> str:
        """What came instead of the page, and what that means; refusal() adds what to do about it."""
        tail = {
            NOT_FOUND: "; the page is probably gone or moved",
            SCRIPT_ONLY: "; the site now builds its pages with JavaScript, which the scraper does not run",
            SIGN_IN: "; the site asks its readers to sign in or subscribe first",
        }.get(self.kind, "")
        return f"{shorten(self.url)} answered with {self.what} instead of the page{tail}"

    def refusal(self, status: int | None, context: str) -> str:
        """A fetch's error: what came instead of the page (its status when not a success), and what to do, said
        for whom the fetch was made (scrapers/http/advice.py): a scheduled source is tried again and may have to
        go, a page can be saved from a browser and added as a file."""
        shown = f" (HTTP {status})" if status is not None and not 200 <= status < 300 else ""
        then = ". Check the address in a browser." if self.kind == NOT_FOUND else f": {advice('wall', context)}."
        return f"{self.reason}{shown}; nothing was stored{then}"


class _Page:
    """A decoded page; what is costly to work out (its visible text) only when a signal asks for it."""

    def __init__(self, markup: str) -> None:
        self.markup = markup
        self.title = _title(markup)

    @functools.cached_property
    def lower(self) -> str:
        """The markup in lower case, for the marks (plain substrings: one regex ignoring case is ten times slower)."""
        return self.markup.lower()

    @functools.cached_property
    def shown(self) -> str:
        """The markup without what a browser does not show."""
        return _shown(self.markup)

    @functools.cached_property
    def text(self) -> str:
        """What a browser would show, spaces collapsed."""
        return SPACE.sub(" ", html.unescape(TAG.sub(" ", self.shown))).strip()

    @property
    def text_size(self) -> int:
        return len(self.text)

    @functools.cached_property
    def text_outside_noscript(self) -> str:
        """What a browser running scripts shows before they run: the text without its <noscript> notes."""
        shown = self.shown
        kept, at = [], 0
        while (opened := NOSCRIPT_OPEN.search(shown, at)) is not None:
            kept.append(shown[at : opened.start()])
            closed = NOSCRIPT_CLOSE.search(shown, opened.end())
            at = closed.end() if closed else len(shown)
        kept.append(shown[at:])
        return SPACE.sub(" ", html.unescape(TAG.sub(" ", " ".join(kept)))).strip()

    @property
    def dated(self) -> bool:
        """The page declares its publication date (meta or JSON-LD): an article, as walls and error pages never do."""
        return any(mark in self.lower for mark in PUBLISHED)


def not_the_page(response: Response, asked: str | None = None) -> NotThePage | None:
    """What the response is instead of the page asked for, or None when it may well be the page.

    Judges a 2xx answer (any kind) and a refusing status (bot checks only:
    a 404 is already a 404). A 304, an answer with no status and a feed are
    never judged. `asked` is the address requested: a page deep in a site
    answered, after redirects, by a home page is a soft 404. Never raises.
    """
    status = response.status
    if status is None or status == 304 or not (200 <= status < 300 or status >= 400):
        return None
    url = response.url
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    for name, values in CHALLENGE_HEADERS.items():
        if headers.get(name, "").strip().lower() in values:
            return NotThePage(BOT_CHECK, f"a bot check (its {name}: {headers[name].strip()} header)", url)
    if status in REFUSING_STATUSES and any(name in headers for name in BLOCKER_HEADERS):
        return NotThePage(BOT_CHECK, f"a bot check (HTTP {status} from bot protection)", url)
    ok = 200 <= status < 300
    if ok and _consent_host(url):
        return NotThePage(CONSENT, f"a cookie-consent page at {_host(url)}", url)
    page = _read(response)
    if page is None:
        return None
    found = _challenge(page, url)
    if found or not ok:
        return found
    if _script_only(page):
        return NotThePage(SCRIPT_ONLY, "a page whose text only its scripts would show", url)
    if asked and _home_page_instead(asked, url):
        return NotThePage(NOT_FOUND, f"a redirect to its site's home page ({shorten(url)})", asked)
    if asked and _sign_in_instead(asked, url):
        return NotThePage(SIGN_IN, f"a redirect to a sign-in or subscription page ({shorten(url)})", asked)
    # A title that could be a headline counts on a short page without a publication date (an article has one).
    consent = CONSENT_TITLES.search(page.title) and page.text_size < SHORT_TEXT
    if consent and COOKIE_WORD.search(page.text) and CONSENT_CHOICE.search(page.text) and not page.dated:
        return NotThePage(CONSENT, f'a cookie-consent page ("{_cut(page.title)}")', url)
    if _says_not_found(page.title) and page.text_size < NOT_FOUND_TEXT and not page.dated:
        what = f'a "page not found" page ("{_cut(page.title)}") although it said HTTP {status}'
        return NotThePage(NOT_FOUND, what, url)
    return None


def _challenge(page: _Page, url: str) -> NotThePage | None:
    vendor = CHALLENGE_TITLES.get(DOTS.sub("", page.title.casefold()).strip())
    if vendor is not None and (vendor or page.text_size < SHORT_TEXT) and not page.dated:
        by = f"{vendor}'s " if vendor else ""
        return NotThePage(BOT_CHECK, f'a bot check ({by}"{_cut(page.title)}" page)', url)
    mark = next((mark for mark in CHALLENGE_MARKS if mark in page.lower), None)
    if mark and page.text_size < SHORT_TEXT:
        return NotThePage(BOT_CHECK, f'a bot check (a page with "{mark}")', url)
    return None


def _script_only(page: _Page) -> bool:
    """An app's shell: nothing but a note asking for JavaScript, or no text at all and a script to make it.

    No date guard: whatever the page declares, there is no text here to read; but a shell that carries
    its story for machines (a long JSON-LD articleBody) is read from that, so it is the page.
    """
    if page.text_size > SCRIPT_SHELL_TEXT + 400 or len(page.text_outside_noscript) >= SCRIPT_SHELL_TEXT:
        return False
    if STRUCTURED_BODY.search(page.lower):
        return False
    if JAVASCRIPT.search(page.text) and page.text != page.text_outside_noscript:
        return True  # a <noscript> note about JavaScript, and next to nothing besides
    return not WORD.search(page.text) and SCRIPT_TAG.search(page.markup) is not None


def _says_not_found(title: str) -> bool:
    if NOT_FOUND_PHRASES.search(title):
        return True
    parts = {part.strip(" .!").casefold() for part in TITLE_SEPARATORS.split(title)}
    return bool(parts & NOT_FOUND_PARTS)


def _read(response: Response) -> _Page | None:
    """The decoded page, or None for an empty, feed or binary body."""
    body = response.body or b""
    if not body or looks_like_feed(body):
        return None
    try:
        text = decode_html(body, response.charset)
    except (ParseError, LookupError, ValueError):
        return None
    return _Page(text)


def _title(markup: str) -> str:
    opened = TITLE_OPEN.search(markup)
    if opened is None:
        return ""
    closed = TITLE_CLOSE.search(markup, opened.end(), opened.end() + 20 * TITLE_MAX)
    title = markup[opened.end() : closed.start() if closed else opened.end() + TITLE_MAX]
    return SPACE.sub(" ", html.unescape(title)).strip()[:TITLE_MAX]


def _shown(markup: str) -> str:
    """The markup without what a browser does not show (comments, scripts, styles, templates, SVG, the head).

    An element left open hides the rest of the page, as it does in a browser.
    """
    kept, at = [], 0
    while (opened := HIDDEN_OPEN.search(markup, at)) is not None:
        kept.append(markup[at : opened.start()])
        name = opened.group(1)
        closed = (HIDDEN_CLOSE[name.lower()] if name else COMMENT_CLOSE).search(markup, opened.end())
        if closed is None:
            return " ".join(kept)
        at = closed.end()
        kept.append(" ")
    kept.append(markup[at:])
    return "".join(kept)


def _home_page_instead(asked: str, url: str) -> bool:
    """Asked for a page below a site's root, answered (after redirects) from a root: "/", "/en/", "/index.html"."""
    try:
        asked_parts, final = parse_url(asked), parse_url(url)
    except ValueError:
        return False
    asked_root = HOME_PATH.fullmatch(asked_parts.path or "/") and not asked_parts.query
    return not asked_root and bool(HOME_PATH.fullmatch(final.path or "/")) and asked.rstrip("/") != url.rstrip("/")


def _sign_in_instead(asked: str, url: str) -> bool:
    """Asked for a page, sent (after redirects) to a sign-in or subscription page the address asked was not."""
    return _signs_in(url) and not _signs_in(asked)


def _signs_in(url: str) -> bool:
    try:
        path = parse_url(url).path or ""
    except ValueError:
        return False
    return bool(SIGN_IN_PATH.search(path)) or _first_label(url) in SIGN_IN_HOST_LABELS


def _consent_host(url: str) -> bool:
    return _first_label(url) in CONSENT_HOST_LABELS


def _first_label(url: str) -> str:
    """The host's first label: "consent" of consent.google.com, "accounts" of accounts.example.com."""
    return _host(url).split(".", 1)[0]


def _host(url: str) -> str:
    try:
        return (parse_url(url).host or "").lower()
    except ValueError:
        return ""


def _cut(title: str, limit: int = 80) -> str:
    return title if len(title) <= limit else title[:limit] + "…"
