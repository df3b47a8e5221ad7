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
Each of our accuracy figures also comes with a 95% interval (key suffix _ci95): the
pages drawn again with replacement, so a goal inside the untuned half's interval is
within what another sample of pages of the same size could give; and our lead over
each baseline on the same draws (_minus_trafilatura_ci95, _minus_htmldate_ci95): a
lead whose interval stays above 0 is more than the luck of the sample.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
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
BOOTSTRAP_ROUNDS = 1000
BOOTSTRAP_SEED = 19
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
    per_page: list[Score] = field(default_factory=list)  # each page's own counts, for the resampled intervals

    def add(self, page: Page, out: Output, seconds: float, error: bool) -> None:
        one = Score(seconds=seconds, pages=1, errors=int(error))
        body = normalise_space(out.text or "")
        miss: dict = {}
        for segment in page.expected.get("with") or []:
            if normalise_space(segment) in body:
                one.tp += 1
            else:
                one.fn += 1
                miss.setdefault("missing", []).append(segment)
        for segment in page.expected.get("without") or []:
            if normalise_space(segment) in body:
                one.fp += 1
                miss.setdefault("unwanted", []).append(segment)
            else:
                one.tn += 1
        for key in METADATA:
            gold = page.expected.get(key)
            if not gold:
                continue
            one.meta_total[key] += 1
            got = getattr(out, key)
            if any(same(key, got, g) for g in golds(gold)):
                one.meta_hits[key] += 1
            else:
                miss[key] = {"gold": gold, "got": got}
        self.merge(one)
        self.per_page.append(one)
        if miss:
            self.misses.append({"page": page.name, "half": page.half, **miss})

    def merge(self, other: Score) -> None:
        """Add another score's counts to this one (its misses and pages' details are not kept)."""
        self.tp, self.fp, self.fn, self.tn = (
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.tn + other.tn,
        )
        for key in METADATA:
            self.meta_hits[key] += other.meta_hits[key]
            self.meta_total[key] += other.meta_total[key]
        self.seconds += other.seconds
        self.pages += other.pages
        self.errors += other.errors

    def intervals(self, other: Score | None = None, rounds: int = BOOTSTRAP_ROUNDS) -> dict[str, tuple[float, float]]:
        """95% intervals of the accuracy figures, from the pages drawn again with replacement `rounds` times.

        The pages are a sample of the web; the interval says how far another
        sample of the same size could land (a goal inside it is within chance).
        With `other` (another extractor scored on the same pages, in the same
        order), the interval of our figure minus its, over the same draws: a
        difference whose interval excludes 0 is more than the luck of the sample.
        Seeded, so the same run prints the same interval.
        """
        rng = random.Random(BOOTSTRAP_SEED)
        keys = ("body_f1", *(f"{key}_exact" for key in METADATA))
        drawn: dict[str, list[float]] = {key: [] for key in keys}
        for _ in range(rounds):
            picks = rng.choices(range(len(self.per_page)), k=len(self.per_page))
            ours, theirs = Score(), Score()
            for i in picks:
                ours.merge(self.per_page[i])
                if other is not None:
                    theirs.merge(other.per_page[i])
            mine, base = ours.figures(), theirs.figures() if other is not None else {}
            for key in keys:
                drawn[key].append(mine[key] - base.get(key, 0.0))
        low, high = int(0.025 * rounds), min(rounds - 1, int(0.975 * rounds))
        return {key: (sorted(values)[low], sorted(values)[high]) for key, values in drawn.items()}

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
    scores: dict[str, dict[str, Score]] = {}  # extractor -> group -> its score
    for name, extract in extractors.items():
        scores[name] = score(pages, extract)
        for group, result in scores[name].items():
            figures.setdefault(group, {})[name] = {"pages": result.pages, **result.figures()}
            if name == "ours" and group == "all":
                misses = result.misses
    # group -> "ours" or "ours-minus-NAME" -> our figure (or our lead) -> 95% interval
    spread: dict[str, dict[str, dict[str, tuple[float, float]]]] = {}
    for group, result in scores["ours"].items():
        spread[group] = {"ours": result.intervals()}
        for name in extractors.keys() - {"ours"}:
            spread[group][f"ours-minus-{name}"] = result.intervals(scores[name][group])
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
        print(f"95% intervals, the pages drawn again ({BOOTSTRAP_ROUNDS} rounds):")
        for name, ranges in spread[half].items():
            wanted = ("date_exact",) if name.endswith("htmldate") else ranges
            sign = "" if name == "ours" else "+"  # a lead over a baseline is shown with its sign
            shown = ", ".join(f"{key} {ranges[key][0]:{sign}.3f} to {ranges[key][1]:{sign}.3f}" for key in wanted)
            print(f"  {name}: {shown}")
    print(json.dumps(summary(figures, spread)))
    return 0


def summary(figures: dict[str, dict[str, dict]], spread: dict[str, dict[str, dict[str, tuple[float, float]]]]) -> dict:
    """The JSON line: all pages under plain keys, each half under a suffix, the baselines under a prefix.

    The goals are read on the untuned half; htmldate_date_exact is htmldate on those same pages.
    Our accuracy figures also get a `_ci95` key: [low, high] over the pages drawn again.
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
                for kind, ranges in spread.get(half, {}).items() if name == "ours" else ():
                    if key in ranges and (kind != "ours-minus-htmldate" or key == "date_exact"):
                        lead = "" if kind == "ours" else "_" + kind.removeprefix("ours-").replace("-", "_")
                        out[f"{key}{suffix}{lead}_ci95"] = [round(v, 4) for v in ranges[key]]
    if "B" in figures and "htmldate" in figures["B"]:
        out["htmldate_date_exact"] = figures["B"]["htmldate"]["date_exact"]
    return out


if __name__ == "__main__":
    sys.exit(main())
