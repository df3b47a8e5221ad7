"""Titles: the headline without the outlet's name and what a site's template writes around it."""

import pytest

from scrapers.article import parse_article

BODY = "<p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>"


def title_of(title: str, site: str | None = "Westbury Post") -> str | None:
    """The headline read from a page whose only title is its <title>."""
    site_meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    html = f"<html><head><title>{title}</title>{site_meta}</head><body>{BODY}</body></html>"
    return parse_article(html, url="https://westburypost.example/news/2026/budget").title


@pytest.mark.parametrize(
    "title,expected",
    [
        # A headline quoted in guillemets keeps its closing one: a quotation's mark, not a separator.
        ("«Council agrees budget» - Westbury Post", "«Council agrees budget»"),
        ("Mayor: «We agreed the budget» | Westbury Post", "Mayor: «We agreed the budget»"),
        ("«Вестбери» принял бюджет — Westbury Post", "«Вестбери» принял бюджет"),
        # Guillemets between parts, spaced or between two words, still separate them.
        ("Council agrees budget » Westbury Post", "Council agrees budget"),
        ("Council agrees budget»Westbury Post", "Council agrees budget"),
    ],
)
def test_a_headline_in_guillemets_keeps_them(title, expected):
    assert title_of(title) == expected


@pytest.mark.parametrize(
    "title,site,expected",
    [
        # The outlet's name between the headline and its tagline or place: both after it are the outlet's.
        ("Council agrees budget – Westbury Post – Local news from Westbury", "Westbury Post", "Council agrees budget"),
        ("Council agrees budget - Westbury Post - Westbury, UK", "Westbury Post", "Council agrees budget"),
        ("Council agrees budget - Westbury Post | Local news and sport", None, "Council agrees budget"),
        # A section's name alone before it is no headline: the parts stay as they are.
        (
            "Review - Westbury Post - Council agrees budget",
            "Westbury Post",
            "Review - Westbury Post - Council agrees budget",
        ),
    ],
)
def test_the_outlets_tagline_after_its_name_goes_with_it(title, site, expected):
    assert title_of(title, site) == expected
