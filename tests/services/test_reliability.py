"""Payment figures against a direct computation, and the warnings a KAM must see."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accmgr.domain.client import FlagCategory, Payment, Rating, ReliabilityProfile, Severity
from accmgr.errors import NotFoundError, ValidationError
from accmgr.services import clients, reliability
from accmgr.services.workspace import Workspace

TODAY = date(2026, 11, 23)

payments = st.lists(
    st.builds(
        lambda n, amount, due_offset, paid_offset, cur: Payment(
            invoice=f"INV-{n}",
            amount=Decimal(amount) / 100,
            currency=cur,
            due=TODAY + timedelta(days=due_offset),
            paid=None if paid_offset is None else TODAY + timedelta(days=min(0, paid_offset)),
        ),
        st.integers(0, 10**6),
        st.integers(0, 10**9),
        st.integers(-400, 60),
        st.one_of(st.none(), st.integers(-500, 0)),
        st.sampled_from(["EUR", "PLN"]),
    ),
    max_size=30,
)


def _half_up(value: Fraction, places: int) -> Decimal:
    scaled = value * 10**places
    whole = int(scaled)  # non-negative, so int() is floor
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-places)


@settings(max_examples=200, deadline=None)
@given(payments)
def test_figures_match_a_direct_computation(history: list[Payment]) -> None:
    figures = ReliabilityProfile(payments=tuple(history)).figures(TODAY)
    late = [max(0, (p.paid - p.due).days) for p in history if p.paid is not None]
    assert figures.invoices == len(history) and figures.paid == len(late)
    if late:
        assert figures.average_days_late == _half_up(Fraction(sum(late), len(late)), 1)
        on_time = Fraction(sum(1 for d in late if d == 0), len(late))
        assert figures.on_time_share == _half_up(on_time, 2)
    else:
        assert figures.average_days_late is figures.on_time_share is None
    open_late = [p for p in history if p.paid is None and p.due < TODAY]
    # Worst days late counts the open overdue invoices up to today, not only the paid ones.
    every = late + [(TODAY - p.due).days for p in open_late]
    assert figures.worst_days_late == (max(every) if every else None)
    expected: dict[str, Decimal] = {}
    for p in open_late:
        expected[p.currency] = expected.get(p.currency, Decimal(0)) + p.amount
    assert figures.open_overdue == expected
    assert figures.overdue_invoices == len(open_late)
    assert figures.oldest_overdue_days == (
        max((TODAY - p.due).days for p in open_late) if open_late else None
    )


def test_half_up_rounding_of_the_average() -> None:
    history = tuple(
        Payment(
            invoice=str(i),
            amount=Decimal(1),
            currency="EUR",
            due=TODAY,
            paid=TODAY + timedelta(days=d),
        )
        for i, d in enumerate((0, 0, 4, 5))
    )
    figures = ReliabilityProfile(payments=history).figures(TODAY + timedelta(days=9))
    assert figures.average_days_late == Decimal("2.3")


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    clients.add_client(workspace, "Lisboa Embalagens Lda", currency="EUR")
    return workspace


def test_payments_flags_reviews_and_warnings(ws: Workspace) -> None:
    reliability.add_payment(ws, "C-0001", invoice="F-1", amount=Decimal(100), due=date(2026, 11, 1))
    with pytest.raises(ValidationError, match="already has invoice"):
        reliability.add_payment(ws, "c-0001", invoice="f-1", amount=Decimal(1), due=TODAY)
    report = reliability.reliability_of(ws, "C-0001")
    assert report.warnings == (
        "1 overdue invoice(s), 100.00 EUR unpaid, the oldest 22 days late",
        "reliability never reviewed",
    )
    reliability.mark_paid(ws, "C-0001", "F-1", on=date(2026, 11, 20))
    with pytest.raises(ValidationError, match="already paid"):
        reliability.mark_paid(ws, "C-0001", "F-1", on=TODAY)
    with pytest.raises(NotFoundError, match="no invoice 'F-9'"):
        reliability.mark_paid(ws, "C-0001", "F-9", on=TODAY)
    reliability.add_flag(ws, "C-0001", FlagCategory.LEGAL_DISPUTES, "Court case pending")
    reliability.record_review(ws, "C-0001", Rating.C, on=date(2026, 8, 1), credit_limit=Decimal(5))
    report = reliability.reliability_of(ws, "C-0001")
    assert report.warnings == (
        "open red flag (legal disputes): Court case pending",
        "rated C — risky: frequent delays or disputes; ask for prepayment or guarantees",
        "reliability review is 114 days old (limit 90)",
    )
    assert report.figures.worst_days_late == 19 and report.profile.reviewer == "Ana Ferreira"
    reliability.resolve_flag(ws, "C-0001", 1, "Settled out of court")
    reliability.record_review(ws, "C-0001", Rating.B, reviewer="Credit control")
    assert reliability.reliability_of(ws, "C-0001").warnings == ()
    with pytest.raises(NotFoundError, match="no red flag 2"):
        reliability.resolve_flag(ws, "C-0001", 2, "x")
    with pytest.raises(ValidationError, match="in the future"):
        reliability.mark_paid(ws, "C-0001", "F-1", on=TODAY + timedelta(days=1))


def test_serious_open_complaints_are_warnings(ws: Workspace) -> None:
    minor = reliability.add_complaint(ws, "C-0001", "Late invoice copy", severity=Severity.LOW)
    major = reliability.add_complaint(ws, "C-0001", "Pallets broken", severity=Severity.HIGH)
    client = clients.get_client(ws, "C-0001")
    found = reliability.client_warnings(ws, client)
    # A caution, so before the review reminder (info) whatever order they were raised in.
    assert found[0].startswith("open high complaint K-0002") and found[0].level.value == "caution"
    assert reliability.escalate_complaint(ws, major.id, "Quality manager").escalated_to
    reliability.resolve_complaint(ws, major.id, "Replaced free of charge")
    assert not any("complaint" in w for w in reliability.client_warnings(ws, client))
    with pytest.raises(ValidationError, match="was resolved"):
        reliability.escalate_complaint(ws, major.id, "CEO")
    assert [c.id for c in reliability.complaints_of(ws, "C-0001", open_only=True)] == [minor.id]
    assert reliability.warnings_by_client(ws) == {"C-0001": ["reliability never reviewed"]}


def test_set_indicators_changes_no_review(ws: Workspace) -> None:
    from accmgr.domain.client import RevenueBand

    client = reliability.set_indicators(
        ws, "C-0001", credit_limit=Decimal(20000), revenue_band=RevenueBand.SMALL
    )
    profile = client.reliability
    assert (profile.credit_limit, profile.revenue_band) == (Decimal(20000), RevenueBand.SMALL)
    assert profile.reviewed_on is None and profile.rating == Rating.UNRATED
    profile = reliability.set_indicators(ws, "C-0001", credit_limit=None).reliability
    assert profile.credit_limit is None and profile.revenue_band == RevenueBand.SMALL
    with pytest.raises(ValidationError, match="not a financial indicator"):
        reliability.set_indicators(ws, "C-0001", rating=Rating.A)
    with pytest.raises(ValidationError, match="payment_terms_days"):
        reliability.set_indicators(ws, "C-0001", payment_terms_days=400)


def test_exposure_counts_accepted_offers_contracts_and_unpaid_invoices(ws: Workspace) -> None:
    from accmgr.services import catalog, deals, documents, issuing

    reliability.record_review(ws, "C-0001", Rating.B, credit_limit=Decimal(1000))
    reliability.add_payment(ws, "C-0001", invoice="F-1", amount=Decimal(300), due=TODAY)
    catalog.add_product(
        ws, "BOX", "Box", unit_price=Decimal(100), currency="EUR", tax_rate=Decimal(0)
    )
    deals.add_deal(ws, "C-0001", "Boxes")
    draft = documents.new_offer(ws, "D-0001")
    documents.add_line(ws, draft.id, "BOX", Decimal(5))
    issuing.accept(ws, issuing.issue(ws, draft.id).id)  # 500 + 300 unpaid: within 1000
    client = clients.get_client(ws, "C-0001")
    assert reliability.client_warnings(ws, client) == []
    issuing.contract_from_offer(ws, "OFR-2026-0001")  # replaces the offer: still 800
    assert reliability.client_warnings(ws, client) == []
    second = documents.new_offer(ws, "D-0001")
    documents.add_line(ws, second.id, "BOX", Decimal(3))
    stops = reliability.stops_for(ws, second.id, "issue")
    assert [str(w) for w in stops] == [
        "exposure 1 100.00 EUR is over the credit limit 1 000.00 EUR "
        "(committed 500.00 EUR, unpaid 300.00 EUR, this document 300.00 EUR)"
    ]
