"""What a wide or long request may make the public site build, echo or link, on a real `datasette` process.

Facet lists are built on the event loop every reader's request waits for, a search the reader typed is echoed in
the `Link:` header a proxy must hold, and a visitor's own Atom feed carries the links its values hold. The tests
look at what is answered, never at the clock.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.servers import public_datasette
from tests.test_public import publish_into
from tests.test_public_html_cells import MORE_CLAIMS, build_wide_site
from tracker.public import load_metadata

SITE = load_metadata()
LIMITS = SITE["plugins"]["newsroom-tracker"]
ATOM = "{http://www.w3.org/2005/Atom}"
# Response headers an nginx in front holds by default (proxy_buffer_size: one memory page, 4 KB).
PROXY_HEADER_BYTES = 4096


def header_bytes(response: httpx.Response) -> int:
    """The bytes of a response's header lines as a proxy reads them (`Name: value` and a line end each)."""
    return sum(len(name) + len(value) + 4 for name, value in response.headers.raw)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder, _ = publish_into(tmp_path_factory, "wide", build_wide_site)
    return folder


@pytest.fixture(scope="module")
def base(folder):
    """The address of a real `datasette` serving the public file as `python -m tracker serve` runs it."""
    with public_datasette(folder) as (url, _):
        yield url


def facet_values(body: dict) -> dict[str, int]:
    return {name: len(facet["results"]) for name, facet in body["facet_results"].items()}


def test_facet_lists_of_a_page_hold_at_most_the_sites_facet_values_in_all(base):
    """`_facet_size=max` listed up to 500 values of each facet, the table's own and five asked for: 7 x 500 of them,
    each with its own link, built on the event loop (events: 250 ms of the server's CPU a request, at 60 a minute an
    address). Now the page's facets share `facet_values` between them: each lists at most its share."""
    most = LIMITS["facet_values"]
    asked = "_facet=text&_facet=claimant&_facet=id&_facet=first_reported_at"
    body = httpx.get(f"{base}/public/claims.json?{asked}&_facet_size=max&_size=0", timeout=60).json()
    listed = facet_values(body)
    assert len(listed) == 4 + len(SITE["databases"]["public"]["tables"]["claims"]["facets"])
    assert sum(listed.values()) <= most
    each = most // len(listed)
    assert listed["text"] == each < MORE_CLAIMS  # cut, and said to be (Datasette's ">" before the count)
    assert body["facet_results"]["text"]["truncated"] is True
    page = httpx.get(f"{base}/public/claims?{asked}&_facet_size=max", timeout=60)
    assert page.status_code == 200 and page.text.count('class="facet-truncated"') >= 1


def test_a_facet_cut_to_the_pages_share_says_so_instead_of_linking_to_the_same_cut_list(base):
    """A facet cut to the page's share still offered Datasette's `…` link to `_facet_size=max`, which lists the same
    values: it says it is cut, and why, and links the whole column's download instead. A facet Datasette cut at
    its own size keeps the link, which lists more."""
    asked = "_facet=text&_facet=claimant&_facet=id&_facet=first_reported_at"
    each = LIMITS["facet_values"] // (4 + len(SITE["databases"]["public"]["tables"]["claims"]["facets"]))
    page = httpx.get(f"{base}/public/claims?{asked}&_facet_size={each + 20}", timeout=60)
    assert page.status_code == 200
    cut = BeautifulSoup(page.text, "html.parser").select_one("#facet-text li.facet-truncated")
    assert not [a for a in cut.select("a") if "_facet_size" in a["href"]], cut
    said = " ".join(cut.get_text(" ").split())
    assert f"the first {each}:" in said and f"facets list {LIMITS['facet_values']} values" in said, said
    [download] = cut.select("a")
    assert download.get_text() == "Every text (CSV)"
    column = httpx.get(base + download["href"], timeout=60)
    assert column.status_code == 200
    assert len(column.text.strip().splitlines()) == MORE_CLAIMS + 4 + 1  # every claim's text and the header
    ordinary = httpx.get(f"{base}/public/claims?_facet=text", timeout=60)
    more = BeautifulSoup(ordinary.text, "html.parser").select_one("#facet-text li.facet-truncated a")
    assert more is not None and "_facet_size=max" in more["href"] and more.get_text() == "…"


