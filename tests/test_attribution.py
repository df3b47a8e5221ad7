import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import python_output
from tracker import attribution, vocab
from tracker.attribution import (
    CLAIMANT_TYPES,
    KINDS,
    Candidate,
    extract_candidates,
    fingerprint,
    rules,
    split_sentences,
)
from tracker.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seed"
SEED = (
    SEED_DIR / "000_3cdc51a5f04b0230.txt"
    if (SEED_DIR / "000_3cdc51a5f04b0230.txt").exists()
    else FIXTURES / "demo" / "seed-capture.txt"
)
CORPUS = FIXTURES / "claims_corpus.jsonl"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text) -> list[Candidate]:
    return extract_candidates(seed_text)


def find(candidates: list[Candidate], fragment: str) -> Candidate:
    matching = [c for c in candidates if fragment in c.text]
    assert len(matching) == 1, (fragment, [c.text for c in candidates])
    return matching[0]


def assert_offsets(text: str, candidates: list[Candidate]) -> None:
    for c in candidates:
        assert text[c.start : c.end] == c.text
        if c.quote is not None:
            assert text[c.quote_start : c.quote_end] == c.quote
        if c.content is not None:
            assert c.content == " ".join(text[a:b] for a, b in c.content_spans)
            assert (c.content_start, c.content_end) == (c.content_spans[0][0], c.content_spans[-1][1])
            assert c.content[0] not in '“”"‘’' and c.content[-1] not in '“”"‘’'
        if c.cue is not None:
            assert text[c.cue_start : c.cue_end] == c.cue
        if c.source_start is not None:
            assert 0 <= c.source_start < c.source_end <= len(text)
        assert c.kind in KINDS
        assert c.claimant_type in CLAIMANT_TYPES
        if c.claimant is None:
            assert c.claimant_type == "unattributed"


# --------------------------------------------------------------------------- ground truth: the bundled article


def test_seed_employee_quote(seed):
    c = find(seed, "We’re told to show more AI activity")
    assert (
        c.text == "“We’re told to show more AI activity, but many of us are just making up tasks to meet the numbers.”"
    )
    assert (
        c.quote == "We’re told to show more AI activity, but many of us are just making up tasks to meet the numbers."
    )
    assert (c.kind, c.claimant, c.claimant_type) == ("quote", "Anonymous Amazon employee", "anonymous")


def test_seed_analyst_quote(seed):
    c = find(seed, "Such practices, if confirmed")
    assert c.quote.startswith("Such practices, if confirmed, could undermine trust")
    assert (c.kind, c.claimant, c.claimant_type) == ("quote", "Industry analyst", "anonymous")


def test_seed_amazon_has_not_commented(seed):
    c = find(seed, "Amazon has not publicly commented on these claims")
    assert (c.kind, c.claimant, c.claimant_type) == ("no_comment", "Amazon", "organization")


def test_seed_investigations_reportedly_underway(seed):
    c = find(seed, "Investigations by Amazon are reportedly underway")
    assert c.text == "Investigations by Amazon are reportedly underway to assess the extent of these reports."
    assert c.kind == "hedged"


def test_seed_fabricated_tasks_attributed_to_anonymous_sources(seed):
    c = find(seed, "some employees have admitted to fabricating tasks")
    assert c.text.endswith("as confirmed by anonymous sources.")
    assert (c.kind, c.claimant, c.claimant_type) == ("claim", "anonymous sources", "anonymous")


@pytest.mark.parametrize(
    "line",
    [
        "![Officials said the plant will close next year, according to Ana Ruiz](https://example.com/a.jpg)",
        "Shop now: Contoso Widget Pro says it cuts costs in half | affiliate link",
    ],
)
def test_the_tagger_gives_nothing_on_lines_the_rules_skip_as_boilerplate(line):
    """An image link or an affiliate blurb is no part of the story: the rules skipped it, but the tagger's
    reading of it came through ("![Officials" as the claimant)."""
    assert extract_candidates(line) == []


def test_seed_nothing_from_affiliate_blurbs(seed_text, seed):
    blurb_lines = [
        line
        for line in seed_text.splitlines()
        if "affiliate" in line
        or line.startswith("![")
        or "Notepad" in line
        or "Productivity" in line
        or "Complete Beginner" in line
        or "AI for Kids" in line
        or "Express Schedule" in line
        or "drag & drop" in line
    ]
    assert len(blurb_lines) >= 10
    for c in seed:
        assert not any(c.text in line for line in blurb_lines), c.text


def test_seed_offsets_are_exact(seed_text, seed):
    assert_offsets(seed_text, seed)
    assert len({(c.start, c.end) for c in seed}) == len(seed)
    assert [c.start for c in seed] == sorted(c.start for c in seed)


def test_seed_headings_and_questions_give_nothing(seed):
    texts = [c.text for c in seed]
    for heading in ("TL;DR", "Why It Matters", "Background", "What Remains Unclear", "What’s Next", "Key Questions"):
        assert heading not in texts
    assert not [t for t in texts if t.endswith("?")]


# --------------------------------------------------------------------------- the labelled corpus


def load_corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_corpus_claimants_meet_the_goals():
    """The same measure as bench/claims.py: claimant precision >= 0.9 and recall >= 0.8 on the corpus."""
    predicted_with = expected_with = matched = 0
    for passage in load_corpus():
        found = extract_candidates(passage["text"])
        assert_offsets(passage["text"], found)
        expected = [e["claimant"].casefold() for e in passage["expected"] if e["claimant"]]
        expected_with += len(expected)
        for c in found:
            if c.claimant:
                predicted_with += 1
                if c.claimant.casefold() in expected:
                    expected.remove(c.claimant.casefold())
                    matched += 1
    assert matched / predicted_with >= 0.9
    assert matched / expected_with >= 0.8


# Announcements are attributions in PolNeAR's sense (the firm's stated plan), which the tagger learned;
# the passages below were written as negatives for the rules alone.
ANNOUNCEMENTS = {"In 2021, the firm announced a five-year plan to automate its warehouses."}
# What the model, as `make model` builds it, tags on two negative passages: a gesture read as a reply (PolNeAR
# annotates such cues) and a phrase in scare quotes read as content. Rules written for these two sentences
# ("Asked about …" is the question put; content that opens a quotation it does not close, which German „…“
# marks defeat) left PolNeAR's halves unchanged or were wrong elsewhere, so none was kept; the test still fails
# on any other negative passage that gives a candidate.
KNOWN_TAGGER_MISSES = {
    "Asked about the targets, a Fabrikam manager shrugged.",
    "The so-called “activity score” was introduced last year.",
}


def test_corpus_negatives_give_no_candidates():
    noisy = [
        (p["text"], [c.text for c in extract_candidates(p["text"])])
        for p in load_corpus()
        if not p["expected"] and extract_candidates(p["text"])
    ]
    assert [text for text, _ in noisy if text not in ANNOUNCEMENTS | KNOWN_TAGGER_MISSES] == []
    assert [c.text for c in rules.extract_candidates(next(iter(ANNOUNCEMENTS)))] == []


def test_claimant_types_are_the_schemas():
    assert set(CLAIMANT_TYPES) <= set(vocab.CLAIMANT_TYPES)


# --------------------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    "text,kind,claimant,claimant_type",
    [
        ("“We will appeal,” said Jane Roe, a lawyer for the union.", "quote", "Jane Roe", "named"),
        ("“The numbers do not add up,” Marcus Tan said.", "quote", "Marcus Tan", "named"),
        ("Jane Roe said: “We were never consulted.”", "quote", "Jane Roe", "named"),
        ("“Prices will rise,” Litware’s chief economist, Henrik Lund, said.", "quote", "Henrik Lund", "named"),
        (
            "“I was told to keep quiet,” said a former manager who asked not to be named.",
            "quote",
            "a former manager",
            "anonymous",
        ),
        ("“Safety comes first,” the airline said.", "quote", "the airline", "organization"),
        (
            "Contoso plans to cut 300 jobs, according to a report by The Example Times.",
            "claim",
            "The Example Times",
            "outlet",
        ),
        (
            "According to internal documents seen by the Riverside Tribune, targets were set in March.",
            "claim",
            "internal documents",
            "document",
        ),
        ("Priya Nair told the Eastbrook Herald that she had raised concerns twice.", "claim", "Priya Nair", "named"),
        ("Fabrikam said on Monday that it had hired an outside firm.", "claim", "Fabrikam", "organization"),
        ("Revenue grew 3.5 percent, the company said, citing strong demand.", "claim", "the company", "organization"),
        ("It is not true that Contoso denied the report, Marcus Tan said.", "claim", "Marcus Tan", "named"),
        (
            "Transport Minister Ingrid Berg dismissed the allegations as politically motivated.",
            "denial",
            "Ingrid Berg",
            "named",
        ),
        ("The rumours were dismissed by Contoso as “pure fiction.”", "denial", "Contoso", "organization"),
        ("Contoso did not deny the report.", "no_comment", "Contoso", "organization"),
        ("The company would neither confirm nor deny the figures.", "no_comment", "The company", "organization"),
        ("Fabrikam did not respond to a request for comment.", "no_comment", "Fabrikam", "organization"),
        ("Contoso declined to comment.", "no_comment", "Contoso", "organization"),
        (
            "The ministry said it does not comment on ongoing investigations.",
            "no_comment",
            "The ministry",
            "organization",
        ),
        ("The figures were confirmed by Woodgrove Bank on Friday.", "confirmation", "Woodgrove Bank", "organization"),
        (
            "Litware acknowledged that some teams had misreported their usage.",
            "confirmation",
            "Litware",
            "organization",
        ),
        ("Contoso is reportedly weighing a sale of its cloud unit.", "hedged", None, "unattributed"),
        ("It remains unclear how many employees were affected.", "hedged", None, "unattributed"),
        ("Fabrikam is said to be considering an appeal.", "hedged", None, "unattributed"),
        ("„Wir wurden unter Druck gesetzt“, sagte eine Mitarbeiterin.", "quote", "eine Mitarbeiterin", "anonymous"),
        ("<p>“We will not back down,” said <b>Jane Roe</b>.</p>", "quote", "Jane Roe", "named"),
        ("The numbers were first reported by Bellows Radio.", "claim", "Bellows Radio", "outlet"),
        (
            "Woodgrove Bank, citing privacy rules, declined to give details.",
            "no_comment",
            "Woodgrove Bank",
            "organization",
        ),
        ("Police have not said whether anyone was arrested.", "no_comment", "Police", "organization"),
        ("Tailspin Toys CEO Maria Ortiz called the lawsuit “baseless.”", "denial", "Maria Ortiz", "named"),
        ("The union called the proposal “an insult.”", "claim", "The union", "organization"),
        (
            "Neither Contoso nor Fabrikam responded to requests for comment.",
            "no_comment",
            "Neither Contoso nor Fabrikam",
            "organization",
        ),
        (
            "Proseware, which has not commented publicly, faces a hearing in May.",
            "no_comment",
            "Proseware",
            "organization",
        ),
        ("“We’re looking at every option,” the mayor told reporters.", "quote", "the mayor", "organization"),
        ("It could not be determined whether the board approved the plan.", "hedged", None, "unattributed"),
    ],
)
def test_speaker_and_kind(text, kind, claimant, claimant_type):
    found = extract_candidates(text)
    assert [(c.kind, c.claimant, c.claimant_type) for c in found] == [(kind, claimant, claimant_type)]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Le bac ne partira pas dimanche, selon une source proche du dossier.", "une source proche du dossier"),
        ("Selon des sources proches de la mairie, le bac ne partira pas dimanche.", "des sources proches de la mairie"),
        ("Le bac ne partira pas dimanche, a déclaré un porte-parole.", "un porte-parole"),
        ("Le bac ne partira pas dimanche, a déclaré un porte-parole de la mairie.", "un porte-parole de la mairie"),
        (
            "« Le bac ne partira pas dimanche », a déclaré une porte-parole de la compagnie.",
            "une porte-parole de la compagnie",
        ),
    ],
)
def test_an_unnamed_french_source_is_an_unnamed_speaker(text, claimant):
    """A source is an unnamed person; a spokesperson speaks for the body, as in English."""
    found = [c for c in extract_candidates(text) if c.claimant]
    expected = "organization" if "porte-parole" in claimant else "anonymous"
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, expected)]


@pytest.mark.parametrize(
    "text,claimant",
    [
        # the speaker after the verb, as these languages put it after a reported clause
        ("Der Konzern Contoso streicht Stellen, vor allem in Europa, sagte Anna Weber.", "Anna Weber"),
        ("Les prix vont augmenter, au moins cette année, a déclaré Anna Weber.", "Anna Weber"),
        ("Los precios van a subir, al menos este año, dijo Anna Weber.", "Anna Weber"),
        # the speaker before the verb: an apposition, and the reported clause after a comma
        ("Der Bürgermeister, ein früherer Lehrer, sagte, der Plan werde funktionieren.", "Der Bürgermeister"),
    ],
)
def test_a_speaker_after_the_verb_in_german_french_or_spanish_is_the_speaker(text, claimant):
    """The sentence's opening clause ("Der Konzern Contoso streicht Stellen") was taken for the speaker."""
    assert [c.claimant for c in extract_candidates(text)] == [claimant]


@pytest.mark.parametrize(
    "text",
    [
        "If these practices are confirmed, they could harm Contoso’s standing with investors.",
        "Unless Fabrikam denies the report, the union will file a complaint on Monday.",
        "The figures were confirmed on Friday, two people familiar with the audit said.",
        "Workers were denied access to the plant, the union said.",
    ],
)
def test_a_supposed_or_agentless_denial_or_confirmation_is_no_denial_or_confirmation(text):
    # Filed as a confirmation, "if these practices are confirmed" got a confirmation's place in triage.
    assert all(c.kind not in ("denial", "confirmation") for c in extract_candidates(text))


def test_quote_on_its_own_line_takes_the_speaker_from_the_dash_line():
    text = (
        "“The targets were invented in a meeting.”\n— Aisha Bello, Fabrikam product lead\nThe meeting lasted an hour."
    )
    [c] = extract_candidates(text)
    assert (c.kind, c.claimant, c.claimant_type) == ("quote", "Aisha Bello", "named")
    assert c.text == "“The targets were invented in a meeting.”"


def test_speaker_introduced_with_a_colon_on_the_line_before():
    found = extract_candidates("Asked about the plan, Damon Otter said:\n\n“We will review it.” Then he left.")
    assert [(c.kind, c.claimant, c.text) for c in found] == [("quote", "Damon Otter", "“We will review it.”")]


def test_a_bare_quotation_without_a_dash_line_stays_unattributed():
    [c] = extract_candidates("“The honest answer is that nobody knows.”")
    assert (c.kind, c.claimant, c.claimant_type) == ("quote", None, "unattributed")


def test_a_continued_quotation_keeps_its_speaker():
    found = extract_candidates("“It’s absurd,” said Omar Haddad. “We were measured on clicks.”")
    assert [(c.kind, c.claimant) for c in found] == [("quote", "Omar Haddad"), ("quote", "Omar Haddad")]


@pytest.mark.parametrize(
    "text,claimant",
    [
        (
            "Mr Hallam earlier used his speech to warn against a “one-size-fits-all” approach to parking.",
            "Mr Hallam",
        ),
        ("Mrs Okafor used her column to argue for a “slower” rollout of the scheme.", "Mrs Okafor"),
        ("Dr Lund used the hearing to warn against a “rushed” decision on the plant.", "Dr Lund"),
    ],
)
def test_a_title_without_a_full_stop_keeps_the_name_after_it(text, claimant):
    """British copy writes "Mr Grayling" with no full stop; the tagger, trained on "Mr. X", took "Mr" alone."""
    [c] = extract_candidates(text)
    assert (c.claimant, c.claimant_type) == (claimant, "named")
    assert text[c.source_start : c.source_end] == claimant
    assert c.cue is None or not c.cue.startswith(claimant.split()[1])
    assert_offsets(text, [c])


@pytest.mark.parametrize(
    "text,claimant,claimant_type",
    [
        (
            "The decision is risky for Jane Roe, who pointedly refused to endorse the plan during a speech in July.",
            "Jane Roe",
            "named",
        ),
        (
            "The campaign also included the Fabrikam board, which has strongly denied any involvement in the deal.",
            "the Fabrikam board",
            "organization",
        ),
        ("The plan angered residents, who said the road would flood every winter.", "residents", "anonymous"),
    ],
)
def test_a_relative_pronoun_speaker_is_the_noun_phrase_it_stands_for(text, claimant, claimant_type):
    """ "Jane Roe, who refused …": the claimant was "who" (typed anonymous) or the whole clause before it."""
    [c] = extract_candidates(text)
    assert (c.claimant, c.claimant_type) == (claimant, claimant_type)
    assert_offsets(text, [c])


@pytest.mark.parametrize(
    "text",
    [
        # "who" is the chief executive, not the company right before it
        "He praised the chief executive of the Contoso Group, who said the plant would reopen in May.",
        # "which" is the ruling, not the town
        "The court overturned a ruling in Springfield, which had found Contoso liable for the spill.",
    ],
)
def test_a_relative_pronoun_after_of_or_in_is_not_resolved_to_the_words_before_it(text):
    for c in extract_candidates(text):
        assert c.claimant not in ("Contoso Group", "the Contoso Group", "Springfield")
        if (c.claimant or "").lower() in ("who", "which"):
            assert c.claimant_type == "unattributed"


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("In 2017 Contoso says the plant will reopen in May.", "Contoso"),
        (
            "March 3, 2022 A senior prison official has said in a sworn affidavit that the fence was broken.",
            "A senior prison official",
        ),
        ("Posted 2021 Fabrikam said the plant would reopen in May.", "Fabrikam"),
    ],
)
def test_a_date_before_the_speaker_is_not_part_of_the_claimant(text, claimant):
    """A dateline ran into the claimant: "2022 A senior prison official", "In 2017 Contoso"."""
    assert [c.claimant for c in extract_candidates(text)] == [claimant]


