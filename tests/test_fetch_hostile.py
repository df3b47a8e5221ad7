"""Servers we do not control, answering as a hostile or broken one would: every fetch stays bounded and says why.

Each test serves its answer from a real server on 127.0.0.1 (tests/sites.py, tests/http/local_server.py)
and goes through the fetcher, the parsers and the ingest the commands use.
"""

from __future__ import annotations

import gzip
import re
import socket
import threading
import tracemalloc
from collections.abc import Iterator

import pytest

from scrapers import documents as readers
from scrapers import pdfstreams
from scrapers.feeds import OUTLET_MAX, TITLE_MAX, html_to_text
from tests import pdfs
from tests.http.local_server import Server
from tests.sites import RECALL, article, fetcher, rss
from tracker import coverage, sources
from tracker.ingest import ingest_url
from tracker.scrape import run_pass


@pytest.fixture
def raw() -> Iterator[Server]:
    """A server whose routes may write any bytes at all as their answer (Server.on with handler.wfile)."""
    server = Server()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def serve_raw(server: Server, path: str, answer: bytes) -> str:
    return server.on(path, lambda handler: handler.wfile.write(answer))


def test_a_feed_title_of_megabytes_is_not_copied_into_every_item(db, story, site):
    """The feed's title names the outlet of each of its entries: 2 MB of it once made 20 items hold 40 MB."""
    entries = [{"link": site.url(f"/a/{n}.html"), "title": "Acme " + "recall " * 50_000} for n in range(20)]
    feed = rss("Acme Gazette " * 170_000, entries)
    url = site.put("/feed.xml", feed, content_type="application/rss+xml")
    result = ingest_url(db, story["slug"], url, fetcher=fetcher())
    assert (result.kind, result.counts["new"]) == ("feed", 20)
    assert result.title.startswith("Acme Gazette Acme Gazette") and len(result.title) <= OUTLET_MAX + 1
    items = coverage.list_items(db, story["id"])
    assert len(items) == 20
    assert all(item["outlet"] == result.title for item in items)
    assert all(item["title"].startswith("Acme recall recall") and len(item["title"]) <= TITLE_MAX + 1 for item in items)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # str.isdigit() says yes to a superscript one (latin-1 0xB9), which int() and float() refuse.
        (b"HTTP/1.1 200 OK\r\nContent-Length: \xb9", "ok"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: " + b"9" * 5000, "larger than"),  # past int()'s 4,300 digits
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0000" + b"0" * 5000 + b"9", "ok"),
        (b"HTTP/1.1 503 Busy\r\nRetry-After: \xb9", "HTTP 503"),
        (b"HTTP/1.1 503 Busy\r\nRetry-After: \xc2\xb2", "HTTP 503"),  # a UTF-8 superscript two
        # A date whose year no datetime holds: parsedate_to_datetime raises OverflowError, not ValueError.
        (b"HTTP/1.1 503 Busy\r\nRetry-After: Thu, 01 Jan 99999999999 00:00:00 GMT", "HTTP 503"),
    ],
    ids=[
        "superscript-length",
        "length-of-5000-digits",
        "length-of-5000-zeros",
        "superscript-retry",
        "utf8-retry",
        "retry-date-of-year-1e11",
    ],
)
def test_numbers_in_headers_that_are_not_ascii_digits_are_an_answer_not_a_crash(raw, head, expected):
    url = serve_raw(raw, "/page", head + b"\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<p>Acme</p>")
    response = fetcher(respect_robots=False).get(url)
    if expected == "ok":
        assert (response.status, response.error, response.body) == (200, None, b"<p>Acme</p>")
    else:
        assert expected in response.error and url in response.error


def test_a_robots_txt_answering_503_with_a_retry_date_no_datetime_holds_leaves_the_site_disallowed(raw):
    """The OverflowError of that Retry-After went out of Fetcher.get: `ingest URL` showed a traceback."""
    raw.reply("/robots.txt", "busy", status=503, Retry_After="Thu, 01 Jan 99999999999 00:00:00 GMT")
    page = raw.reply("/page", "<p>Acme</p>")
    response = fetcher().get(page)
    assert response.skipped is not None and "could not be read (it answered HTTP 503)" in response.skipped
    assert raw.paths() == ["/robots.txt"]


