"""Damage to the database while the app is open: said once, the form keeps what was typed,
nothing more is saved, and the app stays up (its exit status says it when the user leaves)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static

from accmgr.app import AccmgrApp
from accmgr.screens.client_forms import NewClientForm
from accmgr.screens.clients import ClientsScreen
from accmgr.screens.deal import DealScreen
from accmgr.services import clients
from accmgr.services.workspace import Workspace
from accmgr.store import Store
from tests.store.helpers import next_line
from tests.tui.client_fixtures import client_db
from tests.tui.shell_fixtures import config_dir
from tests.tui.shell_fixtures import wait_for as _wait_for

__all__ = ["client_db", "config_dir"]
SIZE = (120, 40)
TITLE = "The database is damaged"


async def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    await _wait_for(condition, timeout)


def _garbage_line(store: Store) -> None:
    """Damage that changes the journal's size: a complete line that is not a record."""
    with open(store.path / "journal.jsonl", "ab") as handle:
        handle.write(b"0badc0de {not a record}\n")


def _damage_notices(app: AccmgrApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == TITLE]


async def test_damage_while_a_form_is_open_keeps_the_form_and_refuses_the_save(
    client_db: Workspace,
) -> None:
    app = AccmgrApp(client_db, "clients")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: isinstance(app.screen, ClientsScreen) and app.screen.ready)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewClientForm))
        form = app.screen
        assert isinstance(form, NewClientForm)
        form.query_one("#name", Input).focus()
        await pilot.pause()
        await pilot.press(*"Zephyr Unique Lda")
        store = client_db.store
        assert isinstance(store, Store)
        journal_before = (store.path / "journal.jsonl").read_bytes()
        _garbage_line(store)
        await pilot.press("ctrl+s")
        await wait_for(
            lambda: (
                "journal.jsonl: damaged at line"
                in str(form.query_one("#form-error", Static).render())
            )
        )
        assert app.screen is form, "the form was closed"
        assert form.query_one("#name", Input).value == "Zephyr Unique Lda"
        await wait_for(lambda: _damage_notices(app))
        await pilot.pause(1.5)  # the watch runs again: still one notice
        notices = _damage_notices(app)
        assert len(notices) == 1 and "journal.jsonl: damaged at line" in notices[0]
        assert "nothing more can be saved" in notices[0]
        assert app.damage is not None
        assert app.is_running
    assert (store.path / "journal.jsonl").read_bytes().startswith(journal_before)
    assert [c.name for c in clients.list_clients(client_db)].count("Zephyr Unique Lda") == 0


async def test_the_deal_screen_survives_damage_found_by_its_poll(client_db: Workspace) -> None:
    app = AccmgrApp(client_db, "clients")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: isinstance(app.screen, ClientsScreen) and app.screen.ready)
        deal_id = client_db.store.all("deals")[0]["id"]
        screen = DealScreen(deal_id)
        await app.push_screen(screen)
        await wait_for(lambda: screen.view is not None and bool(screen.query("#deal-tabs")))
        store = client_db.store
        assert isinstance(store, Store)
        with open(store.path / "journal.jsonl", "r+b") as handle:
            handle.truncate(handle.seek(0, 2) - 1)  # the last line loses its newline
        await wait_for(lambda: _damage_notices(app))
        await pilot.pause(1.5)
        assert app.is_running and isinstance(app.screen, DealScreen)
        assert len(_damage_notices(app)) == 1
        assert "acknowledged records were cut off" in _damage_notices(app)[0]


async def test_a_record_the_domain_refuses_written_meanwhile_does_not_end_the_app(
    client_db: Workspace,
) -> None:
    app = AccmgrApp(client_db, "clients")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: isinstance(app.screen, ClientsScreen) and app.screen.ready)
        deal = dict(client_db.store.all("deals")[0])
        screen = DealScreen(str(deal["id"]))
        await app.push_screen(screen)
        await wait_for(lambda: screen.view is not None and bool(screen.query("#deal-tabs")))
        store = client_db.store
        assert isinstance(store, Store)
        # Another writer's line, whole and chained, holding a deal in a stage that is none.
        heaven = {**deal, "stage": "heaven", "rev": int(deal["rev"]) + 1}
        line = next_line(store.path, {"ops": [["put", "deals", deal["id"], heaven]]})
        with open(store.path / "journal.jsonl", "ab") as handle:
            handle.write(line)
        await wait_for(lambda: any("deal.stage" in n.message for n in app._notifications))
        await pilot.pause(0.5)
        assert app.is_running and app.screen is screen
