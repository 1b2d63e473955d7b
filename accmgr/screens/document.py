"""One document: its header, its lines and totals exactly as ``offer show --json`` gives them,
its PDF, and the actions its state allows (render, open, accept, reject, revise, contract,
diff).

The figures come from :func:`accmgr.services.documents.view` — the frozen snapshot of an
issued document — and are shown as they are there: what the screen shows is what the PDF
prints and what a script reads. Reads and writes run in thread workers under the store lock;
a timer notices changes made elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from accmgr.domain.display import MINUS, stored_money, stored_number
from accmgr.domain.document import Document, DocumentKind, DocumentStatus
from accmgr.errors import AccmgrError
from accmgr.screens.document_modals import ContractForm, DiffScreen
from accmgr.screens.documents import editor_factory, open_document
from accmgr.screens.live import LiveScreen
from accmgr.screens.rendering import open_in_viewer, render_document
from accmgr.screens.settings import ConfirmScreen
from accmgr.services import documents, issuing
from accmgr.services.document_list import DocumentDetail, document_detail
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.visible_text import shown, shown_cell

if TYPE_CHECKING:
    from accmgr.services.workspace import Workspace

LINE_COLUMNS = (
    ("#", "position"),
    ("Code", "product_code"),
    ("Description", "description"),
    ("Qty", "quantity"),
    ("Unit", "unit"),
    ("Unit price", "unit_price"),
    ("Disc %", "discount"),
    ("Tax %", "tax_rate"),
    ("Net", "net"),
)
_RIGHT = {"position", "quantity", "unit_price", "discount", "tax_rate", "net"}
_DECIDABLE = (DocumentStatus.SENT, DocumentStatus.EXPIRED)
_REVISABLE = (DocumentStatus.SENT, DocumentStatus.EXPIRED, DocumentStatus.REJECTED)


def header_text(detail: DocumentDetail) -> str:
    d, doc = detail.data, detail.document
    name = f"{doc.number} version {doc.version}" if doc.number else f"{doc.id} (draft)"
    rows = [
        f"{doc.kind.value.capitalize()} {name} · {d['status']}",
        f"Client   {detail.client} ({doc.client_id})",
        f"Deal     {detail.deal} ({doc.deal_id})" if doc.deal_id else "Deal     —",
        f"Issued   {d.get('issued_on') or '—'} · valid until {d.get('valid_until') or '—'}"
        + (f" · decided {d['decided_on']}" if d.get("decided_on") else ""),
        f"Language {d['language']} · currency {d['currency']}"
        + (f" · replaces {d['supersedes']}" if d.get("supersedes") else "")
        + (f" · contract {detail.contract_number}" if detail.contract_number else "")
        + (f" · from offer {d['offer_number']}" if d.get("offer_number") else ""),
    ]
    # The history of steps taken despite a stop warning: when, what, who, and why.
    rows.extend(
        f"{o.on.isoformat()} {o.step} despite {'; '.join(o.warnings)} — {o.by or '—'}: {o.reason}"
        for o in detail.document.overrides
    )
    return "\n".join(rows)


def totals_text(totals: Mapping[str, Any], currency: str) -> str:
    """The totals in the user's locale, through the formatter the PDF uses."""

    def cash(key: str, figures: Mapping[str, Any] = totals) -> str:
        return stored_money(figures[key], currency)

    rows = [f"Subtotal {cash('subtotal')}"]
    if totals["document_discount"] != "0":
        rows.append(
            f"Discount {stored_number(totals['document_discount'])} % "
            f"{MINUS}{cash('document_discount_amount')}"
        )
    rows.append(f"Net {cash('net')}")
    rows.extend(
        f"Tax {stored_number(t['rate'])} % on {cash('base', t)}: {cash('tax', t)}"
        for t in totals["taxes"]
    )
    rows.append(f"Total {cash('total')}")
    return "\n".join(rows)


def pdf_text(data: Mapping[str, Any], is_draft: bool) -> str:
    if data.get("pdf_path"):
        return f"PDF {data['pdf_path']}\nSHA-256 {data['pdf_sha256']}"
    return "Not rendered yet: issue it first." if is_draft else "Not rendered yet: r renders it."


