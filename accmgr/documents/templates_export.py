"""``accmgr templates export DIR``: copy the default templates somewhere to start from.

Put the edited files in ``<config dir>/templates`` and they win over the defaults; a file
not copied there keeps its default.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from accmgr.documents.render import DEFAULT_TEMPLATES
from accmgr.errors import AccmgrError


class ExportError(AccmgrError):
    """Nothing was copied; the message says why."""


def default_template_files() -> list[Path]:
    """Every default template file, relative to the templates folder."""
    return sorted(
        path.relative_to(DEFAULT_TEMPLATES)
        for path in DEFAULT_TEMPLATES.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def export_templates(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the defaults into ``target``; existing files are kept unless ``force``.

    Checks everything before copying anything, so a refusal leaves ``target`` untouched.
    """
    target = target.expanduser()
    if target.exists() and not target.is_dir():
        raise ExportError(f"templates export: {target} exists and is not a folder")
    files = default_template_files()
    existing = [name for name in files if (target / name).exists()]
    if existing and not force:
        shown = ", ".join(str(name) for name in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise ExportError(
            f"templates export: {target} already has {shown}{more}; "
            "nothing copied (--force overwrites)"
        )
    copied = []
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEFAULT_TEMPLATES / name, target / name)
        copied.append(target / name)
    return copied
