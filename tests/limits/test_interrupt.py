"""Ctrl-C at any moment: one line on stderr, exit status 130, the last saved state intact.

Each moment is reproduced in a real process, since what went wrong was Python's own handling
of KeyboardInterrupt outside the command (during imports, and while the interpreter exits).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock

from accmgr.launch import INTERRUPTED

# Installed in the child before accmgr runs: turns one moment of its life into a Ctrl-C.
DURING_IMPORT = """
import sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "accmgr.cli":
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
"""
WHILE_EXITING = """
import atexit, os, signal, time
def ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(2)
atexit.register(ctrl_c)
"""


def _accmgr(prelude: str, *argv: str) -> subprocess.CompletedProcess[str]:
    code = prelude + "import runpy, sys\nsys.argv = ['accmgr', *sys.argv[1:]]\n"
    code += "runpy.run_module('accmgr', run_name='__main__')\n"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60
    )


def _clients(data_dir: Path) -> list[str]:
    listed = _accmgr("", "client", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return [c["name"] for c in json.loads(listed.stdout)]


def test_ctrl_c_while_starting_up(data_dir: Path) -> None:
    done = _accmgr(DURING_IMPORT, "client", "add", "Açores Pescas Lda", "--country", "PT")
    assert (done.returncode, done.stdout, done.stderr) == (130, "", INTERRUPTED + "\n")
    assert not data_dir.exists()


def test_ctrl_c_while_exiting_after_a_saved_write(data_dir: Path) -> None:
    # Seen as an "Exception ignored" traceback and exit status 0.
    done = _accmgr(WHILE_EXITING, "client", "add", "Açores Pescas Lda", "--country", "PT")
    assert (done.returncode, done.stdout, done.stderr) == (130, "C-0001\n", INTERRUPTED + "\n")
    assert _clients(data_dir) == ["Açores Pescas Lda"]


def test_ctrl_c_while_waiting_for_the_lock_writes_nothing(data_dir: Path) -> None:
    assert _accmgr("", "client", "add", "First", "--country", "PT").returncode == 0
    held = filelock.FileLock(data_dir / "lock", thread_local=False)
    with held:
        child = subprocess.Popen(
            [sys.executable, "-m", "accmgr", "client", "add", "Second", "--country", "PT"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)  # started, and waiting for the lock (it waits up to 10 s)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    assert (child.returncode, out, err) == (130, "", INTERRUPTED + "\n")
    assert _clients(data_dir) == ["First"]