def test_a_name_written_with_no_break_spaces_is_still_the_claimant():
    """Copy typed "Gov.\u00a0Mike\u00a0Pence": the claimant is the name (the office left out, as for "Mayor"), its
    offsets the name in the text."""
    from tracker.attribution.combine import _from_tagged
    from tracker.attribution.spans import Tagged

    text = "Gov.\u00a0Mike\u00a0Pence said the debate would go ahead on Monday."
    cand = _from_tagged(text, Tagged(content=[(21, len(text) - 1)], cue=(16, 20), source=(0, 15)), 0, len(text))
    assert cand.claimant == "Mike Pence"
    assert (cand.source_start, cand.source_end) == (5, 15)


@pytest.mark.parametrize(
    "text,claimant",
    [
        (
            "On Sunday the Republican vice-presidential nominee Gov. Mike Pence (R-IN) said his running mate "
            "was only joking about the debate.",
            "Mike Pence",
        ),
        (
            "In a statement on Friday, Jane Roe \u2014 a lawyer for the family \u2014 said the inquiry was closed.",
            "Jane Roe",
        ),
    ],
)
def test_a_cue_without_a_source_takes_the_name_just_before_it(text, claimant):
    """The tagger marked "said" and no source, and the sentence opens with no name: the name before the cue."""
    from tracker.attribution.combine import _subject_as_claimant

    cue = text.index(" said") + 1
    cand = Candidate(kind="claim", text=text, start=0, end=len(text))
    _subject_as_claimant(cand, text, 0, cue)
    assert cand.claimant == claimant
    assert text[cand.source_start : cand.source_end].split() == claimant.split()


@pytest.mark.parametrize(
    "text,cue,claimant",
    [
        ("Hours later, Trump returned the compliment, telling reporters the two were old friends.", "telling", "Trump"),
        ("In 2008, Cooper donated to the campaign and has spoken out in favor of the law.", "has spoken", "Cooper"),
        ("Jessie Elkins, 70, served in Vietnam and said he was sure the plan would fail.", "said", "Jessie Elkins"),
    ],
)
def test_a_cue_without_a_source_takes_the_subject_past_an_opening_phrase_or_an_apposition(text, cue, claimant):
    """ "Hours later, Trump …, telling": the subject is the name after the opening phrase, not "Hours"."""
    from tracker.attribution.combine import _subject_as_claimant

    cand = Candidate(kind="claim", text=text, start=0, end=len(text))
    _subject_as_claimant(cand, text, 0, text.index(cue))
    assert cand.claimant == claimant


@pytest.mark.parametrize(
    "text,cue,claimant",
    [
        (
            "Republican vice-presidential nominee Mike Pence toured the plant and said the campaign would win.",
            "said",
            "Mike Pence",
        ),
        ("Former Secretary of State Jane Roe arrived late and told the crowd she would stay.", "told", "Jane Roe"),
        ("Contoso chief executive Laura Chen smiled, saying the numbers spoke for themselves.", "saying", "Laura Chen"),
    ],
)
def test_a_capitalised_modifier_before_a_role_and_a_name_is_not_the_subject(text, cue, claimant):
    """ "Republican vice-presidential nominee Mike Pence …": the subject's head is the name, not "Republican"."""
    from tracker.attribution.combine import _subject_as_claimant

    cand = Candidate(kind="claim", text=text, start=0, end=len(text))
    _subject_as_claimant(cand, text, 0, text.index(cue))
    assert (cand.claimant, cand.claimant_type) == (claimant, "named")
    assert text[cand.source_start : cand.source_end] == claimant


@pytest.mark.parametrize(
    "text,cue,claimant",
    [
        (
            "Chastened by the audit, as well as by its costs, Fabrikam revised the plan, promising lower targets.",
            "promising",
            "Fabrikam",
        ),
        (
            "Speaking at a town hall in Salem, Oregon, Jane Roe praised the staff, saying the targets would go.",
            "saying",
            "Jane Roe",
        ),
    ],
)
def test_a_participle_opening_the_sentence_is_not_the_subject(text, cue, claimant):
    """ "Chastened by the audit, …, Fabrikam revised …": the subject comes after the participle's phrase."""
    from tracker.attribution.combine import _subject_as_claimant

    cand = Candidate(kind="claim", text=text, start=0, end=len(text))
    _subject_as_claimant(cand, text, 0, text.index(cue))
    assert cand.claimant == claimant


@pytest.mark.parametrize(
    "text,cue",
    [
        ("Democratic leaders met on Monday and said the bill would pass.", "said"),
        ("Obama met reporters in Ohio and said the talks would go on.", "said"),
    ],
)
def test_a_subject_without_a_role_and_a_name_after_it_stays_the_opening_words(text, cue):
    """The opening words stay the subject when what follows them is no role before a name."""
    from tracker.attribution.combine import _subject_as_claimant

    cand = Candidate(kind="claim", text=text, start=0, end=len(text))
    _subject_as_claimant(cand, text, 0, text.index(cue))
    assert cand.claimant == text.split()[0]


@pytest.mark.parametrize(
    "text,claimant,quote",
    [
        (
            "Said Ellis: “I don’t think they read the report at all.”",
            "Ellis",
            "I don’t think they read the report at all.",
        ),
        ("Added Jane Roe, “We will appeal the ruling.”", "Jane Roe", "We will appeal the ruling."),
        ("Says Marcus Tan: “Nobody checked the numbers.”", "Marcus Tan", "Nobody checked the numbers."),
    ],
)
def test_an_inverted_attribution_opening_the_sentence_names_the_speaker_not_the_verb(text, claimant, quote):
    """ "Said Ellis: “…”": the verb comes first; the speaker is the name after it."""
    found = extract_candidates(text)
    assert [(c.kind, c.claimant, c.quote) for c in found] == [("quote", claimant, quote)]
    assert text[found[0].source_start : found[0].source_end] == claimant
    (rule,) = rules.extract_candidates(text)
    assert rule.claimant == claimant


def test_a_name_that_is_also_a_verb_is_still_a_name_after_the_sentence_opens():
    """Only a verb opening the sentence is inverted; "Edward Said" keeps his surname."""
    (cand,) = extract_candidates("Edward Said said the book would be read for decades.")
    assert cand.claimant == "Edward Said"


def test_a_pronoun_after_an_inverted_attribution_is_the_speaker_not_the_verb_and_the_name():
    """The sentence's opening "Said Ellis" was noted as a person, and "he says" resolved to "Said Ellis"."""
    text = "Said Marcus Tan: “Nobody checked the numbers.”\n\nHe says the audit will show it."
    assert [c.claimant for c in extract_candidates(text)] == ["Marcus Tan", "Marcus Tan"]


@pytest.mark.parametrize(
    "text,quote",
    [
        # some outlets open quotations with the closing mark
        ("”We will appeal the ruling,” Ellis said.", "We will appeal the ruling,"),
        ("”Mr. Tan is wrong. The numbers are fine.” ― Jane Roe", "Mr. Tan is wrong. The numbers are fine."),
        # curly and straight marks mixed in one quotation
        ('“We will appeal the ruling," Jane Roe said.', "We will appeal the ruling,"),
        ('"We will appeal the ruling,” Jane Roe said.', "We will appeal the ruling,"),
    ],
)
def test_a_quotation_is_paired_however_its_marks_were_typed(text, quote):
    """The marks that open and close a quotation are told by where they stand, not by which way they curl."""
    assert sentences(text) == [text]
    found = extract_candidates(text)
    assert [(c.kind, c.quote) for c in found] == [("quote", quote)]
    assert found[0].claimant in ("Ellis", "Jane Roe")


def test_a_quotation_the_next_paragraph_continues_runs_to_the_end_of_its_paragraph():
    """A quotation of two paragraphs, typed as news copy types it: no closing mark at the first paragraph's
    end, an opening one at the next's. Its words are all of the first paragraph after the mark, and the
    candidate's text holds them, so the triage view shows what was said."""
    text = (
        "Mayor Ana Ruiz said: “We will rebuild the bridge by March. The ferry will run until then.\n"
        "“Tickets stay at two euros,” she added."
    )
    found = extract_candidates(text)
    assert_offsets(text, found)
    first = found[0]
    assert first.claimant == "Ana Ruiz"
    assert first.content == "We will rebuild the bridge by March. The ferry will run until then."
    assert first.text == text.split("\n")[0]
    assert first.start <= first.content_start and first.content_end <= first.end


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Ana Ruiz said: “We will rebuild the bridge by March. The ferry will run until then.\n"
        "The council meets on Monday.",
        "“We will rebuild the bridge by March, and the ferry will run until then, said Mayor Ana Ruiz.\n"
        "The council meets on Monday.",
        "“We will rebuild the bridge by March, and the ferry will run until then, said Mayor Ana Ruiz.",
    ],
)
def test_a_quotation_never_closed_gives_no_content_rather_than_a_guess(text):
    """A closing mark left out: where the quoted words end is not known (a sentence, the paragraph, the
    "…, said X" after them), so the candidate keeps its sentence and speaker but claims no content."""
    found = extract_candidates(text)
    assert_offsets(text, found)
    first_paragraph = [c for c in found if c.start < len(text.split("\n")[0])]
    assert first_paragraph
    assert [c.content for c in first_paragraph] == [None] * len(first_paragraph)


def test_a_closing_mark_after_a_word_still_closes():
    """A closing mark after a word is not read as opening a quotation: the sentences after it are split."""
    text = "He called it “a disgrace.” Ellis said the vote was fair. Nobody objected."
    assert sentences(text) == ["He called it “a disgrace.”", "Ellis said the vote was fair.", "Nobody objected."]


@pytest.mark.parametrize(
    "source,claimant",
    [
        ("Jordan Lee, a team lead", "Jordan Lee"),
        ("Jordan Lee, a team lead at Fabrikam", "Jordan Lee"),
        ("Jordan Lee, 34, a software engineer", "Jordan Lee"),
        ("Marcus Tan, who runs the warehouse", "Marcus Tan"),
    ],
)
def test_a_role_after_a_name_leaves_the_name_as_a_named_claimant(source, claimant):
    """The tagger marked "Jordan Lee, a team lead" as the source: the claimant is the person, typed named, not an
    unnamed source."""
    from tracker.attribution.combine import _from_tagged
    from tracker.attribution.spans import Tagged

    text = f"{source}, said the targets were impossible to meet."
    cue = text.index("said")
    cand = _from_tagged(
        text, Tagged(content=[(cue + 5, len(text) - 1)], cue=(cue, cue + 4), source=(0, len(source))), 0, len(text)
    )
    assert (cand.claimant, cand.claimant_type) == (claimant, "named")
    assert (cand.source_start, cand.source_end) == (0, len(claimant))


def test_an_unnamed_source_with_a_role_stays_anonymous():
    from tracker.attribution.combine import _from_tagged
    from tracker.attribution.spans import Tagged

    text = "A team lead, who asked not to be named, said the targets were impossible to meet."
    cue = text.index("said")
    source = text.index(", who")
    cand = _from_tagged(
        text, Tagged(content=[(cue + 5, len(text) - 1)], cue=(cue, cue + 4), source=(0, source)), 0, len(text)
    )
    assert (cand.claimant, cand.claimant_type) == ("A team lead", "anonymous")


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt in 1999.",
            "Mr. Clarke",
            "Lenox was a juggernaut until it went bankrupt in 1999",
        ),
        (
            "The latest test, North Korea said, was its biggest yet.",
            "North Korea",
            "The latest test was its biggest yet",
        ),
    ],
)
def test_an_attribution_set_inside_its_sentence_gives_the_sentence_around_it_as_content(text, claimant, content):
    """The rules read the speaker of "A, X said, B"; without the tagger's content the claim had no words."""
    from tracker.attribution import rules
    from tracker.attribution.combine import _rule_only

    (rule,) = rules.extract_candidates(text)
    cand = _rule_only(text, rule)
    assert (cand.claimant, cand.content, cand.cue) == (claimant, content, "said")
    assert " ".join(text[a:b] for a, b in cand.content_spans) == content


def test_a_source_of_marks_alone_is_no_claimant():
    """The tagger took the footnote mark of "*Note that …" for the source, and "*" became the claimant."""
    from tracker.attribution.combine import _from_tagged
    from tracker.attribution.spans import Tagged

    text = "*Note that Gold Coins are counted as Treasure for trading purposes."
    cand = _from_tagged(text, Tagged(content=[(10, len(text) - 1)], cue=(1, 5), source=(0, 1)), 0, len(text))
    assert (cand.claimant, cand.claimant_type, cand.source_start) == (None, "unattributed", None)


@pytest.mark.parametrize(
    "second",
    [
        "Tan went on to explain how the targets had been set without the teams.",
        "Later, Tan promised workers that the targets would be dropped.",
    ],
)
def test_a_surname_of_a_person_named_in_the_text_is_a_named_claimant(second):
    """ "Tan" after "Marcus Tan" is a person: one capitalised word alone was read as an organisation's name."""
    (cand,) = extract_candidates(f"The plant was toured by Marcus Tan on Monday.\n\n{second}")
    assert (cand.claimant, cand.claimant_type) == ("Tan", "named")


def test_a_word_opening_a_sentence_before_a_company_name_makes_no_person():
    """ "Multiple Fabrikam employees …" opening a sentence reads like a first name and a surname."""
    text = "Multiple Fabrikam employees described the targets.\n\nLater, Fabrikam promised workers the targets go."
    assert [c.claimant_type for c in extract_candidates(text) if c.claimant == "Fabrikam"] == ["organization"]


def test_a_one_word_organisation_stays_an_organisation():
    (cand,) = [
        c for c in extract_candidates("Marcus Tan left in May. Fabrikam said the plant would close.") if c.claimant
    ]
    assert (cand.claimant, cand.claimant_type) == ("Fabrikam", "organization")


def test_pronoun_resolves_to_the_one_person_named_in_this_or_the_previous_paragraph():
    found = extract_candidates("Daniel Weiss joined Litware in 2020.\n“I never saw a target that made sense,” he said.")
    assert [(c.claimant, c.claimant_type) for c in found] == [("Daniel Weiss", "named")]


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_a_contracted_pronoun_is_resolved_like_the_pronoun(apostrophe):
    """ "She’s always denied the report": "she", never an organisation called "She’s"."""
    text = f"Jane Roe said the deal was fair.\nShe{apostrophe}s always denied the report."
    found = extract_candidates(text)
    assert [(c.kind, c.claimant, c.claimant_type) for c in found][1:] == [("denial", "Jane Roe", "named")]
    [c] = extract_candidates(f"They{apostrophe}ve declined to comment.")
    assert (c.kind, c.claimant, c.claimant_type) == ("no_comment", "they", "unattributed")
    assert extract_candidates(f"I{apostrophe}ve always denied the report.") == []  # the writer's own


def test_pronoun_with_two_candidates_is_left_unresolved():
    found = extract_candidates("Marcus Tan and Priya Nair both attended the meeting. “It was tense,” she said.")
    assert [(c.claimant, c.claimant_type) for c in found] == [("she", "unattributed")]


def test_pronoun_after_two_people_named_together_is_left_unresolved():
    """ "she" after "Jane Roe and Marcus Tan said" was given to both of them."""
    text = "Jane Roe and Marcus Tan said the plan would fail within a year.\n“It was tense,” she said."
    found = extract_candidates(text)
    assert [(c.claimant, c.claimant_type) for c in found] == [
        ("Jane Roe and Marcus Tan", "named"),
        ("she", "unattributed"),
    ]


def test_pronoun_reaches_over_blank_lines_and_boilerplate():
    text = (
        "Daniel Weiss joined Litware in 2020.\n\n"
        "As an affiliate, we earn on qualifying purchases.\n"
        "“I never saw a target that made sense,” he said."
    )
    assert [c.claimant for c in extract_candidates(text)] == ["Daniel Weiss"]


def test_pronoun_does_not_reach_back_two_paragraphs():
    text = "Daniel Weiss joined Litware in 2020.\nThe plant employs 400 people.\n“It was chaos,” he said."
    assert [(c.claimant, c.claimant_type) for c in extract_candidates(text)] == [("he", "unattributed")]


def test_it_said_resolves_to_the_organisation():
    found = extract_candidates("Fabrikam paused the program. It said the pause would last a month.")
    assert [(c.kind, c.claimant, c.claimant_type) for c in found] == [("claim", "Fabrikam", "organization")]


def test_partial_quote_is_a_claim_with_its_quoted_words():
    text = "Contoso insisted its targets were “aspirational, not mandatory.”"
    [c] = extract_candidates(text)
    assert (c.kind, c.claimant, c.quote) == ("claim", "Contoso", "aspirational, not mandatory.")


