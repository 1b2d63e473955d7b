"""Exchange rates from the command line: set, list, import the ECB's file, and totals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import ok, run
from tests.conftest import tree_bytes
from tests.domain.ecb_samples import DAILY, HISTORICAL

# The frozen clock is 2026-11-23; the samples are of December, so --on dates are given.


def test_rate_set_saves_replaces_and_says_so(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ok(capsys, "rate", "set", "eur", "pln", "4.2675", "--on", "2026-11-20") == (
        "1 EUR = 4.2675 PLN on 2026-11-20: saved"
    )
    assert ok(capsys, "rate", "set", "EUR", "PLN", "4.2675", "--on", "20 Nov") == (
        "1 EUR = 4.2675 PLN on 2026-11-20: already stored, nothing changed"
    )
    assert ok(capsys, "rate", "set", "EUR", "PLN", "4,27", "--on", "2026-11-20") == (
        "1 EUR = 4.27 PLN on 2026-11-20: saved (was 4.2675)"
    )
    # Without --on: today (the frozen clock)
    assert ok(capsys, "rate", "set", "GBP", "EUR", "1.1748") == (
        "1 GBP = 1.1748 EUR on 2026-11-23: saved"
    )
    listed = json.loads(ok(capsys, "rate", "list", "--json"))
    assert listed == [
        {"from": "EUR", "to": "PLN", "rate": "4.27", "date": "2026-11-20"},
        {"from": "GBP", "to": "EUR", "rate": "1.1748", "date": "2026-11-23"},
    ]
    human = ok(capsys, "rate", "list")
    assert "2 rate(s); totals are shown in EUR" in human and "4.27" in human


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("EUR", "EUR", "1"), "to: expected a currency other than EUR, got EUR"),
        (("EUR", "ZZZ", "4"), "to: expected a three-letter ISO 4217 code"),
        (("EUR", "PLN", "0"), "rate: expected a rate greater than 0, got 0"),
        (("EUR", "PLN", "abc"), "rate: expected a number such as 1234.50"),
        (("EUR", "PLN", "4.2", "--on", "someday"), "on: could not read 'someday' as a date"),
    ],
)
def test_rate_set_refuses_a_bad_value_with_status_2_and_writes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    ok(capsys, "rate", "set", "EUR", "HUF", "385.10")
    ok(capsys, "rate", "list")  # the day's first open with records takes the daily backup
    before = tree_bytes(data_dir)
    code, out, err = run(capsys, "rate", "set", *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"accmgr rate set: {message}") and err.count("\n") == 1
    assert tree_bytes(data_dir) == before


def test_rates_import_reads_both_layouts_and_twice_changes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    daily, hist = tmp_path / "eurofxref.csv", tmp_path / "eurofxref-hist.csv"
    daily.write_text(DAILY)
    hist.write_text(HISTORICAL)
    assert ok(capsys, "rates", "import", str(daily)) == (
        f"read 30 rates for 1 day (2026-12-04) from {daily}: 30 new, 0 changed, "
        "0 already stored as they are"
    )
    ok(capsys, "rate", "list")  # the day's first open with records takes the daily backup
    before = tree_bytes(data_dir)
    again = ok(capsys, "rates", "import", str(daily))
    assert again.endswith("0 new, 0 changed, 30 already stored as they are")
    assert tree_bytes(data_dir) == before  # not a byte written the second time
    # The historical file repeats 4 December (5 of its rates): those are already stored.
    report = json.loads(ok(capsys, "rates", "import", str(hist), "--json"))
    assert (report["rates"], report["days"], report["added"], report["unchanged"]) == (
        25,
        5,
        20,
        5,
    )
    assert (report["first_day"], report["last_day"]) == ("2026-12-03", "2026-12-29")
    every = json.loads(ok(capsys, "rate", "list", "--all", "--json"))
    assert len(every) == 30 + 20
    newest = {r["to"]: r for r in json.loads(ok(capsys, "rate", "list", "--json"))}
    assert newest["HUF"] == {"from": "EUR", "to": "HUF", "rate": "387.40", "date": "2026-12-29"}
    assert newest["ZAR"]["date"] == "2026-12-04"


def test_a_bad_file_is_refused_naming_the_line_with_status_1(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ok(capsys, "rate", "set", "EUR", "HUF", "385.10")
    ok(capsys, "rate", "list")  # the day's first open with records takes the daily backup
    before = tree_bytes(data_dir)
    bad = tmp_path / "eurofxref-hist.csv"
    # The third data row's PLN has a semicolon for its point: the whole file is refused.
    bad.write_text(HISTORICAL.replace(",386.20,4.2775,", ",386.20,4;2775,"))
    code, out, err = run(capsys, "rates", "import", str(bad))
    assert (code, out) == (1, "")
    assert err == (
        f"accmgr: rates import: {bad} line 4, column 7 (PLN): expected a rate such as 1.0543 "
        "or N/A, got '4;2775'; nothing was imported\n"
    )
    code, _, err = run(capsys, "rates", "import", str(tmp_path / "missing.csv"))
    assert code == 1 and err.endswith("missing.csv: no such file\n")
    assert tree_bytes(data_dir) == before


def test_client_show_totals_in_the_reporting_currency_and_flags_missing_rates(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "client", "add", "Kujawy Medyczne", "--country", "PL", "--currency", "PLN")
    ok(capsys, "deal", "add", "C-0001", "Beds", "--value", "4267.50")
    ok(capsys, "deal", "add", "C-0001", "Masks", "--value", "1000", "--currency", "EUR")
    ok(capsys, "deal", "add", "C-0001", "Gloves", "--value", "50000", "--currency", "RUB")
    ok(capsys, "deal", "add", "C-0001", "Gowns", "--value", "25000", "--currency", "RUB")
    ok(capsys, "rate", "set", "EUR", "PLN", "4.2675", "--on", "2026-11-20")
    human = ok(capsys, "client", "show", "C-0001")
    # 4 267.50 PLN ÷ 4.2675 = 1 000.00 EUR, + 1 000.00 EUR = 2 000.00 EUR; RUB kept apart
    assert human.splitlines()[1:3] == [
        # Money through the one formatter, in the user's locale (en here; NBSP as CLDR has it).
        "Open value: €2,000.00 (rates of 2026-11-20) from €1,000.00 + PLN\xa04,267.50",
        "! 2 open deals in RUB have no rate — add one with `accmgr rate set EUR RUB RATE` "
        "(RUB\xa075,000.00 left out)",
    ]
    shown = json.loads(ok(capsys, "client", "show", "C-0001", "--json"))
    total = shown["open_value"]
    assert (total["amount"], total["currency"], total["count"], total["without_rate"]) == (
        "2000.00",
        "EUR",
        2,
        2,
    )
    pln = next(p for p in total["parts"] if p["currency"] == "PLN")
    assert pln["amount"] == "4267.50" and pln["converted"] == {
        "amount": "1000.00",
        "currency": "EUR",
        "rate": "0.2343292326",
        "rate_date": "2026-11-20",
        "rate_via": None,
    }
    rub = next(p for p in total["parts"] if p["currency"] == "RUB")
    assert rub["converted"]["amount"] is None
    assert rub["converted"]["no_rate"] == "no rate from RUB to EUR on or before 2026-11-23"


def test_deal_json_carries_original_and_converted_amounts(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = Path(str(data_dir).replace("/db", "/config")) / "config.toml"
    config.write_text('reporting_currency = "PLN"\n')
    ok(capsys, "client", "add", "Pest Malom", "--country", "HU", "--currency", "HUF")
    ok(capsys, "deal", "add", "C-0001", "Flour silo", "--value", "3851000")
    ok(capsys, "rate", "set", "EUR", "HUF", "385.10", "--on", "2026-11-19")
    ok(capsys, "rate", "set", "EUR", "PLN", "4.2675", "--on", "2026-11-20")
    deal = json.loads(ok(capsys, "deal", "show", "D-0001", "--json"))
    # 3 851 000 HUF × 4.2675 ÷ 385.10 = 42 675.00 PLN, crossed through EUR, as old as 19 Nov
    assert (deal["value"], deal["currency"]) == ("3851000", "HUF")
    assert deal["converted_value"] == {
        "amount": "42675.00",
        "currency": "PLN",
        "rate": "0.01108153726",
        "rate_date": "2026-11-19",
        "rate_via": "EUR",
    }
    listed = json.loads(ok(capsys, "deal", "list", "--json"))
    assert listed[0]["converted_value"] == deal["converted_value"]
    human = ok(capsys, "deal", "show", "D-0001")
    assert (
        "In PLN: PLN\xa042,675.00 (1 HUF = 0.01108153726 PLN via EUR, rate of 2026-11-19)" in human
    )


def test_rates_import_since_keeps_only_the_later_days(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hist = tmp_path / "eurofxref-hist.csv"
    hist.write_text(HISTORICAL)
    out = ok(capsys, "rates", "import", str(hist), "--since", "2026-12-23")
    # 23, 24 and 29 December × USD, JPY, GBP, HUF, PLN
    assert out.startswith("read 15 rates for 3 days (2026-12-23 to 2026-12-29)")
    assert {r["date"] for r in json.loads(ok(capsys, "rate", "list", "--all", "--json"))} == {
        "2026-12-23",
        "2026-12-24",
        "2026-12-29",
    }
    code, _, err = run(capsys, "rates", "import", str(hist), "--since", "2027-01-01")
    assert code == 1 and "has no day from 2027-01-01 on (its last is 2026-12-29)" in err
    code, _, err = run(capsys, "rates", "import", str(hist), "--since", "soon")
    assert code == 2 and err.startswith("accmgr rate import: since: could not read 'soon'")


def test_client_list_json_carries_each_clients_open_value(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "client", "add", "Pest Malom", "--country", "HU", "--currency", "HUF")
    ok(capsys, "deal", "add", "C-0001", "Flour silo", "--value", "3851000")
    ok(capsys, "rate", "set", "EUR", "HUF", "385.10")
    (client,) = json.loads(ok(capsys, "client", "list", "--json"))
    # 3 851 000 HUF ÷ 385.10 = 10 000.00 EUR
    assert (client["open_value"]["amount"], client["open_value"]["currency"]) == ("10000.00", "EUR")
    assert client["open_value"]["oldest_rate_date"] == "2026-11-23"
