"""Small file-system primitives every other store module builds on.

Why a module of its own: durability depends on a handful of easy-to-forget steps (fsync the
file, replace atomically, fsync the directory, set modes explicitly rather than trusting the
umask). Getting them right once, here, keeps the callers readable.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import NamedTuple

# Re-exported: the other store modules name them through this module.
from accmgr.durable import FILE_MODE as FILE_MODE
from accmgr.durable import TEMP_NAME as TEMP_NAME
from accmgr.durable import fsync_dir as fsync_dir
from accmgr.durable import temp_path as temp_path
from accmgr.durable import write_atomic as write_atomic

#: Client data is confidential: the owner alone may read it (DESIGN.md, "Rules of the domain").
DIR_MODE = 0o700

#: What accmgr before the distinctive temp names left behind: ``.<one of our files>.<pid>.tmp``.
_OLD_TEMP_NAME = re.compile(r"\.(data\.json|journal\.jsonl|accmgr-[^/]+\.json)\.\d+\.tmp")


class FileId(NamedTuple):
    """What identifies one version of a file cheaply: a changed value means "read it again".

    The inode alone is not enough: after ``os.replace`` a freed inode number can come back for
    a later file, so size and modification time take part as well.
    """

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileId:
        return cls(st.st_ino, st.st_size, st.st_mtime_ns)


def stat_id(path: Path) -> FileId | None:
    """The file's identity, or None when it does not exist."""
    try:
        return FileId.of(os.stat(path))
    except FileNotFoundError:
        return None


def ensure_dir(path: Path) -> None:
    """Create ``path`` (and parents) if missing; a directory we create gets mode 0700."""
    if path.is_dir():
        return
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    fsync_dir(path.parent)  # or a power cut could take the new folder, and all in it, away


def is_own_temp_file(name: str) -> bool:
    """True for a temp file accmgr wrote (see TEMP_NAME), never for anybody else's."""
    return bool(TEMP_NAME.fullmatch(name) or _OLD_TEMP_NAME.fullmatch(name))


def remove_temp_files(folder: Path) -> None:
    """Delete temp files a killed accmgr left behind, and only those (call with the lock
    held: every write_atomic in the database runs under it, so no live writer owns one)."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        if is_own_temp_file(name):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


def read_bytes(path: Path) -> tuple[bytes, FileId]:
    """The whole file and the identity of the very version that was read (fstat, not stat)."""
    with open(path, "rb") as handle:
        st = os.fstat(handle.fileno())
        return handle.read(), FileId.of(st)
