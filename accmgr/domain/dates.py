"""Dates as people type them, and the ISO 8601 storage form.

What :func:`parse_date` reads (case-insensitive, surrounding spaces ignored):

- ISO ``2026-12-03`` and any numeric date ``03.12.2026``, ``3/12/2026``, ``03-12-26``,
  ``3.12`` in the day/month order of the locale (from Babel's short date pattern: en_US is
  month first, en_GB/pt_PT/pl_PL/ru_RU day first, lt_LT/hu_HU year first). A four-digit first
  number is always year-month-day (``2026.12.03``). A two-digit year is the one within 50 years
  of today. A numeric date that does not fit the locale's order (``13/03/2026`` in en_US) is
  refused, never swapped.
- month names, in English or in the locale's language: ``3 Dec``, ``Dec 3``, ``3 December
  2026``, ``December 3rd, 2026``, ``3 grudnia 2026``;
- ``today``, ``tomorrow``, ``yesterday``; ``+3d``, ``+2w``, ``+1m``, ``+1y``, ``-2d``,
  ``in 3 days``, ``2 weeks ago`` (calendar arithmetic: 31 Jan + 1m is the last day of February);
- weekday names: ``fri`` and ``next fri`` both mean the first Friday strictly after today (so a
  weekday name never means today — type ``today`` for that); ``this fri`` is today if today is a
  Friday, else the coming one; ``last fri`` the latest Friday strictly before today;
- ``end of month`` / ``eom``, ``end of next month``, ``start of next month``, ``start of
  month``, ``end of year`` / ``eoy``.

A date typed without a year is in the current year, even if that day has passed (no guessing
of "the next 3 January"). Anything not fully understood is refused with a message that says
what was understood and what was not.

The calendar forms are read by ``dateutil.parser`` with a ``parserinfo`` per locale (Babel's
month and weekday names, the locale's day/month order). dateutil guesses where it cannot tell —
it swaps day and month when one is above 12, fills a missing day or month from a default, skips
words it does not know — so its reading is checked before it is used: a skipped word, a number
it did not use, a missing day or month, a day/month order the locale does not write, a two-digit
year after a month name, an impossible date or a wrong weekday is refused, never guessed.
The relative forms are keywords and ``relativedelta``; recurrences are in
:mod:`accmgr.domain.recurrence`.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any

from dateutil.parser import parser, parserinfo
from dateutil.relativedelta import relativedelta

from accmgr.errors import ValidationError

_MONTH_NAMES = [calendar.month_name[i] for i in range(13)]
_DAY_NAMES = list(calendar.day_name)

# --- locales ---------------------------------------------------------------------------------


@cache
def _babel_locale(locale: str) -> Any:
    # Imported here: Babel's locale data is large and start-up does not need it.
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationError(
            "locale", f"expected a locale such as en_GB or pl_PL, got {locale!r}"
        ) from None


@cache
def _short_pattern(locale: str) -> str:
    return str(_babel_locale(locale).date_formats["short"].pattern)


@cache
def date_order(locale: str) -> str:
    """ "DMY", "MDY" or "YMD": the order of a numeric date in ``locale`` (from Babel)."""
    pattern = _short_pattern(locale)
    positions = {letter: pattern.find(letter) for letter in "yMd"}
    if any(p < 0 for p in positions.values()):
        return "DMY"
    ordered = sorted(positions, key=positions.__getitem__)
    return "".join({"y": "Y", "M": "M", "d": "D"}[c] for c in ordered)


def format_numeric(value: date, locale: str) -> str:
    """``value`` the way ``locale`` writes a numeric date, with a four-digit year.

    This is the form :func:`parse_date` reads back; the UI shows it as the expected format.
    """
    pattern = _short_pattern(locale)
    pattern = re.sub(r"y+", "yyyy", pattern)
    pattern = re.sub(r"M+", "MM", pattern)
    pattern = re.sub(r"d+", "dd", pattern)
    parts = {"yyyy": f"{value.year:04d}", "MM": f"{value.month:02d}", "dd": f"{value.day:02d}"}
    return re.sub(r"yyyy|MM|dd", lambda m: parts[m.group(0)], re.sub(r"'[^']*'", "", pattern))


def _hint(locale: str) -> str:
    numeric = format_numeric(date(2026, 12, 3), locale)
    forms = ["2026-12-03", "3 Dec"] + ([numeric] if numeric != "2026-12-03" else [])
    return f"try {', '.join(forms)}, today, +3d, next fri or end of month"


def _clean(word: str) -> str:
    return word.lower().strip(".")


@cache
def _vocabulary(locale: str) -> tuple[dict[str, int], dict[str, int]]:
    """Month names → 1..12 and weekday names → 0..6, in English and in ``locale``'s language."""
    months: dict[str, int] = {}
    for number in range(1, 13):
        name = _MONTH_NAMES[number].lower()
        months[name] = number
        months[name[:3]] = number
    months["sept"] = 9
    weekdays: dict[str, int] = {}
    for number, name in enumerate(_DAY_NAMES):
        weekdays[name.lower()] = number
        weekdays[name.lower()[:3]] = number
    weekdays.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
    babel = _babel_locale(locale)
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in babel.months[context][width].items():
                months[_clean(name)] = int(number)
            for number, name in babel.days[context][width].items():
                # Some locales abbreviate weekdays to one or two letters (hu "K", lt "an"),
                # which would collide with other words; only longer forms are taken.
                if len(_clean(name)) >= 3:
                    weekdays[_clean(name)] = int(number)
    return months, weekdays


