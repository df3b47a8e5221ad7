"""Claim-candidate extraction: precision and recall of claimant and kind on the labelled corpus, and speed.

The corpus (tests/fixtures/claims_corpus.jsonl) is one passage per line with the
candidates a reporter expects: {"text", "expected": [{"kind", "claimant",
"claimant_type"}], "tags"}. Passages with no expected candidate are negatives.

How predictions are scored, per passage:

* A predicted candidate *matches* an expected one when both name a claimant and
  the claimant strings are equal after normalisation (NFKC, curly quotes and
  dashes unified, whitespace collapsed, casefolded, surrounding punctuation
  dropped). Each expected candidate matches at most one prediction, in order.
  claimant_precision = matched / predicted with a claimant;
  claimant_recall = matched / expected with a claimant.
* Unattributed candidates (claimant None: hedged reports, bare quotations) are
  paired in order with the passage's unattributed expectations.
* kind_accuracy = candidates of the right kind / all paired candidates (claimant
  matches plus unattributed pairs): given that we found the right sentence and
  speaker, how often is it the right kind. kind_precision and kind_recall count
  paired-and-right-kind against all predicted and all expected candidates.
* type_accuracy = right claimant_type among claimant matches.
* negatives: candidates predicted on passages that expect none.

Speed: an article of about 1,000 words built by joining corpus passages (one per
line, as revisions are stored), extracted repeatedly; the median is reported.

    .venv/bin/python bench/claims.py              # corpus, held-out fifth, speed (200 repeats)
    .venv/bin/python bench/claims.py --quick      # 20 repeats
    .venv/bin/python bench/claims.py --misses     # also print every passage scored wrong
    .venv/bin/python bench/claims.py --corpus other.jsonl
    .venv/bin/python bench/claims.py --parts      # also PolNeAR dev with rules only and tagger only

On real news: the PolNeAR dev split (../shared/corpora/attribution-dev, read in
place, never copied) scored with that corpus's own score.py, loaded from there
at run time so the measure is exactly the shared one: end-to-end F1, precision,
recall, and recall of direct and of indirect attributions, over all 84 articles
and over two fixed halves (by a hash of the article id; choices were made
looking at half A only, half B is only measured).

The rules were written with the whole corpus in view, so the "held-out" figures
(every 5th passage) are a check on consistency, not a blind test.

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.attribution import KINDS, extract_candidates, normalize  # noqa: E402

DEFAULT_CORPUS = REPO / "tests" / "fixtures" / "claims_corpus.jsonl"
HOLDOUT_EVERY = 5  # passages 4, 9, 14, ...


def norm_claimant(value: str | None) -> str | None:
    if not value:
        return None
    return normalize(value).strip(" .,;:'\"") or None


@dataclass
class Score:
    passages: int = 0
    expected: int = 0
    predicted: int = 0
    expected_claimant: int = 0
    predicted_claimant: int = 0
    matched_claimant: int = 0
    paired: int = 0
    kind_right: int = 0
    type_right: int = 0
    negatives: int = 0
    negative_hits: int = 0
    per_kind: dict = field(default_factory=lambda: {k: [0, 0, 0] for k in KINDS})  # right, predicted, expected

    def add(self, expected: list[dict], predicted: list) -> bool:
        """Score one passage; True when every candidate was found with the right claimant and kind."""
        self.passages += 1
        self.expected += len(expected)
        self.predicted += len(predicted)
        if not expected:
            self.negatives += 1
            self.negative_hits += len(predicted)
        for e in expected:
            self.per_kind.setdefault(e["kind"], [0, 0, 0])[2] += 1
        for p in predicted:
            self.per_kind.setdefault(p.kind, [0, 0, 0])[1] += 1
        used: set[int] = set()
        pairs = []
        for p in predicted:
            name = norm_claimant(p.claimant)
            # same claimant, or both unattributed
            options = [i for i, e in enumerate(expected) if i not in used and norm_claimant(e["claimant"]) == name]
            if not options:
                continue
            same_kind = [i for i in options if expected[i]["kind"] == p.kind]
            i = (same_kind or options)[0]
            used.add(i)
            pairs.append((p, expected[i]))
        self.expected_claimant += sum(1 for e in expected if norm_claimant(e["claimant"]))
        self.predicted_claimant += sum(1 for p in predicted if norm_claimant(p.claimant))
        for p, e in pairs:
            self.paired += 1
            if p.kind == e["kind"]:
                self.kind_right += 1
                self.per_kind[p.kind][0] += 1
            if norm_claimant(p.claimant):
                self.matched_claimant += 1
                self.type_right += p.claimant_type == e["claimant_type"]
        perfect = len(pairs) == len(expected) == len(predicted) and all(p.kind == e["kind"] for p, e in pairs)
        return perfect

    def figures(self) -> dict:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "passages": self.passages,
            "expected": self.expected,
            "predicted": self.predicted,
            "claimant_precision": ratio(self.matched_claimant, self.predicted_claimant),
            "claimant_recall": ratio(self.matched_claimant, self.expected_claimant),
            "kind_accuracy": ratio(self.kind_right, self.paired),
            "kind_precision": ratio(self.kind_right, self.predicted),
            "kind_recall": ratio(self.kind_right, self.expected),
            "type_accuracy": ratio(self.type_right, self.matched_claimant),
            "negative_passages": self.negatives,
            "false_candidates_on_negatives": self.negative_hits,
        }


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(passages: list[dict], show_misses: bool) -> tuple[Score, Score, Score]:
    everything, development, held_out = Score(), Score(), Score()
    for i, passage in enumerate(passages):
        predicted = extract_candidates(passage["text"])
        for c in predicted:
            assert passage["text"][c.start : c.end] == c.text, (i, c)
        perfect = everything.add(passage["expected"], predicted)
        (held_out if i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1 else development).add(passage["expected"], predicted)
        if show_misses and not perfect:
            print(f"--- passage {i}: {passage['text']!r}")
            print("    expected:", [(e["kind"], e["claimant"], e["claimant_type"]) for e in passage["expected"]])
            print("    got:     ", [(c.kind, c.claimant, c.claimant_type) for c in predicted])
    return everything, development, held_out


def article_of(passages: list[dict], words: int = 1000) -> str:
    lines: list[str] = []
    count = 0
    i = 0
    while count < words:
        text = passages[i % len(passages)]["text"]
        lines.append(text)
        count += len(text.split())
        i += 1
    return "\n".join(lines)


def speed(passages: list[dict], repeats: int) -> dict:
    """Wall-clock median (what a caller waits) and CPU median (less disturbed by other processes)."""
    from tracker.attribution import rules

    article = article_of(passages)
    words = len(article.split())
    extract_candidates(article)  # warm up (regex compilation, caches, the model file)
    wall, cpu, floor = [], [], []
    for _ in range(repeats):
        # the floor, interleaved so both see the same load: the rules alone, which were the whole extraction before
        w0 = time.perf_counter()
        rules.extract_candidates(article)
        floor.append((time.perf_counter() - w0) * 1000)
        w0, c0 = time.perf_counter(), time.process_time()
        found = extract_candidates(article)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    median = statistics.median(wall)
    return {
        "rules_ms_per_1000_words": round(statistics.median(floor) * 1000 / words, 3),
        "ratio_to_rules": round(median / statistics.median(floor), 2),
        "words": words,
        "candidates": len(found),
        "repeats": repeats,
        "median_ms": round(median, 3),
        "ms_per_1000_words": round(median * 1000 / words, 3),
        "cpu_ms_per_1000_words": round(statistics.median(cpu) * 1000 / words, 3),
    }


def real_pages(limit: int | None) -> dict:
    """Throughput on real article text: the extraction corpus's pages through our own article parser.

    Read in place from ../shared/corpora/extraction-dev (never copied into the project); no labels,
    so this measures speed and that nothing crashes, not accuracy.
    """
    import gzip

    from scrapers.article import parse_article

    pages = sorted((REPO.parent / "shared" / "corpora" / "extraction-dev" / "pages").glob("*.gz"))[:limit]
    texts = [parse_article(gzip.decompress(p.read_bytes())).text or "" for p in pages]
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    found = sum(len(extract_candidates(t)) for t in texts)
    elapsed = (time.perf_counter() - t0) * 1000
    return {"pages": len(texts), "words": words, "candidates": found, "ms_per_1000_words": elapsed * 1000 / words}


POLNEAR = REPO.parent / "shared" / "corpora" / "attribution-dev"


def polnear(parts: bool) -> dict | None:
    """PolNeAR dev figures with the corpus's own score.py; None when the corpus is not beside the project."""
    import gzip
    import hashlib
    import importlib.util

    from tracker.attribution import attributions, rules
    from tracker.attribution.combine import extract

    if not (POLNEAR / "score.py").exists():
        print(f"PolNeAR: {POLNEAR} not found, skipped")
        return None
    spec = importlib.util.spec_from_file_location("polnear_score", POLNEAR / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    with gzip.open(POLNEAR / "dev.jsonl.gz", "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]

    def half(doc: dict) -> str:
        return "AB"[int(hashlib.sha1(doc["doc"].encode()).hexdigest(), 16) % 2]

    def figures(docs: list[dict], preds: list[list[dict]]) -> dict:
        c = score.score(docs, preds)
        p, r, f1 = score.prf(c["e2e_tp"], c["pred"], c["gold"])
        direct, indirect = c["gold_direct"], c["gold"] - c["gold_direct"]
        return {
            "e2e_f1": round(f1, 4),
            "precision": round(p, 4),
            "recall": round(r, 4),
            "recall_direct": round(c["tp_direct"] / direct, 4) if direct else 0.0,
            "recall_indirect": round(c["tp_indirect"] / indirect, 4) if indirect else 0.0,
            "content_f1": round(score.prf(c["tp"], c["pred"], c["gold"])[2], 4),
        }

    def as_attributions(found) -> list[dict]:
        return [{"speaker": c.claimant, "content": c.content} for c in found if c.content]

    runs = {"combined": attributions}
    if parts:
        # the rules alone, scored as they were before the tagger: the quotation, else the whole sentence
        runs["rules only"] = lambda text: [
            {"speaker": c.claimant, "content": c.quote or c.text} for c in rules.extract_candidates(text)
        ]
        runs["tagger only"] = lambda text: as_attributions(extract(text, use_rules=False))
    result = {}
    print(f"PolNeAR dev ({len(docs)} articles, score.py from {POLNEAR}):")
    print(f"  {'':14}{'':4}{'e2e F1':>8}{'P':>7}{'R':>7}{'R dir':>7}{'R ind':>7}{'content F1':>12}")
    for name, fn in runs.items():
        preds = [fn(d["text"]) for d in docs]
        for label, keep in (("all", "AB"), ("half A", "A"), ("half B", "B")):
            idx = [i for i, d in enumerate(docs) if half(d) in keep]
            fig = figures([docs[i] for i in idx], [preds[i] for i in idx])
            print(
                f"  {name if label == 'all' else '':14}{label:>6}{fig['e2e_f1']:>8}{fig['precision']:>7}"
                f"{fig['recall']:>7}{fig['recall_direct']:>7}{fig['recall_indirect']:>7}{fig['content_f1']:>12}"
            )
            if name == "combined":
                result[label] = fig
    return result


def checkworthiness_figures(quick: bool) -> dict:
    """The check-worthiness keys (bench/checkworthiness.py), null when the corpus is not beside the repository."""
    import checkworthiness  # bench/checkworthiness.py, beside this file

    if not checkworthiness.DEFAULT_CORPUS.is_file():
        print(f"check-worthiness: {checkworthiness.DEFAULT_CORPUS} not found; its figures are null")
        return dict.fromkeys(("checkworthy_dev_f1", "checkworthy_dev_ap", "checkworthy_sentences_per_s"))
    print("check-worthiness:")
    return checkworthiness.measure(rounds=3 if quick else 7, log=lambda line: print("  " + line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer speed repeats")
    parser.add_argument("--misses", action="store_true", help="print each passage not scored perfectly")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--parts", action="store_true", help="PolNeAR dev also with rules only and tagger only")
    parser.add_argument(
        "--real-pages", action="store_true", help="also time real article text (../shared/corpora/extraction-dev)"
    )
    args = parser.parse_args()

    passages = load(args.corpus)
    everything, development, held_out = evaluate(passages, args.misses)
    figures = everything.figures()
    print(f"corpus: {args.corpus.name}, {figures['passages']} passages, {figures['expected']} expected candidates")
    print(f"{'':32}{'all':>10}{'dev (4/5)':>12}{'held-out 1/5':>14}")
    dev, held = development.figures(), held_out.figures()
    for key in (
        "claimant_precision",
        "claimant_recall",
        "kind_accuracy",
        "kind_precision",
        "kind_recall",
        "type_accuracy",
        "false_candidates_on_negatives",
    ):
        print(f"{key:32}{figures[key]:>10}{dev[key]:>12}{held[key]:>14}")
    print("per kind (right / predicted / expected):")
    for kind, (right, predicted, expected) in everything.per_kind.items():
        print(f"  {kind:14}{right:>5}{predicted:>6}{expected:>6}")
    timing = speed(passages, 20 if args.quick else 200)
    print(
        f"speed: {timing['words']} words, {timing['candidates']} candidates, "
        f"median {timing['median_ms']} ms over {timing['repeats']} runs = {timing['ms_per_1000_words']} ms/1000 words "
        f"(CPU {timing['cpu_ms_per_1000_words']} ms/1000 words); rules alone in the same run "
        f"{timing['rules_ms_per_1000_words']} ms/1000 words, ratio {timing['ratio_to_rules']}"
    )
    real = None
    if args.real_pages:
        real = real_pages(60 if args.quick else None)
        print(
            f"real pages: {real['pages']} pages, {real['words']} words, {real['candidates']} candidates, "
            f"{real['ms_per_1000_words']:.3f} ms/1000 words"
        )
    result = {
        key: figures[key]
        for key in ("claimant_precision", "claimant_recall", "kind_accuracy", "kind_precision", "kind_recall")
    }
    result["type_accuracy"] = figures["type_accuracy"]
    result["ms_per_1000_words"] = timing["ms_per_1000_words"]
    result["cpu_ms_per_1000_words"] = timing["cpu_ms_per_1000_words"]
    result["rules_ms_per_1000_words"] = timing["rules_ms_per_1000_words"]
    result["ratio_to_rules"] = timing["ratio_to_rules"]
    if real:
        result["real_pages_ms_per_1000_words"] = round(real["ms_per_1000_words"], 3)
    real_news = polnear(args.parts)
    if real_news:
        for key in ("e2e_f1", "precision", "recall", "recall_direct", "recall_indirect"):
            result[f"polnear_dev_{key}"] = real_news["all"][key]
        result["polnear_dev_half_b_e2e_f1"] = real_news["half B"]["e2e_f1"]
    result["held_out_claimant_precision"] = held["claimant_precision"]
    result["held_out_claimant_recall"] = held["claimant_recall"]
    result["held_out_kind_accuracy"] = held["kind_accuracy"]
    result["passages"] = figures["passages"]
    result.update(checkworthiness_figures(args.quick))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
