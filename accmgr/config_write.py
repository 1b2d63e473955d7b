"""Writing the user's settings into config.toml without losing anything else in it.

tomlkit edits the file as a document, so comments, ordering and keys this version does not
know survive. The new text is validated with ``parse_config`` before it replaces the file;
the replacement is atomic (temp file, fsync, os.replace) and the file is owner-only (0600).
A file that cannot be parsed is refused, never overwritten.

A config.toml that is a symbolic link (dotfiles kept in a repository) stays one: the file it
points to is what is replaced. Two accmgr saving at once take turns on a lock beside that
file, and each reads the file inside its turn, so neither loses the other's change.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import filelock
import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import ParseError
from tomlkit.items import Table
from tomlkit.toml_document import TOMLDocument

from accmgr.config import Config, ConfigError, parse_config
from accmgr.durable import FILE_MODE, write_atomic
from accmgr.locations import config_file

#: Saving settings takes milliseconds; longer means another accmgr is stuck holding the lock.
LOCK_TIMEOUT = 5.0


def save_settings(changes: Mapping[str, Any], path: Path | None = None) -> Config:
    """Set each dotted key of ``changes`` in the config file; return the Config now in force.

    All or nothing: either every change is in the file and valid, or the file is untouched.
    """
    path = path or config_file()
    # The link's target is the file; a link pointing nowhere yet gets its target created.
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(
        target.with_name(f".{target.name}.lock"), timeout=LOCK_TIMEOUT, mode=FILE_MODE
    )
    try:
        with lock:
            return _save_locked(changes, path, target)
    except filelock.Timeout:
        raise ConfigError(
            f"{path}: another accmgr has been saving settings for over {LOCK_TIMEOUT:g} s; "
            "nothing was saved, try again"
        ) from None


def _save_locked(changes: Mapping[str, Any], path: Path, target: Path) -> Config:
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc}); nothing was saved") from None
    try:
        document = tomlkit.parse(text)
    except ParseError as exc:
        raise ConfigError(
            f"{path}: not valid TOML at line {exc.line}, column {exc.col}; "
            "fix it by hand, nothing was saved"
        ) from None
    for key, value in changes.items():
        _set(document, key, value)
    new_text = tomlkit.dumps(document)
    config = parse_config(new_text, path)
    write_atomic(target, new_text.encode("utf-8"))
    return config


def _set(document: TOMLDocument, key: str, value: Any) -> None:
    *tables, name = key.split(".")
    container: TOMLDocument | Table | Container = document
    for i, part in enumerate(tables):
        if part not in container:
            # Intermediate tables ("stages" of stages.call.probability) get no header of their own.
            container[part] = tomlkit.table(is_super_table=i < len(tables) - 1)
        child = container[part]
        if not isinstance(child, Table | Container):
            raise ConfigError(f"{key}: {part!r} is a value in the file, not a table")
        container = child
    container[name] = value
