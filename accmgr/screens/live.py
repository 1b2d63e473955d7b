"""A screen that shows what it read from the store, and reads again when the store changed.

The read runs in a thread worker holding the app's store lock (TinyDB is not thread-safe);
a timer compares the store's version with the one last shown, so changes made by the CLI or
another terminal appear within a second without re-reading an unchanged store. Subclasses
give :meth:`read` (worker thread, lock held) and :meth:`show` (UI thread).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual import work
from textual.screen import Screen

from accmgr.errors import AccmgrError

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp
    from accmgr.services.workspace import Workspace

T = TypeVar("T")

REFRESH_SECONDS = 1.0


class LiveScreen(Screen[None], Generic[T]):
    def __init__(self) -> None:
        super().__init__()
        self._seen_version = -1
        self._failed = False
        # True once the first read is on screen (tests and benchmarks wait for it).
        self.ready = False

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    def read(self, workspace: Workspace) -> T:
        """What the screen shows, read with the store lock held (worker thread)."""
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Put what was read on screen (UI thread)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.load(force=True)
        self.set_interval(REFRESH_SECONDS, self._poll)

    def _poll(self) -> None:
        if not self._failed:
            self.load(force=False)

    def action_reload(self) -> None:
        self._failed = False
        self.load(force=True)

    @work(thread=True, exclusive=True, group="live-read", description="Reading the database")
    def load(self, force: bool) -> None:
        workspace = self.accmgr.workspace
        try:
            with self.accmgr.store_lock:
                store = workspace.store
                store.refresh()
                if not force and store.version == self._seen_version:
                    return
                self._seen_version = store.version
                data = self.read(workspace)
        except AccmgrError as exc:
            # Gone (deleted elsewhere) or unreadable: say so once, stop polling until reload.
            self._failed = True
            self.app.call_from_thread(self.notify, str(exc), title="Cannot show", severity="error")
            return
        self.app.call_from_thread(self._loaded, data)

    def _loaded(self, data: Any) -> None:
        if self.is_attached:
            self.show(data)
            self.ready = True
