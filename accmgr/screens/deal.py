"""One deal: a tab per stage with its data and checklist, the stage history and the next step.

Reads run in a thread worker behind the app's store lock; a timer picks up changes made
elsewhere (the CLI, a second terminal) by the store's version, as the pipeline does. The
keys are the screen's, each enabled on the tab it belongs to, so the footer shows the keys
that matter on the tab in front. Hidden tabs are mounted lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from accmgr.domain.catalog import Product
from accmgr.domain.client import Client, Contact
from accmgr.domain.deal import Deal, Meeting
from accmgr.domain.document import Document, DocumentKind
from accmgr.domain.stages import Stage, StageContext
from accmgr.errors import AccmgrError
from accmgr.screens import deal_forms as forms

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp

REFRESH_SECONDS = 1.0
HISTORY = "history"


@dataclass(frozen=True)
class DealView:
    """Everything the deal screen shows, read in one go off the UI thread."""

    deal: Deal
    client: Client
    contacts: tuple[Contact, ...]
    documents: tuple[Document, ...]
    catalog: dict[str, str]  # active products: code → name
    inactive: frozenset[str]
    now: datetime

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def context(self) -> StageContext:
        return StageContext(contacts=self.contacts)

    def same_records(self, other: DealView | None) -> bool:
        return other is not None and (
            self.today,
            self.deal,
            self.client,
            self.contacts,
            self.documents,
            self.catalog,
            self.inactive,
        ) == (
            other.today,
            other.deal,
            other.client,
            other.contacts,
            other.documents,
            other.catalog,
            other.inactive,
        )


def _day(value: date | None) -> str:
    return f"{value:%a %-d %b %Y}" if value else "—"


def _moment(value: datetime | None) -> str:
    return f"{value:%a %-d %b %Y %H:%M}" if value else "—"


def _money(value: Decimal, currency: str) -> str:
    return f"{currency} {value:,.2f}".replace(",", " ")


def _relative(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


def _short(text: str, width: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


# --- the tabs ----------------------------------------------------------------------------------


class StageTab(VerticalScroll):
    """A tab's content: its stage's checklist, then its records. Filled from the screen's view."""

    STAGE: ClassVar[Stage | None] = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="checklist")
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        screen = self.screen
        if isinstance(screen, DealScreen) and screen.view is not None:
            self.show(screen.view)

    def show(self, view: DealView) -> None:
        self.query_one(".checklist", Static).update(self.checklist(view))
        self.show_body(view)

    def show_body(self, view: DealView) -> None:
        pass

    def checklist(self, view: DealView) -> Text:
        stage = self.STAGE
        if stage is None:
            return Text()
        deal, rules = view.deal, self.app_rules()
        entries = [e for e in deal.stage_history if e.stage == stage]
        if deal.stage == stage:
            where = f"current stage, for {deal.days_in_stage(view.now)} days"
        elif entries:
            where = (
                f"passed, left {_day(entries[-1].left_at.date() if entries[-1].left_at else None)}"
            )
        elif stage > deal.stage:
            where = "not reached yet"
        else:
            where = "skipped"
        text = Text.assemble((f"{stage.number} {stage.label}", "bold"), f" · {where}\n")
        text.append(rules[stage].work + "\n", style="dim")
        criteria = rules[stage].exit_criteria
        if not criteria:
            text.append("The cycle restarts here: repeat business is a new deal.")
            return text
        text.append("Ready to move on when:\n")
        for criterion in criteria:
            met = criterion.met(deal, view.context)
            text.append("  ✔ " if met else "  ✘ ", style="green" if met else "red")
            text.append(criterion.text + "\n")
        text.rstrip()
        return text

    def app_rules(self) -> Any:
        screen = self.screen
        assert isinstance(screen, DealScreen)
        return screen.accmgr.workspace.rules


def _fill(table: DataTable[Any], rows: list[tuple[Any, ...]], empty: str) -> None:
    """Replace the rows, keeping the cursor where it was (rows only grow)."""
    row = table.cursor_row
    table.clear()
    for values in rows:
        table.add_row(*values)
    if not rows:
        table.add_row(empty, *[""] * (len(table.columns) - 1), key="empty")
    table.move_cursor(row=min(row, max(len(rows) - 1, 0)))


