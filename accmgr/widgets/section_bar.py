"""One line under the header naming the sections and their keys, the current one highlighted.

The section keys (F2…F8) left the footers so that 80 columns hold the keys of the screen in
front; this bar keeps them discoverable. Each name is also a link (a mouse click switches).
The app gives the sections (``section_links`` on the app), so the bar needs no import of
the app and new sections show up by themselves. Narrower than the full line, the names are
shortened to their first letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from textual import events
from textual.content import Content
from textual.widgets import Static


class SectionLink(NamedTuple):
    name: str  # the app's mode name
    title: str  # as shown when there is room
    short: str  # as shown below the full width
    key: str  # the binding's key, e.g. "f2"


def section_line(links: Sequence[SectionLink], current: str, *, short: bool) -> Content:
    """The bar's text; the current section in the accent colour, each name a link."""
    parts: list[str] = []
    for link in links:
        label = f" {link.key.upper()} {link.short if short else link.title} "
        style = "bold $text on $accent" if link.name == current else ""
        parts.append(f"[{style} @click=app.section('{link.name}')]{label}[/]")
    return Content.from_markup("".join(parts))


class SectionBar(Static):
    """The sections of the app; ``current`` is the mode name of the screen it sits on."""

    DEFAULT_CSS = """
    SectionBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text-muted;
        link-style: none;
        link-style-hover: underline;
        link-background-hover: $panel;
        link-color-hover: $text;
    }
    """

    def __init__(self, current: str) -> None:
        super().__init__("", markup=False, classes="section-bar")
        self.current = current

    @property
    def links(self) -> tuple[SectionLink, ...]:
        links: tuple[SectionLink, ...] = getattr(self.app, "section_links", ())
        return links

    def full_width(self) -> int:
        return len(section_line(self.links, self.current, short=False).plain)

    def on_resize(self, event: events.Resize) -> None:
        short = event.size.width < self.full_width()
        self.update(section_line(self.links, self.current, short=short))

    def on_mount(self) -> None:
        self.update(section_line(self.links, self.current, short=False))
