"""Check-worthiness: the committed model, its reasons, scores on stored candidates, the queue's order and the CLI."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.test_candidates import article_page, ingest, ingest_and_read
from tracker import candidates, claims
from tracker.checkworthy import metrics, model, ngrams, store
from tracker.checkworthy.features import analyse
from tracker.checkworthy.ranking import HIGH, Context, rank, rank_many

ROOT = Path(__file__).resolve().parents[1]

# Written for these tests (not from the training corpus): news-style sentences.
FACTUAL = "Acme cut 1,200 jobs at its Riverside plant last year, 15% of its workforce, according to filings."
OPINION = "I think we will see what happens, and honestly it was a tough week for everyone."
QUESTION = "What will Acme do next?"
PLANT = [
    "Acme Corp laid off 1,200 workers at its Riverside plant in 2025, a third of the staff, filings show.",
    "“It was a tough week and I hope things get better,” said Dana Okafor, a spokesperson for Acme.",
    "The union declined to comment.",
]


# --------------------------------------------------------------------------- the model


def test_the_committed_model_loads_once_and_says_where_its_data_came_from():
    first = model.load()
    assert model.load() is first  # cached: read once per process
    assert "ClaimBuster" in first.about["source"] and "CC BY 4.0" in first.about["source"]
    assert {"dev", "dev_A", "dev_B", "dev_balanced", "cv", "params"} <= set(first.about)
    assert "PolNeAR" in first.about["vectors"]  # the unlabelled articles its word vectors came from
    assert 0.0 < first.threshold < 1.0 and first.about["params"]["threshold"] == first.threshold
    assert first.about["dev"]["n"] == first.about["dev_A"]["n"] + first.about["dev_B"]["n"]


def test_a_figure_outranks_opinion_and_a_question():
    factual, opinion, question = (rank(t) for t in (FACTUAL, OPINION, QUESTION))
    assert factual.score > opinion.score and factual.score > question.score
    assert factual.check_worthy and not opinion.check_worthy and not question.check_worthy
    assert all(0.0 <= r.score <= 1.0 for r in (factual, opinion, question))


def test_reasons_are_in_a_reporters_words_with_their_direction():
    factual, opinion = rank(FACTUAL), rank(OPINION)
    raised = {r.text for r in factual.reasons if r.direction > 0}
    assert "states a figure" in raised or "gives a percentage" in raised
    lowered = {r.text for r in opinion.reasons if r.direction < 0}
    assert lowered & {"opinion wording", "a plan or promise, not a fact", "wording like talk, not fact"}
    assert 1 <= len(factual.reasons) <= 3
    assert rank(QUESTION).reasons[0].as_dict() == {"text": "asks a question", "direction": "lowers"}


def test_a_denial_by_the_organisation_the_story_is_about_counts_most():
    text = "Acme denied that it had cut jobs at the Riverside plant."
    alone = rank(text)
    by_acme = rank(text, Context(kind="denial", claimant="Acme", claimant_type="organization", centre=("Acme",)))
    by_other = rank(text, Context(kind="denial", claimant="Globex", claimant_type="organization", centre=("Acme",)))
    assert by_acme.score > by_other.score > alone.score
    assert by_acme.reasons[0].text == "denial by Acme"


def test_context_lowers_no_comment_and_logged_and_raises_echoes():
    text = "Acme has not commented on the report about its 1,200 job cuts."
    base = Context(kind="claim", claimant="The Ledger", claimant_type="outlet", centre=("Acme",))
    plain = rank(text, base).score
    assert rank(text, Context(**{**base.__dict__, "kind": "no_comment"})).score < plain
    assert rank(text, Context(**{**base.__dict__, "logged_claim_id": 7})).score < plain
    echoed = rank(text, Context(**{**base.__dict__, "outlets": 4}))
    assert echoed.score > plain and any(r.text == "carried by 4 outlets" for r in echoed.reasons)


def test_a_damaged_model_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "model.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(model.ModelMissing, match="make checkworthy-model"):
        model.read(bad)
    bad.write_bytes(gzip.compress(b'{"format": 99}'))
    with pytest.raises(model.ModelMissing, match="format"):
        model.read(bad)


CUT_SHORT = {
    "truncated": lambda data: data[: len(data) // 2],
    "last-bytes-lost": lambda data: data[:-5],
    "bytes-flipped": lambda data: data[:1000] + bytes(b ^ 0xFF for b in data[1000:1100]) + data[1100:],
}


@pytest.mark.parametrize("damage", CUT_SHORT)
def test_a_model_file_cut_short_or_garbled_is_one_line_naming_the_rebuild_command(tmp_path, monkeypatch, damage):
    # A copy interrupted half-way, or a disk error: gzip's own errors (EOFError, zlib.error) must not
    # escape, or the command line prints a bare "Aborted!" and claim extraction blames a bug in the tracker.
    bad = tmp_path / "model.json.gz"
    bad.write_bytes(CUT_SHORT[damage](model.MODEL_PATH.read_bytes()))
    with pytest.raises(model.ModelMissing) as e:
        model.read(bad)
    assert "\n" not in str(e.value) and str(bad) in str(e.value) and "make checkworthy-model" in str(e.value)

    from click.testing import CliRunner

    from tracker.checkworthy import ranking
    from tracker.cli import cli

    monkeypatch.setattr(ranking, "load", lambda: model.read(bad))
    file = tmp_path / "sentences.txt"
    file.write_text(FACTUAL + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check-worthiness", str(file)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error:") and "make checkworthy-model" in line


def test_saved_models_read_back_the_same_scores(tmp_path):
    path = tmp_path / "copy.json.gz"
    model.load().save(path)
    copy = model.read(path)
    for text in (FACTUAL, OPINION, QUESTION):
        assert copy.score(text) == pytest.approx(model.load().score(text), abs=1e-3)
    assert path.read_bytes() == (
        model.load().save(tmp_path / "again.json.gz") or (tmp_path / "again.json.gz").read_bytes()
    )


def test_a_save_stopped_half_way_leaves_the_model_in_use_whole(tmp_path, monkeypatch):
    # Ctrl-C, a full disk or a kill while the file is written: the tracker must still find the old model.
    path = tmp_path / "model.json.gz"
    path.write_bytes(model.MODEL_PATH.read_bytes())
    write = gzip.GzipFile.write

    def stopped(self, data):
        write(self, bytes(data)[: len(data) // 2])
        self.fileobj.flush()
        raise KeyboardInterrupt

    monkeypatch.setattr(gzip.GzipFile, "write", stopped)
    with pytest.raises(KeyboardInterrupt):
        model.load().save(path)
    assert path.read_bytes() == model.MODEL_PATH.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["model.json.gz"]  # no half-written file left beside it


def tiny_sentences(path: Path) -> None:
    """A made-up corpus in the check-worthiness corpus's form, with enough distinct words for the word vectors."""
    import itertools

    words = [
        "".join(p) for p in itertools.product(("ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su"), repeat=2)
    ]
    rows = []
    for i in range(240):
        factual = i % 3 == 0
        text = (f"The council spent {i * 3 + 5} million on " if factual else "I think we feel ") + " ".join(
            words[(i * 7 + j * 13) % 100] for j in range(8)
        )
        rows.append({"id": i, "split": "dev" if i % 5 == 0 else "train", "label": int(factual), "text": text + "."})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_training_stopped_before_it_is_done_leaves_the_model_in_use(tmp_path, monkeypatch):
    # The model is written once, whole, with its figures and its source credited: a build stopped while
    # it measures dev must not leave the committed file replaced by one without them.
    pytest.importorskip("sklearn", reason="the training dependencies come with `make checkworthy-model`")
    import numpy as np

    from tracker.checkworthy import train

    tiny_sentences(tmp_path / "sentences.jsonl")
    out = tmp_path / "model.json.gz"
    out.write_bytes(model.MODEL_PATH.read_bytes())
    # Choosing the parameters is not what is tested here: skip the folds' minutes of fitting.
    monkeypatch.setattr(train, "cross_validate", lambda sentences, labels, params: np.zeros(len(labels)))
    monkeypatch.setattr(train, "cross_validate_network", lambda pooled, labels: np.zeros(len(labels)))
    measure = train.measure

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(train, "measure", stopped)
    grid = {"C": (1.0,), "cue_scale": (0.5,), "min_df": (1,)}
    with pytest.raises(KeyboardInterrupt):
        train.build(str(tmp_path / "sentences.jsonl"), out, grid=grid, log=lambda *a, **k: None)
    assert out.read_bytes() == model.MODEL_PATH.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json.gz", "sentences.jsonl"]
    monkeypatch.setattr(train, "measure", measure)
    train.build(str(tmp_path / "sentences.jsonl"), out, grid=grid, log=lambda *a, **k: None)
    assert "ClaimBuster" in model.read(out).about["source"]


