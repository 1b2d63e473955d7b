"""The largest values accmgr accepts: far above what a real user types, far below an attack.

One place, so a form, the command line, an import and the config refuse the same things with
the same words. Each limit is named in the message that refuses a value, so the user knows
what would have been accepted.
"""

from __future__ import annotations

from decimal import Decimal

from accmgr.errors import ValidationError

#: A name, title or one-line entry (client name, deal title, product name). It was already 300
#: before the other limits came, so no record saved until now is refused by it.
NAME_MAX_CHARS = 300
#: Free text: a note, an agenda, an address, terms, a description.
NOTE_MAX_CHARS = 10_000

#: Quantity of one offer line; a unit price in any currency's major unit (10^12 leaves room
#: for currencies of many digits: 10^12 VND is about 37 million EUR).
QUANTITY_MAX = Decimal(1_000_000_000)
PRICE_MAX = Decimal(10) ** 12
#: Any amount, and any total an offer or contract prints (subtotal, grand total). A line may
#: go above it (10^9 x 10^12): the document's total is checked before it is saved or issued.
TOTAL_MAX = Decimal(10) ** 15

#: Days in any configured period (offer validity, review limit, stall limit): ten years.
DAYS_MAX = 3650
#: Seconds to wait for another accmgr's lock: an hour is already longer than anyone waits.
LOCK_TIMEOUT_MAX_SECONDS = 3600.0

#: A price list to import, in bytes (100,000 rows of a real list are about 10 MiB).
IMPORT_MAX_BYTES = 64 * 1024 * 1024


def at_most(value: Decimal, limit: Decimal, field: str, what: str) -> Decimal:
    """``value`` when it is not above ``limit``; else refused with the limit named."""
    if value > limit:
        raise ValidationError(field, f"expected a {what} of at most {limit:,}, got {value:,}")
    return value
