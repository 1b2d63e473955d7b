"""How the command line prints: stable JSON for scripts, Rich tables for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from accmgr.domain import display
from accmgr.domain.activity import Activity
from accmgr.domain.client import Client
from accmgr.domain.deal import Deal


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    """Sorted keys, two-space indent, UTF-8 as is: the output a script can rely on."""
    sys.stdout.write(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def money(amount: Decimal, currency: str) -> str:
    """The one formatter the screens and PDFs use (domain/format.py), in the user's locale."""
    return display.money(amount, currency)


# Short codes and figures never break across lines; names and notes wrap at word boundaries.
_KEEP_WHOLE = {"ID", "Stage", "Country", "Tier", "Currency", "Value", "Prob.", "Outcome",
               "Kind", "Client", "Deal", "Due", "Done", "Phone", "Role", "Prefers", "Entered",
               "Left", "Days"}  # fmt: skip


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    out = Table(title=title, title_justify="left", header_style="bold", expand=False)
    for column in columns:
        out.add_column(column, no_wrap=column in _KEEP_WHOLE)
    for row in rows:
        # Text cells, never markup: a client named "[red]x[/]" prints exactly so.
        out.add_row(*(Text(cell) for cell in row))
    return out


def clients_table(clients: Sequence[Client]) -> Table:
    return table(
        f"{len(clients)} client(s)",
        ("ID", "Name", "Country", "Tier", "Currency", "Segment"),
        ((c.id, c.name, c.country or "", c.tier.value, c.currency, c.segment) for c in clients),
    )


def deals_table(deals: Sequence[Deal], client_names: dict[str, str]) -> Table:
    return table(
        f"{len(deals)} deal(s)",
        ("ID", "Stage", "Name", "Title", "Value", "Prob.", "Outcome"),
        (
            (
                d.id,
                d.stage.label,
                client_names.get(d.client_id, d.client_id),
                d.title,
                money(d.value, d.currency),
                f"{d.probability():.0f} %" + ("*" if d.probability_override is not None else ""),
                d.outcome or "",
            )
            for d in deals
        ),
    )


def activities_table(activities: Sequence[Activity]) -> Table:
    return table(
        f"{len(activities)} activit{'y' if len(activities) == 1 else 'ies'}",
        ("ID", "Kind", "Client", "Deal", "Due", "Done", "Note"),
        (
            (
                a.id,
                a.kind.value,
                a.client_id,
                a.deal_id or "",
                # To the minute, in the user's locale (--json keeps ISO 8601 in full).
                display.when(a.due, empty=""),
                display.when(a.done_at, empty=""),
                a.note,
            )
            for a in activities
        ),
    )
