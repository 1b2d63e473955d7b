"""Rich text with terminal-driving characters escaped, for the CLI and the app alike."""

from __future__ import annotations

from rich.text import Text

from accmgr.domain.text import has_unsafe, unsafe_spans, visible


def visible_text(text: Text) -> Text:
    """``text`` with unsafe characters escaped, keeping its styles."""
    if not has_unsafe(text.plain):
        return text
    cuts = sorted({offset for span in unsafe_spans(text.plain) for offset in span})
    pieces = text.divide(cuts)
    for piece in pieces:
        if has_unsafe(piece.plain):
            piece.plain = visible(piece.plain)
    return text.blank_copy().join(pieces)
