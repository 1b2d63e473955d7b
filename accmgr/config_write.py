"""Writing the user's settings into config.toml without losing anything else in it.

tomlkit edits the file as a document, so comments, ordering and keys this version does not
know survive. The new text is validated with ``parse_config`` before it replaces the file;
the replacement is atomic (temp file, fsync, os.replace) and the file is owner-only (0600).
A file that cannot be parsed is refused, never overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import ParseError
from tomlkit.items import Table
from tomlkit.toml_document import TOMLDocument

from accmgr.config import Config, ConfigError, parse_config
from accmgr.durable import write_atomic
from accmgr.locations import config_file


def save_settings(changes: Mapping[str, Any], path: Path | None = None) -> Config:
    """Set each dotted key of ``changes`` in the config file; return the Config now in force.

    All or nothing: either every change is in the file and valid, or the file is untouched.
    """
    path = path or config_file()
    try:
        text = path.read_text(encoding="utf-8")
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
    _replace(path, new_text)
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


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
