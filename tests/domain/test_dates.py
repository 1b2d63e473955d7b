"""Dates as people type them and the ISO storage form."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accmgr.domain.dates import (
    add_period,
    date_order,
    end_of_month,
    format_numeric,
    parse_date,
    parse_datetime,
    parse_iso,
    to_iso,
)
from accmgr.errors import ValidationError

TODAY = date(2026, 11, 23)  # a Monday
LOCALES = ["en_GB", "en_US", "pt_PT", "lt_LT", "ru_RU", "pl_PL", "hu_HU"]
VILNIUS = ZoneInfo("Europe/Vilnius")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=VILNIUS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03", date(2026, 12, 3)),
        ("3 Dec", date(2026, 12, 3)),
        ("Dec 3", date(2026, 12, 3)),
        ("3 December 2026", date(2026, 12, 3)),
        ("December 3rd, 2026", date(2026, 12, 3)),
        ("3rd of December", date(2026, 12, 3)),
        ("  3 DEC 2027  ", date(2027, 12, 3)),
        ("3 Jan", date(2026, 1, 3)),  # no year: the current year, even when it has passed
        ("03.12.2026", date(2026, 12, 3)),
        ("3/12/2026", date(2026, 12, 3)),
        ("03-12-2026", date(2026, 12, 3)),
        ("03.12.26", date(2026, 12, 3)),
        ("3.12", date(2026, 12, 3)),
        ("2026.12.03", date(2026, 12, 3)),
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 24)),
        ("yesterday", date(2026, 11, 22)),
        ("+3d", date(2026, 11, 26)),
        ("+ 3 days", date(2026, 11, 26)),
        ("+2w", date(2026, 12, 7)),
        ("+1m", date(2026, 12, 23)),
        ("+1y", date(2027, 11, 23)),
        ("-2d", date(2026, 11, 21)),
        ("+10d", date(2026, 12, 3)),
        ("+40d", date(2027, 1, 2)),  # across the year end
        ("in 3 days", date(2026, 11, 26)),
        ("2 weeks ago", date(2026, 11, 9)),
        ("fri", date(2026, 11, 27)),
        ("Friday", date(2026, 11, 27)),
        ("next fri", date(2026, 11, 27)),
        ("mon", date(2026, 11, 30)),  # a weekday name never means today
        ("next mon", date(2026, 11, 30)),
        ("this mon", TODAY),
        ("last mon", date(2026, 11, 16)),
        ("last fri", date(2026, 11, 20)),
        ("eom", date(2026, 11, 30)),
        ("end of month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("start of next month", date(2026, 12, 1)),
        ("end of year", date(2026, 12, 31)),
        ("fri 4 dec 2026", date(2026, 12, 4)),
    ],
)
def test_every_accepted_form(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_month_ends_leap_years_and_year_ends() -> None:
    assert parse_date("+1m", today=date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_date("+1m", today=date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse_date("+1y", today=date(2028, 2, 29)) == date(2029, 2, 28)
    assert parse_date("29.02.2028", today=TODAY) == date(2028, 2, 29)
    assert parse_date("+1d", today=date(2026, 12, 31)) == date(2027, 1, 1)
    assert parse_date("eom", today=date(2028, 2, 10)) == date(2028, 2, 29)
    assert parse_date("end of next month", today=date(2026, 12, 15)) == date(2027, 1, 31)
    assert parse_date("start of next month", today=date(2026, 12, 31)) == date(2027, 1, 1)
    assert end_of_month(date(2100, 2, 1)) == date(2100, 2, 28)
    assert add_period(date(2026, 1, 31), "1m") == date(2026, 2, 28)
    assert add_period(date(2026, 1, 31), "30d") == date(2026, 3, 2)


def test_next_fri_on_a_friday_is_a_week_later() -> None:
    friday = date(2026, 11, 27)
    assert parse_date("next fri", today=friday) == date(2026, 12, 4)
    assert parse_date("fri", today=friday) == date(2026, 12, 4)
    assert parse_date("this fri", today=friday) == friday


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("03.04.2026", "pl_PL", date(2026, 4, 3)),
        ("03.04.2026", "ru_RU", date(2026, 4, 3)),
        ("03/04/2026", "pt_PT", date(2026, 4, 3)),
        ("03/04/2026", "en_GB", date(2026, 4, 3)),
        ("04/03/2026", "en_US", date(2026, 4, 3)),
        ("2026-04-03", "en_US", date(2026, 4, 3)),
        ("2026. 04. 03.", "hu_HU", date(2026, 4, 3)),
        ("2026-04-03", "lt_LT", date(2026, 4, 3)),
        ("26.04.03", "hu_HU", date(2026, 4, 3)),
        ("13.04.2026", "lt_LT", date(2026, 4, 13)),  # year last, but 13 can only be the day
        ("3 kwietnia 2026", "pl_PL", date(2026, 4, 3)),
        ("3 апреля 2026", "ru_RU", date(2026, 4, 3)),
        ("3 de abril de 2026", "pt_PT", date(2026, 4, 3)),
        ("2026 m. balandžio 3 d.", "lt_LT", date(2026, 4, 3)),
        ("2026. április 3.", "hu_HU", date(2026, 4, 3)),
        ("piątek", "pl_PL", date(2026, 11, 27)),
    ],
)
def test_locale_order_and_names(text: str, locale: str, expected: date) -> None:
    assert parse_date(text, today=TODAY, locale=locale) == expected


def test_date_order_from_babel() -> None:
    assert [date_order(loc) for loc in LOCALES] == ["DMY", "MDY", "DMY", "YMD", "DMY", "DMY", "YMD"]
    with pytest.raises(ValidationError) as caught:
        date_order("xx_YY")
    assert caught.value.field == "locale"


def test_refusal_shows_what_was_understood() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date("3 Decmber 2026", today=TODAY)
    message = str(caught.value)
    assert caught.value.field == "date"
    assert message.startswith("date: could not read '3 Decmber 2026' as a date (")
    assert "understood: day 3, year 2026; not understood: 'Decmber'" in message
    assert "did you mean 'december'?" in message
    assert "try 2026-12-03, 3 Dec, 03/12/2026, today, +3d, next fri or end of month" in message


@pytest.mark.parametrize(
    ("text", "locale", "words"),
    [
        ("31.02.2026", "en_GB", "February 2026 has 28 days"),
        ("29.02.2026", "pl_PL", "February 2026 has 28 days"),
        ("13/03/2026", "en_US", "13 is not a month (en_US writes month/day/year)"),
        ("03.04.2026", "lt_LT", "year first"),
        ("Dec 2026", "en_GB", "missing: the day"),
        ("12", "en_GB", "missing: the month"),
        ("3 Dec 26", "en_GB", "four digits"),
        ("tomorow", "en_GB", "did you mean 'tomorrow'"),
        ("+3", "en_GB", "+3d"),
        ("3 Dec 14:30", "en_GB", "without a time"),
        ("thu 4 dec 2026", "en_GB", "is a Friday, not a Thursday"),
        ("", "en_GB", "got nothing"),
        ("3 Dec please", "en_GB", "not understood: 'please'"),
        ("next blursday", "en_GB", "not understood"),
        ("+99999999d", "en_GB", "not understood"),
        ("+999999y", "en_GB", "too far"),
    ],
)
def test_refusals(text: str, locale: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(text, today=TODAY, locale=locale, field="due")
    assert caught.value.field == "due"
    assert words in str(caught.value)


# --- date and time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 14:30", datetime(2026, 11, 24, 14, 30, tzinfo=VILNIUS)),
        ("2026-12-03 09:00", datetime(2026, 12, 3, 9, 0, tzinfo=VILNIUS)),
        ("2026-12-03T09:00", datetime(2026, 12, 3, 9, 0, tzinfo=VILNIUS)),
        ("3 Dec 9:15", datetime(2026, 12, 3, 9, 15, tzinfo=VILNIUS)),
        ("next sat at 10:00", datetime(2026, 11, 28, 10, 0, tzinfo=VILNIUS)),
        ("fri 3pm", datetime(2026, 11, 27, 15, 0, tzinfo=VILNIUS)),
        ("14:30", datetime(2026, 11, 23, 14, 30, tzinfo=VILNIUS)),
        ("+2h", datetime(2026, 11, 23, 12, 0, tzinfo=VILNIUS)),
        ("2026-12-03T09:00:00+01:00", datetime(2026, 12, 3, 10, 0, tzinfo=VILNIUS)),
    ],
)
def test_parse_datetime_with_a_time(text: str, expected: datetime) -> None:
    result = parse_datetime(text, now=NOW)
    assert isinstance(result, datetime)
    assert result == expected
    assert result.tzinfo is VILNIUS


def test_parse_datetime_without_a_time_is_an_all_day_date() -> None:
    assert parse_datetime("tomorrow", now=NOW) == date(2026, 11, 24)
    assert type(parse_datetime("3 Dec", now=NOW)) is date
    assert parse_datetime("now", now=NOW) is NOW


def test_parse_datetime_refusals() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_datetime("today", now=datetime(2026, 11, 23, 10, 0))
    with pytest.raises(ValidationError, match="00:00 to 23:59"):
        parse_datetime("tomorrow 25:00", now=NOW)
    with pytest.raises(ValidationError, match="clocks skip"):
        parse_datetime("2026-03-29 03:30", now=NOW)
    with pytest.raises(ValidationError) as caught:
        parse_datetime("3 Decmber 9:00", now=NOW)
    assert caught.value.field == "when"
    assert "'3 Decmber 9:00'" in str(caught.value)


# --- storage ---------------------------------------------------------------------------------


def test_storage_round_trip_and_refusals() -> None:
    assert to_iso(date(2026, 12, 3)) == "2026-12-03"
    assert parse_iso("2026-12-03") == date(2026, 12, 3)
    assert to_iso(NOW) == "2026-11-23T10:00:00+02:00"
    with pytest.raises(ValueError, match="aware"):
        to_iso(datetime(2026, 12, 3, 9, 0))
    for bad in ("2026-12-03T09:00", "03.12.2026", "", "2026-02-30"):
        with pytest.raises(ValidationError):
            parse_iso(bad)


# --- properties ------------------------------------------------------------------------------

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=dates, locale=st.sampled_from(LOCALES))
def test_numeric_form_of_the_locale_parses_back(day: date, locale: str) -> None:
    assert parse_date(format_numeric(day, locale), today=TODAY, locale=locale) == day


@settings(max_examples=100, deadline=None)
@given(today=dates, n=st.integers(0, 3000))
def test_plus_n_days(today: date, n: int) -> None:
    assert parse_date(f"+{n}d", today=today) == today + timedelta(days=n)
    assert parse_date(f"-{n}d", today=today) == today - timedelta(days=n)


ZONES = [UTC, VILNIUS, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"),
         ZoneInfo("Pacific/Chatham"), ZoneInfo("Europe/Lisbon")]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1),
                           timezones=st.sampled_from(ZONES), allow_imaginary=False))  # fmt: skip
def test_iso_round_trip_of_aware_datetimes(moment: datetime) -> None:
    back = parse_iso(to_iso(moment))
    assert isinstance(back, datetime)
    # Compared in UTC: PEP 495 makes inter-zone == False for a wall time that occurs twice.
    assert back.astimezone(UTC) == moment.astimezone(UTC)
    assert back.utcoffset() == moment.utcoffset()
