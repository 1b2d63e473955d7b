"""What the deal screen shows, read in one go off the UI thread, and how its values read.

Shared by the screen (accmgr/screens/deal.py) and its stage tabs (deal_tabs.py), so neither
reaches into the other for data or formatting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from accmgr.domain import display
from accmgr.domain.client import Client, Contact
from accmgr.domain.deal import Deal
from accmgr.domain.document import Document
from accmgr.domain.stages import Stage, StageContext, StageRule
from accmgr.services.history import HistoryLine
from accmgr.widgets.visible_text import shown


@dataclass(frozen=True)
class DealView:
    """Everything the deal screen shows, read in one go off the UI thread."""

    deal: Deal
    client: Client
    contacts: tuple[Contact, ...]
    documents: tuple[Document, ...]
    catalog: dict[str, str]  # active products: code → name
    inactive: frozenset[str]
    now: datetime
    rules: Mapping[Stage, StageRule]
    #: The change log's lines for the deal and its documents, oldest first.
    changes: tuple[HistoryLine, ...] = ()

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def context(self) -> StageContext:
        return StageContext(contacts=self.contacts)

    def same_records(self, other: DealView | None) -> bool:
        return other is not None and (
            self.today,
            self.deal,
            self.client,
            self.contacts,
            self.documents,
            self.catalog,
            self.inactive,
            self.rules,
            self.changes,
        ) == (
            other.today,
            other.deal,
            other.client,
            other.contacts,
            other.documents,
            other.catalog,
            other.inactive,
            other.rules,
            other.changes,
        )


def day_text(value: date | None) -> str:
    return f"{value:%a %-d %b %Y}" if value else "—"


def moment_text(value: datetime | None) -> str:
    return f"{value:%a %-d %b %Y %H:%M}" if value else "—"


def money_text(value: Decimal, currency: str) -> str:
    return display.money(value, currency)


def relative_text(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


def short_text(text: str, width: int = 40) -> str:
    line = " ".join(shown(text).split())
    return line if len(line) <= width else line[: width - 1] + "…"
