"""The client screen's tabs: each one fills itself from the screen's :class:`ClientView`.

The view is read in one go off the UI thread (see ``accmgr/screens/client.py``); a tab only
turns records into rows and text, so redrawing it after a write is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Select, Static

from accmgr.domain import display
from accmgr.domain.activity import Activity, ActivityKind
from accmgr.domain.catalog import Product
from accmgr.domain.client import Client, Complaint, Contact
from accmgr.domain.common import as_date
from accmgr.domain.deal import Deal
from accmgr.domain.document import Document
from accmgr.domain.exchange import Total
from accmgr.domain.reliability import labelled
from accmgr.errors import AccmgrError
from accmgr.services.account_plan import plan_of
from accmgr.services.history import HistoryLine
from accmgr.services.reliability import ClientReliability
from accmgr.widgets.visible_text import ShownText, shown, shown_cell


@dataclass(frozen=True)
class ClientView:
    """Everything the client screen shows, read in one go off the UI thread."""

    client: Client
    contacts: tuple[Contact, ...]
    deals: tuple[Deal, ...]
    activities: tuple[Activity, ...]  # newest first
    documents: tuple[Document, ...]
    complaints: tuple[Complaint, ...]  # newest first
    reliability: ClientReliability
    warnings: tuple[str, ...]
    whitespace: tuple[Product, ...]
    now: datetime
    #: Changes to the client and its records, oldest first.
    history: tuple[HistoryLine, ...] = ()
    open_total: Total | None = None  # the open deals in the reporting currency

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def open_deals(self) -> tuple[Deal, ...]:
        return tuple(d for d in self.deals if d.is_open)

    def same_records(self, other: ClientView | None) -> bool:
        """Equal records (the clock aside but its day): no redraw needed."""
        return other is not None and (self.today, self._records()) == (
            other.today,
            other._records(),
        )

    def _records(self) -> tuple[object, ...]:
        return (
            self.client,
            self.contacts,
            self.deals,
            self.activities,
            self.documents,
            self.complaints,
            self.whitespace,
            self.history,
            self.open_total,
        )


def day_text(value: date | None) -> str:
    return f"{value:%-d %b %Y}" if value else "—"


def when_text(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return f"{value:%-d %b %Y %H:%M}"
    return day_text(value)


def money(value: Decimal, currency: str) -> str:
    return display.money(value, currency)


def short(text: str, width: int = 40) -> str:
    line = " ".join(shown(text).split())
    return line if len(line) <= width else line[: width - 1] + "…"


def label(value: str) -> str:
    return value.replace("-", " ")


def table(table_id: str, *columns: str) -> DataTable[Any]:
    found: DataTable[Any] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    found.add_columns(*columns)
    return found


def fill(found: DataTable[Any], rows: list[tuple[Any, ...]], empty: str, at: int = 0) -> None:
    """Replace the rows, keeping the cursor where it was; an empty list says so in column
    ``at`` (a wide one: the message would stretch a narrow column such as "#")."""
    row = found.cursor_row
    found.clear()
    for values in rows:
        found.add_row(*map(shown_cell, values))
    if not rows:
        cells = [""] * len(found.columns)
        cells[at] = empty
        found.add_row(*cells, key="empty")
    found.move_cursor(row=min(row, max(len(rows) - 1, 0)))


def selected(found: DataTable[Any], count: int) -> int | None:
    """The index of the record under the cursor, or None for an empty list."""
    if count == 0:
        return None
    return min(max(found.cursor_row, 0), count - 1)


def warnings_text(warnings: tuple[str, ...]) -> Text:
    text = ShownText()
    for warning in warnings:
        # Worst first, each with its glyph and severity ("⊘ STOP: rated D — …").
        text.append(labelled(warning) + "\n", style="red")
    text.rstrip()
    return text


class ClientTab(VerticalScroll):
    """A tab's content, filled from the screen's view whenever it changes."""

    NAME: ClassVar[str] = ""

    def on_mount(self) -> None:
        view = getattr(self.screen, "view", None)
        if isinstance(view, ClientView):
            self.show(view)
        # A tab built lazily appears after the screen's tab change tried to focus its table:
        # take the focus here too, or the keys would go to the tab strip.
        self.call_after_refresh(self._take_focus)

    def _take_focus(self) -> None:
        focused = self.screen.focused
        if getattr(self.screen, "active_tab", None) != self.NAME:
            return
        if focused is not None and self in focused.ancestors:
            return
        for found in self.query(DataTable).results(DataTable):
            found.focus(scroll_visible=False)  # the tab opens at its top (see client.py)
            return

    def show(self, view: ClientView) -> None:
        raise NotImplementedError


class OverviewTab(ClientTab):
    NAME = "overview"

    def compose(self) -> ComposeResult:
        yield Static("", id="overview-warnings")
        yield Static("", id="overview-facts")
        yield Static("Open deals (enter opens the deal)", classes="section")
        yield table("overview-deals", "Deal", "Title", "Stage", "Value", "Next step", "Due")
        yield Static("Planned activities", classes="section")
        yield table("overview-planned", "Due", "Kind", "Note")

    def show(self, view: ClientView) -> None:
        c, r = view.client, view.reliability
        warnings = self.query_one("#overview-warnings", Static)
        warnings.update(shown_cell(warnings_text(view.warnings)))
        warnings.display = bool(view.warnings)
        facts = ShownText()
        for name, value in (
            ("Legal name", c.legal_name),
            ("Tax id", c.tax_id),
            ("Segment", f"{c.segment or '—'} · industry {c.industry or '—'} · tier {c.tier.value}"),
            ("Country", f"{c.country or '—'} · language {c.language} · currency {c.currency}"),
            ("Contact", " · ".join(x for x in (c.email or "", c.phone, c.website) if x)),
            ("Owner", c.owner),
            ("Tags", ", ".join(c.tags)),
            ("Reliability", f"{r.rating.value} — {r.rating.meaning}"),
        ):
            facts.append(f"{name}: ", style="bold")
            facts.append((value or "—") + "\n")
        facts.rstrip()
        self.query_one("#overview-facts", Static).update(shown_cell(facts))
        rows = []
        for deal in view.open_deals:
            due: str | Text = day_text(deal.next_step_due)
            if deal.next_step_due is not None and deal.next_step_due < view.today:
                due = Text(f"{due} overdue", style="red")
            rows.append(
                (
                    deal.id,
                    short(deal.title, 30),
                    deal.stage.label,
                    Text(money(deal.value, deal.currency), justify="right"),
                    short(deal.next_step, 28) or Text("none", style="red"),
                    due,
                )
            )
        fill(self.query_one("#overview-deals", DataTable), rows, "No open deals")
        planned = [a for a in view.activities if not a.done and a.due is not None]
        planned.sort(key=lambda a: as_date(a.due) if a.due else date.max)
        fill(
            self.query_one("#overview-planned", DataTable),
            [(when_text(a.due), a.kind.value, short(a.note or a.outcome, 60)) for a in planned],
            "Nothing planned",
        )


class ContactsTab(ClientTab):
    NAME = "contacts"

    def compose(self) -> ComposeResult:
        yield table("contacts", "Name", "Title", "Role in decisions", "Prefers", "Phone", "E-mail")
        yield Static("", id="contact-notes")

    def show(self, view: ClientView) -> None:
        rows = [
            (p.name, p.title or "—", label(p.role.value), p.preferred_channel.value,
             p.phone or "—", p.email or "—")
            for p in view.contacts
        ]  # fmt: skip
        fill(self.query_one("#contacts", DataTable), rows, "No contacts yet: a to add one")
        self._notes(view)

    def _notes(self, view: ClientView) -> None:
        index = selected(self.query_one("#contacts", DataTable), len(view.contacts))
        notes = view.contacts[index].notes if index is not None else ""
        self.query_one("#contact-notes", Static).update(
            shown_cell(f"Notes: {notes}" if notes else "")
        )

    @on(DataTable.RowHighlighted, "#contacts")
    def _highlighted(self) -> None:
        view = getattr(self.screen, "view", None)
        if isinstance(view, ClientView):
            self._notes(view)


ALL_KINDS = "all"


class ActivityTab(ClientTab):
    NAME = "activity"

    def compose(self) -> ComposeResult:
        kinds = [(kind.value, kind.value) for kind in ActivityKind]
        yield Select(kinds, prompt="All kinds", id="activity-kind", compact=True)
        yield table("activities", "When", "Kind", "Deal", "Status", "Outcome / note")

    def shown(self, view: ClientView) -> list[Activity]:
        value = self.query_one("#activity-kind", Select).value
        if value is Select.NULL:
            return list(view.activities)
        return [a for a in view.activities if a.kind.value == value]

    def show(self, view: ClientView) -> None:
        rows = []
        for a in self.shown(view):
            if a.done:
                status: str | Text = "done"
            elif a.overdue(view.now):
                status = Text("overdue", style="red")
            else:
                status = "planned"
            rows.append(
                (
                    when_text(a.done_at or a.due),
                    a.kind.value,
                    a.deal_id or "—",
                    status,
                    short(" — ".join(x for x in (a.outcome, a.note) if x), 50) or "—",
                )
            )
        fill(self.query_one("#activities", DataTable), rows, "No activities")

    @on(Select.Changed, "#activity-kind")
    def _kind(self) -> None:
        view = getattr(self.screen, "view", None)
        if isinstance(view, ClientView):
            self.show(view)

    def cycle_kind(self) -> None:
        select = self.query_one("#activity-kind", Select)
        kinds: list[Any] = [Select.NULL, *(k.value for k in ActivityKind)]
        here = kinds.index(select.value) if select.value in kinds else 0
        select.value = kinds[(here + 1) % len(kinds)]


class ReliabilityTab(ClientTab):
    NAME = "reliability"

    def compose(self) -> ComposeResult:
        yield Static("", id="reliability-summary")
        yield Static("Payment history", classes="section")
        yield table("payments", "Invoice", "Amount", "Due", "Paid", "Days late", "Status")
        yield Static("Red flags", classes="section")
        yield table("flags", "#", "Category", "Note", "Raised", "Status", "Resolution")

    def show(self, view: ClientView) -> None:
        r, today = view.reliability, view.today
        profile, figures = r.profile, r.figures
        text = warnings_text(view.warnings)
        if view.warnings:
            text.append("\n\n")
        text.append("Rating: ", style="bold")
        text.append(f"{r.rating.value}", style="bold")
        text.append(f" — {r.rating.meaning}\n")
        if profile.rating_note:
            text.append("Why: ", style="bold")
            text.append(profile.rating_note + "\n")
        text.append("Last review: ", style="bold")
        if profile.reviewed_on is None:
            text.append("never\n", style="red")
        else:
            text.append(
                f"{day_text(profile.reviewed_on)} by {profile.reviewer or '—'} "
                f"({r.review_age_days} days ago)\n"
            )
        credit = money(profile.credit_limit, view.client.currency) if profile.credit_limit else "—"
        terms = (
            f"{profile.payment_terms_days} days" if profile.payment_terms_days is not None else "—"
        )
        years = str(profile.years_in_business) if profile.years_in_business is not None else "—"
        band = profile.revenue_band.value if profile.revenue_band else "—"
        text.append("Financials: ", style="bold")
        text.append(
            f"{years} years in business · revenue {band} · credit limit {credit} · terms {terms}\n"
        )
        text.append("Payments: ", style="bold")
        if figures.paid:
            share = (
                f"{figures.on_time_share * 100:.0f}%" if figures.on_time_share is not None else "—"
            )
            text.append(
                f"{figures.paid} of {figures.invoices} paid · average {figures.average_days_late} "
                f"days late · worst {figures.worst_days_late} · on time {share}"
            )
        else:
            text.append(f"{figures.invoices} invoice(s), none paid yet")
        if figures.open_overdue:
            overdue = ", ".join(money(v, k) for k, v in sorted(figures.open_overdue.items()))
            oldest = figures.oldest_overdue_days
            text.append(
                f"\nOpen overdue: {overdue} in {figures.overdue_invoices} invoice(s), "
                f"the oldest {oldest} days late",
                style="red",
            )
        self.query_one("#reliability-summary", Static).update(shown_cell(text))
        payments = []
        for p in profile.payments:
            if p.paid is not None:
                status: str | Text = "paid" if p.days_late(today) == 0 else "paid late"
            elif p.overdue(today):
                status = Text("overdue", style="bold red")
            else:
                status = "open"
            payments.append(
                (p.invoice, Text(money(p.amount, p.currency), justify="right"), day_text(p.due),
                 day_text(p.paid), str(p.days_late(today)), status)
            )  # fmt: skip
        fill(self.query_one("#payments", DataTable), payments, "No invoices: p to record one")
        flags = [
            (str(n), label(f.category.value), short(f.note, 34), day_text(f.raised_on),
             Text("open", style="bold red") if f.open else f"resolved {day_text(f.resolved_on)}",
             short(f.resolution, 24) or "—")
            for n, f in enumerate(profile.red_flags, start=1)
        ]  # fmt: skip
        fill(self.query_one("#flags", DataTable), flags, "No red flags: f to raise one", at=2)


class PlanTab(ClientTab):
    NAME = "plan"

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-text")
        yield Static("Whitespace: active products the client does not buy yet", classes="section")
        yield table("whitespace", "Code", "Product", "Unit price")

    def show(self, view: ClientView) -> None:
        plan = plan_of(view.client)
        text = ShownText()
        for title, items in (
            ("Objectives", plan.objectives),
            ("Strengths (ours, with this client)", plan.strengths),
            ("Weaknesses", plan.weaknesses),
            ("Opportunities", plan.opportunities),
            ("Threats (incl. competitors)", plan.threats),
        ):
            text.append(title + "\n", style="bold")
            for item in items or ("—",):
                text.append(f"  • {item}\n")
        text.rstrip()
        self.query_one("#plan-text", Static).update(shown_cell(text))
        rows = [
            (p.code, short(p.name, 40), Text(f"{money(p.unit_price, p.currency)} / {p.unit}",
                                             justify="right"))
            for p in view.whitespace
        ]  # fmt: skip
        fill(self.query_one("#whitespace", DataTable), rows, "None: the client has every product")


class ComplaintsTab(ClientTab):
    NAME = "complaints"

    def compose(self) -> ComposeResult:
        yield table(
            "complaints", "Raised", "What", "Severity", "Escalated to", "Resolution", "Resolved"
        )

    def show(self, view: ClientView) -> None:
        rows = []
        for c in view.complaints:
            severity = Text(c.severity.value, style="bold red" if c.severity in
                            ("high", "critical") and c.open else "")  # fmt: skip
            rows.append(
                (day_text(c.raised_on), short(c.what, 34), severity, c.escalated_to or "—",
                 short(c.resolution, 24) or "—",
                 day_text(c.resolved_on) if c.resolved_on else Text("open", style="yellow"))
            )  # fmt: skip
        fill(self.query_one("#complaints", DataTable), rows, "No complaints: a to record one")


class DocumentsTab(ClientTab):
    NAME = "documents"

    def compose(self) -> ComposeResult:
        yield table("documents", "Document", "Kind", "Deal", "Status", "Issued", "Valid until",
                    "Total")  # fmt: skip

    def show(self, view: ClientView) -> None:
        rows = []
        for doc in view.documents:
            try:
                total: str | Text = Text(money(doc.totals().total, doc.currency), justify="right")
            except AccmgrError:
                total = "—"
            rows.append(
                (doc.ref, doc.kind.value, doc.deal_id or "—", doc.status_on(view.today).value,
                 day_text(doc.issued_on), day_text(doc.valid_until), total)
            )  # fmt: skip
        fill(self.query_one("#documents", DataTable), rows, "No documents yet")


def history_rows(lines: tuple[HistoryLine, ...]) -> list[tuple[Any, ...]]:
    """Newest first: when, who, which record, and each field old → new (shared with the deal)."""
    rows: list[tuple[Any, ...]] = []
    for line in reversed(lines):
        when = line.at[:16].replace("T", " ")
        what = Text(line.record_label() + (" (undone)" if line.undone else ""))
        if line.op != "update":
            rows.append((when, Text(line.who or "—"), what, "", "", ""))
            continue
        for n, (name, old, new) in enumerate(line.fields):
            head = (when, Text(line.who or "—"), what) if n == 0 else ("", "", "")
            rows.append((*head, name, Text(short(old, 24)), Text(short(new, 24))))
    return rows


class HistoryTab(ClientTab):
    NAME = "history"

    def compose(self) -> ComposeResult:
        yield table("history", "When", "Who", "Record", "Field", "Old", "New")

    def show(self, view: ClientView) -> None:
        fill(self.query_one("#history", DataTable), history_rows(view.history),
             "No changes recorded yet", at=2)  # fmt: skip


TABS: dict[str, tuple[str, type[ClientTab]]] = {
    "overview": ("Overview", OverviewTab),
    "contacts": ("Contacts", ContactsTab),
    "activity": ("Activity", ActivityTab),
    "reliability": ("Reliability", ReliabilityTab),
    "plan": ("Account plan", PlanTab),
    "complaints": ("Complaints", ComplaintsTab),
    "documents": ("Documents", DocumentsTab),
    "history": ("History", HistoryTab),
}
