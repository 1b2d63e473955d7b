"""Schema migrations, applied to the raw snapshot dict when an older database is opened.

``MIGRATIONS[n - 1]`` takes a database from schema ``n`` to ``n + 1``: it receives the tables
(``{table: {id: doc}}``, without ``_meta``) and changes them in place. The store makes an
automatic backup first and writes a new snapshot after the last one, so a migration that
raises leaves the database as it was.

Add a migration by appending a function; never edit or reorder one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Migration = Callable[[dict[str, dict[str, dict[str, Any]]]], None]

MIGRATIONS: list[Migration] = []


def current_version() -> int:
    """The schema this code writes (read at call time so tests can append a migration)."""
    return 1 + len(MIGRATIONS)


def migrate(tables: dict[str, dict[str, dict[str, Any]]], from_version: int) -> int:
    """Run every migration from ``from_version`` on; returns the version reached."""
    version = from_version
    while version < current_version():
        MIGRATIONS[version - 1](tables)
        version += 1
    return version