# Words that carry no date in "3rd of December", "3 de dezembro", "2026 m. gruodžio 3 d.",
# "3 декабря 2026 г.", "3 grudnia 2026 r.".
_FILLERS = frozenset({"of", "the", "on", "de", "m", "d", "г", "года", "r"})
_KEYWORDS = (
    "today",
    "tomorrow",
    "yesterday",
    "next",
    "this",
    "last",
    "end of month",
    "eom",
    "start of next month",
    "end of next month",
    "end of year",
)


# --- calendar helpers ------------------------------------------------------------------------


def end_of_month(d: date) -> date:
    """The last day of ``d``'s month."""
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


_UNITS = {
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "wk": "weeks",
    "wks": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "m": "months",
    "mo": "months",
    "month": "months",
    "months": "months",
    "y": "years",
    "yr": "years",
    "yrs": "years",
    "year": "years",
    "years": "years",
}
_PERIOD = re.compile(r"([+-]?)\s*(\d{1,6})\s*([a-z]+)")


def _shift(d: date, sign: str, count: str, unit: str, text: str, field: str) -> date:
    n = int(count)
    delta = {
        "days": relativedelta(days=n),
        "weeks": relativedelta(weeks=n),
        "months": relativedelta(months=n),
        "years": relativedelta(years=n),
    }[_UNITS[unit]]
    try:
        result = d - delta if sign == "-" else d + delta
    except (OverflowError, ValueError):
        raise ValidationError(field, f"{text!r} is too far from {d.isoformat()}") from None
    if isinstance(result, datetime):
        return result.date()
    return result


def add_period(d: date, spec: str, field: str = "period") -> date:
    """``d`` moved by ``spec`` (``30d``, ``+2w``, ``-1m``, ``1y``, ``3 months``).

    Months and years are calendar steps (relativedelta): 31 Jan + 1m → 28 or 29 Feb.
    """
    match = _PERIOD.fullmatch(spec.strip().lower()) if isinstance(spec, str) else None
    if match is None or match.group(3) not in _UNITS:
        raise ValidationError(field, f"expected a period such as 30d, 2w, 1m or 1y, got {spec!r}")
    sign, count, unit = match.groups()
    return _shift(d, sign, count, unit, spec, field)


def _weekday_after(today: date, weekday: int, *, include_today: bool) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


# --- reading a calendar date: dateutil, checked ---------------------------------------------


_JUMP = frozenset({" ", ".", ",", ";", "-", "/", *_FILLERS})


class _LocaleInfo(parserinfo):
    """dateutil's vocabulary for one locale: its month and weekday names (Babel) and the English
    ones, its filler words, its day/month order, and two-digit years around ``year``.

    No hours, minutes or am/pm: a time is split off before a date is read, and the "m." of the
    Lithuanian "2026 m." marks a year, not 2026 minutes.
    """

    def __init__(self, locale: str, year: int) -> None:
        order = date_order(locale)
        super().__init__(dayfirst=order == "DMY", yearfirst=order == "YMD")
        self.months, self.weekdays = _vocabulary(locale)
        self.this_year = year

    def jump(self, name: str) -> bool:
        return name.lower() in _JUMP

    def month(self, name: str) -> int | None:
        return self.months.get(_clean(name))

    def weekday(self, name: str) -> int | None:
        return self.weekdays.get(_clean(name))

    def hms(self, name: str) -> int | None:
        return None

    def ampm(self, name: str) -> int | None:
        return None

    def pertain(self, name: str) -> bool:
        return False  # "Dec of 26" is not a year: after a month name a year has four digits

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        """A two-digit year is the one within 50 years of today (not of the computer's clock)."""
        if century_specified or year >= 100:
            return year
        full = self.this_year // 100 * 100 + year
        if full > self.this_year + 50:
            return full - 100
        return full + 100 if full <= self.this_year - 50 else full


