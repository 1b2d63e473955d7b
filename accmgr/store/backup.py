"""Backups: single-file copies of the database in the snapshot layout, and their rotation.

Names are ``accmgr-<UTC timestamp with microseconds>[-auto-<reason>].json``. Automatic
backups (daily, before a migration, before a restore) carry ``-auto-`` and only they are
rotated: the newest :data:`KEEP_AUTOMATIC` of each reason are kept, so a run of daily opens
never pushes out the copy taken before a restore or a migration. A backup someone asked for
is never deleted by accmgr.

Age is the moment a file was written (its modification time), never the time in its name:
a name is only what the clock said then, and a clock that was wrong (or a hand-made name)
must not make accmgr delete the backup it has just written. A backup dated after now means
the clock went backwards (or was wrong when it was written): it is kept, not rotated, and
said (:func:`clock_warning`), until the clock has caught up with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shlex
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from accmgr.errors import StoreError
from accmgr.store import files

BACKUP_DIR = "backups"
KEEP_AUTOMATIC = 10
DAILY_SECONDS = 24 * 3600
_PREFIX = "accmgr-"
AUTO_MARK = "-auto-"
#: How far in the future a backup may be dated before it counts as written by a wrong clock
#: (clocks are corrected by a few seconds now and then; that is not "going backwards").
CLOCK_SLACK_SECONDS = 120.0


@dataclass(frozen=True)
class Entry:
    """One backup file: where, when it was written (its mtime) and why (None: by hand)."""

    path: Path
    moment: float
    reason: str | None


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


def reason_of(path: Path) -> str | None:
    """Why an automatic backup was made ("daily", "before-restore"…); None for a manual one."""
    if AUTO_MARK not in path.name:
        return None
    return path.name.removesuffix(".json").split(AUTO_MARK, 1)[1]


def entries(db: Path) -> list[Entry]:
    """Every backup in the database's backup folder, newest written first."""
    found: list[Entry] = []
    for path in list_backups(db):
        try:
            moment = os.lstat(path).st_mtime
        except FileNotFoundError:
            continue  # rotated away by another accmgr meanwhile
        found.append(Entry(path, moment, reason_of(path)))
    found.sort(key=lambda e: (e.moment, e.path.name), reverse=True)
    return found


def _in_future(entry: Entry, now: float) -> bool:
    return entry.moment > now + CLOCK_SLACK_SECONDS


def rotate(db: Path, keep: Path | None = None) -> None:
    """Delete automatic backups beyond the newest KEEP_AUTOMATIC of each reason.

    ``keep`` (the backup just written) is never deleted, nor is a backup dated in the future:
    with a clock gone backwards it would otherwise look like the newest and push out the
    real newest ones, and deleting on the word of a wrong clock cannot be undone.
    """
    now = time.time()
    by_reason: dict[str, list[Entry]] = {}
    for entry in entries(db):  # newest first
        if entry.reason is None or entry.path == keep or _in_future(entry, now):
            continue
        by_reason.setdefault(entry.reason, []).append(entry)
    kept_reason = reason_of(keep) if keep else None
    for reason, group in by_reason.items():
        room = KEEP_AUTOMATIC - (1 if reason == kept_reason else 0)
        for old in group[max(room, 0) :]:
            with contextlib.suppress(FileNotFoundError):
                old.path.unlink()


def daily_due(db: Path) -> bool:
    """True when no backup was written in the last day (by a clock that was not ahead)."""
    now = time.time()
    return not any(
        now - DAILY_SECONDS <= e.moment <= now + CLOCK_SLACK_SECONDS for e in entries(db)
    )


def clock_warning(db: Path) -> str | None:
    """One line when backups are dated after now: the clock has gone backwards."""
    now = time.time()
    ahead = [e for e in entries(db) if _in_future(e, now)]
    if not ahead:
        return None
    newest = dt.datetime.fromtimestamp(ahead[0].moment, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    count = "1 backup" if len(ahead) == 1 else f"{len(ahead)} backups"
    return (
        f"{count} in {db / BACKUP_DIR} dated after now (newest {newest}): the clock has gone "
        "backwards or was wrong; they are kept and not rotated — check the date and time"
    )


def copy_file(source: Path, dest: Path) -> Path:
    """A backup that is a byte copy of ``source`` (a data.json with nothing on top of it).

    Bytes are copied as they are (no decoding, no encoding): a fraction of the cost of
    writing the snapshot from memory. Atomic and 0600 like :func:`write`.
    """
    if dest.exists():
        raise StoreError(f"{dest} already exists; choose another file name for the backup")
    files.ensure_dir(dest.parent)
    tmp = files.temp_path(dest)
    try:
        with open(source, "rb") as src:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, files.FILE_MODE)
            with open(fd, "wb") as out:
                os.fchmod(fd, files.FILE_MODE)
                shutil.copyfileobj(src, out, length=1 << 20)
                out.flush()
                os.fsync(fd)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    files.fsync_dir(dest.parent)
    return dest
