"""The reliability rule set: each warning from a fixture, with its severity, worst first."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from rich.cells import cell_len

from accmgr.domain import reliability as rules
from accmgr.domain.client import (
    Complaint,
    FlagCategory,
    Payment,
    Rating,
    RedFlag,
    ReliabilityProfile,
    Severity,
)
from accmgr.domain.reliability import Exposure, Facts, Level, OfferedTerms

TODAY = date(2026, 11, 23)
FRESH = TODAY - timedelta(days=10)


def profile(**changes: object) -> ReliabilityProfile:
    base: dict[str, object] = {"rating": Rating.B, "reviewed_on": FRESH}
    return ReliabilityProfile.model_validate(base | changes)


def found(facts: Facts) -> list[tuple[Level, str]]:
    return [(w.level, str(w)) for w in rules.warnings(facts)]


def test_a_reliable_client_raises_nothing() -> None:
    assert rules.warnings(Facts(profile=profile(rating=Rating.A), today=TODAY)) == []


def test_rating_d_stops_with_its_meaning_and_c_cautions() -> None:
    assert found(Facts(profile=profile(rating=Rating.D), today=TODAY)) == [
        (Level.STOP, "rated D — unreliable: do not extend credit")
    ]
    assert found(Facts(profile=profile(rating=Rating.C), today=TODAY)) == [
        (
            Level.CAUTION,
            "rated C — risky: frequent delays or disputes; ask for prepayment or guarantees",
        )
    ]


def test_exposure_over_the_credit_limit_stops() -> None:
    limited = profile(credit_limit=Decimal(5530000))
    over = Exposure("HUF", committed=Decimal(0), unpaid=Decimal(0), pending=Decimal("6594042.30"))
    [(level, text)] = found(Facts(profile=limited, today=TODAY, exposure=over))
    assert level is Level.STOP
    assert text.startswith("exposure 6 594 042.30 HUF is over the credit limit 5 530 000.00 HUF")
    within = Exposure("HUF", committed=Decimal(5530000))
    assert found(Facts(profile=limited, today=TODAY, exposure=within)) == []


@pytest.mark.parametrize(
    ("category", "level"),
    [
        (FlagCategory.FINANCIAL_DISTRESS, Level.STOP),
        (FlagCategory.LEGAL_DISPUTES, Level.STOP),
        (FlagCategory.LATE_PAYMENTS, Level.CAUTION),
        (FlagCategory.OWNERSHIP_CHANGE, Level.CAUTION),
    ],
)
def test_open_red_flags_by_category(category: FlagCategory, level: Level) -> None:
    flag = RedFlag(category=category, note="Seen in the registry", raised_on=FRESH)
    assert found(Facts(profile=profile(red_flags=(flag,)), today=TODAY)) == [
        (level, f"open red flag ({category.value.replace('-', ' ')}): Seen in the registry")
    ]
    closed = flag.evolve(resolved_on=TODAY, resolution="Cleared")
    assert found(Facts(profile=profile(red_flags=(closed,)), today=TODAY)) == []


def test_overdue_invoices_with_count_amount_and_the_oldest() -> None:
    payments = (
        Payment(invoice="1", amount=Decimal(100), currency="EUR", due=TODAY - timedelta(days=114)),
        Payment(invoice="2", amount=Decimal("50.5"), currency="EUR", due=TODAY - timedelta(days=3)),
        Payment(invoice="3", amount=Decimal(999), currency="EUR", due=TODAY + timedelta(days=3)),
    )
    assert found(Facts(profile=profile(payments=payments), today=TODAY)) == [
        (Level.CAUTION, "2 overdue invoice(s), 150.50 EUR unpaid, the oldest 114 days late")
    ]


def test_terms_longer_than_the_profile_caution() -> None:
    thirty = profile(payment_terms_days=30)
    offered = [OfferedTerms("OFR-2026-0001@1", "60 days net"), OfferedTerms("X", "30 dias")]
    assert found(Facts(profile=thirty, today=TODAY, terms=offered)) == [
        (Level.CAUTION, "OFR-2026-0001@1 gives 60 days to pay; the profile allows 30")
    ]
    assert rules.terms_days("30 days net; 2 % within 10 days") == 30
    assert rules.terms_days("Prepayment") is None


def test_open_high_and_critical_complaints_caution() -> None:
    def complaint(severity: Severity) -> Complaint:
        return Complaint(
            id="K-0001", client_id="C-0001", what="Broken", severity=severity, raised_on=FRESH
        )

    for severity in (Severity.HIGH, Severity.CRITICAL):
        [(level, text)] = found(Facts(profile(), TODAY, complaints=[complaint(severity)]))
        assert level is Level.CAUTION and text.startswith(f"open {severity.value} complaint")
    assert found(Facts(profile(), TODAY, complaints=[complaint(Severity.MEDIUM)])) == []


def test_stale_or_missing_review_is_info() -> None:
    never = found(Facts(profile=profile(reviewed_on=None), today=TODAY))
    assert never == [(Level.INFO, "reliability never reviewed")]
    stale = profile(reviewed_on=TODAY - timedelta(days=393))
    assert found(Facts(profile=stale, today=TODAY, review_limit_days=90)) == [
        (Level.INFO, "reliability review is 393 days old (limit 90)")
    ]


def test_worst_first_whatever_the_rule_order() -> None:
    """The issue's client: D, three overdue invoices, financial distress, a critical
    complaint, 60-day terms against 30, over the credit limit, review stale."""
    bad = profile(
        rating=Rating.D,
        credit_limit=Decimal(1000),
        payment_terms_days=30,
        reviewed_on=TODAY - timedelta(days=215),
        payments=tuple(
            Payment(invoice=str(i), amount=Decimal(500), currency="EUR", due=TODAY - timedelta(d))
            for i, d in enumerate((5, 40, 114))
        ),
        red_flags=(
            RedFlag(category=FlagCategory.FINANCIAL_DISTRESS, note="Insolvency", raised_on=FRESH),
        ),
    )
    critical = Complaint(
        id="K-0009", client_id="C-0001", what="Wrong", severity=Severity.CRITICAL, raised_on=FRESH
    )
    facts = Facts(
        profile=bad,
        today=TODAY,
        complaints=[critical],
        exposure=Exposure("EUR", unpaid=Decimal(1500)),
        terms=[OfferedTerms("OFR-2026-0001@1", "60 days")],
    )
    levels = [level for level, _ in found(facts)]
    assert levels == [Level.STOP] * 3 + [Level.CAUTION] * 3 + [Level.INFO]
    assert rules.worst(rules.warnings(facts)) is Level.STOP
    assert rules.marker(rules.warnings(facts)) == "⊘"
    assert len(rules.stops(rules.warnings(facts))) == 3


def test_markers_are_distinct_and_one_cell_wide() -> None:
    glyphs = [level.glyph for level in Level]
    assert len(set(glyphs)) == 3
    assert all(cell_len(glyph) == 1 for glyph in glyphs)
    assert rules.marker([]) == " "
