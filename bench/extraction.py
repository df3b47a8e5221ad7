"""Extraction accuracy: our article parser beside trafilatura's defaults and htmldate's find_date, same pages, same run.

The corpus (../shared/corpora/extraction-dev, read in place, never copied into the
project) gives, per page, text segments that must and must not appear in the body
and gold title, author and date. The measure is the corpus README's: whitespace-
normalised substring matching for the body; exact match after NFKC, dash and quote
normalisation, whitespace collapse and casefold for metadata; dates as YYYY-MM-DD.

The corpus is split into two fixed halves by a hash of each page's URL: rules are
written on half A ("tuned"), half B ("untuned") is only measured. Figures are
printed for all pages and for each half; every extractor is given the page's URL.

    .venv/bin/python bench/extraction.py            # all pages
    .venv/bin/python bench/extraction.py --quick    # 60 pages spread over the corpus
    .venv/bin/python bench/extraction.py --misses /tmp/misses.json   # what went wrong, per page

The last line printed is one JSON object: our figures over all pages, then per half
(suffixes _tuned_half, _untuned_half), trafilatura's and htmldate's under the
prefixes trafilatura_ and htmldate_; htmldate_date_exact is htmldate on the untuned half.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
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
    url: str
    half: str

    @property
    def web_url(self) -> str | None:
        """The page's address when it has a real one (a few are named "hard::FILE"), as a crawler would know it."""
        return self.url if self.url.startswith(("http://", "https://")) else None


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

    def add(self, page: Page, out: Output, seconds: float, error: bool) -> None:
        self.seconds += seconds
        self.pages += 1
        self.errors += error
        body = normalise_space(out.text or "")
        miss: dict = {}
        for segment in page.expected.get("with") or []:
            if normalise_space(segment) in body:
                self.tp += 1
            else:
                self.fn += 1
                miss.setdefault("missing", []).append(segment)
        for segment in page.expected.get("without") or []:
            if normalise_space(segment) in body:
                self.fp += 1
                miss.setdefault("unwanted", []).append(segment)
            else:
                self.tn += 1
        for key in METADATA:
            gold = page.expected.get(key)
            if not gold:
                continue
            self.meta_total[key] += 1
            got = getattr(out, key)
            if any(same(key, got, g) for g in golds(gold)):
                self.meta_hits[key] += 1
            else:
                miss[key] = {"gold": gold, "got": got}
        if miss:
            self.misses.append({"page": page.name, "half": page.half, **miss})

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


def half_of(url: str) -> str:
    """The fixed half a page belongs to, by a hash of its URL: rules are written on A, B is only measured."""
    return "A" if hashlib.sha256(url.encode("utf-8")).digest()[0] % 2 == 0 else "B"


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
            url = expected[name].get("url") or name
            pages.append(Page(name, gzip.decompress(file.read_bytes()), expected[name], url, half_of(url)))
    return pages


def score(pages: list[Page], extract: Callable[[Page], Output]) -> dict[str, Score]:
    """Run one extractor over the pages once; its score over all of them ("all") and per half."""
    scores: dict[str, Score] = {}
    for page in pages:
        start = time.perf_counter()
        error = False
        try:
            out = extract(page)
        except Exception as e:  # a crash on one page is counted and reported, not fatal to the run
            out, error = Output("", None, None, None), True
            print(f"{page.name}: {type(e).__name__}: {e}", file=sys.stderr)
        seconds = time.perf_counter() - start
        for group in ("all", page.half):
            scores.setdefault(group, Score()).add(page, out, seconds, error)
    return scores


def ours(page: Page) -> Output:
    from scrapers.article import parse_article

    article = parse_article(page.html, url=page.web_url)
    return Output(article.text, article.title, article.byline, article.published)


def trafilatura_defaults(page: Page) -> Output:
    import trafilatura
    from trafilatura.utils import load_html

    text = trafilatura.extract(page.html, url=page.web_url) or ""
    tree = load_html(page.html)
    meta = trafilatura.extract_metadata(tree, default_url=page.web_url) if tree is not None else None
    if meta is None:
        return Output(text, None, None, None)
    return Output(text, meta.title, meta.author, meta.date)


