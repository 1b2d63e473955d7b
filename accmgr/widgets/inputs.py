"""Inputs that read what people type — dates and amounts — and say what they understood.

Both are plain :class:`textual.widgets.Input` subclasses, so they work anywhere an Input
does (``Input.Changed``/``Input.Submitted``, ``-invalid`` styling, ``validate_on``). What they
add is small:

``parsed``
    The value understood from the text (``date`` / ``Decimal``), or ``None`` when the text is
    empty or not understood.
``problem``
    Why the text was refused (one line from the domain's parser), or ``None``.
``feedback``
    What to show the user next to the field: the parsed value as read back
    (``Thu 3 Dec 2026``, ``1 234.50 EUR``) or the problem. It is also shown in the input's
    bottom border, so the inputs explain themselves outside a form too;
    :class:`accmgr.widgets.form.FormScreen` shows it beside the field.

Both take ``required``: an empty required input is invalid ("required"); an empty optional
one is valid with ``parsed = None``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from textual.validation import ValidationResult, Validator
from textual.widgets import Input

from accmgr.domain.dates import parse_date, parse_datetime
from accmgr.domain.money import check_currency, parse_amount
from accmgr.errors import ValidationError

T = TypeVar("T")


class _Parsing(Validator):
    def __init__(self, owner: ParsedInput[Any]) -> None:
        super().__init__()
        self._owner = owner

    def validate(self, value: str) -> ValidationResult:
        problem = self._owner._read(value)
        return self.success() if problem is None else self.failure(problem)


class ParsedInput(Input, Generic[T]):
    """An Input whose text is parsed on every change; the base of DateInput and MoneyInput."""

    DEFAULT_CSS = """
    ParsedInput { border-subtitle-color: $text-muted; border-subtitle-align: right; }
    ParsedInput.-invalid { border-subtitle-color: $text-error; }
    """

    def __init__(self, value: str = "", *, required: bool = False, **kwargs: Any) -> None:
        self.required = required
        self.parsed: T | None = None
        self.problem: str | None = None
        self.feedback = ""
        kwargs.setdefault("validate_on", ["changed", "submitted", "blur"])
        super().__init__(value, validators=[_Parsing(self)], **kwargs)

    def parse(self, text: str) -> T:
        """Turn the text into a value or raise the domain's ValidationError."""
        raise NotImplementedError

    def describe(self, value: T) -> str:
        """The value as read back to the user."""
        return str(value)

    def _read(self, text: str) -> str | None:
        self.parsed, self.problem, self.feedback = None, None, ""
        if not text.strip():
            if self.required:
                self.problem = self.feedback = "required"
        else:
            try:
                self.parsed = self.parse(text)
            except ValidationError as exc:
                self.problem = self.feedback = exc.detail
            else:
                self.feedback = self.describe(self.parsed)
        self.border_subtitle = self.feedback
        return self.problem

    def on_mount(self) -> None:
        # Read the initial value so that ``parsed`` is right before the first keystroke.
        self._read(self.value)


class DateInput(ParsedInput[date]):
    """A date as people type it: ``2026-12-03``, ``3 Dec``, ``+3d``, ``next fri``, ``end of month``.

    ``today`` is a callable (the workspace's clock) so relative forms count from the real day.
    """

    def __init__(
        self,
        value: str = "",
        *,
        today: Callable[[], date],
        locale: str = "en_GB",
        required: bool = False,
        **kwargs: Any,
    ) -> None:
        self._today = today
        self._locale = locale
        kwargs.setdefault("placeholder", "2026-12-03, 3 Dec, +3d, next fri")
        super().__init__(value, required=required, **kwargs)

    def parse(self, text: str) -> date:
        return parse_date(text, today=self._today(), locale=self._locale)

    def describe(self, value: date) -> str:
        return value.strftime("%a %-d %b %Y")


class MomentInput(ParsedInput[date | datetime]):
    """A date with a time as people type it (``tomorrow 14:30``, ``3 Dec 9:15``, ``now``).

    A meeting and a call need the time too; a bare date is refused, asking for the time.
    """

    def __init__(
        self, value: str = "", *, now: Callable[[], datetime], locale: str, **kwargs: Any
    ) -> None:
        self._now = now
        self._locale = locale
        kwargs.setdefault("placeholder", "tomorrow 14:30, 3 Dec 9:15, now")
        super().__init__(value, **kwargs)

    def parse(self, text: str) -> date | datetime:
        value = parse_datetime(text, now=self._now(), locale=self._locale, field=self.id or "when")
        if not isinstance(value, datetime):
            raise ValidationError(self.id or "when", "expected a time too, such as 14:30")
        return value

    def describe(self, value: date | datetime) -> str:
        return value.strftime("%a %-d %b %Y %H:%M")


class MoneyInput(ParsedInput[Decimal]):
    """An amount as people type it (``1 234,50``, ``1,234.50``), never guessed when ambiguous.

    ``currency`` (changeable with :meth:`set_currency`) limits the decimal places and is shown
    in the read-back; the currency itself is chosen in its own field.
    """

    def __init__(
        self,
        value: str = "",
        *,
        currency: str | None = None,
        required: bool = False,
        **kwargs: Any,
    ) -> None:
        self.currency = currency
        kwargs.setdefault("placeholder", "1 234.50")
        super().__init__(value, required=required, **kwargs)

    def set_currency(self, currency: str | None) -> None:
        """Read the text again for another currency (None or an unknown code: no limit)."""
        try:
            self.currency = check_currency(currency) if currency else None
        except ValidationError:
            self.currency = None
        self.validate(self.value)

    def parse(self, text: str) -> Decimal:
        return parse_amount(text, "amount", currency=self.currency)

    def describe(self, value: Decimal) -> str:
        figure = f"{value:,f}".replace(",", " ")
        return f"{figure} {self.currency}" if self.currency else figure
