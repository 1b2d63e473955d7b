"""Rates in the store and the totals services: figures computed by hand in the comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from accmgr.domain.deal import LostReason
from accmgr.domain.exchange import ExchangeRate
from accmgr.domain.stages import Stage
from accmgr.errors import ValidationError
from accmgr.services import clients, deals
from accmgr.services.conversion import open_value
from accmgr.services.rates import import_rates, rate_book, rate_rows, set_rate
from accmgr.services.totals import missing_rates, reporting_converter, totals_of
from accmgr.services.workspace import Workspace

D = Decimal
NOV20 = date(2026, 11, 20)


@dataclass
class Card:
    """What the board's totals read of a card: its value, weighted value and whether won."""

    stage: Stage
    value: Decimal
    currency: str
    weighted: Decimal = Decimal(0)
    won: bool = False


def test_rates_are_stored_one_record_per_base_and_day(workspace: Workspace) -> None:
    written = set_rate(workspace, "EUR", "PLN", D("4.2675"), NOV20)
    assert (written.added, written.changed) == (1, 0)
    import_rates(
        workspace,
        [
            ExchangeRate("EUR", "HUF", D("385.10"), NOV20),
            ExchangeRate("EUR", "PLN", D("4.27"), NOV20),
        ],
    )
    (doc,) = workspace.store.all("rates")
    assert (doc["id"], doc["base"], doc["day"]) == ("FX-0001", "EUR", "2026-11-20")
    assert doc["rates"] == {"PLN": "4.27", "HUF": "385.10"}
    assert [(r.quote, r.rate) for r in rate_rows(workspace)] == [
        ("HUF", D("385.10")),
        ("PLN", D("4.27")),
    ]


def test_the_rate_book_follows_every_write(workspace: Workspace) -> None:
    assert len(rate_book(workspace)) == 0
    set_rate(workspace, "EUR", "PLN", D("4.2675"), NOV20)
    assert rate_book(workspace).find("EUR", "PLN", NOV20) is not None
    set_rate(workspace, "EUR", "PLN", D("4.30"), NOV20)
    found = rate_book(workspace).find("EUR", "PLN", NOV20)
    assert found is not None and found.shown == D("4.3")


def test_a_damaged_rates_record_is_named(workspace: Workspace) -> None:
    with workspace.store.transaction() as tx:
        tx.insert("rates", {"id": "FX-0001", "base": "EUR", "day": "2026-11-20",
                            "rates": {"PLN": "-4"}})  # fmt: skip
    with pytest.raises(ValidationError, match=r"^exchange rates record 'FX-0001': rate: expected"):
        rate_book(workspace)
    with workspace.store.transaction() as tx:
        tx.insert("rates", {"id": "FX-0002", "base": "EUR", "day": "20.11.2026", "rates": {}})
    with pytest.raises(ValidationError, match=r"^exchange rates record 'FX-0002': expected base"):
        rate_book(workspace)


def test_board_totals_per_stage_with_won_and_missing_kept_apart(workspace: Workspace) -> None:
    set_rate(workspace, "EUR", "PLN", D("4.00"), NOV20)
    cards = [
        Card(Stage.NEEDS, D("1000"), "EUR", D("300")),  # needs: 30 %
        Card(Stage.NEEDS, D("4000"), "PLN", D("1200")),  # 4 000 ÷ 4 = 1 000 EUR
        Card(Stage.NEEDS, D("90000"), "RUB", D("27000")),  # no rate
        Card(Stage.CLOSING, D("2000"), "EUR", D("1000")),  # its own 50 %
        Card(Stage.FULFILMENT, D("8000"), "PLN", won=True),  # 2 000 EUR, booked
    ]
    convert = reporting_converter(workspace, NOV20)
    needs = totals_of(c for c in cards if c.stage is Stage.NEEDS)
    value, weighted = convert(needs.open), convert(needs.weighted)
    assert needs.count == 3 and value.amount == D("2000.00")
    assert weighted.amount == D("600.00")  # 300 + 1 200 ÷ 4; the RUB part left out
    assert [(p.currency, p.amount) for p in value.missing] == [("RUB", D("90000"))]
    assert missing_rates(needs, convert) == {"RUB": 1}
    board = totals_of(cards)
    # open: 1 000 + 1 000 + 2 000 = 4 000 EUR; weighted: 600 + 1 000
    assert convert(board.open).amount == D("4000.00")
    assert convert(board.weighted).amount == D("1600.00")
    # the won deal is not pipeline: 8 000 PLN ÷ 4 = 2 000 EUR, on its own
    won = convert(board.won)
    assert won.amount == D("2000.00") and won.count == 1 and board.won_deals == {"PLN": 1}
    assert board.open_deals == {"EUR": 2, "PLN": 1, "RUB": 1}
    assert missing_rates(board, convert) == {"RUB": 1}


def test_open_value_leaves_out_closed_deals_and_uses_the_reporting_currency(
    workspace: Workspace,
) -> None:
    import dataclasses

    from accmgr.config import Config

    ws = dataclasses.replace(workspace, settings=Config(reporting_currency="PLN"))
    client = clients.add_client(ws, "Adria Foods", country="PL", currency="EUR")
    deals.add_deal(ws, client.id, "Ovens", value=D("1000"))
    lost = deals.add_deal(ws, client.id, "Trays", value=D("500"))
    deals.lose_deal(ws, lost.id, reason=LostReason.PRICE, note="too dear")
    set_rate(ws, "EUR", "PLN", D("4.2675"), NOV20)
    total = open_value(ws, client.id)
    # only Ovens: 1 000 EUR × 4.2675 = 4 267.50 PLN
    assert (total.amount, total.currency, total.count) == (D("4267.50"), "PLN", 1)


def test_the_clients_list_survives_a_damaged_rates_record(workspace: Workspace) -> None:
    client = clients.add_client(workspace, "Adria Foods", country="PL", currency="PLN")
    deals.add_deal(workspace, client.id, "Ovens", value=D("1000"))
    with workspace.store.transaction() as tx:
        tx.insert("rates", {"id": "FX-0001", "base": "EUR", "day": "x", "rates": {}})
    (row,) = clients.client_rows(workspace)
    # No conversion is possible: the amounts stay per currency, nothing is made up
    assert row.open_total is None and row.open_value == (("PLN", D("1000")),)
