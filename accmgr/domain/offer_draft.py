"""An offer being edited: the text the user has typed, read and totalled on every keystroke.

The offer editor shows totals *before* anything is saved, so it needs the offer's arithmetic
on pending values. This module holds those pending values as text, parses each field with
the same parsers the CLI uses, and totals the lines with :func:`compute_totals`, so the
figures on screen are the figures ``offer show --json`` prints after saving.

Each line keeps its parsed :class:`LineInput` (or its problems) and is re-read only when one
of its own fields changes: with 200 lines, a keystroke costs one line's parsing plus one
total, never a re-read of every line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from accmgr.domain.catalog import Product, check_price
from accmgr.domain.document import DocumentLine, money_text, number_text
from accmgr.domain.limits import QUANTITY_MAX, at_most
from accmgr.domain.money import (
    LineInput,
    Totals,
    check_currency,
    compute_totals,
    parse_amount,
    parse_percent,
)
from accmgr.errors import ValidationError

LINE_FIELDS = ("quantity", "unit_price", "discount")
FIELD_LABELS = {"quantity": "quantity", "unit_price": "unit price", "discount": "discount"}


def read_quantity(text: str) -> Decimal:
    value = parse_amount(text, "quantity", allow_negative=True)
    if value <= 0:
        raise ValidationError("quantity", f"expected a quantity greater than 0, got {text!r}")
    return at_most(value, QUANTITY_MAX, "quantity", "quantity")


def read_price(text: str, currency: str) -> Decimal:
    return check_price(parse_amount(text, "unit price"), currency, "unit price")


def read_discount(text: str, field_name: str = "discount") -> Decimal:
    return parse_percent(text.strip() or "0", field_name)


@dataclass
class PendingLine:
    """One line as typed. ``problems`` maps a field of :data:`LINE_FIELDS` to why it is
    refused; ``parsed`` is the line's arithmetic input when it has no problem."""

    product_code: str
    description: str
    unit: str
    tax_rate: Decimal
    currency: str
    quantity: str = "1"
    unit_price: str = "0"
    discount: str = "0"
    problems: dict[str, str] = field(default_factory=dict)
    parsed: LineInput | None = None

    def __post_init__(self) -> None:
        self.read()

    @classmethod
    def of_product(cls, product: Product, currency: str) -> PendingLine:
        return cls(
            product_code=product.code,
            description=product.name,
            unit=product.unit,
            tax_rate=product.tax_rate,
            currency=currency,
            unit_price=money_text(product.unit_price, currency),
        )

    @classmethod
    def of_line(cls, line: DocumentLine, currency: str) -> PendingLine:
        return cls(
            product_code=line.product_code,
            description=line.description,
            unit=line.unit,
            tax_rate=line.tax_rate,
            currency=currency,
            quantity=number_text(line.quantity),
            unit_price=money_text(line.unit_price, currency),
            discount=number_text(line.discount),
        )

    def set(self, name: str, text: str) -> None:
        """Change one field's text and read the line again."""
        if name not in LINE_FIELDS:
            raise KeyError(name)
        setattr(self, name, text)
        self.read()

    def read(self) -> None:
        problems: dict[str, str] = {}
        values: dict[str, Decimal] = {}
        readers: dict[str, Callable[[str], Decimal]] = {
            "quantity": read_quantity,
            "unit_price": lambda text: read_price(text, self.currency),
            "discount": read_discount,
        }
        for name, reader in readers.items():
            try:
                values[name] = reader(getattr(self, name))
            except ValidationError as exc:
                problems[name] = exc.detail
        parsed = None
        if not problems:
            try:
                parsed = LineInput(
                    values["quantity"], values["unit_price"], values["discount"], self.tax_rate
                )
            except ValidationError as exc:
                # LineInput's own bounds (decimal places, digits): name the field it names.
                name = next(
                    (n for n in LINE_FIELDS if exc.field.endswith(FIELD_LABELS[n])), "quantity"
                )
                problems[name] = exc.detail
        self.problems, self.parsed = problems, parsed

    def to_document_line(self) -> DocumentLine:
        if self.parsed is None:
            raise ValidationError(*self.first_problem(0))
        return DocumentLine(
            product_code=self.product_code,
            description=self.description,
            quantity=self.parsed.quantity,
            unit=self.unit,
            unit_price=self.parsed.unit_price,
            discount=self.parsed.discount,
            tax_rate=self.tax_rate,
        )

    def first_problem(self, index: int) -> tuple[str, str]:
        name = next(n for n in LINE_FIELDS if n in self.problems)
        return f"line {index + 1}: {FIELD_LABELS[name]}", self.problems[name]


@dataclass
class DraftTerms:
    """The document's own fields as typed; ``problems`` maps a field name to why."""

    currency: str
    document_discount: str = "0"
    valid_until: date | None = None
    payment_terms: str = ""
    special_terms: str = ""
    referral_clause: bool = False


@dataclass
class DraftTotals:
    """The totals of the pending values, or why there are none yet."""

    totals: Totals | None
    problem: str = ""


def check_terms(terms: DraftTerms, lines: Sequence[PendingLine], today: date) -> dict[str, str]:
    """Why each document field cannot be saved (empty when all can)."""
    problems: dict[str, str] = {}
    try:
        currency = check_currency(terms.currency)
    except ValidationError as exc:
        problems["currency"] = exc.detail
    else:
        others = sorted({line.currency for line in lines} - {currency})
        if others:
            problems["currency"] = (
                f"expected {others[0]}: the lines are priced in {others[0]}; one currency per "
                "document (remove the lines to change it)"
            )
    try:
        read_discount(terms.document_discount, "document discount")
    except ValidationError as exc:
        problems["document_discount"] = exc.detail
    if terms.valid_until is not None and terms.valid_until < today:
        problems["valid_until"] = (
            f"expected today or a later date, got {terms.valid_until.isoformat()}"
        )
    return problems


def draft_totals(terms: DraftTerms, lines: Iterable[PendingLine]) -> DraftTotals:
    """Totals of the lines as typed, with the document discount as typed."""
    inputs: list[LineInput] = []
    for index, line in enumerate(lines):
        if line.parsed is None:
            where, why = line.first_problem(index)
            return DraftTotals(None, f"{where}: {why}")
        inputs.append(line.parsed)
    try:
        discount = read_discount(terms.document_discount, "document discount")
        return DraftTotals(compute_totals(inputs, terms.currency, discount))
    except ValidationError as exc:
        return DraftTotals(None, str(exc))
