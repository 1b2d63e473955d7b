"""How many stages the board shows side by side at a width, and which ones.

From 160 columns all eight stages share the width with four-line cards. Narrower, cards
become two lines and as many whole columns as fit are shown — a window over the stages
that always holds the focused one (never a column cut in half by a scroll position);
below 100 columns a strip above them shows every stage's count and total.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_STAGES_FROM = 160  # eight columns of 20 cells: the narrowest a four-line card still reads
STRIP_BELOW = 100
COMPACT_COLUMN = 24  # the narrowest compact column: a client's name and "12 000 EUR · 20%"


@dataclass(frozen=True)
class BoardLayout:
    visible: int  # stages side by side
    compact: bool  # two-line cards
    strip: bool  # the all-stages strip above the columns


def layout_for(width: int, stages: int = 8) -> BoardLayout:
    if width >= ALL_STAGES_FROM:
        return BoardLayout(stages, compact=False, strip=False)
    fits = max(1, min(stages, width // COMPACT_COLUMN))
    return BoardLayout(fits, compact=True, strip=width < STRIP_BELOW)


def window(first: int, focus: int, visible: int, stages: int = 8) -> int:
    """The first stage shown so that ``focus`` is in view, moving the window no more than
    needed (the columns a user was looking at stay where they were when they can)."""
    if focus < first:
        first = focus
    elif focus >= first + visible:
        first = focus - visible + 1
    return max(0, min(first, stages - visible))


__all__ = ["ALL_STAGES_FROM", "BoardLayout", "layout_for", "window"]
