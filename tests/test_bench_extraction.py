"""The extraction benchmark's measure and its intervals, on small pages written here (no corpus needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "extraction.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def page(bench, n: int, date: str):
    expected = {"with": [f"story {n}"], "without": [f"menu {n}"], "title": f"Title {n}", "author": "", "date": date}
    return bench.Page(f"p{n}", b"", expected, f"https://example.org/{n}", "B")


def scored(bench, outputs):
    result = bench.Score()
    for n, (text, date) in enumerate(outputs):
        result.add(page(bench, n, "2022-05-03"), bench.Output(text, f"Title {n}", None, date), 0.01, False)
    return result


def test_counts_are_summed_page_by_page_and_kept_per_page(bench):
    result = scored(bench, [("story 0", "2022-05-03"), ("story 1 menu 1", "2021-01-01"), ("", None)])
    assert (result.tp, result.fp, result.fn, result.tn) == (2, 1, 1, 2)
    assert result.meta_hits["date"] == 1 and result.meta_total["date"] == 3
    assert [p.tp for p in result.per_page] == [1, 1, 0]
    assert len(result.misses) == 2  # the second page kept a menu and got the date wrong; the third missed all


def test_interval_holds_the_figure_and_is_the_same_every_run(bench):
    outputs = [("story", "2022-05-03")] * 30 + [("", None)] * 10
    result = scored(bench, [(f"{text} {n}" if text else "", d) for n, (text, d) in enumerate(outputs)])
    low, high = result.intervals()["date_exact"]
    assert low < result.figures()["date_exact"] == 0.75 < high
    assert result.intervals() == result.intervals()


def test_lead_over_itself_is_nothing_and_a_better_extractor_leads(bench):
    good = scored(bench, [(f"story {n}", "2022-05-03") for n in range(20)])
    poor = scored(bench, [(f"story {n} menu {n}" if n % 2 else "", None) for n in range(20)])
    assert good.intervals(good)["body_f1"] == (0.0, 0.0)
    low, high = good.intervals(poor)["date_exact"]
    assert low == high == 1.0  # every page dated by one, none by the other, whatever pages are drawn
    assert good.intervals(poor)["body_f1"][0] > 0
