"""The database lock: one writer at a time, across processes and across threads.

``filelock.FileLock`` (flock on ``path/lock``) serialises processes; a ``threading.RLock``
serialises threads of this process, which also keeps TinyDB (not thread-safe) on one thread
at a time. Both are re-entrant, so nested use within one thread is fine.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

import filelock

from accmgr.errors import LockTimeoutError
from accmgr.store import files


class DatabaseLock:
    def __init__(self, lock_path: Path, timeout: float) -> None:
        self.path = lock_path
        self.timeout = timeout
        self.local = threading.RLock()
        self._file = filelock.FileLock(
            lock_path,
            timeout=timeout,
            mode=files.FILE_MODE,
            thread_local=False,
            preserve_lock_file=True,
        )

    def acquire(self, timeout: float | None = None) -> None:
        """Take both locks; LockTimeoutError (with a message for the user) on timeout."""
        wait = self.timeout if timeout is None else timeout
        if not self.local.acquire(timeout=wait if wait >= 0 else -1):
            raise self._timeout_error(wait)
        try:
            self._file.acquire(timeout=wait)
        except filelock.Timeout:
            self.local.release()
            raise self._timeout_error(wait) from None
        except BaseException:
            self.local.release()
            raise
        try:
            if os.stat(self.path).st_mode & 0o777 != files.FILE_MODE:
                os.chmod(self.path, files.FILE_MODE)
        except OSError:
            pass  # the lock works regardless; check_database reports a wrong mode

    def release(self) -> None:
        self._file.release()
        self.local.release()

    def _timeout_error(self, wait: float) -> LockTimeoutError:
        db = self.path.parent
        return LockTimeoutError(
            f"the database {db} is busy: another accmgr process has held its lock for over "
            f"{wait:g} s; try again or close the other one"
        )

    def __enter__(self) -> DatabaseLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