def _table(table_id: str, *columns: str) -> DataTable[Any]:
    table: DataTable[Any] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    table.add_columns(*columns)
    return table


def selected(table: DataTable[Any], count: int) -> int | None:
    """The index of the record under the cursor, or None for an empty list."""
    if count == 0:
        return None
    return min(max(table.cursor_row, 0), count - 1)


class ProspectingTab(StageTab):
    STAGE = Stage.PROSPECTING

    def compose_body(self) -> ComposeResult:
        yield Static("", id="client-facts")
        yield _table("contacts", "Contact", "Role", "Phone", "E-mail")

    def show_body(self, view: DealView) -> None:
        c, deal = view.client, view.deal
        facts = [
            f"Lead source: {deal.source.value.replace('-', ' ')}"
            + (f" (client: {c.lead_source})" if c.lead_source else ""),
            f"Segment: {c.segment or '—'} · industry: {c.industry or '—'} · tier: {c.tier.value}",
            f"Reliability: {c.reliability.rating.value}"
            + (f", reviewed {_day(c.reliability.reviewed_on)}" if c.reliability.reviewed_on else "")
            + (
                f", {len(c.reliability.open_flags())} open red flag(s)"
                if c.reliability.open_flags()
                else ""
            ),
            f"Fit notes: {c.fit_notes or '—'}",
        ]
        self.query_one("#client-facts", Static).update(Text("\n".join(facts)))
        rows = [
            (p.name, p.role.value.replace("-", " "), p.phone or "—", p.email or "—")
            for p in view.contacts
        ]
        _fill(self.query_one("#contacts", DataTable), rows, "No contacts yet")


class CallTab(StageTab):
    STAGE = Stage.CALL

    def compose_body(self) -> ComposeResult:
        yield _table("calls", "When", "Who", "Outcome", "Next call", "Note")

    def show_body(self, view: DealView) -> None:
        rows = [
            (
                _moment(c.at),
                c.who,
                c.outcome.value.replace("-", " "),
                _day(c.next_call),
                _short(c.note, 30),
            )
            for c in view.deal.calls
        ]
        _fill(self.query_one("#calls", DataTable), rows, "No calls yet: a to log one")


def meeting_text(m: Meeting) -> Text:
    text = Text()

    def part(label: str, value: str) -> None:
        text.append(f"{label}: ", style="bold")
        text.append((value or "—") + "\n")

    part("Agenda", m.agenda)
    attendees = ", ".join(
        f"{a.name}{' (' + a.role + ')' if a.role else ''}{' — ours' if a.ours else ''}"
        for a in m.attendees
    )
    part("Attendees", attendees)
    part("Client interests", m.client_interests)
    part("Benefits to show", m.benefits_to_show)
    part("Reliability notes reviewed", "yes" if m.reliability_reviewed else "no")
    part("Outcome", m.outcome_notes if m.held else ("not held" if m.outcome_notes else ""))
    part("Draft-contract points", m.draft_contract_points)
    part("Disagreements", m.disagreements)
    text.rstrip()
    return text


class MeetingTab(StageTab):
    STAGE = Stage.MEETING

    def compose_body(self) -> ComposeResult:
        yield _table("meetings", "When", "Place", "Attendees", "Prep", "Held")
        yield Static("", id="meeting-detail")

    def show_body(self, view: DealView) -> None:
        meetings = view.deal.meetings
        rows = [
            (
                _moment(m.planned_at),
                _short(m.place, 28),
                str(len(m.attendees)),
                "reviewed" if m.reliability_reviewed else "to review",
                "yes" if m.held else "no",
            )
            for m in meetings
        ]
        table = self.query_one("#meetings", DataTable)
        _fill(table, rows, "No meeting yet: b to book one")
        self._detail(view)

    def _detail(self, view: DealView) -> None:
        meetings = view.deal.meetings
        index = selected(self.query_one("#meetings", DataTable), len(meetings))
        detail = meeting_text(meetings[index]) if index is not None else Text()
        self.query_one("#meeting-detail", Static).update(detail)

    @on(DataTable.RowHighlighted, "#meetings")
    def _highlighted(self) -> None:
        screen = self.screen
        if isinstance(screen, DealScreen) and screen.view is not None:
            self._detail(screen.view)