@pytest.mark.parametrize(
    "line",
    [
        "As an affiliate, we earn on qualifying purchases.",
        "![Photo of the Contoso campus](https://example.com/img/campus.jpg)",
        "Ultra-Slim Wireless Ergonomic Keyboard – Rechargeable Bluetooth Keyboard for Mac, PC & Tablet, Quiet Keys",
        "Sign in | Subscribe | Newsletters",
        "Read more: Contoso says its AI push is working",
        "Why It Matters",
        "TL;DR",
        "What’s Next",
        "Did Contoso know about the fake tasks?",
        "The offer was rejected by the board on Friday.",
        "Shares of Coho Winery fell 8% after the report.",
        "The court dismissed the lawsuit in March.",
        "If Marmorato maintains her lead, she will win the seat.",
        "I ran over to grab the kid, and I recalled the impact.",
        "“An Experimental Study of Diversity with Antivirus Engines”",
        "Updated 3:15 p.m.: Adds comment from Contoso.",
        # headings whose second word is a reporting verb in title case: no one said anything
        "Release Notes",
        "Patch Notes 4.47.4",
        "Police Reports",
        "RECIPE NOTES",
    ],
)
def test_boilerplate_headings_and_questions_give_nothing(line):
    assert extract_candidates(line) == []


# --------------------------------------------------------------------------- sentences and fingerprints


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_split_survives_abbreviations_decimals_and_initials():
    text = (
        "Dr. Grace Okafor of the U.S. Department of Labor said the rules were clear. "
        "Revenue grew 3.5 percent on Jan. 12, Mr. Tan said. J. R. Alvarez, e.g. a director at Contoso Inc., agreed."
    )
    assert sentences(text) == [
        "Dr. Grace Okafor of the U.S. Department of Labor said the rules were clear.",
        "Revenue grew 3.5 percent on Jan. 12, Mr. Tan said.",
        "J. R. Alvarez, e.g. a director at Contoso Inc., agreed.",
    ]


def test_split_ends_a_sentence_after_the_closing_quote():
    text = "Her clients were told to “fill the dashboard.” She said they feared losing their jobs."
    assert sentences(text) == [
        "Her clients were told to “fill the dashboard.”",
        "She said they feared losing their jobs.",
    ]


def test_split_keeps_a_question_inside_a_quotation():
    text = "“Honestly? We guessed,” said a Litware data analyst. Nobody checked."
    assert sentences(text) == ["“Honestly? We guessed,” said a Litware data analyst.", "Nobody checked."]


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_split_ends_a_sentence_after_a_possessive_whatever_the_apostrophe(apostrophe):
    text = f"The contract went to Fabrikam{apostrophe}s. Its rival Contoso{apostrophe}s bid was lower. Nobody objected."
    assert sentences(text) == [
        f"The contract went to Fabrikam{apostrophe}s.",
        f"Its rival Contoso{apostrophe}s bid was lower.",
        "Nobody objected.",
    ]
    # one outlet's straight apostrophes and another's curly ones give the same candidates, as copies
    said = f"The contract went to Fabrikam{apostrophe}s. Contoso said the terms were fair."
    found = extract_candidates(said)
    assert [c.text for c in found] == ["Contoso said the terms were fair."]
    assert [c.fingerprint for c in found] == [c.fingerprint for c in extract_candidates(said.replace("'", "’"))]


def test_split_never_crosses_a_line_and_skips_blank_lines():
    text = "First line without a stop\n\n  Second line. Third one.  \n"
    assert sentences(text) == ["First line without a stop", "Second line.", "Third one."]


def test_fingerprint_matches_the_same_sentence_from_another_outlet():
    a = "“We met every target,” Laura Chen said — in an interview."
    b = '  "we met every target,"   LAURA CHEN said - in an interview.'
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint("“We met no target,” Laura Chen said — in an interview.")
    [c] = extract_candidates(a)
    assert c.fingerprint == fingerprint(a)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t",
        "... !!! ???",
        "“",
        "“We were told to keep going, Hannah Kim said.",
        "”Backwards quotes,“ said Jane Roe.",
        '"Unclosed straight quote, said Marcus Tan. "And another',
        "‘Single ’’ quotes ‘ everywhere’ ’",
        "Contoso confirmed the review on Monday. مرحبا بكم في الموقع. هذا نص تجريبي.",
        "«Nous n’avons rien caché», a déclaré un porte-parole. 公司拒绝置评。 Компания отказалась от комментариев.",
        "<div><p>Contoso said <i>nothing</i></p><script>alert('x')</script></div>",
        "<<<>>> </p> <a href='",
        "\x00\x01\x02 said \ud800 Jane Roe.",
        "Mr. " * 1000,
        "— Anonymous\n— Anonymous\n",
    ],
)
def test_bad_input_gives_candidates_or_none_never_a_crash(text):
    found = extract_candidates(text)
    assert_offsets(text, found)
    split_sentences(text)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "“" * 1_000_000,
        "Mr. A. " * 150_000,
        "said, " * 170_000,
        "<b" * 500_000,
        ("Contoso said the plan works. " * 36_000)[:1_000_000],
    ],
    ids=["letters", "quotes", "abbreviations", "verbs", "tags", "sentences"],
)
def test_a_megabyte_on_one_line_finishes(text):
    """Linear rules: these would hang for minutes with catastrophic backtracking (no timing asserted)."""
    found = extract_candidates(text)
    assert_offsets(text, found[:50])
    assert all(c.end <= len(text) for c in found)


def test_not_a_string_gives_nothing():
    assert extract_candidates(None) == []


# --------------------------------------------------------------------------- CLI


def test_cli_extract_claims_prints_json_lines_for_text_and_html(tmp_path):
    txt = tmp_path / "story.txt"
    txt.write_text("Fabrikam denied the report.\nAs an affiliate, we earn on qualifying purchases.\n", "utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html><head><title>Test</title></head><body><article><h1>Review</h1>"
        "<p>Contoso declined to comment on the audit, which covered three years of records.</p>"
        "<p>“We stand by the numbers,” said Jane Roe, who led the audit team for the union.</p>"
        "</article></body></html>",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["extract-claims", str(txt), str(page)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["file"], r["kind"], r["claimant"]) for r in records] == [
        (str(txt), "denial", "Fabrikam"),
        (str(page), "no_comment", "Contoso"),
        (str(page), "quote", "Jane Roe"),
    ]
    assert set(records[0]) == {
        "file", "kind", "text", "quote", "claimant", "claimant_type", "start", "end", "content", "content_start",
        "content_end", "content_spans", "cue", "cue_start", "cue_end", "source_start", "source_end",
    }  # fmt: skip
    assert txt.read_text("utf-8")[records[0]["start"] : records[0]["end"]] == records[0]["text"]


def test_cli_extract_claims_reads_a_long_text_up_to_the_limit_and_says_so(tmp_path, monkeypatch):
    """Past attribution.MAX_TEXT_CHARS a text's first part is read (cut at a paragraph break): its candidates
    are printed and one line on standard error says how much was read. Not a failure: exit status 0."""
    monkeypatch.setattr(attribution, "MAX_TEXT_CHARS", 100)
    long = tmp_path / "report.txt"
    text = "Fabrikam denied the report on Monday.\n" + "\n".join(f"Contoso said depot {i} will open." for i in range(9))
    long.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["extract-claims", str(long)])
    assert result.exit_code == 0, result.output
    read = text.rfind("\n", 0, 100)
    notes = [line for line in result.stderr.splitlines() if line.strip()]
    assert notes == [
        f"Note: {long}: only the first {read:,} of {len(text):,} characters were read for candidates: "
        "split the document."
    ]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(r["end"] <= read for r in records)
    assert records[0]["claimant"] == "Fabrikam"


def test_cli_extract_claims_reports_missing_and_binary_files_and_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Contoso declined to comment.", "utf-8")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["extract-claims", str(missing), str(binary), str(good)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 2 and str(missing) in errors[0] and str(binary) in errors[1]
    [record] = [json.loads(line) for line in lines if not line.startswith("Error:")]
    assert (record["file"], record["kind"]) == (str(good), "no_comment")


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            "The ferry will stop running for a month, the port operations office said on Monday.",
            "the port operations office",
            "The ferry will stop running for a month",
        ),
        (
            "The library will reopen after the holidays, the county parks department said Thursday.",
            "the county parks department",
            "The library will reopen after the holidays",
        ),
        (
            "The road will stay closed until spring, the state highway agency said last week.",
            "the state highway agency",
            "The road will stay closed until spring",
        ),
    ],
)
def test_an_attribution_closing_a_sentence_before_a_time_phrase_has_its_cue_and_content(text, claimant, content):
    """ "…, the county traffic office said on Friday.": the speaker was found but no cue and no words, and such a
    candidate looked as certain as any; the time phrase after the cue is no reason to lose them."""
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.cue, cand.content) == (claimant, "said", content)
    assert text[cand.cue_start : cand.cue_end] == "said"


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            "According to a harbor authority engineer, the pier had been flagged for rust in its pilings.",
            "a harbor authority engineer",
            "the pier had been flagged for rust in its pilings",
        ),
        (
            "According to two parents at the school, families were told about the leak in the roof.",
            "two parents at the school",
            "families were told about the leak in the roof",
        ),
        (
            "According to the Greenvale water board, residents were warned twice about the boil notice.",
            "the Greenvale water board",
            "residents were warned twice about the boil notice",
        ),
        (
            "According to Lena Ortiz, an engineer for the port, the crane had been inspected in May.",
            "Lena Ortiz",
            "the crane had been inspected in May",
        ),
        (
            "According to the audit, which the council released on Monday, the fund ran short in March.",
            "the audit",
            "the fund ran short in March",
        ),
        (
            "According to the port authority, the new crane, the largest on the coast, will arrive in May.",
            "the port authority",
            "the new crane, the largest on the coast, will arrive in May",
        ),
        (
            "According to Fabrikam’s chief executive, Jane Roe, the plant will close in June.",
            "Jane Roe",
            "the plant will close in June",
        ),
        (
            "According to a lawyer for the union, Tom Hale, the strike will go on.",
            "Tom Hale",
            "the strike will go on",
        ),
        (
            "According to police, Tom Hale, 45, was arrested at the quay on Monday.",
            "police",
            "Tom Hale, 45, was arrested at the quay on Monday",
        ),
        (
            "According to the union’s lawyer, Tom Hale was never paid for the overtime.",
            "the union’s lawyer",
            "Tom Hale was never paid for the overtime",
        ),
    ],
)
def test_according_to_opening_a_sentence_is_the_cue_and_the_rest_is_the_content(text, claimant, content):
    """ "According to X, the city had been warned about …": the verb of the rest is part of what X said, not the
    cue, and X is who said it."""
    (cand,) = extract_candidates(text)
    assert (cand.cue, cand.claimant, cand.content) == ("According to", claimant, content)
    assert text[cand.cue_start : cand.cue_end] == "According to"


@pytest.mark.parametrize(
    "text,claimant,cue",
    [
        (
            "The clinic will open on weekends, the health authority told reporters on Wednesday.",
            "the health authority",
            "told",
        ),
        ("The Northfield transit agency declined to comment.", "The Northfield transit agency", "declined to comment"),
        (
            "The shelter is already full, the Brightwater housing office said Tuesday.",
            "the Brightwater housing office",
            "said",
        ),
        ("The county water board on Monday denied the reports.", "The county water board", "denied"),
    ],
)
def test_a_rule_candidate_without_the_tagger_still_shows_its_cue(text, claimant, cue):
    """A candidate the rules alone read named its speaker but no cue, so nothing showed why it was an attribution."""
    from tracker.attribution import rules
    from tracker.attribution.combine import _rule_only

    (rule,) = rules.extract_candidates(text)
    cand = _rule_only(text, rule)
    assert (cand.claimant, cand.cue) == (claimant, cue)
    assert text[cand.cue_start : cand.cue_end] == cue


@pytest.mark.parametrize(
    "text,cue",
    [
        ("„Die Brücke ist marode“, sagte ein Ingenieur der Stadt.", "sagte"),
        ("„Der Hafen bleibt bis Juni geschlossen“, sagte eine Sprecherin der Stadt.", "sagte"),
    ],
)
def test_a_candidate_whose_cue_the_tagger_missed_takes_the_reporting_verb_beside_its_speaker(text, cue):
    """The tagger, trained on English, found the words and the speaker of "„…“, sagte …" but no cue."""
    (cand,) = extract_candidates(text)
    assert cand.cue == cue
    assert text[cand.cue_start : cand.cue_end] == cue


# --------------------------------------------------------------------------- edges seen in triage

_RUIZ = "Mayor Ana Ruiz met the harbour board on Friday. "


@pytest.mark.parametrize(
    "text,claimant,claimant_type",
    [
        # the speaker after the verb, with a title before the name (the title is no part of the claimant)
        ("The ferry will not sail on Sunday, said Mayor Ana Ruiz.", "Ana Ruiz", "named"),
        ("The ferry will not sail on Sunday, said President Ana Ruiz.", "Ana Ruiz", "named"),
        ("The ferry will not sail on Sunday, said Foreign Minister Ana Ruiz.", "Ana Ruiz", "named"),
        ("The ferry will not sail on Sunday, said Chief Executive Ana Ruiz.", "Ana Ruiz", "named"),
        ("The ferry will not sail on Sunday, said Dr. Ana Ruiz.", "Dr. Ana Ruiz", "named"),
        ("The ferry will not sail on Sunday, said Mayor Ana Ruiz on Tuesday.", "Ana Ruiz", "named"),
        # a relative clause or a role after the name
        (_RUIZ + "The ferry will not sail on Sunday, said Ruiz, who chairs the board.", "Ruiz", "named"),
        ("The ferry will not sail on Sunday, said Ana Ruiz, 54, a harbour pilot.", "Ana Ruiz", "named"),
        # an unnamed speaker keeps the type it has before the verb
        ("The ferry will not sail on Sunday, said the mayor.", "the mayor", "organization"),
        ("The ferry will not sail on Sunday, said a council spokesperson.", "a council spokesperson", "organization"),
        ("The ferry will not sail on Sunday, said a board member.", "a board member", "anonymous"),
        # the forms with the speaker first, for comparison
        (_RUIZ + "The ferry will not sail on Sunday, Ruiz said.", "Ruiz", "named"),
        ("The ferry will not sail on Sunday, the mayor said.", "the mayor", "organization"),
        ("The ferry will not sail on Sunday, Mayor Ana Ruiz said.", "Ana Ruiz", "named"),
    ],
)
def test_an_attribution_closing_a_sentence_without_quotation_marks_names_its_speaker(text, claimant, claimant_type):
    """ "…, said Mayor Ana Ruiz." gave no speaker from the rules, and the tagger took the name for what was said."""
    ruled = [c for c in rules.extract_candidates(text) if "ferry" in c.text]
    assert [(c.claimant, c.claimant_type) for c in ruled] == [(claimant, claimant_type)]
    found = [c for c in extract_candidates(text) if "ferry" in c.text]
    assert [(c.claimant, c.claimant_type, c.cue, c.content) for c in found] == [
        (claimant, claimant_type, "said", "The ferry will not sail on Sunday")
    ]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "inverted,speaker_first",
    [
        ("The harbour was closed, admitted Tom Hale.", "The harbour was closed, Tom Hale admitted."),
        ("The harbour was closed, acknowledged the mayor.", "The harbour was closed, the mayor acknowledged."),
        ("The harbour was closed, confirmed a spokeswoman.", "The harbour was closed, a spokeswoman confirmed."),
        ("The harbour was closed, claimed Tom Hale.", "The harbour was closed, Tom Hale claimed."),
        ("The harbour was closed, announced the council.", "The harbour was closed, the council announced."),
        ("The harbour was closed, reported the Ledger.", "The harbour was closed, the Ledger reported."),
        ("The harbour was closed, complained Tom Hale.", "The harbour was closed, Tom Hale complained."),
        ("The harbour will close in May, predicted Tom Hale.", "The harbour will close in May, Tom Hale predicted."),
        ("The harbour was closed, conceded the mayor.", "The harbour was closed, the mayor conceded."),
        ("The harbour was closed, insisted the mayor.", "The harbour was closed, the mayor insisted."),
        ("The harbour was closed, added a spokeswoman.", "The harbour was closed, a spokeswoman added."),
    ],
)
def test_an_attribution_closing_a_sentence_with_another_verb_reads_as_with_the_speaker_first(inverted, speaker_first):
    """ "…, admitted Tom Hale." gave no candidate at all: only some verbs were read after the comma. Inverted or
    not, the sentence has the same kind, speaker, cue and content."""

    def read(text: str) -> list[tuple]:
        found = extract_candidates(text)
        assert_offsets(text, found)
        return [(c.kind, c.claimant, c.claimant_type, c.cue, c.content) for c in found]

    assert read(inverted) == read(speaker_first)
    assert len(read(inverted)) == 1


@pytest.mark.parametrize(
    "closing",
    ["insisted the mayor", "admitted Tom Hale", "acknowledged a spokeswoman", "said Tom Hale", "Tom Hale admitted"],
)
def test_a_quotation_in_a_paragraph_of_its_own_is_what_was_said_without_the_verb_after_it(closing):
    """ "“The harbour was closed on Monday,” insisted the mayor." as a paragraph of its own had the content "The
    harbour was closed on Monday insisted the mayor": the tagger read the verb and the speaker as more of it."""
    text = f"The ferry sails at noon.\n“The harbour was closed on Monday,” {closing}.\nThe council met on Tuesday."
    found = extract_candidates(text)
    assert [c.content for c in found] == ["The harbour was closed on Monday"]
    assert found[0].cue in closing and found[0].claimant in closing
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text",
    [
        "The crew checked the hull, admitted the mistake and left.",
        "The crew checked the hull, reported the damage and left.",
        "The crew checked the hull, announced the closure.",
        "The storm flooded the quay, claimed the lives of two sailors.",
        "The quay was shut for a week, confirmed by Fabrikam.",
        "The crew checked the hull, added Tuesday’s readings and left.",
        "The ferry will not sail on Sunday, said to be the first time in a decade.",
    ],
)
def test_a_verb_after_a_comma_with_no_speaker_after_it_names_nobody(text):
    assert [c.claimant for c in extract_candidates(text) if c.claimant] == []


