"""stdout and stderr that never pass a terminal-driving character through raw.

Kept apart from output.py (Rich and the records) so the CLI can put it in place before
anything heavy is imported.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from accmgr.domain.text import visible


class VisibleStream:
    """A text stream that writes every terminal-driving character as a visible escape.

    The CLI puts it in front of stdout and stderr, so a plain ``print`` of record text (a
    confirmation, an error naming a record) is safe without each call site remembering.
    """

    def __init__(self, raw: IO[str]) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def raw_stream(stream: IO[str] | VisibleStream) -> IO[str]:
    """The stream under a VisibleStream: for writers that escape their own text (Rich, JSON)."""
    return stream.raw if isinstance(stream, VisibleStream) else stream


@contextmanager
def visible_streams() -> Iterator[None]:
    """stdout and stderr as :class:`VisibleStream` for the duration of a command."""
    saved = sys.stdout, sys.stderr
    sys.stdout = VisibleStream(sys.stdout)
    sys.stderr = VisibleStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
