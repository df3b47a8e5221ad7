"""The trained tagger: its file, its loading, its retraining, and what it adds to the rules."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.attribution import extract_candidates, model, training
from tracker.attribution.model import MODEL_PATH, ModelUnavailable
from tracker.cli import cli

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- the committed file


def test_the_committed_model_is_small_and_loads():
    assert MODEL_PATH.exists()
    assert MODEL_PATH.stat().st_size < 3 * 1024 * 1024
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


def test_cli_train_attribution_reports_a_missing_corpus_in_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["train-attribution", str(tmp_path / "nowhere"), "--out", str(tmp_path / "m")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "train.jsonl.gz" in result.output
    assert not (tmp_path / "m").exists()


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
