"""The base of every record: validated on construction, immutable, JSON round-trip.

Records are pydantic models because validation with field-named messages and a faithful
JSON round-trip (Decimal as text, aware datetimes as ISO 8601) is exactly what pydantic
is made for. Its own error text is turned into one line that names the field and says
what was expected, so the CLI and the TUI can show it as is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Self, get_args

import pydantic
from pydantic import BaseModel, ConfigDict

from accmgr.domain.limits import NOTE_MAX_CHARS
from accmgr.domain.text import Multiline, control_character_problem, has_line_break, has_unsafe
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
        # Our own validators raise ValueError with a finished sentence; a ValidationError
        # already names its field, which the location names too.
        cause = ctx["error"]
        message = cause.detail if isinstance(cause, ValidationError) else str(cause)
    elif template is not None:
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = template
    else:
        message = str(error.get("msg", "is not valid"))
    # A finished sentence that already quotes what was typed is not told twice.
    if kind == "string_too_long" and isinstance(error.get("input"), str):
        message += f", got {len(error['input'])}"
    elif (
        "input" in error and kind not in {"missing", "extra_forbidden"} and ", got " not in message
    ):
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


def _holds_text(annotation: Any) -> bool:
    return annotation is str or any(_holds_text(arg) for arg in get_args(annotation))


@cache
def _text_fields(model: type[BaseModel]) -> dict[str, bool]:
    """The fields that can hold text, each with whether it is multi-line."""
    return {
        name: any(isinstance(mark, Multiline) for mark in info.metadata)
        for name, info in model.model_fields.items()
        if _holds_text(info.annotation)
    }


def refuse_control_characters(record: BaseModel, names: Iterable[str]) -> None:
    """Refuse new text that could drive a terminal (see domain/text.py), naming the field.

    Only the record's own text is looked at: nested records check theirs when they are
    built, and text loaded from the store is never refused (it is shown escaped instead),
    so old data does not block work on the rest of a record.
    """
    fields = _text_fields(type(record))
    values = record.__dict__
    one_line: list[str] = []
    multi_line: list[str] = []
    for name in names:
        if name in fields:
            value = values[name]
            texts = multi_line if fields[name] else one_line
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, tuple):
                texts.extend(item for item in value if isinstance(item, str))
    # The usual case, clean text, costs two searches; only a hit looks for the field.
    if not has_unsafe("".join(multi_line)) and not has_line_break("".join(one_line)):
        return
    for name in names:
        if name not in fields:
            continue
        value = values[name]
        items = value if isinstance(value, tuple) else (value,)
        for position, item in enumerate(items):
            if not isinstance(item, str):
                continue
            problem = control_character_problem(item, multiline=fields[name])
            if problem is not None:
                where = f"{name}.{position}" if isinstance(value, tuple) else name
                raise ValidationError(f"{_record_name(type(record))}.{where}", problem)


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
        refuse_control_characters(self, type(self).model_fields)

    # Tell pydantic this __init__ only wraps its own: nested records are then validated in
    # pydantic-core without a Python call each (13x fewer calls when loading a deal).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from stored data, validating every field.

        Text holding control characters is accepted here (stored before the rule, or edited by
        hand) and shown escaped; new text comes through the constructor or :meth:`evolve`.
        """
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
            changed = type(self).model_validate(data)
        except pydantic.ValidationError as exc:
            raise domain_error(type(self), exc) from None
        refuse_control_characters(changed, changes)
        return changed


class StoredRecord(Record):
    """A record that lives in its own table: a stable id and the store's revision."""

    id: str = pydantic.Field(pattern=r"^[A-Z]+-\d{4,}$")
    # Set by the store on every write; used to refuse a write based on a stale read.
    rev: int = pydantic.Field(default=0, ge=0)
