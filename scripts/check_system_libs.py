"""Say which system library WeasyPrint is missing, and how to install it, before pip runs.

Run with the system Python (no third-party imports): it is the first thing `make` does,
so a missing Pango surfaces as one clear line instead of a traceback at the first render.

Two kinds of library: without a *required* one no PDF can be made at all, so set-up stops
(exit status 1); a *speed* one only makes rendering faster, so its absence is a warning and
set-up goes on (exit status 0). Either way the last line is ``install with: sudo apt-get
install -y …`` naming every missing package: .ci/run installs what that line names.
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
    ("fontconfig", "libfontconfig1", "finds the fonts"),
]
SPEED = [
    (
        "harfbuzz-subset",
        "libharfbuzz-subset0",
        "font subsetting; PDFs are still made, but rendering is about 1.7x slower",
    ),
]
INSTALL = "install with: sudo apt-get install -y "


def missing(libraries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [entry for entry in libraries if ctypes.util.find_library(entry[0]) is None]


def missing_libraries() -> list[tuple[str, str, str]]:
    """Every missing library, required or not (what .ci/run installs)."""
    return missing(REQUIRED) + missing(SPEED)


def main() -> int:
    # Runs under whatever python3 the machine has, so an old one gets a clear word.
    if sys.version_info < (3, 11):  # noqa: UP036
        print(
            f"accmgr needs Python 3.11 or newer; this is {sys.version.split()[0]}. "
            "Run: make PYTHON=python3.11 …",
            file=sys.stderr,
        )
        return 1
    required, speed = missing(REQUIRED), missing(SPEED)
    for lib, package, why in required:
        print(f"missing system library lib{lib} (Debian package {package}): {why}", file=sys.stderr)
    for lib, package, why in speed:
        print(
            f"warning: missing system library lib{lib} (Debian package {package}): {why}; "
            "set-up goes on",
            file=sys.stderr,
        )
    if required or speed:
        packages = " ".join(package for _, package, _ in required + speed)
        print(f"{INSTALL}{packages}", file=sys.stderr)
    return 1 if required else 0


if __name__ == "__main__":
    sys.exit(main())
