"""Write the README's screenshot: the pipeline on small demo data, 120×40, a fixed clock.

Run with ``.venv/bin/python scripts/screenshot.py`` after a change to how the board looks;
the picture is an SVG made by Textual itself, so it matches what a terminal shows.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from accmgr.app import AccmgrApp
from accmgr.screens.pipeline import PipelineScreen
from accmgr.services.demo import fill_demo
from accmgr.services.workspace import Workspace
from accmgr.store import open_store

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
OUT = Path(__file__).resolve().parents[1] / "docs" / "pipeline.svg"


def _now() -> datetime:
    return NOW


async def shoot(folder: Path) -> None:
    store = open_store(folder / "db")
    try:
        fill_demo(store, scale="small", now=NOW)
        app = AccmgrApp(Workspace(store=store, clock=_now), "pipeline")
        async with app.run_test(size=(120, 40)) as pilot:
            while not (isinstance(app.screen, PipelineScreen) and app.screen.ready):
                await asyncio.sleep(0.05)
            await pilot.pause(0.5)
            app.save_screenshot(OUT.name, str(OUT.parent))
    finally:
        store.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(shoot(Path(folder)))
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
