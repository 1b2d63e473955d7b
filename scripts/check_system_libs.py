"""Say which system library WeasyPrint is missing, and how to install it, before pip runs.

Run with the system Python (no third-party imports): it is the first thing `make` does,
so a missing Pango surfaces as one clear line instead of a traceback at the first render.
"""

from __future__ import annotations

import ctypes.util
import sys

# (shared-library name for find_library, Debian package, why it matters)
REQUIRED = [
    ("gobject-2.0", "libglib2.0-0", "GLib, which Pango is built on"),
    ("pango-1.0", "libpango-1.0-0", "Pango lays out the text of every PDF"),
    ("pangoft2-1.0", "libpangoft2-1.0-0", "Pango's FreeType back end"),
    ("harfbuzz", "libharfbuzz0b", "HarfBuzz shapes the text"),
    (
        "harfbuzz-subset",
        "libharfbuzz-subset0",
        "font subsetting; without it PDF rendering is about 1.7x slower",
    ),
    ("fontconfig", "libfontconfig1", "finds the fonts"),
]


def missing_libraries() -> list[tuple[str, str, str]]:
    return [entry for entry in REQUIRED if ctypes.util.find_library(entry[0]) is None]


def main() -> int:
    # Runs under whatever python3 the machine has, so an old one gets a clear word.
    if sys.version_info < (3, 11):  # noqa: UP036
        print(
            f"accmgr needs Python 3.11 or newer; this is {sys.version.split()[0]}. "
            "Run: make PYTHON=python3.11 …",
            file=sys.stderr,
        )
        return 1
    missing = missing_libraries()
    if not missing:
        return 0
    for lib, package, why in missing:
        print(f"missing system library lib{lib} (Debian package {package}): {why}", file=sys.stderr)
    packages = " ".join(package for _, package, _ in missing)
    print(f"install with: sudo apt-get install -y {packages}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
