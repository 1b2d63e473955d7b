"""The ``accmgr`` executable: the CLI's ``main`` with Ctrl-C answered the same way at any moment.

Python turns Ctrl-C into KeyboardInterrupt wherever the program happens to be. ``cli.main``
catches it while a command runs, but not while its modules are imported (a traceback from
deep inside pydantic), nor after it returned, while the interpreter shuts down (an "Exception
ignored" traceback from a finaliser, and the command's exit status 0). So this module, which
imports nothing heavy itself, wraps the whole life of the process: Ctrl-C prints one line and
exits 130, and the database is as the last committed write left it (a write is committed
whole or not at all, so there is nothing to clean up).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType

EXIT_INTERRUPTED = 130
INTERRUPTED = "accmgr: interrupted; nothing after the last saved change was written"


def _say_interrupted() -> None:
    with contextlib.suppress(OSError):  # stderr is gone: the exit status still says it
        os.write(2, (INTERRUPTED + "\n").encode())


def _exit_at_once(signum: int, frame: FrameType | None) -> None:
    # Past the command, Python must not unwind through finalisers: say it and leave.
    _say_interrupted()
    os._exit(EXIT_INTERRUPTED)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from accmgr.cli import main as run

        code = run(argv)
        with contextlib.suppress(OSError):  # a failed final flush Python reports itself
            sys.stdout.flush()
    except KeyboardInterrupt:
        # During the imports, or a second Ctrl-C while cli.main was reporting the first.
        _say_interrupted()
        code = EXIT_INTERRUPTED
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _exit_at_once)
    return code
