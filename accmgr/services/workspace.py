"""The context every service call runs in: the store, the clock and the user's settings.

The clock is a parameter so that tests freeze it and every "today" of one call agrees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TypeVar

from accmgr.config import Config
from accmgr.domain.base import StoredRecord
from accmgr.domain.stages import STAGE_RULES, Stage, StageRule
from accmgr.errors import NotFoundError
from accmgr.services.ports import StorePort

R = TypeVar("R", bound=StoredRecord)

# The words the user reads for each table, in "client C-0042 does not exist".
NOUNS = {
    "clients": "client",
    "contacts": "contact",
    "deals": "deal",
    "activities": "activity",
    "products": "product",
    "documents": "document",
    "complaints": "complaint",
    "rates": "exchange rates of a day",
}


@dataclass(frozen=True)
class Workspace:
    store: StorePort
    clock: Callable[[], datetime]
    locale: str = "en_GB"
    owner: str = ""
    review_limit_days: int = 90
    rules: Mapping[Stage, StageRule] = field(default_factory=lambda: STAGE_RULES)
    # The rest of the user's settings (company profile for documents, limits).
    settings: Config = field(default_factory=Config)

    def __post_init__(self) -> None:
        # The change log names this workspace's user and takes its moments from its clock,
        # so a frozen clock freezes the history too.
        author = self.store.author
        author.name = self.owner
        author.use_clock(self.now)

    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the workspace clock must return aware datetimes")
        return moment

    def today(self) -> date:
        return self.now().date()

    @property
    def tz(self) -> tzinfo | None:
        return self.now().tzinfo

    def load(self, table: str, record_type: type[R], record_id: str) -> R:
        doc = self.store.get(table, record_id.strip().upper())
        if doc is None:
            raise NotFoundError(f"{NOUNS[table]} {record_id} does not exist")
        return record_type.from_dict(doc)

    def load_all(self, table: str, record_type: type[R]) -> list[R]:
        return [record_type.from_dict(doc) for doc in self.store.all(table)]
