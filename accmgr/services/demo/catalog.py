"""The demo product catalog: what a B2B supplier of packaging, industrial supplies,
equipment, software and services sells, priced in EUR.

Families are taken in turn so that even a small catalog has a bit of everything; larger
catalogs add the usual commercial variants (eco line, premium, pallet quantity).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest
from random import Random

# (code prefix, description, unit, tax rate %, ((name, price in EUR), ...))
_FAMILIES: tuple[tuple[str, str, str, int, tuple[tuple[str, float], ...]], ...] = (
    ("PKG", "Stretch and packaging film", "roll", 23, (
        ("Stretch film 17 µm × 500 mm × 300 m", 9.8),
        ("Stretch film 23 µm × 500 mm × 250 m", 12.4),
        ("Machine stretch film 23 µm × 500 mm × 1500 m", 44.0),
        ("Pre-stretched film 8 µm × 430 mm × 1500 m", 31.5),
        ("Shrink film 50 µm × 1000 mm × 500 m", 58.0),
    )),
    ("IND", "Industrial consumables", "box", 23, (
        ("Nitrile gloves, size M, box of 100", 6.9),
        ("Hex bolt DIN 933 M8 × 40, box of 200", 14.2),
        ("Hex nut DIN 934 M10, box of 500", 11.6),
        ("FFP2 respirator, box of 20", 12.5),
        ("Absorbent pads, pack of 100", 39.0),
    )),
    ("SW", "Software licences and subscriptions", "licence", 23, (
        ("Warehouse management system, per site / year", 2400.0),
        ("ERP cloud, per user / month", 39.0),
        ("Label design software, perpetual licence", 460.0),
        ("Fleet tracking, per vehicle / month", 14.5),
        ("Endpoint protection, per device / year", 28.0),
    )),
    ("SRV", "Services", "h", 23, (
        ("On-site installation, per hour", 55.0),
        ("Preventive maintenance visit", 180.0),
        ("Packaging line audit, per day", 720.0),
        ("Annual support contract", 1900.0),
        ("Express delivery surcharge", 35.0),
    )),
    ("CTN", "Corrugated cartons", "pc", 23, (
        ("Carton 300 × 200 × 150 mm, single wall", 0.42),
        ("Carton 400 × 300 × 300 mm, single wall", 0.78),
        ("Carton 600 × 400 × 400 mm, double wall", 1.95),
        ("Carton 1200 × 800 × 800 mm, triple wall", 8.4),
    )),
    ("EQP", "Warehouse equipment", "pc", 23, (
        ("Pallet truck 2500 kg", 389.0),
        ("Semi-automatic stretch wrapper", 8900.0),
        ("Thermal label printer 203 dpi", 640.0),
        ("Wireless barcode scanner", 295.0),
        ("Steel shelving 2000 × 1000 × 500 mm", 215.0),
    )),
    ("TRN", "Training (VAT exempt)", "day", 0, (
        ("Forklift operator training, per person", 260.0),
        ("Warehouse safety training, per day", 890.0),
        ("ERP key-user training, per day", 950.0),
    )),
    ("LBL", "Labels and ribbons", "roll", 23, (
        ("Thermal labels 100 × 150 mm, roll of 500", 6.2),
        ("Thermal labels 58 × 40 mm, roll of 1000", 3.9),
        ("Thermal transfer ribbon, wax, 110 mm × 300 m", 7.5),
        ("Pallet labels A5, roll of 500", 14.8),
    )),
    ("WHS", "Contract warehousing", "pallet", 23, (
        ("Pallet storage, Vilnius hub, per pallet / week", 1.9),
        ("Pallet storage, Porto hub, per pallet / week", 2.1),
        ("Pallet storage, Warsaw hub, per pallet / week", 1.8),
        ("Pallet storage, Budapest hub, per pallet / week", 1.7),
    )),
    ("PAL", "Pallets and load carriers", "pc", 23, (
        ("EUR pallet 1200 × 800 mm, new", 14.5),
        ("EUR pallet, used grade A", 8.9),
        ("Plastic pallet 1200 × 1000 mm", 58.0),
        ("Pallet collar 1200 × 800 mm", 9.6),
    )),
    ("LUB", "Lubricants and cleaning", "can", 23, (
        ("Hydraulic oil HLP 46, 20 l", 78.0),
        ("Multi-purpose grease EP2, 18 kg", 96.0),
        ("Industrial degreaser, 10 l", 34.0),
    )),
    ("DOC", "Printed manuals (reduced VAT)", "pc", 5, (
        ("Printed safety handbook", 12.0),
        ("Printed operating manual set", 45.0),
    )),
)  # fmt: skip

# VAT by the hub country where storage is supplied: Lithuania 21 %, Hungary 27 %.
_HUB_TAX = {"Vilnius": 21, "Budapest": 27}

# Commercial variants of larger catalogs: (name suffix, price factor, unit or "", active).
_GOODS_VARIANTS = (
    (" — eco line", 1.12, "", True),
    (" — premium", 1.35, "", True),
    (" — pack of 5", 4.75, "pack", True),
    (" — carton of 10", 9.4, "carton", True),
    (" — stock clearance", 0.8, "", True),
    (" — economy (discontinued)", 0.85, "", False),
)
_SERVICE_VARIANTS = (
    (" — premium SLA", 1.4, "", True),
    (" — remote", 0.7, "", True),
    (" — weekend rate", 1.5, "", True),
    (" — 3-year term", 2.6, "", True),
    (" — partner rate", 0.85, "", True),
    (" — legacy rate (discontinued)", 0.9, "", False),
)
_CENT = Decimal("0.01")
_SERVICES = frozenset({"SW", "SRV", "TRN", "WHS"})


@dataclass(frozen=True)
class ProductSpec:
    code: str
    name: str
    description: str
    unit: str
    unit_price: Decimal
    tax_rate: Decimal
    active: bool


def catalog(rng: Random, count: int) -> list[ProductSpec]:
    """``count`` products, every family represented as soon as ``count`` allows."""
    base: list[tuple[str, str, str, int, str, float]] = []
    columns = [
        [(prefix, about, unit, tax, name, price) for name, price in items]
        for prefix, about, unit, tax, items in _FAMILIES
    ]
    for row in zip_longest(*columns):
        base.extend(item for item in row if item is not None)
    specs: list[ProductSpec] = []
    numbers: dict[str, int] = {}
    rounds = len(_GOODS_VARIANTS) + 1
    for round_ in range(rounds * (count // (len(base) * rounds) + 1)):
        variant, edition = round_ % rounds, round_ // rounds
        for prefix, about, unit, tax, name, price in base:
            if len(specs) == count:
                return specs
            suffix, factor, other_unit, active = ("", 1.0, "", True)
            if variant:
                variants = _SERVICE_VARIANTS if prefix in _SERVICES else _GOODS_VARIANTS
                suffix, factor, other_unit, active = variants[variant - 1]
            if edition:  # beyond every variant: the range again, as numbered editions
                suffix += f" (edition {edition + 1})"
            numbers[prefix] = numbers.get(prefix, 1000) + 1
            hub = next((city for city in _HUB_TAX if city in name), None)
            jitter = 1 + rng.uniform(-0.08, 0.08)
            specs.append(
                ProductSpec(
                    code=f"{prefix}-{numbers[prefix]}",
                    name=name + suffix,
                    description=about,
                    unit=other_unit or unit,
                    unit_price=Decimal(str(round(price * factor * jitter, 2))).quantize(_CENT),
                    tax_rate=Decimal(_HUB_TAX[hub] if hub else tax),
                    active=active,
                )
            )
    return specs
