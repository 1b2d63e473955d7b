"""Rendering a document from the TUI, and handing its PDF to the system's viewer.

The API, for any screen (the document screen, the offer editor)::

    render_document(screen, "DOC-0007", on_done=lambda doc: ...)   # never blocks
    open_in_viewer(app, doc.pdf_path)                             # never blocks

WeasyPrint holds the GIL for most of a render, so it runs in a process pool (forkserver or
spawn, see :mod:`accmgr.documents.pool`), created the first time a document is rendered and
shut down when the app exits (:func:`shutdown_pool`, called from the app's unmount). A thread
worker reads the snapshot under the store lock, hands the job to the pool, waits on the
future — waiting releases the GIL, so the event loop stays on time — and records the PDF's
path and SHA-256 under the lock again. The pool module is imported inside the functions:
it pulls in Jinja2 and the renderer, which start-up does not need.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from accmgr.errors import AccmgrError

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp
    from accmgr.documents.pool import RenderPool
    from accmgr.domain.document import Document

_pools: weakref.WeakKeyDictionary[App[Any], RenderPool] = weakref.WeakKeyDictionary()
_pools_lock = threading.Lock()


def render_pool(app: App[Any]) -> RenderPool:
    """The app's render pool, started on first use (from any thread)."""
    from accmgr.documents.pool import RenderPool

    with _pools_lock:
        pool = _pools.get(app)
        if pool is None:
            _start_resource_tracker()
            # One worker: the TUI renders one document at a time, and the other core is the UI's.
            pool = _pools[app] = RenderPool(max_workers=1)
        return pool


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with the real stderr.

    The tracker is started with ``sys.stderr.fileno()`` among its kept descriptors; under
    Textual ``sys.stderr`` is a capture whose ``fileno()`` is -1, and the start fails with
    "bad value(s) in fds_to_keep". The process's own stderr is what the tracker should get.
    """
    from multiprocessing import resource_tracker

    captured = sys.stderr
    real = sys.__stderr__
    try:
        usable = real is not None and real.fileno() >= 0
    except (OSError, ValueError):
        usable = False
    # Without a usable stderr the tracker is started without one (its fileno() then raises,
    # which multiprocessing expects and skips).
    sys.stderr = real if usable else None
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


def shutdown_pool(app: App[Any]) -> None:
    """Stop the app's render pool, if one was started."""
    with _pools_lock:
        pool = _pools.pop(app, None)
    if pool is not None:
        pool.shutdown()


def default_pdf_path(snapshot: dict[str, Any]) -> Path:
    """Where the PDF goes: as ``accmgr render`` without ``--out``, NUMBER-vVERSION.pdf here."""
    name = f"{snapshot.get('number') or 'document'}-v{snapshot.get('version', 1)}.pdf"
    return (Path.cwd() / name).resolve()


def _accmgr(app: App[Any]) -> AccmgrApp:
    from accmgr.app import AccmgrApp

    assert isinstance(app, AccmgrApp)
    return app


def render_document(
    where: App[Any] | Screen[Any],
    document_id: str,
    on_done: Callable[[Document], None] | None = None,
    on_failed: Callable[[], None] | None = None,
) -> None:
    """Render an issued document in the pool; notices while it runs, ``on_done`` after.

    ``where`` is the app or any of its screens. The work belongs to the app, so a render
    finishes and is recorded even when the user leaves the screen meanwhile. ``on_done``
    runs on the UI thread with the document as stored (path and hash included); when it was
    not rendered, ``on_failed`` runs instead. A refusal (a draft, a template error) is a
    notification, never an exception.
    """
    app = _accmgr(where if isinstance(where, App) else where.app)
    app.run_worker(
        lambda: _render(app, document_id, on_done, on_failed),
        thread=True,
        group="render",
        description=f"Rendering {document_id}",
        exit_on_error=False,
    )


