"""The catalog: unique codes regardless of case, edits, and the CSV price list's report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accmgr.errors import AccmgrError, NotFoundError, ValidationError
from accmgr.services import catalog
from accmgr.services.workspace import Workspace

HEADER = "code,name,unit,unit_price,currency,tax_rate,description,active\n"


def add_box(ws: Workspace) -> None:
    catalog.add_product(ws, "BOX-40", "Box 40", unit_price=Decimal("12.50"), currency="EUR",
                        tax_rate=Decimal(23))  # fmt: skip


def test_add_edit_deactivate(workspace: Workspace) -> None:
    add_box(workspace)
    assert catalog.get_product(workspace, "box-40").unit_price == Decimal("12.50")
    with pytest.raises(AccmgrError, match="already used by BOX-40"):
        catalog.add_product(workspace, "Box-40", "Other", unit_price=Decimal(1), currency="EUR",
                            tax_rate=Decimal(0))  # fmt: skip
    edited = catalog.edit_product(workspace, "BOX-40", unit_price=Decimal("13.00"), name="Box")
    assert (edited.name, edited.unit_price, edited.rev) == ("Box", Decimal("13.00"), 2)
    catalog.set_active(workspace, "BOX-40", False)
    assert catalog.list_products(workspace) == []
    assert [p.code for p in catalog.list_products(workspace, include_inactive=True)] == ["BOX-40"]
    with pytest.raises(NotFoundError):
        catalog.get_product(workspace, "NOPE")


def test_a_price_is_never_rounded_to_fit_the_currency(workspace: Workspace) -> None:
    with pytest.raises(ValidationError, match="at most 0 decimal places for JPY"):
        catalog.add_product(workspace, "J", "J", unit_price=Decimal("1.5"), currency="JPY",
                            tax_rate=Decimal(10))  # fmt: skip
    add_box(workspace)
    with pytest.raises(ValidationError, match="price"):
        catalog.edit_product(workspace, "BOX-40", currency="JPY")  # 12.50 does not fit JPY
    assert workspace.store.count("products") == 1


def test_import_report_adds_updates_and_refuses_row_by_row(workspace: Workspace) -> None:
    add_box(workspace)
    text = HEADER + (
        'box-40,Box 40,pc,"13,00",EUR,23,,yes\n'  # row 2: update price
        "TAPE,Tape,roll,3.99,EUR,6,Clear tape,\n"  # row 3: add
        'BAD,Bad,pc,"1,234",EUR,23,,\n'  # row 4: ambiguous price
        "CUR,Cur,pc,1,EURO,23,,\n"  # row 5: currency
        "TAX,Tax,pc,1,EUR,123,,\n"  # row 6: tax rate
        "tape,Again,pc,1,EUR,6,,\n"  # row 7: duplicate in file
        "SHORT,Short,pc\n"  # row 8: too few values
        "\n"
        "OLD,Old,pc,5,EUR,23,,no\n"  # row 10: added inactive
    )
    report = catalog.import_price_list(workspace, text)
    assert [(r.row, r.action, r.field) for r in report.rows] == [
        (2, "updated", ""),
        (3, "added", ""),
        (4, "refused", "unit_price"),
        (5, "refused", "currency"),
        (6, "refused", "tax_rate"),
        (7, "refused", "code"),
        (8, "refused", "row"),
        (10, "added", ""),
    ]
    assert report.rows[0].changed == ("unit_price",)
    assert "ambiguous" in report.rows[2].message and "row 3" in report.rows[5].message
    codes = {p.code: p for p in catalog.list_products(workspace, include_inactive=True)}
    assert set(codes) == {"BOX-40", "TAPE", "OLD"}
    assert codes["BOX-40"].unit_price == Decimal("13.00") and not codes["OLD"].active
    assert codes["TAPE"].description == "Clear tape"
    again = catalog.import_price_list(workspace, text)
    assert [r.action for r in again.rows][:2] == ["unchanged", "unchanged"]


def test_import_semicolons_and_a_bom(workspace: Workspace) -> None:
    text = "\ufeffCode;Name;Unit;Unit_Price;Currency;Tax_Rate\nA-1;Alpha;kg;12,50;pln;8\n"
    report = catalog.import_price_list(workspace, text)
    assert [r.action for r in report.rows] == ["added"]
    product = catalog.get_product(workspace, "a-1")
    assert (product.unit_price, product.currency, product.unit) == (Decimal("12.50"), "PLN", "kg")


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("code,name,unit,currency,tax_rate\n", "missing unit_price"),
        ("code,name,unit,unit_price,currency,tax_rate,colour\n", "unknown 'colour'"),
        ("code,code,name,unit,unit_price,currency,tax_rate\n", "repeated code"),
        ("\n", "expected the columns"),
    ],
)
def test_a_wrong_header_refuses_the_whole_file(
    workspace: Workspace, header: str, words: str
) -> None:
    with pytest.raises(ValidationError, match=words) as refused:
        catalog.import_price_list(workspace, header + "A,Alpha,pc,1,EUR,23\n")
    assert refused.value.field == "header"
    assert workspace.store.count("products") == 0


def test_dry_run_reports_and_writes_nothing(workspace: Workspace) -> None:
    add_box(workspace)
    version = workspace.store.version
    text = HEADER + "BOX-40,Box,pc,14,EUR,23,,\nNEW,New,pc,1,EUR,23,,\n"
    report = catalog.import_price_list(workspace, text, dry_run=True)
    assert [r.action for r in report.rows] == ["updated", "added"]
    assert "dry run" in report.summary()
    assert workspace.store.version == version
    assert [p.code for p in catalog.list_products(workspace)] == ["BOX-40"]
    assert catalog.get_product(workspace, "BOX-40").unit_price == Decimal("12.50")
