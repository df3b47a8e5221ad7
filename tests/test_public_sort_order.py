"""Paging through a sorted table gives every row once (tracker/public/plugins/sort_order.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.test_public import get, publish_into
from tests.test_public_html_cells import build_wide_site
from tracker.public import make_datasette


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The demo story and 250 more claims logged in one go: their events tie on the date to the second."""
    folder, _ = publish_into(tmp_path_factory, "sorted", build_wide_site)
    return folder


def every_page(ds, path: str) -> list:
    """The key of each row of each page, following the `next_url` links to the end."""
    keys = []
    while path:
        body = get(ds, path).json()
        assert "rows" in body, body
        keys += [row["id"] if "id" in row else row["slug"] for row in body["rows"]]
        assert len(keys) < 10_000, "the links go round in circles"
        following = body.get("next_url")
        path = following and urlsplit(following)._replace(scheme="", netloc="").geturl()
    return keys


@pytest.mark.parametrize(
    "table, query",
    [
        ("events", "_sort=date"),
        ("events", "_sort_desc=date"),
        ("events", ""),  # the table's default sort (metadata.yml)
        ("claims", "_sort=first_reported_at"),
        ("claims", ""),
        ("events", "_sort=date&_where=id+%3E+0"),  # a visitor's clause: the query runs in a SQL worker
        ("events", "_sort=kind"),
    ],
)
def test_paging_a_sorted_table_gives_every_row_once(folder, table, query):
    """Datasette ordered a sorted table's first page by the column alone and its later pages by the column and the
    key: when the first page ended inside a run of ties (250 events of one second), `_sort=date` seven a time gave
    8 of 259 events, one of them twice. (Twenty a time: 13 pages, within a visitor's SQL rate under `_where=`.)"""
    with sqlite3.connect(folder / "public.db") as conn:
        expected = sorted(row[0] for row in conn.execute(f"select id from {table}"))
        ties = conn.execute(f"select max(n) from (select count(*) as n from {table} group by 1 = 1)").fetchone()[0]
    assert ties > 200
    ds = make_datasette(str(folder / "public.db"))
    keys = every_page(ds, f"/public/{table}.json?_size=20&_shape=objects&{query}")
    assert len(keys) == len(set(keys)), "a row was sent twice"
    assert sorted(keys) == expected, f"{len(set(expected) - set(keys))} rows never sent"


def test_a_visitors_own_sql_is_run_as_written_even_in_the_shape_of_a_page(folder):
    """The tie-break is Datasette's page SQL's only: a visitor's query that looks the same is theirs to order."""
    ds = make_datasette(str(folder / "public.db"))
    asked = "select id, date from events order by date limit 3"
    body = get(ds, "/public.json?_shape=objects&sql=" + asked.replace(" ", "+")).json()
    with sqlite3.connect(folder / "public.db") as conn:
        as_written = [row[0] for row in conn.execute(asked)]
        tiebroken = [row[0] for row in conn.execute(asked.replace("by date", "by date, id"))]
    assert as_written != tiebroken, "the test needs ties the key would reorder"
    assert [row["id"] for row in body["rows"]] == as_written
