"""One deal: a tab per stage with its data and checklist, the stage history and the next step.

Reads run in a thread worker behind the app's store lock; a timer picks up changes made
elsewhere (the CLI, a second terminal) by the store's version, as the pipeline does. The
keys are the screen's, each enabled on the tab it belongs to, so the footer shows the keys
that matter on the tab in front. The tabs themselves are in deal_tabs.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent

from accmgr.domain.catalog import Product
from accmgr.domain.client import Client, Contact
from accmgr.domain.deal import Deal, Meeting
from accmgr.domain.document import Document, DocumentKind
from accmgr.domain.stages import Stage
from accmgr.errors import AccmgrError
from accmgr.screens import deal_forms as forms
from accmgr.screens.board_forms import DealRef, LostForm, NewDealForm, WonForm
from accmgr.screens.deal_tabs import (
    ACTION_TABS,
    TABS,
    ClosingTab,
    StageTab,
    StageTabs,
    selected,
)
from accmgr.screens.deal_view import DealView, day_text, money_text, relative_text
from accmgr.screens.deleting import ask_and_delete, delete_binding
from accmgr.services import deals as deal_service
from accmgr.services.history import history_for
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.visible_text import ShownText, shown, shown_cell

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp

REFRESH_SECONDS = 1.0


@dataclass(frozen=True)
class _Ref:
    """The deal as the won and lost forms show it (see board_forms.DealRef)."""

    deal_id: str
    rev: int
    title: str
    client: str
    value: Decimal
    currency: str
    stage: Stage


def _key(
    key: str, action: str, description: str, tooltip: str, *, show: bool = True, name: str = ""
) -> Binding:
    return Binding(
        key, action, description, show=show, id=f"deal.{name or action}", tooltip=tooltip
    )


# --- the screen --------------------------------------------------------------------------------


class DealScreen(Screen[None]):
    CSS_PATH = "deal.tcss"
    TITLE = "Deal"
    # Below 100 columns the tab strip and the summary get tighter (see deal.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        _key("escape", "back", "Back", "Back to the previous screen"),
        delete_binding("deal", "deal with its activities and draft documents"),
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
        # Out of the footer, whose room the stage's own keys need; F1 and the palette list it.
        _key(
            "e",
            "edit_deal",
            "Edit deal",
            "Title, value, currency, expected close, probability, source, owner, tags",
            show=False,
        ),
        _key("b", "brief", "Brief", "The meeting brief: who comes, reliability, what is open"),
        _key("w", "won", "Won", "The contract is signed: won, on to Fulfilment"),
        _key("l", "lost", "Lost", "Lost, with a reason from the list and a few words"),
        _key("o", "new_offer", "New offer", "A draft offer for this deal, in the offer editor"),
        _key(
            "c",
            "complete",
            "Complete",
            "The contract is seen through: the deal completes and leaves the board",
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
        _key(
            "t",
            "add_testimonial",
            "Quote",
            "Add the client's testimonial (a quote you may publish)",
        ),
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
        yield AppFooter()

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
            changes = history_for(workspace, {deal.id, *(str(d["id"]) for d in documents)})
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
            rules=workspace.rules,
            changes=tuple(changes),
        )
        self.app.call_from_thread(self._show, view)  # type: ignore[arg-type]

    def _missing(self) -> None:
        self._failed = True
        self.query_one("#deal-summary", Static).update(
            shown_cell(f"Deal {self.deal_id} does not exist.")
        )
        self.notify(f"deal {self.deal_id} does not exist", severity="error")

    async def _show(self, view: DealView) -> None:
        first = self.view is None
        if not first and view.same_records(self.view):
            return  # the store moved on elsewhere, not this deal: no redraw, no flicker
        self.view = view
        self.title = shown(f"{view.deal.id} {view.deal.title}")
        self.sub_title = shown(view.client.name)
        self.query_one("#deal-summary", Static).update(shown_cell(self.summary(view)))
        if first:
            await self._mount_tabs(view)
        for tab in self.query(StageTab):
            tab.show(view)
        self.refresh_bindings()

    async def _mount_tabs(self, view: DealView) -> None:
        # The first table takes the focus when the tabs announce their tab (_tab_changed):
        # focusing it here could announce the initial pane after another tab was chosen.
        await self.mount(StageTabs(view.deal.stage.value), after=self.query_one("#deal-summary"))

    def summary(self, view: DealView) -> Text:
        deal, client, rules = view.deal, view.client, self.accmgr.workspace.rules
        probability = deal.probability(rules)
        default = rules[deal.stage].default_probability
        text = ShownText()
        text.append(f"{deal.id} ", style="bold")
        text.append(deal.title, style="bold")
        text.append(f" · {client.name} ({client.id})\n")
        text.append(f"Stage {deal.stage.number}/8 {deal.stage.label}", style="bold")
        text.append(f" for {deal.days_in_stage(view.now)} d · ")
        text.append(money_text(deal.value, deal.currency))
        text.append(f" · {probability:.0f}%")
        if deal.probability_override is not None:
            text.append(f" (stage {default:.0f}%)")
        text.append(f" · weighted {money_text(deal.weighted_value(rules), deal.currency)}\n")
        if not deal.is_open:
            text.append("Next: —", style="dim")
        elif deal.next_step and deal.next_step_due:
            when = relative_text(deal.next_step_due, view.today)
            overdue = deal.next_step_due < view.today
            text.append("Next: ", style="bold")
            text.append(f"{deal.next_step} — {day_text(deal.next_step_due)} ")
            text.append(f"({when})", style="red" if overdue else "")
        else:
            text.append("No next step with a date: n to set one", style="red")
        if deal.outcome == "lost":
            text.append(f"\nLost {day_text(deal.closed_on)}: {deal.lost_note}", style="bold red")
        elif deal.completed_on is not None:
            text.append(f"\nCycle completed {day_text(deal.completed_on)}", style="green")
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
        if action == "edit_deal":
            # On the objections tab, e edits the selected objection.
            return self.view is not None and self.active_tab != "objections"
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
        if self.active_tab == "meeting" and action in ("book_meeting", "brief"):
            # One key, b: the brief of the booked meeting, or booking one when there is none.
            return bool(deal.meetings) == (action == "brief")
        closing = {
            "won": deal.stage == Stage.CLOSING and deal.outcome is None,
            "lost": deal.stage <= Stage.CLOSING and deal.outcome is None,
            "new_offer": deal.is_open,
            "complete": deal.stage >= Stage.FULFILMENT and deal.completed_on is None,
        }
        if action in closing and not closing[action]:
            # No choice at all (won or lost of a decided deal, completing before Fulfilment):
            # hidden rather than dimmed, so the footer keeps its room.
            decided = action in ("won", "lost") and deal.outcome is not None
            early = action == "complete" and deal.stage < Stage.FULFILMENT
            return False if decided or early else None
        return True

    def action_tab(self, step: int) -> None:
        tabs = self.query("#deal-tabs")
        if tabs:
            names = list(TABS)
            here = names.index(self.active_tab) if self.active_tab in names else 0
            tabs.first(TabbedContent).active = f"tab-{names[(here + step) % len(names)]}"

    def action_delete_record(self) -> None:
        ask_and_delete(self, self.deal_id, self.dismiss_if_deleted)

    def dismiss_if_deleted(self) -> None:
        self.app.pop_screen()

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

    # Closing, completing, the brief

    def _ref(self) -> DealRef:
        assert self.view is not None
        deal = self.view.deal
        return _Ref(
            deal.id, deal.rev, deal.title, self.view.client.name, deal.value, deal.currency,
            deal.stage,
        )  # fmt: skip

    def _after_write(self, deal: Deal | None, what: str) -> None:
        if deal is not None:
            self.notify(f"{deal.id} “{deal.title}” {what}.", timeout=3)
            self.load(force=True)

    def action_edit_deal(self) -> None:
        assert self.view is not None
        ws, lock = self.accmgr.workspace, self.accmgr.store_lock
        form = NewDealForm((), workspace=ws, lock=lock, deal=self.view.deal)
        self.app.push_screen(form, lambda deal: self._after_write(deal, "saved"))

    def action_won(self) -> None:
        form = WonForm(self._ref(), workspace=self.accmgr.workspace, lock=self.accmgr.store_lock)
        self.app.push_screen(form, lambda deal: self._after_write(deal, "won"))

    def action_lost(self) -> None:
        form = LostForm(self._ref(), workspace=self.accmgr.workspace, lock=self.accmgr.store_lock)
        self.app.push_screen(form, lambda deal: self._after_write(deal, "lost"))

    @work(thread=True, group="deal-write", description="Completing the deal", exit_on_error=False)
    def action_complete(self) -> None:
        assert self.view is not None
        rev = self.view.deal.rev
        try:
            with self.accmgr.store_lock:
                deal = deal_service.complete_deal(
                    self.accmgr.workspace, self.deal_id, expected_rev=rev
                )
        except AccmgrError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not completed", severity="warning", timeout=8
            )
            return
        self.app.call_from_thread(self._after_write, deal, "completed")

    @work(thread=True, group="deal-write", description="Making a draft offer", exit_on_error=False)
    def action_new_offer(self) -> None:
        from accmgr.services.documents import new_offer

        with self.accmgr.store_lock:
            draft = new_offer(self.accmgr.workspace, self.deal_id)
        self.app.call_from_thread(self._open_document, draft)

    @on(ClosingTab.OfferChosen)
    def _offer_chosen(self, event: ClosingTab.OfferChosen) -> None:
        self._open_document(event.document)

    def _open_document(self, document: Document) -> None:
        # Imported here: the editor and the document screen are only needed once opened.
        if document.is_draft:
            from accmgr.screens.offer_editor import OfferEditorScreen

            self.app.push_screen(OfferEditorScreen(document.id))
        else:
            from accmgr.screens.document import DocumentScreen

            self.app.push_screen(DocumentScreen(document.id))

    def action_brief(self) -> None:
        from accmgr.screens.brief import BriefScreen

        self.app.push_screen(BriefScreen(self.deal_id))
