"""The forms behind Today's row actions: done with an outcome, snooze, reschedule, next step.

Each is a :class:`accmgr.widgets.form.FormScreen`: fields checked as they change, the write
in a worker under the app's store lock, a refusal from the service shown beside the field it
names (the field ids are the services' field names). Enter in a one-line field saves, so the
common case — ``s`` then Enter for "+1d" — is two keys.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from accmgr.domain.deal import Deal
from accmgr.errors import AccmgrError
from accmgr.services import today_actions as actions
from accmgr.services.edits import EditConflict
from accmgr.services.today import TodayItem
from accmgr.services.workspace import Workspace
from accmgr.widgets.conflict import ConflictDialog, Side, conflict_rows
from accmgr.widgets.form import Field, FormScreen
from accmgr.widgets.inputs import DateInput, MomentInput
from accmgr.widgets.visible_text import ShownText


def describe_when(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        return f"{value:%a %-d %b %Y %H:%M}"
    return f"{value:%a %-d %b %Y}" if value is not None else "no date"


class RowForm(FormScreen[object]):
    """The base: the row it acts on, shown above the fields, and the workspace to write to."""

    def __init__(self, ws: Workspace, item: TodayItem, *, lock: threading.Lock) -> None:
        super().__init__(lock=lock)
        self.ws = ws
        self.item = item

    def compose_intro(self) -> ComposeResult:
        item = self.item
        text = ShownText()
        text.append(item.title, style="bold")
        text.append(f"\n{item.client_name} · {describe_when(item.when)}")
        if item.detail:
            text.append(f" · {item.detail}")
        yield Static(text, classes="form-intro")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value


class DoneForm(RowForm):
    FORM_TITLE = "Done"
    SAVE_LABEL = "Done"

    def compose_fields(self) -> ComposeResult:
        hint = "what came of it; a recurring item then schedules its next occurrence"
        if self.item.kind == "deal-meeting":
            hint = "the meeting's notes: what was agreed, what is open"
        yield Field("Outcome", Input(id="outcome", compact=True), required=True, hint=hint)

    def prepare(self) -> Callable[[], object]:
        outcome, ws, item = self.value("outcome"), self.ws, self.item
        return lambda: actions.done(ws, item, outcome)


class SnoozeForm(RowForm):
    FORM_TITLE = "Snooze"
    SAVE_LABEL = "Snooze"

    def compose_fields(self) -> ComposeResult:
        ws = self.ws
        yield Field(
            "To",
            DateInput("+1d", id="to", today=ws.today, locale=ws.locale, compact=True),
            required=True,
            hint="+1d, +2w, next mon, 3 Dec…; an appointment keeps its time",
        )

    def prepare(self) -> Callable[[], object]:
        day = self.query_one("#to", DateInput).parsed
        assert day is not None  # the field is required and valid
        ws, item = self.ws, self.item
        return lambda: actions.snooze(ws, item, day)


class RescheduleForm(RowForm):
    FORM_TITLE = "Reschedule"
    SAVE_LABEL = "Reschedule"

    def compose_fields(self) -> ComposeResult:
        ws, when = self.ws, self.item.when
        start = f"{when:%Y-%m-%d %H:%M}" if isinstance(when, datetime) else ""
        yield Field(
            "When",
            MomentInput(start, id="when", now=ws.now, locale=ws.locale, compact=True),
            required=True,
            hint="a date and a time: tomorrow 14:30, 3 Dec 9:15",
        )

    def prepare(self) -> Callable[[], object]:
        when = self.query_one("#when", MomentInput).parsed
        assert when is not None
        ws, ref = self.ws, self.item.ref
        return lambda: actions.reschedule_activity(ws, ref, when)


class NextStepForm(RowForm):
    """The deal's next step. The deal as the form opened is the base of the save: a next step
    changed elsewhere meanwhile is shown beside the user's (theirs / yours), never
    overwritten silently; other changes made meanwhile are kept."""

    FORM_TITLE = "Next step"

    def __init__(self, ws: Workspace, item: TodayItem, *, lock: threading.Lock) -> None:
        super().__init__(ws, item, lock=lock)
        assert item.deal_id is not None
        self.base = ws.load("deals", Deal, item.deal_id)
        self.choices: dict[str, Side] = {}

    def compose_fields(self) -> ComposeResult:
        ws = self.ws
        yield Field("Next step", Input(id="step", compact=True), required=True)
        yield Field(
            "Due",
            DateInput(id="due", today=ws.today, locale=ws.locale, compact=True),
            required=True,
        )

    def prepare(self) -> Callable[[], object]:
        step = self.value("step")
        due = self.query_one("#due", DateInput).parsed
        assert due is not None and self.item.deal_id is not None
        ws, deal_id, base, choices = self.ws, self.item.deal_id, self.base, dict(self.choices)
        return lambda: actions.set_next_step(ws, deal_id, step, due, base=base, choices=choices)

    def _refused(self, exc: AccmgrError) -> None:
        if not isinstance(exc, EditConflict):
            super()._refused(exc)
            return

        def decided(sides: dict[str, Side] | None) -> None:
            if sides is not None:
                self.choices = sides
                self.action_save()

        self.app.push_screen(ConflictDialog(exc.record_id, conflict_rows(exc)), decided)
