"""Writing a file so that a crash or a reader sees the old file or the new one, never half.

Shared by the store, the settings and the PDF renderer: durability depends on a handful of
easy-to-forget steps (temp file beside the target, mode 0600 from creation, fsync,
os.replace, fsync of the directory), so they are written once, here.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

#: Client data is confidential: the owner alone may read what accmgr writes.
FILE_MODE = 0o600

#: Temp files are named ``.<target>.accmgr-tmp.<pid>.<8 hex digits>``: a shape no other
#: program's files have, so cleaning up after a killed accmgr never removes anyone else's.
TEMP_NAME = re.compile(r"\..+\.accmgr-tmp\.\d+\.[0-9a-f]{8}")


def temp_path(path: Path) -> Path:
    """Where ``path``'s new content is written before it replaces ``path``."""
    return path.with_name(f".{path.name}.accmgr-tmp.{os.getpid()}.{secrets.token_hex(4)}")


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` survive a power cut (POSIX needs this)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a reader or a crash sees the old or the new file.

    Temp file in the same directory (so the rename cannot cross file systems), mode 0600 from
    its creation, fsync, ``os.replace``, fsync of the directory.
    """
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
