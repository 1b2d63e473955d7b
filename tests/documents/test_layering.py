"""The documents package stays pure and cheap: no UI, no database, no WeasyPrint at import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_renderer_loads_neither_the_ui_nor_the_store_nor_weasyprint() -> None:
    code = (
        "import json, sys\n"
        "import accmgr.documents.render, accmgr.documents.pool, accmgr.documents.fetcher\n"
        "import accmgr.documents.templates_export, accmgr.cli.render\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert "accmgr.documents.render" in loaded
    roots = {name.split(".")[0] for name in loaded}
    assert not roots & {"textual", "tinydb", "weasyprint"}
    assert not {m for m in loaded if m.startswith(("accmgr.store", "accmgr.app"))}
