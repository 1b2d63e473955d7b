"""Shared by the shell's Pilot and snapshot tests: a small fixed database, an isolated config."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from accmgr.services import clients, deals
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.conftest import frozen_now


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config"
    monkeypatch.setenv("ACCMGR_CONFIG", str(path))
    return path


@pytest.fixture
def filled(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    """Two clients with three deals, the clock frozen."""
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now)
    clients.add_client(ws, "Kauno Baldai UAB", country="LT")
    clients.add_client(ws, "Lisboa Têxteis Lda", country="PT")
    deals.add_deal(ws, "C-0001", "Office chairs")
    deals.add_deal(ws, "C-0002", "Linen for hotels")
    deals.add_deal(ws, "C-0001", "Desks")
    try:
        yield ws
    finally:
        store.close()


async def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the screen did not update in time"
        await asyncio.sleep(0.05)
