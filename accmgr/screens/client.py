"""One client: overview, contacts, activity, reliability, account plan, complaints, documents.

Opened from the clients list, the command palette and the Today list as
``ClientScreen(client_id)``. Reads run in a thread worker behind the app's store lock; a timer
picks up changes made elsewhere (the CLI, another terminal) by the store's version. Warnings
come first: in the summary line under the title and at the top of the overview and
reliability tabs. Keys belong to tabs, so the footer shows those of the tab in front.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from accmgr.domain.activity import Activity
from accmgr.domain.base import StoredRecord
from accmgr.domain.catalog import Product
from accmgr.domain.client import Client, Complaint, Contact
from accmgr.domain.common import as_date
from accmgr.domain.deal import Deal
from accmgr.domain.document import Document
from accmgr.domain.exchange import Total, missing_notes
from accmgr.domain.reliability import marker
from accmgr.errors import AccmgrError
from accmgr.screens import reliability_forms as forms
from accmgr.screens.client_forms import ContactForm, NewClientForm
from accmgr.screens.client_tabs import TABS, ActivityTab, ClientTab, ClientView, money, selected
from accmgr.screens.deleting import ask_and_delete, delete_binding
from accmgr.services.history import history_for
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.visible_text import ShownText, shown, shown_cell

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp
    from accmgr.services.workspace import Workspace

REFRESH_SECONDS = 1.0

# Which tab each action belongs to: the footer shows an action only on its tab.
ACTION_TABS: dict[str, str] = {
    "open_deal": "overview",
    "edit_client": "overview",
    "add_contact": "contacts",
    "edit_contact": "contacts",
    "cycle_kind": "activity",
    "add_payment": "reliability",
    "mark_paid": "reliability",
    "add_flag": "reliability",
    "resolve_flag": "reliability",
    "review": "reliability",
    "indicators": "reliability",
    "edit_plan": "plan",
    "add_complaint": "complaints",
    "escalate": "complaints",
    "resolve_complaint": "complaints",
    "open_document": "documents",
}


def _key(
    key: str, action: str, description: str, tooltip: str, *, show: bool = True, name: str = ""
) -> Binding:
    return Binding(
        key, action, description, show=show, id=f"client.{name or action}", tooltip=tooltip
    )


def _newest_first(activity: Activity) -> tuple[int, str]:
    moment: date | datetime | None = activity.done_at or activity.due
    if moment is None:
        return (0, activity.id)
    stamp = moment.isoformat() if isinstance(moment, datetime) else as_date(moment).isoformat()
    return (1, stamp + activity.id)


def _open_value(workspace: Workspace, client_id: str) -> Total | None:
    from accmgr.services.conversion import open_value

    try:
        return open_value(workspace, client_id)
    except AccmgrError:  # a damaged rates record: the deals tab still shows each amount
        return None


def read_view(workspace: Workspace, client_id: str) -> ClientView | None:
    """The client and its records (caller holds the store lock); None if it does not exist."""
    from accmgr.services.account_plan import whitespace_of
    from accmgr.services.reliability import assess, client_warnings

    store = workspace.store
    doc = store.get("clients", client_id)
    if doc is None:
        return None
    client = Client.from_dict(doc)
    contacts = sorted(
        (Contact.from_dict(d) for d in store.find("contacts", client_id=client.id)),
        key=lambda c: c.id,
    )
    deals = sorted(
        (Deal.from_dict(d) for d in store.find("deals", client_id=client.id)), key=lambda d: d.id
    )
    activities = sorted(
        (Activity.from_dict(d) for d in store.find("activities", client_id=client.id)),
        key=_newest_first,
        reverse=True,
    )
    documents = sorted(
        (Document.from_dict(d) for d in store.find("documents", client_id=client.id)),
        key=lambda d: (d.number or "~", d.version, d.id),
    )
    complaints = sorted(
        (Complaint.from_dict(d) for d in store.find("complaints", client_id=client.id)),
        key=lambda c: (c.raised_on, c.id),
        reverse=True,
    )
    products = [Product.from_dict(p) for p in store.all("products")]
    return ClientView(
        client=client,
        contacts=tuple(contacts),
        deals=tuple(deals),
        activities=tuple(activities),
        documents=tuple(documents),
        complaints=tuple(complaints),
        reliability=assess(workspace, client),
        warnings=tuple(client_warnings(workspace, client, [c for c in complaints if c.open])),
        whitespace=tuple(whitespace_of(products, documents, workspace.today())),
        now=workspace.now(),
        history=tuple(
            history_for(
                workspace,
                {
                    client.id,
                    *(
                        r.id
                        for group in (contacts, deals, activities, documents, complaints)
                        for r in group
                    ),
                },
            )
        ),
        open_total=_open_value(workspace, client.id),
    )


def _merged_into(workspace: Workspace, client_id: str) -> str | None:
    for doc in workspace.store.all("clients"):
        if any(m.get("id") == client_id for m in doc.get("merged_from") or ()):
            return str(doc["id"])
    return None


class ClientTabs(Vertical):
    """The tabs; all but the overview are built when first shown."""

    def compose(self) -> ComposeResult:
        with TabbedContent(id="client-tabs", initial="tab-overview"):
            for name, (label, cls) in TABS.items():
                content = cls(id=f"view-{name}")
                with TabPane(label, id=f"tab-{name}"):
                    yield content if name == "overview" else Lazy(content)


class ClientScreen(Screen[None]):
    CSS_PATH = "client.tcss"
    TITLE = "Client"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        _key("escape", "back", "Back", "Back to the previous screen"),
        _key("enter", "open_deal", "Open deal", "Open the highlighted deal", show=False),
        _key("a", "add_contact", "Add contact", "A contact with their role and channel"),
        _key("e", "edit_contact", "Edit", "Edit the highlighted contact"),
        _key("e", "edit_client", "Edit", "Edit the client: the new-client form, filled"),
        _key("k", "cycle_kind", "Kind", "Show one kind of activity (cycles; all first)"),
        _key("p", "add_payment", "Invoice", "Record an invoice of the payment history"),
        _key("d", "mark_paid", "Paid", "Mark the highlighted invoice paid"),
        _key("f", "add_flag", "Flag", "Raise a red flag with its category"),
        _key("x", "resolve_flag", "Resolve", "Resolve the highlighted red flag"),
        _key("v", "review", "Review", "Record a review: rating, reviewer, date"),
        # Out of the footer so the reliability keys fit 80 columns; F1 and the palette list it.
        _key(
            "i", "indicators", "Financials", "Years, revenue band, credit limit, terms", show=False
        ),
        _key("e", "edit_plan", "Edit plan", "Objectives and SWOT", name="edit_plan"),
        _key("a", "add_complaint", "Add complaint", "What, severity, raised on"),
        _key("s", "escalate", "Escalate", "Escalate the highlighted complaint"),
        _key("x", "resolve_complaint", "Resolve", "Resolve the highlighted complaint"),
        _key("enter", "open_document", "Open", "Open the highlighted document", show=False),
        _key("r", "reload", "Reload", "Read the client again", show=False),
        delete_binding("client", "highlighted contact, activity, complaint or draft document"),
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

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id.strip().upper()
        self.view: ClientView | None = None
        self._seen_version = -1
        self._failed = False

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="client-summary")
        yield AppFooter()

    def on_mount(self) -> None:
        self.sub_title = self.client_id
        self.load(force=True)
        self.set_interval(REFRESH_SECONDS, self._poll)

    # Loading

    def _poll(self) -> None:
        if not self._failed:
            self.load(force=False)

    @work(thread=True, exclusive=True, group="client", description="Reading the client")
    def load(self, force: bool) -> None:
        workspace = self.accmgr.workspace
        with self.accmgr.store_lock:
            store = workspace.store
            store.refresh()
            if not force and store.version == self._seen_version:
                return
            self._seen_version = store.version
            view = read_view(workspace, self.client_id)
            if view is None:
                # An id merged into another client still leads to it (the merge keeps it).
                merged_into = _merged_into(workspace, self.client_id)
                if merged_into is not None:
                    old, self.client_id = self.client_id, merged_into
                    view = read_view(workspace, merged_into)
                    self.app.call_from_thread(
                        self.notify, f"{old} was merged into {merged_into}", timeout=5
                    )
        if view is None:
            self.app.call_from_thread(self._missing)
            return
        self.app.call_from_thread(self._show, view)  # type: ignore[arg-type]

    def _missing(self) -> None:
        self._failed = True
        text = f"Client {self.client_id} does not exist (merged or never created)."
        self.query_one("#client-summary", Static).update(shown_cell(text))
        self.notify(f"client {self.client_id} does not exist", severity="error")

    async def _show(self, view: ClientView) -> None:
        first = self.view is None
        if not first and view.same_records(self.view):
            return  # the store moved on elsewhere, not this client: no redraw
        self.view = view
        self.title = shown(f"{view.client.id} {view.client.name}")
        self.sub_title = shown(f"{view.client.tier.value} client")
        self.query_one("#client-summary", Static).update(shown_cell(self.summary(view)))
        if first:
            await self.mount(ClientTabs(id="client-workspace"), after="#client-summary")
            self._focus_table()
        for tab in self.query(ClientTab):
            tab.show(view)
        self.refresh_bindings()

    def summary(self, view: ClientView) -> Text:
        c, r = view.client, view.reliability
        text = ShownText()
        if view.warnings:
            text.append(
                f"{marker(view.warnings)} {len(view.warnings)} warning(s): ", style="bold red"
            )
            text.append(view.warnings[0], style="red")
            if len(view.warnings) > 1:
                text.append(" …", style="red")
            text.append("\n")
        text.append(c.name, style="bold")
        text.append(f" ({c.id}) · {c.tier.value} · {c.country or '—'} · {c.segment or '—'}")
        text.append(f" · rating {r.rating.value}")
        opened = view.open_deals
        text.append(f" · {len(opened)} open deal{'s' if len(opened) != 1 else ''}")
        total = view.open_total
        if total is not None and total.parts:
            text.append(f" · open value {money(total.amount, total.currency)}")
            if total.oldest_rate_day is not None:
                text.append(f" (rates of {total.oldest_rate_day:%-d %b %Y})", style="dim")
            for note in missing_notes(total, "open deal", "in Settings"):
                text.append(f"\n⚠ {note}; not in the open value", style="yellow")
        return text

    # Tabs and keys

    @property
    def active_tab(self) -> str:
        tabs = self.query("#client-tabs")
        if not tabs:
            return ""
        return tabs.first(TabbedContent).active.removeprefix("tab-")

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()
        self.call_after_refresh(self._focus_table)

    def _focus_table(self) -> None:
        for found in self.query(f"#view-{self.active_tab} DataTable").results(DataTable):
            # Without scrolling to it: a tab opens at its top (the rating above the payments
            # table), however short the terminal.
            found.focus(scroll_visible=False)
            return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = ACTION_TABS.get(action)
        if tab is None:
            return True if action in ("back", "reload", "tab") else self.view is not None
        if self.view is None or self.active_tab != tab:
            return False
        profile = self.view.reliability.profile
        needs_item = {
            "edit_contact": self.view.contacts,
            "mark_paid": profile.payments,
            "resolve_flag": profile.red_flags,
            "escalate": self.view.complaints,
            "resolve_complaint": self.view.complaints,
            "open_deal": self.view.open_deals,
            "open_document": self.view.documents,
        }
        if action in needs_item and not needs_item[action]:
            return None
        return True

    def action_tab(self, step: int) -> None:
        tabs = self.query("#client-tabs")
        if tabs:
            names = list(TABS)
            here = names.index(self.active_tab) if self.active_tab in names else 0
            tabs.first(TabbedContent).active = f"tab-{names[(here + step) % len(names)]}"

    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self._failed = False
        self.load(force=True)

    # Actions

    def context(self) -> forms.ClientContext:
        assert self.view is not None
        return forms.ClientContext(
            workspace=self.accmgr.workspace,
            client=self.view.client,
            lock=self.accmgr.store_lock,
            latest_rev=self._latest_rev,
            reload=self.action_reload,
            deals=self.view.deals,
        )

    def _latest_rev(self) -> int:
        assert self.view is not None
        return self.view.client.rev

    def _open(self, form: Screen[Any], done: str) -> None:
        def saved(result: object) -> None:
            if result is not None:
                self.notify(done, timeout=3)
                self.load(force=True)

        self.app.push_screen(form, saved)

    def _selected(self, table_id: str, count: int) -> int | None:
        tables = self.query(f"#{table_id}")
        if not tables:
            return None
        return selected(tables.first(DataTable), count)

    @on(DataTable.RowSelected, "#overview-deals")
    def action_open_deal(self) -> None:
        assert self.view is not None
        deals = self.view.open_deals
        index = self._selected("overview-deals", len(deals))
        if index is not None:
            from accmgr.screens.deal import DealScreen

            self.app.push_screen(DealScreen(deals[index].id))

    @on(DataTable.RowSelected, "#documents")
    def action_open_document(self) -> None:
        assert self.view is not None
        docs = self.view.documents
        index = self._selected("documents", len(docs))
        if index is None:
            return
        # The document screen is built alongside: use it as soon as it exists.
        factory: Callable[[str], Screen[Any]] | None = None
        if importlib.util.find_spec("accmgr.screens.document") is not None:
            module = importlib.import_module("accmgr.screens.document")
            factory = getattr(module, "DocumentScreen", None)
        if factory is None:
            self.notify(f"{docs[index].ref}: the document screen is not built yet.", timeout=4)
            return
        self.app.push_screen(factory(docs[index].id))

    def action_edit_client(self) -> None:
        assert self.view is not None
        ws, lock = self.accmgr.workspace, self.accmgr.store_lock
        self._open(NewClientForm(ws, lock, self.view.client), "Client saved")

    def action_add_contact(self) -> None:
        ws, lock = self.accmgr.workspace, self.accmgr.store_lock
        self._open(ContactForm(ws, lock, self.client_id), "Contact added")

    def action_delete_record(self) -> None:
        """The highlighted row of the tab in front goes to the trash (after asking)."""
        if self.view is None:
            return
        records: dict[str, tuple[str, Sequence[StoredRecord]]] = {
            "contacts": ("contacts", self.view.contacts),
            "complaints": ("complaints", self.view.complaints),
            "documents": ("documents", self.view.documents),
        }
        for tab in self.query(ActivityTab):
            records["activity"] = ("activities", tab.shown(self.view))
        table_id, rows = records.get(self.active_tab, ("", ()))
        index = self._selected(table_id, len(rows)) if table_id else None
        if index is None:
            self.notify(
                "Delete works on a contact, activity, complaint or draft document: open its "
                "tab and highlight it (the client itself is deleted from the client list)"
            )
            return
        ask_and_delete(self, rows[index].id, lambda: self.load(force=True))

    def action_edit_contact(self) -> None:
        assert self.view is not None
        contacts = self.view.contacts
        index = self._selected("contacts", len(contacts))
        if index is not None:
            ws, lock = self.accmgr.workspace, self.accmgr.store_lock
            form = ContactForm(ws, lock, self.client_id, contacts[index])
            self._open(form, "Contact saved")

    def action_cycle_kind(self) -> None:
        for tab in self.query(ActivityTab):
            tab.cycle_kind()

    def action_add_payment(self) -> None:
        self._open(forms.PaymentForm(self.context()), "Invoice recorded")

    def action_mark_paid(self) -> None:
        assert self.view is not None
        payments = self.view.reliability.profile.payments
        index = self._selected("payments", len(payments))
        if index is None:
            return
        if payments[index].paid is not None:
            self.notify(f"Invoice {payments[index].invoice} is already paid", severity="warning")
            return
        self._open(forms.MarkPaidForm(self.context(), payments[index]), "Payment recorded")

    def action_add_flag(self) -> None:
        self._open(forms.FlagForm(self.context()), "Red flag raised")

    def action_resolve_flag(self) -> None:
        assert self.view is not None
        flags = self.view.reliability.profile.red_flags
        index = self._selected("flags", len(flags))
        if index is None:
            return
        if not flags[index].open:
            self.notify(f"Red flag {index + 1} is already resolved", severity="warning")
            return
        self._open(forms.ResolveFlagForm(self.context(), index + 1, flags[index]), "Flag resolved")

    def action_review(self) -> None:
        self._open(forms.ReviewForm(self.context()), "Review recorded")

    def action_indicators(self) -> None:
        self._open(forms.IndicatorsForm(self.context()), "Financial indicators saved")

    def action_edit_plan(self) -> None:
        self._open(forms.PlanForm(self.context()), "Account plan saved")

    def action_add_complaint(self) -> None:
        self._open(forms.ComplaintForm(self.context()), "Complaint recorded")

    def _complaint(self) -> Complaint | None:
        assert self.view is not None
        items = self.view.complaints
        index = self._selected("complaints", len(items))
        if index is None:
            return None
        if not items[index].open:
            self.notify(f"Complaint {items[index].id} is resolved", severity="warning")
            return None
        return items[index]

    def action_escalate(self) -> None:
        complaint = self._complaint()
        if complaint is not None:
            self._open(forms.EscalateForm(self.context(), complaint), "Complaint escalated")

    def action_resolve_complaint(self) -> None:
        complaint = self._complaint()
        if complaint is not None:
            form = forms.ResolveComplaintForm(self.context(), complaint)
            self._open(form, "Complaint resolved")
