"""Who may read a database: the owner alone (DESIGN.md, "Client data is confidential").

accmgr creates every file 0600 and every folder 0700, whatever the umask; a later ``chmod``,
a copy with ``cp -r`` under a loose umask or a folder made by hand can still open them up, or
leave them owned by another user. Neither stops the work: every command says so in one line
until it is fixed, ``check`` lists each file, and ``check --fix`` narrows the modes of what
belongs to the user. Symbolic links are never followed: a link inside the database could
point anywhere, and changing its target's mode is not ours to do.
"""

from __future__ import annotations

import os
import pwd
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from accmgr.store import backup, files
from accmgr.store.state import DATA_FILE, JOURNAL_FILE, LOCK_FILE


@dataclass(frozen=True)
class Problem:
    path: Path
    line: str
    fixable: bool  # a mode we may narrow: ours, not a link


def _owner(uid: int) -> str:
    try:
        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except KeyError:
        return f"uid {uid}"


def _paths(db: Path) -> Iterator[Path]:
    """The database folder and what accmgr keeps in it (never other files found there)."""
    yield db
    for name in (DATA_FILE, JOURNAL_FILE, LOCK_FILE):
        yield db / name
    yield db / backup.BACKUP_DIR
    yield from backup.list_backups(db)
    for aside in sorted(db.glob("damaged-*")):
        yield aside
        yield aside / DATA_FILE
        yield aside / JOURNAL_FILE


def problems(db: Path) -> list[Problem]:
    """Everything in ``db`` that others may read or that another user owns; reads only."""
    found: list[Problem] = []
    me = os.geteuid()
    for path in _paths(db):
        try:
            # The folder the user named is taken as named; what is inside it never is.
            st = os.stat(path) if path == db else os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISLNK(st.st_mode):
            found.append(
                Problem(
                    path, f"{path} is a symbolic link; accmgr neither follows nor fixes it", False
                )
            )
            continue
        if st.st_uid != me:
            found.append(
                Problem(
                    path,
                    f"{path} belongs to {_owner(st.st_uid)}, not to you; ask them or an "
                    f"administrator to run: chown {_owner(me).split(' ')[0]} {path}",
                    False,
                )
            )
        mode = stat.S_IMODE(st.st_mode)
        if mode & 0o077:
            want = files.DIR_MODE if stat.S_ISDIR(st.st_mode) else files.FILE_MODE
            found.append(
                Problem(
                    path,
                    f"{path} can be read by other users (mode {mode:o}); run: chmod {want:o} "
                    f"{path}",
                    st.st_uid == me,
                )
            )
    return found


def warning(db: Path) -> list[str]:
    """The one line every command prints while anything in ``db`` is open to others."""
    found = problems(db)
    if not found:
        return []
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return [f"{found[0].line}{more}; accmgr --data {db} check --fix narrows what is yours"]


def fix(db: Path) -> list[str]:
    """Narrow the modes of what is ours; one line per change. Never follows a link: each
    file is opened with O_NOFOLLOW and changed through that descriptor, so a link swapped in
    after the check is not followed either."""
    done: list[str] = []
    for problem in problems(db):
        if not problem.fixable:
            continue
        flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        if problem.path == db:
            flags &= ~os.O_NOFOLLOW
        try:
            fd = os.open(problem.path, flags)
        except OSError:
            continue  # gone, or turned into a link meanwhile: check reports it next time
        try:
            st = os.fstat(fd)
            if st.st_uid != os.geteuid():
                continue
            want = files.DIR_MODE if stat.S_ISDIR(st.st_mode) else files.FILE_MODE
            os.fchmod(fd, want)
        finally:
            os.close(fd)
        done.append(f"{problem.path}: mode {stat.S_IMODE(st.st_mode):o} -> {want:o}")
    return done
