"""The command line as a script uses it: ids printed, JSON stable, errors one line."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from accmgr.cli import main
from tests.conftest import tree_bytes


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out.strip()


def test_client_add_list_show(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = ok(
        capsys,
        "client",
        "add",
        "Žalgiris Logistika UAB",
        "--country",
        "LT",
        "--language",
        "lt",
        "--currency",
        "EUR",
        "--segment",
        "logistics",
        "--tier",
        "key",
        "--tax-id",
        "LT100001234567",
        "--email",
        "info@zalgiris.lt",
    )
    second = ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "pt")
    assert (first, second) == ("C-0001", "C-0002")
    listed = json.loads(ok(capsys, "client", "list", "--json"))
    assert [c["name"] for c in listed] == ["Açores Pescas Lda", "Žalgiris Logistika UAB"]
    shown = json.loads(ok(capsys, "client", "show", "c-0001", "--json"))
    assert shown["tier"] == "key" and shown["country"] == "LT" and shown["language"] == "lt"
    assert shown["email"] == "info@zalgiris.lt"
    assert shown["warnings"] == ["reliability never reviewed"]
    assert shown["reliability_figures"]["invoices"] == 0
    human = ok(capsys, "client", "list")
    assert "Žalgiris Logistika UAB" in human and "C-0002" in human


def test_json_output_is_stable(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "client", "add", "Acme Ltd", "--country", "GB", "--currency", "GBP")
    once = ok(capsys, "client", "show", "C-0001", "--json")
    again = ok(capsys, "client", "show", "C-0001", "--json")
    assert once == again
    data = json.loads(once)
    assert list(data) == sorted(data)


def test_deal_walk_through_the_cycle(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(
        capsys,
        "client",
        "add",
        "Wiśniewski i Syn sp. z o.o.",
        "--country",
        "PL",
        "--currency",
        "PLN",
    )
    deal = ok(capsys, "deal", "add", "C-0001", "Pallet wrapping", "--value", "12 500,50")
    assert deal == "D-0001"
    shown = json.loads(ok(capsys, "deal", "show", deal, "--json"))
    assert shown["value"] == "12500.50" and shown["currency"] == "PLN"
    assert shown["stage"] == "prospecting" and shown["probability"] == "5"
    assert [c["id"] for c in shown["unmet_criteria"]] == ["contact-reachable"]

    code, _, err = run(capsys, "deal", "move", deal, "call")
    assert code == 1
    assert "a contact person with a phone or e-mail exists" in err
    assert "give a reason to move anyway" in err

    moved = ok(capsys, "deal", "move", deal, "closing", "--skip-reason", "inbound, signed LOI")
    assert moved == "D-0001 is now at Closing"
    history = json.loads(ok(capsys, "deal", "show", deal, "--json"))["stage_history"]
    assert history[-1]["skipped"] == ["call", "meeting", "needs", "objections"]
    assert history[-1]["unmet"] == ["contact-reachable"]
    assert history[-1]["reason"] == "inbound, signed LOI"
    assert history[0]["left_at"] == history[1]["entered_at"]

    assert ok(capsys, "deal", "won", deal) == "D-0001 won; now at Fulfilment"
    won = json.loads(ok(capsys, "deal", "show", deal, "--json"))
    assert won["outcome"] == "won" and won["stage"] == "fulfilment"

    other = ok(capsys, "deal", "add", "C-0001", "Stretch film")
    lost = ok(
        capsys,
        "deal",
        "lost",
        other,
        "--reason",
        "went with a competitor",
        "--category",
        "competitor",
    )
    assert lost == "D-0002 lost (competitor: went with a competitor)"
    listed = json.loads(ok(capsys, "deal", "list", "--json", "--stage", "fulfilment"))
    assert [d["id"] for d in listed] == ["D-0001"]


def test_log_and_list_activities(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "client", "add", "Magyar Csomagolás Kft.", "--country", "HU", "--currency", "HUF")
    ok(capsys, "deal", "add", "C-0001", "Boxes")
    call = ok(
        capsys,
        "log",
        "call",
        "--client",
        "C-0001",
        "--deal",
        "D-0001",
        "--when",
        "yesterday 15:30",
        "--note",
        "Spoke to Szabó Zsófia",
    )
    task = ok(capsys, "log", "task", "--client", "C-0001", "--due", "+3d", "--note", "Send samples")
    review = ok(
        capsys,
        "log",
        "meeting",
        "--client",
        "C-0001",
        "--due",
        "2026-12-01",
        "--repeat",
        "FREQ=MONTHLY;BYMONTHDAY=1",
    )
    assert (call, task, review) == ("A-0001", "A-0002", "A-0003")
    listed = json.loads(ok(capsys, "activity", "list", "--client", "C-0001", "--json"))
    by_id = {a["id"]: a for a in listed}
    assert by_id["A-0001"]["done_at"] == "2026-11-22T15:30:00+02:00"
    assert by_id["A-0002"]["due"] == "2026-11-26"
    assert by_id["A-0003"]["recurrence"].endswith("FREQ=MONTHLY;BYMONTHDAY=1")
    due = json.loads(ok(capsys, "activity", "list", "--due-before", "30 Nov", "--json"))
    assert [a["id"] for a in due] == ["A-0002"]
    # For people: to the minute, in the locale; no ISO stamp with seconds and microseconds.
    ok(capsys, "log", "note", "--client", "C-0001", "--note", "now")  # done now
    human = ok(capsys, "activity", "list", "--client", "C-0001")
    assert "22 Nov 2026, 15:30" in human and "26 Nov 2026" in human
    assert "T15:30" not in human and ":00+" not in human
    assert not re.search(r"\d\d:\d\d:\d\d", human)


BAD_COMMANDS = [
    (("client", "add"), 2, "NAME"),
    (("client", "add", "X", "--tier", "vip"), 2, "invalid choice"),
    (("client", "add", "X", "--currency", "EURO"), 2, "client.currency"),
    (("client", "add", "X", "--country", "Portugal"), 2, "client.country"),
    (("client", "add", "X", "--email", "nobody"), 2, "client.email"),
    (("client", "add", ""), 2, "client.name"),
    (("client", "show", "C-0999"), 1, "client C-0999 does not exist"),
    (("client", "frobnicate"), 2, "invalid choice"),
    (("deal", "add", "C-0999", "T"), 1, "client C-0999 does not exist"),
    (("deal", "add", "C-0001", "T", "--value", "12,500"), 2, "value"),
    (("deal", "add", "C-0001", "T", "--value", "-5"), 2, "value"),
    (("deal", "add", "C-0001", "T", "--stage", "won"), 2, "stage: expected one of"),
    (("deal", "add", "C-0001", "T", "--stage", "meeting"), 1, "give a reason"),
    (("deal", "add", "C-0001", "T", "--currency", "XYZ"), 2, "deal.currency"),
    (("deal", "move", "D-0001", "call"), 1, "give a reason"),
    (("deal", "move", "D-0001", "prospecting"), 1, "already at Prospecting"),
    (("deal", "move", "D-0001", "fulfilment", "--skip-reason", "x"), 1, "is not won"),
    (("deal", "won", "D-0001"), 1, "a deal is won at Closing"),
    (("deal", "lost", "D-0001"), 2, "--reason"),
    (("deal", "complete", "D-0001"), 1, "a deal completes after Fulfilment"),
    (("deal", "lost", "D-0001", "--reason", "  "), 2, "reason"),
    (("deal", "show", "D-0042"), 1, "deal D-0042 does not exist"),
    (("log", "lunch", "--client", "C-0001"), 2, "invalid choice"),
    (("log", "call"), 2, "--client"),
    (("log", "call", "--client", "C-0001", "--when", "someday"), 2, "when"),
    (("log", "call", "--client", "C-0001", "--when", "+2d"), 2, "in the future"),
    (("log", "call", "--client", "C-0001", "--deal", "D-0099"), 1, "deal D-0099 does not exist"),
    (
        ("log", "task", "--client", "C-0001", "--due", "+1d", "--repeat", "EVERY=DAY"),
        2,
        "recurrence",
    ),
    (("activity", "list", "--due-before", "31.02.2026"), 2, "due-before"),
    (("restore", "/nonexistent/backup.json"), 1, "is not a file"),
    (("demo",), 1, "--force"),
    (("demo", "--scale", "huge"), 2, "invalid choice"),
    (("nonsense",), 2, "invalid choice"),
]


@pytest.mark.parametrize(("argv", "status", "message"), BAD_COMMANDS)
def test_bad_arguments_exit_non_zero_with_one_line_and_write_nothing(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    status: int,
    message: str,
) -> None:
    ok(capsys, "client", "add", "Base Client")
    ok(capsys, "deal", "add", "C-0001", "Base deal")
    before = tree_bytes(data_dir)
    code, out, err = run(capsys, *argv)
    assert code == status
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert message in lines[0]
    assert "Traceback" not in err
    assert tree_bytes(data_dir) == before


def test_no_traceback_from_the_real_entry_point(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "accmgr", "deal", "show", "D-0001"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "accmgr: deal D-0001 does not exist"


def test_bad_config_names_file_and_key(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    config = tmp_path / "config" / "config.toml"
    config.write_text('locale = "xx_YY"\n', encoding="utf-8")
    code, _, err = run(capsys, "client", "list")
    assert code == 1
    assert f"{config}: key 'locale': expected a locale name" in err
    config.write_text("[storage]\nlock_timeout = -1\n", encoding="utf-8")
    code, _, err = run(capsys, "client", "list")
    assert "key 'storage.lock_timeout': expected a number of seconds greater than 0" in err
    config.write_text("colour = 'red'\n", encoding="utf-8")
    code, _, err = run(capsys, "client", "list")
    assert "unknown key 'colour'" in err


def test_locale_decides_day_month_order(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ok(capsys, "client", "add", "Acme Inc.", "--country", "US", "--currency", "USD")
    (tmp_path / "config" / "config.toml").write_text('locale = "en_US"\n', encoding="utf-8")
    ok(capsys, "log", "task", "--client", "C-0001", "--due", "12/03/2026")
    (tmp_path / "config" / "config.toml").write_text('locale = "pl_PL"\n', encoding="utf-8")
    ok(capsys, "log", "task", "--client", "C-0001", "--due", "12.03.2026")
    due = [a["due"] for a in json.loads(ok(capsys, "activity", "list", "--json"))]
    assert due == ["2026-03-12", "2026-12-03"]


def test_check_backup_restore(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ok(capsys, "client", "add", "Kept Client")
    assert ok(capsys, "check").endswith(": ok")
    copy = tmp_path / "manual.json"
    assert ok(capsys, "backup", "--to", str(copy)) == str(copy)
    ok(capsys, "client", "add", "Added After Backup")
    out = ok(capsys, "restore", str(copy))
    assert "restored from" in out
    names = [c["name"] for c in json.loads(ok(capsys, "client", "list", "--json"))]
    assert names == ["Kept Client"]
    # Ids are never reused, even after a restore to an older state.
    assert ok(capsys, "client", "add", "Third") == "C-0003"


def test_damaged_database_is_reported_and_left_alone(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "client", "add", "Soon Damaged")
    ok(capsys, "backup")
    from accmgr.store import open_store

    open_store(data_dir).compact()
    (data_dir / "data.json").write_text('{"clients": {"C-0001": {"name": "oops"', encoding="utf-8")
    before = tree_bytes(data_dir)
    for argv in (("client", "list"), ("client", "add", "New"), ("check",)):
        code, out, err = run(capsys, *argv)
        assert code == 1
        assert "data.json" in (err + out)
    code, _, err = run(capsys, "client", "list")
    assert tree_bytes(data_dir) == before

    # The hint is a command the user can paste as it is, wherever the database lives.
    hinted = shlex.split(err.split("Restore the newest backup with: ", 1)[1])
    assert hinted[:3] == ["accmgr", "--data", str(data_dir)]
    assert run(capsys, *hinted[1:])[0] == 0
    assert ok(capsys, "client", "list").count("Soon Damaged") == 1


def test_user_text_is_never_markup(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "[bold red]Evil[/] & <b>Co</b> {{ 7*7 }}"
    ok(capsys, "client", "add", name, "--currency", "EUR")
    ok(capsys, "deal", "add", "C-0001", "[link=file:///etc/passwd]deal[/link]")
    assert name in ok(capsys, "client", "show", "C-0001")
    assert name in ok(capsys, "client", "list")
    assert "[link=file:///etc/passwd]deal[/link]" in ok(capsys, "deal", "show", "D-0001")


def test_a_reader_that_goes_away_is_not_a_crash(data_dir: Path) -> None:
    """`accmgr client list --json | head -1`: no traceback when the pipe closes early."""
    main(["client", "add", "Piped Away"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "accmgr", "--data", str(data_dir), "client", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before accmgr has started writing
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""
