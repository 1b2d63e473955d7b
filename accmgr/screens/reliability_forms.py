"""The client screen's forms for reliability, complaints and the account plan.

Every field id is the service's keyword, so a refusal from the service lands beside the field
it names. A write of the client record carries the revision the screen showed: if another
terminal changed the client meanwhile, the write is refused and the form stays open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Select

from accmgr.domain.client import (
    Client,
    Complaint,
    FlagCategory,
    Payment,
    Rating,
    RedFlag,
    RevenueBand,
    Severity,
)
from accmgr.domain.deal import Deal
from accmgr.errors import ValidationError
from accmgr.screens.client_forms import RecordForm
from accmgr.services import account_plan, reliability
from accmgr.services.workspace import Workspace
from accmgr.widgets.form import Field
from accmgr.widgets.form_parts import chosen, enum_select, intro, text_area
from accmgr.widgets.inputs import DateInput, MoneyInput


@dataclass(frozen=True)
class ClientContext:
    """What a form needs from the client screen."""

    workspace: Workspace
    client: Client
    lock: threading.Lock
    # The client's revision as the screen read it last: after a conflict the screen reloads
    # and a second save uses the fresh revision, with the user's edits kept.
    latest_rev: Callable[[], int]
    reload: Callable[[], None]
    deals: tuple[Deal, ...] = ()


class ClientRecordForm(RecordForm[Any]):
    """The base: the client and its revision, and date and money inputs."""

    def __init__(self, ctx: ClientContext) -> None:
        super().__init__(ctx.workspace, ctx.lock)
        self.ctx = ctx

    @property
    def client_id(self) -> str:
        return self.ctx.client.id

    @property
    def rev(self) -> int:
        return self.ctx.latest_rev()

    def reload(self) -> None:
        self.ctx.reload()

    def day(self, widget_id: str) -> date | None:
        return self.query_one(f"#{widget_id}", DateInput).parsed

    def whole(self, widget_id: str, low: int, high: int) -> Callable[[], str | None]:
        """A check for an optional whole number within [low, high]."""

        def check() -> str | None:
            text = self.text(widget_id)
            if not text:
                return None
            if not text.isdigit() or not low <= int(text) <= high:
                return f"expected a whole number from {low} to {high}"
            return None

        return check

    def number(self, widget_id: str) -> int | None:
        text = self.text(widget_id)
        return int(text) if text else None


# --- payments ----------------------------------------------------------------------------------


class PaymentForm(ClientRecordForm):
    FORM_TITLE = "Record an invoice"

    def compose_fields(self) -> ComposeResult:
        currency = self.ctx.client.currency
        yield Field("Invoice", self.input("invoice"), required=True)
        yield Field("Amount", MoneyInput(id="amount", currency=currency, required=True,
                                         compact=True), required=True)  # fmt: skip
        yield Field("Currency", self.input("currency", currency, max_length=3), required=True,
                    check=self._currency)  # fmt: skip
        yield Field("Due", self.date_input("due", required=True), required=True)
        yield Field("Paid on", self.date_input("paid"), hint="empty while unpaid")

    def _currency(self) -> str | None:
        from accmgr.domain.money import check_currency

        try:
            check_currency(self.text("currency"))
        except ValidationError as exc:
            return exc.detail
        return None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "currency":
            self.query_one("#amount", MoneyInput).set_currency(event.value)

    def prepare(self) -> Callable[[], Client]:
        invoice, amount = self.text("invoice"), self.query_one("#amount", MoneyInput).parsed
        currency, due, paid = self.text("currency").upper(), self.day("due"), self.day("paid")
        if amount is None or due is None:
            raise ValidationError("amount" if amount is None else "due", "required")
        ws, cid, rev = self.ws, self.client_id, self.rev
        return lambda: reliability.add_payment(
            ws, cid, invoice=invoice, amount=amount, due=due, currency=currency, paid=paid,
            expected_rev=rev,
        )  # fmt: skip


class MarkPaidForm(ClientRecordForm):
    FORM_TITLE = "Mark paid"

    def __init__(self, ctx: ClientContext, payment: Payment) -> None:
        super().__init__(ctx)
        self.payment = payment

    def compose_intro(self) -> ComposeResult:
        p = self.payment
        yield intro(f"Invoice {p.invoice}: {p.currency} {p.amount}, due {p.due:%-d %b %Y}")

    def compose_fields(self) -> ComposeResult:
        yield Field("Paid on", self.date_input("on", "today", required=True), required=True)

    def prepare(self) -> Callable[[], Client]:
        on = self.day("on")
        if on is None:
            raise ValidationError("on", "required")
        ws, cid, rev, invoice = self.ws, self.client_id, self.rev, self.payment.invoice
        return lambda: reliability.mark_paid(ws, cid, invoice, on=on, expected_rev=rev)


# --- red flags and reviews ---------------------------------------------------------------------


class FlagForm(ClientRecordForm):
    FORM_TITLE = "Raise a red flag"

    def compose_fields(self) -> ComposeResult:
        yield Field("Category", enum_select(FlagCategory, None, "category"), required=True)
        yield Field("Note", text_area("note"), required=True)
        yield Field("Raised on", self.date_input("raised_on", "today", required=True),
                    required=True)  # fmt: skip

    def prepare(self) -> Callable[[], Client]:
        category, note = chosen(self, "category", FlagCategory), self.text("note")
        raised_on, ws, cid, rev = self.day("raised_on"), self.ws, self.client_id, self.rev
        return lambda: reliability.add_flag(
            ws, cid, category, note, raised_on=raised_on, expected_rev=rev
        )


class ResolveFlagForm(ClientRecordForm):
    FORM_TITLE = "Resolve a red flag"

    def __init__(self, ctx: ClientContext, number: int, flag: RedFlag) -> None:
        super().__init__(ctx)
        self.flag_number = number
        self.flag = flag

    def compose_intro(self) -> ComposeResult:
        f = self.flag
        yield intro(f"Red flag {self.flag_number} ({f.category.value}), raised "
                    f"{f.raised_on:%-d %b %Y}: {f.note}")  # fmt: skip

    def compose_fields(self) -> ComposeResult:
        yield Field("Resolution", text_area("note"), required=True)
        yield Field("On", self.date_input("on", "today", required=True), required=True)

    def prepare(self) -> Callable[[], Client]:
        note, on, number = self.text("note"), self.day("on"), self.flag_number
        ws, cid, rev = self.ws, self.client_id, self.rev
        return lambda: reliability.resolve_flag(ws, cid, number, note, on=on, expected_rev=rev)


class IndicatorsForm(ClientRecordForm):
    FORM_TITLE = "Financial indicators"

    def compose_fields(self) -> ComposeResult:
        p = self.ctx.client.reliability
        years = "" if p.years_in_business is None else str(p.years_in_business)
        yield Field("Years in business", self.input("years_in_business", years),
                    check=self.whole("years_in_business", 0, 500))  # fmt: skip
        band = Select(
            [(b.value, b.value) for b in RevenueBand],
            value=p.revenue_band.value if p.revenue_band else Select.NULL,
            prompt="unknown",
            id="revenue_band",
            compact=True,
        )
        yield Field("Revenue band", band)
        limit = "" if p.credit_limit is None else str(p.credit_limit)
        yield Field("Credit limit", MoneyInput(limit, currency=self.ctx.client.currency,
                                               id="credit_limit", compact=True))  # fmt: skip
        terms = "" if p.payment_terms_days is None else str(p.payment_terms_days)
        yield Field("Payment terms", self.input("payment_terms_days", terms),
                    check=self.whole("payment_terms_days", 0, 365), hint="days")  # fmt: skip

    def indicator_values(self) -> dict[str, Any]:
        band = self.query_one("#revenue_band", Select).value
        credit: Decimal | None = self.query_one("#credit_limit", MoneyInput).parsed
        return {
            "years_in_business": self.number("years_in_business"),
            "revenue_band": None if band is Select.NULL else RevenueBand(str(band)),
            "credit_limit": credit,
            "payment_terms_days": self.number("payment_terms_days"),
        }

    def prepare(self) -> Callable[[], Client]:
        values = self.indicator_values()
        ws, cid, rev = self.ws, self.client_id, self.rev
        return lambda: reliability.set_indicators(ws, cid, expected_rev=rev, **values)


class ReviewForm(IndicatorsForm):
    """Everything the CLI's ``review`` records: the rating, who and when, the financial
    indicators (prefilled), and a note saying why the client is rated as it is."""

    FORM_TITLE = "Record a reliability review"

    def compose_intro(self) -> ComposeResult:
        meanings = "\n".join(f"{r.value}: {r.meaning}" for r in Rating if r != Rating.UNRATED)
        yield intro(meanings)

    def compose_fields(self) -> ComposeResult:
        current = self.ctx.client.reliability.rating
        yield Field("Rating", enum_select(Rating, current, "rating"), required=True)
        yield Field("Reviewer", self.input("reviewer", self.ws.owner), required=True)
        yield Field("On", self.date_input("on", "today", required=True), required=True)
        yield from super().compose_fields()
        yield Field(
            "Why this rating",
            text_area("rating_note", self.ctx.client.reliability.rating_note),
            hint="shown with the rating in the brief and on the client",
        )

    def prepare(self) -> Callable[[], Client]:
        rating, reviewer, on = chosen(self, "rating", Rating), self.text("reviewer"), self.day("on")
        values = self.indicator_values()
        values["rating_note"] = self.text("rating_note")
        ws, cid, rev = self.ws, self.client_id, self.rev
        return lambda: reliability.record_review(
            ws, cid, rating, reviewer=reviewer, on=on, expected_rev=rev, **values
        )


# --- complaints --------------------------------------------------------------------------------


class ComplaintForm(ClientRecordForm):
    FORM_TITLE = "Record a complaint"

    def compose_fields(self) -> ComposeResult:
        yield Field("What", text_area("what"), required=True)
        yield Field("Severity", enum_select(Severity, Severity.MEDIUM, "severity"), required=True)
        deals = [(f"{d.id} {d.title}", d.id) for d in self.ctx.deals]
        yield Field("Deal", Select(deals, prompt="none", id="deal", compact=True))
        yield Field("Raised on", self.date_input("on", "today", required=True), required=True)

    def prepare(self) -> Callable[[], Complaint]:
        what, severity = self.text("what"), chosen(self, "severity", Severity)
        deal = self.query_one("#deal", Select).value
        deal_id = None if deal is Select.NULL else str(deal)
        on, ws, cid = self.day("on"), self.ws, self.client_id
        return lambda: reliability.add_complaint(
            ws, cid, what, severity=severity, deal_id=deal_id, raised_on=on
        )


class EscalateForm(ClientRecordForm):
    FORM_TITLE = "Escalate a complaint"

    def __init__(self, ctx: ClientContext, complaint: Complaint) -> None:
        super().__init__(ctx)
        self.complaint = complaint

    def compose_intro(self) -> ComposeResult:
        yield intro(f"{self.complaint.id} ({self.complaint.severity.value}): {self.complaint.what}")

    def compose_fields(self) -> ComposeResult:
        yield Field("Escalated to", self.input("to", self.complaint.escalated_to), required=True,
                    hint="a person or department")  # fmt: skip

    def prepare(self) -> Callable[[], Complaint]:
        to, ws, cid = self.text("to"), self.ws, self.complaint.id
        return lambda: reliability.escalate_complaint(ws, cid, to)


class ResolveComplaintForm(EscalateForm):
    FORM_TITLE = "Resolve a complaint"

    def compose_fields(self) -> ComposeResult:
        yield Field("Resolution", text_area("resolution"), required=True)
        yield Field("Resolved on", self.date_input("on", "today", required=True), required=True)

    def prepare(self) -> Callable[[], Complaint]:
        resolution, on, ws, cid = (
            self.text("resolution"),
            self.day("on"),
            self.ws,
            self.complaint.id,
        )
        return lambda: reliability.resolve_complaint(ws, cid, resolution, on=on)


# --- the account plan --------------------------------------------------------------------------


class PlanForm(ClientRecordForm):
    FORM_TITLE = "Account plan"
    DEFAULT_CSS = """
    PlanForm TextArea { height: 4; }
    """

    def compose_intro(self) -> ComposeResult:
        yield intro("One item per line.")

    def compose_fields(self) -> ComposeResult:
        plan = account_plan.plan_of(self.ctx.client)
        for part, title in (
            ("objectives", "Objectives"),
            ("strengths", "Strengths"),
            ("weaknesses", "Weaknesses"),
            ("opportunities", "Opportunities"),
            ("threats", "Threats"),
        ):
            yield Field(title, text_area(part, "\n".join(getattr(plan, part))))

    def prepare(self) -> Callable[[], Client]:
        parts = {part: self.text(part) for part in account_plan.PARTS}
        ws, cid, rev = self.ws, self.client_id, self.rev
        return lambda: account_plan.edit_plan(ws, cid, expected_rev=rev, **parts)
