"""The product catalog, and the price list a supplier sends as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import Field

from accmgr.domain.base import StoredRecord
from accmgr.domain.common import Amount, CurrencyCode, Percent, ShortText
from accmgr.domain.limits import PRICE_MAX, at_most
from accmgr.domain.money import (
    check_currency,
    minor_units,
    parse_amount,
    parse_percent,
    quantize,
)
from accmgr.domain.text import MultilineText
from accmgr.errors import ValidationError


class Product(StoredRecord):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
    name: ShortText
    description: MultilineText = ""
    unit: str = Field(default="pc", min_length=1, max_length=20)
    unit_price: Amount = Field(le=PRICE_MAX)
    currency: CurrencyCode
    tax_rate: Percent
    active: bool = True


def code_key(code: str) -> str:
    """Codes are unique regardless of case: ``box-40`` and ``BOX-40`` are one product."""
    return code.strip().casefold()


def check_price(amount: Decimal, currency: str, field: str = "price") -> Decimal:
    """``amount`` if it has no more decimals than ``currency`` has minor digits; else refused.

    A price is never rounded silently: 12.505 EUR is a typo or a unit question, not 12.51.
    """
    at_most(amount, PRICE_MAX, field, "price")
    if amount != quantize(amount, currency):
        places = minor_units(currency)
        raise ValidationError(
            field,
            f"expected at most {places} decimal place{'s' if places != 1 else ''} for "
            f"{check_currency(currency)}, got {amount}",
        )
    return amount


# --- the CSV price list ----------------------------------------------------------------------

REQUIRED_COLUMNS = ("code", "name", "unit", "unit_price", "currency", "tax_rate")
OPTIONAL_COLUMNS = ("description", "active")
_YES = {"", "1", "yes", "y", "true", "active"}
_NO = {"0", "no", "n", "false", "inactive"}


@dataclass(frozen=True)
class PriceRow:
    """One data row, read and checked: ``fields`` are ready for :class:`Product`."""

    row: int
    fields: Mapping[str, Any]

    @property
    def code(self) -> str:
        return str(self.fields["code"])


@dataclass(frozen=True)
class RowRefusal:
    row: int
    code: str
    field: str
    message: str


def _columns(header: list[str]) -> list[str]:
    names = [name.strip().lower() for name in header]
    expected = (
        f"expected the columns {','.join(REQUIRED_COLUMNS)} "
        f"and optionally {' and '.join(OPTIONAL_COLUMNS)}"
    )
    unknown = [n for n in names if n not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    twice = sorted({n for n in names if names.count(n) > 1})
    if unknown or missing or twice:
        problems = []
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unknown:
            problems.append("unknown " + ", ".join(repr(n) for n in unknown))
        if twice:
            problems.append("repeated " + ", ".join(twice))
        raise ValidationError("header", f"{expected}; {'; '.join(problems)}")
    return names


def _delimiter(first_line: str) -> str:
    # Spreadsheets set to a decimal comma save with semicolons.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _read_row(values: Mapping[str, str]) -> dict[str, Any]:
    """The fields of one row; a ValidationError names the column that is wrong."""
    currency = check_currency(values["currency"], "currency")
    active_text = values.get("active", "").strip().lower()
    if active_text not in _YES | _NO:
        raise ValidationError("active", f"expected yes or no, got {values['active']!r}")
    fields: dict[str, Any] = {
        "code": values["code"].strip(),
        "name": values["name"].strip(),
        "unit": values["unit"].strip() or "pc",
        "unit_price": parse_amount(values["unit_price"], "unit_price", currency=currency),
        "currency": currency,
        "tax_rate": parse_percent(values["tax_rate"], "tax_rate"),
        "active": active_text in _YES,
    }
    if not fields["code"]:
        raise ValidationError("code", "expected a product code such as BOX-40, got nothing")
    if not fields["name"]:
        raise ValidationError("name", "expected the product's name, got nothing")
    if "description" in values:
        fields["description"] = values["description"].strip()
    return fields


def _next_row(reader: Iterator[list[str]], number: int) -> list[str] | None:
    """The next row's cells, None at the end; a row csv cannot read refuses the whole file
    (after a field longer than the csv module's limit, nothing that follows can be trusted)."""
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        raise ValidationError(
            f"row {number}",
            f"expected a CSV row with fields of at most {csv.field_size_limit()} characters "
            f"({exc}); is this a price list?",
        ) from None


def read_price_list(text: str) -> tuple[list[PriceRow], list[RowRefusal]]:
    """Rows of a price list, checked one by one; a wrong header refuses the whole file.

    Rows are numbered as a spreadsheet shows them: the header is row 1. Blank rows are skipped.
    """
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise ValidationError("header", f"expected the columns {','.join(REQUIRED_COLUMNS)} first")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    names = _columns(_next_row(reader, 1) or [])
    rows: list[PriceRow] = []
    refused: list[RowRefusal] = []
    number = 1
    while (cells := _next_row(reader, number := number + 1)) is not None:
        if not any(cell.strip() for cell in cells):
            continue
        code = cells[0].strip() if cells else ""
        if len(cells) != len(names):
            refused.append(
                RowRefusal(number, code, "row", f"expected {len(names)} values, got {len(cells)}")
            )
            continue
        values = dict(zip(names, cells, strict=True))
        code = values["code"].strip()
        try:
            rows.append(PriceRow(number, _read_row(values)))
        except ValidationError as exc:
            refused.append(RowRefusal(number, code, exc.field, exc.detail))
    return rows, refused