@cache
def _parser_info(locale: str, year: int) -> _LocaleInfo:
    return _LocaleInfo(locale, year)


@dataclass
class _Reading:
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None

    def understood(self) -> str:
        parts = []
        if self.weekday is not None:
            parts.append(f"weekday {_DAY_NAMES[self.weekday]}")
        if self.day is not None:
            parts.append(f"day {self.day}")
        if self.month is not None:
            name = _MONTH_NAMES[self.month] if 1 <= self.month <= 12 else str(self.month)
            parts.append(f"month {name}")
        if self.year is not None:
            parts.append(f"year {self.year}")
        return ", ".join(parts) or "nothing"


_ORDER_WORDS = {"DMY": "day.month.year", "MDY": "month/day/year", "YMD": "year-month-day"}
_DECIMAL_MARK = re.compile(r"(?<=\d)[.,](?=\d)")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)(?![^\W\d_])", re.IGNORECASE)
_GLUED = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")


def _for_dateutil(source: str) -> str:
    """``source`` with what dateutil misreads taken out: it reads "3.12" and "12,2026" as decimal
    numbers, drops a number glued to a word ("2026Dec"), and fails on a trailing "Jan-"."""
    text = _ORDINAL.sub(" ", _DECIMAL_MARK.sub("/", source))  # "3rd" → "3"
    return _GLUED.sub(" ", text).rstrip(" .,;/-")


_PIECES = re.compile(r"\w+|[^\w\s]")


def _written_order(numbers: list[str], order: str) -> str:
    """The fields of an all-number date in the order the locale writes them ("" when not fixed
    by the locale: a year and one other number, or a year-first locale's date written year last).
    """
    if len(numbers) == 3:
        if len(numbers[0]) == 4:
            return "YMD"
        if order != "YMD" or len(numbers[2]) != 4:
            return order
    elif len(numbers) == 2 and all(len(n) <= 2 for n in numbers):
        return "DM" if order == "DMY" else "MD"
    return ""


