"""Small validated types shared by several records."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field

from accmgr.domain.limits import NAME_MAX_CHARS, NOTE_MAX_CHARS, TOTAL_MAX
from accmgr.domain.text import MULTILINE

# Non-empty, trimmed text (the base model strips whitespace before the length check).
# Long text is written over several lines; short text is one line (see domain/text.py).
Text = Annotated[str, Field(min_length=1, max_length=NOTE_MAX_CHARS), MULTILINE]
ShortText = Annotated[str, Field(min_length=1, max_length=NAME_MAX_CHARS)]
Percent = Annotated[Decimal, Field(ge=0, le=100)]
Amount = Annotated[Decimal, Field(ge=0, le=TOTAL_MAX, allow_inf_nan=False)]
Moment = AwareDatetime
# An all-day item is a date; an appointment is an aware datetime.
When = AwareDatetime | date

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID = re.compile(r"^[A-Z]+-\d{4,}$")


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"expected an e-mail address such as anna@example.com, got {value!r}")
    return value.lower()


def _currency(value: str) -> str:
    # Imported here: money pulls in Babel's currency data, which start-up does not need.
    from accmgr.domain.money import check_currency

    return check_currency(value)


@cache
def _territories() -> frozenset[str]:
    from babel import Locale

    return frozenset(
        code for code in Locale("en").territories if isinstance(code, str) and len(code) == 2
    )


def _country(value: str) -> str:
    code = value.upper()
    if code not in _territories():
        raise ValueError(f"expected a two-letter country code such as PT, LT or PL, got {value!r}")
    return code


def _language(value: str) -> str:
    from babel import localedata

    code = value.lower().replace("-", "_")
    if not re.fullmatch(r"[a-z]{2,3}", code) or not localedata.exists(code):
        raise ValueError(
            f"expected a language code such as en, pt, lt, ru, pl or hu, got {value!r}"
        )
    return code


def _record_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"expected a record id such as C-0042, got {value!r}")
    return value


Email = Annotated[str, AfterValidator(_email)]
CurrencyCode = Annotated[str, AfterValidator(_currency)]
CountryCode = Annotated[str, AfterValidator(_country)]
LanguageCode = Annotated[str, AfterValidator(_language)]
RecordId = Annotated[str, AfterValidator(_record_id)]

# The document languages every template and text is written in.
DOCUMENT_LANGUAGES = ("en", "pt", "lt", "ru", "pl", "hu")


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


def as_date(value: date | datetime) -> date:
    """The calendar day of an all-day item or an appointment (in its own time zone)."""
    return value.date() if isinstance(value, datetime) else value