def test_a_crawl_delay_of_1e308_is_said_in_words_not_in_309_digits(raw):
    """The wait was written with every digit, and the sentence kept as the source's last error and in the log."""
    raw.reply("/robots.txt", "User-agent: *\nCrawl-delay: 1e308\n", content_type="text/plain")
    page = raw.reply("/page", "<p>Acme</p>")
    response = fetcher().get(page)
    assert response.skipped is not None and response.skipped.startswith(
        "127.0.0.1 asked us to wait more than a day before the next request (Crawl-delay / minimum interval);"
    )
    assert len(response.skipped) < 200 and raw.paths() == ["/robots.txt"]


def test_a_robots_request_rate_no_float_can_hold_is_ignored_as_a_malformed_line(raw):
    """1 request per 10**400 seconds: dividing it raised OverflowError out of every fetch from the site."""
    raw.reply(
        "/robots.txt",
        "User-agent: *\nRequest-rate: 1/" + "9" * 400 + "\nDisallow: /private/\n",
        content_type="text/plain",
    )
    page = raw.reply("/page", "<p>Acme</p>")
    client = fetcher()
    response = client.get(page)
    assert (response.status, response.error, response.body) == (200, None, b"<p>Acme</p>")
    assert client.get(raw.url("/private/x")).skipped == "disallowed by robots.txt"  # the rest of the file holds


def test_an_early_hints_answer_before_the_page_is_skipped_and_the_next_request_gets_its_own_page():
    """A 103 Early Hints comes before the real answer on the same connection (RFC 9110 lets any 1xx do so).

    Taken for the answer, it failed the page, and the connection was kept with the page still in it:
    the next address asked of the site was given that page as its own.
    """

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 17\r\n\r\n<p>first page</p>")
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 18\r\n\r\n<p>second page</p>")
            conn.recv(65536)  # until the client closes

    with socket.create_server(("127.0.0.1", 0)) as listener:
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{listener.getsockname()[1]}"
        client = fetcher(respect_robots=False)
        first, second = client.get(f"{base}/first"), client.get(f"{base}/second")
        client.close()
        thread.join(5)
    assert (first.status, first.error, first.body) == (200, None, b"<p>first page</p>")
    assert (second.status, second.error, second.body) == (200, None, b"<p>second page</p>")


def test_interim_answers_without_end_are_cut_off_by_the_total_deadline(raw):
    stop = threading.Event()

    def endless(handler) -> None:
        while not stop.is_set():
            handler.wfile.write(b"HTTP/1.1 102 Processing\r\n\r\n" * 100)

    url = raw.on("/endless", endless)
    try:
        response = fetcher(respect_robots=False, total_timeout=0.5).get(url)
    finally:
        stop.set()
    assert response.status is None
    assert "took longer than 0.5 s in total" in response.error


def test_a_pdf_of_many_streams_each_under_the_bound_is_refused_once_they_inflate_past_it_in_all(
    db, story, site, tmp_path, monkeypatch
):
    """Each stream is held to MAX_INFLATED, and pdfminer keeps every stream it inflates: a 1.2 MB file
    of ten 120 MB streams took 1.3 GB, and ten times as many streams would take ten times that."""
    monkeypatch.setattr(pdfstreams, "MAX_INFLATED", 4 * 1024 * 1024)
    monkeypatch.setattr(pdfstreams, "MAX_INFLATED_IN_ALL", 16 * 1024 * 1024)
    made = pdfs.compressed_pdf(tmp_path / "many.pdf", pdfs.inflating("Acme memo", 3_000_000), "Acme memo", copies=10)
    url = site.put("/many.pdf", made.data, content_type="application/pdf")
    result = ingest_url(db, story["slug"], url, fetcher=fetcher(), as_document=True)
    assert result.kind == "failed"
    assert "inflate to more than 16 MB in all" in result.problem and "\n" not in result.problem
    assert db.execute("SELECT count(*) FROM coverage").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM captures").fetchone()[0] == 0


def test_a_pdf_of_a_few_streams_within_the_bound_in_all_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfstreams, "MAX_INFLATED", 4 * 1024 * 1024)
    monkeypatch.setattr(pdfstreams, "MAX_INFLATED_IN_ALL", 16 * 1024 * 1024)
    made = pdfs.compressed_pdf(tmp_path / "few.pdf", pdfs.inflating("Acme memo", 3_000_000), "Acme memo", copies=4)
    assert readers.read_document(made.data, readers.PDF, max_pages=10).pages == (" ".join(["Acme memo"] * 4),)