def _render(
    app: AccmgrApp,
    document_id: str,
    on_done: Callable[[Document], None] | None,
    on_failed: Callable[[], None] | None,
) -> None:
    stored: Document | None = None
    try:
        stored = _render_and_record(app, document_id)
    except AccmgrError as exc:
        app.call_from_thread(
            app.notify, str(exc), title="Not rendered", severity="error", timeout=8
        )
    finally:
        # Also after an unexpected error (which the app reports): the caller stops waiting.
        if stored is not None and on_done is not None:
            app.call_from_thread(on_done, stored)
        elif stored is None and on_failed is not None:
            app.call_from_thread(on_failed)


def _render_and_record(app: AccmgrApp, document_id: str) -> Document:
    from accmgr.documents.pool import RenderJob
    from accmgr.services import documents
    from accmgr.services.document_list import missing_company_fields

    ws = app.workspace
    with app.store_lock:
        ws.store.refresh()
        doc = documents.resolve(ws.store, document_id)
        if doc.is_draft:
            raise documents.DocumentRefused(f"{doc.ref} is a draft; issue it first, then render it")
        snapshot = dict(documents.snapshot_of(ws, doc))
    # What prints is the company as frozen in the snapshot (the settings at issue time).
    missing = missing_company_fields(snapshot.get("company") or documents.company_profile(ws))
    if missing:
        app.call_from_thread(
            app.notify,
            f"The PDF of {doc.ref} has no {', '.join(missing)}: fill the company profile "
            "in Settings (F8). Rendering anyway.",
            title="Company profile incomplete",
            severity="warning",
            timeout=8,
        )
    app.call_from_thread(app.notify, f"Rendering {doc.ref}…", title="PDF", timeout=3)
    job = RenderJob(snapshot, default_pdf_path(snapshot))
    try:
        result = render_pool(app).submit(job).result()
    except BrokenProcessPool as exc:
        # A worker process died (killed, out of memory): the next render starts a new pool.
        shutdown_pool(app)
        raise AccmgrError(f"the render process stopped unexpectedly ({exc}); try again") from exc
    with app.store_lock:
        stored = documents.record_rendering(ws, doc.id, result.path, result.sha256)
    pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
    app.call_from_thread(
        app.notify, f"{stored.ref}: {result.path} ({pages})", title="PDF written", timeout=6
    )
    return stored


def viewer_command(path: Path) -> list[str] | None:
    """The command that opens ``path`` in the system's viewer, or None when there is none."""
    program = "open" if sys.platform == "darwin" else "xdg-open"
    found = shutil.which(program)
    return [found, str(path)] if found else None


def open_in_viewer(app: App[Any], path: str | Path) -> None:
    """Hand the PDF to the system's viewer without waiting for it; say so when there is none."""
    pdf = Path(path) if path else None
    if pdf is None or not pdf.is_file():
        where = f" ({pdf})" if pdf else ""
        app.notify(
            f"No PDF to open{where}: render it first (r).", title="Not opened", severity="warning"
        )
        return
    if sys.platform == "win32":
        os.startfile(pdf)  # type: ignore[attr-defined]  # Windows only
        return
    command = viewer_command(pdf)
    if command is None:
        app.notify(
            f"No PDF viewer found (xdg-open is not installed). The file is {pdf}",
            title="Not opened",
            severity="warning",
            timeout=10,
        )
        return
    try:
        # Its own session: closing accmgr does not close the viewer, and its output stays off
        # our screen.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        app.notify(f"{command[0]} could not start: {exc.strerror}", severity="error")
        return
    app.notify(f"Opening {pdf.name}…", timeout=3)
    app.run_worker(
        lambda: _reap(app, process, pdf),
        thread=True,
        group="viewer",
        description="Waiting for the PDF viewer",
        exit_on_error=False,
    )


def _reap(app: App[Any], process: subprocess.Popen[bytes], pdf: Path) -> None:
    # xdg-open returns once the viewer is launched; a non-zero code means none could open it.
    if process.wait() != 0:
        app.call_from_thread(
            app.notify,
            f"The system found no program for PDF files. The file is {pdf}",
            title="Not opened",
            severity="warning",
            timeout=10,
        )