@pytest.mark.parametrize(
    "text",
    [
        "Further repairs are expected as inspections go on, and harbour staff will monitor whether the ferry can sail.",
        "Moreover repairs are expected as inspections go on, and the ferry may stay in port.",
        "However repairs are expected to last until spring, and the ferry may stay in port.",
        "Meanwhile repairs are expected to last until spring, and the ferry may stay in port.",
        "Additionally repairs are expected to last until spring, and the ferry may stay in port.",
        "Separately repairs are expected to last until spring, and the ferry may stay in port.",
        "Furthermore fares are expected to rise in May.",
        "Zudem sagte sie, die Fähre bleibe bis zum Frühjahr im Hafen.",
        "Außerdem sagte er, die Fähre bleibe bis zum Frühjahr im Hafen.",
        "Cependant elle a déclaré que le bac restera au port jusqu’au printemps.",
        "Además dijo que el ferry no saldrá hasta la primavera.",
    ],
)
def test_a_sentence_adverb_is_never_a_claimant(text):
    """ "Further disclosures are expected …" in the bundled story gave the claimant "Further", typed organization."""
    adverb = text.split()[0].lower()
    for found in (rules.extract_candidates(text), extract_candidates(text)):
        assert all(adverb not in (c.claimant or "").lower().split() for c in found), found


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Zudem sagte die Regierung, die Fähre bleibe bis zum Frühjahr im Hafen.", "die Regierung"),
        ("Außerdem sagte Anna Weber, die Fähre bleibe bis zum Frühjahr im Hafen.", "Anna Weber"),
        ("Further, the harbour office said the ferry would stay in port.", "the harbour office"),
        ("Moreover, Ana Ruiz said the ferry would stay in port until spring.", "Ana Ruiz"),
    ],
)
def test_the_speaker_after_a_sentence_adverb_is_the_claimant(text, claimant):
    assert [c.claimant for c in extract_candidates(text)] == [claimant]


def _unmatched_marks(content: str) -> bool:
    return content.count("“") != content.count("”") or content.count('"') % 2 == 1


@pytest.mark.parametrize(
    "text,content",
    [
        (
            "Mayor Ana Ruiz promised the council would “rebuild every dock,” adding that the work would start in May.",
            "the council would rebuild every dock",
        ),
        (
            "The city would “rebuild the pier and reopen the ferry,” Ruiz said, “before the summer.”",
            "The city would rebuild the pier and reopen the ferry before the summer.",
        ),
        ("Ana Ruiz said the city would “rebuild the pier by spring.", "the city would rebuild the pier by spring"),
        ('Ana Ruiz said the city would "rebuild the pier by spring.', "the city would rebuild the pier by spring"),
        # a quotation inside the content keeps both its marks
        ("Ana Ruiz said the city would “rebuild the pier” by spring.", "the city would “rebuild the pier” by spring"),
    ],
)
def test_a_claims_content_carries_no_quotation_mark_without_its_partner(text, content):
    """'would “rebuild every dock': the content ended where the quotation closed, without its closing mark."""
    found = [c for c in extract_candidates(text) if c.content and "rebuild" in c.content]
    assert [c.content for c in found] == [content]
    assert not _unmatched_marks(found[0].content)
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,claimant,claimant_type",
    [
        (
            "The pier will close for repairs, said council engineer Maria Lopez at a press conference.",
            "Maria Lopez",
            "named",
        ),
        (
            "“The pier will close for repairs,” said council engineer Maria Lopez at a press conference.",
            "Maria Lopez",
            "named",
        ),
        ("“The pier reopens in May,” said Tom Hale in an interview with the Harbour Ledger.", "Tom Hale", "named"),
        ("“The pier reopens in May,” said Tom Hale on Twitter.", "Tom Hale", "named"),
        ("“The pier reopens in May,” said Tom Hale on Tuesday.", "Tom Hale", "named"),
        ("“The pier reopens in May,” said a board member during a hearing last week.", "a board member", "anonymous"),
        (
            "“The pier reopens in May,” said a council spokesperson in a statement.",
            "a council spokesperson",
            "organization",
        ),
        ("„Der Steg bleibt bis Mai zu“, sagte Anna Weber bei einer Pressekonferenz.", "Anna Weber", "named"),
        ("„Der Steg bleibt bis Mai zu“, sagte Anna Weber am Dienstag.", "Anna Weber", "named"),
        (
            "« Le quai restera fermé jusqu’en mai », a déclaré Jean Dupont lors d’une conférence de presse.",
            "Jean Dupont",
            "named",
        ),
        ("«El muelle seguirá cerrado hasta mayo», dijo Ana Ruiz en una rueda de prensa.", "Ana Ruiz", "named"),
        # where the speaker works is part of who they are, not when or where they spoke
        ("“The pier reopens in May,” said a spokesman at the ministry.", "a spokesman at the ministry", "organization"),
    ],
)
def test_when_or_where_it_was_said_is_not_part_of_the_claimant(text, claimant, claimant_type):
    """ "…, said council engineer Maria Lopez at a press conference." was listed as said by "council engineer
    Maria Lopez at a press conference": the occasion is when or where she spoke, not who she is."""
    found = [c for c in extract_candidates(text) if c.claimant]
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, claimant_type)]
    assert text[found[0].source_start : found[0].source_end] == claimant


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Sen. Tom Hale said the pier would reopen in May.", "Tom Hale"),
        ("Gov. Ana Ruiz said the pier would reopen in May.", "Ana Ruiz"),
        ("Rep. Ana Ruiz said the pier would reopen in May.", "Ana Ruiz"),
        ("Gen. Tom Hale said the pier would reopen in May.", "Tom Hale"),
        ("Mayor Ana Ruiz said the pier would reopen in May.", "Ana Ruiz"),
        ("The pier will not reopen before May, said Sen. Tom Hale.", "Tom Hale"),
        # an honorific is how the person is addressed, not an office: it stays, as "Ms. Ruiz" would
        ("Dr. Ana Ruiz said the pier would reopen in May.", "Dr. Ana Ruiz"),
        ("Prof. Tom Hale said the pier would reopen in May.", "Prof. Tom Hale"),
    ],
)
def test_an_office_before_a_name_is_left_out_whether_abbreviated_or_not(text, claimant):
    """ "Sen. Tom Hale" kept the title while "Mayor Ana Ruiz" lost it: the list had "sen." with its full stop,
    and the lookup strips it."""
    found = [c for c in extract_candidates(text) if c.claimant]
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, "named")]


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Die Fähre fährt am Sonntag nicht, sagte Bürgermeisterin Anna Weber.", "Anna Weber"),
        ("„Die Fähre fährt am Sonntag nicht“, sagte Bürgermeister Jan Weber am Dienstag.", "Jan Weber"),
        ("Die Fähre fährt am Sonntag nicht, sagte Ministerin Anna Weber.", "Anna Weber"),
        ("Die Fähre fährt am Sonntag nicht, sagte Kanzlerin Anna Weber.", "Anna Weber"),
        ("Die Fähre fährt am Sonntag nicht, sagte Staatssekretär Jan Weber.", "Jan Weber"),
        ("Die Fähre fährt am Sonntag nicht, sagte Landrätin Anna Weber.", "Anna Weber"),
        ("Die Fähre fährt am Sonntag nicht, sagte Abgeordneter Jan Weber.", "Jan Weber"),
        ("Die Fähre fährt am Sonntag nicht, sagte Senatorin Anna Weber.", "Anna Weber"),
        ("Bürgermeisterin Anna Weber sagte, die Fähre fahre am Sonntag nicht.", "Anna Weber"),
        ("Le bac ne partira pas dimanche, a déclaré la maire Anne Leroy.", "Anne Leroy"),
        ("« Le bac ne partira pas dimanche », a déclaré le ministre Jean Dupont.", "Jean Dupont"),
        ("Le bac ne partira pas dimanche, a déclaré la Ministre Anne Leroy.", "Anne Leroy"),
        ("Le Ministre Jean Dupont a déclaré que le bac ne partira pas dimanche.", "Jean Dupont"),
        ("El ferry no saldrá el domingo, dijo la alcaldesa Ana Ruiz en una rueda de prensa.", "Ana Ruiz"),
        ("El ferry no saldrá el domingo, dijo la Alcaldesa Ana Ruiz.", "Ana Ruiz"),
        ("El ferry no saldrá el domingo, dijo el Presidente Juan Pérez.", "Juan Pérez"),
        # a surname that is also an office stays a name
        ("Le bac ne partira pas dimanche, a déclaré Bruno Le Maire.", "Bruno Le Maire"),
    ],
)
def test_an_office_before_a_name_is_left_out_in_german_french_and_spanish(text, claimant):
    """ "sagte Bürgermeisterin Anna Weber" was said by "Bürgermeisterin Anna Weber", and "dijo la Alcaldesa Ana
    Ruiz" by "la Alcaldesa Ana Ruiz": the English offices were the only ones known."""
    found = [c for c in extract_candidates(text) if c.claimant]
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, "named")]
    assert text[found[0].source_start : found[0].source_end] == claimant


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("The ferry will not sail on Sunday, said the mayor.", "the mayor"),
        ("Die Fähre fährt am Sonntag nicht, sagte die Bürgermeisterin.", "die Bürgermeisterin"),
        ("Le bac ne partira pas dimanche, a déclaré la ministre.", "la ministre"),
        ("Le bac ne partira pas dimanche, a indiqué le maire.", "le maire"),
        ("« Le bac ne partira pas dimanche », a déclaré le préfet.", "le préfet"),
        ("El ferry no zarpará el domingo, dijo la alcaldesa.", "la alcaldesa"),
        ("El ferry no zarpará el domingo, afirmó el ministro.", "el ministro"),
        ("«El ferry no zarpará el domingo», dijo el gobernador.", "el gobernador"),
    ],
)
def test_an_office_without_a_name_after_the_verb_speaks_for_the_office(text, claimant):
    """ "a déclaré la ministre" and "dijo la alcaldesa" gave no candidate at all; they are typed as "the mayor"
    and "die Bürgermeisterin" are."""
    found = [c for c in extract_candidates(text) if c.claimant]
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, "organization")]
    assert text[found[0].source_start : found[0].source_end] == claimant


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        ("Le bac ne partira pas dimanche, a déclaré la ministre.", "la ministre", "Le bac ne partira pas dimanche"),
        ("Le bac ne partira pas dimanche, a déclaré Anne Leroy.", "Anne Leroy", "Le bac ne partira pas dimanche"),
        ("El ferry no zarpará el domingo, dijo la alcaldesa.", "la alcaldesa", "El ferry no zarpará el domingo"),
        (
            "El ferry no zarpará el domingo, afirmó el ministro en una rueda de prensa.",
            "el ministro",
            "El ferry no zarpará el domingo",
        ),
        (
            "Die Fähre fährt am Sonntag nicht, sagte die Bürgermeisterin.",
            "die Bürgermeisterin",
            "Die Fähre fährt am Sonntag nicht",
        ),
    ],
)
def test_a_closing_inversion_in_german_french_or_spanish_has_its_content(text, claimant, content):
    """ "The ferry will not sail on Sunday, said the mayor." had its content; "…, dijo la alcaldesa." had none."""
    found = [c for c in extract_candidates(text) if c.claimant]
    assert [(c.claimant, c.content) for c in found] == [(claimant, content)]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Die Fähre fährt am Sonntag nicht, sagte eine Sprecherin dem Blatt.", "eine Sprecherin"),
        ("Die Fähre fährt am Sonntag nicht, sagte Anna Weber gegenüber dem Blatt.", "Anna Weber"),
    ],
)
def test_whom_a_closing_inversion_was_told_to_is_no_part_of_the_speaker(text, claimant):
    assert [c.claimant for c in extract_candidates(text) if c.claimant] == [claimant]


@pytest.mark.parametrize(
    "occasion",
    [
        "on Twitter",
        "in a statement",
        "at a press conference",
        "on Tuesday",
        "in an interview with the Ledger",
        "in a statement to the Harbour Ledger",
    ],
)
def test_when_or_where_between_the_verb_and_that_leaves_the_content_whole(occasion):
    """ "Tom Hale said in an interview with the Ledger that …" had the content "the Ledger that …": the outlet
    the interview was given to was read as part of what was said."""
    text = f"Tom Hale said {occasion} that the ferry would not sail."
    found = extract_candidates(text)
    assert [(c.claimant, c.content) for c in found] == [("Tom Hale", "that the ferry would not sail")]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,first,second",
    [
        (
            "The ferry will not sail on Sunday, said Gov. Ana Ruiz, adding that the ferry would sail on Monday.",
            "The ferry will not sail on Sunday",
            "that the ferry would sail on Monday",
        ),
        (
            "The pier will stay shut until May, the harbour board said, adding that repairs had begun.",
            "The pier will stay shut until May",
            "that repairs had begun",
        ),
    ],
)
def test_adding_after_an_attribution_is_the_same_speakers_second_claim(text, first, second):
    """ "…, said Gov. Ana Ruiz, adding that …": the second clause had no speaker; it is the same speaker's."""
    found = extract_candidates(text)
    assert [c.content for c in found] == [first, second]
    assert len({(c.claimant, c.claimant_type, c.source_start) for c in found}) == 1
    assert found[0].claimant in ("Ana Ruiz", "the harbour board")


def test_it_is_resolved_to_an_organisation_only_as_the_subject_of_a_reporting_verb():
    """ "For the broader industry, it underscores …" in the bundled story was listed as Amazon's: "it" there is
    the situation, not the company. "It said" and "it denied" are still the company's."""
    text = (
        "Fabrikam said on Monday that the pilot scheme was paused.\n"
        "For the wider sector, it underscores how quickly plans can change and how little is known.\n"
        "It denied that the scheme had failed."
    )
    found = extract_candidates(text)
    assert all(c.claimant != "Fabrikam" for c in found if "underscores" in c.text)
    assert [c.claimant for c in found if c.text.startswith("It denied")] == ["Fabrikam"]


def test_a_pronoun_speaker_is_found_as_a_word_not_inside_one():
    """ "The average weekly fee, it says, …": the speaker "it" was placed inside "benefit" before it, so the
    check that "it" is the subject of "says" failed and the company was lost."""
    text = "The Fabrikam team says the scheme would cover new parents.\nThe weekly benefit, it says, would be $300."
    found = extract_candidates(text)
    second = found[-1]
    assert (second.claimant, second.claimant_type) == ("The Fabrikam team", "organization")
    assert text[second.source_start : second.source_end] == "it"


@pytest.mark.parametrize(
    "text,claimant,cue,content",
    [
        (
            "Ana Ruiz said on Tuesday that the ferry will resume service on Monday.",
            "Ana Ruiz",
            "said",
            "that the ferry will resume service on Monday",
        ),
        (
            "Ana Ruiz said at a press conference on Tuesday that the ferry will resume service on Monday.",
            "Ana Ruiz",
            "said",
            "that the ferry will resume service on Monday",
        ),
        (
            "Tom Hale told the Harbour Ledger that the ferry will resume service on Monday.",
            "Tom Hale",
            "told",
            "that the ferry will resume service on Monday",
        ),
        (
            "Anna Weber sagte, dass die Brücke bis Mai gesperrt bleibe.",
            "Anna Weber",
            "sagte",
            "dass die Brücke bis Mai gesperrt bleibe",
        ),
        (
            "Anne Leroy a déclaré que le pont restera fermé jusqu’en mai.",
            "Anne Leroy",
            "a déclaré",
            "que le pont restera fermé jusqu’en mai",
        ),
        (
            "Anne Leroy a affirmé mardi qu’il n’y aurait aucun report.",
            "Anne Leroy",
            "a affirmé",
            "qu’il n’y aurait aucun report",
        ),
        (
            "Ana Ruiz dijo que el puente seguirá cerrado hasta mayo.",
            "Ana Ruiz",
            "dijo",
            "que el puente seguirá cerrado hasta mayo",
        ),
    ],
)
def test_a_that_clause_after_the_reporting_verb_is_the_content(text, claimant, cue, content):
    """ "Ana Ruiz said on Tuesday that …" and "Anne Leroy a déclaré que …" named the speaker and showed no words:
    the tagger tagged no content. The clause the verb introduces (that, dass, que) is what was said."""
    found = extract_candidates(text)
    assert [(c.claimant, c.cue, c.content) for c in found] == [(claimant, cue, content)]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text",
    [
        "Ana Ruiz dijo algo sobre el puente que el consejo aprobó.",
        "Anne Leroy a déclaré la fermeture du pont que le conseil a votée.",
    ],
)
def test_a_that_clause_the_reporting_verb_does_not_introduce_is_not_the_content(text):
    """ "que" after the verb's object is a relative clause, not what was said."""
    assert [c.content for c in extract_candidates(text)] == [None]