def test_facet_lists_of_a_readers_ordinary_page_are_as_before(base):
    """A page's default facets, and a size asked for within the share, list what Datasette lists."""
    body = httpx.get(f"{base}/public/claims.json?_facet=text&_facet_size=40&_size=0", timeout=60).json()
    assert facet_values(body)["text"] == 40
    default = httpx.get(f"{base}/public/claims.json?_facet=text&_size=0", timeout=60).json()
    assert facet_values(default)["text"] == SITE["settings"].get("default_facet_size", 30)


def test_every_row_of_a_table_is_still_downloaded_through_next_links_and_the_stream(base):
    """JSON of a table goes on through its `next` links to the last row, and the streamed CSV holds every row."""
    seen, path = 0, "/public/claims.json?_size=max&_shape=objects"
    while path:
        body = httpx.get(base + path, timeout=60).json()
        seen += len(body["rows"])
        path = body["next_url"]
        path = path and path[path.index("/public/") :]
    csv = httpx.get(f"{base}/public/claims.csv?_stream=on", timeout=60).text.strip().splitlines()
    assert seen == len(csv) - 1 == MORE_CLAIMS + 4


SEARCHES = [
    "/public/timeline?q={}",
    "/public/search?q={}",
    "/public/claims?_search={}",
    "/public/claims.json?_search={}",
    "/public/evidence?_search_quote={}",
]


@pytest.mark.parametrize("address", SEARCHES)
@pytest.mark.parametrize("words", ["kettle", "чайник"])
def test_a_search_too_long_is_told_so_in_a_line_not_echoed_past_a_proxy(base, address, words):
    """A search of many KB went into the page's `Link:` header (and the search's redirect): past the 4-8 KB of
    headers a proxy holds, the page failed behind nginx. A search past `search_chars` is a 400 of one line."""
    most = LIMITS["search_chars"]
    typed = " ".join(f"{words}{n}" for n in range(800))  # distinct words: none is left out as typed twice
    response = httpx.get(base + address.format(quote(typed)), timeout=60, headers={"accept": "text/html"})
    assert response.status_code == 400
    said = response.text
    assert f"at most {most:,} characters" in said
    assert header_bytes(response) < PROXY_HEADER_BYTES
    # The longest search taken is answered, its headers within what the proxy holds.
    longest = " ".join(f"{words}{n}" for n in range(most))[:most].rstrip()
    answered = httpx.get(base + address.format(quote(longest)), timeout=60)
    assert answered.status_code in (200, 302), (address, answered.text[:300])
    assert header_bytes(answered) < PROXY_HEADER_BYTES


# Scripts an address spells with more bytes a character: Cyrillic 6 (two UTF-8 bytes, each percent-escaped), Chinese 9,
# an emoji 12 (four bytes).
WIDE_WORDS = ["чайник", "漢字", "🫖"]


@pytest.mark.parametrize("address", SEARCHES)
@pytest.mark.parametrize("words", WIDE_WORDS)
@pytest.mark.parametrize("length", [100, 250, 333, 400, 500])
def test_a_search_in_any_script_is_answered_within_the_headers_a_proxy_holds_or_told_so(base, address, words, length):
    """`search_chars` counted characters, but a page echoes its search percent-escaped: 500 Chinese characters were
    4,500 bytes of the search query's redirect (`Location`, 6,000 of emoji), past the 4 KB a proxy holds, and a table
    page's address past its bound, a 414 instead of the 400 saying the search is too long. Every search is either
    answered with headers a proxy holds, or refused with the one line saying how long a search may be."""
    typed = (words * length)[:length]
    response = httpx.get(base + address.format(quote(typed)), timeout=60)
    assert header_bytes(response) < PROXY_HEADER_BYTES, (address, response.status_code)
    if response.status_code == 400:
        said = response.json()
        assert said["error"].startswith("A search is at most") and "\n" not in said["error"]
    else:
        assert response.status_code in (200, 302), (address, response.status_code, response.text[:300])


