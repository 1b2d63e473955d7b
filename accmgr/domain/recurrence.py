"""Recurring follow-ups: RFC 5545 RRULEs, checked and normalised, and their next occurrence.

dateutil's ``rrule`` does the calendar work; this module refuses what it would accept silently
(sub-daily frequencies, rules that never happen, COUNT with UNTIL) and keeps time zones straight.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrule, rrulestr

from accmgr.errors import ValidationError

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


def ends_before(rule: str, dtstart: date | datetime) -> str | None:
    """The UNTIL of ``rule`` when it leaves no occurrence at all from ``dtstart``, else None.

    Only UNTIL can do that to a rule :func:`check_rrule` accepted (COUNT is at least 1 and
    impossible days are refused there), so a rule without UNTIL costs nothing here.
    """
    if "UNTIL" not in rule.upper():
        return None
    start = dtstart if isinstance(dtstart, datetime) else datetime.combine(dtstart, time())
    if _build_rule(rule, start).after(start, inc=True) is not None:
        return None
    return _rule_parts(rule, "recurrence")["UNTIL"]


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