@pytest.mark.parametrize(
    "text,cue",
    [
        ("The ferry will resume service on Monday, the county said in a statement.", "said"),
        ("Tom Hale said in an interview with the Harbour Ledger that the ferry would not sail.", "said"),
        ("Tom Hale said at a press conference on Tuesday that the ferry would not sail.", "said"),
        ("The pier will stay shut until May, the harbour board said on Twitter last week.", "said"),
    ],
)
def test_the_cue_is_the_reporting_words_without_when_or_where_they_were_said(text, cue):
    """ "said in an interview with the Harbour Ledger" was the cue: the occasion is neither cue nor content."""
    found = [c for c in extract_candidates(text) if c.content]
    assert [c.cue for c in found] == [cue]
    assert all(text[c.cue_start : c.cue_end] == c.cue for c in found)


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            "Die Fähre fährt am Sonntag nicht, sagte eine Sprecherin dem Blatt.",
            "eine Sprecherin",
            "Die Fähre fährt am Sonntag nicht",
        ),
        (
            "Die Fähre fährt am Sonntag nicht, sagte Anna Weber der Zeitung am Dienstag.",
            "Anna Weber",
            "Die Fähre fährt am Sonntag nicht",
        ),
        (
            "Anna Weber leitet das Hafenamt.\nDie Fähre fährt am Sonntag nicht, sagte sie der Zeitung.",
            "Anna Weber",
            "Die Fähre fährt am Sonntag nicht",
        ),
        (
            "Tom Berger leitet das Hafenamt. Die Fähre fährt am Sonntag nicht, sagte er.",
            "Tom Berger",
            "Die Fähre fährt am Sonntag nicht",
        ),
        (
            "„Die Fähre fährt am Sonntag nicht“, erklärte er gegenüber dem Sender.",
            "er",
            "Die Fähre fährt am Sonntag nicht",
        ),
        ("Die Fähre fährt am Sonntag nicht, sagte er dem Sender.", "er", "Die Fähre fährt am Sonntag nicht"),
        ("El ferry no zarpará el domingo, dijo Ana Ruiz a la prensa.", "Ana Ruiz", "El ferry no zarpará el domingo"),
    ],
)
def test_a_german_speaker_after_the_verb_is_not_whom_it_was_told(text, claimant, content):
    """ "…, sagte er der Zeitung." named "er der Zeitung", "…, sagte eine Sprecherin dem Blatt." had no content and
    "…, sagte er." gave no candidate: whom it was told is neither speaker nor content, and "er" / "sie" after the
    verb is the speaker, resolved as "he" / "she" are."""
    found = [c for c in extract_candidates(text) if c.content]
    assert [(c.claimant, c.content) for c in found] == [(claimant, content)]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,claimant,claimant_type",
    [
        ("Le pont restera fermé jusqu’en mai, ont déclaré les responsables.", "les responsables", "anonymous"),
        ("Le pont restera fermé jusqu’en mai, a indiqué l’avocate du port.", "l’avocate du port", "anonymous"),
        ("Le pont restera fermé jusqu’en mai, a déclaré l’entreprise.", "l’entreprise", "organization"),
        ("El puente seguirá cerrado hasta mayo, dijeron los funcionarios.", "los funcionarios", "anonymous"),
        ("El puente seguirá cerrado hasta mayo, afirmaron las autoridades.", "las autoridades", "organization"),
        ("Die Brücke bleibt bis Mai gesperrt, sagten die Mitarbeiter.", "die Mitarbeiter", "anonymous"),
        (
            "Le pont restera fermé jusqu’en mai, ont dit les habitants du quartier.",
            "les habitants du quartier",
            "anonymous",
        ),
    ],
)
def test_a_plural_or_elided_article_before_a_role_after_the_verb_is_the_speaker(text, claimant, claimant_type):
    """ "…, ont déclaré les responsables.", "…, dijeron los funcionarios." and "…, a déclaré l’entreprise." gave no
    candidate: a plural verb, a plural article or an elided one was not read as an attribution."""
    found = [c for c in extract_candidates(text) if c.claimant]
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, claimant_type)]
    assert found[0].content == text.split(",")[0]
    assert_offsets(text, found)


def test_an_elided_word_after_the_verb_that_names_no_one_is_no_speaker():
    text = "Le pont restera fermé jusqu’en mai, a déclaré l’an dernier le maire."
    assert all("l’an" not in (c.claimant or "") for c in extract_candidates(text))


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            "Anne Leroy dirige le port.\nLe pont restera fermé jusqu’en mai, a-t-elle déclaré.",
            "Anne Leroy",
            "Le pont restera fermé jusqu’en mai",
        ),
        (
            "Jean Morel dirige le port. « Le pont restera fermé jusqu’en mai », a-t-il ajouté mardi.",
            "Jean Morel",
            "Le pont restera fermé jusqu’en mai",
        ),
        ("Le pont restera fermé jusqu’en mai, a-t-il précisé.", "il", "Le pont restera fermé jusqu’en mai"),
    ],
)
def test_a_french_pronoun_inverted_into_the_verb_is_the_speaker(text, claimant, content):
    """ "…, a-t-elle déclaré." gave no candidate: "elle" / "il" inside the verb is the speaker, resolved as "she" /
    "he" are."""
    found = [c for c in extract_candidates(text) if c.content]
    assert [(c.claimant, c.content) for c in found] == [(claimant, content)]
    assert_offsets(text, found)


def test_il_y_a_after_a_french_verb_is_no_speaker():
    text = "Le pont restera fermé jusqu’en mai, a déclaré il y a deux jours le préfet."
    assert all(c.claimant != "il" for c in extract_candidates(text))


def test_sie_after_a_plural_german_verb_is_not_the_last_named_person():
    """ "„…“, erklärten sie." is "they": it was given to the one person named before."""
    text = "Anna Weber leitet das Amt. „Die Brücke bleibt bis Mai gesperrt“, erklärten sie."
    assert all(c.claimant != "Anna Weber" for c in extract_candidates(text) if "erklärten" in c.text)


def test_que_after_a_verb_closing_a_sentence_is_what_was_said_not_its_speaker():
    text = "El puente seguirá cerrado hasta mayo, afirmó el año pasado que no habría retrasos."
    assert all(not (c.claimant or "").startswith("el año") for c in extract_candidates(text))


@pytest.mark.parametrize(
    "text,pronoun",
    [
        (
            "Ana Ruiz said the ferry would sail on Monday. Later that day Tom Hale arrived at the quay. "
            "He said the ferry would not sail.",
            "He",
        ),
        (
            "“The ferry will sail,” said Ana Ruiz. The harbour master, Tom Hale, walked the quay on Tuesday. "
            "“It will not,” he said.",
            "he",
        ),
    ],
)
def test_a_pronoun_is_not_given_to_the_last_speaker_past_another_person_named_since(text, pronoun):
    """ "He said …" went to Ana Ruiz, the last person who spoke, though Tom Hale was named between her words and
    the pronoun: two people it may stand for, so it stays the pronoun."""
    found = extract_candidates(text)
    last = found[-1]
    assert (last.claimant, last.claimant_type) == (pronoun.lower(), "unattributed")
    assert text[last.source_start : last.source_end] == pronoun


@pytest.mark.parametrize(
    "text",
    [
        "Ana Ruiz said the ferry would sail on Monday. “Tom Hale is wrong about the tides,” she said.",
        "Ana Ruiz said the ferry would sail on Monday. Ruiz spoke at the quay. She said the crossing was safe.",
        "Ana Ruiz, a fellow at the Institute for International Economics, said the tariffs would fail. "
        "She said the talks would resume.",
        "Ana Ruiz said the tariffs would fail. She helped shape the Fair Sentencing Act of 2010, and she said the "
        "talks would resume.",
    ],
)
def test_a_pronoun_still_goes_to_the_last_speaker_when_only_she_or_her_words_name_someone(text):
    """A name inside a quotation is what was said, not someone the narration moved on to; the speaker's own
    surname is the same person; a name after a preposition or an article is where she works or what she did."""
    assert extract_candidates(text)[-1].claimant == "Ana Ruiz"


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            "Anna Weber leitet das Hafenamt. Die Brücke bleibt bis Freitag gesperrt, so Weber.",
            "Weber",
            "Die Brücke bleibt bis Freitag gesperrt",
        ),
        ("„Wir bauen die Brücke bis Mai neu“, so Anna Weber.", "Anna Weber", "Wir bauen die Brücke bis Mai neu"),
        (
            "Die Fähre fährt am Sonntag nicht, so eine Sprecherin des Hafenamts am Dienstag.",
            "eine Sprecherin des Hafenamts",
            "Die Fähre fährt am Sonntag nicht",
        ),
        ("Die Fähre fährt am Sonntag nicht, so die Bürgermeisterin.", "die Bürgermeisterin", None),
    ],
)
def test_german_so_after_a_statement_names_its_speaker(text, claimant, content):
    """ "…, so Weber." is "according to Weber": it gave no candidate, or one with no speaker."""
    found = [c for c in extract_candidates(text) if c.claimant]
    assert [c.claimant for c in found] == [claimant]
    assert found[0].cue == "so"
    assert found[0].content == (content or text.split(",")[0])
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text",
    [
        "The bridge was unsafe, so Tom Hale closed it on Friday.",
        "The ferry was late on Sunday, so the harbour board said it would add a second boat.",
    ],
)
def test_english_so_is_no_reporting_word(text):
    assert all(c.cue != "so" for c in extract_candidates(text))


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            "Ana Ruiz visitó el puerto el martes. El ferry no saldrá el domingo, dijo.",
            "Ana Ruiz",
            "El ferry no saldrá el domingo",
        ),
        (
            "El alcalde Pedro Gómez visitó la obra. «El puente se abrirá en mayo», dijo.",
            "Pedro Gómez",
            "El puente se abrirá en mayo",
        ),
        (
            "Ana Ruiz visitó el puerto.\nValencia cerrará el muelle norte en junio, afirmó el martes.",
            "Ana Ruiz",
            "Valencia cerrará el muelle norte en junio",
        ),
        ("Valencia cerrará el muelle norte en junio, dijo.", None, "Valencia cerrará el muelle norte en junio"),
        (
            "Ana Ruiz y Pedro Gómez visitaron la obra. El puente se abrirá en mayo, dijo.",
            None,
            "El puente se abrirá en mayo",
        ),
    ],
)
def test_a_spanish_verb_with_no_subject_is_said_by_the_person_named_before(text, claimant, content):
    """ "…, dijo." after "Ana Ruiz visitó el puerto." gave no speaker: Spanish leaves the pronoun out, and the
    verb's subject is resolved as "he" / "she" are, to the one person named in this paragraph or the one before.
    With no one (or two people) named, there is no speaker, and the sentence's first name is not taken for one."""
    found = [c for c in extract_candidates(text) if c.content]
    assert [(c.claimant, c.content) for c in found] == [(claimant, content)]
    assert found[0].cue in ("dijo", "afirmó")
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("The ferry will not sail on Sunday, said the harbour master.", "the harbour master"),
        ("“We will close the quay on Friday,” said the harbour master.", "the harbour master"),
        ("The quay will close on Friday, the harbour master told reporters.", "the harbour master"),
        ("The harbour master declined to comment on the closure.", "The harbour master"),
        ("“The quay will close on Friday,” said the town clerk.", "the town clerk"),
        ("The quay will close on Friday, the deputy fire chief said.", "the deputy fire chief"),
        ("Le pont restera fermé jusqu’à vendredi, a déclaré l’adjoint au maire.", "l’adjoint au maire"),
        ("« Le pont restera fermé jusqu’à vendredi », a déclaré l’adjointe au maire mardi.", "l’adjointe au maire"),
        ("Le pont restera fermé jusqu’à vendredi, a affirmé l’adjoint à l’urbanisme.", "l’adjoint à l’urbanisme"),
    ],
)
def test_an_office_of_several_words_is_the_speaker_whole(text, claimant):
    """ "said the harbour master", "a déclaré l’adjoint au maire" gave no speaker: "master", "clerk", "chief" were
    no speaker's nouns, and "au" after the verb was read as whom it was told. An office speaks as "the mayor" does."""
    found = [c for c in extract_candidates(text) if c.claimant]
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, "organization")]
    if found[0].content:
        assert claimant.lower() not in found[0].content.lower()
    assert_offsets(text, found)


def test_a_megabyte_of_speakers_and_pronouns_resolves_them_in_time_linear_in_the_text():
    """Whether another person was named between a speaker and a "he said" looked at every content span of the
    text for every name, and at every later name for every pronoun: 400 KB of "Ana Ruiz said …. Later Tom Hale
    arrived. He said …" took 40 s, growing with the square of the text, so one scraped page held the extraction
    for hours. A child process runs it so that a regression fails the suite instead of hanging it (the limit is a
    guard, not the measure)."""
    code = (
        "from tracker.attribution import extract_candidates\n"
        "unit = 'Ana Ruiz said it works. Later Tom Hale came. He said it is fine.\\n'\n"
        "found = extract_candidates(unit * 20_000)\n"
        "print(len(found), sorted({c.claimant for c in found}))\n"
    )
    assert python_output(code).split(maxsplit=1) == ["40000", "['Ana Ruiz', 'he']\n"]


def test_a_megabyte_on_one_line_is_attributed_in_time_linear_in_the_text():
    """A scraped page with no line breaks is one paragraph: whether each tagged attribution's line was boilerplate
    read the whole line again, and each content piece was weighed against every cue of its chunk, so 1 MB of
    "Ana Ruiz said …. Later Tom Hale came. He said …" on one line took about a minute and 2 MB four, growing with
    the square of the text. A child process runs it so that a regression fails the suite instead of hanging it (the
    limit is a guard, not the measure)."""
    code = (
        "from tracker.attribution import extract_candidates\n"
        "unit = 'Ana Ruiz said it works. Later Tom Hale came. He said it is fine. '\n"
        "found = extract_candidates(unit * 30_000 + 'More to come')\n"
        "print(len(found), sorted({c.claimant for c in found}))\n"
    )
    assert python_output(code).split(maxsplit=1) == ["60000", "['Ana Ruiz', 'he']\n"]


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Anna Weber toured the plant, promising that the factory would reopen in May.", "Anna Weber"),
        ("Anna Weber visited the harbour on Monday and said the ferry would sail again next week.", "Anna Weber"),
        ("Anna Weber met workers at the plant, promising that the factory would reopen in May.", "Anna Weber"),
        ("Anna Weber arrived at the quay on Monday and said the ferry would sail again next week.", "Anna Weber"),
        ("Anna Weber tours the plant, promising that the factory will reopen in May.", "Anna Weber"),
        ("Anna Weber visits the harbour on Monday and says the ferry will sail again next week.", "Anna Weber"),
    ],
)
def test_a_speakers_own_verb_phrase_is_no_part_of_the_speaker(text, claimant):
    """The tagger took "Anna Weber toured the plant" for the source of "promising …": a finite verb after the
    name ends the speaker's noun phrase, and what follows is what she did, not who she is."""
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.claimant_type) == (claimant, "named")
    assert text[cand.source_start : cand.source_end] == claimant


@pytest.mark.parametrize(
    "source,kept",
    [
        ("Anna Weber toured the plant", "Anna Weber"),
        ("Anna Weber met workers at the plant", "Anna Weber"),
        ("Anna Weber was at the plant", "Anna Weber"),
        ("Officials briefed on the talks", "Officials briefed on the talks"),
        ("A poll conducted by Gallup", "A poll conducted by Gallup"),
        ("The embattled mayor", "The embattled mayor"),
        ("a study by Harvard published in the journal", "a study by Harvard published in the journal"),
        ("a Contoso-backed group", "a Contoso-backed group"),
        ("Anna Weber arrived at the quay", "Anna Weber"),
        ("Officials stationed in Kabul", "Officials stationed in Kabul"),
        ("Officials contacted by the Ledger", "Officials contacted by the Ledger"),
        ("Anna Weber tours the plant", "Anna Weber"),  # the present tense, as the past
        ("Mayor Anna Weber visits a school", "Mayor Anna Weber"),
        ("Anna Weber promises their workers", "Anna Weber"),
        ("Fabrikam officials in Kabul", "Fabrikam officials in Kabul"),  # a plural noun, not a verb
        ("Contoso employees at the plant", "Contoso employees at the plant"),
        ("NATO members this week", "NATO members this week"),
    ],
)
def test_a_source_ends_before_a_finite_verb_after_a_name(source, kept):
    """Only a verb right after a capitalised word ends the source: a participle after a noun ("briefed on",
    "conducted by") or an adjective after an article ("embattled") says which people or poll are meant."""
    from tracker.attribution.combine import _without_predicate

    text = f"{source}, saying the plant would reopen."
    span = _without_predicate(text, (0, len(source)))
    assert text[span[0] : span[1]] == kept


@pytest.mark.parametrize(
    "name,person",
    [
        ("North Korea", False),
        ("South Carolina", False),
        ("West Virginia", False),
        ("New Hampshire", False),
        ("White House", False),
        ("Saudi Arabia", False),
        ("Anna Weber", True),
        ("Allen West", True),  # a compass word closing a name is a surname
        ("Oliver North", True),
        ("Mr. Newman", True),
    ],
)
def test_a_place_is_not_a_persons_name(name, person):
    """ "North Korea" read as a person was the only one named, so a "she said" after it became North Korea's."""
    assert rules.is_person_name(name) is person