@pytest.mark.parametrize("address", SEARCHES)
@pytest.mark.parametrize(("words", "taken"), [("чайник", 500), ("漢", 333), ("🫖", 250)])
def test_the_longest_search_of_each_script_is_answered_and_one_more_character_told_so(base, address, words, taken):
    """As many characters as the address bound holds in each script are answered (500 Cyrillic letters, 333 Chinese
    characters, 250 emoji); one more is the 400 of one line, as a browser's page too."""
    longest = (words * taken)[:taken]
    answered = httpx.get(base + address.format(quote(longest)), timeout=60)
    assert answered.status_code in (200, 302), (address, answered.status_code, answered.text[:300])
    assert header_bytes(answered) < PROXY_HEADER_BYTES
    past = (words * (taken + 1))[: taken + 1]
    refused = httpx.get(base + address.format(quote(past)), timeout=60)
    assert refused.status_code == 400 and refused.json()["error"].startswith("A search is at most")
    page = httpx.get(base + address.format(quote(past)), timeout=60, headers={"accept": "text/html"})
    assert page.status_code == 400 and header_bytes(page) < PROXY_HEADER_BYTES


def test_a_search_redirect_too_long_to_pass_on_is_told_so(base):
    """The search query's redirect keeps `story` too, which no search bound holds: a story of 4 KB made a `Location`
    past what a proxy holds. Such a redirect is a 400 of one line."""
    response = httpx.get(f"{base}/public/search?q=kettle&story={'x' * 4000}", timeout=60)
    assert response.status_code == 400 and header_bytes(response) < PROXY_HEADER_BYTES
    assert "too long" in response.json()["error"]
    assert httpx.get(f"{base}/public/search?q=kettle&story=acme-kettles", timeout=60).status_code == 302


def test_a_long_q_a_page_does_not_read_is_left_out_not_refused(base):
    """`unclear` reads no `q`: the parameter is left out of its page as any it does not read, not called a search."""
    response = httpx.get(f"{base}/public/unclear?q={'kettle%20' * 200}", timeout=60)
    assert response.status_code == 200
    assert header_bytes(response) < PROXY_HEADER_BYTES and "kettle" not in response.headers.get("link", "")


def test_no_link_header_is_longer_than_a_proxy_holds(base):
    """The SQL page and a table page of a long address echoed their whole query string in `Link:` (100 KB of SQL
    came back in one header line). Past MAX_LINK_HEADER the header is left out: the page links its JSON itself."""
    sql = "select length('" + "x" * 10_000 + "') as total"
    for path in (f"/public?sql={quote(sql)}", f"/public/claims?text__contains={'x' * 3_900}"):
        response = httpx.get(base + path, timeout=60)
        assert response.status_code == 200, response.text[:300]
        assert header_bytes(response) < PROXY_HEADER_BYTES
        assert ".json" in response.text
    short = httpx.get(f"{base}/public/claims?status=confirmed", timeout=60)
    assert 'rel="alternate"' in short.headers["link"]


def feed(sql: str) -> str:
    return f"/public.atom?sql={quote(sql)}"


def entry(link: str, column: str = "atom_link") -> str:
    link_sql = "'" + link.replace("'", "''") + "'"
    author = "'someone' as atom_author_name, " if column == "atom_author_uri" else ""
    return (
        "select 1 as atom_id, 'x' as atom_title, '2025-11-20T09:00:00Z' as atom_updated, 'about' as atom_content, "
        f"{author}{link_sql} as {column}"
    )


@pytest.mark.parametrize("column", ["atom_link", "atom_author_uri"])
@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.domain)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "http:alert(1)",
        "file:///etc/passwd",
    ],
)
def test_a_visitors_own_feed_carries_no_link_but_http_and_the_sites_own_paths(base, link, column):
    """`/public.atom?sql=` put any value of atom_link (and atom_author_uri) in the feed: a `javascript:` or `data:`
    link a feed reader shows as the entry's link. Such a feed is a 400 saying which links a feed takes."""
    response = httpx.get(base + feed(entry(link, column)), timeout=60)
    assert response.status_code == 400, response.text[:300]
    assert "http(s)" in response.text and "javascript" not in response.text.lower()


@pytest.mark.parametrize("link", ["https://example.org/a?b=1", "http://example.org/", "/public/claims/1"])
def test_a_feeds_http_links_and_the_sites_own_paths_are_kept(base, link):
    response = httpx.get(base + feed(entry(link)), timeout=60)
    assert response.status_code == 200, response.text[:300]
    links = [e.get("href") for e in ElementTree.fromstring(response.content).iter(f"{ATOM}link")]
    assert link in links
    assert httpx.get(f"{base}/public/changes.atom", timeout=60).status_code == 200