class NeedsTab(StageTab):
    STAGE = Stage.NEEDS

    def compose_body(self) -> ComposeResult:
        yield _table("needs", "Need", "Priority", "Matched products", "Presented")
        yield Static("Invitations", classes="section")
        yield _table("invitations", "Event", "On", "Accepted")

    def show_body(self, view: DealView) -> None:
        rows = [
            (
                _short(n.need, 36),
                n.priority.value,
                ", ".join(n.products) or "— none yet (m)",
                "yes" if n.presented else "no",
            )
            for n in view.deal.needs
        ]
        _fill(self.query_one("#needs", DataTable), rows, "No needs yet: a to add one")
        answers = {None: "not yet", True: "yes", False: "no"}
        invitations = [(i.event, _day(i.on), answers[i.accepted]) for i in view.deal.invitations]
        _fill(self.query_one("#invitations", DataTable), invitations, "None: i to invite")


class ObjectionsTab(StageTab):
    STAGE = Stage.OBJECTIONS

    def compose_body(self) -> ComposeResult:
        yield _table("objections", "Raised", "Category", "Their words", "Status", "Blocking")
        yield Static("", id="objection-detail")

    def show_body(self, view: DealView) -> None:
        rows = [
            (
                _day(o.raised_on),
                o.category.value,
                _short(o.words, 34),
                o.status.value,
                Text("blocking", style="bold red") if o.blocking else "no",
            )
            for o in view.deal.objections
        ]
        _fill(self.query_one("#objections", DataTable), rows, "No objections: a to add one")
        self._detail(view)

    def _detail(self, view: DealView) -> None:
        items = view.deal.objections
        index = selected(self.query_one("#objections", DataTable), len(items))
        text = Text()
        if index is not None:
            o = items[index]
            for label, value in (
                ("Their words", o.words),
                ("Real reason", o.real_reason),
                ("Response", o.response),
            ):
                text.append(f"{label}: ", style="bold")
                text.append((value or "—") + "\n")
            text.rstrip()
        self.query_one("#objection-detail", Static).update(text)

    @on(DataTable.RowHighlighted, "#objections")
    def _highlighted(self) -> None:
        screen = self.screen
        if isinstance(screen, DealScreen) and screen.view is not None:
            self._detail(screen.view)


class ClosingTab(StageTab):
    STAGE = Stage.CLOSING

    def compose_body(self) -> ComposeResult:
        yield _table("offers", "Document", "Status", "Issued", "Valid until", "Total")
        yield Static("", id="outcome")

    def show_body(self, view: DealView) -> None:
        rows = []
        for doc in view.documents:
            status = doc.status_on(view.today).value
            try:
                total = _money(doc.totals().total, doc.currency)
            except AccmgrError:
                total = "—"
            label = f"{doc.kind.value} {doc.ref}"
            rows.append((label, status, _day(doc.issued_on), _day(doc.valid_until), total))
        _fill(self.query_one("#offers", DataTable), rows, "No offers for this deal yet")
        deal = view.deal
        if deal.outcome == "won":
            outcome = Text.assemble(("Won", "bold green"), f" on {_day(deal.closed_on)}")
        elif deal.outcome == "lost":
            reason = deal.lost_reason.value if deal.lost_reason else ""
            outcome = Text.assemble(
                ("Lost", "bold red"), f" on {_day(deal.closed_on)}: {reason} — {deal.lost_note}"
            )
        else:
            outcome = Text("Outcome: open (won or lost is recorded from the pipeline)")
        self.query_one("#outcome", Static).update(outcome)


class FulfilmentTab(StageTab):
    STAGE = Stage.FULFILMENT

    def compose_body(self) -> ComposeResult:
        yield _table("milestones", "What", "Due", "Department", "Status", "Delivered", "Timing")

    def show_body(self, view: DealView) -> None:
        rows = []
        for m in view.deal.milestones:
            if m.on_time is None:
                timing = (
                    Text("overdue", style="red") if m.due < view.today else Text("—", style="dim")
                )
            elif m.on_time:
                timing = Text("on time", style="green")
            else:
                late = (m.delivered_on - m.due).days if m.delivered_on else 0
                timing = Text(f"{late} d late", style="red")
            rows.append(
                (
                    _short(m.what, 30),
                    _day(m.due),
                    m.department or "—",
                    m.status.value,
                    _day(m.delivered_on),
                    timing,
                )
            )
        _fill(self.query_one("#milestones", DataTable), rows, "No milestones: a to add one")


