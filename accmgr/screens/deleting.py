"""The delete key of every screen: say what goes with the record, ask, delete to the trash.

The question names what is taken along ("with 3 deals, 2 contacts and 31 activities"), so a
client is never deleted with its deals unawares; the notification says how to get it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.screen import Screen

from accmgr.errors import AccmgrError
from accmgr.services import trash

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp


def delete_binding(screen_name: str, what: str) -> Binding:
    """The same key everywhere; out of the footer (F1 and the palette list it)."""
    return Binding(
        "delete",
        "delete_record",
        "Delete",
        show=False,
        id=f"{screen_name}.delete",
        tooltip=f"Delete the {what} to the trash (asks first; ctrl+z undoes)",
    )


def ask_and_delete(
    screen: Screen[Any], record_id: str, done: Callable[[], object] | None = None
) -> None:
    """Ask (naming what goes along), then delete ``record_id`` to the trash."""
    from accmgr.app import AccmgrApp
    from accmgr.screens.settings import ConfirmScreen

    app = screen.app
    assert isinstance(app, AccmgrApp)
    try:
        with app.store_lock:
            plan = trash.preview_delete(app.workspace, record_id)
    except AccmgrError as exc:
        screen.notify(str(exc), title="Cannot delete", severity="error")
        return
    along = plan.describe_along()
    question = f"Delete {trash.label(plan.table, plan.record)}" + (
        f" with {along}?" if along else "?"
    )
    question += " It goes to the trash; ctrl+z undoes."

    def answered(yes: bool | None) -> None:
        if yes:
            _delete(app, screen, record_id, done)

    app.push_screen(ConfirmScreen(question), answered)


def _delete(
    app: AccmgrApp, screen: Screen[Any], record_id: str, done: Callable[[], object] | None
) -> None:
    try:
        with app.store_lock:
            trash.delete(app.workspace, record_id, with_deals=True)
    except AccmgrError as exc:
        screen.notify(str(exc), title="Cannot delete", severity="error")
        return
    screen.notify(f"Deleted {record_id.strip().upper()} — ctrl+z to undo")
    if done is not None:
        done()
