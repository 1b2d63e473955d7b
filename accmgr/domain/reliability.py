"""The reliability rule set: every warning a client raises, with its severity, in one place.

Pure: the facts come in (the profile, the open complaints, the exposure, the payment terms
offered), the warnings go out, worst first. The brief, lists, board cards, the offer editor
and the steps that commit the company (issue, accept, contract) all read these same rules,
so a client cannot be "fine" on one screen and "do not extend credit" on another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from accmgr.domain.client import Complaint, FlagCategory, Rating, ReliabilityProfile, Severity


class Level(StrEnum):
    """How much a warning asks of the KAM: *stop* needs a stated reason before the company
    commits (issue, accept, contract); *caution* is read before the meeting; *info* is a chore."""

    STOP = "stop"
    CAUTION = "caution"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def glyph(self) -> str:
        """A marker that does not rely on colour; each is one terminal cell wide (east-asian
        width neutral, text presentation), so rows and cards stay aligned."""
        return _GLYPHS[self]


_RANKS = {Level.STOP: 0, Level.CAUTION: 1, Level.INFO: 2}
_GLYPHS = {Level.STOP: "⊘", Level.CAUTION: "⚠", Level.INFO: "ℹ"}

# Open red flags of these categories say the client may not pay or may not be allowed to be
# paid by: a court case, money trouble. The others (a new owner, a changing contact, demands)
# are worth knowing before a meeting but are no reason to hold back an offer.
SERIOUS_FLAGS = frozenset({FlagCategory.LEGAL_DISPUTES, FlagCategory.FINANCIAL_DISTRESS})
# Complaints this serious are what a KAM fears most after an unpaid invoice.
SERIOUS_COMPLAINTS = frozenset({Severity.HIGH, Severity.CRITICAL})


class ReliabilityWarning(str):
    """A warning reads as its sentence wherever a sentence is printed (lists, notices, JSON);
    its severity travels with it for the places that sort, mark or stop on it."""

    level: Level
    # Which sentence it is and its figures as text, so that a document in another language
    # can say it without reading the English back.
    key: str
    values: Mapping[str, str]

    def __new__(
        cls, text: str, level: Level, key: str, values: Mapping[str, str] | None = None
    ) -> ReliabilityWarning:
        made = super().__new__(cls, text)
        made.level = level
        made.key = key
        made.values = dict(values or {})
        return made

    def __getnewargs__(self) -> tuple[str, Level, str, Mapping[str, str]]:  # type: ignore[override]
        return (str(self), self.level, self.key, self.values)

    def detail(self) -> dict[str, object]:
        """JSON-ready: what a translated document needs."""
        return {"level": self.level.value, "key": self.key, "values": dict(self.values)}

    @property
    def labelled(self) -> str:
        """``⊘ STOP: rated D — unreliable: do not extend credit``"""
        return f"{self.level.glyph} {self.level.value.upper()}: {self}"


@dataclass(frozen=True)
class Exposure:
    """What the client owes or has been promised, in the client's currency: accepted offers
    not yet contracted, contracts whose deal is still open, unpaid invoices, and ``pending``,
    the document about to be issued, accepted or contracted (when it is not counted yet)."""

    currency: str
    committed: Decimal = Decimal(0)
    unpaid: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    # Currencies of amounts that could not be added (no rate): named, never mixed in.
    uncounted: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return self.committed + self.unpaid + self.pending


@dataclass(frozen=True)
class OfferedTerms:
    """Payment terms written on an offer or contract, to compare with the profile's."""

    ref: str
    text: str


@dataclass(frozen=True)
class Facts:
    profile: ReliabilityProfile
    today: date
    review_limit_days: int = 90
    complaints: Sequence[Complaint] = ()
    exposure: Exposure | None = None
    terms: Sequence[OfferedTerms] = field(default_factory=tuple)


_DAY_WORDS = r"(?:days?|d\b|dias?|dienų|dienos|dien\w*|дн\w*|дней|dni|dzień|nap\w*)"
_DAYS = re.compile(r"(\d{1,3})\s*-?\s*" + _DAY_WORDS, re.IGNORECASE)


def terms_days(text: str) -> int | None:
    """The longest number of days a payment-terms text grants: ``30 days net; 2 % within 10
    days`` → 30. ``None`` when it names no days (``Prepayment``)."""
    found = [int(m.group(1)) for m in _DAYS.finditer(text)]
    return max(found) if found else None


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}".replace(",", " ")


def warnings(facts: Facts) -> list[ReliabilityWarning]:
    """Every warning the facts raise, worst first (rule order within a severity)."""
    found = [*_stops(facts), *_cautions(facts), *_infos(facts)]
    return sorted(found, key=lambda w: w.level.rank)


def worst(found: Iterable[str]) -> Level | None:
    levels = [w.level for w in found if isinstance(w, ReliabilityWarning)]
    return min(levels, key=lambda level: level.rank) if levels else None


def marker(found: Iterable[str]) -> str:
    """The glyph of the worst warning (one cell), or a space when there is none."""
    level = worst(w for w in found if isinstance(w, ReliabilityWarning))
    return level.glyph if level else " "


def labelled(warning: str) -> str:
    """A warning with its glyph and severity when it has one (plain text otherwise)."""
    return warning.labelled if isinstance(warning, ReliabilityWarning) else f"! {warning}"


