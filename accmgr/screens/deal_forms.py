"""The deal workspace's forms: one modal per stage action, each a write of ``stage_data``.

Built on :class:`accmgr.widgets.form.FormScreen`: every field is checked as it changes and its
message sits beside it; nothing is written until every field is valid, and then in one
transaction in a worker under the app's store lock. A field id is the service's keyword, so
a refusal from the service lands beside the field it names. A conflict (the deal changed
elsewhere) is a notification; the deal screen reloads and the form stays open with the
user's edits, to be saved again against the fresh revision.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, Static

from accmgr.domain.common import Priority
from accmgr.domain.deal import (
    CallOutcome,
    Deal,
    Meeting,
    Milestone,
    MilestoneStatus,
    Need,
    Objection,
    ObjectionCategory,
    ObjectionStatus,
)
from accmgr.errors import ValidationError
from accmgr.services import stage_data as sd
from accmgr.services.workspace import Workspace
from accmgr.widgets.form import Field
from accmgr.widgets.form_parts import WorkspaceForm, chosen, enum_select, text_area
from accmgr.widgets.inputs import DateInput
from accmgr.widgets.visible_text import shown

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class DealContext:
    """What a form needs from the deal screen."""

    workspace: Workspace
    deal: Deal
    lock: threading.Lock
    # The revision the screen read last: a save after a reload uses the fresh one.
    latest_rev: Callable[[], int]
    reload: Callable[[], None]
    catalog: Mapping[str, str]  # active products: code → name
    inactive: frozenset[str]  # codes of products no longer sold
    contacts: tuple[str, ...] = ()


class DealForm(WorkspaceForm[Deal]):
    """The base of the deal forms: the context; after a conflict the deal screen reloads."""

    def __init__(self, ctx: DealContext) -> None:
        super().__init__(ctx.workspace, ctx.lock)
        self.ctx = ctx

    @property
    def deal_id(self) -> str:
        return self.ctx.deal.id

    def rev(self) -> int:
        return self.ctx.latest_rev()

    def reload(self) -> None:
        self.ctx.reload()


# --- Call --------------------------------------------------------------------------------------


class CallForm(DealForm):
    FORM_TITLE = "Log a call"

    def compose_fields(self) -> ComposeResult:
        yield Field("When", self.moment_input("at", "now"), required=True)
        hint = "contacts: " + ", ".join(self.ctx.contacts) if self.ctx.contacts else ""
        yield Field("Who", Input(id="who", compact=True), required=True, hint=hint)
        yield Field("Outcome", enum_select(CallOutcome, None, "outcome"), required=True)
        yield Field("Note", Input(id="note", compact=True))
        yield Field("Next call", self.date_input("next_call"))

    def prepare(self) -> Callable[[], Deal]:
        at, who, note = self.parsed("at"), self.text("who"), self.text("note")
        outcome, next_call = chosen(self, "outcome", CallOutcome), self.parsed("next_call")
        rev = self.rev()
        return lambda: sd.record_call(
            self.ws,
            self.deal_id,
            at=at,
            who=who,
            outcome=outcome,
            note=note,
            next_call=next_call,
            expected_rev=rev,
        )


# --- Meeting -----------------------------------------------------------------------------------


class BookMeetingForm(DealForm):
    FORM_TITLE = "Book a meeting"

    def compose_fields(self) -> ComposeResult:
        yield Field("When", self.moment_input("planned_at"), required=True)
        yield Field("Place", Input(id="place", compact=True), required=True)
        yield Field("Agenda", text_area("agenda"))

    def prepare(self) -> Callable[[], Deal]:
        planned_at, place, agenda = (
            self.parsed("planned_at"),
            self.text("place"),
            self.text("agenda"),
        )
        rev = self.rev()
        return lambda: sd.book_meeting(
            self.ws, self.deal_id, planned_at=planned_at, place=place, agenda=agenda,
            expected_rev=rev,
        )  # fmt: skip


class MeetingPrepForm(DealForm):
    FORM_TITLE = "Prepare the meeting"

    def __init__(self, ctx: DealContext, index: int, meeting: Meeting) -> None:
        super().__init__(ctx)
        self.index = index
        self.meeting = meeting

    def compose_intro(self) -> ComposeResult:
        when = f"{self.meeting.planned_at:%a %-d %b %Y %H:%M}" if self.meeting.planned_at else "?"
        yield Static(f"Meeting {when} at {self.meeting.place}", classes="form-intro", markup=False)

    def compose_fields(self) -> ComposeResult:
        m = self.meeting
        yield Field("Agenda", text_area("agenda", m.agenda))
        yield Field(
            "Attendees",
            text_area("attendees", sd.attendees_text(m.attendees)),
            check=self._check_attendees,
            hint="one per line: Name, role — start with + for our side",
        )
        yield Field("Client interests", text_area("client_interests", m.client_interests))
        yield Field("Benefits to show", text_area("benefits_to_show", m.benefits_to_show))
        yield Field(
            "Reliability",
            Checkbox(
                "reliability notes reviewed",
                value=m.reliability_reviewed,
                id="reliability_reviewed",
                compact=True,
            ),
        )

    def _check_attendees(self) -> str | None:
        try:
            sd.parse_attendees(self.text("attendees"))
        except ValidationError as exc:
            return exc.detail
        return None

    def prepare(self) -> Callable[[], Deal]:
        changes: dict[str, Any] = {
            "agenda": self.text("agenda"),
            "attendees": sd.parse_attendees(self.text("attendees")),
            "client_interests": self.text("client_interests"),
            "benefits_to_show": self.text("benefits_to_show"),
            "reliability_reviewed": self.ticked("reliability_reviewed"),
        }
        rev = self.rev()
        return lambda: sd.update_meeting_prep(
            self.ws, self.deal_id, self.index, expected_rev=rev, **changes
        )


class MeetingOutcomeForm(DealForm):
    FORM_TITLE = "Meeting outcome"

    def __init__(self, ctx: DealContext, index: int, meeting: Meeting) -> None:
        super().__init__(ctx)
        self.index = index
        self.meeting = meeting

    def compose_fields(self) -> ComposeResult:
        m = self.meeting
        yield Field("Held", Checkbox("the meeting took place", value=True, id="held"))
        yield Field(
            "Notes",
            text_area("notes", m.outcome_notes),
            check=self._check_notes,
            hint="what was said: mutual benefits shown, the client's reaction",
        )
        yield Field("Contract points", text_area("draft_contract_points", m.draft_contract_points))
        yield Field("Disagreements", text_area("disagreements", m.disagreements))

    def _check_notes(self) -> str | None:
        if self.ticked("held") and not self.text("notes").strip():
            return "required when the meeting was held"
        return None

    def prepare(self) -> Callable[[], Deal]:
        held, notes = self.ticked("held"), self.text("notes")
        points, disagreements = self.text("draft_contract_points"), self.text("disagreements")
        rev = self.rev()
        return lambda: sd.record_meeting_outcome(
            self.ws,
            self.deal_id,
            self.index,
            held=held,
            notes=notes,
            draft_contract_points=points,
            disagreements=disagreements,
            expected_rev=rev,
        )


# --- Needs -------------------------------------------------------------------------------------


class _ProductsMixin(DealForm):
    """A field of catalog codes that names what it found as it is typed."""

    def products_field(self, codes: str = "") -> Field:
        return Field(
            "Products",
            Input(
                codes, id="products", placeholder="catalog codes, e.g. BOX-40 TAPE-1", compact=True
            ),
            check=self._check_products,
            hint="catalog codes, separated by spaces or commas",
        )

    def _lookup(self) -> tuple[list[str], str | None]:
        by_key = {code.casefold(): (code, name) for code, name in self.ctx.catalog.items()}
        inactive = {code.casefold() for code in self.ctx.inactive}
        names: list[str] = []
        for code in sd.split_codes(self.text("products")):
            if code.casefold() in inactive:
                return names, f"product {code} is no longer sold"
            if code.casefold() not in by_key:
                return names, f"no product {code} in the catalog"
            found, name = by_key[code.casefold()]
            names.append(f"{found} {name}")
        return names, None

    def _check_products(self) -> str | None:
        return self._lookup()[1]

    @on(Input.Changed, "#products")
    def _products_typed(self) -> None:
        names, problem = self._lookup()
        field = self.field("products")
        field.hint = " · ".join(names) if names and problem is None else field.hint
        field.show()


class NeedForm(_ProductsMixin):
    FORM_TITLE = "Add a need"

    def compose_fields(self) -> ComposeResult:
        yield Field("Need", Input(id="need", compact=True), required=True)
        yield Field("Priority", enum_select(Priority, Priority.MEDIUM, "priority"))
        yield self.products_field()
        yield Field("Presented", Checkbox("products presented", id="presented", compact=True))

    def prepare(self) -> Callable[[], Deal]:
        need, priority = self.text("need"), chosen(self, "priority", Priority)
        products, presented = sd.split_codes(self.text("products")), self.ticked("presented")
        rev = self.rev()
        return lambda: sd.add_need(
            self.ws, self.deal_id, need=need, priority=priority, products=products,
            presented=presented, expected_rev=rev,
        )  # fmt: skip


class MatchForm(_ProductsMixin):
    FORM_TITLE = "Match the need to products"

    def __init__(self, ctx: DealContext, index: int, need: Need) -> None:
        super().__init__(ctx)
        self.index = index
        self.need = need

    def compose_intro(self) -> ComposeResult:
        yield Static(self.need.need, classes="form-intro", markup=False)

    def compose_fields(self) -> ComposeResult:
        yield self.products_field(" ".join(self.need.products))
        yield Field(
            "Presented",
            Checkbox("products presented", value=self.need.presented, id="presented", compact=True),
        )

    def prepare(self) -> Callable[[], Deal]:
        products, presented = sd.split_codes(self.text("products")), self.ticked("presented")
        rev = self.rev()
        return lambda: sd.match_need_to_products(
            self.ws, self.deal_id, self.index, products, presented=presented, expected_rev=rev
        )


class InvitationForm(DealForm):
    FORM_TITLE = "Invite to a presentation or fair"

    def compose_fields(self) -> ComposeResult:
        yield Field("Event", Input(id="event", compact=True), required=True)
        yield Field("On", self.date_input("on", required=True), required=True)

    def prepare(self) -> Callable[[], Deal]:
        event, on_day = self.text("event"), self.parsed("on")
        rev = self.rev()
        return lambda: sd.add_invitation(
            self.ws, self.deal_id, event=event, on=on_day, expected_rev=rev
        )


# --- Objections --------------------------------------------------------------------------------


class ObjectionForm(DealForm):
    """Add an objection, or edit objection ``index``."""

    def __init__(
        self, ctx: DealContext, index: int | None = None, objection: Objection | None = None
    ) -> None:
        super().__init__(ctx)
        self.index = index
        self.objection = objection

    @property
    def form_title(self) -> str:
        return "Add an objection" if self.index is None else f"Objection #{(self.index or 0) + 1}"

    def on_mount(self) -> None:
        self.query_one("#form").border_title = self.form_title
        super().on_mount()

    def compose_fields(self) -> ComposeResult:
        o = self.objection
        yield Field(
            "Category", enum_select(ObjectionCategory, o.category if o else None, "category"),
            required=True,
        )  # fmt: skip
        yield Field("Their words", text_area("words", o.words if o else ""), required=True)
        yield Field("Real reason", text_area("real_reason", o.real_reason if o else ""))
        yield Field("Response", text_area("response", o.response if o else ""))
        yield Field(
            "Status",
            enum_select(ObjectionStatus, o.status if o else ObjectionStatus.OPEN, "status"),
        )
        yield Field(
            "Blocking",
            Checkbox(
                "blocks the deal until resolved",
                value=o.blocking if o else False,
                id="blocking",
                compact=True,
            ),
        )

    def prepare(self) -> Callable[[], Deal]:
        values: dict[str, Any] = {
            "category": chosen(self, "category", ObjectionCategory),
            "words": self.text("words"),
            "real_reason": self.text("real_reason"),
            "response": self.text("response"),
            "status": chosen(self, "status", ObjectionStatus),
            "blocking": self.ticked("blocking"),
        }
        rev, index = self.rev(), self.index
        if index is None:
            return lambda: sd.add_objection(self.ws, self.deal_id, expected_rev=rev, **values)
        return lambda: sd.update_objection(self.ws, self.deal_id, index, expected_rev=rev, **values)


# --- Fulfilment --------------------------------------------------------------------------------


class MilestoneForm(DealForm):
    FORM_TITLE = "Add a delivery milestone"

    def compose_fields(self) -> ComposeResult:
        yield Field("What", Input(id="what", compact=True), required=True)
        yield Field("Due", self.date_input("due", required=True), required=True)
        yield Field("Department", Input(id="department", compact=True))
        statuses = [("planned", "planned"), ("in progress", "in-progress"), ("blocked", "blocked")]
        yield Field(
            "Status",
            Select(statuses, value="planned", allow_blank=False, id="status", compact=True),
        )

    def prepare(self) -> Callable[[], Deal]:
        what, due, department = self.text("what"), self.parsed("due"), self.text("department")
        status = chosen(self, "status", MilestoneStatus)
        rev = self.rev()
        return lambda: sd.add_milestone(
            self.ws, self.deal_id, what=what, due=due, department=department, status=status,
            expected_rev=rev,
        )  # fmt: skip


class DeliverForm(DealForm):
    FORM_TITLE = "Milestone delivered"

    def __init__(self, ctx: DealContext, index: int, milestone: Milestone) -> None:
        super().__init__(ctx)
        self.index = index
        self.milestone = milestone

    def compose_intro(self) -> ComposeResult:
        m = self.milestone
        yield Static(f"{m.what} — due {m.due:%a %-d %b %Y}", classes="form-intro", markup=False)

    def compose_fields(self) -> ComposeResult:
        yield Field(
            "Delivered on",
            self.date_input("delivered_on", "today", required=True),
            required=True,
            check=self._check_day,
        )

    def _check_day(self) -> str | None:
        day = self.parsed("delivered_on")
        if day is not None and day > self.ws.today():
            return "expected a day that has come, not a future one"
        return None

    @on(Input.Changed, "#delivered_on")
    def _timeliness(self) -> None:
        day = self.parsed("delivered_on")
        if day is None:
            return
        late = (day - self.milestone.due).days
        field = self.field("delivered_on")
        widget = self.query_one("#delivered_on", DateInput)
        # Read back the date and say whether it is on time, beside the field.
        widget.feedback = f"{widget.describe(day)} — " + (
            f"{late} day{'s' if late != 1 else ''} late" if late > 0 else "on time"
        )
        field.show()

    def on_mount(self) -> None:
        super().on_mount()
        self._timeliness()

    def prepare(self) -> Callable[[], Deal]:
        day = self.parsed("delivered_on")
        rev = self.rev()
        return lambda: sd.deliver_milestone(
            self.ws, self.deal_id, self.index, delivered_on=day, expected_rev=rev
        )


# --- Referrals ---------------------------------------------------------------------------------


class AskReferralForm(DealForm):
    FORM_TITLE = "Ask for a referral"

    def compose_fields(self) -> ComposeResult:
        yield Field("Asked on", self.date_input("asked_on", "today", required=True), required=True)
        yield Field("Note", Input(id="note", compact=True))

    def prepare(self) -> Callable[[], Deal]:
        asked_on, note = self.parsed("asked_on"), self.text("note")
        rev = self.rev()
        return lambda: sd.ask_referral(
            self.ws, self.deal_id, asked_on=asked_on, note=note, expected_rev=rev
        )


class ReceiveReferralForm(DealForm):
    """A referral received: the company becomes a new prospect linked to this client."""

    FORM_TITLE = "Referral received"

    def __init__(self, ctx: DealContext, index: int | None = None) -> None:
        super().__init__(ctx)
        self.index = index

    def compose_intro(self) -> ComposeResult:
        asked = f"completes ask #{self.index + 1}; " if self.index is not None else ""
        yield Static(
            f"{asked}the company becomes a new prospect client referred by this client",
            classes="form-intro",
            markup=False,
        )

    def compose_fields(self) -> ComposeResult:
        yield Field("Company", Input(id="company", compact=True), required=True)
        yield Field("Contact", Input(id="contact_name", compact=True))
        yield Field("Phone", Input(id="phone", compact=True))
        yield Field("E-mail", Input(id="email", compact=True))
        yield Field("Note", Input(id="note", compact=True))

    def prepare(self) -> Callable[[], Deal]:
        values = {
            key: self.text(key) for key in ("company", "contact_name", "phone", "email", "note")
        }
        rev, index = self.rev(), self.index
        return lambda: sd.receive_referral(
            self.ws, self.deal_id, index=index, expected_rev=rev, **values
        )[0]


class TestimonialForm(DealForm):
    FORM_TITLE = "Add a testimonial"

    def compose_fields(self) -> ComposeResult:
        yield Field("Text", text_area("text"), required=True)
        yield Field("By", Input(id="by", compact=True), required=True)
        yield Field("On", self.date_input("on", "today", required=True), required=True)
        yield Field("Publish", Checkbox("may be published", id="may_publish", compact=True))

    def prepare(self) -> Callable[[], Deal]:
        text, by, on_day = self.text("text"), self.text("by"), self.parsed("on")
        may_publish = self.ticked("may_publish")
        rev = self.rev()
        return lambda: sd.add_testimonial(
            self.ws, self.deal_id, text=text, by=by, on=on_day, may_publish=may_publish,
            expected_rev=rev,
        )  # fmt: skip


# --- Next step ---------------------------------------------------------------------------------


class NextStepForm(DealForm):
    FORM_TITLE = "Next step"

    def compose_fields(self) -> ComposeResult:
        deal = self.ctx.deal
        due = deal.next_step_due.isoformat() if deal.next_step_due else ""
        yield Field(
            "Next step",
            Input(shown(deal.next_step), id="next_step", compact=True),
            hint="empty clears it (the deal then shows as stalled)",
        )
        yield Field("Due", self.date_input("due", due))

    def prepare(self) -> Callable[[], Deal]:
        text, due = self.text("next_step"), self.parsed("due")
        rev = self.rev()
        return lambda: sd.set_next_step(self.ws, self.deal_id, text, due, expected_rev=rev)
