"""A realistic issued-document snapshot, for previews of templates, benchmarks and tests.

The figures follow DESIGN.md's arithmetic (line net rounded half-up to the minor unit,
document discount on the subtotal, tax per rate on the discounted bases) so a sample looks
like what the offer service freezes; the renderer itself never computes any of them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_CLIENTS = {
    "en": (
        "Harbour & Lane Ltd",
        "Harbour & Lane Trading Limited",
        "12 Quay Street\nBristol BS1 4DJ",
        "GB",
    ),
    "pt": (
        "Conservas Atlântico",
        "Conservas Atlântico, S.A.",
        "Rua do Ouro 120\n1100-065 Lisboa",
        "PT",
    ),
    "lt": ("Žalgirio Šviesa", "UAB „Žalgirio šviesa“", "Gedimino pr. 9\nLT-01103 Vilnius", "LT"),
    "ru": (
        "Северный Ветер",
        "ООО «Северный ветер»",
        "ул. Большая Морская, 18\n190000 Санкт-Петербург",
        "RU",
    ),
    "pl": (
        "Łódzkie Żurawie",
        "Łódzkie Żurawie Sp. z o.o.",
        "ul. Piotrkowska 104\n90-926 Łódź",
        "PL",
    ),
    "hu": ("Győri Fűtés", "Győri Fűtéstechnika Kft.", "Árpád út 51.\n9022 Győr", "HU"),
}

_PRODUCTS = [
    ("SRV-INST", "Installation and commissioning on site", "h", "85.00", "23"),
    ("LIC-PRO", "Professional licence, annual subscription", "pc", "1249.90", "23"),
    ("HW-GW200", "Gateway GW-200 with mounting kit", "pc", "389.00", "23"),
    ("TRN-DAY", "Training day for operators (up to 8 people)", "day", "960.00", "6"),
    ("SUP-24", "Support 24/7, priority response within 4 hours", "month", "310.50", "23"),
]


def _money(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def sample_snapshot(
    kind: str = "offer",
    language: str = "en",
    *,
    currency: str = "EUR",
    lines: int = 5,
    number: str | None = None,
    document_discount: str = "5",
    digits: int = 2,
) -> dict[str, Any]:
    """A snapshot of ``kind`` in ``language`` with ``lines`` lines and consistent totals."""
    name, legal, address, country = _CLIENTS[language]
    rows: list[dict[str, Any]] = []
    for index in range(lines):
        code, description, unit, price, rate = _PRODUCTS[index % len(_PRODUCTS)]
        quantity = Decimal(index % 7 + 1) * (Decimal("2.5") if unit == "h" else 1)
        discount = Decimal((index * 5) % 20)
        net = _money(Decimal(quantity) * Decimal(price) * (1 - discount / 100), digits)
        rows.append(
            {
                "position": index + 1,
                "product_code": code,
                "description": description,
                "quantity": str(quantity),
                "unit": unit,
                "unit_price": price,
                "discount": str(discount),
                "tax_rate": rate,
                "net": str(net),
            }
        )
    subtotal = sum((Decimal(r["net"]) for r in rows), Decimal(0))
    share = Decimal(document_discount) / 100
    bases: dict[str, Decimal] = {}
    for row in rows:
        bases[row["tax_rate"]] = bases.get(row["tax_rate"], Decimal(0)) + Decimal(row["net"])
    taxes = []
    for rate, base in sorted(bases.items(), key=lambda item: Decimal(item[0]), reverse=True):
        discounted = _money(base * (1 - share), digits)
        taxes.append(
            {
                "rate": rate,
                "base": str(discounted),
                "tax": str(_money(discounted * Decimal(rate) / 100, digits)),
            }
        )
    net = sum((Decimal(t["base"]) for t in taxes), Decimal(0))
    tax_total = sum((Decimal(t["tax"]) for t in taxes), Decimal(0))
    prefix = "OFR" if kind == "offer" else "CTR"
    snapshot: dict[str, Any] = {
        "kind": kind,
        "number": number or f"{prefix}-2026-0007",
        "version": 2 if kind == "offer" else 1,
        "language": language,
        "currency": currency,
        "issued_on": "2026-11-23",
        "valid_until": "2026-12-23",
        "company": {
            "name": "Nordlicht Systems GmbH",
            "address": "Hafenstraße 12\n20457 Hamburg, Germany",
            "tax_id": "DE 812 345 678",
            "bank": "IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX",
            "logo": "",
        },
        "client": {
            "id": "c-001",
            "name": name,
            "legal_name": legal,
            "tax_id": f"{country}123456789",
            "address": address,
            "country": country,
            "email": "purchasing@example.com",
        },
        "deal": {"id": "d-001", "title": "Plant monitoring roll-out, phase 2"},
        "lines": rows,
        "totals": {
            "subtotal": str(subtotal),
            "document_discount": document_discount,
            "document_discount_amount": str(subtotal - net),
            "net": str(net),
            "taxes": taxes,
            "tax_total": str(tax_total),
            "total": str(net + tax_total),
        },
        "payment_terms": "30 days net from the invoice date; 2 % discount within 10 days.",
        "special_terms": "Free delivery to the client's site. Second training day at no charge.",
        "referral_clause": True,
        "supersedes": "OFR-2026-0006" if kind == "offer" else None,
        "template": kind,
    }
    if kind == "contract":
        snapshot |= {
            "offer_number": "OFR-2026-0007",
            "subject": "Supply, installation and support of the plant monitoring system.",
            "delivery_terms": "Delivery within 6 weeks of signature, DAP the client's site.",
            "signatories": {
                "ours": "Anna Becker, Key Account Manager",
                "theirs": "Purchasing Director",
            },
        }
    return snapshot