def test_a_summary_of_megabytes_of_markup_is_read_within_bounded_memory():
    """Only a thousand characters of a summary are kept: 5 MB of paragraphs once took 630 MB and 14 s to read."""
    markup = "<p>Acme recalls toasters.</p>" + "<p>More words.</p>" * 150_000
    tracemalloc.start()
    try:
        text = html_to_text(markup)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text.startswith("Acme recalls toasters.\nMore words.\nMore words.")
    assert peak < 60_000_000


def test_a_sitemap_index_named_in_the_error_cannot_send_control_characters_to_the_terminal(db, story, site):
    """The index's first address is quoted to say what to add instead; C1's CSI (0x9B) starts an escape sequence."""
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://gazette.example/news-\u009b2J\u009b31msitemap.xml</loc></sitemap></sitemapindex>"
    )
    url = site.put("/sitemap.xml", index, content_type="application/xml")
    result = ingest_url(db, story["slug"], url, fetcher=fetcher())
    assert result.kind == "failed"
    assert "(the index's first is https://gazette.example/news-2J31msitemap.xml)" in result.problem


ESCAPES = "&#27;]0;retitled&#7;&#27;[2J"  # a terminal's title set and its screen cleared, as HTML and XML write them
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_links_a_site_writes_with_control_characters_are_not_followed_nor_shown(db, story, site):
    """The addresses of items reach the terminal of `scrape` and `ingest`: escape sequences in a feed's,
    a newsroom's or a page's links set its title, cleared it, or worse, and every fetch of them failed anyway."""
    entries = [{"link": site.url("/a.html") + ESCAPES, "title": "Acme recall"}]
    written = rss("Acme Gazette", entries).replace("&amp;#", "&#")
    feed = site.put("/feed.xml", written, content_type="application/rss+xml")
    site.put("/newsroom/ok.html", article("Acme statement", RECALL))
    listing = site.put(
        "/newsroom/", f'<html><body><a href="/newsroom/x{ESCAPES}">Acme</a><a href="/newsroom/ok.html">Acme</a></body>'
    )
    sources.add_source(db, story["id"], feed, "feed")
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme")
    with fetcher() as client:
        result = run_pass(db, story["slug"], fetcher=client)
    page = site.put("/page.html", article("Acme recalls", RECALL, extra=f'<link rel="canonical" href="/p{ESCAPES}">'))
    ingested = ingest_url(db, story["slug"], page, fetcher=fetcher())
    assert ingested.canonical_url == page
    urls = [row[0] for row in db.execute("SELECT canonical_url FROM coverage")]
    assert sorted(urls) == sorted([site.url("/newsroom/ok.html"), page])
    assert not any(CONTROL.search(f"{url} {reason}") for url, reason in result["problems"])
    assert result["skipped"] == 1  # the feed's entry, "link is not an http(s) URL"


@pytest.mark.parametrize("declared", [b"image/\x1b[2J", b"text/plain\x1b]0;retitled\x07"], ids=["image", "text"])
def test_a_content_type_with_escape_sequences_is_not_quoted_into_the_error(raw, declared):
    """The error names the type the server declared, and goes to the terminal of `ingest` and `scrape`."""
    body = b"\x00\x01\x02\x03" * 64
    head = b"HTTP/1.1 200 OK\r\nContent-Type: " + declared + b"\r\nConnection: close\r\n\r\n"
    url = serve_raw(raw, "/file", head + body)
    response = fetcher(respect_robots=False).get(url)
    assert response.error.startswith(f"{url} is a binary file (")
    assert not CONTROL.search(response.error)
    assert not CONTROL.search(response.content_type)


def test_a_feed_s_declared_encoding_with_escape_sequences_is_not_quoted_into_its_warning(db, story, site):
    feed = rss("Acme Gazette", [{"link": site.url("/a.html"), "title": "Acme recall"}])
    written = feed.replace('encoding="utf-8"', 'encoding="\x1b]0;retitled\x07\x1b[2J"')
    url = site.put("/feed.xml", written, content_type="application/rss+xml")
    result = ingest_url(db, story["slug"], url, fetcher=fetcher())
    assert (result.kind, result.counts["new"]) == ("feed", 1)
    assert "names the encoding ']0;retitled[2J', which is no text encoding; read as UTF-8" in result.problem