@pytest.mark.parametrize(
    "np,claimant_type",
    [
        ("The New Yorker", "outlet"),  # the magazine, as "The Example Times" is
        ("the New Yorker", "outlet"),
        ("A New Yorker", "anonymous"),  # someone from New York, unnamed
        ("a New Yorker", "anonymous"),
        ("a Texan", "anonymous"),
        ("An Ohioan", "anonymous"),
        ("New York", "organization"),
        ("Ana Ruiz", "named"),
    ],
)
def test_a_demonym_after_an_indefinite_article_is_an_unnamed_person(np, claimant_type):
    """ "A New Yorker said …" was typed named (two capitalised words) and "a Texan" an organisation (one); an
    indefinite article before capitalised words alone says one of a kind, not whose name it is."""
    assert rules.head_type(np) == claimant_type


def test_a_new_yorker_who_speaks_is_not_the_magazine():
    text = "The New Yorker reported that the mayor had resigned. A New Yorker said the subway was late again."
    magazine, resident = extract_candidates(text)
    assert (magazine.claimant, magazine.claimant_type) == ("The New Yorker", "outlet")
    assert (resident.claimant, resident.claimant_type) == ("A New Yorker", "anonymous")


def test_a_country_or_the_white_house_speaks_as_an_organization():
    assert rules.head_type("North Korea") == "organization"
    assert rules.head_type("the White House") == "organization"
    assert rules.head_type("Allen West") == "named"


def test_a_pronoun_after_a_place_named_in_a_sentence_is_not_the_place():
    """The rules kept "North Carolina" as the one person the paragraph named, and "she said" in the next
    paragraph was resolved to it."""
    text = (
        "Jane Roe spoke on Tuesday.\n\n"
        "The department is suing North Carolina over its new law on restrooms.\n\n"
        "In law school, she said, professors would often dismiss her proposals."
    )
    claimants = [c.claimant for c in extract_candidates(text)]
    assert "North Carolina" not in claimants


def test_a_pronoun_after_a_person_named_in_its_own_sentence_is_not_someone_before():
    """ "Tom Hale condemned what he called …": "he" is not Jane Roe, the one person the paragraph before named;
    the name before it in the sentence counts, and the "he told reporters" after it is not hers either."""
    text = (
        "Jane Roe said the port would close on Friday.\n\n"
        'Secretary General Tom Hale condemned what he called a "reckless breach" of the harbour rules.\n\n'
        '"I count on the board to act," he told reporters.'
    )
    first, *rest = extract_candidates(text)
    assert first.claimant == "Jane Roe"
    assert rest and all(c.claimant != "Jane Roe" for c in rest)


@pytest.mark.parametrize(
    "text,claimant,claimant_type",
    [
        ("The mayor toured the plant, promising that the factory would reopen in May.", "The mayor", "organization"),
        (
            "The deputy fire chief visited the quay on Monday and said the ferry would sail again.",
            "The deputy fire chief",
            "organization",
        ),
        ("A council spokesperson toured the site, adding that repairs had begun.", "A council spokesperson", None),
        (
            "The mayor, speaking at a town hall on Thursday, promised that the pier would be rebuilt.",
            "The mayor",
            "organization",
        ),
    ],
)
def test_a_role_opening_the_sentence_is_the_speaker_of_its_second_verb(text, claimant, claimant_type):
    """ "The mayor toured the plant, promising …": a role that speaks ("the mayor", "a spokesperson") is the
    subject, as a name is; "The report toured …" or "The plant closed, …" have no such noun and keep no speaker."""
    from tracker.attribution.combine import _subject_as_claimant

    cue = next(w for w in ("promising", "said", "adding", "promised") if w in text)
    cand = Candidate(kind="claim", text=text, start=0, end=len(text))
    _subject_as_claimant(cand, text, 0, text.index(cue))
    assert cand.claimant == claimant
    assert text[cand.source_start : cand.source_end] == claimant
    if claimant_type:
        assert cand.claimant_type == claimant_type


@pytest.mark.parametrize(
    "text,cue",
    [
        ("The plant closed in May, promising workers a new site.", "promising"),
        ("The first vote failed on Monday and said nothing about the budget.", "said"),
    ],
)
def test_an_opening_noun_that_names_no_speaker_is_no_subject(text, cue):
    from tracker.attribution.combine import _subject_as_claimant

    cand = Candidate(kind="claim", text=text, start=0, end=len(text))
    _subject_as_claimant(cand, text, 0, text.index(cue))
    assert cand.claimant is None


def test_the_documented_role_subject_example_reads_as_documented():
    """docs/attribution.md's example, end to end."""
    (cand,) = extract_candidates("The mayor toured the plant, promising that the factory would reopen in May.")
    assert (cand.claimant, cand.claimant_type, cand.cue) == ("The mayor", "organization", "promising")


@pytest.mark.parametrize(
    "text,verb",
    [
        ("Ana Ruiz visitó el puerto el martes. El ferry no saldrá el domingo, dijo.", "dijo"),
        ("El alcalde Pedro Gómez visitó la obra. «El puente se abrirá en mayo», dijo.", "dijo"),
        ("Ana Ruiz visitó el puerto.\nValencia cerrará el muelle norte en junio, afirmó el martes.", "afirmó"),
    ],
)
def test_a_resolved_spanish_subject_in_the_verb_has_the_verb_for_its_source(text, verb):
    """ "…, dijo." resolved to Ana Ruiz had no source offsets, so the triage view marked no one in the sentence:
    the verb is the word that stands for its subject, as "she" does for a resolved "she said"."""
    (cand,) = [c for c in extract_candidates(text) if c.content]
    assert cand.claimant in ("Ana Ruiz", "Pedro Gómez")
    assert text[cand.source_start : cand.source_end] == verb
    assert (cand.source_start, cand.source_end) == (cand.cue_start, cand.cue_start + len(verb))


def test_an_unresolved_spanish_subject_in_the_verb_still_has_no_source():
    text = "Ana Ruiz y Pedro Gómez visitaron la obra. El puente se abrirá en mayo, dijo."
    (cand,) = [c for c in extract_candidates(text) if c.content]
    assert (cand.claimant, cand.source_start, cand.source_end) == (None, None, None)


@pytest.mark.parametrize(
    "text,claimant",
    [
        ('Ban Ki-moon condemned what he called a "reckless breach" of the harbour rules.', "Ban Ki-moon"),
        (
            'Jane Roe left.\n\nSecretary General Ban Ki-moon condemned what he called a "reckless breach" of law.',
            "Ban Ki-moon",
        ),
        ('U.N. Secretary General Tom Hale condemned what he called a "reckless breach" of the rules.', "Tom Hale"),
        ("Ana Ruiz condemned what she called a reckless breach of the harbour rules.", "Ana Ruiz"),
    ],
)
def test_a_pronoun_after_the_sentences_own_subject_is_that_subject(text, claimant):
    """ "Ban Ki-moon condemned what he called …": the person the sentence opens with is whom "he" stands for,
    whoever the paragraph before named; the claimant is that person, marked where the sentence names them."""
    cand = extract_candidates(text)[-1]
    assert (cand.claimant, cand.claimant_type) == (claimant, "named")
    assert text[cand.source_start : cand.source_end] == claimant


@pytest.mark.parametrize(
    "text",
    [
        'After the court convicted Tom Hale, she called the verdict "a reckless breach" of the rules.',
        'Ana Ruiz met Tom Hale, and he called the plan "a reckless breach" of the rules.',
        'After Ana Ruiz left the meeting, he called the plan "a reckless breach" of the rules.',
    ],
)
def test_a_pronoun_after_a_name_that_is_not_the_sentences_subject_stays_the_pronoun(text):
    """A person named later in the sentence, or a second person, may not be whom the pronoun stands for."""
    called = [c for c in extract_candidates(text) if c.cue == "called"]
    assert called and all(c.claimant in ("he", "she") for c in called)


@pytest.mark.parametrize(
    "text,content",
    [
        (
            "Police said the driver, who was not named, was taken to hospital.",
            "the driver, who was not named, was taken to hospital",
        ),
        ("Police said the driver, who is 34, was taken to hospital.", "the driver, who is 34, was taken to hospital"),
        (
            "Ana Ruiz said the ferry, which was built in 1990, has been sold.",
            "the ferry, which was built in 1990, has been sold",
        ),
    ],
)
def test_what_was_said_goes_on_past_a_relative_clause(text, content):
    """ "Police said the driver, who was not named, was taken to hospital" had the content "the driver, who was
    not named": the tagger ended it at the clause's comma. The clause's own verb follows, so it goes on."""
    (cand,) = extract_candidates(text)
    assert cand.content == content


def test_an_attribution_after_a_relative_clause_is_not_what_was_said():
    text = "Pressure is building on Tom Hale, who was greeted with chants, according to the union."
    (cand,) = extract_candidates(text)
    assert "according" not in (cand.content or "")


@pytest.mark.parametrize(
    "text",
    [
        '"I don\'t know," Tom Hale said when asked whether the ferry would sail.',
        "Ana Ruiz was asked whether the ferry would sail on Sunday.",
        "Tom Hale, when asked about the closure of the quay, shrugged and walked away.",
    ],
)
def test_a_question_put_to_someone_is_not_their_claim(text):
    """ "… Tom Hale said when asked whether the ferry would sail" gave Tom Hale a second claim, "whether the ferry
    would sail", with the cue "asked": the question was put to him, and he said nothing by it. Who asked is not
    said, so it has no speaker."""
    asked = [c for c in extract_candidates(text) if c.cue and "asked" in c.cue]
    assert all((c.claimant, c.claimant_type, c.source_start) == (None, "unattributed", None) for c in asked)


def test_someone_who_asks_is_still_a_source():
    (cand,) = extract_candidates("Lawmakers also asked whether the deals required the recipients to cooperate.")
    assert (cand.claimant, cand.cue) == ("Lawmakers", "also asked")


@pytest.mark.parametrize(
    "text,content",
    [
        ("Jane Roe told the Ledger she had not been paid since June.", "she had not been paid since June"),
        (
            "Jane Roe, 54, a nurse at the clinic, told the Harbour Ledger she had not been paid since June.",
            "she had not been paid since June",
        ),
        ("Tom Hale told reporters the ferry would sail on Monday.", "the ferry would sail on Monday"),
        ("Tom Hale told reporters on Tuesday the ferry would sail on Monday.", "the ferry would sail on Monday"),
        ("Tom Hale told him the ferry had been sold.", "the ferry had been sold"),
    ],
)
def test_a_clause_after_whom_it_was_told_is_the_content(text, content):
    """ "Jane Roe told the Ledger she had not been paid since June" named her and showed no words: news copy leaves
    "that" out after "told" as after "said". After whom it was told, a clause opening with a pronoun or an article
    and holding its own verb is what was said."""
    (cand,) = extract_candidates(text)
    assert (cand.cue, cand.content) == ("told", content)
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text",
    [
        "Tom Hale told the story of the old ferry to a packed hall.",
        "Tom Hale told reporters about the plan on Tuesday.",
    ],
)
def test_what_was_told_without_a_clause_is_no_content(text):
    assert all(
        c.content is None or "story" not in c.content and "about" not in c.content for c in extract_candidates(text)
    )


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            '"The quay is finished," a fisherman, who asked not to be named, said.',
            "a fisherman",
            "The quay is finished",
        ),
        (
            "A fisherman, who asked not to be named for fear of losing his licence, said the quay was finished.",
            "A fisherman",
            "the quay was finished",
        ),
        (
            "Two officials, speaking on condition of anonymity, said the talks had stalled.",
            "Two officials",
            "the talks had stalled",
        ),
    ],
)
def test_how_a_source_stays_anonymous_does_not_hide_the_source(text, claimant, content):
    """ "“…,” a fisherman, who asked not to be named, said." gave no candidate, and "A fisherman, who asked not to
    be named, said …" the claimant "who": the tagger read the clause as an attribution of its own ("who" asked
    "not to be named"), which is dropped, and the quotation went with it. The clause is how the source is kept
    anonymous; the tagger reads the sentence without it."""
    found = [c for c in extract_candidates(text) if c.content]
    assert [(c.claimant, c.claimant_type, c.content) for c in found] == [(claimant, "anonymous", content)]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,content",
    [
        (
            "Ana Ruiz said on Tuesday the ferry would resume service within weeks.",
            "the ferry would resume service within weeks",
        ),
        ("Tom Hale said in a statement he had warned the board in 2019.", "he had warned the board in 2019"),
    ],
)
def test_a_clause_after_when_it_was_said_is_the_content(text, content):
    """ "Ana Ruiz said on Tuesday the ferry would resume service" showed no words: "that" left out after when or
    where it was said, as after whom it was told."""
    (cand,) = extract_candidates(text)
    assert cand.content == content
    assert_offsets(text, [cand])


def test_a_role_set_off_by_a_comma_is_the_speaker():
    text = "The mayor, speaking at a town hall on Thursday, promised that the pier would be rebuilt."
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.claimant_type, cand.cue) == ("The mayor", "organization", "promised")


def test_a_quotation_going_on_in_the_next_paragraphs_keeps_its_speaker():
    """A quotation of several paragraphs, as news copy types it: each paragraph but the last opens with a mark and
    leaves it unclosed. "… said Ana Ruiz." and the paragraphs after it gave the next ones no speaker."""
    text = (
        "“We have waited three years for this bridge,” said Ana Ruiz, who chairs the residents’ association.\n\n"
        "“Every winter the ferry stops, and every winter we are told next year. We are done waiting.\n\n"
        "“If the council cannot build it, it should say so.”\n\n"
        "The council meets on Monday."
    )
    quotes = [c for c in extract_candidates(text) if c.kind == "quote"]
    assert [c.claimant for c in quotes] == ["Ana Ruiz"] * 3
    assert "If the council" in quotes[-1].text


def test_a_quotation_in_the_next_paragraph_still_takes_a_dash_line():
    text = "“The quay is finished,” said Ana Ruiz.\n\n“The ferry is not.”\n— Tom Hale, harbour master"
    found = extract_candidates(text)
    assert [c.claimant for c in found] == ["Ana Ruiz", "Tom Hale"]


def test_a_bare_quotation_after_narration_stays_unattributed():
    text = "“The quay is finished,” said Ana Ruiz.\n\nThe ferry left at noon.\n\n“Nobody knows why.”"
    assert [c.claimant for c in extract_candidates(text)] == ["Ana Ruiz", None]


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            'Asked whether the plant would close, Ana Ruiz said: "That decision has not been made."',
            "Ana Ruiz",
            "That decision has not been made.",
        ),
        (
            "Asked about the closure, the harbour master said the quay would reopen in June.",
            "the harbour master",
            "the quay would reopen in June",
        ),
    ],
)
def test_asked_opening_a_sentence_is_not_the_cue(text, claimant, content):
    """ "Asked whether the plant would close, Ana Ruiz said: “…”" had the cue "Asked" and the content "whether the
    plant would close, Ana Ruiz said That decision …": the question opens the sentence, and the answer after the
    speaker's verb is what was said."""
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.cue, cand.content) == (claimant, "said", content)
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text",
    ['"No comment," Tom Hale said.', "“No comment at this time,” said a Fabrikam spokesperson.", "“No comment.”"],
)
def test_a_quoted_no_comment_is_a_no_comment(text):
    """ " “No comment,” Tom Hale said." was filed as a quotation, beside what people said, rather than with the
    refusals to comment."""
    (cand,) = extract_candidates(text)
    assert cand.kind == "no_comment"


def test_a_quotation_about_no_comment_is_still_a_quotation():
    (cand,) = extract_candidates("“No comment would change the vote,” Tom Hale said.")
    assert cand.kind == "quote"


