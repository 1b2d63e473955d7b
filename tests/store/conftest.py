"""Fixtures for the store tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accmgr.store import Store, integrity, open_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = open_store(db)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def schemaless(request: pytest.FixtureRequest) -> Iterator[None]:
    """The store's mechanics are tested with bare documents ({"title": …}), which the domain
    would refuse; tests marked ``domain`` keep check's and restore's domain checks on.
    (Not monkeypatch: some tests undo their own monkeypatching half-way.)"""
    models = integrity.MODELS
    if request.node.get_closest_marker("domain") is None:
        integrity.MODELS = {}
    yield
    integrity.MODELS = models