# Labels Python's codecs know but that name no text encoding (bytes to bytes, str to str, or always failing).
NOT_CHARSETS = ["base64", "rot13", "hex", "zlib", "uu", "quopri", "bz2", "undefined"]


def test_a_charset_label_that_names_no_text_encoding_is_ignored_and_the_pass_reads_every_page(db, story, site, caplog):
    """A label Python knows as a bytes-to-bytes codec ("base64") or as one that always fails ("undefined"),
    in the Content-Type or in <meta charset>, raised out of the page's decoding: each such page failed as
    "a bug in the tracker", with a traceback in the log, and was never stored."""
    page = article("Acme café recall", RECALL).encode("cp1252")  # not UTF-8: the declared labels are tried
    paths = []
    for label in NOT_CHARSETS:
        paths.append(f"/header-{label}.html")
        site.put(paths[-1], page, content_type=f"text/html; charset={label}")
        paths.append(f"/meta-{label}.html")
        site.put(paths[-1], page.replace(b'<meta charset="utf-8">', f'<meta charset="{label}">'.encode()))
    feed = rss("Acme Gazette", [{"link": site.url(path), "title": f"Acme {path}"} for path in paths])
    sources.add_source(db, story["id"], site.put("/feed.xml", feed, content_type="application/rss+xml"), "feed")
    with fetcher() as client:
        result = run_pass(db, story["slug"], fetcher=client)
    assert result["problems"] == [] and (result["new"], result["failed"]) == (len(paths), 0)
    texts = [row[0] for row in db.execute("SELECT text FROM revisions")]
    assert len(texts) == len(paths) and all("Acme café recall" in text for text in texts)
    assert "Traceback" not in caplog.text


def _laughs(root: str) -> str:
    """A DTD whose nine entities each repeat the one before ten times: "&l9;" is a billion "lol"s.

    On one line: feedparser takes out only the entity declarations that start a line."""
    declared = "".join(f'<!ENTITY l{n} "' + f"&l{n - 1};" * 10 + '">' for n in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY l0 "lol">{declared}]>'


@pytest.mark.parametrize("kind", ["rss", "rss-utf-16", "sitemap"])
def test_entities_a_feed_declares_are_never_expanded(db, story, site, kind):
    """A feed of 1 KB defining nested entities was expanded by the XML parser until its own limit stopped it:
    about 10 MB of text handed to feedparser a character run at a time, 5 to 20 s and 70 MB per poll, and
    the feed's entries after that point were lost. A sitemap with such a DTD was not even known for one."""
    page = site.put("/a.html", article("Acme recalls toasters", RECALL))
    if kind.startswith("rss"):
        body = _laughs("rss") + rss("&l9;", [{"link": page, "title": "Acme &l9;"}]).split("?>", 1)[1]
        body = body.replace("&amp;l9;", "&l9;")
        if kind == "rss-utf-16":
            body = body.replace("?>", ' encoding="utf-16"?>', 1).encode("utf-16")
    else:
        body = (
            _laughs("urlset") + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"<url><loc>{page}</loc><news:news><news:title>Acme &l9;</news:title>"
            "<news:publication_date>2026-03-02</news:publication_date></news:news></url></urlset>"
        )
    url = site.put("/feed.xml", body, content_type="application/xml")
    tracemalloc.start()
    try:
        result = ingest_url(db, story["slug"], url, fetcher=fetcher())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.kind, result.counts["new"]) == ("feed", 1), result.problem
    assert "lollol" not in coverage.list_items(db, story["id"])[0]["title"]
    assert peak < 30_000_000
    if kind.startswith("rss"):
        assert "declares XML entities that are not expanded" in result.problem and "amplification" not in result.problem


@pytest.mark.parametrize("newline", ["", "\n"], ids=["one-line", "a-line-each"])
def test_a_feed_that_declares_entities_of_a_character_is_read_as_before(db, story, site, newline):
    """Handwritten feeds declare &nbsp; and the like; those are kept, and the feed is read without a problem."""
    declared = newline.join(['<!ENTITY nbsp "&#160;">', '<!ENTITY co "Acme">', "<!ENTITY eacute '\u00e9'>"])
    body = rss("Acme&nbsp;Gazette", [{"link": site.url("/a.html"), "title": "Acme&nbsp;caf&eacute; &co; recall"}])
    body = body.replace("?>", f"?><!DOCTYPE rss [{newline}{declared}{newline}]>", 1).replace("&amp;", "&")
    url = site.put("/feed.xml", body, content_type="application/rss+xml")
    result = ingest_url(db, story["slug"], url, fetcher=fetcher())
    assert (result.kind, result.counts["new"], result.problem) == ("feed", 1, None)
    assert coverage.list_items(db, story["id"])[0]["title"] == "Acme café Acme recall"