GOOD_ROW = {"id": 1, "split": "train", "label": 1, "text": "Acme cut 1,200 jobs."}
BAD_CORPORA = {
    "not-json": '{"id": 1, "split": "train", "label": 1, "text": "Acme cut',
    "not-an-object": "[1, 2]",
    "no-label": json.dumps({"id": 1, "split": "train", "text": "Acme cut 1,200 jobs."}),
    "label-not-0-or-1": json.dumps({**GOOD_ROW, "label": "yes"}),
    "text-not-string": json.dumps({**GOOD_ROW, "text": ["Acme"]}),
    "not-utf8": b"\xff\xfe{}".decode("latin-1"),
}


@pytest.mark.parametrize("case", BAD_CORPORA)
def test_training_refuses_a_malformed_corpus_in_one_line_and_writes_nothing(tmp_path, case):
    corpus = tmp_path / "sentences.jsonl"
    lines = [json.dumps(GOOD_ROW), json.dumps({**GOOD_ROW, "id": 2, "split": "dev"}), BAD_CORPORA[case]]
    corpus.write_bytes("\n".join(lines).encode("latin-1" if case == "not-utf8" else "utf-8"))
    out = tmp_path / "model.json.gz"
    out.write_bytes(b"the model in use")
    done = subprocess.run(
        [sys.executable, "-m", "tracker.checkworthy.train", str(corpus), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert str(corpus) in line and "line 3" in line
    assert out.read_bytes() == b"the model in use"


def test_training_refuses_malformed_unlabelled_articles_in_one_line(tmp_path):
    corpus = tmp_path / "sentences.jsonl"
    corpus.write_text(json.dumps(GOOD_ROW) + "\n" + json.dumps({**GOOD_ROW, "id": 2, "split": "dev"}) + "\n")
    articles = tmp_path / "articles"
    articles.mkdir()
    with gzip.open(articles / "train.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"text": "An article."}) + "\n" + '["not", "an", "article"]\n')
    out = tmp_path / "model.json.gz"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker.checkworthy.train",
            str(corpus),
            "--unlabelled",
            str(articles),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "train.jsonl.gz" in line and "line 2" in line
    assert not out.exists()


def test_training_with_a_full_standard_output_stops_in_one_line_naming_it(tmp_path):
    """Training's progress went out by print(), outside the command line's one output path:
    `make checkworthy-model > /dev/full` ended in a traceback at its first progress line."""
    pytest.importorskip("sklearn", reason="the training dependencies come with `make checkworthy-model`")
    tiny_sentences(tmp_path / "sentences.jsonl")
    out = tmp_path / "model.json.gz"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tracker.checkworthy.train", str(tmp_path / "sentences.jsonl"), "--out", str(out)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
    said = done.stderr.strip()
    assert done.returncode == 1 and "Traceback" not in said, said
    [line] = said.splitlines()
    assert line.startswith("Error: Could not write to standard output (/dev/full)") and "database" not in line, line
    assert not out.exists()


def test_training_is_deterministic(tmp_path):
    pytest.importorskip("sklearn", reason="the training dependencies come with `make checkworthy-model`")
    from tracker.checkworthy import train

    feats = [analyse(t) for t in (FACTUAL, OPINION, QUESTION, *PLANT)] * 3
    labels = [1, 0, 0, 1, 0, 0] * 3
    a, b = (train.fit(feats, labels, C=1.0, cue_scale=1.0, min_df=1) for _ in range(2))
    a.save(tmp_path / "a.gz")
    b.save(tmp_path / "b.gz")
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()
    # The network over the committed word vectors: the same seeds, the same weights.
    import numpy as np

    from tracker.checkworthy import network

    pooled = model.load().vectors.pool(feats)
    n1, n2 = (network.fit(pooled, np.asarray(labels), hidden=8, seeds=2) for _ in range(2))
    assert all((c1.w1 == c2.w1).all() and c1.b2 == c2.b2 for c1, c2 in zip(n1.copies, n2.copies))
    assert (n1.margins(pooled) == n2.margins(pooled)).all()


def test_a_batch_scores_each_sentence_as_it_scores_alone():
    texts = [FACTUAL, OPINION, "", "?", QUESTION, *PLANT, FACTUAL]
    together = model.load().scores(texts)
    alone = [model.load().score(t) for t in texts]
    assert together == pytest.approx(alone, abs=1e-9)
    assert together[0] == together[-1]
    assert [r.score for r in rank_many(texts)] == [rank(t).score for t in texts]


def test_ngrams_are_the_tokens_their_pairs_and_the_character_grams_inside_each_token():
    g = ngrams.hashed(["cut <num> jobs", "", "a"])
    words = g.group == ngrams.WORDS
    # "cut", "<num>", "jobs", "cut <num>", "<num> jobs"; then "a" alone in the third sentence.
    assert list(g.row[words]).count(0) == 5 and list(g.row[words]).count(2) == 1
    # " cut " has 4 + 3 + 2 + 1 character 2–5-grams; the empty sentence has none.
    chars_of = {r: int(((g.row == r) & ~words).sum()) for r in (0, 1, 2)}
    assert chars_of[1] == 0 and chars_of[2] == 2 + 1  # " a", "a ", " a "
    assert ((g.bucket >= 0) & (g.bucket < 1 << ngrams.BITS)).all()


def test_the_hash_is_the_same_in_every_process():
    """Python's own str hash changes per process; the model's buckets must not."""
    code = "from tracker.checkworthy import ngrams; print(ngrams.hashed(['acme cut <num> jobs']).bucket.tolist())"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1 and runs == {str(ngrams.hashed(["acme cut <num> jobs"]).bucket.tolist()) + "\n"}


def test_metrics_match_hand_computed_values():
    labels = [1, 0, 1, 0, 1]
    scores = [0.9, 0.8, 0.7, 0.3, 0.1]
    # Ranks of the positives: 1 (1/1), 3 (2/3), 5 (3/5): AP = (1 + 2/3 + 3/5) / 3
    assert metrics.average_precision(labels, scores) == pytest.approx((1 + 2 / 3 + 3 / 5) / 3)
    p, r, f1 = metrics.prf(labels, [int(s >= 0.5) for s in scores])
    assert (p, r) == (pytest.approx(2 / 3), pytest.approx(2 / 3)) and f1 == pytest.approx(2 / 3)
    # Tied scores count as one step, as in scikit-learn.
    assert metrics.average_precision([1, 0], [0.5, 0.5]) == pytest.approx(0.5)


def test_the_class_balanced_view_counts_each_negative_as_positives_over_negatives():
    labels = [1, 0, 0, 0, 1, 0, 0, 0]  # a quarter positive: each negative weighs 2/6
    assert metrics.balancing(labels) == [1.0, 1 / 3, 1 / 3, 1 / 3, 1.0, 1 / 3, 1 / 3, 1 / 3]
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    # At 0.45: tp 2, fp 3 negatives (weight 1 as balanced, 3 as counted), fn 0.
    plain, balanced = (metrics.measure(labels, scores, 0.45, balanced=b) for b in (False, True))
    assert plain["precision"] == pytest.approx(2 / 5, abs=1e-4)
    assert balanced["precision"] == pytest.approx(2 / 3, abs=1e-4) and balanced["recall"] == 1.0
    # AP: positives at ranks 1 and 5; weighted, the three negatives between them count 1, not 3.
    assert plain["ap"] == pytest.approx((1 + 2 / 5) / 2, abs=1e-4)
    assert balanced["ap"] == pytest.approx((1 + 2 / 3) / 2, abs=1e-4)


def test_the_threshold_serves_both_a_quarter_and_a_balanced_share_of_check_worthy_sentences():
    """The cut lies between the best for F1 as counted and the best on the balanced view, and beats both on the mean."""
    pytest.importorskip("sklearn", reason="the training dependencies come with `make checkworthy-model`")
    import numpy as np

    from tracker.checkworthy import train

    # Log-odds: positives spread over 0..3, negatives over -3..1 (overlapping), three negatives a positive.
    pos = np.linspace(-0.5, 3.0, 50)
    neg = np.linspace(-3.0, 1.0, 150)
    labels = [1] * 50 + [0] * 150
    z = np.concatenate([pos, neg])
    chosen = train.choose_threshold(labels, z)
    scores = (1 / (1 + np.exp(-z))).tolist()

    def f1(t: float, balanced: bool) -> float:
        return metrics.measure(labels, scores, t, balanced=balanced)["f1"]

    best_counted = max(train.THRESHOLDS, key=lambda t: (f1(t, False), -t))
    best_balanced = max(train.THRESHOLDS, key=lambda t: (f1(t, True), -t))
    assert best_balanced < best_counted  # the two shares want different cuts
    assert best_balanced <= chosen <= best_counted
    mean = {t: (f1(t, False) + f1(t, True)) / 2 for t in (chosen, best_counted, best_balanced)}
    assert mean[chosen] >= max(mean[best_counted], mean[best_balanced])


def test_word_vectors_put_words_used_alike_together_and_pool_each_sentence():
    pytest.importorskip("sklearn", reason="the training dependencies come with `make checkworthy-model`")
    from tracker.checkworthy import wordvectors

    texts = [
        f"the {animal} {verb} over the fence" for animal in ("cat", "dog", "fox") for verb in ("jumped", "ran")
    ] + [f"prices {verb} {n} percent last year" for verb in ("rose", "fell", "climbed") for n in (3, 5, 7)]
    texts *= 3
    a, b = (wordvectors.build(texts, window=2, dim=4, min_count=2) for _ in range(2))
    assert a.vocab == b.vocab and (a.matrix == b.matrix).all()  # deterministic
    sim = {w: float(a.matrix[a.index["cat"]] @ a.matrix[a.index[w]]) for w in ("dog", "percent")}
    assert sim["dog"] > sim["percent"]
    sentences = [analyse("The cat ran."), analyse("Zebras!"), analyse("prices fell 5 percent")]
    pooled = a.pool(sentences)
    assert pooled.shape == (3, 16)  # mean, max, min, weighted mean
    assert not pooled[1].any()  # no known word: zeros
    mean, high, low, weighted = (pooled[0, k * 4 : (k + 1) * 4] for k in range(4))
    assert mean @ mean == pytest.approx(1.0, abs=1e-6)  # the means are unit length
    assert weighted @ weighted == pytest.approx(1.0, abs=1e-6)
    assert (low <= high).all() and (low < high).any()
    assert weighted == pytest.approx(mean, abs=1e-6)  # every word weighs 1 until idf is set
    # Weighted by idf in sentences where "the" is everywhere and "cat" rare, the weighted mean leans to "cat".
    c = a.with_idf([analyse(t) for t in ["the cat ran", "the dog ran", "the fox", "the end"]])
    assert c.idf[c.index["cat"]] > c.idf[c.index["the"]]
    weighted = c.pool(sentences)[0, 12:]
    cat = c.matrix[c.index["cat"]]
    assert weighted @ cat > mean @ cat


# German capitalises every noun and "will" means "wants": cues written for English say false things of it.
GERMAN = "Der Konzern will im nächsten Jahr weitere Stellen in der Verwaltung streichen, sagte eine Sprecherin."
ENGLISH_ONLY = {"names people or organisations", "a plan or promise, not a fact"}


def test_english_only_cues_are_not_read_into_another_language():
    assert {r.text for r in rank(GERMAN).reasons} & ENGLISH_ONLY  # a page of unknown language reads as English
    for language in ("de", "de-AT", "DE"):
        german = rank(GERMAN, Context(kind="claim", language=language))
        assert not {r.text for r in german.reasons} & ENGLISH_ONLY
    assert analyse(GERMAN, english=False).cues == ()
    # a figure, a percentage, money and a question are the same marks in any language
    figures = analyse("Der Konzern streicht 1.200 Stellen, 15 % der Belegschaft, für 3 Mio. €?", english=False)
    assert set(figures.cues) == {"figure", "percent", "money", "question"}
    assert rank(FACTUAL, Context(language="en-GB")) == rank(FACTUAL, Context())


# --------------------------------------------------------------------------- stored candidates


@pytest.fixture
def plant(db, story):
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", PLANT)
    return {c["text"]: c for c in candidates.list_queue(db, story["id"], 50)}


def test_a_missing_model_leaves_the_page_waiting_for_extraction_not_read_as_having_no_claims(
    db, story, tmp_path, monkeypatch
):
    # As with the attribution model: the model file is the problem, not the page's text. Taking the
    # page off the queue would lose its candidates for good once the model is rebuilt.
    from tracker import extraction
    from tracker.checkworthy import ranking
    from tracker.store import ingest_page

    url = "https://ledger.example/acme"
    stored = ingest_page(db, story, url, article_page(url, "Daily Ledger", PLANT))
    monkeypatch.setattr(ranking, "load", lambda: model.read(tmp_path / "absent.json.gz"))
    with pytest.raises(model.ModelMissing, match="make checkworthy-model"):
        extraction.extract_waiting(db, story["id"])
    assert extraction.waiting_count(db, story["id"]) == 1
    assert not candidates.list_queue(db, story["id"], 50)
    monkeypatch.undo()  # the model rebuilt: the next pass reads the page
    assert extraction.extract_waiting(db, story["id"])["revisions"] == 1
    assert {c["revision_id"] for c in candidates.list_queue(db, story["id"], 50)} == {stored["revision_id"]}


def test_candidates_are_scored_when_stored(db, plant):
    assert len(plant) == 3
    for c in plant.values():
        assert 0 <= c["check_score"] <= 1 and c["check_reasons"]
    factual, quote, union = (plant[t] for t in PLANT)
    assert factual["check_score"] > quote["check_score"] > union["check_score"]
    assert {"text": "declines to comment: nothing to check", "direction": "lowers"} in union["check_reasons"]


def test_a_candidate_from_a_german_page_shows_no_english_only_reason(db, story):
    url = "https://zeitung.example/konzern"
    page = article_page(url, "Tageblatt", [GERMAN]).replace(b'lang="en"', b'lang="de"')
    ingest_and_read(db, story, url, page)
    [c] = candidates.list_queue(db, story["id"], 50)
    assert c["check_reasons"] and not {r["text"] for r in c["check_reasons"]} & ENGLISH_ONLY


def test_the_queue_is_worth_checking_first_by_default_and_newest_first_on_request(db, story, plant):
    ingest(
        db,
        story,
        "https://ledger.example/later",
        "Daily Ledger",
        ["“We'll see,” said Dana Okafor, a spokesperson for Acme."],
        published="2026-03-09T10:00:00Z",
    )
    ranked = candidates.list_queue(db, story["id"], 50)
    assert [c["check_score"] for c in ranked] == sorted((c["check_score"] for c in ranked), reverse=True)
    newest = candidates.list_queue(db, story["id"], 50, sort="newest")
    assert newest[0]["text"].startswith("“We'll see,”")  # the later article first, whatever its score
    high = candidates.list_queue(db, story["id"], 50, high_only=True)
    assert high and all(c["check_score"] >= HIGH for c in high)
    assert store.high_count(db, story["id"]) == len(high)
    with pytest.raises(candidates.TrackerError, match="Unknown order"):
        candidates.list_queue(db, story["id"], sort="loudest")


def test_the_same_sentence_in_more_outlets_rises(db, story, plant):
    before = plant[PLANT[0]]["check_score"]
    for i, outlet in enumerate(("Evening Post", "Morning Wire")):
        url = f"https://outlet{i}.example/acme"
        ingest_and_read(db, story, url, article_page(url, outlet, [PLANT[0]]))
    copies = [c for c in candidates.list_queue(db, story["id"], 50) if c["text"] == PLANT[0]]
    assert len(copies) == 3 and all(c["check_score"] > before for c in copies)
    assert len({c["check_score"] for c in copies}) == 1  # the first copy was rescored as the others came


def test_a_page_copied_hundreds_of_times_ranks_each_sentence_once_per_arrival(db, story, plant, monkeypatch):
    """Every waiting copy of a sentence is rescored when another copy arrives; copies in the same context
    score the same, so ranking each one again made every arrival of a site's hundredth copy cost as much
    as the hundred before it."""
    n = 120
    for i in range(n):
        url = f"https://copies.example/acme-{i}"
        ingest_and_read(db, story, url, article_page(url, "Copy Times", PLANT))
    ranked: list[str] = []
    real = store.rank_many

    def counting(texts, contexts=None):
        ranked.extend(texts)
        return real(texts, contexts)

    monkeypatch.setattr(store, "rank_many", counting)
    url = "https://copies.example/acme-last"
    ingest_and_read(db, story, url, article_page(url, "Copy Times", PLANT))
    assert len(ranked) <= 2 * len(PLANT)  # each of the page's sentences, not each of its n + 2 copies
    for text in PLANT:
        copies = db.execute("SELECT check_score, check_reasons FROM candidates WHERE text = ?", [text]).fetchall()
        assert len(copies) == n + 2 and len(set(copies)) == 1 and copies[0][0] is not None


def test_a_sentence_logged_as_evidence_says_so(db, story, accounts, plant):
    factual = plant[PLANT[0]]
    claim_id = claims.log_claim(db, story["id"], "Acme laid off 1,200", "Daily Ledger", "outlet", accounts["reporter"])
    claims.add_evidence(db, claim_id, factual["revision_id"], factual["text"], "supports", accounts["reporter"])
    after = candidates.get_candidate(db, factual["id"])
    assert after["check_score"] < factual["check_score"]
    assert f"already logged as claim {claim_id}" in after["check_reasons"]


@pytest.mark.parametrize("decision", ["accept", "merge"])
def test_an_accepted_or_merged_candidate_keeps_the_score_it_was_decided_on(db, story, accounts, plant, decision):
    """Its own sentence, cited as the claim's evidence, rescored it as "already logged as claim N": the Accepted view
    showed the candidate that made claim 230 marked down for being claim 230."""
    factual = plant[PLANT[0]]
    before = candidates.get_candidate(db, factual["id"])
    assert "already logged" not in before["check_reasons"]
    if decision == "accept":
        claim_id = candidates.accept(db, factual["id"], accounts["reporter"])
    else:
        claim_id = claims.log_claim(db, story["id"], "Acme laid off", "Daily Ledger", "outlet", accounts["editor"])
        candidates.merge(db, factual["id"], claim_id, accounts["reporter"])
    after = candidates.get_candidate(db, factual["id"])
    assert after["claim_id"] == claim_id
    assert (after["check_score"], after["check_reasons"]) == (before["check_score"], before["check_reasons"])


def test_evidence_is_logged_while_the_model_is_missing_and_the_score_catches_up_later(
    db, story, accounts, plant, tmp_path, monkeypatch
):
    # Re-ranking the sentence as "already logged" is a courtesy to triage; a reporter's evidence must not
    # be refused because the ranking model's file is missing. `score-candidates --all` catches up.
    from tracker.checkworthy import ranking

    factual = plant[PLANT[0]]
    claim_id = claims.log_claim(db, story["id"], "Acme laid off 1,200", "Daily Ledger", "outlet", accounts["reporter"])
    monkeypatch.setattr(ranking, "load", lambda: model.read(tmp_path / "absent.json.gz"))
    evidence_id = claims.add_evidence(
        db, claim_id, factual["revision_id"], factual["text"], "supports", accounts["reporter"]
    )
    assert db.execute("SELECT claim_id FROM evidence WHERE id = ?", [evidence_id]).fetchone()[0] == claim_id
    assert candidates.get_candidate(db, factual["id"])["check_score"] == factual["check_score"]
    monkeypatch.undo()
    store.score_stored(db, story["id"], rescore=True)
    assert f"already logged as claim {claim_id}" in candidates.get_candidate(db, factual["id"])["check_reasons"]


def test_score_candidates_scores_what_was_stored_before_and_is_resumable(db, db_path, story, plant):
    db.execute("UPDATE candidates SET check_score = NULL, check_reasons = NULL")
    db.conn.commit()
    run = [sys.executable, "-m", "tracker", "--db", str(db_path), "score-candidates"]
    done = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, check=True)
    assert "3 candidate(s) scored." in done.stdout
    assert db.execute("SELECT count(*) FROM candidates WHERE check_score IS NULL").fetchone()[0] == 0
    again = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, check=True)
    assert "already has a score" in again.stdout
    unknown = subprocess.run([*run, "no-such-story"], capture_output=True, text=True, cwd=ROOT)
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr and "no-such-story" in unknown.stderr


# --------------------------------------------------------------------------- the command line


def run_cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args], capture_output=True, text=True, cwd=ROOT, input=input
    )


