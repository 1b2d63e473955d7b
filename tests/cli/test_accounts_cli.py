"""The account commands as a script uses them: brief, today, merge, payments, flags, reviews,
contacts and complaints; errors are one line and write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import ok, run
from tests.conftest import tree_bytes


def test_record_reliability_and_read_it_back(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "client", "add", "Porto Metais SA", "--currency", "EUR")
    ok(
        capsys,
        "payment",
        "add",
        "C-0001",
        "--invoice",
        "F-1",
        "--amount",
        "1 200,50",
        "--due",
        "2026-10-01",
    )
    ok(
        capsys,
        "payment",
        "add",
        "C-0001",
        "--invoice",
        "F-2",
        "--amount",
        "100",
        "--due",
        "2026-10-01",
        "--paid",
        "2026-10-05",
    )
    assert ok(capsys, "payment", "paid", "C-0001", "F-1", "--on", "2026-10-11").endswith(
        "2026-10-11"
    )
    assert ok(capsys, "flag", "add", "c-0001", "legal-disputes", "--note", "Court case") == (
        "red flag 1 raised on C-0001"
    )
    ok(capsys, "flag", "resolve", "C-0001", "1", "--note", "Settled")
    assert "rated B" in ok(capsys, "review", "C-0001", "--rating", "B", "--by", "Credit control")
    assert (
        ok(
            capsys,
            "contact",
            "add",
            "C-0001",
            "Rui Costa",
            "--role",
            "champion",
            "--email",
            "rui@metais.pt",
            "--channel",
            "phone",
        )
        == "P-0001"
    )
    assert (
        ok(capsys, "complaint", "add", "C-0001", "--what", "Late truck", "--severity", "high")
        == "K-0001"
    )
    ok(capsys, "complaint", "escalate", "K-0001", "--to", "Logistics manager")
    shown = json.loads(ok(capsys, "client", "show", "C-0001", "--json"))
    figures = shown["reliability_figures"]
    assert (figures["paid"], figures["average_days_late"], figures["worst_days_late"]) == (
        2,
        "7.0",
        10,
    )
    assert (
        shown["reliability"]["rating"] == "B"
        and shown["reliability"]["reviewer"] == "Credit control"
    )
    assert shown["contacts"][0]["role"] == "champion"
    # An open serious complaint warns wherever the client appears; resolved, it does not.
    assert shown["warnings"] == ["open high complaint K-0001 since 2026-11-23: Late truck"]
    ok(capsys, "complaint", "resolve", "K-0001", "--resolution", "Refund")
    assert json.loads(ok(capsys, "client", "show", "C-0001", "--json"))["warnings"] == []
    listed = json.loads(ok(capsys, "complaint", "list", "C-0001", "--json"))
    assert listed[0]["resolution"] == "Refund" and listed[0]["escalated_to"] == "Logistics manager"


def test_brief_today_and_merge(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "client", "add", "Porto Metais SA", "--tier", "key", "--tax-id", "PT500100200")
    code, out, err = run(capsys, "client", "add", "Porto Metais", "--tax-id", "500 100 200")
    assert code == 0 and out.strip() == "C-0002"
    assert "C-0002 may duplicate C-0001 'Porto Metais SA'" in err and "same tax id" in err
    ok(capsys, "flag", "add", "C-0001", "late-payments", "--note", "Pays late")
    ok(
        capsys,
        "log",
        "meeting",
        "--client",
        "C-0001",
        "--due",
        "tomorrow 10:00",
        "--note",
        "Review",
    )
    human = ok(capsys, "brief", "tomorrow")
    lines = human.splitlines()
    assert "Porto Metais SA" in lines[0] and lines[1].startswith("⚠ CAUTION: open red flag")
    briefs = json.loads(ok(capsys, "brief", "2026-11-20..2026-11-30", "--json"))
    assert [b["meeting"]["ref"] for b in briefs] == ["A-0001"]
    assert json.loads(ok(capsys, "brief", "A-0001", "--json"))[0]["warnings"][0].startswith(
        "open red flag"
    )
    assert ok(capsys, "brief", "next mon") == "no meetings on next mon"
    data = json.loads(ok(capsys, "today", "--json"))
    assert [i["ref"] for i in data["sections"]["meetings"]] == ["A-0001"]
    assert "Meetings today and tomorrow (1)" in ok(capsys, "today")
    merged = ok(capsys, "client", "merge", "C-0001", "C-0002")
    assert merged == "C-0002 merged into C-0001: moved no records"
    assert [c["id"] for c in json.loads(ok(capsys, "client", "list", "--json"))] == ["C-0001"]


def test_todays_actions_from_the_command_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "client", "add", "Porto Metais SA", "--tier", "key")
    ok(capsys, "deal", "add", "C-0001", "Steel beams")
    call = ok(capsys, "log", "call", "--client", "C-0001", "--due", "today 9:00", "--note", "Buyer")
    review = ok(
        capsys, "log", "task", "--client", "C-0001", "--due", "2026-11-01",
        "--note", "Account review", "--repeat", "FREQ=MONTHLY;BYMONTHDAY=1",
    )  # fmt: skip

    def today() -> dict[str, list[str]]:
        data = json.loads(ok(capsys, "today", "--json"))
        return {k: [i["ref"] for i in items] for k, items in data["sections"].items() if items}

    before = today()
    assert call in before["overdue"] and review in before["reviews"]
    # A recurring review done late schedules the next one after today, not a backlog.
    assert ok(capsys, "activity", "done", review, "--outcome", "Volumes up") == (
        f"{review} done\nnext occurrence A-0003 due 2026-12-01"
    )
    assert ok(capsys, "activity", "snooze", call) == f"{call} snoozed to 2026-11-24 09:00"
    assert ok(capsys, "activity", "snooze", call, "--to", "next fri").endswith("2026-11-27 09:00")
    assert ok(capsys, "activity", "reschedule", call, "1 Dec 14:30") == (
        f"{call} rescheduled to 2026-12-01 14:30"
    )
    assert ok(capsys, "deal", "next-step", "D-0001", "Send the price list", "--due", "today") == (
        "D-0001 next step: Send the price list (2026-11-23)"
    )
    after = today()
    assert "D-0001" in after["due_today"]
    assert call not in after.get("overdue", []) and review not in after.get("reviews", [])
    ok(capsys, "deal", "step-done", "D-0001", "--outcome", "Sent")
    shown = json.loads(ok(capsys, "deal", "show", "D-0001", "--json"))
    assert shown["next_step"] == "" and shown["next_step_due"] is None
    done = json.loads(ok(capsys, "activity", "list", "--json"))
    assert [(a["note"], a["outcome"]) for a in done if a["done_at"]] == [
        ("Account review", "Volumes up"),
        ("Send the price list", "Sent"),
    ]


def test_dormant_days_comes_from_the_config(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ok(capsys, "client", "add", "Porto Metais SA", "--tier", "key")
    ok(capsys, "log", "call", "--client", "C-0001", "--when", "2026-10-01 10:00")

    def dormant(*extra: str) -> list[str]:
        data = json.loads(ok(capsys, "today", "--json", *extra))
        return [d["detail"] for d in data["sections"]["dormant"]]

    assert dormant() == ["no contact for 53 days (limit 45)"]
    (tmp_path / "config" / "config.toml").write_text("[today]\ndormant_days = 60\n")
    assert dormant() == []
    assert dormant("--dormant-days", "30") == ["no contact for 53 days (limit 30)"]
    (tmp_path / "config" / "config.toml").write_text("[today]\ndormant_days = 0\n")
    code, _, err = run(capsys, "today")
    assert code == 1 and "key 'today.dormant_days': expected a whole number" in err


PAY = ("payment", "add", "C-0001", "--invoice", "F", "--amount", "1")
BAD = [
    ((*PAY[:-1], "x", "--due", "today"), 2, "amount"),
    (("payment", "add", "C-0001", "--invoice", "F", "--amount", "1"), 2, "--due"),
    (
        ("payment", "add", "C-0009", "--invoice", "F", "--amount", "1", "--due", "today"),
        1,
        "client C-0009 does not exist",
    ),
    ((*PAY, "--due", "31.02.2026"), 2, "due"),
    (
        (
            "payment",
            "add",
            "C-0001",
            "--invoice",
            "F",
            "--amount",
            "1",
            "--due",
            "today",
            "--currency",
            "EURO",
        ),
        2,
        "payment.currency",
    ),
    (
        (
            "payment",
            "add",
            "C-0001",
            "--invoice",
            "F",
            "--amount",
            "1",
            "--due",
            "today",
            "--paid",
            "+2d",
        ),
        2,
        "in the future",
    ),
    (("payment", "paid", "C-0001", "NOPE"), 1, "no invoice 'NOPE'"),
    (("flag", "add", "C-0001", "gossip", "--note", "x"), 2, "invalid choice"),
    (("flag", "add", "C-0001", "other", "--note", " "), 2, "red_flag.note"),
    (("flag", "resolve", "C-0001", "1", "--note", "x"), 1, "has no red flag 1"),
    (("flag", "resolve", "C-0001", "one", "--note", "x"), 2, "invalid int"),
    (("review", "C-0001", "--rating", "E"), 2, "invalid choice"),
    (("review", "C-0001", "--rating", "A", "--years", "-1"), 2, "years_in_business"),
    (("contact", "add", "C-0001", "Ann", "--role", "boss"), 2, "invalid choice"),
    (("contact", "add", "C-0001", "Ann", "--role", "user", "--email", "nope"), 2, "contact.email"),
    (("complaint", "add", "C-0001", "--what", "x", "--deal", "D-0042"), 1, "deal D-0042"),
    (("complaint", "add", "C-0001", "--what", "x", "--severity", "meh"), 2, "invalid choice"),
    (("complaint", "escalate", "K-0042", "--to", "CEO"), 1, "complaint K-0042 does not exist"),
    (("complaint", "resolve", "K-0001", "--resolution", ""), 2, "resolution"),
    (("client", "merge", "C-0001", "C-0001"), 2, "into itself"),
    (("client", "merge", "C-0001", "C-0077"), 1, "client C-0077 does not exist"),
    (("brief", "someday"), 2, "date"),
    (("brief", "2026-12-05..2026-12-01"), 2, "is before"),
    (("brief", "D-0001"), 1, "has no planned meeting"),
    (("today", "--dormant-days", "0"), 2, "dormant-days"),
    (("activity", "done", "A-0042", "--outcome", "x"), 1, "activity A-0042 does not exist"),
    (("activity", "done", "A-0042"), 2, "--outcome"),
    (("activity", "snooze", "A-0042"), 1, "activity A-0042 does not exist"),
    (("activity", "snooze", "A-0042", "--to", "yesterday"), 2, "is in the past"),
    (("activity", "snooze", "A-0042", "--to", "someday"), 2, "to"),
    (("activity", "reschedule", "A-0042", "someday"), 2, "when"),
    (("activity", "reschedule", "A-0042"), 2, "WHEN"),
    (("deal", "next-step", "D-0001", "Call", "--due", "yesterday"), 2, "is in the past"),
    (("deal", "next-step", "D-0001", " ", "--due", "tomorrow"), 2, "step"),
    (("deal", "next-step", "D-0001", "Call"), 2, "--due"),
    (("deal", "next-step", "D-0042", "Call", "--due", "+1d"), 1, "deal D-0042 does not exist"),
    (("deal", "step-done", "D-0001", "--outcome", "x"), 1, "has no next step"),
    (("deal", "held", "D-0001", "1", "--outcome", "x"), 1, "has no meeting 1"),
    (("deal", "held", "D-0001", "0", "--outcome", "x"), 2, "at least 1"),
]


@pytest.mark.parametrize(("argv", "status", "message"), BAD)
def test_bad_arguments_exit_non_zero_with_one_line_and_write_nothing(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    status: int,
    message: str,
) -> None:
    ok(capsys, "client", "add", "Base Client")
    ok(capsys, "deal", "add", "C-0001", "Base deal")
    ok(capsys, "complaint", "add", "C-0001", "--what", "Base complaint")
    before = tree_bytes(data_dir)
    code, out, err = run(capsys, *argv)
    assert code == status, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert message in lines[0]
    assert tree_bytes(data_dir) == before


def test_help_lists_the_account_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        from accmgr.cli.parser import build_parser

        build_parser().parse_args(["--help"])
    text = capsys.readouterr().out
    for command in ("brief", "today", "payment", "flag", "review", "contact", "complaint"):
        assert command in text
