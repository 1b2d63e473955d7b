"""Dates as people type them, recurrences, and the ISO 8601 storage form.

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

Why not ``dateutil.parser`` for the free forms: it guesses silently — it swaps day and month
when one is above 12, fills a missing month from a default, treats unknown words as noise — and
each of those is a wrong follow-up date nobody notices. A small grammar gives exact refusals;
dateutil still does the calendar arithmetic (``relativedelta``) and recurrences (``rrule``).
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

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
_ORDINALS = frozenset({"st", "nd", "rd", "th"})
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


# --- reading a date --------------------------------------------------------------------------


@dataclass
class _Reading:
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    unknown: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

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


_TOKEN = re.compile(r"(?P<num>\d+)|(?P<word>[^\W\d_]+)|(?P<sep>[\s.,/\-]+)|(?P<other>.)")
_ORDER_WORDS = {"DMY": "day.month.year", "MDY": "month/day/year", "YMD": "year-month-day"}


def _full_year(digits: str, today: date) -> int:
    if len(digits) == 4:
        return int(digits)
    year = today.year // 100 * 100 + int(digits)
    if year > today.year + 50:
        year -= 100
    elif year <= today.year - 50:
        year += 100
    return year


def _read_calendar(text: str, today: date, locale: str) -> _Reading:
    months, weekdays = _vocabulary(locale)
    reading = _Reading()
    numbers: list[str] = []
    named_month = False
    previous = ""
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group(0)
        word = token.lower()
        if kind == "num":
            if len(token) in (1, 2, 4):
                numbers.append(token)
            else:
                reading.unknown.append(token)
        elif kind == "word":
            if word in months and not named_month:
                reading.month = months[word]
                named_month = True
            elif word in weekdays and reading.weekday is None:
                reading.weekday = weekdays[word]
            elif word in _FILLERS or (word in _ORDINALS and previous == "num"):
                pass
            else:
                reading.unknown.append(token)
        elif kind == "other":
            reading.unknown.append(token)
        previous = kind or ""
    order = date_order(locale)
    if named_month:
        for digits in numbers:
            if len(digits) == 4 and reading.year is None:
                reading.year = int(digits)
            elif len(digits) <= 2 and reading.day is None:
                reading.day = int(digits)
            else:
                reading.unknown.append(digits)
                if len(digits) <= 2:
                    reading.problems.append("write the year with four digits")
        return reading
    if len(numbers) > 3:
        reading.unknown.extend(numbers[3:])
        numbers = numbers[:3]
    if len(numbers) == 3:
        first, second, third = numbers
        if len(first) == 4:
            fields = "YMD"
        elif len(third) == 4 or order != "YMD":
            if len(second) == 4:
                reading.unknown.append(second)
                return reading
            fields = order if order != "YMD" else "DMY"
            if order == "YMD":
                # A year-first locale written year-last: only unambiguous when one number
                # cannot be a month.
                a, b = int(first), int(second)
                if a > 12 >= b:
                    fields = "DMY"
                elif b > 12 >= a:
                    fields = "MDY"
                elif a != b:
                    reading.year = int(third)
                    reading.problems.append(
                        f"{locale} writes dates year first; is {first}.{second} the day and "
                        "month or the month and day? write the year first"
                    )
                    return reading
        else:
            fields = "YMD"
        values = dict(zip(fields, numbers, strict=True))
        if len(values["D"]) == 4 or len(values["M"]) == 4:
            reading.unknown.extend(numbers)
            return reading
        reading.day, reading.month = int(values["D"]), int(values["M"])
        reading.year = _full_year(values["Y"], today)
    elif len(numbers) == 2:
        first, second = numbers
        if len(first) == 4:
            reading.year, reading.month = int(first), int(second)
        elif len(second) == 4:
            reading.day, reading.year = int(first), int(second)
        elif order == "DMY":
            reading.day, reading.month = int(first), int(second)
        else:
            reading.month, reading.day = int(first), int(second)
    elif len(numbers) == 1:
        if len(numbers[0]) == 4:
            reading.year = int(numbers[0])
        else:
            reading.day = int(numbers[0])
    if reading.month is not None and not 1 <= reading.month <= 12:
        reading.problems.append(
            f"{reading.month} is not a month ({locale} writes {_ORDER_WORDS[order]})"
        )
    return reading


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
    reading = _read_calendar(source, today, locale)
    if reading.unknown:
        unknown = ", ".join(repr(u) for u in reading.unknown)
        detail = f"understood: {reading.understood()}; not understood: {unknown}"
        detail += _suggestion(reading.unknown, locale)
        if reading.problems:
            detail += f"; {reading.problems[0]}"
        raise _refusal(field, text, locale, detail)
    if reading.problems:
        detail = f"understood: {reading.understood()}; {reading.problems[0]}"
        raise _refusal(field, text, locale, detail)
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


# --- recurrence ------------------------------------------------------------------------------

_RRULE_ORDER = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
    "BYSETPOS",
    "WKST",
)
_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_INT_RANGES = {
    "INTERVAL": (1, 1000, False),
    "COUNT": (1, 100000, False),
    "BYMONTH": (1, 12, False),
    "BYWEEKNO": (1, 53, True),
    "BYYEARDAY": (1, 366, True),
    "BYMONTHDAY": (1, 31, True),
    "BYHOUR": (0, 23, False),
    "BYMINUTE": (0, 59, False),
    "BYSECOND": (0, 59, False),
    "BYSETPOS": (1, 366, True),
}
_RRULE_EXAMPLE = "FREQ=MONTHLY;BYMONTHDAY=1 or FREQ=WEEKLY;BYDAY=MO,TH"


def _rule_parts(text: str, field: str) -> dict[str, str]:
    def bad(why: str) -> ValidationError:
        return ValidationError(
            field, f"expected a recurrence rule such as {_RRULE_EXAMPLE}, got {text!r} ({why})"
        )

    if not isinstance(text, str):
        raise ValidationError(field, f"expected a recurrence rule such as {_RRULE_EXAMPLE}")
    body = re.sub(r"\s+", "", text).upper()
    if body.startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body:
        raise bad("it is empty")
    if ":" in body:
        raise bad("only one RRULE is accepted, without DTSTART or other properties")
    parts: dict[str, str] = {}
    for item in filter(None, body.split(";")):
        name, sep, value = item.partition("=")
        if not sep or not value:
            raise bad(f"{item!r} is not NAME=VALUE")
        if name not in _RRULE_ORDER:
            raise bad(f"{name} is not an RRULE part")
        if name in parts:
            raise bad(f"{name} is given twice")
        parts[name] = value
    freq = parts.get("FREQ")
    if freq is None:
        raise bad("FREQ is required")
    if freq not in _FREQS:
        raise bad(f"FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, not {freq}")
    if "COUNT" in parts and "UNTIL" in parts:
        raise bad("COUNT and UNTIL cannot both be given")
    for name, (low, high, signed) in _INT_RANGES.items():
        if name not in parts:
            continue
        for value in parts[name].split(","):
            number = int(value) if re.fullmatch(r"[+-]?\d{1,6}", value) else None
            if number is None or not (
                low <= number <= high or (signed and -high <= number <= -low)
            ):
                limits = f"{low}..{high}" + (f" or -{high}..-{low}" if signed else "")
                raise bad(f"{name} values must be {limits}, not {value}")
    if "UNTIL" in parts and not re.fullmatch(r"\d{8}(T\d{6}Z?)?", parts["UNTIL"]):
        raise bad("UNTIL must look like 20261231 or 20261231T235959Z")
    if "WKST" in parts and parts["WKST"] not in _DAYS:
        raise bad(f"WKST must be one of {', '.join(_DAYS)}")
    if "BYDAY" in parts:
        for value in parts["BYDAY"].split(","):
            match = re.fullmatch(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", value)
            if match is None:
                raise bad(f"BYDAY values look like MO, FR or -1FR, not {value}")
            if match.group(1) is not None:
                limit = 5 if freq == "MONTHLY" else 53
                if freq not in ("MONTHLY", "YEARLY") or not 1 <= abs(int(match.group(1))) <= limit:
                    raise bad(f"{value} needs FREQ=MONTHLY (±1..5) or YEARLY (±1..53)")
    if "BYMONTHDAY" in parts:
        months = [int(m) for m in parts.get("BYMONTH", "1,2,3,4,5,6,7,8,9,10,11,12").split(",")]
        longest = max(calendar.monthrange(2000, m)[1] for m in months)  # 2000: Feb has 29
        if all(abs(int(d)) > longest for d in parts["BYMONTHDAY"].split(",")):
            raise bad("no such day in those months, so it would never happen")
    return parts


def check_rrule(text: str, field: str = "recurrence") -> str:
    """An RFC 5545 RRULE, normalised: upper case, no ``RRULE:`` prefix, parts in RFC order.

    Accepted frequencies are DAILY, WEEKLY, MONTHLY and YEARLY: a follow-up every hour is not a
    thing a key-account manager schedules, and sub-daily rules make no sense for all-day items.
    """
    parts = _rule_parts(text, field)
    normalised = ";".join(f"{name}={parts[name]}" for name in _RRULE_ORDER if name in parts)
    try:
        rrulestr(normalised, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError(
            field,
            f"expected a recurrence rule such as {_RRULE_EXAMPLE}, got {text!r} ({exc})",
        ) from None
    return normalised


def _until(value: str, start: datetime) -> datetime:
    day = datetime.strptime(value[:8], "%Y%m%d")
    tz = start.tzinfo
    if len(value) == 8:
        return datetime.combine(day.date(), time.max.replace(microsecond=0), tzinfo=tz)
    moment = datetime.strptime(value[:15], "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        utc = moment.replace(tzinfo=UTC)
        return utc.astimezone(tz) if tz is not None else utc.replace(tzinfo=None)
    return moment.replace(tzinfo=tz)


def _build_rule(text: str, start: datetime) -> rrule:
    parts = _rule_parts(text, "recurrence")
    until = parts.pop("UNTIL", None)
    body = ";".join(f"{name}={parts[name]}" for name in _RRULE_ORDER if name in parts)
    rule = rrulestr(body, dtstart=start)
    assert isinstance(rule, rrule)
    if until is not None:
        rule = rule.replace(until=_until(until, start))
    return rule


def next_occurrence(
    rule: str, dtstart: date | datetime, after: date | datetime
) -> date | datetime | None:
    """The first occurrence of ``rule`` strictly after ``after``, or None when it has ended.

    Dates in, dates out: with a date ``dtstart`` the result is a date strictly after ``after``'s
    day. With an aware datetime ``dtstart`` the result is aware, in its zone, at the same wall
    time across daylight-saving changes; a date ``after`` then means "after that whole day".
    Naive datetimes are refused (ValueError), as everywhere in accmgr.
    """
    if isinstance(dtstart, datetime):
        if dtstart.tzinfo is None or dtstart.utcoffset() is None:
            raise ValueError(f"next_occurrence: dtstart must be aware, got {dtstart!r}")
        rule_ = _build_rule(rule, dtstart)
        if isinstance(after, datetime):
            if after.tzinfo is None or after.utcoffset() is None:
                raise ValueError(f"next_occurrence: after must be aware, got {after!r}")
            point = after
        else:
            point = datetime.combine(after, time.max, tzinfo=dtstart.tzinfo)
        found = rule_.after(point, inc=False)
        return found if isinstance(found, datetime) else None
    start = datetime.combine(dtstart, time())
    rule_ = _build_rule(rule, start)
    after_day = after.date() if isinstance(after, datetime) else after
    found = rule_.after(datetime.combine(after_day + timedelta(days=1), time()), inc=True)
    return found.date() if isinstance(found, datetime) else None


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
