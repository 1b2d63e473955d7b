"""Command palette: jump to any client, deal or document by a fuzzy fragment of its name.

Matching forgives case, accents and script ("alfold sutoipari", "sibfarm" for СибФарм) and
ranks an exact id first, then an id or name that begins with the query, then a name holding
every word of it, then Textual's in-order fuzzy matches, all on the folded text.

The names are read once per opening of the palette, in a thread behind the app's store lock.
A jump opens the record's own screen: the client, the deal, the offer editor for a draft
offer, the document screen for anything issued.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

from accmgr.domain.search import Rank, fold, rank
from accmgr.services.workspace import Workspace
from accmgr.widgets.folded_matcher import FoldedMatcher
from accmgr.widgets.visible_text import shown

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp


@dataclass(frozen=True)
class Target:
    table: str
    id: str
    text: str  # what the palette shows and the matcher sees, folded
    help: str
    draft_offer: bool = False  # a document opens in the offer editor while a draft

    @property
    def key(self) -> str:
        return fold(self.text)


def read_targets(workspace: Workspace) -> list[Target]:
    """Every client, deal and document as a palette entry (caller holds the store lock)."""
    store = workspace.store
    store.refresh()
    # Record text as the palette shows it: control characters escaped.
    names = {doc["id"]: shown(str(doc["name"])) for doc in store.all("clients")}
    # Ids are part of what is matched: people paste them from the command line's output.
    targets = [
        Target("clients", cid, f"{name} · {cid}", f"Client {cid}") for cid, name in names.items()
    ]
    for doc in store.all("deals"):
        client = names.get(doc["client_id"], doc["client_id"])
        stage = str(doc.get("stage", "")).capitalize()
        targets.append(
            Target(
                "deals",
                doc["id"],
                f"{shown(str(doc['title']))} · {client} · {doc['id']}",
                f"Deal {doc['id']}, {stage}",
            )
        )
    for doc in store.all("documents"):
        label = doc.get("number") or doc["id"]
        client = names.get(doc["client_id"], doc["client_id"])
        title = shown(str(doc.get("title") or doc.get("subject") or doc["kind"]))
        draft = doc.get("status") == "draft" and doc["kind"] == "offer"
        text = f"{label} {title} · {client}" + ("" if label == doc["id"] else f" · {doc['id']}")
        targets.append(Target("documents", doc["id"], text, f"{doc['kind']} {label}", draft))
    return targets


def record_screen(target: Target) -> Screen[Any]:
    """The screen a palette jump opens (imported here: most are not needed to start)."""
    if target.table == "clients":
        from accmgr.screens.client import ClientScreen

        return ClientScreen(target.id)
    if target.table == "deals":
        from accmgr.screens.deal import DealScreen

        return DealScreen(target.id)
    if target.draft_offer:
        from accmgr.screens.offer_editor import OfferEditorScreen

        return OfferEditorScreen(target.id)
    from accmgr.screens.document import DocumentScreen

    return DocumentScreen(target.id)


# Each rank gets its own band of scores, so that a fuzzy hit never outranks a prefix.
_BANDS = {Rank.EXACT: (0.97, 0.0), Rank.PREFIX: (0.85, 0.1), Rank.WORDS: (0.6, 0.2)}


def hit_score(query: str, target: Target, matcher: FoldedMatcher) -> float:
    """The palette's order: exact id, prefix, every word, then in-order fuzzy (0 = none)."""
    fuzzy = min(matcher.match(target.key), 1.0)
    base, spread = _BANDS.get(rank(query, target.id, target.text), (0.0, 0.5))
    return base + spread * fuzzy if base else spread * fuzzy


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
        matcher = FoldedMatcher(query)
        for target in self._targets:
            score = hit_score(query, target, matcher)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(target.text),
                    partial(self._jump, target),
                    text=target.text,
                    help=target.help,
                )

    def _jump(self, target: Target) -> None:
        self.app.push_screen(record_screen(target))


def declared_by_accmgr(node: DOMNode, action: str) -> bool:
    """Whether a key with this action is one of accmgr's (not a Textual widget's own)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("accmgr."):
            continue
        for entry in cls.__dict__.get("BINDINGS", ()):
            declared = entry.action if isinstance(entry, Binding) else entry[1]
            if declared == action:
                return True
    return False
