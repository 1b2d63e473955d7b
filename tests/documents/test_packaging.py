"""The wheel carries the templates: setup.py maps templates/ into the package and
pyproject's package data must match every file ``templates export`` copies (checked by
building a wheel by hand; this test keeps a new kind of template file from being left out)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from accmgr.documents.templates_export import default_template_files

ROOT = Path(__file__).resolve().parents[2]


def test_package_data_covers_every_default_template() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["accmgr.templates"]
    assert '"accmgr.templates": "templates"' in (ROOT / "setup.py").read_text(encoding="utf-8")
    files = [path.as_posix() for path in default_template_files()]
    assert "brief.html" in files and "fonts/DejaVuSans.ttf" in files
    left_out = [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert left_out == []
