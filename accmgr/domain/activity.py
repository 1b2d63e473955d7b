"""Activities: calls, meetings, e-mails, visits, presentations, tasks and notes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, model_validator

from accmgr.domain.base import StoredRecord
from accmgr.domain.common import Moment, RecordId, When, as_date
from accmgr.domain.text import MultilineText


class ActivityKind(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    VISIT = "visit"
    PRESENTATION = "presentation"
    TASK = "task"
    NOTE = "note"


def _rrule(value: str) -> str:
    from accmgr.domain.recurrence import check_rrule

    return check_rrule(value)


Recurrence = Annotated[str, AfterValidator(_rrule)]


class Activity(StoredRecord):
    kind: ActivityKind
    client_id: RecordId
    deal_id: RecordId | None = None
    contact_ids: tuple[RecordId, ...] = ()
    # When it is planned or due: a date for an all-day item, an aware datetime otherwise.
    due: When | None = None
    done_at: When | None = None
    outcome: MultilineText = ""
    note: MultilineText = ""
    recurrence: Recurrence | None = None
    # The first due of a recurring series: COUNT and UNTIL count from it, not from each
    # occurrence. None for a one-off activity or the series' first occurrence.
    series_start: When | None = None
    created_at: Moment

    @model_validator(mode="after")
    def _recurrence_needs_due(self) -> Activity:
        if self.recurrence is not None and self.due is None:
            raise ValueError("recurrence: a recurring activity needs a due date to start from")
        if self.recurrence is not None and self.due is not None:
            from accmgr.domain.recurrence import ends_before

            start = self.series_start or self.due
            until = ends_before(self.recurrence, start)
            if until is not None:
                raise ValueError(
                    "recurrence: expected a rule that happens at least once, but none of its "
                    f"days falls between the first due date {as_date(start).isoformat()} and "
                    f"its end (UNTIL={until}), so it would never happen"
                )
        return self

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def due_day(self) -> date | None:
        return None if self.due is None else as_date(self.due)

    def overdue(self, now: datetime) -> bool:
        if self.done or self.due is None:
            return False
        if isinstance(self.due, datetime):
            return self.due < now
        return self.due < as_date(now)
