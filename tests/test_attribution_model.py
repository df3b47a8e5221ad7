"""The trained tagger: its file, its loading, its retraining, and what it adds to the rules."""

import gzip
import itertools
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.conftest import python_output
from tracker.attribution import extract_candidates, features, model, scoring, tokens, training, viterbi
from tracker.attribution.combine import extract
from tracker.attribution.model import LABELS, MODEL_PATH, ModelUnavailable
from tracker.cli import cli

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- the committed file


def test_the_committed_model_is_small_and_loads():
    assert MODEL_PATH.exists()
    assert MODEL_PATH.stat().st_size < 1024 * 1024
    m = model.load()
    assert m is model.load()  # cached per process
    assert "PolNeAR" in m.header["info"]["corpus"]
    assert m.cues.get("said") == "c3" and m.cues.get("according") == "c3"


def test_model_loads_lazily_on_first_extraction():
    code = (
        "import tracker.attribution as a, tracker.attribution.model as m; "
        "assert not m._loaded; a.extract_candidates('Officials said the plant will close.'); "
        "assert m._loaded; print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_neither_model_is_read_by_importing_starting_the_editor_or_an_unrelated_command(tmp_path):
    # Both model files are read only when text is tagged or scored: an audit hook records every open of
    # them, and the training libraries must not be imported either. The commands that read them show the hook sees it.
    code = f"""
import sys
opened = []
def hook(event, args):
    if event == "open" and str(args[0]).endswith(("attribution.model", "model.json.gz")):
        opened.append(str(args[0]).rsplit("/", 1)[-1])
sys.addaudithook(hook)
import tracker, tracker.attribution, tracker.checkworthy.store, tracker.extraction, tracker.candidates, app
from click.testing import CliRunner
from tracker.cli import cli
from tracker.editor import create_app
db = {str(tmp_path / "t.db")!r}
for args in (["--help"], ["init", "--db", db], ["stories", "--db", db], ["users", "list", "--db", db]):
    assert CliRunner().invoke(cli, args).exit_code == 0, args
editor = create_app({{"TESTING": True, "SECRET_KEY": "k", "DATABASE": db, "PUBLIC_DB": db + ".public"}})
assert editor.test_client().get("/login").status_code == 200
print(opened, sorted(m for m in ("sklearn", "scipy", "pycrfsuite") if m in sys.modules))
with open({str(tmp_path / "story.txt")!r}, "w") as f:
    f.write("Officials said the plant will close.")
for command in ("extract-claims", "check-worthiness"):
    assert CliRunner().invoke(cli, [command, {str(tmp_path / "story.txt")!r}]).exit_code == 0
print(opened)
"""
    before, after = python_output(code).splitlines()
    assert before == "[] []"
    assert after == "['attribution.model', 'model.json.gz']"


def test_missing_model_is_one_line_naming_the_rebuild_command(tmp_path):
    with pytest.raises(ModelUnavailable) as e:
        model.load(tmp_path / "absent.model")
    message = str(e.value)
    assert "\n" not in message and "missing" in message and "make model" in message


DAMAGED = {
    "empty": lambda: b"",
    "not-gzip": lambda: b"not gzip at all",
    "wrong-magic": lambda: gzip.compress(b"some other file"),
    "truncated": lambda: MODEL_PATH.read_bytes()[:-200],
}


@pytest.mark.parametrize("damage", DAMAGED)
def test_damaged_model_is_one_line_naming_the_rebuild_command(tmp_path, damage):
    path = tmp_path / "damaged.model"
    path.write_bytes(DAMAGED[damage]())
    with pytest.raises(ModelUnavailable) as e:
        model.load(path)
    message = str(e.value)
    assert "\n" not in message and "damaged" in message and "make model" in message


def test_model_with_changed_weights_is_refused(tmp_path):
    raw = bytearray(gzip.decompress(MODEL_PATH.read_bytes()))
    raw[-100] ^= 0xFF
    path = tmp_path / "edited.model"
    path.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(ModelUnavailable):
        model.load(path)


def test_cli_with_a_damaged_model_says_how_to_rebuild_without_a_traceback(tmp_path, monkeypatch):
    story = tmp_path / "story.txt"
    story.write_text("Officials said the plant will close.", "utf-8")
    damaged = tmp_path / "damaged.model"
    damaged.write_bytes(b"garbage")
    monkeypatch.setattr(model, "MODEL_PATH", damaged)
    result = CliRunner().invoke(cli, ["extract-claims", str(story)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error:") and "make model" in line


def test_model_built_with_other_features_is_refused(tmp_path):
    state = {"b": [0.1] * len(LABELS), "zz=unknown": [1.0] * len(LABELS)}
    data = model.dumps(state, [[0.0] * len(LABELS)] * len(LABELS), {}, {}, {})
    path = tmp_path / "other.model"
    path.write_bytes(data)
    with pytest.raises(ModelUnavailable) as e:
        model.load(path)
    assert "\n" not in str(e.value) and "make model" in str(e.value)


# --------------------------------------------------------------------------- the tagger's arithmetic

# Text that exercises every feature: quotation marks of each kind (opening, closing, apostrophes, a ‘
# after a space or not, unclosed), cue words near and far, "|" and "<s>" as text, a word pair the model
# knows, other scripts, several paragraphs, and one paragraph too long to tag in one piece.
TRICKY = [
    "“We will appeal,” said Jane Roe, a lawyer for the union, “and we expect to win.”",
    'He said \'no\' and ‘maybe’ isn’t rock ’n’ roll; "straight" quotes, then one "unclosed',
    "a | b || c <s> </s> _x_ __ U.S. co-founder don't 3.5% ... «Guillemets» „low“ » »",
    "Officials said the plant will close. According to the ministry, the border will reopen.\nThe mayor denied it.",
    "Пресс-служба заявила, что 工厂 将 关闭. The spokesman told reporters: “Nothing.”",
    " ".join(f"Sentence {i} was read, and Dana Lee said the count was {i}." for i in range(120)),
]


def weighted_sum(state: dict, text: str, chunk, m) -> list[list[float]]:
    """The scores CRFsuite gives: per token, the sum of its features' weights (features.sequence)."""
    return [
        [sum(state[f][y] for f in feats if f in state) for y in range(len(LABELS))]
        for feats in features.sequence(text, chunk, m.cues, m.sources)
    ]


def test_scores_are_the_sum_of_each_features_weights():
    _, body = model.unpack(MODEL_PATH.read_bytes())
    m = model.load()
    for text in TRICKY:
        chunks = tokens.chunks(text)
        scores, lens = m.weights.scores(chunks)
        assert lens.tolist() == [len(c.words) for c in chunks]
        expected = [row for c in chunks for row in weighted_sum(body["state"], text, c, m)]
        assert np.allclose(scores, expected, rtol=0, atol=1e-9), text
    assert len(tokens.chunks(TRICKY[-1])) > 1  # the long paragraph was tagged in pieces


def test_scores_stay_right_when_the_word_cache_is_rebuilt(monkeypatch):
    header, body = model.unpack(MODEL_PATH.read_bytes())
    monkeypatch.setattr(scoring, "CACHE_SIZE", 60)
    small = scoring.Weights(body["state"], LABELS, header["cues"], header["sources"])
    m = model.load()
    for text in TRICKY * 2:
        chunks = tokens.chunks(text)
        assert np.allclose(small.scores(chunks)[0], m.weights.scores(chunks)[0], rtol=0, atol=1e-9)
    assert len(small._index) <= 60 + max(len(set(c.words)) for t in TRICKY for c in tokens.chunks(t))


def all_paths(scores: np.ndarray, transitions: np.ndarray):
    """Every label sequence of one chunk with its score, by brute force."""
    for path in itertools.product(range(scores.shape[1]), repeat=len(scores)):
        total = sum(scores[t, y] for t, y in enumerate(path))
        total += sum(transitions[a, b] for a, b in itertools.pairwise(path))
        yield path, total


def test_decoding_finds_the_best_path_and_true_marginals_of_each_chunk():
    rng = np.random.default_rng(7)
    transitions = rng.normal(0, 2, (4, 4))
    lens = np.array([3, 1, 5, 2, 4])
    scores = rng.normal(0, 2, (int(lens.sum()), 4))
    best = viterbi.best_labels(scores, lens, transitions)
    sure = viterbi.marginals(scores, lens, transitions, best)
    begin = 0
    for size in lens.tolist():
        chunk = scores[begin : begin + size]
        paths = list(all_paths(chunk, transitions))
        top = max(paths, key=lambda p: p[1])[0]
        assert best[begin : begin + size].tolist() == list(top)
        z = sum(math.exp(total) for _, total in paths)
        for t, y in enumerate(top):
            p = sum(math.exp(total) for path, total in paths if path[t] == y) / z
            assert sure[begin + t] == pytest.approx(p, rel=1e-9)
        begin += size


def test_decoding_memory_follows_the_tokens_not_the_longest_chunk_times_the_chunks():
    """One long paragraph among thousands of one-line ones: padding every chunk to the longest made
    the decoder's tables chunks × longest × labels (8,000 short lines beside a 2,800-token paragraph,
    a 43 KB page, took 2.8 GB; a megabyte of them would exhaust the machine)."""
    import tracemalloc

    rng = np.random.default_rng(3)
    labels = len(LABELS)
    transitions = rng.normal(0, 2, (labels, labels))
    lens = np.array([2800] + [2] * 4000)
    scores = rng.normal(0, 2, (int(lens.sum()), labels))
    tracemalloc.start()
    try:
        best = viterbi.best_labels(scores, lens, transitions)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * scores.nbytes  # padded: about 4,000 × 2,800 × 7 × 8 bytes, 630 MB for each table
    for begin, size in ((0, 2800), (2800, 2), (2800 + 2 * 3999, 2)):  # the same path as each chunk alone
        alone = viterbi.best_labels(scores[begin : begin + size], np.array([size]), transitions)
        assert best[begin : begin + size].tolist() == alone.tolist()


def test_tagging_gives_crfsuites_own_labels_and_marginals(tmp_path):
    import pycrfsuite

    tiny_corpus(tmp_path)
    docs = training.read_corpus(tmp_path / "train.jsonl.gz")
    cues, sources = training.lexicons(docs)
    crf_path = str(tmp_path / "crf")
    training.fit_crf(docs, cues, sources, {**training.PARAMS, "max_iterations": 30}, crf_path, lambda m: None)
    state, transitions, labels = training.crf_weights(crf_path)
    assert "I-C" not in labels  # every cue in these articles is one word: a label CRFsuite never saw
    m = model.loads(model.dumps(state, transitions, cues, sources, {}, labels))
    crf = pycrfsuite.Tagger()
    crf.open(crf_path)
    tagged = 0
    for text in [*TRICKY, "Maria Lopez said the road will reopen. The mayor said “it is safe.”"]:
        for chunk, labels, sure in m.tag(text):
            assert labels == crf.tag(features.sequence(text, chunk, cues, sources))
            for i, y in enumerate(labels):
                if y != "O":
                    assert sure[i] == pytest.approx(crf.marginal(y, i), abs=1e-4)
                    tagged += 1
    assert tagged > 20


# --------------------------------------------------------------------------- retraining


SPEAKERS = ["Ana Ortiz", "the mayor", "Officials", "A spokesman", "Tom Reyes", "The agency"]
CLAIMS = ["the plant will close", "taxes will rise next year", "the bridge is safe", "no one was hurt"]


def tiny_corpus(path: Path) -> None:
    """Fictional articles in PolNeAR's form, generated here: "X said Y." with source, cue and content spans."""
    lines = []
    for d in range(12):
        text, attributions = "", []
        for k in range(4):
            speaker, claim = SPEAKERS[(d + k) % len(SPEAKERS)], CLAIMS[(d * 3 + k) % len(CLAIMS)]
            if text:
                text += "\n\n"
            s0 = len(text)
            text += f"{speaker} said {claim}."
            c0 = s0 + len(speaker) + 1
            q0 = c0 + len("said") + 1
            attributions.append(
                {
                    "kind": "Attribution",
                    "source": {"text": speaker, "spans": [[s0, s0 + len(speaker)]]},
                    "cue": {"text": "said", "spans": [[c0, c0 + 4]]},
                    "content": {"text": claim, "spans": [[q0, q0 + len(claim)]]},
                    "direct_quote": False,
                }
            )
            text += " The weather was mild."
        lines.append(json.dumps({"doc": f"d{d}", "text": text, "attributions": attributions}))
    with gzip.open(path / "train.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def test_training_is_deterministic_and_writes_a_model_that_tags(tmp_path):
    tiny_corpus(tmp_path)
    small = {"max_iterations": 30}
    first = training.train(tmp_path, tmp_path / "a.model", small, progress=lambda m: None)
    second = training.train(tmp_path, tmp_path / "b.model", small, progress=lambda m: None)
    assert (tmp_path / "a.model").read_bytes() == (tmp_path / "b.model").read_bytes()
    assert first["bytes"] == second["bytes"] == (tmp_path / "a.model").stat().st_size
    m = model.load(tmp_path / "a.model")
    [(chunk, labels, sure)] = m.tag("Maria Lopez said the road will reopen.")
    assert all(0 < p <= 1 for p in sure)
    assert labels[:2] == ["B-S", "I-S"] and labels[2] == "B-C" and labels[3] == "B-Q"


def test_training_reads_curly_marks_as_the_tagger_does(tmp_path):
    """The tagger reads curly marks as straight ones: trained on them raw, its lexicons held "won’t" and
    its weights words it is never given."""
    text = "Ana Ortiz said “the plant won’t close.” The mayor’s office said the bridge isn’t safe."
    attributions = [
        {"source": {"spans": [[0, 9]]}, "cue": {"spans": [[10, 14]]}, "content": {"spans": [[16, 36]]}},
        {"source": {"spans": [[39, 56]]}, "cue": {"spans": [[57, 61]]}, "content": {"spans": [[62, 84]]}},
    ]
    for name, marks in (("curly", text), ("straight", tokens.straighten(text))):
        folder = tmp_path / name
        folder.mkdir()
        doc = {"doc": name, "text": "\n\n".join([marks] * 6), "attributions": []}
        for k in range(6):
            shift = k * (len(marks) + 2)
            doc["attributions"] += [
                {key: {"spans": [[lo + shift, hi + shift] for lo, hi in a[key]["spans"]]} for key in a}
                for a in attributions
            ]
        with gzip.open(folder / "train.jsonl.gz", "wt", encoding="utf-8") as f:
            f.write(json.dumps(doc) + "\n")
        training.train(folder, tmp_path / f"{name}.model", {"max_iterations": 20}, progress=lambda m: None)
    assert (tmp_path / "curly.model").read_bytes() == (tmp_path / "straight.model").read_bytes()


MODEL_CORPUS = REPO.parent / "shared" / "corpora" / "attribution-dev"  # the Makefile's ../shared


@pytest.mark.skipif(
    not (MODEL_CORPUS / "train.jsonl.gz").exists(), reason="the training corpus is not beside the repository"
)
def test_the_committed_model_was_built_from_what_the_code_reads_of_the_corpus():
    """A change to how text is split, tokenised or straightened changes what training reads: the committed
    model is then no longer what `make model` builds, and has to be rebuilt with the change."""
    docs = training.read_corpus(MODEL_CORPUS / "train.jsonl.gz")
    cues, sources = training.lexicons(docs)
    header = model.load().header
    assert (header["cues"], header["sources"]) == (cues, sources), "lexicons differ: rebuild with `make model`"
    assert header["info"].get("input_sha256") == training.input_sha256(docs, cues, sources), (
        "the training input changed since the model was built: rebuild it with `make model`"
    )


def test_cli_train_attribution_reports_a_missing_corpus_in_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["train-attribution", str(tmp_path / "nowhere"), "--out", str(tmp_path / "m")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "train.jsonl.gz" in result.output
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("corpus", ["/dev/null", "a pipe"])
def test_cli_train_attribution_says_a_corpus_that_is_no_folder_is_no_folder(tmp_path, corpus):
    """A device or a pipe passed click's "not a file" check, and the line was "/dev/null/train.jsonl.gz: not gzipped
    JSON lines ([Errno 20] Not a directory ...)": it blamed the corpus's contents, not the path."""
    import os

    if corpus == "a pipe":
        corpus = str(tmp_path / "corpus")
        os.mkfifo(corpus)
    result = CliRunner().invoke(cli, ["train-attribution", corpus, "--out", str(tmp_path / "m")])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: {corpus} is not a folder; give the folder that holds train.jsonl.gz."
    ]
    assert not (tmp_path / "m").exists()


def test_cli_train_attribution_refuses_a_corpus_without_attributions_and_writes_nothing(tmp_path):
    # An empty or cut-short split would otherwise replace the committed model with one that finds nothing.
    with gzip.open(tmp_path / "train.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"doc": "d0", "text": "The weather was mild.", "attributions": []}) + "\n")
    out = tmp_path / "out.model"
    out.write_bytes(b"the model in use")
    result = CliRunner().invoke(cli, ["train-attribution", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "no attributions" in result.output and "Traceback" not in result.output
    assert out.read_bytes() == b"the model in use"


TEXT = "Bob Ray said the road will reopen."
MALFORMED = {
    "no-content": {"text": TEXT, "attributions": [{"source": {"spans": [[0, 7]]}}]},
    "span-not-numbers": {"text": TEXT, "attributions": [{"content": {"spans": [[13, "end"]]}}]},
    "span-not-a-pair": {"text": TEXT, "attributions": [{"content": {"spans": [13]}}]},
    "source-not-spans": {"text": TEXT, "attributions": [{"content": {"spans": [[13, 34]]}, "source": "Bob"}]},
    "attribution-not-object": {"text": TEXT, "attributions": ["Bob said it"]},
    "attributions-not-list": {"text": TEXT, "attributions": {"content": {"spans": [[13, 34]]}}},
    "text-not-string": {"text": ["Bob said it."], "attributions": [{"content": {"spans": [[9, 11]]}}]},
}


@pytest.mark.parametrize("case", MALFORMED)
def test_cli_train_attribution_refuses_malformed_annotations_in_one_line_and_keeps_the_model(tmp_path, case):
    tiny_corpus(tmp_path)
    with gzip.open(tmp_path / "train.jsonl.gz", "at", encoding="utf-8") as f:
        f.write(json.dumps({"doc": "odd-one", **MALFORMED[case]}) + "\n")
    out = tmp_path / "out.model"
    out.write_bytes(b"the model in use")
    result = CliRunner().invoke(cli, ["train-attribution", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("Error:")]
    assert "train.jsonl.gz" in line and "odd-one" in line
    assert result.output.strip().splitlines()[-1] == line
    assert out.read_bytes() == b"the model in use"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.model", "train.jsonl.gz"]


def test_cli_train_attribution_refuses_an_out_folder_that_does_not_exist_before_training(tmp_path):
    """Training the real corpus takes minutes; it used to run them all, then fail on writing the model."""
    tiny_corpus(tmp_path)
    out = tmp_path / "no-such-folder" / "out.model"
    result = CliRunner().invoke(cli, ["train-attribution", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "iteration" not in result.output and "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert str(out.parent) in line and "no such folder" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.jsonl.gz"]


def test_cli_train_attribution_writes_the_model_it_was_told_to(tmp_path):
    tiny_corpus(tmp_path)
    out = tmp_path / "out.model"
    result = CliRunner().invoke(cli, ["train-attribution", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output and "iteration" in result.output
    assert model.load(out).header["info"]["articles"] == 12


# --------------------------------------------------------------------------- what the tagger adds


def test_indirect_attribution_has_content_cue_and_source():
    text = "Officials said the plant will close next year."
    [c] = extract_candidates(text)
    assert c.content == "the plant will close next year"
    assert c.cue == "said" and text[c.cue_start : c.cue_end] == "said"
    assert text[c.source_start : c.source_end] == "Officials"


def test_quotation_split_by_the_speaker_is_joined_with_both_pieces_kept():
    text = "“We will appeal,” said Jane Roe, a lawyer for the union, “and we expect to win.”"
    [c] = extract_candidates(text)
    assert (c.kind, c.claimant) == ("quote", "Jane Roe")
    assert [text[a:b] for a, b in c.content_spans] == ["We will appeal", "and we expect to win."]
    assert c.content == "We will appeal and we expect to win."
    assert c.cue == "said"


def test_according_to_gives_its_cue_and_content():
    text = "According to the ministry, the border will reopen on Monday."
    [c] = extract_candidates(text)
    assert c.claimant == "the ministry"
    assert c.cue.lower().startswith("according")
    assert c.content == "the border will reopen on Monday"


def test_two_attributions_in_one_sentence_are_two_candidates_with_their_own_parts():
    text = "Jane Roe said the deal was fair, while Marcus Tan said it would cost jobs."
    found = extract_candidates(text)
    assert [c.claimant for c in found] == ["Jane Roe", "Marcus Tan"]
    assert [c.content.rstrip(".") for c in found] == ["the deal was fair", "it would cost jobs"]
    for c in found:
        assert text[c.start : c.end] == c.text and c.content in c.text


def test_pronoun_resolves_to_the_last_named_speaker():
    text = "Jane Roe said the deal was fair.\nShe said the vote would come in March."
    found = extract_candidates(text)
    assert [(c.claimant, c.claimant_type) for c in found] == [("Jane Roe", "named"), ("Jane Roe", "named")]
    assert text[found[1].source_start : found[1].source_end] == "She"


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_a_pronoun_with_a_contraction_is_the_pronoun(apostrophe):
    """ "He’s claiming" is "he": resolved like any "he", never an organisation called "He’s"."""
    text = f"Jane Roe said the deal was fair.\nShe{apostrophe}s insisting that the targets were never met by anyone."
    found = extract_candidates(text)
    assert [(c.claimant, c.claimant_type) for c in found] == [("Jane Roe", "named"), ("Jane Roe", "named")]
    assert text[found[1].source_start : found[1].source_end] == "She"
    [c] = extract_candidates(f"They{apostrophe}re saying the plant will close next year.")
    assert (c.claimant, c.claimant_type) == ("They", "unattributed")
    # the writer's own "I've", outside any quotation, is narration like "I"
    assert extract_candidates(f"I{apostrophe}ve come to believe the targets were never met by anyone.") == []


STRAIGHTEN = str.maketrans(dict.fromkeys("“”„", '"') | dict.fromkeys("‘’", "'"))
CURLY = [
    "Contoso’s chief executive told staff the company’s targets were ‘aspirational’ and wouldn’t be enforced.",
    "„Wir wurden unter Druck gesetzt“, sagte eine Mitarbeiterin, die nicht genannt werden wollte.",
    "“We don’t know yet,” said Ana Ruiz, the union’s lawyer. “But we’ll find out.”",
    "He said ‘no’ and she said 'maybe'; “It’s absurd,” they said, “and we’ll say so.”",
]


@pytest.mark.parametrize("text", CURLY)
def test_the_tagger_reads_curly_and_straight_quotes_and_apostrophes_alike(text):
    """The features read the raw marks, so “…” and "…", don’t and don't, gave different attributions."""
    straight = text.translate(STRAIGHTEN)
    m = model.load()
    assert [labels for _, labels, _ in m.tag(text)] == [labels for _, labels, _ in m.tag(straight)]

    def seen(found):
        return [
            (c.start, c.end, c.kind, (c.claimant or "").translate(STRAIGHTEN), (c.content or "").translate(STRAIGHTEN))
            for c in found
        ]

    assert seen(extract(text, use_rules=False)) == seen(extract(straight, use_rules=False))


def test_a_german_quotation_closes_at_its_closing_mark():
    """„…“: the closing “ was read as another opening mark and the quotation ran on past the speaker."""
    text = "„Wir wurden unter Druck gesetzt“, sagte eine Mitarbeiterin, die nicht genannt werden wollte."
    [c] = extract(text, use_rules=False)
    assert c.content == "Wir wurden unter Druck gesetzt"


def test_a_cue_without_a_source_takes_the_name_that_opens_its_sentence():
    text = "Woodgrove Bank called the newspaper’s account “inaccurate,” and said it would seek a correction."
    found = extract_candidates(text)
    said = next(c for c in found if c.cue == "said")
    assert (said.claimant, said.claimant_type) == ("Woodgrove Bank", "organization")
    assert text[said.source_start : said.source_end] == "Woodgrove Bank"


def test_a_sentence_opening_with_no_name_leaves_the_cue_unattributed():
    [c] = extract_candidates("Nor is it clear that the audit was flawed from the start.")
    assert c.content and c.claimant is None and c.claimant_type == "unattributed"


def test_a_paragraph_of_many_attributions_is_assembled_in_steps_that_grow_with_their_pairs(monkeypatch):
    """Each content piece weighed every cue, and for each, looked through every cue for one between
    them: content × cues × cues steps per paragraph, 35 seconds a megabyte of one-paragraph quotes."""
    from tracker.attribution import spans

    reads = 0

    class Counted(spans._Run):
        def __getattribute__(self, name):
            nonlocal reads
            reads += name == "first"
            return super().__getattribute__(name)

    text = " ".join(["“It works,” Smith said."] * 150)
    [(chunk, labels, _)] = model.load().tag(text, certainty=False)
    monkeypatch.setattr(spans, "_Run", Counted)
    found = spans.assemble(chunk, labels)
    pairs = 150 * 150
    assert len(found) == 150
    assert [text[a:b] for a, b in found[-1].content] == ["“It works,”"]
    assert reads < 25 * pairs  # a look through the cues for each pair: 1,400,000


def test_a_run_of_initials_before_a_cue_is_read_in_bounded_time():
    """Each capitalised word must be readable one way only: "A." as a word or as an initial doubled the
    work with each one, and a sentence of 60 initials would have held the extraction for ever."""
    code = """
from tracker.attribution.combine import _SUBJECT
text = "Ab" + " A." * 60 + " Z"
print(_SUBJECT.match(text) is None, _SUBJECT.match("Jane A. Roe smiled").group(1))
"""
    assert python_output(code).split() == ["True", "Jane", "A.", "Roe"]
