"""Answers that are not the page (a bot check, a cookie-consent wall, a "page not found" served with 200).

Such an answer must never become a revision: on a statement it would raise a
false "statement changed" alert and bury the real text under the wall's.
The detector (scrapers/notpage.py) is checked on its own here.
"""

from __future__ import annotations

import pytest

from scrapers.http import Response
from scrapers.notpage import not_the_page
from tests.sites import RECALL, article

CLOUDFLARE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main">
<div class="main-content"><h1 class="zone-name-title h1">newsroom.example</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div>
</noscript>
<div id="challenge-body-text" class="core-msg spacer">newsroom.example needs to review the security of your
connection before proceeding.</div></div></div>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=1"></script></body></html>"""

CONSENT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Before you continue</title></head>
<body><h1>Before you continue</h1>
<p>We use cookies and data to deliver and maintain our services, measure audience engagement and site
statistics, and personalise content and ads. If you choose to accept all, we will also use cookies and data
to develop and improve new services.</p>
<p>Select "More options" to see additional information, including details about managing your privacy settings.</p>
<form><button>Reject all</button><button>Accept all</button></form><a href="/options">More options</a>
</body></html>"""

SOFT_404 = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page not found | Acme Newsroom</title>
</head><body><nav><a href="/">Home</a> <a href="/newsroom/">Newsroom</a></nav>
<main><h1>Sorry, we couldn't find that page</h1>
<p>The page you were looking for may have been moved, renamed or removed. Try searching our newsroom or go
back to the home page to find the latest statements from Acme Widgets and its subsidiaries.</p></main>
<footer><p>© 2026 Acme Widgets. All rights reserved.</p></footer></body></html>"""


# -- the detector on its own ------------------------------------------------------------------------


def _response(body: str, *, url: str = "https://news.example/2026/03/recall.html", status: int = 200, **headers):
    return Response(
        url=url,
        status=status,
        headers={k.replace("_", "-").lower(): v for k, v in headers.items()},
        body=body.encode("utf-8"),
        content_type="text/html",
        charset="utf-8",
        elapsed_ms=1,
    )


SMALL = "<html><head><title>{title}</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    "response,kind",
    [
        (_response(CLOUDFLARE), "bot_check"),
        (_response(SMALL.format(title="Acme", text="x"), cf_mitigated="challenge"), "bot_check"),
        (_response(SMALL.format(title="Please Wait... | Cloudflare", text="x")), "bot_check"),
        (
            _response(SMALL.format(title="Attention Required! | Cloudflare", text="Sorry, you have been blocked")),
            "bot_check",
        ),
        (
            _response(
                SMALL.format(title="Access Denied", text="You don't have permission to access this server."), status=403
            ),
            "bot_check",
        ),
        (
            _response(
                SMALL.format(
                    title="Access to this page has been denied", text="Press & Hold to confirm you are a human"
                )
            ),
            "bot_check",
        ),
        (
            _response(
                SMALL.format(title="news.example", text="Please enable JS and disable any ad blocker")
                + '<script src="https://ct.captcha-delivery.com/c.js"></script>',
                status=403,
            ),
            "bot_check",
        ),
        (_response(CONSENT, url="https://consent.portal.example/ml?continue=x"), "consent"),
        (_response(SMALL.format(title="Yahoo", text="x"), url="https://guce.portal.example/consent"), "consent"),
        (_response(CONSENT), "consent"),
        (
            _response(SMALL.format(title="Bevor Sie fortfahren", text="Wir verwenden Cookies und Daten, um …")),
            "consent",
        ),
        (_response(SOFT_404), "not_found"),
        (_response(SMALL.format(title="404", text="x")), "not_found"),
        (_response(SMALL.format(title="Seite nicht gefunden - Beispiel-Zeitung", text="Leider…")), "not_found"),
        (_response(SMALL.format(title="Page introuvable | Le Journal", text="Désolé")), "not_found"),
        (_response(SMALL.format(title="Página no encontrada", text="Lo sentimos")), "not_found"),
        (_response(SMALL.format(title="Error 404 – Gazzetta", text="Pagina non trovata")), "not_found"),
    ],
)
def test_the_detector_names_each_kind_of_wall(response, kind):
    found = not_the_page(response)
    assert found is not None and found.kind == kind, found
    assert response.url in found.reason or "news.example" in found.reason


@pytest.mark.parametrize(
    "response",
    [
        _response(article("Acme recalls toasters", RECALL)),
        _response(article("Missing hiker not found after two days", RECALL)),
        _response(article("Flight 404 lands safely", RECALL)),
        _response(article("Before you continue: what the recall means", RECALL)),
        _response(article("Acme recalls toasters", RECALL), cf_ray="8a1b2c3d4e5f-AMS", server="cloudflare"),
        _response(article("Acme recalls toasters", RECALL), x_datadome="protected"),
        _response(
            article("Acme recalls toasters", RECALL, extra='<div id="cookie-banner">We use cookies. Accept all</div>')
        ),
        _response(article("Page not found: the web's lost archives", RECALL * 4)),
        _response('<?xml version="1.0"?><rss version="2.0"><channel><title>Just a moment...</title></channel></rss>'),
        _response(SMALL.format(title="Just a moment...", text="x"), status=304),
    ],
)
def test_the_detector_leaves_real_pages_feeds_and_empty_answers_alone(response):
    assert not_the_page(response) is None