@pytest.mark.parametrize(
    "text,claimant,claimant_type",
    [
        ("Police don’t comment on ongoing investigations.", "Police", "organization"),
        ("The company doesn't comment on ongoing investigations.", "The company", "organization"),
        ("Fabrikam didn't respond to a request for comment.", "Fabrikam", "organization"),
        ("Fabrikam did not respond to requests for comment on Tuesday.", "Fabrikam", "organization"),
        ("A Fabrikam spokeswoman did not return a request for comment.", "A Fabrikam spokeswoman", "organization"),
        ("The ministry didn’t return calls seeking comment.", "The ministry", "organization"),
        ("Contoso declined to comment.", "Contoso", "organization"),
        ("The mayor refused to comment on the closure.", "The mayor", "organization"),
        ("Tom Hale could not be reached for comment.", "Tom Hale", "named"),
        ("Tom Hale couldn’t be reached for comment.", "Tom Hale", "named"),
        ("Ana Ruiz couldn't immediately be reached.", "Ana Ruiz", "named"),
        ("Contoso has not commented on the report.", "Contoso", "organization"),
        ("Contoso hasn’t commented.", "Contoso", "organization"),
        ("Ana Ruiz wasn’t available for comment.", "Ana Ruiz", "named"),
        ("The company wasn't immediately available to comment.", "The company", "organization"),
        ("Ana Ruiz was unavailable for comment on Friday.", "Ana Ruiz", "named"),
        (
            "Representatives for Contoso were not immediately available for comment.",
            "Representatives for Contoso",
            "organization",
        ),
        ("“No comment,” said Tom Hale.", "Tom Hale", "named"),
        ("We don't comment on rumours, a Fabrikam spokesman said.", "a Fabrikam spokesman", "organization"),
        ("A spokesman said the company does not comment on rumours.", "A spokesman", "organization"),
        ("Fabrikam said it doesn’t comment on personnel matters.", "Fabrikam", "organization"),
    ],
)
def test_every_english_refusal_to_comment_is_a_no_comment_the_rules_find(text, claimant, claimant_type):
    """ "Police don’t comment on …", "couldn’t be reached", "wasn’t available for comment", "was unavailable for
    comment" gave no candidate: "don" was not among the words the rules' verb patterns are tried at, and the
    contracted and "unavailable" forms were not in the patterns. A refusal reported before its speaker ("We don't
    comment on rumours, a Fabrikam spokesman said.") was filed as a claim, where "The ministry said it does not
    comment …" was a refusal. The rules find each one themselves, so it does not wait on the tagger."""
    expected = [("no_comment", claimant, claimant_type)]
    assert [(c.kind, c.claimant, c.claimant_type) for c in rules.extract_candidates(text)] == expected
    found = extract_candidates(text)
    assert [(c.kind, c.claimant, c.claimant_type) for c in found] == expected
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,kind",
    [
        ("“We don’t comment on market rumours,” said Tom Hale, a Fabrikam spokesman.", "quote"),
        ("“We don’t comment on rumours, but the plant is safe,” said Tom Hale.", "quote"),
        ("The company has not responded to questions, critics said.", "claim"),
        ("We don't comment on rumours, but the plant is safe, a Fabrikam spokesman said.", "claim"),
        ("Fabrikam denied the report.", "denial"),
        ("Fabrikam doesn't deny the report.", "no_comment"),
        ("Fabrikam has denied wrongdoing.", "denial"),
    ],
)
def test_a_refusal_with_more_said_is_what_was_said(text, kind):
    """Only a reported refusal on its own is filed with the refusals: a quotation is the speaker's words (the
    labelled corpus files "“We will not comment on speculation,” the bank said." as a quotation), one that goes on
    to say something is what was said, critics' report of a company's silence is their claim, and a denial stays a
    denial."""
    (cand,) = rules.extract_candidates(text)
    assert cand.kind == kind


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Critics, including Ana Ruiz, say the ferry fares are too high.", "Critics"),
        ("Residents, among them Tom Hale, said the quay was unsafe.", "Residents"),
        ("Several council members, such as Ana Ruiz, said the budget was short.", "Several council members"),
    ],
)
def test_a_group_including_a_person_is_the_group(text, claimant):
    """ "Critics, including Ana Ruiz, say …" was Ana Ruiz's alone: the speakers are the critics, a group she is
    one of, and the name after "including" is no apposition naming the speaker."""
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.claimant_type) == (claimant, "anonymous")
    assert_offsets(text, [cand])


def test_a_name_with_a_role_after_it_is_still_the_speaker():
    (cand,) = extract_candidates("Jane Roe, a lawyer for the union, said the ferry fares are too high.")
    assert (cand.claimant, cand.claimant_type) == ("Jane Roe", "named")


@pytest.mark.parametrize(
    "text,claimant,claimant_type",
    [
        ("Tom Hale -- the harbour master -- said the ferry would sail on time.", "Tom Hale", "named"),
        ("Tom Hale – the harbour master – said the ferry would sail on time.", "Tom Hale", "named"),
        ("Tom Hale - the harbour master - said the ferry would sail on time.", "Tom Hale", "named"),
        ("The ferry would sail on time, said Tom Hale -- the harbour master.", "Tom Hale", "named"),
        ("“The ferry will sail on time,” Tom Hale -- the harbour master -- said.", "Tom Hale", "named"),
        ("Fabrikam -- the company that runs the quay -- said the ferry would sail.", "Fabrikam", "organization"),
    ],
)
def test_a_role_set_off_by_dashes_after_a_name_is_no_part_of_the_speaker(text, claimant, claimant_type):
    """ "Tom Hale -- the harbour master -- said" gave the claimant "Tom Hale -- the harbour master", typed as an
    organisation: a role set off by dashes is an apposition, as one set off by commas is."""
    found = extract_candidates(text)
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, claimant_type)]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,claimant,claimant_type",
    [
        ("WASHINGTON -- President Ana Ruiz said the ferry would sail on time.", "Ana Ruiz", "named"),
        ("WASHINGTON -- The mayor said the ferry would sail on time.", "The mayor", "organization"),
        ("WASHINGTON -- Fabrikam said the ferry would sail on time.", "Fabrikam", "organization"),
        ("PORT TALBOT, Wales (AP) — Fabrikam said the ferry would sail on time.", "Fabrikam", "organization"),
        ("NATO -- the alliance -- said the ferry would sail on time.", "NATO", "organization"),
    ],
)
def test_a_dateline_before_a_dash_is_no_part_of_the_speaker(text, claimant, claimant_type):
    """ "WASHINGTON -- President Obama said" gave the claimant "WASHINGTON -- President Obama", an organisation:
    where the story was filed, in capitals before a dash, opens the paragraph and names no one."""
    found = extract_candidates(text)
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, claimant_type)]
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text",
    [
        "New Yorker Jane Roe said the ferry would resume service.",
        "South African Jane Roe said the ferry would resume service.",
    ],
)
def test_a_demonym_before_a_name_is_no_part_of_it(text):
    """ "New Yorker Jane Roe said" was typed outlet (the magazine's word): where someone is from, before their
    name, says a person follows."""
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.claimant_type) == ("Jane Roe", "named")


def test_the_new_yorker_is_still_an_outlet():
    (cand,) = extract_candidates("The New Yorker reported that the ferry would resume service.")
    assert cand.claimant_type == "outlet"


def test_a_lone_surname_a_pronoun_refers_back_to_is_a_person():
    """ "Roe wrote …. She said …" with no full name anywhere: one capitalised word is typed organization, as
    "Contoso said" is, unless the story goes on to call the speaker "she" or "he"."""
    text = "Roe wrote that the schedule was a mess.\nShe said the ferry was late twice a week."
    first, second = extract_candidates(text)
    assert (first.claimant, first.claimant_type) == ("Roe", "named")
    assert (second.claimant, second.claimant_type) == ("Roe", "named")


def test_a_lone_company_name_stays_an_organization():
    (cand,) = extract_candidates("Contoso said the ferry would resume service.")
    assert cand.claimant_type == "organization"


@pytest.mark.parametrize(
    "text,content",
    [
        ("Ana Ruiz said the ferry would resume service on Monday.", "the ferry would resume service on Monday"),
        ("The harbour board said the quay will reopen on Friday.", "the quay will reopen on Friday"),
    ],
)
def test_when_it_will_happen_is_part_of_what_was_said(text, content):
    """ "X said the ferry would resume service on Monday" left "on Monday" out: after a verb of what was said
    ("would resume"), the day is when that happens, not when it was said."""
    (cand,) = extract_candidates(text)
    assert cand.content == content
    assert_offsets(text, [cand])


def test_a_plural_noun_opening_a_sentence_is_no_surname():
    text = "Delegates said the vote was rigged.\nHe said the delegate count was wrong."
    first, _ = extract_candidates(text)
    assert first.claimant_type != "named"


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        (
            "And the ferry now carries twice as many cars as the old one, Tom Hale, among the riders, according to a "
            "count released last week.",
            "a count",
            "the ferry now carries twice as many cars as the old one, Tom Hale, among the riders",
        ),
        (
            "The quay closed for six weeks, according to Ana Ruiz, a lawyer for the union.",
            "Ana Ruiz",
            "The quay closed for six weeks",
        ),
        (
            "Pressure is building on Tom Hale, who was greeted with chants at the quay, according to the union.",
            "the union",
            "who was greeted with chants at the quay",
        ),
    ],
)
def test_according_to_closing_a_sentence_is_the_cue_and_the_sentence_before_is_the_content(text, claimant, content):
    """ "…, among black voters, according to a poll released last week." had the content "among black voters": the
    tagger ended it at the sentence's last comma. What "according to" closes is the sentence before it, or the
    relative clause just before it (", who …", " - which …"), without an opening "And" or "But"."""
    (cand,) = extract_candidates(text)
    assert (cand.cue, cand.claimant, cand.content) == ("according to", claimant, content)
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text,claimants",
    [
        (
            "Tom Hale emphasized that the reforms were not complete, and human rights groups warned that the council "
            "was giving up its leverage over the police, which retains great power.",
            [("Tom Hale", "emphasized"), ("human rights groups", "warned")],
        ),
        (
            "The mayor emphasized that the repairs were not complete, and fishing groups warned that the board was "
            "losing control over the budget, which keeps growing.",
            [("The mayor", "emphasized"), ("fishing groups", "warned")],
        ),
    ],
)
def test_the_rules_speaker_goes_to_the_verb_after_it(text, claimants):
    """ "Tom Hale emphasized that …, and human rights groups warned that …" gave "emphasized" to the groups and
    "warned" to Tom Hale: the speaker the rules read was given to the sentence's first attribution, whichever verb
    it stood before. It goes to the first verb after it."""
    found = extract_candidates(text)
    assert [(c.claimant, c.cue) for c in found] == claimants
    assert_offsets(text, found)


def test_what_was_said_goes_on_past_the_condition_that_opens_it():
    """ "Harbour leaders warn that if the board fails …, it could rapidly fall apart" had the content "that if the
    board fails …": the tagger ended it at the comma closing the condition, which alone is not what was said."""
    text = "Harbour leaders warn that if the board fails to ensure safety for its crews, it could rapidly fall apart."
    (cand,) = extract_candidates(text)
    assert cand.content == "that if the board fails to ensure safety for its crews, it could rapidly fall apart"
    assert_offsets(text, [cand])


def test_a_speaker_after_the_condition_is_not_what_was_said():
    text = "The ferry will stop if the board fails to pay the crews, Tom Hale said."
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.content) == ("Tom Hale", "The ferry will stop if the board fails to pay the crews")


def test_what_was_said_is_not_taken_from_the_sentence_before():
    """The tagger tied the words of a sentence that reports no one to the next sentence's "said": the content was
    "The council held Tom Hale in contempt … he would not answer questions"."""
    text = (
        "The council held Tom Hale in contempt for refusing to show up to a hearing despite a summons. "
        "His lawyer said he would not answer questions."
    )
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.content) == ("His lawyer", "he would not answer questions")
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("The ferry is unsafe, they say. The council voted to close the quay on Monday.", "they"),
        ("The ferry is unsafe, residents say. The council voted to close the quay on Monday.", "residents"),
        ("The ferry is unsafe, critics said. The council voted to close the quay on Monday.", "critics"),
    ],
)
def test_what_was_said_before_a_closing_attribution_is_not_the_next_sentence(text, claimant):
    """ "…, they say." closing its sentence was tied to the next sentence, which reports no one: the content was
    "The council voted to close the quay on Monday". What was said is the sentence before the comma."""
    found = extract_candidates(text)
    assert [(c.claimant, c.content) for c in found] == [(claimant, "The ferry is unsafe")]
    assert found[0].end < text.index("The council")
    assert_offsets(text, found)


def test_a_quotation_of_several_sentences_before_its_speaker_stays_whole():
    text = "“The quay is crumbling. Nobody has fixed it in ten years,” Ana Ruiz said."
    (cand,) = extract_candidates(text)
    assert cand.content == "The quay is crumbling. Nobody has fixed it in ten years"


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Tom Hale insisted that the ferry was safe, and the residents' association warned that the quay was "
            "crumbling.",
            [
                ("Tom Hale", "insisted", "that the ferry was safe"),
                ("the residents' association", "warned", "the quay was crumbling"),
            ],
        ),
        (
            'Even Contoso, the port\'s only ally and its main lender, said it was "firmly opposed" to the sale and '
            "warned Fabrikam to drop its bid before the vote.",
            [
                ("Contoso", "said", 'it was "firmly opposed" to the sale'),
                ("Contoso", "warned", "Fabrikam to drop its bid before the vote"),
            ],
        ),
    ],
)
def test_a_second_reporting_verb_after_and_is_an_attribution_of_its_own(text, expected):
    """ "Republicans said they are convinced … and Democrats accused the GOP of …" was one attribution, the
    Republicans', to the sentence's end. A reporting verb after "and" ends what was said and opens its own
    attribution: of the words between "and" and the verb, or of the same speaker when there are none."""
    found = extract_candidates(text)
    assert [(c.claimant, c.cue, c.content) for c in found] == expected
    assert_offsets(text, found)


def test_and_said_inside_a_quotation_is_the_speakers_own_words():
    text = '"We will fix the quay and said so many times," Tom Hale said.'
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.content) == ("Tom Hale", "We will fix the quay and said so many times")


def test_what_was_said_goes_on_past_a_participle_clause():
    """ "Fishermen say the quay, run by the port authority since 1990, has cost …" had the content "the quay" (too
    short, so no candidate): the tagger stopped at the participle clause's comma, as it did at a relative clause's."""
    text = (
        "Fishermen and harbour staff say the quay, run by the port authority since 1990, has cost millions of "
        "pounds in repairs that nobody had planned."
    )
    (cand,) = extract_candidates(text)
    assert cand.content == (
        "the quay, run by the port authority since 1990, has cost millions of pounds in repairs that nobody had planned"
    )
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text,content",
    [
        (
            "A lawyer for the union, Tom Hale, said no final decision had been made about whether to appeal.",
            "no final decision had been made about whether to appeal",
        ),
        (
            "Ana Ruiz said no vote had been taken about whether to sell the ferry.",
            "no vote had been taken about whether to sell the ferry",
        ),
    ],
)
def test_a_clause_is_no_part_of_the_cue(text, content):
    """ "said no final decision had been made about" was the cue and "whether to appeal" the content: a verb of
    saying followed by a clause with its own auxiliary is the cue, and the clause is what was said."""
    (cand,) = extract_candidates(text)
    assert (cand.cue, cand.content) == ("said", content)
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text,quoted,announced",
    [
        (
            '"We will rebuild the quay, and we will do it together," Ana Ruiz said at a news conference announcing '
            "that the council was suing Fabrikam over the collapse.",
            "We will rebuild the quay, and we will do it together",
            "that the council was suing Fabrikam over the collapse",
        ),
        (
            '"The ferry is safe," Tom Hale said in a statement announcing that the service would resume on Monday.',
            "The ferry is safe",
            "that the service would resume on Monday",
        ),
    ],
)
def test_what_the_occasion_announced_is_an_attribution_of_its_own(text, quoted, announced):
    """ "“…,” she said at a news conference announcing that …" had the cue "said at a news conference announcing"
    and the quotation and the announcement as one content. The participle after when and where it was said is
    the same speaker's second attribution."""
    first, second = extract_candidates(text)
    assert (first.cue, first.content) == ("said", quoted)
    assert (second.claimant, second.cue, second.content) == (first.claimant, "announcing", announced)
    assert_offsets(text, [first, second])


def test_a_clause_is_read_back_to_its_paragraph_at_most():
    """Whether a denial is supposed ("If Fabrikam denies it, …") is read from the start of its clause. Asked of
    a whole text, the clause went back past every paragraph to the last colon or dash anywhere before it, or
    the text's start: a long text took minutes, and a paragraph opening "If" read the one before it."""
    before = "Ana Ruiz said: the ferry will sail.\n"
    text = before + "If Fabrikam denies it, the council will act."
    assert rules.not_asserted(text, text.index("denies"))
    long = ("The ferry sailed on time; the crew was paid. " * 40 + "\n") * 3 + "If Contoso denies it, they act."
    assert rules.not_asserted(long, long.index("denies"))
    assert not rules.not_asserted(before + "Fabrikam denies it.", len(before) + len("Fabrikam "))


# --------------------------------------------------------------------------- readings shared within one text


def test_a_sentence_read_with_its_quotations_masked_is_what_the_two_steps_give():
    sentence = "“The ferry will not sail,” said Mayor Ana Ruiz, who called it ‘unsafe’ on Monday."
    spans, masked = rules.quotations_masked(sentence)
    assert list(spans) == rules._quote_spans(sentence)
    assert masked == rules._mask_quotes(sentence, rules._quote_spans(sentence))
    assert rules.MASK in masked and "ferry" not in masked and "Mayor Ana Ruiz" in masked


def test_only_the_text_being_read_is_kept_of_its_sentences():
    first = "The ferry will not sail on Sunday, said Mayor Ana Ruiz.\nThe pier is closed, Tom Hale said."
    second = "The council met on Monday, said a spokesperson.\nThe vote was postponed, she said."
    extract_candidates(first)
    kept = rules.quotations_masked.cache_info().currsize
    assert kept >= 2
    for c in extract_candidates(second):
        assert second[c.start : c.end] == c.text
    # the first text's sentences were let go when the second started: a watch holds one text's at most
    assert rules.quotations_masked.cache_info().currsize == len(split_sentences(second))
    assert rules._is_boilerplate.cache_info().currsize == len(second.splitlines())


def test_a_text_read_twice_gives_the_same_candidates_and_surnames():
    text = (
        "Marcus Tan, a harbour pilot, met the council on Monday.\n"
        "The ferry will not sail on Sunday, said Mayor Ana Ruiz.\n"
        "“It is unsafe,” Tan said. Ruiz added that the pier would reopen in May."
    )
    once, again = extract_candidates(text), extract_candidates(text)
    assert once == again
    tan = find(once, "It is unsafe")
    assert (tan.claimant, tan.claimant_type) == ("Tan", "named")


