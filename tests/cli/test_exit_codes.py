"""Every command, as the README says: 2 for a bad argument or value, 1 for a refused action
(a record that does not exist, an action its state rules out). Neither writes anything."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from accmgr.cli import main
from accmgr.cli.parser import build_parser
from tests.conftest import tree_bytes

# command → (a bad argument or value: exit 2, a refused action: exit 1 — None where the
# command has nothing it could refuse, such as a list).
CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "demo": (("demo", "--scale", "huge"), ("demo",)),
    "client add": (("client", "add", "X", "--tier", "vip"), None),
    "client list": (("client", "list", "--csv"), None),
    "client show": (("client", "show"), ("client", "show", "C-0099")),
    "client edit": (
        ("client", "edit", "C-0001", "--email", "x"),
        ("client", "edit", "C-0099", "--name", "X"),
    ),
    "client merge": (
        ("client", "merge", "C-0001", "C-0001"),
        ("client", "merge", "C-0001", "C-0099"),
    ),
    "client duplicates": (("client", "duplicates"), ("client", "duplicates", "C-0099")),
    "deal add": (("deal", "add", "C-0001", "T", "--value", "-5"), ("deal", "add", "C-0099", "T")),
    "deal list": (("deal", "list", "--stage", "c"), None),
    "deal show": (("deal", "show"), ("deal", "show", "D-0099")),
    "deal edit": (
        ("deal", "edit", "D-0001", "--close", "someday"),
        ("deal", "edit", "D-0099", "--title", "X"),
    ),
    "deal move": (("deal", "move", "D-0001", "zz"), ("deal", "move", "D-0001", "call")),
    "deal won": (("deal", "won"), ("deal", "won", "D-0001")),
    "deal complete": (("deal", "complete"), ("deal", "complete", "D-0001")),
    "deal lost": (
        ("deal", "lost", "D-0001", "--reason", " "),
        ("deal", "lost", "D-0099", "--reason", "x"),
    ),
    "deal next-step": (
        ("deal", "next-step", "D-0001", "Call", "--due", "yesterday"),
        ("deal", "next-step", "D-0099", "Call", "--due", "+1d"),
    ),
    "deal step-done": (
        ("deal", "step-done", "D-0001"),
        ("deal", "step-done", "D-0001", "--outcome", "x"),
    ),
    "deal held": (
        ("deal", "held", "D-0001", "0", "--outcome", "x"),
        ("deal", "held", "D-0001", "1", "--outcome", "x"),
    ),
    "log": (("log", "lunch", "--client", "C-0001"), ("log", "call", "--client", "C-0099")),
    "activity list": (("activity", "list", "--due-before", "someday"), None),
    "activity edit": (
        ("activity", "edit", "A-0001", "--when", "+2d"),
        ("activity", "edit", "A-0099", "--note", "x"),
    ),
    "activity done": (
        ("activity", "done", "A-0001"),
        ("activity", "done", "A-0099", "--outcome", "x"),
    ),
    "activity snooze": (
        ("activity", "snooze", "A-0001", "--to", "someday"),
        ("activity", "snooze", "A-0099"),
    ),
    "activity reschedule": (
        ("activity", "reschedule", "A-0001", "someday"),
        ("activity", "reschedule", "A-0099", "+1d 10:00"),
    ),
    "today": (("today", "--dormant-days", "0"), None),
    "brief": (("brief", "someday"), ("brief", "D-0001")),
    "contact add": (
        ("contact", "add", "C-0001", "Ann", "--role", "boss"),
        ("contact", "add", "C-0099", "Ann", "--role", "user"),
    ),
    "contact edit": (
        ("contact", "edit", "P-0001", "--email", "x"),
        ("contact", "edit", "P-0099", "--name", "X"),
    ),
    "payment add": (
        ("payment", "add", "C-0001", "--invoice", "F", "--amount", "x", "--due", "today"),
        ("payment", "add", "C-0099", "--invoice", "F", "--amount", "1", "--due", "today"),
    ),
    "payment paid": (
        ("payment", "paid", "C-0001", "F", "--on", "someday"),
        ("payment", "paid", "C-0001", "NOPE"),
    ),
    "flag add": (
        ("flag", "add", "C-0001", "gossip", "--note", "x"),
        ("flag", "add", "C-0099", "other", "--note", "x"),
    ),
    "flag resolve": (
        ("flag", "resolve", "C-0001", "one", "--note", "x"),
        ("flag", "resolve", "C-0001", "1", "--note", "x"),
    ),
    "review": (("review", "C-0001", "--rating", "E"), ("review", "C-0099", "--rating", "A")),
    "complaint add": (
        ("complaint", "add", "C-0001", "--what", "x", "--severity", "meh"),
        ("complaint", "add", "C-0099", "--what", "x"),
    ),
    "complaint escalate": (
        ("complaint", "escalate", "K-0001"),
        ("complaint", "escalate", "K-0099", "--to", "CEO"),
    ),
    "complaint resolve": (
        ("complaint", "resolve", "K-0001", "--resolution", ""),
        ("complaint", "resolve", "K-0099", "--resolution", "x"),
    ),
    "complaint list": (("complaint", "list"), ("complaint", "list", "C-0099")),
    "product add": (
        ("product", "add", "N", "X", "--price", "1", "--currency", "EUR", "--tax-rate", "101"),
        ("product", "add", "box", "Again", "--price", "1", "--currency", "EUR", "--tax-rate", "21"),
    ),
    "product list": (("product", "list", "--csv"), None),
    "product show": (("product", "show"), ("product", "show", "NOPE")),
    "product edit": (
        ("product", "edit", "BOX", "--price", "-1"),
        ("product", "edit", "NOPE", "--name", "X"),
    ),
    "product deactivate": (("product", "deactivate"), ("product", "deactivate", "NOPE")),
    "product activate": (("product", "activate"), ("product", "activate", "NOPE")),
    "product import": (("product", "import"), ("product", "import", "/nonexistent/prices.csv")),
    "offer new": (
        ("offer", "new", "D-0001", "--valid-until", "yesterday"),
        ("offer", "new", "D-0099"),
    ),
    "offer add-line": (
        ("offer", "add-line", "DOC-0001", "--product", "BOX", "--qty", "0"),
        ("offer", "add-line", "DOC-0001", "--product", "NOPE", "--qty", "1"),
    ),
    "offer remove-line": (
        ("offer", "remove-line", "DOC-0001", "5"),
        ("offer", "remove-line", "DOC-0099", "1"),
    ),
    "offer set": (
        ("offer", "set", "DOC-0001"),
        ("offer", "set", "DOC-0099", "--payment-terms", "now"),
    ),
    "offer issue": (("offer", "issue", "banana"), ("offer", "issue", "DOC-0099")),
    "offer show": (("offer", "show", "banana"), ("offer", "show", "OFR-2026-0099")),
    "offer list": (("offer", "list", "--csv"), None),
    "offer diff": (
        ("offer", "diff", "banana", "DOC-0001"),
        ("offer", "diff", "OFR-2026-0099@1", "OFR-2026-0099@2"),
    ),
    "offer revise": (("offer", "revise", "banana"), ("offer", "revise", "DOC-0001")),
    "offer accept": (("offer", "accept", "banana"), ("offer", "accept", "DOC-0001")),
    "offer reject": (("offer", "reject", "banana"), ("offer", "reject", "DOC-0001")),
    "contract from-offer": (("contract", "from-offer"), ("contract", "from-offer", "DOC-0001")),
    "contract show": (("contract", "show", "banana"), ("contract", "show", "CTR-2026-0099")),
    "contract list": (("contract", "list", "--csv"), None),
    "render": (("render",), ("render", "OFR-2026-0099")),
    "templates export": (("templates", "export"), None),
    **{
        f"{name} {action}": case
        for name in ("rate", "rates")  # one command, two names
        for action, case in {
            "set": ((name, "set", "EUR", "PLN", "-4"), None),
            "list": ((name, "list", "--csv"), None),
            "import": (
                (name, "import", "rates.csv", "--since", "someday"),
                (name, "import", "/nonexistent/eurofxref.csv"),
            ),
        }.items()
    },
    **{
        f"{table} delete": ((table, "delete"), (table, "delete", missing))
        for table, missing in (
            ("client", "C-0099"),
            ("contact", "P-0099"),
            ("deal", "D-0099"),
            ("activity", "A-0099"),
            ("product", "NOPE"),
            ("complaint", "K-0099"),
        )
    },
    "client history": (("client", "history"), ("client", "history", "C-0099")),
    "deal history": (("deal", "history"), ("deal", "history", "D-0099")),
    "deal reopen": (("deal", "reopen"), ("deal", "reopen", "D-0001")),  # D-0001 is not lost
    "trash list": (("trash", "list", "--csv"), None),
    "trash restore": (("trash", "restore"), ("trash", "restore", "TR-0099")),
    "undo": (("undo", "--all"), None),
    "check": (("check", "--deep"), None),
    "backup": (("backup", "--to"), None),
    "restore": (("restore",), ("restore", "/nonexistent/backup.json")),
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: list[str] = []
            for name, child in action.choices.items():
                found += _leaves(child, (*prefix, name))
            return found
    return [" ".join(prefix)] if prefix else []


def test_every_command_has_its_cases() -> None:
    assert sorted(_leaves(build_parser())) == sorted(CASES)


@pytest.fixture
def base(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    for argv in (
        ("client", "add", "Base Client"),
        ("contact", "add", "C-0001", "Ann", "--role", "user"),
        ("deal", "add", "C-0001", "Base deal"),
        ("log", "task", "--client", "C-0001", "--due", "+1d"),
        ("complaint", "add", "C-0001", "--what", "Late"),
        ("product", "add", "BOX", "Box", "--price", "1", "--currency", "EUR", "--tax-rate", "21"),
        ("offer", "new", "D-0001"),
    ):
        assert run(capsys, *argv)[0] == 0, argv
    return data_dir


@pytest.mark.parametrize("command", sorted(CASES))
def test_bad_value_exits_2_refused_action_exits_1(
    base: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    bad, refused = CASES[command]
    for argv, status in ((bad, 2), (refused, 1)):
        if argv is None:
            continue
        before = tree_bytes(base)
        code, out, err = run(capsys, *argv)
        assert (code, out) == (status, ""), (argv, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
        assert tree_bytes(base) == before, argv
