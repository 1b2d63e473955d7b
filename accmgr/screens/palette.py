"""Command palette: jump to any client, deal or document by a fuzzy fragment of its name.

The names are read once per opening of the palette, in a thread behind the app's store lock.
Until the client screen and the deal workspace exist, a jump opens a read-only summary.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Hit, Hits, Provider
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from accmgr.domain.client import Client
from accmgr.domain.deal import Deal
from accmgr.domain.document import Document
from accmgr.services.workspace import Workspace

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp


@dataclass(frozen=True)
class Target:
    table: str
    id: str
    text: str  # what the fuzzy matcher sees
    help: str


def read_targets(workspace: Workspace) -> list[Target]:
    """Every client, deal and document as a palette entry (caller holds the store lock)."""
    store = workspace.store
    store.refresh()
    names = {doc["id"]: str(doc["name"]) for doc in store.all("clients")}
    targets = [Target("clients", cid, name, f"Client {cid}") for cid, name in names.items()]
    for doc in store.all("deals"):
        client = names.get(doc["client_id"], doc["client_id"])
        stage = str(doc.get("stage", "")).capitalize()
        targets.append(
            Target("deals", doc["id"], f"{doc['title']} · {client}", f"Deal {doc['id']}, {stage}")
        )
    for doc in store.all("documents"):
        label = doc.get("number") or doc["id"]
        client = names.get(doc["client_id"], doc["client_id"])
        title = doc.get("title") or doc.get("subject") or doc["kind"]
        targets.append(
            Target("documents", doc["id"], f"{label} {title} · {client}", f"{doc['kind']} {label}")
        )
    return targets


def summary_rows(workspace: Workspace, table: str, record_id: str) -> list[tuple[str, str]]:
    """What the read-only summary shows of a record (caller holds the store lock)."""
    from accmgr.domain.money import format_money

    locale = workspace.locale
    if table == "clients":
        client = workspace.load("clients", Client, record_id)
        return [
            ("Client", f"{client.name} ({client.id})"),
            ("Legal name", client.legal_name or "—"),
            ("Country", client.country or "—"),
            ("Tier", client.tier.value),
            ("Segment", client.segment or "—"),
            ("Owner", client.owner or "—"),
            ("Currency", client.currency),
        ]
    if table == "deals":
        deal = workspace.load("deals", Deal, record_id)
        client_doc = workspace.store.get("clients", deal.client_id)
        now = workspace.now()
        default = workspace.rules[deal.stage].default_probability
        probability = f"{deal.probability(workspace.rules):.0f} %"
        if deal.probability_override is not None:
            probability += f" (stage default {default:.0f} %)"
        due = f" by {deal.next_step_due.isoformat()}" if deal.next_step_due else ""
        stalled = deal.stall_reasons(now, workspace.rules) if deal.is_open else []
        return [
            ("Deal", f"{deal.title} ({deal.id})"),
            ("Client", f"{client_doc['name'] if client_doc else deal.client_id}"),
            ("Stage", f"{deal.stage.label}, {deal.days_in_stage(now)} days"),
            ("Value", format_money(deal.value, deal.currency, locale)),
            ("Probability", probability),
            ("Next step", f"{deal.next_step or '—'}{due}"),
            ("Outcome", deal.outcome or "open"),
            ("Stalled", "; ".join(stalled) or "no"),
        ]
    document = workspace.load("documents", Document, record_id)
    return [
        ("Document", f"{document.number or 'draft'} v{document.version} ({document.id})"),
        ("Kind", str(document.kind.value)),
        ("Status", str(document.status.value)),
        ("Client", document.client_id),
        ("Deal", document.deal_id or "—"),
        ("Issued", document.issued_on.isoformat() if document.issued_on else "—"),
        ("Valid until", document.valid_until.isoformat() if document.valid_until else "—"),
    ]


class RecordsProvider(Provider):
    """Clients, deals and documents by fuzzy name."""

    _targets: list[Target]

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    async def startup(self) -> None:
        app = self.accmgr

        def read() -> list[Target]:
            with app.store_lock:
                return read_targets(app.workspace)

        self._targets = await asyncio.to_thread(read)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for target in self._targets:
            score = matcher.match(target.text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(target.text),
                    partial(self.accmgr.open_summary, target.table, target.id),
                    text=target.text,
                    help=target.help,
                )


class SummaryScreen(ModalScreen[None]):
    """A read-only summary of a record: where a palette jump lands for now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss", "Close", id="summary.close", tooltip="Back"),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            for label, value in self.rows:
                yield Static(f"[b]{label}[/b]", classes="summary-label", markup=True)
                # User text: never markup.
                yield Static(value, classes="summary-value", markup=False)
            yield Static("Escape or Enter to close", classes="hint")
