"""``… edit`` on the command line: what changed is printed, a bad value exits 2, a missing
record exits 1, and neither writes anything."""

from __future__ import annotations

import json
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


@pytest.fixture
def base(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    ok(capsys, "client", "add", "Kauno Baldai UAB", "--country", "LT")
    ok(capsys, "contact", "add", "C-0001", "Jonas Petraitis", "--role", "user")
    ok(capsys, "deal", "add", "C-0001", "Chairs", "--value", "1000")
    ok(capsys, "log", "call", "--client", "C-0001", "--note", "first call")
    ok(capsys, "product", "add", "BOX", "Box", "--price", "2.50", "--currency", "EUR",
       "--tax-rate", "21")  # fmt: skip
    return data_dir


def shown(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(ok(capsys, *argv, "--json"))
    return data


def test_client_edit_prints_each_change(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(capsys, "client", "edit", "c-0001", "--name", "Kauno Baldai", "--tier", "key",
             "--owner", "Rui Costa", "--tag", "fair", "--tag", "furniture",
             "--country", "LV")  # fmt: skip
    assert out.splitlines() == [
        "name: 'Kauno Baldai UAB' → 'Kauno Baldai'",
        "country: 'LT' → 'LV'",
        "tier: regular → key",
        "owner: '' → 'Rui Costa'",
        "tags: none → 'fair', 'furniture'",
    ]
    client = shown(capsys, "client", "show", "C-0001")
    assert (client["name"], client["tier"], client["owner"]) == ("Kauno Baldai", "key", "Rui Costa")
    assert client["tags"] == ["fair", "furniture"] and client["country"] == "LV"
    assert client["language"] == "lt"  # a later country change keeps the language chosen
    before = tree_bytes(base)
    assert ok(capsys, "client", "edit", "C-0001", "--tier", "key") == "nothing changed"
    assert tree_bytes(base) == before
    assert ok(capsys, "client", "edit", "C-0001", "--no-tags") == (
        "tags: 'fair', 'furniture' → none"
    )


def test_new_client_language_and_currency_follow_the_country(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "client", "add", "Wiśniewski", "--country", "PL")
    client = shown(capsys, "client", "show", "C-0001")
    assert (client["language"], client["currency"]) == ("pl", "PLN")


def test_deal_add_and_edit_forecast_fields(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (base.parent / "config" / "config.toml").write_text('[user]\nname = "Ana Ferreira"\n')
    new = ok(capsys, "deal", "add", "C-0001", "Desks", "--close", "2026-12-20", "--probability",
             "35", "--source", "fair", "--tag", "q1", "--tag", "office")  # fmt: skip
    deal = shown(capsys, "deal", "show", new)
    assert deal["expected_close"] == "2026-12-20" and deal["probability"] == "35"
    assert (deal["source"], deal["owner"]) == ("fair", "Ana Ferreira")
    assert deal["tags"] == ["q1", "office"]
    out = ok(capsys, "deal", "edit", new, "--title", "Desks, 12 pcs", "--probability", "default",
             "--close", "none", "--owner", "Rui", "--next-step", "Send samples",
             "--next-step-due", "+3d")  # fmt: skip
    assert out.splitlines() == [
        "title: 'Desks' → 'Desks, 12 pcs'",
        "expected close: 2026-12-20 → none",
        "probability: 35 % → stage default",
        "owner: 'Ana Ferreira' → 'Rui'",
        "next step: '' → 'Send samples'",
        "next step due: none → 2026-11-26",
    ]
    deal = shown(capsys, "deal", "show", new)
    assert deal["probability_override"] is None and deal["probability"] == "5"
    assert deal["next_step_due"] == "2026-11-26" and deal["expected_close"] is None


def test_edit_with_a_stale_revision_is_refused(
    base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rev = shown(capsys, "deal", "show", "D-0001")["rev"]
    ok(capsys, "deal", "edit", "D-0001", "--value", "1200")  # someone else, meanwhile
    before = tree_bytes(base)
    code, out, err = run(capsys, "deal", "edit", "D-0001", "--title", "Mine", "--rev", str(rev))
    assert (code, out) == (1, "")
    assert "D-0001 was changed elsewhere" in err
    assert tree_bytes(base) == before


def test_contact_activity_and_product_edit(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ok(capsys, "contact", "edit", "P-0001", "--role", "champion", "--email",
              "JONAS@kb.lt").splitlines() == [
        "role: user → champion", "email: none → 'jonas@kb.lt'",
    ]  # fmt: skip
    assert ok(capsys, "activity", "edit", "A-0001", "--kind", "visit", "--contact", "p-0001",
              "--outcome", "samples wanted").splitlines() == [
        "kind: call → visit", "contacts: none → 'P-0001'", "outcome: '' → 'samples wanted'",
    ]  # fmt: skip
    activity = json.loads(ok(capsys, "activity", "list", "--json"))[0]
    assert activity["contact_ids"] == ["P-0001"] and activity["kind"] == "visit"
    assert ok(capsys, "product", "edit", "box", "--price", "2.75").splitlines() == [
        "price: 2.50 → 2.75"
    ]
    assert ok(capsys, "product", "edit", "BOX", "--name", "Box") == "nothing changed"


# One bad value (exit 2) and one missing record (exit 1) per edit command.
EDIT_REFUSALS = [
    (("client", "edit", "C-0001", "--currency", "EURO"), 2, "client.currency"),
    (("client", "edit", "C-0001", "--email", "nobody"), 2, "client.email"),
    (("client", "edit", "C-0001"), 2, "nothing to change"),
    (("client", "edit", "C-0001", "--tier", "vip"), 2, "invalid choice"),
    (("client", "edit", "C-0042", "--name", "X"), 1, "client C-0042 does not exist"),
    (("contact", "edit", "P-0001", "--name", " "), 2, "contact.name"),
    (("contact", "edit", "P-0042", "--name", "X"), 1, "contact P-0042 does not exist"),
    (("deal", "edit", "D-0001", "--value", "-5"), 2, "value"),
    (("deal", "edit", "D-0001", "--probability", "120"), 2, "probability"),
    (("deal", "edit", "D-0001", "--close", "someday"), 2, "close"),
    (("deal", "edit", "D-0001", "--source", "gossip"), 2, "invalid choice"),
    (("deal", "edit", "D-0001", "--tag", "a", "--no-tags"), 2, "cannot go together"),
    (("deal", "edit", "D-0042", "--title", "X"), 1, "deal D-0042 does not exist"),
    (("activity", "edit", "A-0001", "--when", "+2d"), 2, "in the future"),
    (("activity", "edit", "A-0001", "--kind", "lunch"), 2, "invalid choice"),
    (("activity", "edit", "A-0001", "--contact", "P-0042"), 1, "contact P-0042 does not exist"),
    (("activity", "edit", "A-0042", "--note", "X"), 1, "activity A-0042 does not exist"),
    (("product", "edit", "BOX", "--price", "2.505"), 2, "price"),
    (("product", "edit", "NOPE", "--name", "X"), 1, "product NOPE does not exist"),
]


@pytest.mark.parametrize(("argv", "status", "message"), EDIT_REFUSALS)
def test_edit_refusals_exit_2_for_a_bad_value_1_for_a_missing_record(
    base: Path,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    status: int,
    message: str,
) -> None:
    before = tree_bytes(base)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (status, "")
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert tree_bytes(base) == before
