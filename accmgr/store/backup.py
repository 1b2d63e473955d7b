"""Backups: single-file copies of the database in the snapshot layout, and their rotation.

Names are ``accmgr-<UTC timestamp with microseconds>[-auto-<reason>].json`` so that sorting
names sorts by age. Automatic backups (daily on open, before a migration, before a restore)
carry ``-auto-`` and only they are rotated: the newest :data:`KEEP_AUTOMATIC` of each reason
are kept, so a run of daily opens never pushes out the copy taken before a restore or a
migration. A backup someone asked for is never deleted by accmgr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shlex
import time
from pathlib import Path

from accmgr.errors import StoreError
from accmgr.store import files

BACKUP_DIR = "backups"
KEEP_AUTOMATIC = 10
DAILY_SECONDS = 24 * 3600
_PREFIX = "accmgr-"
AUTO_MARK = "-auto-"


def _stamp() -> str:
    now = dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S.") + f"{now.microsecond:06d}Z"


def default_path(db: Path, reason: str | None = None) -> Path:
    suffix = f"{AUTO_MARK}{reason}" if reason else ""
    return db / BACKUP_DIR / f"{_PREFIX}{_stamp()}{suffix}.json"


def list_backups(db: Path) -> list[Path]:
    """Backups in the database's backup folder, newest first."""
    folder = db / BACKUP_DIR
    try:
        names = os.listdir(folder)
    except OSError:  # missing or unreadable: either way there is no backup to offer
        return []
    found = [n for n in names if n.startswith(_PREFIX) and n.endswith(".json")]
    return [folder / n for n in sorted(found, reverse=True)]


def restore_hint(db: Path) -> str:
    """The sentence every damage message ends with: what the user can do about it."""
    # The commands name the database explicitly: the damaged one need not be the default.
    from accmgr.store.integrity import usable_backup  # it reads records through the domain

    where = shlex.quote(str(db))
    backups = list_backups(db)
    newest = next((path for path in backups if usable_backup(path)), None)
    if newest is not None:
        return (
            "Restore the newest backup with: "
            f"accmgr --data {where} restore {shlex.quote(str(newest))}"
        )
    if backups:
        return (
            f"No backup in {db / BACKUP_DIR} passes the checks a restore makes; run "
            f"accmgr --data {where} check to see every problem."
        )
    return f"There is no backup; run accmgr --data {where} check to see every problem."


def write(dest: Path, data: bytes) -> Path:
    """Write a backup atomically with mode 0600; an existing file is never overwritten."""
    if dest.exists():
        raise StoreError(f"{dest} already exists; choose another file name for the backup")
    files.ensure_dir(dest.parent)
    files.write_atomic(dest, data)
    return dest


def rotate(db: Path) -> None:
    """Delete automatic backups beyond the newest KEEP_AUTOMATIC of each reason."""
    by_reason: dict[str, list[Path]] = {}
    for path in list_backups(db):  # newest first
        if AUTO_MARK in path.name:
            reason = path.name.split(AUTO_MARK, 1)[1]
            by_reason.setdefault(reason, []).append(path)
    for paths in by_reason.values():
        for old in paths[KEEP_AUTOMATIC:]:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()


def daily_due(db: Path) -> bool:
    """True when no backup at all was made in the last day."""
    backups = list_backups(db)
    if not backups:
        return True
    try:
        age = time.time() - backups[0].stat().st_mtime
    except FileNotFoundError:
        return True
    return age > DAILY_SECONDS
