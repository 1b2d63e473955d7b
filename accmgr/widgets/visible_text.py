"""Record text on screen: control characters shown as escapes, and never painted raw.

Screens pass record text through :func:`shown` where it becomes a widget's content, so a
name holding ``\\x1b]0;…`` reads as such. Whatever text reaches the painter without it (an
Input's value, a notification, the palette, a header) is caught by
:class:`DropTerminalControls`: the app applies it to every painted line, so no such
character is ever written to the terminal.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter

from accmgr.domain.text import has_unsafe, visible, without_unsafe
from accmgr.visible_rich import visible_text


def shown(text: str) -> str:
    """Record text as a widget shows it (tab and newline kept, other controls escaped)."""
    return visible(text)


def shown_cell(value: Any) -> Any:
    """A table cell or a Static's content: text escaped, rich Text escaped keeping its styles."""
    if isinstance(value, Text):
        return visible_text(value)
    if isinstance(value, str):
        return visible(value)
    return value


class ShownText(Text):
    """Rich text for record text: what is appended is escaped first, because Rich itself
    silently drops BEL, BS and CR (safe, but the user would not see they are there)."""

    def append(self, text: str | Text, style: str | Style | None = None) -> Text:
        return super().append(visible(text) if isinstance(text, str) else visible_text(text), style)


class DropTerminalControls(LineFilter):
    """Removes terminal-driving characters from painted lines.

    They are removed rather than escaped because Textual measured them as zero cells wide;
    an escape here would push the line past its region. :func:`shown` is what makes them
    visible.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(not s.control and has_unsafe(s.text) for s in segments):
            return segments
        return [
            s if s.control else Segment(without_unsafe(s.text), s.style, s.control)
            for s in segments
        ]
