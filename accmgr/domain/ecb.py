"""The European Central Bank's euro foreign-exchange reference rates, as it publishes them.

Two layouts of one CSV shape, both from https://www.ecb.europa.eu (eurofxref):

- the daily file ``eurofxref.csv``: ``Date, USD, JPY, …,`` then one row such as
  ``04 December 2026, 1.0543, 158.12, …,`` (a space after each comma, a trailing comma);
- the historical file ``eurofxref-hist.csv``: ``Date,USD,JPY,…,`` then one row per working day
  with ISO dates (``2026-12-04``) and ``N/A`` where a currency had no rate that day.

Every figure is 1 EUR in that currency. A file is read whole or refused: the first problem is
reported with its line and column, so a half-read file never becomes half the rates.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accmgr.domain.exchange import PIVOT, ExchangeRate, check_rate
from accmgr.domain.money import check_currency
from accmgr.errors import ValidationError

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december",
        ),
        start=1,
    )
}  # fmt: skip
_DAILY_DATE = re.compile(r"(\d{1,2}) ([A-Za-z]+) (\d{4})")
_NO_RATE = {"N/A", ""}
_RATE = re.compile(r"\d{1,9}(\.\d{1,10})?")


@dataclass(frozen=True)
class RatesFile:
    """What a file holds: its rates (EUR → X) and the days they are for."""

    rates: tuple[ExchangeRate, ...]
    days: tuple[date, ...]
    currencies: tuple[str, ...]


def _where(line: int, column: int | None = None, name: str = "") -> str:
    if column is None:
        return f"line {line}"
    return f"line {line}, column {column}" + (f" ({name})" if name else "")


def _header(cells: list[str]) -> list[str]:
    cells = [cell.strip() for cell in cells]
    if cells and cells[-1] == "":
        cells = cells[:-1]  # the ECB ends every line with a comma
    if not cells or cells[0].lstrip("\ufeff").lower() != "date":
        got = cells[0] if cells else ""
        raise ValidationError(
            _where(1, 1),
            f"expected the ECB reference-rates header starting with Date, got {got!r}",
        )
    codes: list[str] = []
    for column, cell in enumerate(cells[1:], start=2):
        try:
            code = check_currency(cell, "currency")
        except ValidationError:
            raise ValidationError(
                _where(1, column), f"expected a currency code such as USD, got {cell!r}"
            ) from None
        if code == PIVOT:
            raise ValidationError(_where(1, column), "EUR is the base of every rate, not a column")
        if code in codes:
            raise ValidationError(_where(1, column), f"{code} is a column twice")
        codes.append(code)
    if not codes:
        raise ValidationError(_where(1), "expected at least one currency column after Date")
    return codes


def _day(text: str, line: int) -> date:
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = _DAILY_DATE.fullmatch(text)
        if match and match.group(2).lower() in _MONTHS:
            return date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    except ValueError:
        pass
    raise ValidationError(
        _where(line, 1, "Date"),
        f"expected a date such as 2026-12-04 or 04 December 2026, got {text!r}",
    )


def _rate(text: str, line: int, column: int, code: str) -> Decimal | None:
    text = text.strip()
    if text in _NO_RATE:
        return None
    if not _RATE.fullmatch(text):
        where = _where(line, column, code)
        raise ValidationError(where, f"expected a rate such as 1.0543 or N/A, got {text!r}")
    value = Decimal(text)  # the pattern admits only numbers within check_rate's bounds
    return value if value else check_rate(value, _where(line, column, code))


def read_ecb_csv(text: str) -> RatesFile:
    """The rates of an ECB reference-rates CSV (daily or historical); ValidationError names the
    line and column of the first problem."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        codes = _header(next(reader))
    except StopIteration:
        raise ValidationError(_where(1), "the file is empty; expected the ECB header") from None
    except csv.Error as exc:
        raise ValidationError(_where(1), f"not CSV ({exc})") from None
    rates: list[ExchangeRate] = []
    days: dict[date, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if cells[-1].strip() == "":
                cells = cells[:-1]  # the trailing comma
            if len(cells) != len(codes) + 1:
                raise ValidationError(
                    _where(line),
                    f"expected {len(codes) + 1} values (the date and {len(codes)} rates), "
                    f"got {len(cells)}",
                )
            day = _day(cells[0], line)
            if day in days:
                raise ValidationError(
                    _where(line, 1, "Date"),
                    f"{day.isoformat()} is already on line {days[day]}",
                )
            days[day] = line
            for column, (code, cell) in enumerate(zip(codes, cells[1:], strict=True), start=2):
                value = _rate(cell, line, column, code)
                if value is not None:
                    rates.append(ExchangeRate.checked_already(PIVOT, code, value, day))
    except csv.Error as exc:
        raise ValidationError(_where(reader.line_num), f"not CSV ({exc})") from None
    if not days:
        raise ValidationError(_where(2), "expected at least one row of rates after the header")
    return RatesFile(tuple(rates), tuple(sorted(days)), tuple(codes))