def test_check_worthiness_prints_one_json_object_per_sentence_without_a_database(tmp_path):
    file = tmp_path / "sentences.txt"
    file.write_text(f"{FACTUAL}\n\n{OPINION}\n{QUESTION}\n", encoding="utf-8")
    db = tmp_path / "never.db"
    done = run_cli("--db", str(db), "check-worthiness", str(file))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [x["line"] for x in lines] == [1, 3, 4]
    assert [x["text"] for x in lines] == [FACTUAL, OPINION, QUESTION]
    assert [x["check_worthy"] for x in lines] == [True, False, False]
    assert lines[0]["score"] > lines[1]["score"] and all(0 <= x["score"] <= 1 for x in lines)
    assert not db.exists()
    piped = run_cli("check-worthiness", "-", input=FACTUAL + "\n")
    assert json.loads(piped.stdout)["score"] == lines[0]["score"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "No such file"), (b"\x00\x01binary", "a binary file"), (b"caf\xe9 latin-1", "not UTF-8")],
)
def test_check_worthiness_refuses_bad_input_in_one_line(tmp_path, content, message):
    file = tmp_path / "input.txt"
    if content is not None:
        file.write_bytes(content)
    done = run_cli("check-worthiness", str(file))
    assert done.returncode != 0 and done.stdout == ""
    assert message in done.stderr and "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- editor and API


