"""The footer every accmgr screen uses: at 80 columns it gives the screen's keys the room.

Textual's footer has a fixed amount of padding per key and keeps "^p palette" on the
right; at 80 columns that pushed the screen's last keys (and F1 Help) off the edge. Below
``NARROW`` columns this one switches to the compact style and drops the palette hint
(ctrl+p still opens the palette; F1 help lists it).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100


class AppFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if self.compact == narrow and self.show_command_palette != narrow:
            return
        self.compact = narrow
        self.show_command_palette = not narrow
        # Footer only reads show_command_palette when it composes: a terminal made narrower
        # after start would otherwise keep the hint and push F1 Help off the edge.
        self.refresh(recompose=True)
