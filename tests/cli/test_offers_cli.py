"""Products, offers and contracts as a script drives them: ids and numbers printed, JSON
figures equal to compute_totals, every refusal one line on stderr with nothing written."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from accmgr.domain.money import LineInput, compute_totals
from tests.cli.test_cli import ok, run
from tests.conftest import tree_bytes

Capture = pytest.CaptureFixture[str]


def setup_deal(capsys: Capture, currency: str = "EUR") -> None:
    ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "PT", "--currency", currency,
       "--language", "pt")  # fmt: skip
    ok(capsys, "deal", "add", "C-0001", "Cold boxes")


def test_product_commands(data_dir: Path, capsys: Capture) -> None:
    added = ok(capsys, "product", "add", "BOX-40", "Box 40", "--price", "12,50", "--currency",
               "eur", "--tax-rate", "23", "--unit", "pc", "--description", "Cardboard")  # fmt: skip
    assert added == "PR-0001"
    shown = json.loads(ok(capsys, "product", "show", "box-40", "--json"))
    assert (shown["unit_price"], shown["currency"], shown["tax_rate"]) == ("12.50", "EUR", "23")
    ok(capsys, "product", "edit", "BOX-40", "--price", "13.10", "--name", "Box forty")
    assert json.loads(ok(capsys, "product", "show", "BOX-40", "--json"))["unit_price"] == "13.10"
    ok(capsys, "product", "deactivate", "BOX-40")
    assert json.loads(ok(capsys, "product", "list", "--json")) == []
    assert len(json.loads(ok(capsys, "product", "list", "--all", "--json"))) == 1
    assert "Box forty" in ok(capsys, "product", "list", "--all")


def test_price_list_import_report_and_dry_run(
    data_dir: Path, tmp_path: Path, capsys: Capture
) -> None:
    ok(capsys, "client", "list")  # create the database first
    good = tmp_path / "good.csv"
    good.write_text('code,name,unit,unit_price,currency,tax_rate\nA,Alpha,pc,"12,50",EUR,23\n')
    before = tree_bytes(data_dir)
    out = ok(capsys, "product", "import", str(good), "--dry-run")
    assert "row 2 (A): added" in out and "dry run" in out
    assert tree_bytes(data_dir) == before
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "code,name,unit,unit_price,currency,tax_rate\nB,Beta,pc,1.5,EUR,23\nC,Gamma,pc,1,234,EUR\n"
    )
    code, out, err = run(capsys, "product", "import", str(mixed), "--json")
    report = json.loads(out)
    assert code == 1 and err.count("\n") == 1 and "1 row(s)" in err
    assert report["counts"] == {"added": 1, "updated": 0, "unchanged": 0, "refused": 1}
    assert report["rows"][1]["row"] == 3 and report["rows"][1]["field"] == "currency"
    assert [p["code"] for p in json.loads(ok(capsys, "product", "list", "--json"))] == ["B"]


def test_offer_to_contract_and_show_json_equals_compute_totals(
    data_dir: Path, capsys: Capture
) -> None:
    setup_deal(capsys)
    ok(capsys, "product", "add", "BOX", "Box", "--price", "2.25", "--currency", "EUR",
       "--tax-rate", "23")  # fmt: skip
    ok(capsys, "product", "add", "ICE", "Ice pack", "--price", "0.35", "--currency", "EUR",
       "--tax-rate", "6", "--unit", "kg")  # fmt: skip
    assert ok(capsys, "offer", "new", "D-0001", "--discount", "10", "--valid-until", "+2w",
              "--payment-terms", "30 days net", "--referral-clause") == "DOC-0001"  # fmt: skip
    ok(
        capsys,
        "offer",
        "add-line",
        "DOC-0001",
        "--product",
        "box",
        "--qty",
        "1",
        "--discount",
        "50",
    )
    ok(capsys, "offer", "add-line", "DOC-0001", "--product", "ICE", "--qty", "3", "--discount",
       "50")  # fmt: skip
    draft = json.loads(ok(capsys, "offer", "show", "DOC-0001", "--json"))
    assert draft["status"] == "draft" and draft["valid_until"] == "2026-12-07"
    assert ok(capsys, "offer", "issue", "DOC-0001") == "OFR-2026-0001"
    shown = json.loads(ok(capsys, "offer", "show", "OFR-2026-0001", "--json"))
    expected = compute_totals(
        [LineInput(Decimal(1), Decimal("2.25"), Decimal(50), Decimal(23)),
         LineInput(Decimal(3), Decimal("0.35"), Decimal(50), Decimal(6))],
        "EUR", Decimal(10),
    )  # fmt: skip
    assert [line["net"] for line in shown["lines"]] == [str(n) for n in expected.line_nets]
    assert shown["lines"][0]["net"] == "1.13"  # 1.125: half a cent rounds up
    totals = shown["totals"]
    assert (totals["subtotal"], totals["document_discount_amount"], totals["net"],
            totals["tax_total"], totals["total"]) == tuple(
        str(v) for v in (expected.subtotal, expected.document_discount_amount, expected.net,
                         expected.tax_total, expected.total))  # fmt: skip
    assert shown["status"] == "sent" and shown["referral_clause"] is True
    assert shown["totals"] == draft["totals"]
    assert "Total" in ok(capsys, "offer", "show", "OFR-2026-0001")
    ok(capsys, "offer", "accept", "OFR-2026-0001")
    number = ok(capsys, "contract", "from-offer", "OFR-2026-0001", "--delivery-terms", "DAP")
    assert number == "CTR-2026-0001"
    contract = json.loads(ok(capsys, "contract", "show", number, "--json"))
    assert contract["totals"] == shown["totals"] and contract["offer_number"] == "OFR-2026-0001"
    listed = json.loads(ok(capsys, "offer", "list", "--deal", "D-0001", "--json"))
    assert [(o["ref"], o["status"], o["total"]) for o in listed] == [
        ("OFR-2026-0001@1", "accepted", expected.total.to_eng_string())]  # fmt: skip
    assert "CTR-2026-0001" in ok(capsys, "contract", "list")


def test_jpy_offer_has_no_minor_digits(data_dir: Path, capsys: Capture) -> None:
    setup_deal(capsys, "JPY")
    ok(capsys, "product", "add", "T", "Tuna", "--price", "125", "--currency", "JPY",
       "--tax-rate", "10")  # fmt: skip
    ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", "DOC-0001", "--product", "T", "--qty", "1", "--discount", "50")
    shown = json.loads(ok(capsys, "offer", "show", "DOC-0001", "--json"))
    assert shown["currency"] == "JPY" and shown["lines"][0]["net"] == "63"
    assert shown["totals"]["taxes"] == [{"rate": "10", "base": "63", "tax": "6"}]
    assert shown["totals"]["total"] == "69"


def test_versions_and_diff(data_dir: Path, capsys: Capture) -> None:
    setup_deal(capsys)
    ok(capsys, "product", "add", "BOX", "Box", "--price", "10", "--currency", "EUR",
       "--tax-rate", "23")  # fmt: skip
    ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", "DOC-0001", "--product", "BOX", "--qty", "10")
    ok(capsys, "offer", "issue", "DOC-0001")
    assert ok(capsys, "offer", "revise", "OFR-2026-0001") == "DOC-0002"
    ok(capsys, "offer", "remove-line", "DOC-0002", "1")
    ok(capsys, "offer", "add-line", "DOC-0002", "--product", "BOX", "--qty", "12", "--price", "9")
    ok(capsys, "offer", "set", "DOC-0002", "--special-terms", "Free delivery")
    assert ok(capsys, "offer", "issue", "DOC-0002") == "OFR-2026-0001"
    change = json.loads(ok(capsys, "offer", "diff", "OFR-2026-0001@1", "OFR-2026-0001@2", "--json"))
    [line] = change["lines"]["changed"]
    assert line["fields"]["quantity"] == {"old": "10", "new": "12"}
    assert line["fields"]["unit_price"] == {"old": "10.00", "new": "9.00"}
    assert change["totals"]["total"] == {"old": "123.00", "new": "132.84", "change": "9.84"}
    assert change["terms"]["special_terms"] == {"old": "", "new": "Free delivery"}
    human = ok(capsys, "offer", "diff", "OFR-2026-0001@1", "OFR-2026-0001@2")
    assert "quantity 10 → 12, unit price €10.00 → €9.00, net €100.00 → €108.00" in human
    # Money in the user's locale, the change always signed (it was "(9.84)").
    assert "total: €123.00 → €132.84 (+€9.84)" in human
    # The user's words, not the field names the JSON keeps.
    assert "special terms:" in human and "tax: €23.00 → €24.84" in human
    assert "tax_total" not in human and "unit_price" not in human
    assert "superseded" in ok(capsys, "offer", "list")


def test_help_says_how_to_name_versions(capsys: Capture) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "offer", "diff", "--help")
    assert "OFR-2026-0001@1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (
            ("product", "add", "box", "X", "--price", "1", "--currency", "EUR", "--tax-rate", "0"),
            1,
            "already used by BOX",
        ),
        (
            (
                "product",
                "add",
                "N",
                "X",
                "--price",
                "1,234",
                "--currency",
                "EUR",
                "--tax-rate",
                "0",
            ),
            2,
            "ambiguous",
        ),
        (
            ("product", "add", "N", "X", "--price", "1", "--currency", "EUR", "--tax-rate", "101"),
            2,
            "tax-rate",
        ),
        (("product", "edit", "BOX"), 2, "nothing to change"),
        (("product", "show", "NOPE"), 1, "product NOPE does not exist"),
        (("offer", "add-line", "DOC-0001", "--product", "YEN", "--qty", "1"), 1, "one currency"),
        (
            ("offer", "add-line", "DOC-0001", "--product", "BOX", "--qty", "0"),
            2,
            "line 2: quantity",
        ),
        (
            (
                "offer",
                "add-line",
                "DOC-0001",
                "--product",
                "BOX",
                "--qty",
                "1",
                "--discount",
                "120",
            ),
            2,
            "discount",
        ),
        (("offer", "add-line", "DOC-0001", "--product", "BOX"), 2, "--qty"),
        (
            ("offer", "add-line", "OFR-2026-0001", "--product", "BOX", "--qty", "1"),
            1,
            "make a new version",
        ),
        (("offer", "set", "OFR-2026-0001", "--payment-terms", "now"), 1, "make a new version"),
        (("offer", "remove-line", "DOC-0001", "5"), 2, "from 1 to 1"),
        (("offer", "new", "D-0009"), 1, "deal D-0009 does not exist"),
        (("offer", "new", "D-0001", "--valid-until", "yesterday"), 2, "valid_until"),
        (("offer", "show", "OFR-2026-0009"), 1, "does not exist"),
        (("offer", "show", "OFR-2026-0001@7"), 1, "no version 7"),
        (("offer", "show", "banana"), 2, "expected a document id"),
        (("offer", "diff", "OFR-2026-0001@1", "DOC-0003"), 2, "one currency"),
        (("offer", "issue", "DOC-0004"), 1, "no lines"),
        (("offer", "accept", "DOC-0001"), 1, "a draft; issue it first"),
        (("contract", "from-offer", "OFR-2026-0001"), 1, "accepted offer only"),
        (("offer", "set", "DOC-0001"), 2, "nothing to change"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    data_dir: Path, capsys: Capture, argv: tuple[str, ...], status: int, message: str
) -> None:
    setup_deal(capsys)
    ok(capsys, "client", "add", "Tokyo KK", "--country", "JP", "--currency", "JPY")
    ok(capsys, "deal", "add", "C-0002", "Yen deal")
    ok(capsys, "product", "add", "BOX", "Box", "--price", "10", "--currency", "EUR",
       "--tax-rate", "23")  # fmt: skip
    ok(capsys, "product", "add", "YEN", "Yen box", "--price", "100", "--currency", "JPY",
       "--tax-rate", "10")  # fmt: skip
    ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", "DOC-0001", "--product", "BOX", "--qty", "1")
    ok(capsys, "offer", "issue", "DOC-0001")
    ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", "DOC-0002", "--product", "BOX", "--qty", "1")
    ok(capsys, "offer", "new", "D-0002")
    ok(capsys, "offer", "add-line", "DOC-0003", "--product", "YEN", "--qty", "1")
    ok(capsys, "offer", "new", "D-0001")
    # DOC-0001 is issued as OFR-2026-0001; "DOC-0001" in argv names the open draft DOC-0002.
    argv = tuple("DOC-0002" if a == "DOC-0001" else a for a in argv)
    before = tree_bytes(data_dir)
    code, out, err = run(capsys, *argv)
    assert code == status
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert message in lines[0]
    assert "Traceback" not in err
    assert tree_bytes(data_dir) == before


def test_issue_warns_about_an_empty_company_profile(data_dir: Path, capsys: Capture) -> None:
    """Issued anyway (the number on stdout), with the empty settings named on stderr; once
    the profile is filled in, no warning."""
    setup_deal(capsys)
    ok(capsys, "product", "add", "BOX-40", "Box 40", "--price", "12.50", "--currency", "EUR",
       "--tax-rate", "23")  # fmt: skip
    draft = ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", draft, "--product", "BOX-40", "--qty", "2")
    code, out, err = run(capsys, "offer", "issue", draft)
    assert code == 0 and out.strip() == "OFR-2026-0001"
    assert err.startswith("warning: OFR-2026-0001 was issued with an empty company profile")
    assert "company.name, company.address, company.tax_id" in err
    config = Path(os.environ["ACCMGR_CONFIG"]) / "config.toml"
    config.write_text(
        '[company]\nname = "Baltic Cold Chain UAB"\naddress = "Kaunas"\ntax_id = "LT1"\n'
    )
    second = ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", second, "--product", "BOX-40", "--qty", "1")
    code, out, err = run(capsys, "offer", "issue", second)
    assert (code, out.strip(), err) == (0, "OFR-2026-0002", "")


def _d_rated_offer(capsys: Capture) -> None:
    setup_deal(capsys)
    ok(capsys, "review", "C-0001", "--rating", "D", "--credit-limit", "0", "--terms", "0")
    ok(capsys, "product", "add", "BOX", "Box", "--price", "2.25", "--currency", "EUR",
       "--tax-rate", "23")  # fmt: skip
    ok(capsys, "offer", "new", "D-0001", "--payment-terms", "60 days net")
    ok(capsys, "offer", "add-line", "DOC-0001", "--product", "BOX", "--qty", "10")


def test_a_stop_warning_refuses_issue_accept_and_contract_without_a_reason(
    data_dir: Path, capsys: Capture
) -> None:
    _d_rated_offer(capsys)
    before = tree_bytes(data_dir)
    code, out, err = run(capsys, "offer", "issue", "DOC-0001")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "rated D — unreliable: do not extend credit" in err and '--despite "REASON"' in err
    assert "over the credit limit" in err
    assert tree_bytes(data_dir) == before
    code, _, err = run(capsys, "offer", "issue", "DOC-0001", "--despite", "  ")
    assert code == 1 and "--despite" in err
    assert ok(capsys, "offer", "issue", "DOC-0001", "--despite", "Prepaid in full") == (
        "OFR-2026-0001"
    )

    code, _, err = run(capsys, "offer", "accept", "OFR-2026-0001")
    assert code == 1 and err.startswith("accmgr: accept OFR-2026-0001@1 refused: rated D")
    assert json.loads(ok(capsys, "offer", "show", "OFR-2026-0001", "--json"))["status"] == "sent"
    ok(capsys, "offer", "accept", "OFR-2026-0001", "--despite", "Director approved")

    code, _, err = run(capsys, "contract", "from-offer", "OFR-2026-0001")
    assert code == 1 and "--despite" in err
    assert json.loads(ok(capsys, "contract", "list", "--json")) == []
    number = ok(capsys, "contract", "from-offer", "OFR-2026-0001", "--despite", "Bank guarantee")

    offer = json.loads(ok(capsys, "offer", "show", "OFR-2026-0001", "--json"))
    assert [(o["step"], o["reason"], o["on"]) for o in offer["overrides"]] == [
        ("issue", "Prepaid in full", "2026-11-23"),
        ("accept", "Director approved", "2026-11-23"),
    ]
    assert "rated D — unreliable: do not extend credit" in offer["overrides"][0]["warnings"]
    contract = json.loads(ok(capsys, "contract", "show", number, "--json"))
    assert [o["reason"] for o in contract["overrides"]] == ["Bank guarantee"]
    shown = ok(capsys, "offer", "show", "OFR-2026-0001")
    assert "2026-11-23: issue despite rated D" in shown and "Prepaid in full" in shown


def test_an_offer_over_the_credit_limit_stops_a_good_client(
    data_dir: Path, capsys: Capture
) -> None:
    setup_deal(capsys)
    ok(capsys, "review", "C-0001", "--rating", "B", "--credit-limit", "20", "--terms", "30")
    ok(capsys, "product", "add", "BOX", "Box", "--price", "2.25", "--currency", "EUR",
       "--tax-rate", "23")  # fmt: skip
    ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", "DOC-0001", "--product", "BOX", "--qty", "5")
    assert ok(capsys, "offer", "issue", "DOC-0001") == "OFR-2026-0001"  # 13.84 EUR: within
    ok(capsys, "offer", "revise", "OFR-2026-0001")
    ok(capsys, "offer", "add-line", "DOC-0002", "--product", "BOX", "--qty", "5")
    code, _, err = run(capsys, "offer", "issue", "DOC-0002")
    assert code == 1
    assert "exposure 27.68 EUR is over the credit limit 20.00 EUR" in err