def test_triage_shows_score_level_and_reasons_and_switches_order(client, auth, accounts, story, plant):
    auth.login("reporter")
    html = client.get(f"/stories/{story['slug']}/triage").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    cards = soup.select("[data-candidate]")
    assert [c.select_one(".triage-context").get_text(" ", strip=True) for c in cards][0].startswith(
        "Acme Corp laid off"
    )
    badge = cards[0].select_one(".check")
    assert badge.get_text(" ", strip=True).startswith(("High", "Medium"))
    assert cards[-1].select_one(".check").get_text(" ", strip=True).startswith("Low")
    reasons = [li.get_text(" ", strip=True) for li in cards[-1].select(".check-reason")]
    assert any("declines to comment" in r and "Lowers:" in r for r in reasons)
    order = soup.select_one("nav[aria-label=Order] [aria-current]")
    assert order.get_text(strip=True) == "Worth checking first"
    newest = client.get(f"/stories/{story['slug']}/triage?sort=newest").get_data(as_text=True)
    soup = BeautifulSoup(newest, "html.parser")
    assert soup.select_one("nav[aria-label=Order] [aria-current]").get_text(strip=True) == "Newest first"
    assert (
        soup.select("[data-candidate]")[0]
        .select_one(".triage-context")
        .get_text(" ", strip=True)
        .startswith("Acme Corp laid off")
    )  # one article: reading order
    high = BeautifulSoup(client.get(f"/stories/{story['slug']}/triage?high=1").get_data(as_text=True), "html.parser")
    shown = high.select("[data-candidate] .check")
    assert shown and all(b.get_text(strip=True).startswith("High") for b in shown)


