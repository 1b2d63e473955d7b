"""How responsive the pipeline is at a key-account manager's real size, as ratios of one run.

With ``fill_demo(scale="kam")`` data (500 clients, 5 000 deals, 50 000 activities) in a
temporary store, driven by Textual's Pilot at 120×40:

1. start_ratio: from opening the store to the pipeline being interactive (every column
   filled), against a bare Textual app's start plus a bare ``json.loads`` of the same
   data.json. Both warm (imports done), median of several. Target ≤ 1.5.
2. filter_median_ms: from a keystroke in the filter to the board re-drawn (the key handled,
   the columns updated and the screen refreshed), median over a typed sequence that narrows
   and widens the filter. Target ≤ 50 ms.

The last line prints the figures as name=value pairs.

Where the pipeline's start goes (kam data, 2 cores shared with other work, Nov 2026):
opening the store 350-450 ms (parsing data.json); the app up to the screen's mount ~50 ms;
then the board's read in a worker — the open deals projected from the stored documents
(services/board.py) 25-40 ms, the clients' warnings from their reliability profiles
15-30 ms, the cards 40-85 ms — while the UI thread lays out the empty board (~90 ms); then
the cards drawn and the footer built once, 150-200 ms. Before: the cards were built from
pydantic-validated deals (250-370 ms while the first paint ran), the warnings from whole
clients (~80 ms), and the footer was rebuilt seven times (~200 ms): 1.0-1.3 s in all,
start_ratio 1.33-1.92; now 0.77-0.97 s.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from accmgr.domain.stages import Stage
from accmgr.services.demo import fill_demo
from accmgr.services.workspace import Workspace
from accmgr.store import open_store

REPEATS = 3
# Narrow, widen, and the two ends: a client's name, an owner, a tag-like word, nonsense.
KEYS = (
    *"bal", "backspace", "backspace", "backspace",
    *"ana", "ctrl+u", *"uab", "backspace", "backspace", "backspace",
    *"zzq", "ctrl+u", *"fit", "ctrl+u",
)  # fmt: skip


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("bare")
        yield Footer()


async def bare_start() -> float:
    start = time.perf_counter()
    async with Bare().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


def bare_parse(path: Path) -> float:
    import json

    start = time.perf_counter()
    json.loads((path / "data.json").read_bytes())
    return time.perf_counter() - start


async def wait_ready(app: object) -> None:
    from accmgr.screens.pipeline import PipelineScreen

    while True:
        screen = app.screen  # type: ignore[attr-defined]
        if isinstance(screen, PipelineScreen) and screen.ready:
            return
        await asyncio.sleep(0.002)


async def pipeline_start(path: Path) -> tuple[float, int]:
    from accmgr.app import AccmgrApp
    from accmgr.screens.pipeline import PipelineScreen

    start = time.perf_counter()
    store = open_store(path)
    try:
        app = AccmgrApp(Workspace(store=store, clock=_now))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(app)
            await pilot.pause()
            elapsed = time.perf_counter() - start
            screen = app.screen
            assert isinstance(screen, PipelineScreen)
            cards = sum(len(screen.column(stage).cards) for stage in Stage)
            return elapsed, cards
    finally:
        store.close()


async def filter_keystrokes(path: Path) -> list[float]:
    """Keystroke to re-drawn board, timed inside the app's loop.

    Pilot's ``press`` + ``pause`` wait for the process to look idle (polling CPU time in
    20 ms steps): ~80 ms per key even on a bare Input, so they cannot time a keystroke. Here
    the key event goes to the driver as Pilot sends it, the loop spins until the board has
    applied the new filter, and the screen is then composited synchronously — what the
    terminal would get on its next refresh tick (at most 1/60 s later).
    """
    from textual import events
    from textual.widgets import Input

    from accmgr.app import AccmgrApp
    from accmgr.screens.pipeline import PipelineScreen

    store = open_store(path)
    try:
        app = AccmgrApp(Workspace(store=store, clock=_now))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(app)
            await pilot.press("slash")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PipelineScreen)
            box = screen.query_one("#filter", Input)
            driver = app._driver
            assert driver is not None
            times = []
            for key in KEYS * 2:
                before = box.value
                event = events.Key(key, key if len(key) == 1 else None)
                start = time.perf_counter()
                driver.send_message(event)
                while box.value == before or screen.applied_filter != box.value.strip().lower():
                    await asyncio.sleep(0)
                screen._on_timer_update()
                times.append(time.perf_counter() - start)
                await pilot.pause()  # let the Input's cursor and timers settle between keys
            return times
    finally:
        store.close()


def _now() -> datetime:
    from dateutil import tz

    return datetime(2026, 11, 23, 10, 0, tzinfo=tz.gettz("Europe/Vilnius"))


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ACCMGR_CONFIG"] = str(Path(tmp) / "config")
        path = Path(tmp) / "db"
        store = open_store(path)
        fill_demo(store, scale="kam", now=_now())
        store.close()
        size_mb = (path / "data.json").stat().st_size / 1e6
        print(f"kam data: {size_mb:.1f} MB data.json", flush=True)

        await bare_start()  # warm: imports, CSS parser
        await pipeline_start(path)
        bare = [await bare_start() for _ in range(REPEATS)]
        parse = [bare_parse(path) for _ in range(REPEATS)]
        ours = [await pipeline_start(path) for _ in range(REPEATS)]
        base = statistics.median(bare) + statistics.median(parse)
        start = statistics.median(t for t, _ in ours)
        cards = ours[0][1]
        print(
            f"start: pipeline {start * 1000:.0f} ms ({cards} cards) vs bare app "
            f"{statistics.median(bare) * 1000:.0f} ms + json.loads "
            f"{statistics.median(parse) * 1000:.0f} ms",
            flush=True,
        )

        times = await filter_keystrokes(path)
        median_ms = statistics.median(times) * 1000
        p90_ms = statistics.quantiles(times, n=10)[-1] * 1000
        print(
            f"filter: {len(times)} keystrokes, median {median_ms:.1f} ms, p90 {p90_ms:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms",
            flush=True,
        )
        ratio = start / base
        ok = ratio <= 1.5 and median_ms <= 50
        print(
            f"start_ratio={ratio:.2f} filter_median_ms={median_ms:.1f} "
            f"filter_p90_ms={p90_ms:.1f} targets_met={'yes' if ok else 'no'}"
        )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
