"""The base of every record: validated on construction, immutable, JSON round-trip.

Records are pydantic models because validation with field-named messages and a faithful
JSON round-trip (Decimal as text, aware datetimes as ISO 8601) is exactly what pydantic
is made for. Its own error text is turned into one line that names the field and says
what was expected, so the CLI and the TUI can show it as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import pydantic
from pydantic import BaseModel, ConfigDict

from accmgr.domain.limits import NOTE_MAX_CHARS
from accmgr.errors import ValidationError

# Pydantic's error types, said the way a user reads them. Anything missing falls back to
# pydantic's own message, which is still one line.
_EXPECTED: dict[str, str] = {
    "missing": "is required",
    "string_too_short": "expected non-empty text",
    "string_type": "expected text",
    "string_pattern_mismatch": "expected the form {pattern}",
    "string_too_long": "expected at most {max_length} characters",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "decimal_parsing": "expected a number",
    "decimal_type": "expected a number",
    "decimal_max_places": "expected at most {decimal_places} decimal places",
    "greater_than": "expected a number greater than {gt}",
    "greater_than_equal": "expected a number of at least {ge}",
    "less_than_equal": "expected a number of at most {le}",
    "less_than": "expected a number less than {lt}",
    "enum": "expected one of {expected}",
    "literal_error": "expected one of {expected}",
    "bool_parsing": "expected yes or no",
    "date_parsing": "expected a date such as 2026-12-03",
    "date_from_datetime_parsing": "expected a date such as 2026-12-03",
    "datetime_parsing": "expected a date and time such as 2026-12-03T14:30:00+01:00",
    "datetime_from_date_parsing": "expected a date and time such as 2026-12-03T14:30:00+01:00",
    "timezone_aware": "expected a date and time with its time zone",
    "extra_forbidden": "is not a known field",
    "frozen_instance": "cannot be changed in place",
}


def _describe(error: Mapping[str, Any]) -> tuple[str, str]:
    loc = ".".join(str(part) for part in error.get("loc", ()) if part != "__root__")
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    template = _EXPECTED.get(kind)
    if kind == "value_error" and "error" in ctx:
        # Our own validators raise ValueError with a finished sentence.
        message = str(ctx["error"])
    elif template is not None:
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = template
    else:
        message = str(error.get("msg", "is not valid"))
    if kind == "string_too_long" and isinstance(error.get("input"), str):
        message += f", got {len(error['input'])}"
    elif "input" in error and kind not in {"missing", "extra_forbidden"}:
        shown = error["input"]
        if isinstance(shown, str | int | float) and len(repr(shown)) <= 60:
            message += f", got {shown!r}"
    return loc, message


def domain_error(model: type[BaseModel], exc: pydantic.ValidationError) -> ValidationError:
    """The first problem of a pydantic error as one clear line naming the field."""
    errors = exc.errors(include_url=False)
    loc, message = _describe(errors[0])
    name = _record_name(model)
    field = f"{name}.{loc}" if loc else name
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return ValidationError(field, message + (more if len(errors) > 1 else ""))


def _record_name(model: type[BaseModel]) -> str:
    name = model.__name__
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


class Record(BaseModel):
    """A value of the domain: immutable, validated, serialisable."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        validate_default=True,
        use_enum_values=False,
        # No text field is unbounded: those without their own limit take the one of a note.
        str_max_length=NOTE_MAX_CHARS,
    )

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise domain_error(type(self), exc) from None

    # Tell pydantic this __init__ only wraps its own: nested records are then validated in
    # pydantic-core without a Python call each (13x fewer calls when loading a deal).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from stored or imported data, validating every field."""
        try:
            return cls.model_validate(data)
        except pydantic.ValidationError as exc:
            raise domain_error(cls, exc) from None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: Decimal as text, dates and datetimes as ISO 8601."""
        return self.model_dump(mode="json")

    def evolve(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied and validated like a new record."""
        data = self.model_dump()
        data.update(changes)
        try:
            return type(self).model_validate(data)
        except pydantic.ValidationError as exc:
            raise domain_error(type(self), exc) from None


class StoredRecord(Record):
    """A record that lives in its own table: a stable id and the store's revision."""

    id: str = pydantic.Field(pattern=r"^[A-Z]+-\d{4,}$")
    # Set by the store on every write; used to refuse a write based on a stale read.
    rev: int = pydantic.Field(default=0, ge=0)
