"""Offers, contracts and meeting briefs as issued documents.

Once issued a document is frozen: its lines and totals are a snapshot, so a later change
of a price or a client's address never alters what was sent. The snapshot is also what the
PDF renderer reads, so its shape (see :func:`build_snapshot`) is a contract between the two:
every amount is text with exactly the currency's minor digits, every date ISO 8601.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import Field

from accmgr.domain.base import Record, StoredRecord
from accmgr.domain.common import Amount, CurrencyCode, LanguageCode, Percent, RecordId, ShortText
from accmgr.domain.limits import PRICE_MAX, QUANTITY_MAX
from accmgr.domain.money import LineInput, Totals, compute_totals, quantize
from accmgr.domain.text import MultilineText

if TYPE_CHECKING:
    from accmgr.domain.client import Client
    from accmgr.domain.deal import Deal


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
    quantity: Decimal = Field(gt=0, le=QUANTITY_MAX)
    unit: str = "pc"
    unit_price: Amount = Field(le=PRICE_MAX)
    discount: Percent = Decimal(0)
    tax_rate: Percent = Decimal(0)


class Override(Record):
    """A step taken despite a *stop* reliability warning: which, when, by whom and why."""

    step: str = Field(pattern=r"^(issue|accept|contract)$")
    on: date
    by: str = ""
    reason: str = Field(min_length=1, max_length=2000)
    warnings: tuple[str, ...] = ()


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
    payment_terms: MultilineText = ""
    special_terms: MultilineText = ""
    referral_clause: bool = False
    # Frozen at issue: totals and the client's data as printed.
    snapshot: dict[str, Any] = Field(default_factory=dict)
    # The id of the document this one replaces (the previous version of an offer).
    supersedes: RecordId | None = None
    pdf_path: str = ""
    pdf_sha256: str = Field(default="", pattern=r"^$|^[0-9a-f]{64}$")
    title: ShortText | None = None
    # When the client accepted or rejected the offer.
    decided_on: date | None = None
    # Contracts: the accepted offer they come from, what they are about, who signs.
    offer_id: RecordId | None = None
    subject: MultilineText = ""
    delivery_terms: MultilineText = ""
    our_signatory: str = ""
    their_signatory: str = ""
    # Steps taken despite a stop warning, oldest first: the history of why.
    overrides: tuple[Override, ...] = ()

    @property
    def is_draft(self) -> bool:
        return self.status is DocumentStatus.DRAFT

    @property
    def ref(self) -> str:
        """How the user names it: ``OFR-2026-0001@2`` once numbered, else its id."""
        return f"{self.number}@{self.version}" if self.number else self.id

    def status_on(self, today: date) -> DocumentStatus:
        """The status as of ``today``: a sent offer past its validity is expired.

        Computed, never written: expiry needs no job that rewrites the database at midnight.
        """
        if (
            self.status is DocumentStatus.SENT
            and self.valid_until is not None
            and self.valid_until < today
        ):
            return DocumentStatus.EXPIRED
        return self.status

    def line_inputs(self) -> list[LineInput]:
        return [
            LineInput(
                line.quantity,
                line.unit_price,
                line.discount,
                line.tax_rate,
                label=f"line {position}",
            )
            for position, line in enumerate(self.lines, start=1)
        ]

    def totals(self) -> Totals:
        return compute_totals(self.line_inputs(), self.currency, self.document_discount)


def number_text(value: Decimal) -> str:
    """A quantity or a percentage as plain text: ``2.5``, ``100``, never ``1E+2``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def money_text(amount: Decimal, currency: str) -> str:
    """An amount with exactly the currency's minor digits: ``12.50`` EUR, ``1235`` JPY."""
    return str(quantize(amount, currency))


def totals_dict(totals: Totals) -> dict[str, Any]:
    cur = totals.currency
    return {
        "subtotal": money_text(totals.subtotal, cur),
        "document_discount": number_text(totals.document_discount),
        "document_discount_amount": money_text(totals.document_discount_amount, cur),
        "net": money_text(totals.net, cur),
        "taxes": [
            {
                "rate": number_text(group.rate),
                "base": money_text(group.base, cur),
                "tax": money_text(group.tax, cur),
            }
            for group in totals.taxes
        ],
        "tax_total": money_text(totals.tax_total, cur),
        "total": money_text(totals.total, cur),
    }


def build_snapshot(
    doc: Document,
    *,
    company: Mapping[str, str],
    client: Client,
    deal: Deal | None,
    supersedes: str | None = None,
    offer_number: str | None = None,
) -> dict[str, Any]:
    """Everything a printed document shows, as JSON-ready data.

    ``company`` holds name, address, tax_id, bank and logo. Missing client fields are empty
    text, never null, so a template prints nothing rather than "None". ``supersedes`` is the
    number of the document replaced (for an offer's later version: its own number).
    """
    totals = doc.totals()
    cur = doc.currency
    data: dict[str, Any] = {
        "kind": doc.kind.value,
        "number": doc.number,
        "version": doc.version,
        "language": doc.language,
        "currency": cur,
        "issued_on": doc.issued_on.isoformat() if doc.issued_on else None,
        "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
        "company": {key: str(company.get(key, "")) for key in _COMPANY_KEYS},
        "client": {
            "id": client.id,
            "name": client.name,
            "legal_name": client.legal_name,
            "tax_id": client.tax_id,
            "address": client.address,
            "country": client.country or "",
            "email": client.email or "",
        },
        "deal": {"id": deal.id, "title": deal.title} if deal else {"id": "", "title": ""},
        "lines": [
            {
                "position": position,
                "product_code": line.product_code,
                "description": line.description,
                "quantity": number_text(line.quantity),
                "unit": line.unit,
                "unit_price": money_text(line.unit_price, cur),
                "discount": number_text(line.discount),
                "tax_rate": number_text(line.tax_rate),
                "net": money_text(net, cur),
            }
            for position, (line, net) in enumerate(
                zip(doc.lines, totals.line_nets, strict=True), start=1
            )
        ],
        "totals": totals_dict(totals),
        "payment_terms": doc.payment_terms,
        "special_terms": doc.special_terms,
        "referral_clause": doc.referral_clause,
        "supersedes": supersedes,
        "template": doc.kind.value,
    }
    if doc.kind is DocumentKind.CONTRACT:
        data["offer_number"] = offer_number
        data["subject"] = doc.subject
        data["delivery_terms"] = doc.delivery_terms
        data["signatories"] = {"ours": doc.our_signatory, "theirs": doc.their_signatory}
    return data


_COMPANY_KEYS = ("name", "address", "tax_id", "bank", "logo")