def _read(
    source: str, locale: str, today: date, *, guessing: bool = False
) -> tuple[_Reading, list[str], str | None]:
    """dateutil's reading of ``source``, checked: the fields, what was not understood, and what
    is wrong with the rest (or None)."""
    info = _parser_info(locale, today.year)
    order = date_order(locale)
    numbers = re.findall(r"\d+", source)
    words = re.findall(r"[^\W\d_]+", source)
    named = any(info.month(word) is not None for word in words)
    # With dayfirst, dateutil reads 2026.12.03 as year-day-month; a four-digit year first is
    # always year-month-day.
    dayfirst = order == "DMY" and not (numbers and len(numbers[0]) == 4)
    # parser._parse is the first half of parser.parse: the fields as read, before a default
    # fills the gaps, so that a gap is refused rather than filled. (dateutil's stubs omit it.)
    found, skipped = parser(info)._parse(  # type: ignore[attr-defined]
        _for_dateutil(source), dayfirst=dayfirst, fuzzy_with_tokens=True
    )
    if found is None:  # not one date: more numbers or month names than a date has, "Jan-x"
        return _Reading(), [source], None
    unknown = [p for chunk in skipped for p in _PIECES.findall(chunk) if not info.jump(p)]
    unknown += [w for w in words if info.weekday(w) is not None][:-1]  # dateutil keeps the last
    reading = _Reading(weekday=found.weekday, month=found.month if named else None)
    problem = None
    written = "" if named else _written_order(numbers, order)
    rest = list(numbers)
    if written:
        values = dict(zip(written, map(int, numbers), strict=True))
        if "Y" in values:
            long_year = len(numbers[written.index("Y")]) > 2
            values["Y"] = info.convertyear(values["Y"], century_specified=long_year)
        if (values["D"], values["M"], values.get("Y")) != (found.day, found.month, found.year):
            # dateutil read it otherwise (it swaps day and month when one is above 12): the
            # locale's reading is shown and refused, never swapped.
            reading.day, reading.month, reading.year = values["D"], values["M"], values.get("Y")
            rest = []
            problem = f"{locale} writes {_ORDER_WORDS[order]}"
    elif not named and len(numbers) == 3 and len(numbers[2]) == 4:
        # A year-first locale written year last: only unambiguous when one number cannot be a
        # month.
        first, second = int(numbers[0]), int(numbers[1])
        if first != second and first <= 12 and second <= 12:
            reading.year = int(numbers[2])
            rest = []
            problem = (
                f"{locale} writes dates year first; is {numbers[0]}.{numbers[1]} the day and "
                "month or the month and day? write the year first"
            )

    def take(value: int | None, *, as_year: bool = False) -> int | None:
        # Each field comes from one number as typed, of one or two digits (a year: two or four);
        # a number dateutil dropped, split (20261203) or read as a time stays in ``rest``.
        for digits in rest:
            if value is not None and (
                (len(digits) <= 2 and int(digits) == value and not as_year)
                or (as_year and len(digits) == 4 and int(digits) == value)
                or (as_year and len(digits) == 2 and info.convertyear(int(digits)) == value)
            ):
                rest.remove(digits)
                return value
        return None

    if problem is None:
        reading.day = take(found.day)
        if not named:
            reading.month = take(found.month)
        if named and found.year is not None and not found.century_specified:
            problem = "write the year with four digits"
        else:
            reading.year = take(found.year, as_year=True)
    if reading.month is not None and not 1 <= reading.month <= 12:
        problem = f"{reading.month} is not a month ({locale} writes {_ORDER_WORDS[order]})"
    unknown = sorted(unknown + rest, key=source.find)
    unknown_words = [u for u in unknown if u.isalpha()]
    if unknown_words and not named and not written and not guessing:
        # A word not understood is most often a misspelt month ("3 Decmber 2026"): say what the
        # numbers around it are as if it were one.
        placeholder = re.sub(rf"\b{re.escape(unknown_words[0])}\b", "January", source, count=1)
        guess, _, problem = _read(placeholder, locale, today, guessing=True)
        reading = _Reading(day=guess.day, year=guess.year, weekday=guess.weekday)
    return reading, unknown, problem


def _refusal(field: str, text: str, locale: str, detail: str) -> ValidationError:
    return ValidationError(field, f"could not read {text!r} as a date ({detail}); {_hint(locale)}")


def _suggestion(words: list[str], locale: str) -> str:
    months, weekdays = _vocabulary(locale)
    vocabulary = [*months, *weekdays, *_KEYWORDS]
    for word in words:
        close = difflib.get_close_matches(word.lower(), vocabulary, n=1, cutoff=0.75)
        if close:
            return f", did you mean {close[0]!r}?"
    return ""


def _calendar_date(text: str, source: str, today: date, locale: str, field: str) -> date:
    reading, unknown_words, problem = _read(source, locale, today)
    if unknown_words:
        unknown = ", ".join(repr(u) for u in unknown_words)
        detail = f"understood: {reading.understood()}; not understood: {unknown}"
        detail += _suggestion(unknown_words, locale)
        if problem:
            detail += f"; {problem}"
        raise _refusal(field, text, locale, detail)
    if problem:
        raise _refusal(field, text, locale, f"understood: {reading.understood()}; {problem}")
    missing = [name for name in ("day", "month") if getattr(reading, name) is None]
    if missing:
        detail = f"understood: {reading.understood()}; missing: the {' and the '.join(missing)}"
        raise _refusal(field, text, locale, detail)
    assert reading.day is not None and reading.month is not None
    year = reading.year if reading.year is not None else today.year
    if not 1 <= year <= 9999 or not 1 <= reading.day <= 31:
        raise _refusal(field, text, locale, f"understood: {reading.understood()}")
    try:
        result = date(year, reading.month, reading.day)
    except ValueError:
        days = calendar.monthrange(year, reading.month)[1]
        raise ValidationError(
            field,
            f"{text!r} is not a date: {_MONTH_NAMES[reading.month]} {year} has {days} days",
        ) from None
    if reading.weekday is not None and reading.weekday != result.weekday():
        raise ValidationError(
            field,
            f"{text!r} does not add up: {result.isoformat()} is a "
            f"{_DAY_NAMES[result.weekday()]}, not a {_DAY_NAMES[reading.weekday]}",
        )
    return result


