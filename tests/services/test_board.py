"""The board's light read path shows exactly what the full domain model computes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accmgr.domain.client import Client
from accmgr.domain.deal import Deal
from accmgr.domain.stages import STAGE_RULES, Stage, StageRule
from accmgr.errors import ValidationError
from accmgr.services.board import (
    CardFigures,
    card_figures,
    facts_of,
    open_deals,
    project,
    read_board,
)
from accmgr.services.demo import fill_demo
from accmgr.services.reliability import client_warnings, warnings_by_client
from accmgr.services.workspace import Workspace
from accmgr.store import Store, open_store
from tests.conftest import frozen_now

# Other limits and chances than the defaults, as a user's settings may have them.
TIGHT_RULES: Mapping[Stage, StageRule] = {
    stage: dataclasses.replace(
        rule,
        default_probability=rule.default_probability / 2 + 1,
        stall_days=max(1, rule.stall_days // 3),
    )
    for stage, rule in STAGE_RULES.items()
}


@pytest.fixture(scope="module", params=[7, 11])
def demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    store = open_store(Path(tmp_path_factory.mktemp(f"board-{request.param}")) / "db")
    fill_demo(store, scale="small", seed=request.param, now=frozen_now())
    try:
        yield store
    finally:
        store.close()


def full_figures(deal: Deal, now: datetime, rules: Mapping[Stage, StageRule]) -> CardFigures:
    """What the card shows, from the whole validated Deal and its methods; a won deal is
    booked revenue on the board (issue 10): neither weighted pipeline nor stalled."""
    won = deal.outcome == "won"
    return CardFigures(
        probability=deal.probability(rules),
        stage_probability=(
            rules[deal.stage].default_probability if deal.probability_override is not None else None
        ),
        weighted=Decimal(0) if won else deal.weighted_value(rules),
        days=deal.days_in_stage(now),
        stalled=() if won else tuple(deal.stall_reasons(now, rules)),
    )


@pytest.mark.parametrize("rules", [STAGE_RULES, TIGHT_RULES], ids=["default", "settings"])
@pytest.mark.parametrize("later", [0, 1, 40], ids=["now", "tomorrow", "in-40-days"])
def test_every_open_demo_deal_projects_to_the_domains_figures(
    demo_store: Store, rules: Mapping[Stage, StageRule], later: int
) -> None:
    now = frozen_now() + timedelta(days=later)
    docs = demo_store.all("deals")
    deals = [Deal.from_dict(doc) for doc in docs]
    board = open_deals(docs)

    assert set(board) == {deal.id for deal in deals if deal.is_open}
    for deal in deals:
        if not deal.is_open:
            continue
        light = board[deal.id]
        assert light == facts_of(deal)
        assert card_figures(light, now, rules) == full_figures(deal, now, rules)


def test_the_demo_covers_what_a_card_can_show(demo_store: Store) -> None:
    """The property above is only worth something if the data has every case in it."""
    now = frozen_now()
    figures = [
        card_figures(f, now, STAGE_RULES) for f in open_deals(demo_store.all("deals")).values()
    ]
    assert {f.stage for f in open_deals(demo_store.all("deals")).values()} == set(Stage)
    assert any(f.stage_probability is not None for f in figures)  # an override
    assert any(f.stage_probability is None for f in figures)
    reasons = " | ".join(r for f in figures for r in f.stalled)
    assert "days in" in reasons and "no next step" in reasons
    assert any(not f.stalled for f in figures)


def _doc(store: Store, **changes: Any) -> dict[str, Any]:
    doc = dict(next(d for d in store.all("deals") if d.get("outcome") is None))
    doc.update(changes)
    return doc


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "-5"}, "value"),
        ({"currency": "XYZ"}, "currency"),
        ({"probability_override": "120"}, "probability_override"),
        ({"title": ""}, "title"),
        ({"stage": "nowhere"}, "stage"),
    ],
)
def test_a_damaged_deal_is_refused_as_the_domain_refuses_it(
    demo_store: Store, changes: dict[str, Any], field: str
) -> None:
    doc = _doc(demo_store, **changes)
    with pytest.raises(ValidationError) as full:
        Deal.from_dict(doc)
    with pytest.raises(ValidationError) as light:
        project(doc)
    assert str(light.value) == str(full.value)
    assert field in str(light.value)


def test_what_the_cheap_checks_do_not_expect_goes_through_the_domain(demo_store: Store) -> None:
    # Stored by hand with spaces and a number instead of text: the model strips and converts.
    doc = _doc(demo_store, title="  Padded title  ", value=1500)
    assert project(doc) == facts_of(Deal.from_dict(doc))
    assert project(doc).title == "Padded title"
    assert project(doc).value == Decimal(1500)


def test_an_unchanged_revision_is_not_projected_again(demo_store: Store) -> None:
    docs = demo_store.all("deals")
    first = open_deals(docs)
    again = open_deals(docs, first)
    assert all(again[key] is first[key] for key in first)

    changed = _doc(demo_store, title="Renamed")
    changed["rev"] = changed["rev"] + 1
    others = [d for d in docs if d["id"] != changed["id"]]
    third = open_deals([*others, changed], first)
    assert third[changed["id"]].title == "Renamed"


def test_read_board_gives_every_clients_warnings_and_names(demo_store: Store) -> None:
    ws = Workspace(store=demo_store, clock=frozen_now)
    read = read_board(ws)
    assert read.warnings == warnings_by_client(ws)
    # Read from the profiles alone, the warnings are those of each whole client.
    whole = {c.id: client_warnings(ws, c) for c in ws.load_all("clients", Client)}
    assert read.warnings == {key: found for key, found in whole.items() if found}
    assert any("red flag" in w for found in read.warnings.values() for w in found)
    names = {doc["id"]: doc["name"] for doc in demo_store.all("clients")}
    assert {key: c.name for key, c in read.clients.items()} == names


# -- issue 10 §1: won deals kept apart, won this month ---------------------------------------


def test_a_won_deal_is_booked_revenue_neither_weighted_nor_stalled(tmp_path: Path) -> None:
    from accmgr.services import clients, deals

    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now)
    clients.add_client(ws, "Kauno Baldai UAB", country="LT")
    deal = deals.add_deal(
        ws, "C-0001", "Desks", value=Decimal("30000"), stage=Stage.CLOSING, reason="x"
    )
    deals.win_deal(ws, deal.id)
    # Long after its Fulfilment stall limit (60 days) and without a next step.
    later = frozen_now() + timedelta(days=100)
    [facts] = open_deals(store.all("deals")).values()
    figures = card_figures(facts, later, STAGE_RULES)
    store.close()
    assert facts.is_won and facts.stage == Stage.FULFILMENT
    assert figures.weighted == 0
    assert figures.stalled == ()


def test_won_this_month_counts_the_months_won_deals_on_and_off_the_board() -> None:
    from accmgr.services.board import won_in_month

    def doc(value: str, currency: str, outcome: str | None, closed: str | None) -> dict[str, Any]:
        return {"value": value, "currency": currency, "outcome": outcome, "closed_on": closed}

    docs = [
        doc("30000", "EUR", "won", "2026-11-02"),
        doc("12000.50", "EUR", "won", "2026-11-23"),  # completed or not: won this month
        doc("8000", "PLN", "won", "2026-11-30"),
        doc("99999", "EUR", "won", "2026-10-31"),  # last month
        doc("5000", "EUR", "lost", "2026-11-10"),
        doc("7000", "EUR", None, None),
    ]
    assert won_in_month(docs, frozen_now().date()) == {
        "EUR": Decimal("42000.50"),
        "PLN": Decimal("8000"),
    }


def test_totals_keep_won_apart_and_never_add_currencies() -> None:
    from accmgr.services.totals import totals_of

    @dataclasses.dataclass
    class Row:
        currency: str
        value: Decimal
        weighted: Decimal
        won: bool

    totals = totals_of(
        [
            Row("EUR", Decimal(1000), Decimal(50), False),
            Row("EUR", Decimal(2000), Decimal(700), False),
            Row("PLN", Decimal(400), Decimal(40), False),
            Row("EUR", Decimal(9000), Decimal(0), True),
        ]
    )
    assert (totals.count, totals.won_count) == (4, 1)
    assert totals.open == {"EUR": Decimal(3000), "PLN": Decimal(400)}
    assert totals.weighted == {"EUR": Decimal(750), "PLN": Decimal(40)}
    assert totals.won == {"EUR": Decimal(9000)}
    assert totals.currencies == ["EUR", "PLN"]  # the most used first
