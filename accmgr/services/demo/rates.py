"""Exchange rates for the demo's currencies, so that totals work on demo data at once.

The ECB's currencies (GBP, USD, PLN, HUF) get a rate for every working day of the six weeks
before ``now``, as an import of its daily file would leave them; RUB, which the ECB no longer
publishes, gets one rate a week, as a KAM would type it in. The figures wander a little around
the demo's rough euro values, from their own random stream so the rest of the demo is as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from accmgr.domain.exchange import ExchangeRate

# 1 EUR in each currency, and the decimals the ECB (or the KAM) writes it with.
_START = {
    "GBP": ("0.8520", 4),
    "USD": ("1.0850", 4),
    "PLN": ("4.2900", 4),
    "HUF": ("392.50", 2),
    "RUB": ("97.80", 2),
}
_BY_HAND = {"RUB"}
DAYS = 42


def demo_rates(seed: int, today: date) -> Iterator[ExchangeRate]:
    rng = Random(f"rates-{seed}")
    for code, (start, places) in _START.items():
        level = Decimal(start)
        step = Decimal(1).scaleb(-places)
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            if day.weekday() >= 5 or (code in _BY_HAND and day.weekday() != 0):
                continue
            drift = Decimal(str(round(rng.gauss(0, 0.003), 5)))
            level = (level * (1 + drift)).quantize(step)
            yield ExchangeRate("EUR", code, level, day)
