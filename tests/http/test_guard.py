"""The address guard: only http(s), and no private address on any hop or at connect time (scrapers/http/guard.py)."""

from __future__ import annotations

import pytest
from urllib3.util import parse_url

from scrapers.http import AddressRefused, Fetcher, address_problem
from tests.http.local_server import UA


def test_loopback_refused_by_default_with_a_way_to_allow_it(server):
    url = server.reply("/page")
    with Fetcher(UA, min_interval=0) as fetcher:
        response = fetcher.get(url)
    assert not response.ok
    assert response.status is None
    assert "loopback" in response.error
    assert "allowed hosts in the configuration" in response.error
    assert server.requests == []  # not even robots.txt was asked for


def test_allow_private_lets_loopback_through(server):
    url = server.reply("/page")
    with Fetcher(UA, allow_private=True, min_interval=0) as fetcher:
        assert fetcher.get(url).ok


@pytest.mark.parametrize(
    "target",
    ["http://localhost:{port}/secret", "http://169.254.169.254/latest/meta-data/", "http://[::1]:{port}/secret"],
)
def test_redirect_to_a_private_address_is_refused(server, make_fetcher, target):
    port = server.httpd.server_address[1]
    server.reply("/secret", "internal")
    url = server.reply("/go", "", status=302, Location=target.format(port=port))
    response = make_fetcher().get(url)  # only 127.0.0.1 is allowed
    assert not response.ok
    assert response.error.startswith("Refused to fetch")
    assert "redirected from" in response.error
    assert server.count("/secret") == 0


def test_address_guard_also_holds_at_connect_time(server):
    """A DNS answer that changes after the check still cannot reach a private address."""
    url = server.reply("/page")
    with Fetcher(UA, min_interval=0) as fetcher, pytest.raises(AddressRefused):
        fetcher._connections.open(parse_url(url), "/page", {})  # the transport itself, without the URL check
    assert server.requests == []


@pytest.mark.parametrize(
    "address, problem",
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 wrapping 10.0.0.1
        ("93.184.215.14", None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
        ("::ffff:93.184.215.14", None),
    ],
)
def test_address_problem(address, problem):
    import ipaddress

    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.mark.parametrize(
    "url, expected",
    [
        ("file:///etc/passwd", "not an http or https address"),
        ("ftp://ftp.example.com/file.txt", "not an http or https address"),
        ("javascript:alert(1)", "not an http or https address"),
        ("not a url", "not an http or https address"),
        ("http://", "has no host name"),
        ("http://exa mple.com/", "not a valid web address"),
        ("http://nothing.invalid/page", "could not be resolved"),
    ],
)
def test_unusable_urls_get_a_clear_error(make_fetcher, url, expected):
    response = make_fetcher().get(url)
    assert not response.ok
    assert response.status is None
    assert expected in response.error


def test_redirect_to_another_scheme_is_refused(server, make_fetcher):
    url = server.reply("/go", "", status=302, Location="file:///etc/passwd")
    response = make_fetcher().get(url)
    assert "not an http or https address" in response.error


def test_a_mapped_host_reaches_its_pinned_server_by_name(server):
    """host_map sends a named host to one address and port; the URL, Host header and robots.txt keep the name."""
    port = server.httpd.server_address[1]
    server.reply("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.reply("/story")
    server.reply("/private/page")
    with Fetcher(UA, min_interval=0, host_map={"courier.example": ("127.0.0.1", port)}) as fetcher:
        response = fetcher.get("http://courier.example/story")
        blocked = fetcher.get("http://courier.example/private/page")
    assert response.ok and response.url == "http://courier.example/story"
    assert [seen.path for seen in server.requests] == ["/robots.txt", "/story"]
    assert {seen.headers["host"] for seen in server.requests} == {"courier.example"}
    assert blocked.skipped == "disallowed by robots.txt"


def test_a_host_map_opens_nothing_but_its_own_names(server):
    """Mapping one name to loopback leaves loopback refused for every other name and address."""
    port = server.httpd.server_address[1]
    server.reply("/page")
    with Fetcher(UA, min_interval=0, host_map={"courier.example": ("127.0.0.1", port)}) as fetcher:
        direct = fetcher.get(server.url("/page"))
        by_name = fetcher.get(f"http://localhost:{port}/page")
    assert "loopback" in direct.error and "loopback" in by_name.error
    assert server.requests == []


def test_a_redirect_from_a_mapped_host_to_loopback_is_refused(server):
    port = server.httpd.server_address[1]
    server.reply("/robots.txt", "", status=404)
    server.reply("/secret", "internal")
    server.reply("/go", "", status=302, Location=server.url("/secret"))
    with Fetcher(UA, min_interval=0, host_map={"courier.example": ("127.0.0.1", port)}) as fetcher:
        response = fetcher.get("http://courier.example/go")
    assert response.error.startswith("Refused to fetch") and "redirected from" in response.error
    assert server.count("/secret") == 0


def test_a_refusal_names_the_rule_not_the_address_a_name_resolves_to(server):
    port = server.httpd.server_address[1]
    with Fetcher(UA, min_interval=0) as fetcher:
        response = fetcher.get(f"http://localhost:{port}/page")
    assert not response.ok
    assert "localhost is a loopback address, and loopback addresses are refused" in response.error
    assert "127.0.0.1" not in response.error and "::1" not in response.error


def test_a_refusal_of_the_unspecified_address_reads_as_english(server):
    port = server.httpd.server_address[1]
    with Fetcher(UA, min_interval=0) as fetcher:
        response = fetcher.get(f"http://0.0.0.0:{port}/page")
    assert "0.0.0.0 is an unspecified address, and unspecified addresses are refused" in response.error


@pytest.mark.parametrize(
    "location, expected",
    [("ftp://x.example/" + "a" * 60_000, "not an http or https address"), ("http://[" + "a" * 60_000, "not a valid")],
)
def test_a_huge_redirect_target_is_named_in_a_line_of_readable_length(server, make_fetcher, location, expected):
    """The error is one line in the fetch log and in `watch`'s output: 60 KB of the site's Location is not."""
    url = server.reply("/go", "", status=302, Location=location)
    error = make_fetcher().get(url).error
    assert expected in error and f"(redirected from {url})" in error
    assert len(error) < 1000


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x", "http://[fd00:ec2::254]/latest/meta-data/"],
)
def test_a_cloud_metadata_or_link_local_address_is_refused_even_with_private_addresses_allowed(server, target):
    """TRACKER_ALLOW_PRIVATE (a newsroom's own network, the live demo on 127.0.0.1) let a page's redirect reach
    169.254.169.254, where cloud machines keep their credentials; and the refusal without it advised allowing it."""
    server.reply("/secret", "internal")
    url = server.reply("/go", "", status=302, Location=target)
    with Fetcher(UA, allow_private=True, min_interval=0) as fetcher:
        response = fetcher.get(url)
        assert fetcher.get(server.reply("/page")).ok  # private addresses are still allowed
    assert not response.ok and response.error.startswith("Refused to fetch")
    assert "never fetched" in response.error
    assert "TRACKER_ALLOW_PRIVATE" not in response.error and "allowed hosts" not in response.error
    with Fetcher(UA, min_interval=0) as fetcher:
        refused = fetcher.get(url.replace("127.0.0.1", "169.254.169.254"))
    assert "never fetched" in refused.error and "TRACKER_ALLOW_PRIVATE" not in refused.error
