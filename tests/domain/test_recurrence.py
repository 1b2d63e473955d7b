"""Recurring follow-ups: RRULEs checked and normalised, and their next occurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from accmgr.domain.recurrence import check_rrule, next_occurrence
from accmgr.errors import ValidationError

TODAY = date(2026, 11, 23)  # a Monday
VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("rrule: byday=mo,th; freq=weekly;", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", "FREQ=MONTHLY;COUNT=6;BYDAY=-1FR"),
        ("FREQ=YEARLY;UNTIL=20301231", "FREQ=YEARLY;UNTIL=20301231"),
    ],
)
def test_check_rrule_normalises(text: str, normalised: str) -> None:
    assert check_rrule(text) == normalised


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("nonsense", "NAME=VALUE"),
        ("BYDAY=MO", "FREQ is required"),
        ("FREQ=FORTNIGHTLY", "FREQ must be"),
        ("FREQ=HOURLY", "FREQ must be"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
        ("FREQ=WEEKLY;BYDAY=1MO", "needs FREQ=MONTHLY"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20261231", "COUNT and UNTIL"),
        ("FREQ=DAILY;FREQ=WEEKLY", "twice"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never"),
        ("DTSTART:20260101\nRRULE:FREQ=DAILY", "only one RRULE"),
        ("FREQ=DAILY;UNTIL=tomorrow", "UNTIL"),
    ],
)
def test_check_rrule_refusals(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_rrule(text)
    assert caught.value.field == "recurrence"
    assert words in str(caught.value)


def test_next_occurrence_dates_in_dates_out() -> None:
    rule = "FREQ=MONTHLY;BYMONTHDAY=1"
    assert next_occurrence(rule, date(2026, 1, 15), date(2026, 11, 1)) == date(2026, 12, 1)
    assert next_occurrence(rule, date(2026, 1, 15), date(2026, 11, 30)) == date(2026, 12, 1)
    assert next_occurrence("FREQ=MONTHLY;COUNT=2", date(2026, 1, 15), TODAY) is None
    assert next_occurrence("FREQ=MONTHLY;UNTIL=20261215", date(2026, 1, 15), TODAY) == date(
        2026, 12, 15
    )
    assert next_occurrence("FREQ=MONTHLY", date(2026, 1, 31), date(2026, 2, 1)) == date(2026, 3, 31)


def test_next_occurrence_aware_stays_aware_across_dst() -> None:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=VILNIUS)
    found = next_occurrence("FREQ=WEEKLY", start, datetime(2026, 3, 28, tzinfo=VILNIUS))
    assert found == datetime(2026, 3, 30, 9, 0, tzinfo=VILNIUS)  # still 09:00 after DST
    assert isinstance(found, datetime) and found.tzinfo is VILNIUS
    assert next_occurrence("FREQ=DAILY;UNTIL=20260106T000000Z", start, start) is None
    with pytest.raises(ValueError, match="aware"):
        next_occurrence("FREQ=DAILY", datetime(2026, 1, 5, 9, 0), TODAY)


# --- properties ------------------------------------------------------------------------------

RULES = [
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY;BYDAY=MO,TH",
    "FREQ=MONTHLY;BYMONTHDAY=1",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=WEEKLY;INTERVAL=2;COUNT=10",
]


@settings(max_examples=150, deadline=None)
@given(
    rule=st.sampled_from(RULES),
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    gap=st.integers(0, 800),
    zone=st.sampled_from([None, UTC, VILNIUS, ZoneInfo("America/New_York")]),
)
def test_next_occurrence_is_strictly_after_and_matches_rrule(
    rule: str, start: date, gap: int, zone: ZoneInfo | None
) -> None:
    after = start + timedelta(days=gap)
    if zone is None:
        found = next_occurrence(rule, start, after)
        expected = next(
            (o.date() for o in rrulestr(rule, dtstart=datetime(start.year, start.month,
             start.day)) if o.date() > after), None)  # fmt: skip
    else:
        dtstart = datetime(start.year, start.month, start.day, 9, 30, tzinfo=zone)
        after_dt = datetime(after.year, after.month, after.day, 9, 30, tzinfo=zone)
        found = next_occurrence(rule, dtstart, after_dt)
        expected = next((o for o in rrulestr(rule, dtstart=dtstart) if o > after_dt), None)
        assert found is None or (isinstance(found, datetime) and found.tzinfo is zone)
    assert found == expected
    if found is not None:
        assert found > (after if zone is None else after_dt)
