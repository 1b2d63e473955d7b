"""Text that could drive the terminal: refused on the way in, shown as escapes on the way out.

Every printing command runs on a database whose text was rewritten through the store (as a
hand edit or old data would leave it): nothing it prints may hold a raw ESC, BEL, C1 or bidi
control, and the escaped form must be there for the user to see. ``--json`` keeps the exact
value, JSON-escaped.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from accmgr.cli import main
from accmgr.cli.parser import build_parser
from tests.conftest import tree_bytes
from tests.hostile_records import HOSTILE, RAW, fill_hostile

# Every command that prints stored records (from accmgr/cli/parser.py).
PRINTING: list[tuple[str, ...]] = [
    ("client", "list"),
    ("client", "show", "C-0001"),
    ("client", "duplicates", "C-0001"),
    ("deal", "list"),
    ("deal", "show", "D-0001"),
    ("activity", "list"),
    ("activity", "list", "--client", "C-0001"),
    ("product", "list"),
    ("product", "show", "CHAIR-1"),
    ("offer", "list"),
    ("offer", "show", "OFR-2026-0001"),
    ("offer", "diff", "OFR-2026-0001@1", "OFR-2026-0001@2"),
    ("contract", "list"),
    ("contract", "show", "CTR-2026-0001"),
    ("complaint", "list", "C-0001"),
    ("brief", "2026-11-23"),
    ("today",),
    ("client", "history", "C-0001"),
    ("deal", "history", "D-0001"),
    ("trash", "list"),
]


def _json_commands() -> list[tuple[str, ...]]:
    """Every command of the parser that has --json, with the arguments of PRINTING."""
    return [(*argv, "--json") for argv in PRINTING if " ".join(argv[:2]) in _with_json()]


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[str, set[str]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {" ".join(path): {o for a in parser._actions for o in a.option_strings}}
    found: dict[str, set[str]] = {}
    for name, sub in subs[0].choices.items():
        found |= _leaves(sub, (*path, name))
    return found


def _with_json() -> set[str]:
    return {name for name, options in _leaves(build_parser()).items() if "--json" in options}


@pytest.fixture
def hostile_db(data_dir: Path) -> Path:
    fill_hostile(data_dir)
    return data_dir


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_with_json_is_in_the_table() -> None:
    covered = {" ".join(argv[:2]) if argv[0] != "today" else "today" for argv in PRINTING}
    covered |= {argv[0] for argv in PRINTING}
    # product import prints the rows of a file, not stored records: its own test is below.
    # Rates are currency codes and figures, validated as such: no free text to poison.
    rates = {f"{name} {action}" for name in ("rate", "rates") for action in ("list", "import")}
    assert _with_json() - covered - {"product import"} - rates == set()


@pytest.mark.parametrize("argv", PRINTING, ids=" ".join)
def test_printing_commands_show_control_characters_as_escapes(
    hostile_db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 0, err
    assert RAW.findall(out) == [] and RAW.findall(err) == []
    assert "\\x1b]0;pwned\\x07" in out


@pytest.mark.parametrize("argv", _json_commands(), ids=" ".join)
def test_json_keeps_the_value_and_escapes_it(
    hostile_db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 0, err
    assert RAW.findall(out) == []
    assert any(HOSTILE in text for text in _strings(json.loads(out)))


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


# --- input: every entry path refuses such text, naming the field, and writes nothing ---------


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (("client", "add", "Evil\x1b]0;pwned\x07"), "name"),
        (("client", "add", "Acme", "--segment", "re\u202etail"), "segment"),
        (("client", "add", "Two\nlines"), "name"),
        (("deal", "add", "C-0001", "Chairs\x9b2J"), "title"),
        (("log", "call", "--client", "C-0001", "--note", "ok\x00"), "note"),
        (
            (
                "product",
                "add",
                "BOX-9",
                "Box\x7f",
                "--price",
                "1",
                "--currency",
                "EUR",
                "--tax-rate",
                "0",
            ),
            "name",
        ),
        (("complaint", "add", "C-0001", "--what", "late\x1b[2J"), "what"),
        (("deal", "next-step", "D-0001", "call\x07", "--due", "2026-11-30"), "next_step"),
    ],
    ids=lambda v: v if isinstance(v, str) else " ".join(v[:2]),
)
def test_cli_refuses_control_characters(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], field: str
) -> None:
    assert _run(capsys, "client", "add", "Acme Ltd")[0] == 0
    assert _run(capsys, "deal", "add", "C-0001", "Chairs")[0] == 0
    before = tree_bytes(data_dir)
    code, _, err = _run(capsys, *argv)
    assert code != 0
    assert f"{field}: contains a" in err and "at position" in err and "remove it" in err
    assert RAW.findall(err) == []
    assert tree_bytes(data_dir) == before


def test_newline_is_kept_in_a_multi_line_note(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "client", "add", "Acme Ltd")
    code, out, err = _run(capsys, "log", "note", "--client", "C-0001", "--note", "one\ntwo\tthree")
    assert code == 0, err
    code, out, _ = _run(capsys, "activity", "list", "--json")
    assert json.loads(out)[0]["note"] == "one\ntwo\tthree"


def test_price_list_import_refuses_the_row_and_keeps_the_others(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "prices.csv"
    sheet.write_text(
        "code,name,unit,unit_price,currency,tax_rate,description\n"
        "BOX-1,Box,pc,10,EUR,23,Plain\n"
        "BOX-2,Evil\x1b]0;pwned\x07,pc,10,EUR,23,Plain\n"
        'BOX-3,Crate,pc,10,EUR,23,"two\nlines"\n',
        encoding="utf-8",
    )
    code, out, err = _run(capsys, "product", "import", str(sheet))
    assert code == 1
    assert RAW.findall(out + err) == []
    assert (
        "row 3 (BOX-2): refused — name: contains a control character (U+001B) at position 5" in out
    )
    code, out, _ = _run(capsys, "product", "list", "--json")
    products = {p["code"]: p for p in json.loads(out)}
    assert sorted(products) == ["BOX-1", "BOX-3"]
    assert products["BOX-3"]["description"] == "two\nlines"


def test_record_text_is_never_markup(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(
        capsys, "product", "add", "BOX-1", "[conceal]Hidden[/]", "--price", "1",
        "--currency", "EUR", "--tax-rate", "0", "--description", "[blink]x[/]",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = _run(capsys, "product", "show", "BOX-1")
    assert "[conceal]Hidden[/]" in out and "[blink]x[/]" in out
