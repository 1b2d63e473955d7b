"""Values no real user types are refused at input with the limit named, and an issued number
is only ever taken by a document that can be printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accmgr.store import open_store
from tests.cli.test_cli import ok, run
from tests.cli.test_offers_cli import setup_deal
from tests.conftest import tree_bytes

Capture = pytest.CaptureFixture[str]


def _records(data_dir: Path) -> dict[str, bytes]:
    # The daily backup a command may make on opening is not a write of the refused command.
    return {k: v for k, v in tree_bytes(data_dir).items() if not k.startswith("backups/")}


def _refused(capsys: Capture, data_dir: Path, *argv: str) -> str:
    before = _records(data_dir)
    code, out, err = run(capsys, *argv)
    lines = err.strip().splitlines()
    assert code != 0 and out == "" and len(lines) == 1 and "Traceback" not in err, err
    assert _records(data_dir) == before
    return lines[0]


@pytest.fixture
def draft(data_dir: Path, capsys: Capture) -> str:
    setup_deal(capsys)
    ok(capsys, "product", "add", "BOX", "Box", "--price", "999999999999", "--currency", "EUR",
       "--tax-rate", "23")  # fmt: skip
    return ok(capsys, "offer", "new", "D-0001")


def test_a_price_above_the_maximum_is_refused(data_dir: Path, capsys: Capture) -> None:
    ok(capsys, "client", "list")
    line = _refused(capsys, data_dir, "product", "add", "X", "X", "--price", "999999999999999",
                    "--currency", "EUR", "--tax-rate", "23")  # fmt: skip
    assert line == (
        "accmgr: price: expected a price of at most 1,000,000,000,000, got 999,999,999,999,999.00"
    )


def test_a_quantity_above_the_maximum_is_refused(
    draft: str, data_dir: Path, capsys: Capture
) -> None:
    line = _refused(capsys, data_dir, "offer", "add-line", draft, "--product", "BOX", "--qty",
                    "999999999999999")  # fmt: skip
    assert line == (
        "accmgr: line 1: quantity: expected a quantity of at most 1,000,000,000, "
        "got 999,999,999,999,999"
    )


def test_a_draft_whose_total_cannot_be_printed_is_refused(
    draft: str, data_dir: Path, capsys: Capture
) -> None:
    line = _refused(capsys, data_dir, "offer", "add-line", draft, "--product", "BOX", "--qty",
                    "1000")  # fmt: skip
    assert line.startswith(
        "accmgr: total: expected a document total of at most 1,000,000,000,000,000 EUR, got "
    )


def test_issuing_an_unprintable_draft_takes_no_number(
    draft: str, data_dir: Path, capsys: Capture
) -> None:
    # A draft saved before the limits existed: each line within them, the total far above.
    line = {"product_code": "BOX", "description": "Box", "quantity": "1000", "unit": "pc",
            "unit_price": "999999999999", "discount": "0", "tax_rate": "23"}  # fmt: skip
    with open_store(data_dir) as store, store.transaction() as tx:
        doc = dict(tx.get("documents", draft) or {})
        tx.update("documents", draft, {**doc, "lines": [line]}, expected_rev=doc["rev"])
    refused = _refused(capsys, data_dir, "offer", "issue", draft)
    assert refused.startswith("accmgr: total: expected a document total of at most ")
    ok(capsys, "offer", "remove-line", draft, "1")
    ok(capsys, "offer", "add-line", draft, "--product", "BOX", "--qty", "1")
    assert ok(capsys, "offer", "issue", draft).splitlines()[0] == "OFR-2026-0001"


def test_a_recurrence_that_never_happens_is_refused(data_dir: Path, capsys: Capture) -> None:
    ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "PT")
    line = _refused(capsys, data_dir, "log", "task", "--client", "C-0001", "--due", "tomorrow",
                    "--repeat", "FREQ=DAILY;UNTIL=20000101")  # fmt: skip
    assert line == (
        "accmgr: activity: recurrence: expected a rule that happens at least once, but none of "
        "its days falls between the first due date 2026-11-24 and its end (UNTIL=20000101), "
        "so it would never happen"
    )
    # Mondays until a Thursday, from a Tuesday: no Monday in between.
    _refused(capsys, data_dir, "log", "task", "--client", "C-0001", "--due", "2026-11-24",
             "--repeat", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261126")  # fmt: skip
    assert ok(capsys, "log", "task", "--client", "C-0001", "--due", "2026-11-24",
              "--repeat", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261124") == "A-0001"  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("client", "add", "x" * 301, "--country", "PT"),
         "accmgr: client.name: expected at most 300 characters, got 301"),
        (("log", "note", "--client", "C-0001", "--note", "n" * 120_000),
         "accmgr: activity.note: expected at most 10000 characters, got 120000"),
    ],
)  # fmt: skip
def test_text_longer_than_its_limit_is_refused(
    data_dir: Path, capsys: Capture, argv: tuple[str, ...], expected: str
) -> None:
    ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "PT")
    assert _refused(capsys, data_dir, *argv) == expected
    assert len(json.loads(ok(capsys, "client", "list", "--json"))) == 1
