"""Extraction accuracy: our article parser beside trafilatura's defaults, same pages, same run.

The corpus (../shared/corpora/extraction-dev, read in place, never copied into the
project) gives, per page, text segments that must and must not appear in the body
and gold title, author and date. The measure is the corpus README's: whitespace-
normalised substring matching for the body; exact match after NFKC, dash and quote
normalisation, whitespace collapse and casefold for metadata; dates as YYYY-MM-DD.

    .venv/bin/python bench/extraction.py            # all pages
    .venv/bin/python bench/extraction.py --quick    # 60 pages spread over the corpus
    .venv/bin/python bench/extraction.py --misses /tmp/misses.json   # what went wrong, per page

The last line printed is one JSON object: our figures, then trafilatura's under
keys prefixed ``trafilatura_``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_CORPUS = REPO / ".." / "shared" / "corpora" / "extraction-dev"
QUICK_PAGES = 60
METADATA = ("title", "author", "date")

DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4`"), "'") | dict.fromkeys(
    map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"'
)


@dataclass
class Page:
    name: str
    html: bytes
    expected: dict


@dataclass
class Output:
    text: str
    title: str | None
    author: str | None
    date: str | None


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    meta_hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METADATA, 0))
    meta_total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METADATA, 0))
    seconds: float = 0.0
    pages: int = 0
    errors: int = 0
    misses: list[dict] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0
        result = {"body_f1": f1, "body_precision": precision, "body_recall": recall}
        for key in METADATA:
            total = self.meta_total[key]
            result[f"{key}_exact"] = self.meta_hits[key] / total if total else 0.0
        result["pages_per_s"] = self.pages / self.seconds if self.seconds else 0.0
        result["errors"] = self.errors
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def normalise_meta(value: str | None) -> str:
    """How metadata is compared: NFKC, one kind of dash and quote, collapsed space, casefold."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).translate(DASHES).translate(QUOTES)
    return normalise_space(value).casefold()


def normalise_date(value: str | None) -> str:
    if not value:
        return ""
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
    return match.group(1) if match else value.strip()


def golds(gold: str | list[str]) -> list[str]:
    """A gold value, or for the one page annotated with a list: any of its items, or all of them joined."""
    if isinstance(gold, str):
        return [gold]
    return [*gold, "; ".join(gold), ", ".join(gold)]


def same(key: str, got: str | None, gold: str) -> bool:
    if key == "date":
        return normalise_date(got) == normalise_date(gold)
    return normalise_meta(got) == normalise_meta(gold)


def load_corpus(path: Path, quick: bool) -> list[Page]:
    expected = json.loads((path / "expected.json").read_text(encoding="utf-8"))
    names = sorted(expected)
    if quick:
        step = max(1, len(names) // QUICK_PAGES)
        names = names[::step][:QUICK_PAGES]
    pages = []
    for name in names:
        file = path / "pages" / f"{name}.gz"
        if file.exists():
            pages.append(Page(name, gzip.decompress(file.read_bytes()), expected[name]))
    return pages


def score(pages: list[Page], extract: Callable[[bytes], Output]) -> Score:
    result = Score()
    for page in pages:
        start = time.perf_counter()
        try:
            out = extract(page.html)
        except Exception as e:  # a crash on one page is counted and reported, not fatal to the run
            out = Output("", None, None, None)
            result.errors += 1
            print(f"{page.name}: {type(e).__name__}: {e}", file=sys.stderr)
        result.seconds += time.perf_counter() - start
        result.pages += 1
        body = normalise_space(out.text or "")
        miss: dict = {}
        for segment in page.expected.get("with") or []:
            if normalise_space(segment) in body:
                result.tp += 1
            else:
                result.fn += 1
                miss.setdefault("missing", []).append(segment)
        for segment in page.expected.get("without") or []:
            if normalise_space(segment) in body:
                result.fp += 1
                miss.setdefault("unwanted", []).append(segment)
            else:
                result.tn += 1
        for key in METADATA:
            gold = page.expected.get(key)
            if not gold:
                continue
            result.meta_total[key] += 1
            got = getattr(out, key)
            hit = any(same(key, got, g) for g in golds(gold))
            if hit:
                result.meta_hits[key] += 1
            else:
                miss[key] = {"gold": gold, "got": got}
        if miss:
            result.misses.append({"page": page.name, **miss})
    return result


def ours(html: bytes) -> Output:
    from scrapers.article import parse_article

    article = parse_article(html)
    return Output(article.text, article.title, article.byline, article.published)


def trafilatura_defaults(html: bytes) -> Output:
    import trafilatura
    from trafilatura.utils import load_html

    text = trafilatura.extract(html) or ""
    tree = load_html(html)
    meta = trafilatura.extract_metadata(tree) if tree is not None else None
    if meta is None:
        return Output(text, None, None, None)
    return Output(text, meta.title, meta.author, meta.date)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"a small run ({QUICK_PAGES} pages)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: %(default)s)")
    parser.add_argument("--misses", type=Path, help="write our per-page misses to this JSON file")
    parser.add_argument("--only-ours", action="store_true", help="skip trafilatura (faster iteration)")
    args = parser.parse_args(argv)

    corpus = args.corpus.resolve()
    if not (corpus / "expected.json").exists():
        print(f"No corpus at {corpus} (expected.json missing); pass --corpus PATH.", file=sys.stderr)
        return 2
    pages = load_corpus(corpus, args.quick)
    if not pages:
        print(f"No pages under {corpus / 'pages'}.", file=sys.stderr)
        return 2
    import trafilatura

    # Warm up on one page so one-off costs (imports, regex and locale caches) stay out of the timings.
    for extract in (ours,) if args.only_ours else (ours, trafilatura_defaults):
        extract(pages[0].html)
    ours_score = score(pages, ours)
    theirs = None if args.only_ours else score(pages, trafilatura_defaults)
    if args.misses:
        args.misses.write_text(json.dumps(ours_score.misses, ensure_ascii=False, indent=1), encoding="utf-8")

    mine = ours_score.figures()
    other = theirs.figures() if theirs else {}
    print(f"{len(pages)} pages from {corpus}")
    print(f"{'figure':<16}{'ours':>10}{f'trafilatura {trafilatura.__version__}':>22}")
    for key, value in mine.items():
        print(f"{key:<16}{value:>10}{other.get(key, ''):>22}")
    summary = {**mine, "pages": len(pages)}
    summary.update({f"trafilatura_{k}": v for k, v in other.items()})
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
