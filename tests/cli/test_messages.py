"""Messages say each thing once, in the user's words, with the exit status a script expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from accmgr.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_refused_value_is_told_once(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "client", "add", "Base")[0] == 0
    code, _, err = run(capsys, "deal", "add", "C-0001", "T", "--currency", "XYZ")
    assert code == 2
    assert err == (
        "accmgr: deal.currency: expected a three-letter ISO 4217 code such as EUR or PLN, "
        "got 'XYZ'\n"
    )
    code, _, err = run(capsys, "client", "add", "X", "--country", "Portugal")
    assert code == 2 and err.count("got 'Portugal'") == 1


def test_an_ambiguous_stage_prefix_names_the_stages_it_matches(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "client", "add", "Base")
    run(capsys, "deal", "add", "C-0001", "T")
    code, _, err = run(capsys, "deal", "move", "D-0001", "c")
    assert (code, err) == (2, "accmgr: stage: 'c' is ambiguous, could be call or closing\n")
    code, _, err = run(capsys, "deal", "list", "--stage", "zz")
    assert code == 2 and "expected one of prospecting" in err


def test_stage_history_names_unmet_criteria_in_words(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "client", "add", "Base")
    run(capsys, "deal", "add", "C-0001", "T")
    assert run(capsys, "deal", "move", "D-0001", "call", "--skip-reason", "inbound")[0] == 0
    _, out, _ = run(capsys, "deal", "show", "D-0001")
    assert "unmet: a contact person with a phone or e-mail exists" in out
    assert "contact-reachable" not in out


def test_deal_list_json_carries_the_figures_of_deal_show(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    run(capsys, "client", "add", "Base")
    run(capsys, "deal", "add", "C-0001", "One", "--value", "1000", "--probability", "40")
    run(capsys, "deal", "add", "C-0001", "Two", "--value", "500")
    _, out, _ = run(capsys, "deal", "list", "--json")
    listed = json.loads(out)
    for deal in listed:
        _, shown, _ = run(capsys, "deal", "show", deal["id"], "--json")
        assert deal == json.loads(shown)
    assert [(d["probability"], d["weighted_value"]) for d in listed] == [
        ("40", "400.00"),
        ("5", "25.00"),
    ]
    assert listed[0]["days_in_stage"] == 0 and listed[0]["stalled"] == ["no next step with a date"]


def test_piped_tables_print_whole_values_and_no_empty_columns(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "Sociedade Industrial de Embalagens do Norte e Centro Lda"
    title = "Stretch film and pallet wrapping for the Matosinhos warehouse"
    run(capsys, "client", "add", name)
    run(capsys, "deal", "add", "C-0001", title)
    monkeypatch.setenv("COLUMNS", "60")
    _, out, _ = run(capsys, "deal", "list")
    row = next(line for line in out.splitlines() if "D-0001" in line)
    assert name in row and title in row
    assert "Outcome" not in out  # no deal has one yet


def test_refusals_name_no_command_to_type(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The services' messages reach the app too, where a command line is no help."""
    run(capsys, "client", "add", "Base")
    run(capsys, "deal", "add", "C-0001", "T")
    code, _, err = run(capsys, "deal", "won", "D-0001")
    assert code == 1
    assert err == (
        "accmgr: deal D-0001 is at Prospecting; a deal is won at Closing: move it to Closing "
        "first\n"
    )
    code, _, err = run(capsys, "deal", "move", "D-0001", "fulfilment", "--skip-reason", "x")
    assert code == 1 and "is not won" in err and "'accmgr" not in err