@pytest.mark.parametrize(
    "text",
    [
        "“We will not back down.” The council voted to approve the plan on Tuesday.",
        "The mayor was defiant. “We will not back down.” The council then voted to close the library.",
    ],
)
def test_a_quotation_before_a_sentence_that_opens_its_own_attribution_is_not_its_content(text):
    """The tagger tied a quotation closing its sentence to the next sentence's cue: "The council" was the source of
    "“We will not back down.” … to approve the plan". The next sentence reports the council's own act, after its
    verb; the quotation before it is not the council's."""
    found = extract_candidates(text)
    council = [c for c in found if c.claimant and "council" in c.claimant.lower()]
    assert all("back down" not in (c.content or "") for c in council)
    assert all(c.start >= text.index("The council") for c in council)
    assert any(c.quote == "We will not back down." and c.end < text.index("The council") for c in found)
    assert_offsets(text, found)


def test_words_quoted_inside_the_next_sentence_do_not_tie_it_to_a_closing_attribution():
    """ "…, residents say." was tied to the next sentence when that sentence quoted a word: the content was "The
    council voted to close the unsafe"."""
    text = "The ferry is unsafe, residents say. The council voted to close the “unsafe” quay on Monday."
    found = extract_candidates(text)
    assert [(c.claimant, c.content) for c in found] == [("residents", "The ferry is unsafe")]
    assert_offsets(text, found)


def test_a_quotation_of_several_sentences_around_its_speaker_stays_whole():
    text = "“We will fight. We will win,” she said, “and we will not back down.”"
    (cand,) = extract_candidates(text)
    assert cand.content == "We will fight. We will win and we will not back down."


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("The ferry will resume on Monday, Tom Hale told Reuters.", "Tom Hale"),
        ("The ferry will resume on Monday, Tom Hale told reporters.", "Tom Hale"),
        ("The ferry will resume on Monday, a spokesman told The Associated Press on Tuesday.", "a spokesman"),
        ("The ferry will resume on Monday, Fabrikam told the Harbour Ledger in a statement.", "Fabrikam"),
    ],
)
def test_what_was_said_before_x_told_whom_is_the_content(text, claimant):
    """ "…, Tom Hale told Reuters." named its speaker and showed no content: only when the attribution was made
    could follow a closing cue, not whom it was told."""
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.cue, cand.content) == (claimant, "told", "The ferry will resume on Monday")
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text,claimant,content",
    [
        ("He told reporters the ferry was unsafe.", "he", "the ferry was unsafe"),
        ("She told the Harbour Ledger she had not been paid.", "she", "she had not been paid"),
        (
            "Tom Hale toured the quay on Monday. He told reporters the ferry was unsafe.",
            "Tom Hale",
            "the ferry was unsafe",
        ),
    ],
)
def test_a_pronoun_that_told_someone_something_has_its_content(text, claimant, content):
    """ "He told reporters the ferry was unsafe." showed no content: the speaker "he" was looked for as written in
    lower case, or, resolved to Tom Hale, not looked for at all, so nothing said where the words after whom it was
    told begin."""
    found = extract_candidates(text)
    cand = found[-1]
    assert (cand.claimant, cand.cue, cand.content) == (claimant, "told", content)
    assert text[cand.source_start : cand.source_end].lower() in ("he", "she")
    assert_offsets(text, found)


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("President Lund toured the quay on Monday. He said the ferry was unsafe.", "Lund"),
        ("Sen. Hale toured the quay on Monday. He said the ferry was unsafe.", "Hale"),
        ("Gov. Ruiz toured the quay on Monday. She said the ferry was unsafe.", "Ruiz"),
    ],
)
def test_a_pronoun_after_an_office_and_a_surname_is_that_person(text, claimant):
    """ "President Lund toured the quay. He said …" left "he" unresolved: an office before one name was not read
    as naming a person, and "Sen." ended the run of capitalised words at its full stop."""
    found = extract_candidates(text)
    assert [(c.claimant, c.claimant_type) for c in found] == [(claimant, "named")]
    assert text[found[0].source_start : found[0].source_end] in ("He", "She")


@pytest.mark.parametrize("run", ["Secretary General", "President Street", "President Fabrikam Holdings"])
def test_an_office_before_a_word_that_names_no_one_is_no_person(run):
    assert rules.named_after_title(run) is None


def test_what_was_said_without_quotation_marks_ends_with_its_sentence():
    """ "… downplayed the risk of storms for ferries. He’s given airtime to …" had the content "the risk of storms
    for ferries. He’s given airtime to critics …": the tagger ran the words after the cue on into the next
    sentence, which says something else. (The tagger does so in some contexts only: its reading is given here.)"""
    from tracker.attribution import combine
    from tracker.attribution.spans import Tagged

    text = (
        "Hale has promoted untested remedies and downplayed the risk of storms for ferries. "
        "He’s given airtime to critics of the harbour board."
    )
    cue = text.index("downplayed")
    tagged = Tagged(content=[(text.index("the risk"), len(text) - 1)], cue=(cue, cue + len("downplayed")), source=None)
    sentences = split_sentences(text)
    combine._unquoted_within_sentence(text, tagged, sentences, [a for a, _ in sentences])
    assert [text[a:b] for a, b in tagged.content] == ["the risk of storms for ferries"]

    quoted = "She added: “Seeing it is emotional. It is something they never thought they would see.”"
    cue = quoted.index("added")
    tagged = Tagged(content=[(quoted.index("Seeing"), len(quoted) - 2)], cue=(cue, cue + 5), source=None)
    sentences = split_sentences(quoted)
    combine._unquoted_within_sentence(quoted, tagged, sentences, [a for a, _ in sentences])
    assert [quoted[a:b] for a, b in tagged.content] == [quoted[quoted.index("Seeing") : -2]]


@pytest.mark.parametrize(
    "text",
    [
        "“Seeing it is, for them, emotional. It is something they never thought they would see,” she added.",
        "''Seeing it is, for them, emotional. It is something they never thought they would see,'' she added.",
        "She added: “Seeing it is, for them, emotional. It is something they never thought they would see.”",
    ],
)
def test_a_quotation_of_several_sentences_keeps_them_all(text):
    (cand,) = extract_candidates(text)
    assert cand.content.startswith("Seeing it is") and "never thought they would see" in cand.content


@pytest.mark.parametrize(
    "text,content",
    [
        (
            "A chorus of harbour pilots has said the same thing, including the former harbour master Tom Hale.",
            "the same thing",
        ),
        (
            "Ana Ruiz said the ferry would stop running in June, putting 40 jobs at risk.",
            "the ferry would stop running in June",
        ),
        (
            "Officials said women made up 41 percent of the crews, excluding the reserve.",
            "women made up 41 percent of the crews, excluding the reserve",
        ),
    ],
)
def test_a_participle_after_what_was_said_is_the_writer_going_on(text, content):
    """ "… has said the same thing, including …", "… said the ferry would stop running in June, putting 40 jobs at
    risk" had the writer's own words after the comma as part of what was said. A participle that qualifies the
    words, as a preposition does ("excluding the reserve"), stays with them."""
    (cand,) = extract_candidates(text)
    assert cand.content == content
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text,first,second",
    [
        (
            "“We need a new quay. The old one is unsafe,” Hale said, going on to contrast the plan with the mayor’s. "
            "“So I would say to the council: look at the numbers.”",
            "We need a new quay. The old one is unsafe",
            "So I would say to the council: look at the numbers.",
        ),
        (
            "“We need a new quay. The old one is unsafe,” Hale said, suggesting a few questions, including, "
            "“Who pays for the dredging?”",
            "We need a new quay. The old one is unsafe",
            "Who pays for the dredging?",
        ),
    ],
)
def test_a_quotation_after_a_participle_is_the_speakers_next_attribution(text, first, second):
    """The quotation before "Hale said" and the one after ", going on to contrast …" were one content: only a
    quotation interrupted by "she said" goes on after it."""
    found = extract_candidates(text)
    assert [(c.claimant, c.content) for c in found] == [("Hale", first), ("Hale", second)]
    assert_offsets(text, found)


def test_a_quotation_interrupted_by_its_speaker_is_still_one():
    text = "“We will appeal,” she said, “and we will win.”"
    (cand,) = extract_candidates(text)
    assert cand.content == "We will appeal and we will win."


def test_a_speaker_with_a_role_between_dashes_holding_a_comma_is_the_speaker():
    """ "Hale -- co-editor of Harbour Notes, a book about the quay's history -- said …" was said by "a book about
    the quay's history": the speaker was read from the last comma, inside what the dashes set off."""
    text = (
        "Hale -- co-editor of Harbour Notes, a book about the quay's history -- said the board tended to make "
        "announcements at those meetings."
    )
    (cand,) = rules.extract_candidates(text)
    assert cand.claimant == "Hale"
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.content) == ("Hale", "the board tended to make announcements at those meetings")
    assert_offsets(text, [cand])


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Tom Hale — the harbour master, who retired in May — said the ferry was unsafe.", "Tom Hale"),
        ("Ana Ruiz – a pilot, 52, from Leith – said the ferry was unsafe.", "Ana Ruiz"),
    ],
)
def test_a_speaker_before_dashes_is_not_the_last_words_between_them(text, claimant):
    """ "Tom Hale — the harbour master, who retired in May — said …" was said by "who retired in May": the tagger
    took the words from the comma to the closing dash for the source."""
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.claimant_type, cand.content) == (claimant, "named", "the ferry was unsafe")
    assert text[cand.source_start : cand.source_end] == claimant


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("Back when he wrote his book, Tom Hale said that he considered debt a last resort.", "Tom Hale"),
        ("THE QUAY Back when he wrote his book, Mr. Hale said that he considered debt a last resort.", "Mr. Hale"),
        ("After she wrote to the board, Ana Ruiz said the quay was unsafe.", "Ana Ruiz"),
    ],
)
def test_a_reporting_verb_in_an_opening_when_clause_is_not_the_speakers(text, claimant):
    """ "Back when he wrote his book, Tom Hale said …" was said by "he": the first reporting verb of the sentence
    ("wrote") was in the clause that says when, and the main clause's speaker was never read."""
    (cand,) = rules.extract_candidates(text)
    assert cand.claimant == claimant
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.cue) == (claimant, "said")


def test_a_reporting_verb_in_an_opening_clause_alone_still_counts():
    (cand,) = extract_candidates("After he said the plant would close, shares fell.")
    assert (cand.claimant, cand.cue, cand.content) == ("he", "said", "the plant would close")


def test_he_after_a_known_surname_opening_the_sentence_is_that_person():
    """ "Hale went on to explain how he believes …" was Tom Lund's: "he" was resolved to the person named last, the
    radio host, while the sentence opens with the surname of the general named in full before."""
    text = (
        "Retired Gen. Norman Hale is speaking out about the problems he has with Mayor Ana Ruiz.\n\n"
        "In an interview with Harbour Radio host Tom Lund, Hale made it clear he had misgivings about the port.\n\n"
        "Hale went on to explain how he believes cuts to the harbour budget left the pilots unable to work."
    )
    last = rules.extract_candidates(text)[-1]
    assert (last.claimant, last.claimant_type) == ("Hale", "named")
    last = extract_candidates(text)[-1]
    assert (last.claimant, last.cue) == ("Hale", "went on to explain")


@pytest.mark.parametrize(
    "intro",
    [
        "Hale made the following comment:",
        "On July 6, Hale gave this answer:",
        "Her colleague, Ana Ruiz, was less certain:",
    ],
)
def test_a_colon_closing_a_line_introduces_the_quotation_below(intro):
    """ "Hale made the following comment:" closing its paragraph left the quotation below unattributed: a colon
    introduction without a reporting verb counted only with its quotation on the same line."""
    text = intro + "\n\n“For young pilots who have left school, the jobs are gone.”"
    speaker = "Ana Ruiz" if "Ruiz" in intro else "Hale"
    assert [(c.kind, c.claimant) for c in rules.extract_candidates(text)] == [("quote", speaker)]
    quote = [c for c in extract_candidates(text) if c.quote]
    assert [(c.kind, c.claimant) for c in quote] == [("quote", speaker)]


@pytest.mark.parametrize("opener", ["After", "Before", "Whenever", "Till", "Whilst", "Because", "While", "Though"])
@pytest.mark.parametrize(
    "speaker,claimant",
    [("Tom Hale", "Tom Hale"), ("the mayor", "the mayor"), ("Mayor Ana Ruiz", "Ana Ruiz")],
)
def test_a_subordinating_word_opening_the_sentence_is_no_part_of_the_speaker(opener, speaker, claimant):
    """ "After Tom Hale said the ferry was unsafe, shares fell." gave the claimant "After Tom Hale": "after",
    "before", "whenever" … open a clause as "when" does, and are never part of whoever speaks in it."""
    text = f"{opener} {speaker} said the ferry was unsafe, shares fell."
    (cand,) = extract_candidates(text)
    assert (cand.claimant, cand.cue) == (claimant, "said")
    assert text[cand.source_start : cand.source_end] == speaker.removeprefix("Mayor ")
    assert rules.clean_np(f"{opener} {speaker}") == claimant


@pytest.mark.parametrize("opener", ["Unless", "If", "Once", "Until", "Whenever", "After"])
def test_a_subordinating_word_alone_is_no_speaker(opener):
    assert rules.clean_np(opener) == ""
    for cand in extract_candidates(f"{opener} the mayor said the ferry was unsafe, shares fell."):
        assert (cand.claimant or "").split()[:1] != [opener]


@pytest.mark.parametrize(
    "written,contracted",
    [
        ("Fabrikam did not respond to requests for comment.", "Fabrikam didn't respond to requests for comment."),
        ("Fabrikam did not respond to requests for comment.", "Fabrikam didn’t respond to requests for comment."),
        (
            "Fabrikam did not immediately respond to a request for comment.",
            "Fabrikam didn’t immediately respond to a request for comment.",
        ),
        (
            "Tom Hale has not responded to several emails seeking comment.",
            "Tom Hale hasn't responded to several emails seeking comment.",
        ),
    ],
)
def test_a_refusal_to_comment_reads_the_same_contracted_or_not(written, contracted):
    """ "did not respond to requests for comment" gave a no-comment with no content, "didn't respond to requests
    for comment" one whose content was "requests for comment" and cue "didn't respond to": the same refusal, two
    candidates. Both are now one, the refusal as cue and what went unanswered as content."""

    def read(text: str) -> list[tuple]:
        return [
            (c.kind, c.claimant, c.content, c.cue.replace("n’t", " not").replace("n't", " not"))
            for c in extract_candidates(text)
        ]

    (first,) = read(written)
    assert first[:2] == ("no_comment", written.split(" did")[0].split(" has")[0])
    assert first[2] == written.split(" to ")[-1].rstrip(".")
    assert first[3].split()[-1].startswith("respond")
    assert read(contracted) == [first]


@pytest.mark.parametrize(
    "text,claimant",
    [
        ("The quay will close in June, residents say. “We have nowhere else to go.”", "residents"),
        ("The quay will close in June, Tom Hale said. “We have nowhere else to go.”", "Tom Hale"),
        ("The quay will close in June, the harbour master said on Monday. “We were not told.”", "the harbour master"),
    ],
)
def test_a_closing_attribution_before_a_quotation_keeps_its_own_words(text, claimant):
    """ "…, residents say. “We have nowhere else to go.”" gave a first candidate with no content: the tagger tied
    "say" to the quotation after it, and the words before the comma were no one's. They are what was said there;
    the quotation is the same speaker going on. No candidate is offered with nothing said in it."""
    first, second = extract_candidates(text)
    assert (first.kind, first.claimant, first.content) == ("claim", claimant, "The quay will close in June")
    assert (second.kind, second.claimant) == ("quote", claimant)
    assert second.content.startswith(("We have", "We were"))


def test_a_sentence_of_body_text_full_of_names_is_no_headline():
    """ "Mayor Ana Ruiz met Tom Hale. She said …" gave "she" to Tom Hale: a short sentence of capitalised words was
    read as a headline, where a title names no one, so only Tom Hale was counted. A sentence closing with a full
    stop inside a paragraph is body text: two people are named, and "she" may be either."""
    text = "Mayor Ana Ruiz met Tom Hale. She said the quay would close."
    for found in (rules.extract_candidates(text), extract_candidates(text)):
        (cand,) = found
        assert (cand.claimant, cand.claimant_type) == ("she", "unattributed")


@pytest.mark.parametrize(
    "text,claimant",
    [
        # a title says which
        ("Mrs. Ana Ruiz toured the quay on Monday.\nHe said the ferry was unsafe.", "he"),
        ("Mr. Tom Hale toured the quay on Monday.\nShe said the ferry was unsafe.", "she"),
        ("Ms. Ruiz toured the quay on Monday. He said the ferry was unsafe.", "he"),
        # so does an earlier pronoun for the same person
        ("Tom Hale toured the quay on Monday. He said the ferry was unsafe. She said the fares would rise.", "she"),
        # and agreeing with either, the pronoun is still that person
        ("Mrs. Ana Ruiz toured the quay on Monday.\nShe said the ferry was unsafe.", "Mrs. Ana Ruiz"),
        ("Tom Hale toured the quay on Monday. He said the ferry was unsafe. He said the fares would rise.", "Tom Hale"),
    ],
)
def test_a_pronoun_is_not_given_to_a_person_the_text_says_is_of_the_other_gender(text, claimant):
    """ "she" went to the one person named before it, whoever that was: "Mr. Tom Hale … She said …" was Tom Hale's.
    Where the text gives a person's gender (Mr, Mrs, Ms, Miss; a "he" or "she" already resolved to them), a
    pronoun of the other gender is not theirs."""
    assert rules.extract_candidates(text)[-1].claimant == claimant
    assert extract_candidates(text)[-1].claimant == claimant
