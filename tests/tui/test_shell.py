"""The app shell: sections, --open, the command palette, help, the keymap, the first run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Static

from accmgr.app import SECTION_NAMES, AccmgrApp, binding_ids
from accmgr.cli import main
from accmgr.config import Config, ConfigError, check_keymap
from accmgr.screens.board_legend import LegendScreen
from accmgr.screens.client import ClientScreen
from accmgr.screens.deal import DealScreen
from accmgr.screens.help import HelpScreen
from accmgr.screens.pipeline import PipelineScreen
from accmgr.screens.settings import SettingsScreen
from accmgr.screens.welcome import WelcomeScreen
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir, filled, wait_for

__all__ = ["config_dir", "filled"]


def help_table(app: AccmgrApp) -> list[list[str]]:
    table = app.screen.query_one("#help-keys", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_sections_are_one_key_away(filled: Workspace) -> None:
    app = AccmgrApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, PipelineScreen)
        await pilot.press("f8")
        assert app.current_mode == "settings"
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("f3")
        assert isinstance(app.screen, PipelineScreen)
        # Only sections that exist: no empty placeholders.
        assert SECTION_NAMES == ("today", "pipeline", "clients", "catalog", "documents", "settings")


async def test_open_starts_on_a_section(filled: Workspace) -> None:
    app = AccmgrApp(filled, start="settings")
    async with app.run_test(size=(120, 40)):
        assert isinstance(app.screen, SettingsScreen)


def test_open_refuses_an_unknown_section_in_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--open", "kitchen"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "accmgr: --open: no section 'kitchen' "
        "(sections: today, pipeline, clients, catalog, documents, settings)\n"
    )


async def test_palette_jumps_to_a_deal_and_a_client_by_fuzzy_fragment(filled: Workspace) -> None:
    app = AccmgrApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"linhot")  # "Linen for hotels"
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, DealScreen))
        assert app.screen.deal_id == "D-0002"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, DealScreen))

        await pilot.press("ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"kaunbal")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ClientScreen))
        assert app.screen.client_id == "C-0001"  # type: ignore[attr-defined]


async def test_palette_finds_a_deal_by_the_id_the_command_line_printed(filled: Workspace) -> None:
    app = AccmgrApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"D-0003")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, DealScreen))
        assert app.screen.deal_id == "D-0003"  # type: ignore[attr-defined]


async def test_palette_opens_a_draft_offer_in_the_editor(filled: Workspace) -> None:
    from accmgr.screens.offer_editor import OfferEditorScreen
    from accmgr.services import documents

    draft = documents.new_offer(filled, "D-0003")
    app = AccmgrApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*draft.id.lower())
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, OfferEditorScreen))
        assert app.screen.document_id == draft.id  # type: ignore[attr-defined]


async def test_palette_offers_sections_and_the_screens_commands(filled: Workspace) -> None:
    app = AccmgrApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Go to Settings" in titles
        assert "Reload" in titles  # the pipeline's own key
        await pilot.press("ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"go to sett")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, SettingsScreen))


async def test_help_lists_the_keys_of_the_screen_and_the_app(filled: Workspace) -> None:
    app = AccmgrApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = help_table(app)
        ids = {row[1] for row in rows}
        assert {"pipeline.reload", "app.help", "app.quit", "app.section.settings"} <= ids
        reload_row = next(row for row in rows if row[1] == "pipeline.reload")
        assert reload_row == ["r", "pipeline.reload", "Reload"]
        await pilot.press("escape")
        # On a board card ? explains the card's markers (issue 10); F1 stays the help.
        await pilot.press("question_mark")
        assert isinstance(app.screen, LegendScreen)
        await pilot.press("escape")
        await pilot.press("f4", "question_mark")
        await wait_for(lambda: isinstance(app.screen, HelpScreen))


async def test_keymap_remaps_a_binding(filled: Workspace) -> None:
    ws = Workspace(
        store=filled.store,
        clock=frozen_now,
        settings=Config(keymap={"app.section.settings": "ctrl+o", "app.help": "f12"}),
    )
    app = AccmgrApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")  # the old key no longer switches
        assert isinstance(app.screen, PipelineScreen)
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("f12")
        assert isinstance(app.screen, HelpScreen)
        row = next(row for row in help_table(app) if row[1] == "app.section.settings")
        assert row[0] == "^o"


def test_every_binding_has_an_id_description_and_tooltip() -> None:
    from textual.binding import Binding

    from accmgr.screens import help, settings, welcome

    classes: list[Any] = [
        AccmgrApp,
        HelpScreen,
        WelcomeScreen,
        settings.SettingsScreen,
        settings.ConfirmScreen,
        welcome.WelcomeScreen,
        help.HelpScreen,
    ]
    for cls in classes:
        for binding in Binding.make_bindings(cls.BINDINGS):
            assert binding.id and binding.description and binding.tooltip, (cls, binding)


def test_a_keymap_naming_no_binding_is_refused_with_file_and_key(tmp_path: Path) -> None:
    config = Config(keymap={"pipeline.relaod": "R"})
    with pytest.raises(ConfigError) as caught:
        check_keymap(config, binding_ids(), tmp_path / "config.toml")
    assert f"{tmp_path / 'config.toml'}: key 'keymap.pipeline.relaod'" in str(caught.value)
    check_keymap(Config(keymap={"pipeline.reload": "R"}), binding_ids())


async def test_first_run_offers_demo_data_or_an_empty_start(
    tmp_path: Path, config_dir: Path
) -> None:
    store = open_store(tmp_path / "empty")
    app = AccmgrApp(Workspace(store=store, clock=frozen_now), welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("e")
        assert isinstance(app.screen, PipelineScreen)
        assert store.count("clients") == 0
    async with AccmgrApp(Workspace(store=store, clock=frozen_now), welcome=True).run_test(
        size=(80, 24)
    ) as pilot:
        app = pilot.app  # type: ignore[assignment]
        await wait_for(lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("d")
        await wait_for(lambda: store.count("deals") > 0, timeout=20)
        status = app.screen.query_one("#status", Static)
        await wait_for(lambda: "open deals" in str(status.content), timeout=5)
    store.close()


async def test_ctrl_q_leaves_from_a_modal_screen(filled: Workspace) -> None:
    app = AccmgrApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await wait_for(lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("ctrl+q")  # the help is modal: before, the key never reached the app
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_asks_before_dropping_a_forms_unsaved_edits(filled: Workspace) -> None:
    from accmgr.screens.client_forms import NewClientForm
    from accmgr.widgets.form import ConfirmDiscard

    app = AccmgrApp(filled, start="clients")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewClientForm))
        await pilot.press(*"Zephyr Lda")
        await pilot.press("ctrl+q")
        await wait_for(lambda: isinstance(app.screen, ConfirmDiscard))
        await pilot.press("n")  # keep editing: the typed name is still there
        await wait_for(lambda: isinstance(app.screen, NewClientForm))
        assert app.is_running and app.screen.dirty  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
        await wait_for(lambda: isinstance(app.screen, ConfirmDiscard))
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running
