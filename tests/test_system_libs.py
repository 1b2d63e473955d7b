"""scripts/check_system_libs.py: only a library PDFs cannot be made without stops set-up."""

from __future__ import annotations

import ctypes.util
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parents[1]
SCRIPT = ROOT / "scripts" / "check_system_libs.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_system_libs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _without(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda n: None if n in names else real(n))


def test_a_missing_speed_library_is_a_warning_and_set_up_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without(monkeypatch, "harfbuzz-subset")
    assert _script().main() == 0
    assert capsys.readouterr().err.splitlines() == [
        "warning: missing system library libharfbuzz-subset (Debian package "
        "libharfbuzz-subset0): font subsetting; PDFs are still made, but rendering is about "
        "1.7x slower; set-up goes on",
        "install with: sudo apt-get install -y libharfbuzz-subset0",
    ]


def test_a_missing_required_library_stops_set_up_with_the_install_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without(monkeypatch, "pango-1.0", "fontconfig", "harfbuzz-subset")
    assert _script().main() == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "missing system library libpango-1.0 (Debian package libpango-1.0-0): Pango lays out "
        "the text of every PDF"
    )
    assert err[-1] == (
        "install with: sudo apt-get install -y libpango-1.0-0 libfontconfig1 libharfbuzz-subset0"
    )


def test_ci_still_installs_the_speed_library() -> None:
    """.ci/run takes its packages from the install line, whatever the exit status."""
    ci = (ROOT / ".ci" / "run").read_text()
    expression = re.search(r"sed -n '([^']+)'", ci)
    assert expression is not None
    fake = (
        "import ctypes.util, runpy, sys; real = ctypes.util.find_library; "
        "ctypes.util.find_library = lambda n: None if n == 'harfbuzz-subset' else real(n); "
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')"
    )
    command = f"{sys.executable} -c {fake!r} 2>&1 | sed -n '{expression.group(1)}' || true"
    sed = f"sed -n '{expression.group(1)}'"
    assert f"packages=$(python3 scripts/check_system_libs.py 2>&1 | {sed} || true)" in ci
    out = subprocess.run(
        ["bash", "-c", f"set -euo pipefail; {command}"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "libharfbuzz-subset0"
    assert "if ! python3 scripts/check_system_libs.py" not in ci  # exit 0 must not skip it
