"""The layering of STYLE.md, checked: the core never pulls in the UI or the database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CORE = [
    "accmgr.domain.base",
    "accmgr.domain.common",
    "accmgr.domain.stages",
    "accmgr.domain.client",
    "accmgr.domain.deal",
    "accmgr.domain.activity",
    "accmgr.domain.catalog",
    "accmgr.domain.document",
    "accmgr.domain.money",
    "accmgr.domain.dates",
    "accmgr.domain.recurrence",
    "accmgr.services.clients",
    "accmgr.services.deals",
    "accmgr.services.activities",
    "accmgr.services.demo",
]


def _modules_after_import(modules: list[str]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(json.loads(result.stdout))


def test_domain_and_services_import_neither_textual_nor_tinydb() -> None:
    loaded = _modules_after_import(CORE)
    assert "accmgr.domain.deal" in loaded  # the probe really imported the core
    leaked = {m for m in loaded if m.split(".")[0] in {"textual", "tinydb"}}
    assert not leaked, f"the core imported {sorted(leaked)}"
    assert not {m for m in loaded if m.startswith(("accmgr.store", "accmgr.screens", "accmgr.app"))}


def test_store_imports_no_ui() -> None:
    loaded = _modules_after_import(["accmgr.store"])
    assert "tinydb" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "textual"}


def test_only_the_store_package_imports_tinydb() -> None:
    offenders = []
    for path in (ROOT / "accmgr").rglob("*.py"):
        if "store" in path.relative_to(ROOT / "accmgr").parts[:1]:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import tinydb", "from tinydb")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_import_linter_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout
