"""The deal screen's tabs: one per stage with its checklist and records, and the history.

Each tab fills itself from the screen's :class:`~accmgr.screens.deal_view.DealView`; the keys
that act on a tab's records are the screen's (deal.py), enabled on the tab they belong to
(``ACTION_TABS``). Hidden tabs are mounted lazily.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.message import Message
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tabs
from textual.widgets.tabbed_content import ContentTab, ContentTabs

from accmgr.domain.deal import Deal, Meeting
from accmgr.domain.document import Document, DocumentKind
from accmgr.domain.stages import Stage, criterion_text
from accmgr.errors import AccmgrError
from accmgr.screens.client_tabs import history_rows
from accmgr.screens.deal_view import (
    DealView,
    day_text,
    moment_text,
    money_text,
    short_text,
)
from accmgr.widgets.visible_text import ShownText, shown_cell

HISTORY = "history"


class StageTab(VerticalScroll):
    """A tab's content: its stage's checklist, then its records. Filled from the screen's view."""

    STAGE: ClassVar[Stage | None] = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="checklist")
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        view = self.current_view
        if view is not None:
            self.show(view)

    @property
    def current_view(self) -> DealView | None:
        """The screen's latest view (a lazily mounted tab fills itself from it)."""
        view = getattr(self.screen, "view", None)
        return view if isinstance(view, DealView) else None

    def show(self, view: DealView) -> None:
        checklists = self.query_children(".checklist")
        if not checklists:
            return  # mounted a moment ago, children still to come: on_mount fills it
        checklists.first(Static).update(shown_cell(self.checklist(view)))
        self.show_body(view)

    def show_body(self, view: DealView) -> None:
        pass

    def checklist(self, view: DealView) -> Text:
        stage = self.STAGE
        if stage is None:
            return Text()
        deal, rules = view.deal, view.rules
        entries = [e for e in deal.stage_history if e.stage == stage]
        if deal.stage == stage:
            where = f"current stage, for {deal.days_in_stage(view.now)} days"
        elif entries:
            left = entries[-1].left_at
            where = f"passed, left {day_text(left.date() if left else None)}"
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


def _fill(table: DataTable[Any], rows: list[tuple[Any, ...]], empty: str) -> None:
    """Replace the rows, keeping the cursor where it was (rows only grow)."""
    row = table.cursor_row
    table.clear()
    for values in rows:
        table.add_row(*map(shown_cell, values))
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
            + (
                f", reviewed {day_text(c.reliability.reviewed_on)}"
                if c.reliability.reviewed_on
                else ""
            )
            + (
                f", {len(c.reliability.open_flags())} open red flag(s)"
                if c.reliability.open_flags()
                else ""
            ),
            f"Fit notes: {c.fit_notes or '—'}",
        ]
        self.query_one("#client-facts", Static).update(shown_cell(Text("\n".join(facts))))
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
                moment_text(c.at),
                c.who,
                c.outcome.value.replace("-", " "),
                day_text(c.next_call),
                short_text(c.note, 30),
            )
            for c in view.deal.calls
        ]
        _fill(self.query_one("#calls", DataTable), rows, "No calls yet: a to log one")


def meeting_text(m: Meeting) -> Text:
    text = ShownText()

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
                moment_text(m.planned_at),
                short_text(m.place, 28),
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
        self.query_one("#meeting-detail", Static).update(shown_cell(detail))

    @on(DataTable.RowHighlighted, "#meetings")
    def _highlighted(self) -> None:
        view = self.current_view
        if view is not None:
            self._detail(view)


