"""How many stages the board shows at a width, and which: the window holds the focused one."""

from __future__ import annotations

import pytest

from accmgr.screens.board_layout import BoardLayout, layout_for, window


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (200, BoardLayout(8, compact=False, strip=False)),
        (160, BoardLayout(8, compact=False, strip=False)),
        (159, BoardLayout(6, compact=True, strip=False)),
        (120, BoardLayout(5, compact=True, strip=False)),
        (100, BoardLayout(4, compact=True, strip=False)),
        (99, BoardLayout(4, compact=True, strip=True)),
        (80, BoardLayout(3, compact=True, strip=True)),
        (30, BoardLayout(1, compact=True, strip=True)),
    ],
)
def test_layout_for_each_width(width: int, expected: BoardLayout) -> None:
    assert layout_for(width) == expected


def test_the_window_moves_only_as_far_as_the_focus_needs() -> None:
    assert window(0, 2, 3) == 0  # in view: stays
    assert window(0, 3, 3) == 1  # one to the right of the view
    assert window(0, 7, 3) == 5  # the last stage: the last three shown
    assert window(5, 4, 3) == 4
    assert window(5, 0, 3) == 0
    assert window(5, 7, 8) == 0  # all fit: from the first
