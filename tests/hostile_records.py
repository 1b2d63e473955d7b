"""A database whose text holds terminal-driving characters, as a hand edit could leave it.

The records are written with clean text through the services, then their text is rewritten
through the store, bypassing the domain's input rule: what old data or an edited file holds.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from accmgr.domain.activity import ActivityKind
from accmgr.services import activities, clients, documents, issuing, trash
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.conftest import frozen_now

# Retitle the terminal, ring, clear the screen; a C1 CSI; a right-to-left override.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b\u202e"
# What every output path shows instead.
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\x9b\\u202e"
# Any character that must never reach a terminal raw.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# The keys of stored records that hold free text (ids, codes and enums are left alone).
TEXT_KEYS = frozenset(
    {"name", "legal_name", "segment", "industry", "title", "note", "notes", "what",
     "description", "payment_terms", "special_terms", "next_step", "agenda", "outcome",
     "escalated_to", "resolution", "fit_notes", "address", "objectives", "strengths",
     "threats", "invoice", "reviewer", "label"}
)  # fmt: skip


def poisoned(value: Any, key: str = "") -> Any:
    """``value`` with HOSTILE put in front of every non-empty text under a TEXT_KEYS key."""
    if isinstance(value, dict):
        return {k: poisoned(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poisoned(v, key) for v in value]
    if isinstance(value, str) and value and key in TEXT_KEYS:
        return HOSTILE + value
    return value


def poison_store(path: Path) -> None:
    """Rewrite every record's text in the database at ``path``, as a hand edit would."""
    from accmgr.store import TABLE_PREFIXES

    with open_store(path) as store, store.transaction() as tx:
        for table in TABLE_PREFIXES:
            for doc in store.all(table):
                tx.update(table, doc["id"], poisoned(dict(doc)), expected_rev=doc["rev"])


def fill_hostile(path: Path) -> None:
    """The client-screen fixture's records plus a meeting today, then poisoned."""
    from tests.tui.client_fixtures import fill

    with open_store(path) as store:
        ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
        fill(ws)
        activities.log_activity(
            ws, ActivityKind.MEETING, "C-0001", deal_id="D-0001",
            due=ws.now() + timedelta(hours=5), note="Agenda: samples",
        )  # fmt: skip
        activities.log_activity(
            ws, ActivityKind.CALL, "C-0002", due=ws.today() - timedelta(days=2), note="Call back"
        )
        # C-0001 under another name, for `client duplicates`.
        clients.add_client(ws, "Kauno baldų gamykla", country="LT", tax_id="LT100001")
        # A second version (for diff), accepted, and a contract from it.
        draft = issuing.revise(ws, "OFR-2026-0001")
        documents.add_line(ws, draft.id, "DESK-2", Decimal(2))
        # Over the client's credit limit (a stop warning): each step with a stated reason.
        reason = "framework deal approved by finance"
        issuing.issue(ws, draft.id, despite=reason)
        issuing.accept(ws, "OFR-2026-0001", despite=reason)
        issuing.contract_from_offer(
            ws, "OFR-2026-0001", subject="Chairs for the new office", despite=reason
        )
        # A record in the trash, for `trash list`.
        gone = clients.add_client(ws, "Gone Lda", country="PT")
        trash.delete(ws, gone.id)
    poison_store(path)
