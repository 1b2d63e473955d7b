"""Offers, contracts and meeting briefs as issued documents.

Once issued a document is frozen: its lines and totals are a snapshot, so a later change
of a price or a client's address never alters what was sent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import Field

from accmgr.domain.base import Record, StoredRecord
from accmgr.domain.common import Amount, CurrencyCode, LanguageCode, Percent, RecordId, ShortText


class DocumentKind(StrEnum):
    OFFER = "offer"
    CONTRACT = "contract"
    BRIEF = "brief"

    @property
    def prefix(self) -> str:
        return {"offer": "OFR", "contract": "CTR", "brief": "BRF"}[self.value]


class DocumentStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class DocumentLine(Record):
    product_code: str = ""
    description: ShortText
    quantity: Decimal = Field(gt=0)
    unit: str = "pc"
    unit_price: Amount
    discount: Percent = Decimal(0)
    tax_rate: Percent = Decimal(0)


class Document(StoredRecord):
    kind: DocumentKind
    number: str = Field(default="", pattern=r"^$|^(OFR|CTR|BRF)-\d{4}-\d{4,}$")
    version: int = Field(default=1, ge=1)
    deal_id: RecordId | None = None
    client_id: RecordId
    issued_on: date | None = None
    valid_until: date | None = None
    language: LanguageCode = "en"
    currency: CurrencyCode = "EUR"
    status: DocumentStatus = DocumentStatus.DRAFT
    lines: tuple[DocumentLine, ...] = ()
    document_discount: Percent = Decimal(0)
    payment_terms: str = ""
    special_terms: str = ""
    referral_clause: bool = False
    # Frozen at issue: totals and the client's data as printed.
    snapshot: dict[str, Any] = Field(default_factory=dict)
    supersedes: RecordId | None = None
    pdf_path: str = ""
    pdf_sha256: str = Field(default="", pattern=r"^$|^[0-9a-f]{64}$")
    title: ShortText | None = None
