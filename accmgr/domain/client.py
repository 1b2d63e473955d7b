"""Clients (accounts), their contacts, reliability profile, account plan and complaints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from accmgr.domain.base import Record, StoredRecord
from accmgr.domain.common import (
    Amount,
    CountryCode,
    CurrencyCode,
    Email,
    LanguageCode,
    Moment,
    RecordId,
    ShortText,
    Text,
)
from accmgr.domain.text import MultilineText


class Tier(StrEnum):
    KEY = "key"
    REGULAR = "regular"


class DecisionRole(StrEnum):
    DECISION_MAKER = "decision-maker"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    CHAMPION = "champion"
    BLOCKER = "blocker"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    VISIT = "visit"
    VIDEO = "video"
    MESSENGER = "messenger"


class Rating(StrEnum):
    """A reliability rating always travels with its stated meaning."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    UNRATED = "unrated"

    @property
    def meaning(self) -> str:
        return _RATING_MEANINGS[self]


_RATING_MEANINGS = {
    Rating.A: "reliable: pays on time, stable, keeps agreements",
    Rating.B: "acceptable: occasional delays, no serious concerns",
    Rating.C: "risky: frequent delays or disputes; ask for prepayment or guarantees",
    Rating.D: "unreliable: do not extend credit",
    Rating.UNRATED: "not yet screened",
}


class RevenueBand(StrEnum):
    MICRO = "<2M"
    SMALL = "2-10M"
    MEDIUM = "10-50M"
    LARGE = "50-250M"
    ENTERPRISE = ">250M"


class FlagCategory(StrEnum):
    LATE_PAYMENTS = "late-payments"
    LEGAL_DISPUTES = "legal-disputes"
    OWNERSHIP_CHANGE = "ownership-change"
    UNREALISTIC_DEMANDS = "unrealistic-demands"
    CONTACT_CHURN = "contact-churn"
    FINANCIAL_DISTRESS = "financial-distress"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The category in words, as warnings say it (the value is the stored slug)."""
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    FlagCategory.LATE_PAYMENTS: "late payments",
    FlagCategory.LEGAL_DISPUTES: "legal disputes",
    FlagCategory.OWNERSHIP_CHANGE: "ownership change",
    FlagCategory.UNREALISTIC_DEMANDS: "unrealistic demands",
    FlagCategory.CONTACT_CHURN: "frequent changes of contact person",
    FlagCategory.FINANCIAL_DISTRESS: "financial distress",
    FlagCategory.OTHER: "other",
}


class Payment(Record):
    """One invoice of the client's payment history."""

    invoice: ShortText
    amount: Amount
    currency: CurrencyCode
    due: date
    paid: date | None = None

    def days_late(self, today: date) -> int:
        """Days past due: when paid, as paid; when still open, as of today. Never negative."""
        end = self.paid if self.paid is not None else today
        return max(0, (end - self.due).days)

    def overdue(self, today: date) -> bool:
        return self.paid is None and today > self.due


class RedFlag(Record):
    category: FlagCategory
    note: Text
    raised_on: date
    resolved_on: date | None = None
    resolution: MultilineText = ""

    @property
    def open(self) -> bool:
        return self.resolved_on is None

    @model_validator(mode="after")
    def _resolved_after_raised(self) -> RedFlag:
        if self.resolved_on is not None and self.resolved_on < self.raised_on:
            raise ValueError("resolved_on: expected a date on or after raised_on")
        return self


@dataclass(frozen=True)
class PaymentFigures:
    invoices: int
    paid: int
    average_days_late: Decimal | None
    worst_days_late: int | None
    on_time_share: Decimal | None
    open_overdue: dict[str, Decimal]
    # Paid invoices are judged above; the unpaid ones past due show here, as of today.
    overdue_invoices: int = 0
    oldest_overdue_days: int | None = None


