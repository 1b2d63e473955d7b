"""The one rule for terminal-driving characters: refused in new text, escaped when shown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accmgr.domain.activity import Activity, ActivityKind
from accmgr.domain.client import Client
from accmgr.domain.text import control_character_problem, visible
from accmgr.errors import ValidationError

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\x00", "a control character (U+0000)"),
        ("\x1b", "a control character (U+001B)"),
        ("\r", "a control character (U+000D)"),
        ("\x7f", "a control character (U+007F)"),
        ("\x9b", "a control character (U+009B)"),
        ("\u202e", "a text-direction control (U+202E)"),
        ("\u2066", "a text-direction control (U+2066)"),
        ("\n", "a line break (U+000A)"),
        ("\t", "a tab (U+0009)"),
    ],
)
def test_a_name_refuses_each_kind(char: str, kind: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Client(id="C-0001", name=f"Evil{char}Co", created_at=NOW)
    assert str(caught.value).startswith(f"client.name: contains {kind} at position 5")
    assert RAW_FREE(str(caught.value))


def RAW_FREE(text: str) -> bool:
    return visible(text) == text


def test_multi_line_fields_keep_tab_and_newline_but_not_escape() -> None:
    note = Activity(id="A-0001", kind=ActivityKind.NOTE, client_id="C-0001", created_at=NOW,
                    note="one\n\ttwo")  # fmt: skip
    assert note.note == "one\n\ttwo"
    with pytest.raises(ValidationError, match=r"activity\.note: contains a control character"):
        note.evolve(note="one\x1b[2J")


def test_each_item_of_a_tuple_is_checked() -> None:
    with pytest.raises(ValidationError, match=r"client\.tags\.1: contains a text-direction"):
        Client(id="C-0001", name="Acme", created_at=NOW, tags=("ok", "b\u202ec"))


def test_stored_text_is_read_and_does_not_block_other_changes() -> None:
    stored = Client.from_dict({"id": "C-0001", "name": "Evil\x1b]0;x\x07", "created_at": NOW})
    assert stored.name == "Evil\x1b]0;x\x07"
    assert stored.evolve(phone="+351 1").phone == "+351 1"
    with pytest.raises(ValidationError, match=r"client\.phone: contains a control character"):
        stored.evolve(phone="1\x9b2")


def test_visible_writes_escapes_and_keeps_layout_characters() -> None:
    assert visible("Evil\x1b]0;pwned\x07\x1b[2J") == "Evil\\x1b]0;pwned\\x07\\x1b[2J"
    assert visible("12\u202e34 \x9b \x7f") == "12\\u202e34 \\x9b \\x7f"
    assert visible("a\tb\nc — Žalgiris") == "a\tb\nc — Žalgiris"
    assert control_character_problem("a\tb\nc", multiline=True) is None