class ReferralsTab(StageTab):
    STAGE = Stage.REFERRALS

    def compose_body(self) -> ComposeResult:
        yield _table("referrals", "Asked", "Status", "Company", "Contact", "Prospect")
        yield Static("Testimonials", classes="section")
        yield _table("testimonials", "On", "By", "Text", "Publish")

    def show_body(self, view: DealView) -> None:
        rows = [
            (
                _day(r.asked_on),
                r.status.value,
                r.company or "—",
                r.contact_name or "—",
                r.client_id or "—",
            )
            for r in view.deal.referrals
        ]
        _fill(self.query_one("#referrals", DataTable), rows, "None yet: a to ask")
        testimonials = [
            (_day(t.on), t.by, _short(t.text, 40), "yes" if t.may_publish else "no")
            for t in view.deal.testimonials
        ]
        _fill(self.query_one("#testimonials", DataTable), testimonials, "None: t to add one")


class HistoryTab(StageTab):
    def compose_body(self) -> ComposeResult:
        yield _table("stage-history", "Stage", "Entered", "Left", "Days", "Note")

    def show_body(self, view: DealView) -> None:
        rows = []
        for entry in view.deal.stage_history:
            notes = []
            if entry.skipped:
                notes.append("skipped " + ", ".join(s.label for s in entry.skipped))
            if entry.unmet:
                notes.append("unmet " + ", ".join(entry.unmet))
            if entry.reason:
                notes.append(f"“{entry.reason}”")
            rows.append(
                (
                    entry.stage.label,
                    _day(entry.entered_at.date()),
                    _day(entry.left_at.date() if entry.left_at else None),
                    str(entry.days(view.now)),
                    _short("; ".join(notes), 44) or "—",
                )
            )
        _fill(self.query_one("#stage-history", DataTable), rows, "")

    def checklist(self, view: DealView) -> Text:
        created = _day(view.deal.created_at.date())
        return Text.assemble(("Stage history", "bold"), f" · deal created {created}")


TABS: dict[str, tuple[str, type[StageTab]]] = {
    Stage.PROSPECTING.value: ("Prospecting", ProspectingTab),
    Stage.CALL.value: ("Call", CallTab),
    Stage.MEETING.value: ("Meeting", MeetingTab),
    Stage.NEEDS.value: ("Needs", NeedsTab),
    Stage.OBJECTIONS.value: ("Objections", ObjectionsTab),
    Stage.CLOSING.value: ("Closing", ClosingTab),
    Stage.FULFILMENT.value: ("Fulfilment", FulfilmentTab),
    Stage.REFERRALS.value: ("Referrals", ReferralsTab),
    HISTORY: ("History", HistoryTab),
}

# Which tab each action belongs to: the footer shows an action only on its tab.
ACTION_TABS: dict[str, str] = {
    "add_call": "call",
    "book_meeting": "call meeting",  # booking ends the Call stage and starts the Meeting
    "meeting_prep": "meeting",
    "meeting_outcome": "meeting",
    "add_need": "needs",
    "match_need": "needs",
    "invite": "needs",
    "add_objection": "objections",
    "edit_objection": "objections",
    "add_milestone": "fulfilment",
    "deliver_milestone": "fulfilment",
    "ask_referral": "referrals",
    "receive_referral": "referrals",
    "add_testimonial": "referrals",
}


def _key(
    key: str, action: str, description: str, tooltip: str, *, show: bool = True, name: str = ""
) -> Binding:
    return Binding(
        key, action, description, show=show, id=f"deal.{name or action}", tooltip=tooltip
    )


