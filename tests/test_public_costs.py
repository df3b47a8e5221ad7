"""What one address's requests are charged against its share of the machine (`sql_ms_per_minute`, query_limits.py).

A request is charged all it cost: its SQL, and the CPU its answer took to
draw and encode on the event loop. Counting SQL alone, a page cheap in SQL
but costly to draw cost its address nothing. Here a plugin beside the site's
own makes drawing one column's cells costly (CPU, counted by the plugin
itself), and the site's clock of its shares is held still: whatever the
machine's speed, a first page spends the share and the next is refused.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from datasette.plugins import pm

from tests.conftest import held_still
from tests.test_public import build_site, publish_into
from tracker.public import PLUGINS_DIR, make_datasette

# The share one address may spend a minute, in milliseconds; a page's drawing here costs more than all of it.
SHARE_MS = 300
COSTLY_DRAWING = f"""
import time

from datasette import hookimpl

DRAW_MS = {SHARE_MS * 2}


@hookimpl
def render_cell(value, column):
    # Drawing a claim's `claimant` cell costs DRAW_MS of this thread's CPU (its SQL costs next to nothing).
    if column == "claimant":
        started = time.thread_time()
        while (time.thread_time() - started) * 1000 < DRAW_MS:
            pass
    return None
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder, _ = publish_into(tmp_path_factory, "costs", build_site)
    return folder


@pytest.fixture
def costly_site(folder) -> Iterator:
    """The site with the costly-drawing plugin beside its own (linked, the same files), its shares' clock held still."""
    scratch = Path(tempfile.mkdtemp(prefix="costly-"))
    plugins = scratch / "plugins"
    plugins.mkdir()
    for plugin in PLUGINS_DIR.glob("*.py"):
        (plugins / plugin.name).symlink_to(plugin)
    (plugins / "costly_drawing.py").write_text(COSTLY_DRAWING, encoding="utf-8")
    try:
        yield make_datasette(
            str(folder / "public.db"),
            plugins_dir=plugins,
            plugin_config={"sql_ms_per_minute": SHARE_MS},
            rate_clock=held_still,
        )
    finally:
        pm.unregister(name="costly_drawing.py")
        shutil.rmtree(scratch, ignore_errors=True)


def visitor(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 1000))
    return httpx.AsyncClient(transport=transport, base_url="http://localhost")


@pytest.mark.parametrize(
    "address",
    [
        "/public/claims?_size=1&_col=claimant",  # a table's page: its rows
        "/public?sql=select+claimant+from+claims+limit+1",  # a visitor's SQL, drawn as the SQL page
    ],
)
def test_a_page_cheap_in_sql_but_costly_to_draw_spends_its_addresss_share(costly_site, address):
    """Only the SQL time was charged: a page whose SQL takes a millisecond and whose drawing takes seconds could be
    asked for as often as the reads rate allows. Its drawing is charged now: past the share, the same 429 saying
    why as for costly SQL, while another address is served."""

    async def scenario():
        app = costly_site.app()
        async with visitor(app, "203.0.113.21") as here, visitor(app, "198.51.100.22") as there:
            first = await here.get(address)
            second = await here.get(address.replace("1", "2"))
            other = await there.get(address)
        return first, second, other

    first, second, other = asyncio.run(scenario())
    assert first.status_code == 200, first.text[:300]
    assert second.status_code == 429, second.text[:300]
    assert "share of the site's SQL time" in second.json()["error"]
    assert int(second.headers["retry-after"]) >= 1
    assert other.status_code == 200
