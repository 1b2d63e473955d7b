"""Shared fixtures: an isolated data and config directory, and a frozen clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from dateutil import tz

FROZEN_NOW = "2026-11-23T10:00:00+02:00"
FROZEN_ZONE = "Europe/Vilnius"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty database directory and config directory, a frozen clock, for the CLI."""
    data = tmp_path / "db"
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("ACCMGR_DATA", str(data))
    monkeypatch.setenv("ACCMGR_CONFIG", str(config))
    monkeypatch.setenv("ACCMGR_NOW", FROZEN_NOW)
    monkeypatch.setenv("COLUMNS", "200")
    yield data


def frozen_now() -> datetime:
    return datetime.fromisoformat(FROZEN_NOW).astimezone(tz.gettz(FROZEN_ZONE))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[object]:
    from accmgr.services.workspace import Workspace
    from accmgr.store import open_store

    store = open_store(tmp_path / "ws")
    try:
        yield Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    finally:
        store.close()


def tree_bytes(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` with its bytes: to show a command wrote nothing."""
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.name != "lock" and os.access(p, os.R_OK)
    }