class StageTabs(Vertical):
    """The tabs, opened on the deal's current stage; the others are built once drawn."""

    def __init__(self, current: str) -> None:
        super().__init__(id="deal-workspace")
        self.current = current

    def compose(self) -> ComposeResult:
        with TabbedContent(id="deal-tabs", initial=f"tab-{self.current}"):
            for name, (label, cls) in TABS.items():
                content = cls(id=f"view-{name}")
                with TabPane(label, id=f"tab-{name}"):
                    yield content if name == self.current else Lazy(content)


# --- the screen --------------------------------------------------------------------------------


class DealScreen(Screen[None]):
    CSS_PATH = "deal.tcss"
    TITLE = "Deal"
    # Below 100 columns the tab strip and the summary get tighter (see deal.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        _key("escape", "back", "Back", "Back to the previous screen"),
        _key("n", "next_step", "Next step", "Set the next step and its date"),
        _key("a", "add_call", "Log call", "Log a call: when, who, outcome, next call"),
        _key("b", "book_meeting", "Book meeting", "Book a meeting: date, time and place"),
        _key("p", "meeting_prep", "Prepare", "Agenda, attendees, interests, benefits, review"),
        _key(
            "o", "meeting_outcome", "Outcome", "Held, notes, draft-contract points, disagreements"
        ),
        _key("a", "add_need", "Add need", "A need of the client, matched to catalog products"),
        _key("m", "match_need", "Match", "Match the selected need to catalog products"),
        _key("i", "invite", "Invite", "Invite the client to a presentation or fair"),
        _key("a", "add_objection", "Add objection", "Category, their words, the real reason"),
        _key(
            "e",
            "edit_objection",
            "Edit",
            "Response, status, blocking flag of the selected objection",
        ),
        _key("a", "add_milestone", "Add milestone", "What, due, responsible department"),
        _key("d", "deliver_milestone", "Delivered", "Mark the selected milestone delivered"),
        _key("a", "ask_referral", "Ask", "Record that you asked for a referral"),
        _key(
            "v",
            "receive_referral",
            "Received",
            "The referred company becomes a new prospect linked to this client",
        ),
        _key("t", "add_testimonial", "Testimonial", "Add the client's testimonial"),
        _key("r", "reload", "Reload", "Read the deal again", show=False),
        _key("right_square_bracket", "tab(1)", "Next tab", "The next tab", name="next_tab"),
        _key(
            "left_square_bracket",
            "tab(-1)",
            "Previous tab",
            "The previous tab",
            show=False,
            name="previous_tab",
        ),
    ]

    def __init__(self, deal_id: str) -> None:
        super().__init__()
        self.deal_id = deal_id.strip().upper()
        self.view: DealView | None = None
        self._seen_version = -1
        self._failed = False

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="deal-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.deal_id
        self.load(force=True)
        self.set_interval(REFRESH_SECONDS, self._poll)

    def _poll(self) -> None:
        if not self._failed:
            self.load(force=False)

    @work(thread=True, exclusive=True, group="deal", description="Reading the deal")
    def load(self, force: bool) -> None:
        workspace = self.accmgr.workspace
        with self.accmgr.store_lock:
            store = workspace.store
            store.refresh()
            if not force and store.version == self._seen_version:
                return
            self._seen_version = store.version
            deal_doc = store.get("deals", self.deal_id)
            if deal_doc is None:
                self.app.call_from_thread(self._missing)
                return
            deal = Deal.from_dict(deal_doc)
            client_doc = store.get("clients", deal.client_id)
            contacts = store.find("contacts", client_id=deal.client_id)
            documents = store.find("documents", deal_id=deal.id)
            products = store.all("products")
        if client_doc is None:
            self.app.call_from_thread(self._missing)
            return
        catalog = [Product.from_dict(p) for p in products]
        docs = [Document.from_dict(d) for d in documents]
        view = DealView(
            deal=deal,
            client=Client.from_dict(client_doc),
            contacts=tuple(sorted((Contact.from_dict(c) for c in contacts), key=lambda c: c.id)),
            documents=tuple(
                sorted(
                    (d for d in docs if d.kind in (DocumentKind.OFFER, DocumentKind.CONTRACT)),
                    key=lambda d: (d.kind.value != "offer", d.number or "~", d.version, d.id),
                )
            ),
            catalog={p.code: p.name for p in catalog if p.active},
            inactive=frozenset(p.code for p in catalog if not p.active),
            now=workspace.now(),
        )
        self.app.call_from_thread(self._show, view)  # type: ignore[arg-type]

    def _missing(self) -> None:
        self._failed = True
        self.query_one("#deal-summary", Static).update(f"Deal {self.deal_id} does not exist.")
        self.notify(f"deal {self.deal_id} does not exist", severity="error")

    async def _show(self, view: DealView) -> None:
        first = self.view is None
        if not first and view.same_records(self.view):
            return  # the store moved on elsewhere, not this deal: no redraw, no flicker
        self.view = view
        self.title = f"{view.deal.id} {view.deal.title}"
        self.sub_title = view.client.name
        self.query_one("#deal-summary", Static).update(self.summary(view))
        if first:
            await self._mount_tabs(view)
        for tab in self.query(StageTab):
            tab.show(view)
        self.refresh_bindings()

    async def _mount_tabs(self, view: DealView) -> None:
        await self.mount(StageTabs(view.deal.stage.value), after=self.query_one("#deal-summary"))
        self._focus_table()

    def summary(self, view: DealView) -> Text:
        deal, client, rules = view.deal, view.client, self.accmgr.workspace.rules
        probability = deal.probability(rules)
        default = rules[deal.stage].default_probability
        text = Text()
        text.append(f"{deal.id} ", style="bold")
        text.append(deal.title, style="bold")
        text.append(f" · {client.name} ({client.id})\n")
        text.append(f"Stage {deal.stage.number}/8 {deal.stage.label}", style="bold")
        text.append(f" for {deal.days_in_stage(view.now)} d · ")
        text.append(_money(deal.value, deal.currency))
        text.append(f" · {probability:.0f}%")
        if deal.probability_override is not None:
            text.append(f" (stage {default:.0f}%)")
        text.append(f" · weighted {_money(deal.weighted_value(rules), deal.currency)}\n")
        if not deal.is_open:
            text.append("Next: —", style="dim")
        elif deal.next_step and deal.next_step_due:
            when = _relative(deal.next_step_due, view.today)
            overdue = deal.next_step_due < view.today
            text.append("Next: ", style="bold")
            text.append(f"{deal.next_step} — {_day(deal.next_step_due)} ")
            text.append(f"({when})", style="red" if overdue else "")
        else:
            text.append("No next step with a date: n to set one", style="red")
        if deal.outcome == "lost":
            text.append(f"\nLost {_day(deal.closed_on)}: {deal.lost_note}", style="bold red")
        elif deal.completed_on is not None:
            text.append(f"\nCycle completed {_day(deal.completed_on)}", style="green")
        else:
            stalled = [r for r in deal.stall_reasons(view.now, rules) if "next step" not in r]
            if stalled:
                text.append("\nStalled: " + "; ".join(stalled), style="yellow")
        return text

    # Tabs and keys

    @property
    def active_tab(self) -> str:
        tabs = self.query("#deal-tabs")
        if not tabs:
            return ""
        active = tabs.first(TabbedContent).active
        return active.removeprefix("tab-")

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()
        self.call_after_refresh(self._focus_table)

    def _focus_table(self) -> None:
        for table in self.query(f"#view-{self.active_tab} DataTable").results(DataTable):
            table.focus()
            return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = ACTION_TABS.get(action)
        if tab is None:
            return True if action in ("back", "reload", "tab") else self.view is not None
        if self.view is None or self.active_tab not in tab.split():
            return False
        deal = self.view.deal
        if deal.outcome == "lost":
            return None
        needs_item = {
            "meeting_prep": deal.meetings,
            "meeting_outcome": deal.meetings,
            "match_need": deal.needs,
            "edit_objection": deal.objections,
            "deliver_milestone": deal.milestones,
        }
        if action in needs_item and not needs_item[action]:
            return None
        return True

    def action_tab(self, step: int) -> None:
        tabs = self.query("#deal-tabs")
        if tabs:
            names = list(TABS)
            here = names.index(self.active_tab) if self.active_tab in names else 0
            tabs.first(TabbedContent).active = f"tab-{names[(here + step) % len(names)]}"

    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self._failed = False
        self.load(force=True)

    def context(self) -> forms.DealContext:
        assert self.view is not None
        view = self.view
        return forms.DealContext(
            workspace=self.accmgr.workspace,
            deal=view.deal,
            lock=self.accmgr.store_lock,
            latest_rev=self._latest_rev,
            reload=self.action_reload,
            catalog=view.catalog,
            inactive=view.inactive,
            contacts=tuple(c.name for c in view.contacts),
        )

    def _latest_rev(self) -> int:
        assert self.view is not None
        return self.view.deal.rev

    def _open(self, form: forms.DealForm, done: str) -> None:
        def saved(deal: Deal | None) -> None:
            if deal is not None:
                self.notify(done)
                self.load(force=True)

        self.app.push_screen(form, saved)

    def _selected(self, table_id: str, count: int) -> int | None:
        tables = self.query(f"#{table_id}")
        if not tables:
            return count - 1 if count else None
        return selected(tables.first(DataTable), count)

    def action_next_step(self) -> None:
        self._open(forms.NextStepForm(self.context()), "Next step saved")

    def action_add_call(self) -> None:
        self._open(forms.CallForm(self.context()), "Call logged")

    def action_book_meeting(self) -> None:
        self._open(forms.BookMeetingForm(self.context()), "Meeting booked")

    def _meeting(self) -> tuple[int, Meeting] | None:
        assert self.view is not None
        meetings = self.view.deal.meetings
        index = self._selected("meetings", len(meetings))
        return None if index is None else (index, meetings[index])

    def action_meeting_prep(self) -> None:
        found = self._meeting()
        if found is not None:
            self._open(forms.MeetingPrepForm(self.context(), *found), "Preparation saved")

    def action_meeting_outcome(self) -> None:
        found = self._meeting()
        if found is not None:
            self._open(forms.MeetingOutcomeForm(self.context(), *found), "Outcome saved")

    def action_add_need(self) -> None:
        self._open(forms.NeedForm(self.context()), "Need added")

    def action_match_need(self) -> None:
        assert self.view is not None
        needs = self.view.deal.needs
        index = self._selected("needs", len(needs))
        if index is not None:
            self._open(forms.MatchForm(self.context(), index, needs[index]), "Products matched")

    def action_invite(self) -> None:
        self._open(forms.InvitationForm(self.context()), "Invitation recorded")

    def action_add_objection(self) -> None:
        self._open(forms.ObjectionForm(self.context()), "Objection recorded")

    def action_edit_objection(self) -> None:
        assert self.view is not None
        items = self.view.deal.objections
        index = self._selected("objections", len(items))
        if index is not None:
            form = forms.ObjectionForm(self.context(), index, items[index])
            self._open(form, "Objection saved")

    def action_add_milestone(self) -> None:
        self._open(forms.MilestoneForm(self.context()), "Milestone added")

    def action_deliver_milestone(self) -> None:
        assert self.view is not None
        items = self.view.deal.milestones
        index = self._selected("milestones", len(items))
        if index is None:
            return
        if items[index].delivered_on is not None:
            self.notify(f"{items[index].what} is already delivered", severity="warning")
            return
        self._open(forms.DeliverForm(self.context(), index, items[index]), "Delivery recorded")

    def action_ask_referral(self) -> None:
        self._open(forms.AskReferralForm(self.context()), "Referral ask recorded")

    def action_receive_referral(self) -> None:
        assert self.view is not None
        referrals = self.view.deal.referrals
        index = self._selected("referrals", len(referrals))
        # The selected ask is completed; otherwise the referral came unasked.
        if index is not None and referrals[index].status.value != "asked":
            index = None
        form = forms.ReceiveReferralForm(self.context(), index)
        known = {r.client_id for r in referrals}

        def saved(deal: Deal | None) -> None:
            if deal is not None:
                new = [r.client_id for r in deal.referrals if r.client_id not in known]
                prospect = new[0] if new else "?"
                self.notify(f"Referral saved: new prospect client {prospect}")
                self.load(force=True)

        self.app.push_screen(form, saved)

    def action_add_testimonial(self) -> None:
        self._open(forms.TestimonialForm(self.context()), "Testimonial added")
