"""Draft offers for deals at Closing, and complaints raised during fulfilment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random

from accmgr.domain.client import Complaint, Severity
from accmgr.domain.deal import Deal
from accmgr.domain.document import Document, DocumentKind, DocumentLine
from accmgr.domain.stages import Stage
from accmgr.services.demo.catalog import ProductSpec
from accmgr.services.demo.clients import FX, ClientPlan
from accmgr.services.demo.timeline import DealPlan

_SPECIAL_TERMS = (
    "2 % bonus on annual volume above the agreed forecast",
    "Prices fixed for 12 months",
    "Free service visit every quarter",
    "Consignment stock of 20 pallets at the client's site",
)


def _price(spec: ProductSpec, currency: str) -> Decimal:
    places = Decimal(1) if currency == "HUF" else Decimal("0.01")
    return (spec.unit_price * Decimal(str(FX[currency]))).quantize(places)


def offer_record(
    rng: Random,
    document_id: str,
    deal_id: str,
    client_id: str,
    client: ClientPlan,
    deal: Deal,
    catalog: Mapping[str, ProductSpec],
    codes: Mapping[str, Sequence[str]],
) -> Document:
    """A draft offer built from the products matched to the deal's needs."""
    wanted = [code for need in deal.needs for code in need.products]
    if not wanted:
        wanted = [rng.choice(codes[rng.choice(sorted(codes))])]
    lines = []
    for code in dict.fromkeys(wanted):  # each product once, in the needs' order
        spec = catalog[code]
        lines.append(
            DocumentLine(
                product_code=code, description=spec.name, unit=spec.unit,
                quantity=Decimal(rng.choice((1, 2, 5, 10, 20, 50, 100, 250))),
                unit_price=_price(spec, client.currency),
                discount=Decimal(rng.choice((0, 0, 0, 5, 10))), tax_rate=spec.tax_rate,
            )
        )  # fmt: skip
    terms = rng.choice((0, 14, 30, 30, 45, 60))
    return Document(
        id=document_id,
        kind=DocumentKind.OFFER,
        deal_id=deal_id,
        client_id=client_id,
        language=client.language,
        currency=client.currency,
        lines=tuple(lines),
        document_discount=Decimal(rng.choice((0, 0, 0, 2, 3))),
        payment_terms=f"{terms} days net" if terms else "Prepayment",
        special_terms=rng.choice(_SPECIAL_TERMS) if rng.random() < 0.4 else "",
        referral_clause=rng.random() < 0.2,
        title=deal.title,
    )


_COMPLAINTS = (
    ("Two pallets arrived with torn film", Severity.MEDIUM, "Logistics"),
    ("Labels do not scan at the dock doors", Severity.HIGH, "IT"),
    ("Invoice does not match the agreed prices", Severity.LOW, "Finance"),
    ("Wrapping machine stopped during the night shift", Severity.CRITICAL, "Service"),
    ("Delivery came a day late for the second time", Severity.MEDIUM, "Logistics"),
)


def complaint_record(
    rng: Random, complaint_id: str, client_id: str, deal_id: str, plan: DealPlan, now: datetime
) -> Complaint:
    start = plan.entered[plan.path.index(Stage.FULFILMENT)]
    raised = start + (now - start) * rng.uniform(0.05, 0.9)
    what, severity, team = rng.choice(_COMPLAINTS)
    resolved = raised + timedelta(days=rng.uniform(1, 30))
    done = resolved < now and rng.random() < 0.7
    return Complaint(
        id=complaint_id,
        client_id=client_id,
        deal_id=deal_id,
        what=what,
        severity=severity,
        raised_on=raised.date(),
        escalated_to=team if severity in (Severity.HIGH, Severity.CRITICAL) else "",
        resolution="Replaced and credited; root cause fixed." if done else "",
        resolved_on=resolved.date() if done else None,
    )
