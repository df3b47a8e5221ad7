"""False alarms of the "not the page" check: how many real articles it would refuse as a bot check, a wall or a 404.

Every page of the extraction corpus (../shared/corpora/extraction-dev, read in
place, never copied into the project) is a real article, news or blog page.
Each is judged by scrapers.notpage.not_the_page as if it had just been fetched
with HTTP 200 from its URL and its stated charset, the way the scrape pass and
`ingest URL` judge a fetch. Every page flagged is a false alarm: a real article
the tracker would not store. `signals` counts the pages that carry a title
or markup signal at all, before the guards (a short text, no publication
date) that keep an ambiguous title from counting on an article.
Figures are given per fixed half of the corpus
(bench/extraction.py's split by a hash of the URL: even first byte of its
SHA-256 is half A, odd is half B), with the shortest visible text of a real
article (how far the short-page thresholds are from it) and the time per page.

    .venv/bin/python bench/notpage.py            # all 490 pages, a few seconds
    .venv/bin/python bench/notpage.py --quick    # 60 pages spread over the corpus

The last line printed is one JSON object: pages, flagged, then per half (suffix _half_A, _half_B) its
pages, flagged, flagged per kind, signals and shortest_text, and ms_per_page (the check alone, decoding
included).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.extraction import DEFAULT_CORPUS, load_corpus  # noqa: E402
from scrapers.http import Response  # noqa: E402
from scrapers.notpage import (  # noqa: E402
    CHALLENGE_MARKS,
    CHALLENGE_TITLES,
    CONSENT_TITLES,
    DOTS,
    KINDS,
    _read,
    _says_not_found,
    not_the_page,
)


def signals(page) -> list[str]:
    """The title and markup signals a page carries, before the guards (short text, no publication date) apply."""
    found = []
    if DOTS.sub("", page.title.casefold()).strip() in CHALLENGE_TITLES:
        found.append("challenge title")
    found += [f"mark {mark!r}" for mark in CHALLENGE_MARKS if mark in page.lower]
    if CONSENT_TITLES.search(page.title):
        found.append("consent title")
    if _says_not_found(page.title):
        found.append("not-found title")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run (60 pages)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (args.corpus / "expected.json").exists():
        print(f"no corpus at {args.corpus}: see its README in ../shared/corpora/extraction-dev", file=sys.stderr)
        return 2
    pages = load_corpus(args.corpus, args.quick)
    halves = {
        half: {"pages": 0, "flagged": 0, **dict.fromkeys(KINDS, 0), "signals": 0, "shortest_text": None}
        for half in "AB"
    }
    flagged, signalled, seconds = [], [], 0.0
    for page in pages:
        url = page.web_url or f"https://corpus.invalid/{page.name}"
        response = Response(
            url=url, status=200, headers={"content-type": "text/html"}, body=page.html,
            content_type="text/html", charset=None, elapsed_ms=0,
        )  # fmt: skip
        started = time.perf_counter()
        found = not_the_page(response)
        seconds += time.perf_counter() - started
        half = halves[page.half]
        half["pages"] += 1
        read = _read(response)
        if read is not None and (half["shortest_text"] is None or read.text_size < half["shortest_text"]):
            half["shortest_text"] = read.text_size
        if read is not None and (seen := signals(read)):
            half["signals"] += 1
            signalled.append((page.half, page.name, read.title, seen))
        if found is not None:
            half["flagged"] += 1
            half[found.kind] += 1
            flagged.append((page.half, page.name, found.reason))
    for half, figures in halves.items():
        print(
            f"half {half}: {figures['flagged']} of {figures['pages']} real pages flagged "
            f"({', '.join(f'{k} {figures[k]}' for k in KINDS)}); {figures['signals']} carry a title or markup signal "
            f"before the guards; shortest visible text {figures['shortest_text']} chars"
        )
    for half, name, title, seen in signalled:
        print(f"  signal ({half}) {name} {title!r}: {', '.join(seen)}")
    for half, name, reason in flagged:
        print(f"  flagged ({half}) {name}: {reason}")
    summary = {
        "pages": len(pages),
        "flagged": len(flagged),
        **{f"{key}_half_{half}": value for half, figures in halves.items() for key, value in figures.items()},
        "ms_per_page": round(1000 * seconds / max(1, len(pages)), 3),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