_RELATIVE = re.compile(r"([+-])\s*(\d{1,6})\s*([a-z]*)")
_IN = re.compile(r"in\s+(\d{1,6})\s*([a-z]+)")
_AGO = re.compile(r"(\d{1,6})\s*([a-z]+)\s+ago")
_WEEKDAY = re.compile(r"(?:(next|this|last|coming)\s+)?([^\W\d_]+)")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _named_date(s: str, today: date) -> date | None:
    first = today.replace(day=1)
    named = {
        "today": today,
        "tod": today,
        "tomorrow": today + timedelta(days=1),
        "tmr": today + timedelta(days=1),
        "tmrw": today + timedelta(days=1),
        "yesterday": today - timedelta(days=1),
        "eom": end_of_month(today),
        "end of month": end_of_month(today),
        "end of the month": end_of_month(today),
        "end of this month": end_of_month(today),
        "start of month": first,
        "start of this month": first,
        "start of next month": first + relativedelta(months=1),
        "beginning of next month": first + relativedelta(months=1),
        "end of next month": end_of_month(first + relativedelta(months=1)),
        "eoy": date(today.year, 12, 31),
        "end of year": date(today.year, 12, 31),
        "end of the year": date(today.year, 12, 31),
        "end of this year": date(today.year, 12, 31),
    }
    return named.get(s)


def _parse_date(text: str, s: str, today: date, locale: str, field: str) -> date:
    if not s:
        raise ValidationError(field, f"expected a date, got nothing; {_hint(locale)}")
    if re.search(r"\d:\d", s):
        raise ValidationError(field, f"expected a date without a time, got {text!r}")
    named = _named_date(s, today)
    if named is not None:
        return named
    relative = _RELATIVE.fullmatch(s)
    if relative:
        sign, count, unit = relative.groups()
        if unit not in _UNITS:
            raise ValidationError(
                field,
                f"expected a period with its unit such as {sign}{count}d, {sign}{count}w, "
                f"{sign}{count}m or {sign}{count}y, got {text!r}",
            )
        return _shift(today, sign, count, unit, text, field)
    for pattern, sign in ((_IN, "+"), (_AGO, "-")):
        match = pattern.fullmatch(s)
        if match and match.group(2) in _UNITS:
            return _shift(today, sign, match.group(1), match.group(2), text, field)
    weekday = _WEEKDAY.fullmatch(s)
    if weekday:
        _, weekdays = _vocabulary(locale)
        which, name = weekday.groups()
        if name in weekdays:
            number = weekdays[name]
            if which == "last":
                return today - timedelta(days=(today.weekday() - number) % 7 or 7)
            return _weekday_after(today, number, include_today=which == "this")
    # The words as typed (case kept) for the message, unless only part of ``text`` is a date.
    source = text.strip() if _normalise(text) == s else s
    return _calendar_date(text, source, today, locale, field)


def parse_date(text: str, *, today: date, locale: str = "en_GB", field: str = "date") -> date:
    """A date as the user typed it; see the module docstring for the forms accepted."""
    if not isinstance(text, str):
        raise TypeError(f"parse_date: expected text, got {type(text).__name__}")
    if isinstance(today, datetime):
        today = today.date()
    return _parse_date(text, _normalise(text), today, locale, field)


# --- date and time ---------------------------------------------------------------------------

_TIME_END = re.compile(
    r"(?:^|(?<=[\s,@t]))(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?m\.?)?$"
)
_TIME_AMPM = re.compile(r"(?:^|(?<=[\s,@]))(?:at\s+)?(\d{1,2})\s*([ap])\.?m\.?$")
_TIME_START = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s+(.+)$")
_HOURS = re.compile(r"([+-])\s*(\d{1,4})\s*(h|hr|hrs|hour|hours|min|mins|minute|minutes)")


def _make_time(
    text: str, field: str, hour: str, minute: str | None, second: str | None, ampm: str | None
) -> time:
    h, m, s = int(hour), int(minute or 0), int(second or 0)
    if ampm:
        if not 1 <= h <= 12:
            raise ValidationError(field, f"expected an hour from 1 to 12 with am/pm, got {text!r}")
        h = h % 12 + (12 if ampm.startswith("p") else 0)
    if h > 23 or m > 59 or s > 59:
        raise ValidationError(field, f"expected a time from 00:00 to 23:59, got {text!r}")
    return time(h, m, s)