def test_a_decision_keeps_the_chosen_order(client, auth, accounts, story, plant):
    from tests.conftest import csrf_from

    auth.login("reporter")
    token = csrf_from(client.get(f"/stories/{story['slug']}/triage?sort=newest").get_data(as_text=True))
    union = plant["The union declined to comment."]
    response = client.post(
        f"/stories/{story['slug']}/triage/dismiss",
        data={"csrf_token": token, "candidate_id": union["id"], "reason": "Not a claim", "sort": "newest", "high": "1"},
    )
    assert response.status_code == 303 and "sort=newest" in response.headers["Location"]
    assert "high=1" in response.headers["Location"]


def test_dashboard_counts_high_candidates_waiting(client, auth, accounts, db, story, plant):
    auth.login("reporter")
    soup = BeautifulSoup(client.get(f"/stories/{story['slug']}/dashboard").get_data(as_text=True), "html.parser")
    link = soup.select_one(".dash-high a")
    assert link.get_text(" ", strip=True).startswith(f"{store.high_count(db, story['id'])} high")
    assert "high=1" in link["href"]


def test_the_dashboard_and_triage_show_stored_scores_while_the_model_is_missing(
    client, auth, accounts, story, plant, tmp_path, monkeypatch
):
    # The scores are stored; showing them needs only the model's threshold. A missing file must not take the
    # story's dashboard and triage down (they answered 400, "rebuild it with make checkworthy-model").
    from tracker.checkworthy import ranking

    auth.login("reporter")
    monkeypatch.setattr(ranking, "load", lambda: model.read(tmp_path / "absent.json.gz"))
    for page in ("dashboard", "triage"):
        response = client.get(f"/stories/{story['slug']}/{page}")
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    cards = BeautifulSoup(response.get_data(as_text=True), "html.parser").select("[data-candidate]")
    assert len(cards) == 3 and all(c.select_one(".check") for c in cards)
    assert cards[-1].select_one(".check").get_text(" ", strip=True).startswith("Low")


def test_api_candidates_carry_score_and_reasons_and_sort_and_filter(client, accounts, db, story, plant):
    from tracker import users

    token = users.create_token(db, "reporter")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/stories/{story['slug']}/candidates"
    body = client.get(url, headers=headers).get_json()
    scores = [c["check_score"] for c in body["candidates"]]
    assert scores == sorted(scores, reverse=True) and len(scores) == 3
    assert all(c["check_reasons"] and c["check_level"] in ("high", "medium", "low") for c in body["candidates"])
    high = client.get(url + "?high=true", headers=headers).get_json()
    assert body["high"] == high["high"] == len(high["candidates"])
    assert client.get(url + "?sort=loudest", headers=headers).status_code == 400
    spec = client.get("/api/openapi.json").get_json()
    params = {p["name"] for p in spec["paths"]["/stories/{slug}/candidates"]["get"]["parameters"]}
    assert {"sort", "high"} <= params
    assert "check_score" in spec["components"]["schemas"]["Candidate"]["properties"]