class ReliabilityProfile(Record):
    rating: Rating = Rating.UNRATED
    years_in_business: int | None = Field(default=None, ge=0, le=500)
    revenue_band: RevenueBand | None = None
    credit_limit: Amount | None = None
    payment_terms_days: int | None = Field(default=None, ge=0, le=365)
    payments: tuple[Payment, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    reviewed_on: date | None = None
    reviewer: str = ""
    # Why the client is rated as it is, in the reviewer's words: a "C" means little a year on.
    rating_note: str = Field(default="", max_length=2000)

    def open_flags(self) -> list[RedFlag]:
        return [flag for flag in self.red_flags if flag.open]

    def figures(self, today: date) -> PaymentFigures:
        """Average days late and on-time share over paid invoices; worst days late over paid
        invoices and open overdue ones as of today (an invoice 114 days overdue and still open
        is the worst of all); open overdue sums."""
        paid = [p for p in self.payments if p.paid is not None]
        late = [p.days_late(today) for p in paid]
        overdue: dict[str, Decimal] = {}
        for payment in self.payments:
            if payment.overdue(today):
                overdue[payment.currency] = overdue.get(payment.currency, Decimal(0)) + (
                    payment.amount
                )
        overdue_days = [p.days_late(today) for p in self.payments if p.overdue(today)]
        # Half-up, as people round: 2.25 days is shown as 2.3, not 2.2.
        return PaymentFigures(
            invoices=len(self.payments),
            paid=len(paid),
            average_days_late=(
                (Decimal(sum(late)) / len(late)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if late
                else None
            ),
            worst_days_late=max(late + overdue_days) if late or overdue_days else None,
            on_time_share=(
                (Decimal(sum(1 for d in late if d == 0)) / len(late)).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
                if late
                else None
            ),
            open_overdue=overdue,
            overdue_invoices=len(overdue_days),
            oldest_overdue_days=max(overdue_days) if overdue_days else None,
        )


class AccountPlan(Record):
    """For key clients: objectives, SWOT with this client, and whitespace products."""

    objectives: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    weaknesses: tuple[str, ...] = ()
    opportunities: tuple[str, ...] = ()
    threats: tuple[str, ...] = ()
    whitespace: tuple[str, ...] = ()  # product codes the client does not buy yet


class Note(Record):
    at: Moment
    text: Text


class MergedClient(Record):
    """A client merged into this one: its id (never handed out again) and how it was known."""

    id: RecordId
    name: ShortText
    legal_name: str = ""
    tax_id: str = ""
    email: str = ""
    merged_at: Moment


class Client(StoredRecord):
    name: ShortText
    legal_name: str = ""
    tax_id: str = Field(default="", max_length=40)
    segment: str = ""
    industry: str = ""
    country: CountryCode | None = None
    language: LanguageCode = "en"
    currency: CurrencyCode = "EUR"
    address: str = ""
    website: str = ""
    email: Email | None = None
    phone: str = ""
    tier: Tier = Tier.REGULAR
    owner: str = ""
    tags: tuple[str, ...] = ()
    lead_source: str = ""
    fit_notes: MultilineText = ""
    reliability: ReliabilityProfile = ReliabilityProfile()
    account_plan: AccountPlan | None = None
    notes: tuple[Note, ...] = ()
    referred_by: RecordId | None = None
    created_at: Moment
    # Clients merged into this one, so that their old ids and names still lead here.
    merged_from: tuple[MergedClient, ...] = ()


class Contact(StoredRecord):
    client_id: RecordId
    name: ShortText
    title: str = ""
    role: DecisionRole = DecisionRole.USER
    phone: str = ""
    email: Email | None = None
    preferred_channel: Channel = Channel.EMAIL
    notes: MultilineText = ""


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Complaint(StoredRecord):
    client_id: RecordId
    deal_id: RecordId | None = None
    what: Text
    severity: Severity = Severity.MEDIUM
    raised_on: date
    escalated_to: str = ""
    resolution: MultilineText = ""
    resolved_on: date | None = None

    @property
    def open(self) -> bool:
        return self.resolved_on is None