class DocumentScreen(LiveScreen[DocumentDetail]):
    CSS_PATH = "document.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="document.back", tooltip="Back to the list"),
        Binding(
            "r",
            "render",
            "Render",
            id="document.render",
            tooltip="Write the PDF (in the background) and store its path and SHA-256",
        ),
        Binding(
            "o",
            "open",
            "Open PDF",
            id="document.open",
            tooltip="Open the PDF in the system's viewer",
        ),
        Binding(
            "a", "accept", "Accept", id="document.accept", tooltip="The client accepted this offer"
        ),
        Binding(
            "x", "reject", "Reject", id="document.reject", tooltip="The client rejected this offer"
        ),
        Binding(
            "v",
            "revise",
            "Revise",
            id="document.revise",
            tooltip="A new draft version of this offer (this one is superseded when issued)",
        ),
        Binding(
            "c",
            "contract",
            "Contract",
            id="document.contract",
            tooltip="Make the contract from this accepted offer",
        ),
        Binding(
            "d",
            "diff",
            "Diff",
            id="document.diff",
            tooltip="What changed since the previous version",
        ),
        Binding(
            "e", "edit", "Edit", id="document.edit", tooltip="Change this draft in the offer editor"
        ),
    ]

    def __init__(self, document_id: str) -> None:
        super().__init__()
        self.document_id = document_id.strip().upper()
        self.detail: DocumentDetail | None = None
        self.rendering = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="doc-header", markup=False)
        table: DataTable[str] = DataTable(id="doc-lines", cursor_type="row", zebra_stripes=True)
        for label, key in LINE_COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Static("", id="doc-totals", markup=False)
        yield Static("", id="doc-pdf", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = self.document_id

    def read(self, workspace: Workspace) -> DocumentDetail:
        return document_detail(workspace, self.document_id)

    def show(self, data: DocumentDetail) -> None:
        self.detail = data
        figures, doc = data.data, data.document
        self.title = doc.ref
        self.query_one("#doc-header", Static).update(shown_cell(header_text(data)))
        table = self.query_one("#doc-lines", DataTable)
        table.clear()
        for line in figures["lines"]:
            table.add_row(*(_cell(line, key, doc.currency) for _, key in LINE_COLUMNS))
        totals = totals_text(figures["totals"], doc.currency)
        self.query_one("#doc-totals", Static).update(shown_cell(totals))
        pdf = "Rendering…" if self.rendering else pdf_text(figures, doc.is_draft)
        self.query_one("#doc-pdf", Static).update(shown_cell(pdf))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        detail = self.detail
        if detail is None or action in {"back"}:
            return True if action == "back" else None
        doc, status = detail.document, detail.status
        offer = doc.kind is DocumentKind.OFFER
        allowed = {
            "render": not doc.is_draft and not self.rendering,
            "open": bool(doc.pdf_path),
            "accept": offer and status is DocumentStatus.SENT,
            "reject": offer and status in _DECIDABLE,
            "revise": offer and detail.is_latest and status in _REVISABLE,
            "contract": offer and status is DocumentStatus.ACCEPTED and not detail.contract_number,
            "diff": detail.previous_id is not None,
            "edit": doc.is_draft and editor_factory() is not None,
        }
        # Hidden, not dimmed: the footer shows only what this document allows now.
        return bool(allowed.get(action, True))

    # Actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_render(self) -> None:
        if self.detail is None or self.rendering:
            return
        self.rendering = True
        self.query_one("#doc-pdf", Static).update(shown_cell("Rendering… (the app stays usable)"))
        self.refresh_bindings()
        render_document(self, self.detail.document.id, self._rendered, self._rendered)

    def _rendered(self, doc: Document | None = None) -> None:
        self.rendering = False
        if self.is_attached:
            self.load(force=True)

    def action_open(self) -> None:
        if self.detail is not None:
            open_in_viewer(self.app, self.detail.document.pdf_path)

    def action_accept(self) -> None:
        self._decide("accept", issuing.accept)

    def action_reject(self) -> None:
        self._decide("reject", issuing.reject)

    def _decide(self, verb: str, decide: Callable[..., Document]) -> None:
        if self.detail is None:
            return
        ref = self.detail.document.ref

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(
                    lambda ws: decide(ws, ref),
                    f"{verb}ed",
                    retry=lambda reason: lambda ws: issuing.accept(ws, ref, despite=reason),
                )

        self.app.push_screen(ConfirmScreen(f"Mark {ref} as {verb}ed by the client?"), answered)

    def action_revise(self) -> None:
        if self.detail is not None:
            ref = self.detail.document.ref
            self._write(lambda ws: issuing.revise(ws, ref), "revised", open_result=True)

    def action_contract(self) -> None:
        if self.detail is None:
            return
        from accmgr.services.reliability import stops_for

        try:
            with self.accmgr.store_lock:
                stops = stops_for(self.accmgr.workspace, self.detail.document.id, "contract")
        except AccmgrError:
            stops = []  # the contract step checks again and says why
        form = ContractForm(
            self.detail.document,
            self.detail.client,
            workspace=self.accmgr.workspace,
            lock=self.accmgr.store_lock,
            stops=stops,
        )
        self.app.push_screen(form, self._contract_made)

    def _contract_made(self, contract: Document | None) -> None:
        if contract is not None:
            self.notify(f"Contract {contract.number} made from {self.document_id}.", timeout=4)
            self.load(force=True)
            open_document(self, contract.id, draft=False)

    def action_edit(self) -> None:
        editor = editor_factory()
        if editor is not None and self.detail is not None:
            self.app.push_screen(editor(self.detail.document.id))

    @work(thread=True, group="document-write", description="Changing the document")
    def _write(
        self,
        change: Callable[[Any], Document],
        what: str,
        open_result: bool = False,
        retry: Callable[[str], Callable[[Any], Document]] | None = None,
    ) -> None:
        """``retry`` makes the change again with a reason, when a stop warning asks for one."""
        from accmgr.services.reliability import ReliabilityStop

        try:
            with self.accmgr.store_lock:
                doc = change(self.accmgr.workspace)
        except ReliabilityStop as exc:
            if retry is not None:
                self.app.call_from_thread(self._ask_reason, exc, what, retry)
                return
            self.app.call_from_thread(
                self.notify, str(exc), title="Not changed", severity="warning", timeout=6
            )
            return
        except AccmgrError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not changed", severity="warning", timeout=6
            )
            return
        self.app.call_from_thread(self._written, doc, what, open_result)

    def _ask_reason(
        self,
        stop: Any,
        what: str,
        retry: Callable[[str], Callable[[Any], Document]],
    ) -> None:
        from accmgr.screens.reliability_stop import StopReason

        def answered(reason: str | None) -> None:
            if reason:
                self._write(retry(reason), what)

        self.app.push_screen(StopReason(stop.step, stop.ref, stop.warnings), answered)

    def _written(self, doc: Document, what: str, open_result: bool) -> None:
        self.notify(f"{doc.ref} {what}.", timeout=3)
        self.load(force=True)
        if open_result:
            open_document(self, doc.id, draft=doc.is_draft)

    def action_diff(self) -> None:
        if self.detail is not None and self.detail.previous_id is not None:
            self._diff(self.detail.previous_id, self.detail.document.id)

    @work(thread=True, group="document-diff", description="Comparing versions")
    def _diff(self, old_id: str, new_id: str) -> None:
        try:
            with self.accmgr.store_lock:
                found = documents.diff(self.accmgr.workspace, old_id, new_id)
        except AccmgrError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning")
            return
        self.app.call_from_thread(self.app.push_screen, DiffScreen(found))


_MONEY = {"unit_price", "net"}
_NUMBERS = {"quantity", "discount", "tax_rate"}


def _cell(line: Mapping[str, Any], key: str, currency: str) -> Any:
    from rich.text import Text

    if key in _MONEY:
        value = stored_money(line[key], currency)
    elif key in _NUMBERS:
        value = stored_number(line[key])
    else:
        value = shown(str(line[key]))
    return Text(value, justify="right") if key in _RIGHT else value
