"""Fixtures for the store tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accmgr.store import Store, open_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = open_store(db)
    yield s
    s.close()
