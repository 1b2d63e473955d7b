"""Every filter and the palette forgive case, accents and script: names in the six languages
typed from a plain Latin keyboard, driven through the screens a KAM uses."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input

from accmgr.app import AccmgrApp
from accmgr.domain.search import key_matches, query_words
from accmgr.domain.stages import Stage
from accmgr.screens.catalog import CatalogScreen
from accmgr.screens.client import ClientScreen
from accmgr.screens.clients import ClientsScreen
from accmgr.screens.deal import DealScreen
from accmgr.screens.palette import RecordsProvider, Target, hit_score
from accmgr.screens.pipeline import PipelineScreen
from accmgr.screens.today_rows import haystack
from accmgr.services import catalog, clients, deals
from accmgr.services.today import TodayItem
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.folded_matcher import FoldedMatcher
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir, wait_for

__all__ = ["config_dir"]

NAMES = (
    ("Alföldi Sütőipari Kft.", "HU"),  # C-0001
    ("UAB Žalgirio statyba", "LT"),  # C-0002
    ("СибФарм", "RU"),  # C-0003
    ("Łódź Meble sp. z o.o.", "PL"),  # C-0004
    ("Gonçalves & Filhos Lda", "PT"),  # C-0005
    ("Harbour & Finch Ltd", "GB"),  # C-0006
)


@pytest.fixture
def six(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    """A client in each language with one deal each (D-0001 … D-0006, in that order)."""
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now)
    for name, country in NAMES:
        client = clients.add_client(ws, name, country=country)
        deals.add_deal(ws, client.id, "Supply contract", value=Decimal(1000))
    catalog.add_product(
        ws, "KEN-1", "Fehér kenyér", unit_price=Decimal(900), currency="HUF", tax_rate=Decimal(5)
    )
    catalog.add_product(
        ws, "MEB-2", "Krzesło biurowe", unit_price=Decimal(400), currency="PLN", tax_rate=23
    )
    try:
        yield ws
    finally:
        store.close()


def board_ids(screen: PipelineScreen) -> list[str]:
    return [card.deal_id for card in screen.column(Stage.PROSPECTING).cards]


async def test_the_board_filter_finds_names_without_their_accents_or_script(six: Workspace) -> None:
    app = AccmgrApp(six)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, PipelineScreen) and app.screen.ready)
        screen = app.screen
        assert isinstance(screen, PipelineScreen)
        box = screen.query_one("#filter", Input)
        for typed, expected in {
            "sutoipari": ["D-0001"],
            "zalgir": ["D-0002"],
            "sibfarm": ["D-0003"],
            "lodz": ["D-0004"],
            "goncalves": ["D-0005"],
            "HARBOUR": ["D-0006"],
            "sütő": ["D-0001"],  # typed with the accents, it still finds it
        }.items():
            box.value = typed
            await pilot.pause()
            assert board_ids(screen) == expected, typed


async def test_the_clients_filter_finds_zalgir_and_sibfarm(six: Workspace) -> None:
    app = AccmgrApp(six, "clients")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, ClientsScreen) and app.screen.ready)
        screen = app.screen
        assert isinstance(screen, ClientsScreen)
        await pilot.press("slash", *"zalgir")
        await wait_for(lambda: [r.id for r in screen.shown] == ["C-0002"])
        screen.query_one("#filter", Input).value = "sibfarm"
        await wait_for(lambda: [r.id for r in screen.shown] == ["C-0003"])


async def test_the_catalog_filter_folds_product_names(six: Workspace) -> None:
    app = AccmgrApp(six, "catalog")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, CatalogScreen) and app.screen.ready)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        table = screen.query_one("#products", DataTable)
        await pilot.press("slash", *"krzeslo")
        await pilot.pause()
        assert [str(row.value) for row in table.rows] == ["MEB-2"]
        screen.query_one("#filter", Input).value = "feher"
        await pilot.pause()
        assert [str(row.value) for row in table.rows] == ["KEN-1"]


async def test_the_palette_finds_alfold_sutoipari_and_sibfarm(six: Workspace) -> None:
    app = AccmgrApp(six)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, PipelineScreen) and app.screen.ready)
        for typed, client_id in (("alfold sutoipari", "C-0001"), ("sibfarm", "C-0003")):
            await pilot.press("ctrl+p")
            await wait_for(lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*typed)
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_for(lambda: isinstance(app.screen, (ClientScreen, DealScreen)))
            opened = app.screen
            found = (
                getattr(opened, "client_id", None)
                or six.store.get(
                    "deals",
                    opened.deal_id,  # type: ignore[attr-defined]
                )["client_id"]
            )
            assert found == client_id, typed
            await pilot.press("escape")
            await wait_for(lambda: isinstance(app.screen, PipelineScreen))


def test_the_palette_ranks_an_exact_id_then_a_prefix_then_words_then_fuzzy() -> None:
    targets = {
        "exact": Target("deals", "D-0012", "Łódź Meble sp. z o.o. · D-0012", "Deal"),
        "prefix": Target("deals", "D-00123", "Sütő · D-00123", "Deal"),
        "words": Target("deals", "D-0099", "Ovens · Alföldi Sütőipari · D-0099", "Deal"),
        "fuzzy": Target("deals", "D-0098", "Delivery · D-0098", "Deal"),
    }

    def score(query: str, which: str) -> float:
        return hit_score(query, targets[which], FoldedMatcher(query))

    assert score("d-0012", "exact") > score("d-0012", "prefix") > 0
    assert score("sutoipari alfold", "words") > score("sutoipari alfold", "fuzzy") == 0
    assert score("suto", "prefix") > score("suto", "words") > 0
    assert score("dlv", "fuzzy") > 0  # in-order letters still find it, below everything else
    assert score("dlv", "fuzzy") < score("sutoipari alfold", "words")


def test_the_palette_highlights_the_name_as_written() -> None:
    content = FoldedMatcher("sibf").highlight("СибФарм")
    assert content.plain == "СибФарм"
    assert [(span.start, span.end) for span in content.spans] == [(0, 1), (1, 2), (2, 3), (3, 4)]


async def test_the_palette_lists_accmgr_commands_once_without_textual_generic_ones(
    six: Workspace,
) -> None:
    app = AccmgrApp(six, "clients")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, ClientsScreen) and app.screen.ready)
        await pilot.press("slash")  # an input has the focus: its copy and paste keys are near
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Copy selected text" not in titles
        assert not {"Screenshot", "Keys", "Maximize"} & set(titles)
        assert "Theme" in titles and "Quit" in titles
        assert "Go to Clients" in titles and "Clear filter" in titles
        assert len(titles) == len(set(titles))
        # The records provider is still there.
        assert RecordsProvider in app.COMMANDS


def test_todays_filter_folds_who_and_what() -> None:
    item = TodayItem("overdue", "activity", "A-0007", "C-0002", "UAB Žalgirio statyba", "Call")
    assert key_matches(query_words("zalgirio call"), haystack(item))
    assert not key_matches(query_words("sibfarm"), haystack(item))