def htmldate_defaults(page: Page) -> Output:
    """htmldate's find_date with its defaults: the date-only baseline."""
    from htmldate import find_date

    return Output("", None, None, find_date(page.html, url=page.web_url))


HALVES = {"A": "tuned", "B": "untuned"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"a small run ({QUICK_PAGES} pages)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: %(default)s)")
    parser.add_argument("--misses", type=Path, help="write our per-page misses to this JSON file")
    parser.add_argument("--half", choices=sorted(HALVES), help="measure one half only (faster iteration)")
    parser.add_argument("--only-ours", action="store_true", help="skip trafilatura and htmldate (faster iteration)")
    args = parser.parse_args(argv)

    corpus = args.corpus.resolve()
    if not (corpus / "expected.json").exists():
        print(f"No corpus at {corpus} (expected.json missing); pass --corpus PATH.", file=sys.stderr)
        return 2
    pages = load_corpus(corpus, args.quick)
    if args.half:
        pages = [p for p in pages if p.half == args.half]
    if not pages:
        print(f"No pages under {corpus / 'pages'}.", file=sys.stderr)
        return 2
    import htmldate
    import trafilatura

    extractors: dict[str, Callable[[Page], Output]] = {"ours": ours}
    if not args.only_ours:
        extractors |= {"trafilatura": trafilatura_defaults, "htmldate": htmldate_defaults}
    # Warm up on one page so one-off costs (imports, regex and locale caches) stay out of the timings.
    for extract in extractors.values():
        extract(pages[0])
    figures: dict[str, dict[str, dict]] = {}  # "all", "A" or "B" -> extractor -> figures
    misses: list[dict] = []
    for name, extract in extractors.items():
        for group, result in score(pages, extract).items():
            figures.setdefault(group, {})[name] = {"pages": result.pages, **result.figures()}
            if name == "ours" and group == "all":
                misses = result.misses
    figures = {group: figures[group] for group in ("all", *HALVES) if group in figures}
    if args.misses:
        args.misses.write_text(json.dumps(misses, ensure_ascii=False, indent=1), encoding="utf-8")

    print(f"{len(pages)} pages from {corpus}")
    labels = {"ours": "ours", "trafilatura": f"trafilatura {trafilatura.__version__}"}
    labels["htmldate"] = f"htmldate {htmldate.__version__}"
    for half, by_extractor in figures.items():
        heading = (
            "all pages"
            if half == "all"
            else f"half {half} ({HALVES[half]}: rules are {'written' if half == 'A' else 'never written'} on it)"
        )
        print(f"\n{heading}, {by_extractor['ours']['pages']} pages")
        print(f"{'figure':<16}" + "".join(f"{labels[n]:>22}" for n in by_extractor))
        for key in by_extractor["ours"]:
            row = [
                by_extractor[n].get(key, "") if n != "htmldate" or key in ("date_exact", "pages") else ""
                for n in by_extractor
            ]
            print(f"{key:<16}" + "".join(f"{v!s:>22}" for v in row))
    print(json.dumps(summary(figures)))
    return 0


def summary(figures: dict[str, dict[str, dict]]) -> dict:
    """The JSON line: all pages under plain keys, each half under a suffix, the baselines under a prefix.

    The goals are read on the untuned half; htmldate_date_exact is htmldate on those same pages.
    """
    out: dict = {}
    for half, by_extractor in figures.items():
        for name, values in by_extractor.items():
            suffix = "" if half == "all" else f"_{HALVES[half]}_half"
            prefix = "" if name == "ours" else f"{name}_"
            if name == "htmldate" and half == "all":
                suffix = "_all_pages"  # its plain key is the untuned half's, as the goals read it
            keys = ("date_exact", "pages_per_s") if name == "htmldate" else values
            for key in keys:
                out[f"{prefix}{key}{suffix}"] = values[key]
    if "B" in figures and "htmldate" in figures["B"]:
        out["htmldate_date_exact"] = figures["B"]["htmldate"]["date_exact"]
    return out


if __name__ == "__main__":
    sys.exit(main())