def test_a_robots_txt_of_50_mb_is_read_to_its_first_500_kb_and_no_further(raw):
    """RFC 9309 asks crawlers to read at least 500 KiB of it; the rest is neither read nor kept."""
    stop = threading.Event()
    sent = []

    def huge(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(50_000_000))
        handler.end_headers()
        handler.wfile.write(b"User-agent: *\nDisallow: /private/\n")
        filler = b"# " + b"x" * 1021 + b"\n"
        while not stop.is_set() and len(sent) < 50_000:
            handler.wfile.write(filler)
            sent.append(len(filler))

    raw.on("/robots.txt", huge)
    page = raw.reply("/page", "<p>Acme</p>")
    try:
        client = fetcher()
        allowed, refused = client.get(page), client.get(raw.url("/private/x"))
    finally:
        stop.set()
    assert (allowed.status, allowed.body) == (200, b"<p>Acme</p>")
    assert refused.skipped == "disallowed by robots.txt"
    assert raw.paths() == ["/robots.txt", "/page"] and sum(sent) < 10_000_000  # the client hung up


@pytest.mark.parametrize(
    ("head", "why"),
    [
        (b"".join(b"X-Header-%d: v\r\n" % n for n in range(10_000)), "got more than 100 headers"),
        (b"X-Long: " + b"a" * 1_000_000 + b"\r\n", "got more than 65536 bytes when reading header line"),
    ],
    ids=["ten-thousand-headers", "a-header-of-1-mb"],
)
def test_headers_past_any_real_answer_are_a_one_line_error(raw, head, why):
    url = serve_raw(raw, "/page", b"HTTP/1.1 200 OK\r\n" + head + b"Content-Length: 4\r\n\r\n<p/>")
    response = fetcher(respect_robots=False).get(url)
    assert response.status is None and response.error.startswith(f"The connection to {url} failed ({why});")
    assert "\n" not in response.error and len(response.error) < 400


@pytest.mark.parametrize(
    ("encoded", "claimed"),
    [("utf-8", "windows-1251"), ("cp1252", "utf-8"), ("utf-8", "shift_jis")],
    ids=["utf8-said-cyrillic", "latin-said-utf8", "utf8-said-japanese"],
)
def test_a_page_whose_meta_charset_lies_is_read_in_the_encoding_of_its_bytes(db, story, site, encoded, claimed):
    body = article("Acme café recall – “relieved”", RECALL).replace('charset="utf-8"', f'charset="{claimed}"')
    url = site.put("/page.html", body.encode(encoded), content_type="text/html")
    result = ingest_url(db, story["slug"], url, fetcher=fetcher())
    assert (result.kind, result.problem) == ("page", None)
    assert coverage.list_items(db, story["id"])[0]["title"] == "Acme café recall – “relieved”"


def test_pages_refused_for_their_size_are_not_kept_while_the_pass_goes_on(db, story, site):
    """A refused answer kept the bytes read up to the limit: a feed listing compressed bombs (50 KB each on the
    wire) filled the pass's queue of responses with 10 MB apiece, and each was read again for a bot check."""
    bomb = gzip.compress(b"<p>" + b"Acme " * 1_000_000)  # 5 MB of page, 5 KB on the wire
    entries = []
    for n in range(30):
        entries.append({"link": site.put(f"/a/{n}.html", bomb, headers={"Content-Encoding": "gzip"}), "title": "Acme"})
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Acme Gazette", entries)), "feed")
    tracemalloc.start()
    try:
        with fetcher(max_bytes=1_000_000) as client:
            result = run_pass(db, story["slug"], fetcher=client, extract=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result["new"], result["failed"]) == (30, 30)
    assert all("response larger than 1000000 bytes" in reason for _, reason in result["problems"])
    assert peak < 12_000_000  # a few bodies being read at once, not thirty kept