def stops(found: Iterable[str]) -> list[ReliabilityWarning]:
    return [w for w in found if isinstance(w, ReliabilityWarning) and w.level is Level.STOP]


def _rated(rating: Rating) -> str:
    return f"rated {rating.value} — {rating.meaning}"


def _stops(facts: Facts) -> Iterable[ReliabilityWarning]:
    profile = facts.profile
    if profile.rating is Rating.D:
        yield ReliabilityWarning(
            _rated(profile.rating), Level.STOP, "rating", {"rating": profile.rating.value}
        )
    exposure = facts.exposure
    limit = profile.credit_limit
    if exposure is not None and limit is not None and exposure.total > limit:
        parts = [f"committed {_money(exposure.committed, exposure.currency)}"]
        parts.append(f"unpaid {_money(exposure.unpaid, exposure.currency)}")
        if exposure.pending:
            parts.append(f"this document {_money(exposure.pending, exposure.currency)}")
        yield ReliabilityWarning(
            f"exposure {_money(exposure.total, exposure.currency)} is over the credit limit "
            f"{_money(limit, exposure.currency)} ({', '.join(parts)})",
            Level.STOP,
            "credit" if not exposure.pending else "credit-pending",
            {
                "total": str(exposure.total),
                "limit": str(limit),
                "committed": str(exposure.committed),
                "unpaid": str(exposure.unpaid),
                "pending": str(exposure.pending),
                "currency": exposure.currency,
            },
        )
    for flag in profile.open_flags():
        if flag.category in SERIOUS_FLAGS:
            yield ReliabilityWarning(
                f"open red flag ({flag.category.label}): {flag.note}",
                Level.STOP,
                "flag",
                {"category": flag.category.value, "note": flag.note},
            )


def _cautions(facts: Facts) -> Iterable[ReliabilityWarning]:
    profile, today = facts.profile, facts.today
    if profile.rating is Rating.C:
        yield ReliabilityWarning(
            _rated(profile.rating), Level.CAUTION, "rating", {"rating": profile.rating.value}
        )
    for flag in profile.open_flags():
        if flag.category not in SERIOUS_FLAGS:
            yield ReliabilityWarning(
                f"open red flag ({flag.category.label}): {flag.note}",
                Level.CAUTION,
                "flag",
                {"category": flag.category.value, "note": flag.note},
            )
    overdue = [p for p in profile.payments if p.overdue(today)]
    if overdue:
        sums: dict[str, Decimal] = {}
        for payment in overdue:
            sums[payment.currency] = sums.get(payment.currency, Decimal(0)) + payment.amount
        amount = ", ".join(_money(total, cur) for cur, total in sorted(sums.items()))
        oldest = max(p.days_late(today) for p in overdue)
        yield ReliabilityWarning(
            f"{len(overdue)} overdue invoice(s), {amount} unpaid, the oldest {oldest} days late",
            Level.CAUTION,
            "overdue",
            {
                "count": str(len(overdue)),
                "days": str(oldest),
                # "100.00 EUR; 50.00 PLN": each amount with its currency.
                "amounts": "; ".join(f"{total} {cur}" for cur, total in sorted(sums.items())),
            },
        )
    allowed = profile.payment_terms_days
    for offered in facts.terms:
        found = terms_warning(offered, allowed)
        if found is not None:
            yield found
    for complaint in facts.complaints:
        if complaint.open and complaint.severity in SERIOUS_COMPLAINTS:
            yield ReliabilityWarning(
                f"open {complaint.severity.value} complaint {complaint.id} since "
                f"{complaint.raised_on.isoformat()}: {complaint.what}",
                Level.CAUTION,
                "complaint",
                {
                    "severity": complaint.severity.value,
                    "id": complaint.id,
                    "date": complaint.raised_on.isoformat(),
                    "what": complaint.what,
                },
            )


def terms_warning(offered: OfferedTerms, allowed: int | None) -> ReliabilityWarning | None:
    """The caution for payment terms longer than the profile allows (``None`` when within, or
    when either says no number of days); the offer editor asks it as the user types."""
    days = terms_days(offered.text)
    if allowed is None or days is None or days <= allowed:
        return None
    return ReliabilityWarning(
        f"{offered.ref} gives {days} days to pay; the profile allows {allowed}",
        Level.CAUTION,
        "terms",
        {"ref": offered.ref, "days": str(days), "allowed": str(allowed)},
    )


def _infos(facts: Facts) -> Iterable[ReliabilityWarning]:
    profile, today, limit = facts.profile, facts.today, facts.review_limit_days
    if profile.reviewed_on is None:
        yield ReliabilityWarning("reliability never reviewed", Level.INFO, "never")
    elif today - profile.reviewed_on > timedelta(days=limit):
        age = (today - profile.reviewed_on).days
        yield ReliabilityWarning(
            f"reliability review is {age} days old (limit {limit})",
            Level.INFO,
            "stale",
            {"days": str(age), "limit": str(limit)},
        )


def review_due(profile: ReliabilityProfile, today: date, review_limit_days: int) -> bool:
    """The rule Today's "reviews due" shares with the info warning."""
    reviewed = profile.reviewed_on
    return reviewed is None or today - reviewed > timedelta(days=review_limit_days)
