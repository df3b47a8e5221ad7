"""axe-core (WCAG 2.0/2.1 A and AA rules) and our own audit on every page a reader, reporter, editor or admin uses.

In headless Chromium against `python -m tracker serve` with the demo story, at desktop width and
on a 390-pixel phone. A serious or critical violation fails the test, named by rule, page and
element. Closed <details> are opened first, so the forms folded inside them are checked too.
Every link within a page must lead to an element on it (an error message's link to its field
pointed at ids nothing had). The same page is then measured by test_accessibility_audit.AUDIT
(names, alt, headings, sideways scroll, contrast, focus ring, 24-pixel targets, lang) and must ask
nothing of another origin: one list of pages for both, so a page added here is held to every rule.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests import pdfs
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility_audit import AUDIT

pytestmark = pytest.mark.e2e

STORY = "amazon-ai-activity"
# A story of its own for the uploaded document, so the demo story's coverage lists stay as other tests expect.
DOCUMENT_STORY = "accessibility-audit"
ADMIN = "audit-admin"
WIDTHS = {"desktop": 1280, "phone": 390}
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}


def _log_empty_claim(page) -> None:
    """Send the claim form empty, past the browser's own checks, to see the server's error messages."""
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.get_by_role("button", name="Log claim").click()
    page.locator("#form-error").wait_for()


def _log_misquoted_claim(page) -> None:
    """A quote the stored text does not hold: the form shows that text, in a box that scrolls, to copy from."""
    page.fill("#text", "Amazon staff were pressed to show AI activity.")
    page.select_option("#claimant_type", "organization")
    page.select_option("#revision_id", index=1)
    page.fill("#quote", "Words the article never printed")
    page.get_by_role("button", name="Log claim").click()
    page.locator(".source-body").wait_for()


def _refused_ruling(page) -> None:
    """A ruling sent with nothing chosen: one message per problem, each a link to its field."""
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.get_by_role("button", name="Save ruling").click()
    page.locator("#ruling .alert--error").wait_for()


def _refused_story(page) -> None:
    """A story whose short name is refused: the field is marked invalid and described by the message."""
    page.fill("#title", "Harbour cranes")
    page.fill("#slug", "Not A Short Name")
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.get_by_role("button", name="Create story").click()
    page.locator("#slug-error").wait_for()


def _log_long_reporting(page) -> None:
    """Log an interview long enough that its words scroll in their box, and land on its page."""
    page.fill("#at", "2026-11-30T10:00")
    page.fill("#words", "\n".join(f"Line {n} of what the spokesperson said on the record." for n in range(60)))
    page.get_by_role("button", name="Log reporting").click()
    page.locator("#words-title").wait_for()


def _wrong_password(page) -> None:
    page.fill("#username", ADMIN)
    page.fill("#password", "not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.locator("#login-error").wait_for()


UNSUBSCRIBE = "/alerts/unsubscribe/1.AAAAAAAAAAAAAAAAAAAAAAAA"


def _stop_emails(page) -> None:
    page.get_by_role("button", name="Stop these emails").click()
    page.get_by_role("heading", name="Alert emails stopped").wait_for()


@dataclass(frozen=True)
class Audited:
    name: str
    site: str  # "editor", "public" or "signed-out" (the editor without an account)
    path: str
    then: Callable | None = None


PAGES = [
    Audited("public-front", "public", "/"),
    Audited("public-story", "public", f"/stories/{STORY}"),
    Audited("public-timeline", "public", "/public/timeline"),
    Audited("public-timeline-filtered", "public", "/public/timeline?status=confirmed"),
    Audited("public-search", "public", "/public/timeline?q=Amazon"),
    Audited("public-unclear", "public", "/public/unclear"),
    Audited("public-claimants", "public", "/public/claims_by_claimant"),
    Audited("public-claim", "public", "/public/claims/{public_claim}"),
    Audited("public-claim-events", "public", "/public/claim_events?claim_id={public_claim}"),
    Audited("public-changes", "public", "/public/changes"),
    # A canned query without a page of its own: Datasette's query page, with its "Edit SQL" link.
    Audited("public-coverage-over-time", "public", "/public/coverage_over_time"),
    Audited("public-sql", "public", "/public?sql=select+status+from+claims"),
    Audited("public-data", "public", "/public"),
    Audited("public-table-events", "public", "/public/events"),
    Audited("public-table-claims", "public", "/public/claims"),
    # A facet value clicked (status = unclear) and a facet asked for: Datasette's ✖ links to take them off.
    Audited("public-table-faceted", "public", "/public/claims?status=unclear&_facet=status"),
    Audited("public-about", "public", "/about"),
    Audited("public-404", "public", "/no-such-page"),
    Audited("sign-in", "signed-out", "/login"),
    Audited("sign-in-refused", "signed-out", "/login", _wrong_password),
    # An alert email's unsubscribe link (a made-up token: it stops nothing), asked, then pressed.
    Audited("unsubscribe", "signed-out", UNSUBSCRIBE),
    Audited("unsubscribe-done", "signed-out", UNSUBSCRIBE, _stop_emails),
    Audited("stories", "editor", "/"),
    Audited("story", "editor", f"/stories/{STORY}"),
    Audited("story-new", "editor", "/stories/new"),
    Audited("story-new-refused", "editor", "/stories/new", _refused_story),
    Audited("story-edit", "editor", f"/stories/{STORY}/edit"),
    Audited("claim", "editor", "/claims/{confirmed_claim}"),
    Audited("claim-ruling-refused", "editor", "/claims/{confirmed_claim}", _refused_ruling),
    Audited("claim-edit", "editor", "/claims/{confirmed_claim}/edit"),
    Audited("claim-new", "editor", f"/stories/{STORY}/claims/new"),
    Audited("claim-new-errors", "editor", f"/stories/{STORY}/claims/new", _log_empty_claim),
    Audited("claim-new-misquoted", "editor", f"/stories/{STORY}/claims/new", _log_misquoted_claim),
    Audited("triage", "editor", f"/stories/{STORY}/triage"),
    Audited("dashboard", "editor", f"/stories/{STORY}/dashboard"),
    Audited("coverage", "editor", f"/stories/{STORY}/coverage"),
    Audited("coverage-item", "editor", "/coverage/{article}"),
    Audited("document-new", "editor", f"/stories/{STORY}/documents/new"),
    Audited("document-page", "editor", "/coverage/{document}/pages/2"),
    Audited("reporting-new", "editor", f"/stories/{STORY}/reporting/new"),
    Audited("reporting-note", "editor", f"/stories/{DOCUMENT_STORY}/reporting/new", _log_long_reporting),
    Audited("post-new", "editor", f"/stories/{STORY}/posts/new"),
    Audited("questions", "editor", f"/stories/{STORY}/questions"),
    Audited("question", "editor", "/questions/{question}"),
    Audited("question-edit", "editor", "/questions/{question}/edit"),
    Audited("development-edit", "editor", "/developments/{development}/edit"),
    Audited("sources", "editor", f"/stories/{STORY}/sources"),
    Audited("source", "editor", "/sources/{source}"),
    Audited("publish", "editor", "/publish"),
    Audited("publish-result", "editor", "/publish/{publish_log}"),
    Audited("account", "editor", "/account"),
    Audited("account-alerts", "editor", "/account/alerts"),
    Audited("notifications", "editor", "/alerts"),
    Audited("people", "editor", "/admin/users"),
    Audited("person", "editor", "/admin/users/{admin}"),
    Audited("editor-404", "editor", "/no-such-page"),
]


@pytest.fixture(scope="module")
def ids(site, tmp_path_factory) -> dict[str, int]:
    """An admin who sees every page, a document to read, and the ids the addresses need."""
    site.cli("users", "add", ADMIN, "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    site.cli("stories", "add", DOCUMENT_STORY, "--title", "Accessibility audit", "--keywords", "activity")
    # Pages long enough that their text scrolls in its box.
    made = pdfs.multi_page_pdf(tmp_path_factory.mktemp("a11y") / "report.pdf", 3, seed=5, per_page=40)
    site.cli("ingest", DOCUMENT_STORY, str(made.path))
    # A source to read the page of (added, never fetched: nothing runs `watch` here).
    site.cli("sources", "add", DOCUMENT_STORY, "https://example.org/feed.xml", "--kind", "feed")
    db = sqlite3.connect(site.db)
    try:
        return {
            name: db.execute(sql, params).fetchone()[0]
            for name, sql, params in (
                ("confirmed_claim", "SELECT min(id) FROM claims WHERE status = 'confirmed'", ()),
                # The same claim as readers know it (tracker/public_ids.py).
                (
                    "public_claim",
                    "SELECT public_id FROM public_ids WHERE kind = 'claim' "
                    "AND id = (SELECT min(id) FROM claims WHERE status = 'confirmed')",
                    (),
                ),
                ("article", "SELECT min(id) FROM coverage WHERE kind = 'article'", ()),
                ("document", "SELECT max(id) FROM coverage WHERE kind = 'document'", ()),
                ("question", "SELECT min(id) FROM questions", ()),
                ("development", "SELECT min(id) FROM developments", ()),
                ("admin", "SELECT id FROM users WHERE username = ?", (ADMIN,)),
                ("source", "SELECT max(id) FROM sources", ()),
                ("publish_log", "SELECT max(id) FROM publish_log", ()),
            )
        }
    finally:
        db.close()


@pytest.fixture(scope="module")
def contexts(browser, site, ids) -> Iterator[dict[tuple[str, str], object]]:
    """One browser context per width and kind of visitor; the admin signs in once per width."""
    made: dict[tuple[str, str], object] = {}
    for width_name, width in WIDTHS.items():
        for kind in ("public", "signed-out", "editor"):
            context = browser.new_context(viewport={"width": width, "height": 900})
            if kind == "editor":
                page = context.new_page()
                sign_in(page, site, ADMIN)
                page.close()
            made[width_name, kind] = context
    yield made
    for context in made.values():
        context.close()


# Same-page links whose target no element has (a bare "#" is a script's button, not a place).
DEAD_ANCHORS = """() => [...document.querySelectorAll('a[href^="#"]')]
  .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
  .filter(id => id && id !== 'top' && !document.getElementById(id)
    && !document.querySelector(`a[name="${CSS.escape(id)}"]`))"""


def _selectors(node: dict) -> str:
    return " ".join(str(part) for part in node["target"])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("audited", PAGES, ids=[p.name for p in PAGES])
def test_no_serious_accessibility_violations(contexts, site, ids, audited: Audited, width: str):
    from axe_playwright_python.sync_playwright import Axe

    page = contexts[width, audited.site].new_page()
    page.set_default_timeout(15000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        base = site.public if audited.site == "public" else site.editor
        response = page.goto(base + audited.path.format(**ids))
        expected = 404 if audited.name.endswith("-404") else 200
        assert response is not None and response.status == expected, f"{audited.name}: {response and response.status}"
        assert audited.site != "editor" or "/login" not in page.url, f"{audited.name}: sent to sign in"
        if audited.then is not None:
            audited.then(page)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        # A link within the page leads somewhere: an error message's link to its field, a skip link, a jump link.
        nowhere = page.evaluate(DEAD_ANCHORS)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": RULES}, "resultTypes": ["violations"]})
        # A Tab press first, so that focus moved by script counts as keyboard focus.
        page.keyboard.press("Tab")
        measured = page.evaluate(AUDIT, width == "phone")
    finally:
        page.close()
    found = [f"a link to #{target} on {audited.name} at {width} leads nowhere on the page" for target in nowhere]
    found += [f"{fault} on {audited.name} at {width}" for fault in measured]
    found += [
        f"{audited.name} at {width} asked another origin for {url}"
        for url in requested
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != urlsplit(base).netloc
    ]
    found += [
        f"{v['id']} ({v['impact']}) on {audited.name} at {width}: {_selectors(node)}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in FAILING
        for node in v["nodes"]
    ]
    assert not found, "\n".join(found)
