"""Money: amounts as people type them, and the arithmetic of an offer.

Every figure is a :class:`decimal.Decimal`; nothing here ever passes through ``float``. The
offer's arithmetic follows DESIGN.md ("Rules of the domain", Money) step by step, so that the
figure the PDF prints is the figure the app shows:

1. line net = quantity × unit price × (1 − line discount / 100), rounded half-up to the
   currency's minor unit;
2. subtotal = Σ line nets;
3. document discount amount = subtotal × document discount / 100, rounded half-up;
4. net = subtotal − document discount amount;
5. the document discount is shared out over the tax-rate groups in proportion to their nets
   (largest-remainder rounding, so the shares add up to the discount amount exactly);
6. tax per rate = (group net − its share) × rate / 100, rounded half-up;
7. total = net + Σ tax.

Minor units come from Babel (CLDR), which agrees with ISO 4217 for the currencies the product
targets (EUR, PLN, HUF, … 2; JPY 0; BHD, KWD, TND 3). Where CLDR and ISO disagree CLDR wins,
because Babel is also what formats the amounts: e.g. CLDR gives IQD and RSD 0 digits where ISO
says 3 and 2. HUF is 2 in both (CLDR's *cash* digits are 0, which is about coins, not invoices).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation, localcontext
from functools import cache

from accmgr.domain.limits import TOTAL_MAX
from accmgr.errors import ValidationError

# Exact arithmetic: inputs are bounded (see _check_number), so every product fits in this many
# digits; Inexact is trapped so that an unexpected rounding is an error, never a silent change.
_EXACT = Context(prec=120, rounding=ROUND_HALF_UP, traps=[Inexact, InvalidOperation])
_MAX_INTEGER_DIGITS = 15
_MAX_DECIMAL_PLACES = 6
_HUNDRED = Decimal(100)


# --- currencies ------------------------------------------------------------------------------


@cache
def _known_currencies() -> frozenset[str]:
    # Imported here: Babel's data is large and start-up does not need it.
    from babel import Locale
    from babel.numbers import get_territory_currencies, list_currencies

    in_use: set[str] = set()
    for territory in Locale("en").territories:
        in_use.update(get_territory_currencies(str(territory), tender=True))
    # Babel's list holds withdrawn national currencies too (DEM, LTL, HRK): kept, so old records
    # stay readable. The X-codes that are not money anywhere (gold XAU, test XTS, "no
    # currency" XXX, SDR XDR…) are dropped; XAF, XOF, XCD and XPF are legal tender and stay.
    return frozenset(
        code for code in list_currencies() if not code.startswith("X") or code in in_use
    )


def check_currency(code: str, field: str = "currency") -> str:
    """``code`` upper-cased if it is an ISO 4217 currency code Babel knows; else ValidationError."""
    if isinstance(code, str):
        candidate = code.strip().upper()
        if re.fullmatch(r"[A-Z]{3}", candidate) and candidate in _known_currencies():
            return candidate
    raise ValidationError(
        field, f"expected a three-letter ISO 4217 code such as EUR or PLN, got {code!r}"
    )


def minor_units(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (EUR 2, JPY 0, BHD 3), from Babel."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(check_currency(currency)))


def _unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-up to the currency's minor unit (2.675 EUR → 2.68)."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"quantize: expected a finite Decimal, got {amount!r}")
    with localcontext(Context(prec=120)):
        return amount.quantize(_unit(currency), rounding=ROUND_HALF_UP)


# --- typed numbers ---------------------------------------------------------------------------

_SPACES = " \u00a0\u202f\u2009_'’"  # grouping people and Babel use: spaces, NBSPs, _ and '
_MINUS = "-\u2212\u2013"
_HINT = "a number such as 1234.50, 1 234,50 or 1,234.50"


def _refuse(field: str, text: str, why: str = "") -> ValidationError:
    reason = f"; {why}" if why else ""
    return ValidationError(field, f"expected {_HINT}, got {text!r}{reason}")


def _check_groups(integer: str, seps: str, field: str, text: str) -> str:
    """The digits of an integer part written with grouping separators ``seps``."""
    groups = re.split(f"[{re.escape(seps)}]", integer) if seps else [integer]
    if len(groups) == 1:
        return integer
    first, rest = groups[0], groups[1:]
    if not (1 <= len(first) <= 3) or any(len(g) != 3 for g in rest):
        raise _refuse(field, text, "digit groups must have three digits, as in 1 234 567")
    return "".join(groups)


def parse_amount(
    text: str,
    field: str = "amount",
    *,
    allow_negative: bool = False,
    currency: str | None = None,
) -> Decimal:
    """An amount as people type it: ``1234.5``, ``1 234,50``, ``1,234.50``, ``1.234,50``, ``1_000``.

    The decimal separator is whichever of ``.`` and ``,`` comes last; the other one, spaces,
    no-break spaces, ``_`` and ``'`` group thousands. ``1,234`` and ``1.234`` could be either a
    thousand or a fraction: they are refused, never guessed. Currency symbols and codes
    (``€ 12``, ``12 EUR``) are refused because the currency is its own field: accepting a symbol
    would mean either ignoring it (a silent contradiction when it differs from the deal's) or
    guessing a currency from it. Exponents, NaN and Infinity are refused. With ``currency``,
    more decimals than its minor unit are refused (not rounded) and the result is quantized.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_amount: expected text, got {type(text).__name__}")
    raw = text.strip()
    if not raw:
        raise ValidationError(field, f"expected {_HINT}, got nothing")
    body = raw
    negative = False
    if body[0] in _MINUS or body[0] == "+":
        negative = body[0] != "+"
        body = body[1:].lstrip()
    if negative and not allow_negative:
        raise ValidationError(field, f"expected an amount of zero or more, got {text!r}")
    if not body or not re.fullmatch(rf"[0-9.,{re.escape(_SPACES)}]+", body):
        why = ""
        if re.fullmatch(r"[0-9.,]+[eE][+-]?[0-9]+", body):
            why = "exponents such as 1e5 are not accepted"
        elif re.search(r"[^\W\d_]|[^\x00-\x7f]|[$]", body) and re.search(r"\d", body):
            why = "write the number alone; the currency is chosen separately"
        raise _refuse(field, text, why)
    if body[0] in _SPACES or body[-1] in _SPACES:
        raise _refuse(field, text)
    marks = [(i, c) for i, c in enumerate(body) if c in ".,"]
    grouping = "".join(c for c in _SPACES if c in body)
    integer, fraction = body, ""
    if marks:
        last_pos, last = marks[-1]
        other = "," if last == "." else "."
        count_last = sum(1 for _, c in marks if c == last)
        if other in body:
            # Both marks: the last one is the decimal separator, the other groups thousands.
            if count_last > 1 or body.index(other) > last_pos:
                raise _refuse(field, text)
            integer, fraction = body[:last_pos], body[last_pos + 1 :]
            grouping += other
        elif count_last > 1:
            # The same mark more than once can only be grouping: 1.234.567 / 1,234,567.
            grouping += last
        else:
            after = body[last_pos + 1 :]
            before = body[:last_pos]
            if (
                len(after) == 3
                and after.isdigit()
                and 1 <= len(before) <= 3
                and before.isdigit()
                and before != "0"
            ):
                raise ValidationError(
                    field,
                    f"{text!r} is ambiguous: it may mean {before}{after} or {before}.{after}; "
                    f"write {before}{after} (or {before}{last}{after}{other}00) for the "
                    f"thousands, or {before}{last}{after}0 for the fraction",
                )
            integer, fraction = before, after
    if any(c in _SPACES for c in fraction) or any(c in ".," for c in fraction):
        raise _refuse(field, text)
    digits = _check_groups(integer, grouping, field, text) if integer else "0"
    if not digits.isdigit() or (fraction and not fraction.isdigit()):
        raise _refuse(field, text)
    value = Decimal(f"{'-' if negative else ''}{digits}.{fraction or '0'}")
    if not fraction:
        value = Decimal(f"{'-' if negative else ''}{digits}")
    if len(digits.lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise ValidationError(
            field,
            f"expected at most {_MAX_INTEGER_DIGITS} digits before the decimal point, got {text!r}",
        )
    if currency is not None:
        places = minor_units(currency)
        if len(fraction) > places:
            raise ValidationError(
                field,
                f"expected at most {places} decimal place{'s' if places != 1 else ''} for "
                f"{check_currency(currency)}, got {text!r}",
            )
        value = quantize(value, currency)
    return value


def parse_percent(value: str | Decimal | int, field: str = "discount") -> Decimal:
    """A percentage from 0 to 100 inclusive: ``12.5``, ``12,5``, ``12.5%`` or a Decimal."""
    if isinstance(value, bool) or not isinstance(value, str | Decimal | int):
        raise ValidationError(
            field, f"expected a percentage from 0 to 100 such as 12.5, got {value!r}"
        )
    if isinstance(value, str):
        raw = value.strip()
        body = raw[:-1].rstrip() if raw.endswith("%") else raw
        if not re.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", body):
            raise ValidationError(
                field, f"expected a percentage from 0 to 100 such as 12.5 or 12,5%, got {value!r}"
            )
        number = Decimal(body.replace(",", "."))
    else:
        number = Decimal(value)
        if not number.is_finite():
            raise ValidationError(field, f"expected a percentage from 0 to 100, got {value!r}")
    if not (0 <= number <= _HUNDRED):
        raise ValidationError(field, f"expected a percentage from 0 to 100, got {value!r}")
    return number if number else Decimal(0)  # never "-0"


# --- the offer's arithmetic ------------------------------------------------------------------


def _as_decimal(value: object, field: str) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(field, f"expected a number, got {value!r}")
    if isinstance(value, float):
        raise ValidationError(field, f"expected an exact number (Decimal), got the float {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, Decimal):
        raise ValidationError(field, f"expected a number, got {value!r}")
    if not value.is_finite():
        raise ValidationError(field, f"expected a finite number, got {value!r}")
    return value


def _check_number(value: Decimal, field: str) -> None:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked by _as_decimal
    if -exponent > _MAX_DECIMAL_PLACES:
        raise ValidationError(
            field, f"expected at most {_MAX_DECIMAL_PLACES} decimal places, got {value}"
        )
    if abs(value) >= Decimal(10) ** _MAX_INTEGER_DIGITS:
        raise ValidationError(
            field, f"expected less than {_MAX_INTEGER_DIGITS} digits before the point, got {value}"
        )


@dataclass(frozen=True, slots=True)
class LineInput:
    """One line of an offer, validated on construction.

    ``label`` only names the line in error messages ("line 3: quantity"); it takes no part in
    equality. Percentages are 0–100 (not fractions). Numbers may have at most 6 decimal places
    and 15 integer digits, which keeps every product exact.
    """

    quantity: Decimal
    unit_price: Decimal
    discount: Decimal = Decimal(0)
    tax_rate: Decimal = Decimal(0)
    label: str = field(default="line", kw_only=True, compare=False)

    def __post_init__(self) -> None:
        name = self.label
        quantity = _as_decimal(self.quantity, f"{name}: quantity")
        unit_price = _as_decimal(self.unit_price, f"{name}: unit price")
        discount = _as_decimal(self.discount, f"{name}: discount")
        tax_rate = _as_decimal(self.tax_rate, f"{name}: tax rate")
        if quantity <= 0:
            raise ValidationError(
                f"{name}: quantity", f"expected a quantity greater than 0, got {quantity}"
            )
        if unit_price < 0:
            raise ValidationError(
                f"{name}: unit price", f"expected a price of 0 or more, got {unit_price}"
            )
        for label, value in (("discount", discount), ("tax rate", tax_rate)):
            if not (0 <= value <= _HUNDRED):
                raise ValidationError(
                    f"{name}: {label}", f"expected a percentage from 0 to 100, got {value}"
                )
        for label, value in (
            ("quantity", quantity),
            ("unit price", unit_price),
            ("discount", discount),
            ("tax rate", tax_rate),
        ):
            _check_number(value, f"{name}: {label}")
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "unit_price", unit_price)
        object.__setattr__(self, "discount", discount)
        object.__setattr__(self, "tax_rate", tax_rate)


@dataclass(frozen=True, slots=True)
class TaxGroup:
    """The lines sharing one tax rate: ``base`` is what the tax is charged on.

    ``net`` is the sum of the group's line nets and ``discount`` its share of the document
    discount, so ``base == net - discount``.
    """

    rate: Decimal
    base: Decimal
    tax: Decimal
    net: Decimal
    discount: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    """Every figure of an offer, each with exactly the currency's minor digits.

    Guaranteed: ``subtotal == sum(line_nets)``; ``net == subtotal - document_discount_amount``;
    ``sum(g.base for g in taxes) == net``; ``tax_total == sum(g.tax for g in taxes)``;
    ``total == net + tax_total``.
    """

    currency: str
    line_nets: tuple[Decimal, ...]
    subtotal: Decimal
    document_discount: Decimal
    document_discount_amount: Decimal
    net: Decimal
    taxes: tuple[TaxGroup, ...]
    tax_total: Decimal
    total: Decimal


def _canonical_rate(rate: Decimal) -> Decimal:
    """One spelling per rate (23 == 23.00 → 23), so grouping never depends on line order."""
    if rate == rate.to_integral_value():
        return rate.quantize(Decimal(1))
    return rate.normalize()


def line_net(line: LineInput, currency: str) -> Decimal:
    """quantity × unit price × (1 − discount/100), rounded half-up to the minor unit."""
    with localcontext(_EXACT):
        exact = line.quantity * line.unit_price * (1 - line.discount / _HUNDRED)
    return quantize(exact, currency)


def _allocate(amount: int, weights: Sequence[tuple[int, Decimal]]) -> list[int]:
    """Split ``amount`` (minor units) in proportion to ``weights`` (minor units, rate).

    Each share is rounded half-up; what rounding leaves over or takes too much (a few minor
    units at most) goes one unit at a time to the largest groups (ties: the higher rate), so the
    shares sum to ``amount`` exactly and the result never depends on the order of the lines.
    """
    total = sum(w for w, _ in weights)
    if total == 0 or amount == 0:
        return [0 for _ in weights]
    shares = [(2 * amount * w + total) // (2 * total) for w, _ in weights]  # half-up, exact
    remainder = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (weights[i][0], weights[i][1]), reverse=True)
    step = 1 if remainder > 0 else -1
    while remainder:
        for i in order:
            if remainder == 0:
                break
            candidate = shares[i] + step
            if 0 <= candidate <= weights[i][0]:
                shares[i] = candidate
                remainder -= step
    return shares


def compute_totals(
    lines: Sequence[LineInput], currency: str, document_discount: Decimal = Decimal(0)
) -> Totals:
    """The offer's figures, computed in DESIGN.md's order (see the module docstring)."""
    # Sums too run in the exact context: the default 28 digits would round large offers.
    with localcontext(_EXACT):
        return _compute_totals(lines, currency, document_discount)


def _compute_totals(
    lines: Sequence[LineInput], currency: str, document_discount: Decimal
) -> Totals:
    currency = check_currency(currency)
    discount_rate = parse_percent(document_discount, "document discount")
    _check_number(discount_rate, "document discount")
    for number, line in enumerate(lines, start=1):
        if not isinstance(line, LineInput):
            raise TypeError(f"line {number}: expected a LineInput, got {type(line).__name__}")
    unit = _unit(currency)
    zero = quantize(Decimal(0), currency)

    line_nets = tuple(line_net(line, currency) for line in lines)
    subtotal = quantize(sum(line_nets, zero), currency)
    exact_discount = subtotal * discount_rate / _HUNDRED
    discount_amount = quantize(exact_discount, currency)
    net = subtotal - discount_amount

    groups: dict[Decimal, Decimal] = {}
    for line, amount in zip(lines, line_nets, strict=True):
        rate = _canonical_rate(line.tax_rate)
        groups[rate] = groups.get(rate, zero) + amount
    rates = sorted(groups)

    def minor(value: Decimal) -> int:
        return int(value / unit)

    shares = _allocate(minor(discount_amount), [(minor(groups[r]), r) for r in rates])
    taxes: list[TaxGroup] = []
    for rate, share_minor in zip(rates, shares, strict=True):
        share = quantize(Decimal(share_minor) * unit, currency)
        base = groups[rate] - share
        exact_tax = base * rate / _HUNDRED
        taxes.append(
            TaxGroup(
                rate=rate,
                base=base,
                tax=quantize(exact_tax, currency),
                net=groups[rate],
                discount=share,
            )
        )
    tax_total = quantize(sum((g.tax for g in taxes), zero), currency)
    return Totals(
        currency=currency,
        line_nets=line_nets,
        subtotal=subtotal,
        document_discount=discount_rate,
        document_discount_amount=discount_amount,
        net=net,
        taxes=tuple(taxes),
        tax_total=tax_total,
        total=net + tax_total,
    )


def check_printable(totals: Totals) -> Totals:
    """``totals`` if a document can print them; else refused with the limit named.

    Checked before a draft is saved and before a number is taken for it, so that no number is
    ever used up by a document that cannot be rendered.
    """
    largest = max(totals.subtotal, totals.total)
    if largest > TOTAL_MAX:
        raise ValidationError(
            "total",
            f"expected a document total of at most {TOTAL_MAX:,} {totals.currency}, got "
            f"{largest:,}; split the offer or check the quantities and prices",
        )
    return totals
