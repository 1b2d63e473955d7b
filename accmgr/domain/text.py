"""Text that cannot drive a terminal: the one rule for control characters, in and out.

A name such as ``Evil\\x1b]0;pwned\\x07`` printed raw retitles the user's terminal, clears
it, or (OSC 52) writes the clipboard; a right-to-left override reorders the digits of an
amount. So text typed, imported or edited is refused when it holds such a character
(:func:`control_character_problem`), and text already stored — old data, a hand-edited
file — is shown with those characters as visible escapes (:func:`visible`), never raw.
"""

from __future__ import annotations

import re
from typing import Annotated, Final

# C0 except tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates.
# Tab and newline are only allowed where a field is multi-line (see MULTILINE).
_UNSAFE: Final = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_UNSAFE_ANYWHERE: Final = re.compile(f"[{_UNSAFE}]")
_UNSAFE_ON_ONE_LINE: Final = re.compile(f"[{_UNSAFE}\t\n]")


class Multiline:
    """Marks a text field in which tab and newline are part of the text (notes, agendas)."""

    def __repr__(self) -> str:
        return "MULTILINE"


MULTILINE: Final = Multiline()
MultilineText = Annotated[str, MULTILINE]


def control_character_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` may not be stored, as the end of a sentence naming the field; else None."""
    found = (_UNSAFE_ANYWHERE if multiline else _UNSAFE_ON_ONE_LINE).search(text)
    if found is None:
        return None
    char = found.group()
    where = f"(U+{ord(char):04X}) at position {found.start() + 1}"
    if char in "\t\n":
        kind = "a line break" if char == "\n" else "a tab"
        return f"contains {kind} {where}; this field is one line, remove it"
    kind = "a text-direction control" if char >= "\u202a" else "a control character"
    return f"contains {kind} {where}; remove it"


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every character that could drive a terminal written as an escape.

    Tab and newline are kept: they lay text out but cannot command the terminal.
    """
    return _UNSAFE_ANYWHERE.sub(_escape, text)


def has_unsafe(text: str) -> bool:
    """Whether ``text`` holds a character :func:`visible` would escape."""
    return _UNSAFE_ANYWHERE.search(text) is not None


def has_line_break(text: str) -> bool:
    """Whether ``text`` holds an unsafe character, or a tab or newline (one-line fields)."""
    return _UNSAFE_ON_ONE_LINE.search(text) is not None


def unsafe_spans(text: str) -> list[tuple[int, int]]:
    """Where the characters :func:`visible` would escape are, as (start, end) offsets."""
    return [found.span() for found in _UNSAFE_ANYWHERE.finditer(text)]


def without_unsafe(text: str) -> str:
    """``text`` with those characters removed: for a painter that cannot widen the text."""
    return _UNSAFE_ANYWHERE.sub("", text)
