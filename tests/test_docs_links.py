"""The manual's links lead somewhere: a renamed heading or a moved page breaks them silently on GitHub."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _prose(text: str) -> str:
    """The text outside fenced blocks and code spans, where `[words](address)` is an example, not a link."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"`[^`\n]*`", "", text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: its words lower-cased, punctuation dropped, spaces as hyphens."""
    words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading anchors on its words
    words = re.sub(r"[^\w\- ]", "", words.strip().lower())
    return words.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading's anchor on the page; a repeated heading gets -1, -2, … as GitHub numbers them."""
    seen: dict[str, int] = {}
    found = set()
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
    for heading in re.findall(r"^#{1,6} +(.+?) *#* *$", text, flags=re.MULTILINE):
        slug = _slug(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(page: Path) -> list[str]:
    """The page's relative links (a path, a path and an #anchor, or an #anchor on the page itself)."""
    targets = re.findall(r"\]\(([^)\s]+)\)", _prose(page.read_text(encoding="utf-8")))
    return [target for target in targets if not re.match(r"[a-z][a-z0-9+.-]*:", target)]


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_relative_link_and_anchor_of_the_manual_resolves(page: Path):
    broken = []
    for target in links(page):
        path, _, anchor = target.partition("#")
        goal = (page.parent / path).resolve() if path else page
        if not goal.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and goal.suffix == ".md" and anchor not in anchors(goal):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.relative_to(ROOT)} links to {broken}"


def test_the_anchors_are_the_ones_github_makes(tmp_path: Path):
    """The check is only as good as its slugs: punctuation, code, links and repeated headings, as GitHub reads them."""
    page = tmp_path / "page.md"
    page.write_text(
        "# Performance\n## Public site\n### History\n## Claim extraction on real news (PolNeAR)\n"
        "### History\n## `bench/public.py` ÷ floor, [docs](x.md)\n```\n# not a heading\n```\n",
        encoding="utf-8",
    )
    assert anchors(page) == {
        "performance",
        "public-site",
        "history",
        "claim-extraction-on-real-news-polnear",
        "history-1",
        "benchpublicpy--floor-docs",
    }
