"""``accmgr templates export DIR``: copy the default templates somewhere to start from.

Put the edited files in ``<config dir>/templates`` and they win over the defaults; a file
not copied there keeps its default.
"""

from __future__ import annotations

import os
from pathlib import Path

from accmgr.documents.render import DEFAULT_TEMPLATES
from accmgr.durable import write_atomic
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


def _linked_folder(target: Path, name: Path) -> Path | None:
    """The first folder on the way from ``target`` to ``name`` that is a symbolic link."""
    folder = target
    for part in name.parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return folder
    return None


def export_templates(
    target: Path, *, force: bool = False, replaced_links: list[Path] | None = None
) -> list[Path]:
    """Copy the defaults into ``target``; existing files are kept unless ``force``.

    Checks everything before copying anything, so a refusal leaves ``target`` untouched.
    Nothing is ever written through a symbolic link already in ``target`` (run as root, that
    could overwrite any file on the system): a linked folder is refused, and with ``force`` a
    linked file is replaced by the file itself — the link goes, its target is not touched —
    and listed in ``replaced_links``.
    """
    target = target.expanduser()
    if target.exists() and not target.is_dir():
        raise ExportError(f"templates export: {target} exists and is not a folder")
    files = default_template_files()
    for name in files:
        linked = _linked_folder(target, name)
        if linked is not None:
            raise ExportError(
                f"templates export: {linked} is a symbolic link; nothing copied (accmgr does "
                "not write through links: remove it, or export into another folder)"
            )
    # lexists: a link pointing nowhere is still something a copy would write through.
    existing = [name for name in files if os.path.lexists(target / name)]
    if existing and not force:
        shown = ", ".join(str(name) for name in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise ExportError(
            f"templates export: {target} already has {shown}{more}; "
            "nothing copied (--force overwrites)"
        )
    copied = []
    for name in files:
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        was_link = dest.is_symlink()
        # write_atomic renames over the name itself: a link there is replaced, not followed.
        write_atomic(dest, (DEFAULT_TEMPLATES / name).read_bytes())
        if was_link and replaced_links is not None:
            replaced_links.append(dest)
        copied.append(dest)
    return copied
