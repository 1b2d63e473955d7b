"""Where accmgr keeps its data and configuration (XDG, via platformdirs).

``--data DIR`` or ``ACCMGR_DATA`` picks another database directory; ``ACCMGR_CONFIG``
moves the whole configuration directory (the tests use it).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP = "accmgr"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database directory: the explicit one, else $ACCMGR_DATA, else the XDG default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("ACCMGR_DATA")
    if from_env:
        return Path(from_env).expanduser()
    return user_data_path(APP) / "default"


def config_dir() -> Path:
    from_env = os.environ.get("ACCMGR_CONFIG")
    if from_env:
        return Path(from_env).expanduser()
    return user_config_path(APP)


def config_file() -> Path:
    return config_dir() / "config.toml"