class NeedsTab(StageTab):
    STAGE = Stage.NEEDS

    def compose_body(self) -> ComposeResult:
        yield _table("needs", "Need", "Priority", "Matched products", "Presented")
        yield Static("Invitations", classes="section")
        yield _table("invitations", "Event", "On", "Accepted")

    def show_body(self, view: DealView) -> None:
        rows = [
            (
                short_text(n.need, 36),
                n.priority.value,
                ", ".join(n.products) or "— none yet (m)",
                "yes" if n.presented else "no",
            )
            for n in view.deal.needs
        ]
        _fill(self.query_one("#needs", DataTable), rows, "No needs yet: a to add one")
        answers = {None: "not yet", True: "yes", False: "no"}
        invitations = [
            (i.event, day_text(i.on), answers[i.accepted]) for i in view.deal.invitations
        ]
        _fill(self.query_one("#invitations", DataTable), invitations, "None: i to invite")


class ObjectionsTab(StageTab):
    STAGE = Stage.OBJECTIONS

    def compose_body(self) -> ComposeResult:
        yield _table("objections", "Raised", "Category", "Their words", "Status", "Blocking")
        yield Static("", id="objection-detail")

    def show_body(self, view: DealView) -> None:
        rows = [
            (
                day_text(o.raised_on),
                o.category.value,
                short_text(o.words, 34),
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
        text = ShownText()
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
        self.query_one("#objection-detail", Static).update(shown_cell(text))

    @on(DataTable.RowHighlighted, "#objections")
    def _highlighted(self) -> None:
        view = self.current_view
        if view is not None:
            self._detail(view)


class OfferTable(DataTable[Any]):
    """The deal's offers and contracts; enter opens the one under the cursor (and says so in
    the footer, which a plain DataTable's hidden enter does not)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            id="deal.open_offer",
            tooltip="Open the offer: the editor for a draft, the document once issued",
        ),
    ]


def offer_row(doc: Document, today: date) -> tuple[str, str, str, str, str, str]:
    """Number, version, status as of today (a sent offer past its date reads expired), total,
    valid until, issued."""
    try:
        total = money_text(doc.totals().total, doc.currency)
    except AccmgrError:
        total = "—"  # a draft whose lines do not add up yet
    number = doc.number or f"draft {doc.id}"
    kind = "" if doc.kind is DocumentKind.OFFER else f"{doc.kind.value} "
    return (
        kind + number,
        str(doc.version) if doc.number else "—",
        doc.status_on(today).value,
        total,
        day_text(doc.valid_until),
        day_text(doc.issued_on),
    )


def outcome_text(deal: Deal) -> Text:
    if deal.outcome == "won":
        return Text.assemble(("Won", "bold green"), f" on {day_text(deal.closed_on)}")
    if deal.outcome == "lost":
        reason = deal.lost_reason.value.replace("-", " ") if deal.lost_reason else ""
        return Text.assemble(
            ("Lost", "bold red"), f" on {day_text(deal.closed_on)}: {reason} — {deal.lost_note}"
        )
    if deal.stage == Stage.CLOSING:
        return Text("Outcome: open · w won (contract signed) · l lost, with a reason")
    return Text("Outcome: open")


class ClosingTab(StageTab):
    STAGE = Stage.CLOSING

    class OfferChosen(Message):
        """Enter on an offer: the screen opens the editor (draft) or the document."""

        def __init__(self, document: Document) -> None:
            super().__init__()
            self.document = document

    def compose_body(self) -> ComposeResult:
        table = OfferTable(id="offers", cursor_type="row", zebra_stripes=True)
        table.add_columns("Number", "Version", "Status", "Total", "Valid until", "Issued")
        yield table
        yield Static("", id="outcome")

    def show_body(self, view: DealView) -> None:
        rows = [offer_row(doc, view.today) for doc in view.documents]
        _fill(self.query_one("#offers", DataTable), rows, "No offers yet: o to make one")
        self.query_one("#outcome", Static).update(shown_cell(outcome_text(view.deal)))

    @on(DataTable.RowSelected, "#offers")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        view = self.current_view
        index = event.cursor_row
        if view is not None and 0 <= index < len(view.documents):
            self.post_message(self.OfferChosen(view.documents[index]))


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
                    short_text(m.what, 30),
                    day_text(m.due),
                    m.department or "—",
                    m.status.value,
                    day_text(m.delivered_on),
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
                day_text(r.asked_on),
                r.status.value,
                r.company or "—",
                r.contact_name or "—",
                r.client_id or "—",
            )
            for r in view.deal.referrals
        ]
        _fill(self.query_one("#referrals", DataTable), rows, "None yet: a to ask")
        testimonials = [
            (day_text(t.on), t.by, short_text(t.text, 40), "yes" if t.may_publish else "no")
            for t in view.deal.testimonials
        ]
        _fill(self.query_one("#testimonials", DataTable), testimonials, "None: t to add one")


class HistoryTab(StageTab):
    def compose_body(self) -> ComposeResult:
        yield _table("stage-history", "Stage", "Entered", "Left", "Days", "Note")
        yield Static(Text("Changes", style="bold"))
        yield _table("changes", "When", "Who", "Record", "Field", "Old", "New")

    def show_body(self, view: DealView) -> None:
        rows = []
        for entry in view.deal.stage_history:
            notes = []
            if entry.skipped:
                notes.append("skipped " + ", ".join(s.label for s in entry.skipped))
            if entry.unmet:
                notes.append("unmet: " + "; ".join(criterion_text(c) for c in entry.unmet))
            if entry.reason:
                notes.append(f"“{entry.reason}”")
            rows.append(
                (
                    entry.stage.label,
                    day_text(entry.entered_at.date()),
                    day_text(entry.left_at.date() if entry.left_at else None),
                    str(entry.days(view.now)),
                    short_text("; ".join(notes), 44) or "—",
                )
            )
        _fill(self.query_one("#stage-history", DataTable), rows, "")
        _fill(self.query_one("#changes", DataTable), history_rows(view.changes), "")

    def checklist(self, view: DealView) -> Text:
        created = day_text(view.deal.created_at.date())
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
    "brief": "meeting",
    "won": "closing",
    "lost": "closing",
    "new_offer": "closing",
    "complete": "fulfilment referrals",
    "add_milestone": "fulfilment",
    "deliver_milestone": "fulfilment",
    "ask_referral": "referrals",
    "receive_referral": "referrals",
    "add_testimonial": "referrals",
}


class DealTabs(TabbedContent):
    """A TabbedContent that its own start-up cannot switch away from a tab chosen meanwhile.

    The tab strip announces its initial tab ("tab activated") from its mount handler, and the
    TabbedContent obeys that message a moment later. A tab chosen in between (a key pressed
    while the deal screen opens, a test) was switched back to the deal's stage by it. So the
    strip's first announcement is obeyed only while nothing was chosen yet, and any later one
    only if it still matches the strip (a queued message can be overtaken by a newer choice).
    Likewise a "pane focused" message counts only while the focus is still in that pane.
    """

    _announced = False

    def _on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        strip = self.query_children(ContentTabs).first()
        if event.tabs is not strip:
            return
        first, self._announced = not self._announced, True
        chosen = ContentTab.add_prefix(self.active) if self.active else ""
        if (first and chosen and event.tab.id != chosen) or event.tab.id != strip.active:
            event.stop()
            event.prevent_default()
            if chosen and strip.active != chosen:
                with self.prevent(Tabs.TabActivated):
                    strip.active = chosen

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors:
            event.stop()
            event.prevent_default()


class StageTabs(Vertical):
    """The tabs, opened on the deal's current stage; the others are built once drawn."""

    def __init__(self, current: str) -> None:
        super().__init__(id="deal-workspace")
        self.current = current

    def compose(self) -> ComposeResult:
        with DealTabs(id="deal-tabs", initial=f"tab-{self.current}"):
            for name, (label, cls) in TABS.items():
                content = cls(id=f"view-{name}")
                with TabPane(label, id=f"tab-{name}"):
                    yield content if name == self.current else Lazy(content)
