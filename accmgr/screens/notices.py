"""Warnings the KAM must see at the moment a deal reaches a stage where they matter.

Issue 4 §2: a deal entering Meeting or Closing puts its client's reliability warnings (stale
review, open red flag, overdue payment, serious open complaint) in front of the KAM — before
meeting them, before making the offer. The board and the deal screen both call this after a
write lands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.dom import DOMNode

from accmgr.domain.deal import Deal
from accmgr.domain.stages import Stage
from accmgr.services.deals import entry_warnings

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp

WARNED_STAGES = (Stage.MEETING, Stage.CLOSING)


def warning_text(client: str, deal: Deal, warnings: Sequence[str]) -> tuple[str, str]:
    """The notification's title and body: the client named, each warning on its own line."""
    title = f"{client}: reliability, before the {deal.stage.label.lower()}"
    return title, "\n".join(f"• {warning}" for warning in warnings)


def warn_on_entry(node: DOMNode, deal: Deal) -> None:
    """Read the client's warnings in a worker (store lock held) and show them, if any."""
    if deal.stage not in WARNED_STAGES or not deal.is_open:
        return
    app: AccmgrApp = node.app  # type: ignore[assignment]

    def read() -> None:
        with app.store_lock:
            client, warnings = entry_warnings(app.workspace, deal)
        if warnings:
            title, body = warning_text(client, deal, warnings)
            app.call_from_thread(app.notify, body, title=title, severity="warning", timeout=12)

    node.run_worker(
        read,
        thread=True,
        group="entry-warnings",
        description="Reading the client's reliability",
        exit_on_error=False,
    )
