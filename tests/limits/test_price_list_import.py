"""The price-list import: linear in the rows, the lock held only for the write, and input that
is not a price list refused in one line instead of a traceback or an endless read."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accmgr.domain import catalog as domain_catalog
from accmgr.errors import ValidationError
from accmgr.services import catalog
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.cli.test_cli import ok, run
from tests.conftest import frozen_now

Capture = pytest.CaptureFixture[str]
HEADER = "code,name,unit,unit_price,currency,tax_rate\n"


def _rows(count: int, price: str = "1.50") -> str:
    return HEADER + "".join(f"P-{n:05d},Product {n},pc,{price},EUR,23\n" for n in range(count))


def test_each_row_looks_its_product_up_once(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scanning the catalog for every row made 100,000 rows take over ten minutes.
    calls = 0
    real = catalog.code_key

    def counting(code: str) -> str:
        nonlocal calls
        calls += 1
        return real(code)

    monkeypatch.setattr(catalog, "code_key", counting)
    rows = 2_000
    assert catalog.import_price_list(workspace, _rows(rows)).count("added") == rows
    first = calls
    assert catalog.import_price_list(workspace, _rows(rows, "1.60")).count("updated") == rows
    assert first <= 5 * rows and calls - first <= 5 * rows


def test_another_terminal_can_write_while_the_rows_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "db"
    store = open_store(path, lock_timeout=0.3)
    other = open_store(path, lock_timeout=0.3)
    ws = Workspace(store=store, clock=frozen_now, owner="Ana")
    real_product = catalog.Product
    wrote: list[str] = []

    class WritesElsewhereFirst(real_product):  # type: ignore[misc, valid-type]
        def __init__(self, **data: Any) -> None:
            if not wrote:  # while the first row is checked, another accmgr adds B
                wrote.append("B")
                catalog.add_product(
                    Workspace(store=other, clock=frozen_now), "b", "Bravo elsewhere",
                    unit_price=Decimal("2.00"), currency="EUR", tax_rate=Decimal(23),
                )  # fmt: skip
            super().__init__(**data)

    try:
        catalog.Product = WritesElsewhereFirst  # type: ignore[misc]
        report = catalog.import_price_list(
            ws, HEADER + "A,Alpha,pc,1,EUR,23\nB,Bravo,pc,3,EUR,23\n"
        )
    finally:
        catalog.Product = real_product  # type: ignore[misc]
        other.close()
    assert [(r.code, r.action) for r in report.rows] == [("A", "added"), ("b", "updated")]
    products = sorted((p.code, p.name, str(p.unit_price)) for p in catalog.list_products(ws))
    assert products == [("A", "Alpha", "1.00"), ("b", "Bravo", "3.00")]
    store.close()


def test_a_dry_run_takes_no_lock(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lock() -> None:
        raise AssertionError("a dry run must not take the lock")

    monkeypatch.setattr(workspace.store, "transaction", no_lock)
    report = catalog.import_price_list(workspace, _rows(3), dry_run=True)
    assert report.count("added") == 3 and report.dry_run


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEADER + "A," + "n" * 140_000 + ",pc,1,EUR,23\n",
         "accmgr: row 2: expected a CSV row with fields of at most 131072 characters "
         "(field larger than field limit (131072)); is this a price list?"),
        (HEADER + "A,Al\0pha,pc,1,EUR,23\n", "is NUL; is this a price list?"),
    ],
)  # fmt: skip
def test_input_that_is_not_a_price_list_is_refused_in_one_line(
    data_dir: Path, tmp_path: Path, capsys: Capture, content: str, expected: str
) -> None:
    ok(capsys, "client", "list")
    source = tmp_path / "list.csv"
    source.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "product", "import", str(source))
    assert code != 0 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and expected in err
    assert json.loads(ok(capsys, "product", "list", "--json")) == []


def test_a_device_is_refused_before_anything_is_read(data_dir: Path, capsys: Capture) -> None:
    ok(capsys, "client", "list")
    code, out, err = run(capsys, "product", "import", "/dev/zero")
    assert (code, out) == (1, "")
    assert err == "accmgr: path: expected a file, /dev/zero is a folder or a device\n"


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog, "IMPORT_MAX_BYTES", 1_000)
    source = tmp_path / "list.csv"
    source.write_text(_rows(100), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        catalog.read_price_list_file(source)
    assert (
        str(caught.value)
        == f"path: expected a price list of at most 1,000 bytes, {source} is larger"
    )
    assert domain_catalog.read_price_list(_rows(1))[0][0].code == "P-00000"
