"""How the command line prints: stable JSON for scripts, Rich tables for people.

Record text never reaches the terminal raw (a name can hold ``\\x1b]0;…``): tables, Rich
lines and plain ``print`` all show such characters as visible escapes (domain/text.py), and
JSON writes them as JSON escapes.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from accmgr.cli.streams import raw_stream
from accmgr.domain import display
from accmgr.domain.activity import Activity
from accmgr.domain.client import Client
from accmgr.domain.deal import Deal
from accmgr.domain.text import visible
from accmgr.visible_rich import visible_text

# Wide enough for any row: a pipe or a file has no width to fit, so values print whole.
PIPED_WIDTH = 10_000


def text(content: str, style: str = "") -> Text:
    """A line of record text for Rich: escaped first, since Rich itself drops BEL and CR."""
    return Text(visible(content), style=style)


def assemble(*parts: str | tuple[str, str]) -> Text:
    """:meth:`Text.assemble` of record text, each part escaped."""
    return Text.assemble(
        *(visible(p) if isinstance(p, str) else (visible(p[0]), p[1]) for p in parts)
    )


class VisibleConsole(Console):
    """A Rich console that shows unsafe characters in text and markup as escapes.

    It writes to the real stream (Rich's own styling is escape codes); the text it is given
    is escaped before Rich measures it, so tables and wrapping stay aligned.
    """

    def print(self, *objects: Any, **options: Any) -> None:
        safe = [
            visible(o) if isinstance(o, str) else visible_text(o) if isinstance(o, Text) else o
            for o in objects
        ]
        super().print(*safe, **options)


def console(*, stderr: bool = False) -> Console:
    """The terminal's width on a terminal; whole lines when piped (a script reads them)."""
    stream = raw_stream(sys.stderr if stderr else sys.stdout)
    out = VisibleConsole(highlight=False, soft_wrap=False, file=stream)
    if not out.is_terminal:
        out = VisibleConsole(highlight=False, soft_wrap=False, file=stream, width=PIPED_WIDTH)
    return out


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def print_json(data: Any) -> None:
    """Sorted keys, two-space indent, UTF-8 as is: the output a script can rely on.

    json escapes C0 itself; DEL, C1 and the bidi controls are escaped too (\\u009b), which
    is the same JSON value and cannot drive the terminal the output is shown on.
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, default=str)
    text = _UNSAFE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    stream = raw_stream(sys.stdout)
    stream.write(text)
    stream.write("\n")


def money(amount: Decimal, currency: str) -> str:
    """The one formatter the screens and PDFs use (domain/format.py), in the user's locale."""
    return display.money(amount, currency)


# Short codes and figures never break across lines; names and notes wrap at word boundaries.
_KEEP_WHOLE = {"ID", "Stage", "Country", "Tier", "Currency", "Value", "Prob.", "Outcome",
               "Kind", "Client", "Deal", "Due", "Done", "Phone", "Role", "Prefers", "Entered",
               "Left", "Days"}  # fmt: skip


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    out = Table(
        title=None if title is None else visible(title),
        title_justify="left",
        header_style="bold",
        expand=False,
    )
    rows = [tuple(row) for row in rows]
    # A column with nothing in any row only takes room from the ones that say something.
    kept = [i for i in range(len(columns)) if not rows or any(row[i] for row in rows)]
    for i in kept:
        out.add_column(columns[i], no_wrap=columns[i] in _KEEP_WHOLE)
    for row in rows:
        # Text cells, never markup: a client named "[red]x[/]" prints exactly so.
        out.add_row(*(Text(visible(row[i])) for i in kept))
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