def _split_time(s: str) -> tuple[str, tuple[str, str | None, str | None, str | None]] | None:
    match = _TIME_END.search(s)
    if match:
        # "2026-12-03t09:00": ISO's T, only right after a digit ("sat 9:00" keeps its t).
        rest = re.sub(r"(?<=\d)t$", "", s[: match.start()])
        hour, minute, second, ampm = match.groups()
        return re.sub(r"[\s,@]*$", "", rest).strip(), (hour, minute, second, ampm)
    match = _TIME_AMPM.search(s)
    if match:
        rest = re.sub(r"[\s,@]*$", "", s[: match.start()])
        return rest.strip(), (match.group(1), None, None, match.group(2))
    match = _TIME_START.match(s)
    if match:
        return match.group(5), (match.group(1), match.group(2), match.group(3), match.group(4))
    return None


def _aware(day: date, at: time, tz: tzinfo, text: str, field: str) -> datetime:
    naive = datetime.combine(day, at)
    result = naive.replace(tzinfo=tz)
    if result.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValidationError(
            field,
            f"{text!r} does not exist: the clocks skip {at.strftime('%H:%M')} on "
            f"{day.isoformat()} ({result.tzname()}); pick another time",
        )
    return result


def parse_datetime(
    text: str, *, now: datetime, locale: str = "en_GB", field: str = "when"
) -> date | datetime:
    """A date, or a date and time, as the user typed it.

    Without a time the result is a :class:`date` — an all-day item; no time is invented. With a
    time (``tomorrow 14:30``, ``2026-12-03 09:00``, ``3 Dec 9:15``, ``fri 3pm``, ``14:30`` =
    today) it is an aware datetime in ``now``'s time zone. ``now`` is now; ``+2h`` and
    ``+30min`` count from now. An ISO datetime with an offset is converted to ``now``'s zone.
    A wall time the clocks skip (daylight saving) is refused; a repeated one is the first.
    """
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"parse_datetime: now must be a timezone-aware datetime, got {now!r}")
    if not isinstance(text, str):
        raise TypeError(f"parse_datetime: expected text, got {type(text).__name__}")
    tz = now.tzinfo
    s = _normalise(text)
    if s == "now":
        return now
    hours = _HOURS.fullmatch(s)
    if hours:
        sign, count, unit = hours.groups()
        delta = (
            timedelta(hours=int(count)) if unit.startswith("h") else timedelta(minutes=int(count))
        )
        moved = now.astimezone(UTC) + (-delta if sign == "-" else delta)
        return moved.astimezone(tz)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})", s):
        try:
            return datetime.fromisoformat(text.strip().replace("z", "Z")).astimezone(tz)
        except ValueError:
            pass  # read below, which says what is wrong
    split = _split_time(s)
    if split is None:
        return _parse_date(text, s, now.date(), locale, field)
    rest, (hour, minute, second, ampm) = split
    at = _make_time(text, field, hour, minute, second, ampm)
    day = _parse_date(text, rest, now.date(), locale, field) if rest else now.date()
    return _aware(day, at, tz, text, field)


# --- storage ---------------------------------------------------------------------------------


def to_iso(value: date | datetime) -> str:
    """ISO 8601 text for storage: ``2026-12-03`` or ``2026-12-03T14:30:00+01:00``.

    The offset is kept, the zone's name is not (ISO 8601 has no place for it): a round trip
    gives the same instant and offset.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"to_iso: expected a timezone-aware datetime, got {value!r}")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"to_iso: expected a date or datetime, got {type(value).__name__}")


def parse_iso(text: str, field: str = "date") -> date | datetime:
    """The inverse of :func:`to_iso`: a date, or an aware datetime; anything else is refused."""
    expected = "expected ISO 8601 such as 2026-12-03 or 2026-12-03T14:30:00+01:00"
    if not isinstance(text, str):
        raise ValidationError(field, f"{expected}, got {text!r}")
    s = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return date.fromisoformat(s)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T.+", s):
            raise ValueError(s)
        value = datetime.fromisoformat(s)
    except ValueError:
        raise ValidationError(field, f"{expected}, got {text!r}") from None
    if value.tzinfo is None:
        raise ValidationError(field, f"expected a date and time with its offset, got {text!r}")
    return value
