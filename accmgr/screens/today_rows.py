"""How a Today row reads: when, who, what, how late — cut to the list's width.

Pure functions of a :class:`accmgr.services.today.TodayItem`, so the loader can lay out a few
thousand rows off the UI thread.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.text import Text

from accmgr.domain.reliability import marker
from accmgr.domain.search import search_key
from accmgr.services.today import TodayItem
from accmgr.widgets.visible_text import shown

WHEN_WIDTH = 16


def when_label(value: date | datetime | None, now: datetime) -> str:
    """A moment as the KAM says it: "today 09:00", "tomorrow", "Mon 16 Nov 14:00"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(now.tzinfo)
        return f"{_day_label(local.date(), now.date())} {local:%H:%M}"
    return _day_label(value, now.date())


def _day_label(day: date, today: date) -> str:
    names = {today: "today", today + timedelta(days=1): "tomorrow"}
    names[today - timedelta(days=1)] = "yesterday"
    if day in names:
        return names[day]
    return f"{day:%a %-d %b}" if day.year == today.year else f"{day:%-d %b %Y}"


def _fit(text: str, width: int) -> str:
    line = " ".join(shown(text).split())
    if len(line) > width:
        line = line[: max(width - 1, 0)] + "…"
    return line.ljust(width)


def row_text(item: TodayItem, now: datetime, width: int) -> Text:
    """One row: when, who (with "!" when the client has a warning), what, how late."""
    rest = max(width - WHEN_WIDTH - 3, 30)
    who_width = max(rest * 24 // 100, 10)
    what_width = max(rest * 46 // 100, 14)
    note_width = max(rest - who_width - what_width - 2, 0)
    text = Text(no_wrap=True, overflow="ellipsis")
    late = item.section == "overdue"
    text.append(_fit(when_label(item.when, now), WHEN_WIDTH) + " ", style="red" if late else "")
    if item.warnings:
        text.append(marker(item.warnings) + " ", style="bold red")
        text.append(_fit(item.client_name, who_width - 2) + " ")
    else:
        text.append(_fit(item.client_name, who_width) + " ")
    text.append(_fit(item.title, what_width) + " ")
    if note_width:
        text.append(_fit(item.detail, note_width).rstrip(), style="red" if late else "dim")
    return text


def haystack(item: TodayItem) -> str:
    """What the filter searches, folded: who, what, how late, the record's id."""
    return search_key(item.client_name, item.client_id, item.title, item.detail, item.ref)


def item_key(item: TodayItem) -> str:
    return f"{item.section}:{item.kind}:{item.ref}:{item.index if item.index is not None else ''}"
