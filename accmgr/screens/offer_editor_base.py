"""The offer editor's state and layout: loading, the pending values, typing.

:class:`OfferEditorBase` holds what the editor shows and reacts to keystrokes; the keys and
the writes (save, issue, revise, render) are :class:`accmgr.screens.offer_editor.
OfferEditorScreen`'s. Split only for length: the two are one screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Header, Input, Static

from accmgr.domain.catalog import Product
from accmgr.domain.client import ReliabilityProfile
from accmgr.domain.document import Document, DocumentKind
from accmgr.domain.offer_draft import (
    DraftTerms,
    DraftTotals,
    PendingLine,
    check_terms,
    draft_totals,
)
from accmgr.domain.reliability import OfferedTerms, ReliabilityWarning, labelled, terms_warning
from accmgr.errors import AccmgrError
from accmgr.services.reliability import document_warnings
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.form import Field
from accmgr.widgets.inputs import DateInput
from accmgr.widgets.offer_lines import LinesGrid, TotalsPanel

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp

REFRESH_SECONDS = 1.0
LINE_INPUTS = {"line-quantity": "quantity", "line-price": "unit_price", "line-discount": "discount"}
TERM_FIELDS = ("currency", "document_discount", "valid_until")


@dataclass(frozen=True)
class EditorView:
    """What the editor needs, read in one go off the UI thread."""

    doc: Document
    client_name: str
    deal_title: str
    products: tuple[Product, ...]
    today: date
    validity_days: int
    # The client's reliability warnings for issuing this offer, worst first, and the payment
    # terms its profile allows (the typed terms are checked against them live).
    warnings: tuple[ReliabilityWarning, ...] = ()
    allowed_terms_days: int | None = None


class OfferEditorBase(Screen[None]):
    """Edit a draft offer's pending values; see OfferEditorScreen for the keys and writes."""

    def __init__(self, document_id: str) -> None:
        super().__init__()
        self.document_id = document_id.strip().upper()
        self.view: EditorView | None = None
        self.lines: list[PendingLine] = []
        self._initial: tuple[Any, ...] = ()
        self._seen_version = -1
        self._busy = False
        self._warned_elsewhere = False

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    # Layout

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="offer-summary", markup=False)
        with Horizontal(id="offer-main"):
            with Vertical(id="offer-left"):
                yield LinesGrid(id="offer-lines")
                with Horizontal(id="line-fields"):
                    yield Static("", id="line-label", markup=False)
                    yield Field(
                        "Qty", Input(id="line-quantity", compact=True), check=self._lp("quantity")
                    )
                    yield Field(
                        "Price", Input(id="line-price", compact=True), check=self._lp("unit_price")
                    )
                    yield Field(
                        "Disc %",
                        Input(id="line-discount", compact=True),
                        check=self._lp("discount"),
                    )
                yield Static("", id="line-message", markup=False)
            yield TotalsPanel("", id="offer-totals")
        with Horizontal(id="offer-terms"):
            with Vertical(classes="terms-column"):
                yield Field(
                    "Currency",
                    Input(id="currency", max_length=3, compact=True),
                    check=self._tp("currency"),
                )
                yield Field(
                    "Discount %",
                    Input(id="document_discount", compact=True),
                    check=self._tp("document_discount"),
                )
                yield Field(
                    "Valid until",
                    DateInput(
                        id="valid_until",
                        today=self._today,
                        locale=self.accmgr.workspace.locale,
                        compact=True,
                    ),
                    check=self._tp("valid_until"),
                )
            with Vertical(classes="terms-column"):
                yield Field(
                    "Payment",
                    Input(id="payment_terms", compact=True, placeholder="e.g. 30 days net"),
                )
                yield Field(
                    "Special terms",
                    Input(id="special_terms", compact=True, placeholder="terms and bonuses"),
                )
                yield Field(
                    "Referral",
                    Checkbox("include the referral clause", id="referral_clause", compact=True),
                )
        yield Static("", id="offer-warnings", markup=False)
        yield Static("", id="offer-status", markup=False)
        yield AppFooter()

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        self.set_class(narrow, "-narrow")
        self.query_one(LinesGrid).set_narrow(narrow, self.lines)
        if self.view is not None:
            self.call_after_refresh(self._recount)  # the totals' width follows the panel's

    def _today(self) -> date:
        return self.view.today if self.view else self.accmgr.workspace.today()

    def _lp(self, name: str) -> Any:
        def check() -> str | None:
            line = self.current_line
            return line.problems.get(name) if line else None

        return check

    def _tp(self, name: str) -> Any:
        return lambda: self.term_problems().get(name)

    # Loading

    def on_mount(self) -> None:
        self.sub_title = self.document_id
        self.load(force=True)
        self.set_interval(REFRESH_SECONDS, lambda: self.load(force=False))

    @work(thread=True, exclusive=True, group="offer-editor", description="Reading the offer")
    def load(self, force: bool) -> None:
        ws = self.accmgr.workspace
        with self.accmgr.store_lock:
            store = ws.store
            store.refresh()
            if not force and store.version == self._seen_version:
                return
            self._seen_version = store.version
            found = store.get("documents", self.document_id)
            if found is None:
                self.app.call_from_thread(self._missing)
                return
            doc = Document.from_dict(found)
            client = store.get("clients", doc.client_id) or {}
            deal = store.get("deals", doc.deal_id) if doc.deal_id else None
            products = store.all("products")
            try:
                warnings = tuple(document_warnings(ws, doc))
            except AccmgrError:
                warnings = ()  # a draft that cannot be totalled yet: its lines say why
        profile = ReliabilityProfile.from_dict(client.get("reliability") or {})
        view = EditorView(
            doc=doc,
            client_name=str(client.get("name", doc.client_id)),
            deal_title=str((deal or {}).get("title", "")),
            products=tuple(sorted((Product.from_dict(p) for p in products), key=lambda p: p.code)),
            today=ws.today(),
            validity_days=ws.settings.offer_validity_days,
            warnings=warnings,
            allowed_terms_days=profile.payment_terms_days,
        )
        self.app.call_from_thread(self._arrived, view)

    def _missing(self) -> None:
        self.query_one("#offer-summary", Static).update(f"{self.document_id} does not exist.")
        self.notify(f"document {self.document_id} does not exist", severity="error")

    def _arrived(self, view: EditorView) -> None:
        old = self.view
        if old is not None and old.doc == view.doc:
            self.view = view  # the catalog or the day may have changed; the document did not
            return
        if old is not None and self.dirty:
            if not self._warned_elsewhere:
                self._warned_elsewhere = True
                self._status(
                    f"{old.doc.ref} was changed elsewhere; saving will be refused — "
                    "esc and reopen to see the change"
                )
            return
        self._show(view)

    def _show(self, view: EditorView) -> None:
        """Fill every field and the grid from the document as stored."""
        self.view = view
        doc = view.doc
        self._warned_elsewhere = False
        if doc.kind is not DocumentKind.OFFER:
            self._status(f"{doc.ref} is a {doc.kind.value}; the editor edits offers")
        self.lines = [PendingLine.of_line(line, doc.currency) for line in doc.lines]
        grid = self.query_one(LinesGrid)
        grid.fill(self.lines)
        valid = doc.valid_until or (view.today + timedelta(days=view.validity_days))
        values = {
            "currency": doc.currency,
            "document_discount": format(doc.document_discount.normalize(), "f"),
            "valid_until": valid.isoformat(),
            "payment_terms": doc.payment_terms,
            "special_terms": doc.special_terms,
        }
        for name, value in values.items():
            self.query_one(f"#{name}", Input).value = value
        self.query_one("#referral_clause", Checkbox).value = doc.referral_clause
        readonly = not doc.is_draft or doc.kind is not DocumentKind.OFFER
        for widget in self.query("#offer-terms Input, #offer-terms Checkbox, #line-fields Input"):
            widget.disabled = readonly
        self.set_class(readonly, "-readonly")
        self.title = f"Offer {doc.ref}"
        self.sub_title = view.client_name
        self._initial = self.signature(values, doc.referral_clause)
        self._show_line()
        self._recount()
        self.refresh_bindings()
        grid.focus()

    # The pending state

    def terms(self) -> DraftTerms:
        date_input = self.query_one("#valid_until", DateInput)
        return DraftTerms(
            currency=self.query_one("#currency", Input).value.strip().upper(),
            document_discount=self.query_one("#document_discount", Input).value,
            valid_until=date_input.parsed,
            payment_terms=self.query_one("#payment_terms", Input).value,
            special_terms=self.query_one("#special_terms", Input).value,
            referral_clause=self.query_one("#referral_clause", Checkbox).value,
        )

    def term_problems(self) -> dict[str, str]:
        return check_terms(self.terms(), self.lines, self._today())

    def signature(
        self, values: dict[str, str] | None = None, referral: bool | None = None
    ) -> tuple[Any, ...]:
        if values is None:
            values = {
                name: self.query_one(f"#{name}", Input).value
                for name in (
                    "currency",
                    "document_discount",
                    "valid_until",
                    "payment_terms",
                    "special_terms",
                )
            }
            referral = self.query_one("#referral_clause", Checkbox).value
        lines = tuple(
            (ln.product_code, ln.quantity, ln.unit_price, ln.discount) for ln in self.lines
        )
        return (tuple(sorted(values.items())), referral, lines)

    @property
    def dirty(self) -> bool:
        return (
            self.view is not None and self.view.doc.is_draft and self.signature() != self._initial
        )

    @property
    def current_line(self) -> PendingLine | None:
        index = self.query_one(LinesGrid).index
        return None if index is None else self.lines[index]

    def _status(self, text: str) -> None:
        self.query_one("#offer-status", Static).update(text)

    def _summary(self) -> None:
        if self.view is None:
            return
        doc = self.view.doc
        status = doc.status_on(self._today()).value
        parts = [doc.ref, status, f"{self.view.client_name} ({doc.client_id})"]
        if doc.deal_id:
            parts.append(f"{doc.deal_id} {self.view.deal_title}")
        parts.append(f"language {doc.language}")
        if doc.issued_on:
            parts.append(f"issued {doc.issued_on:%-d %b %Y}")
        if not doc.is_draft:
            parts.append("read-only: v starts a new version")
        elif self.dirty:
            parts.append("unsaved edits")
        self.query_one("#offer-summary", Static).update(" · ".join(parts))

    def _recount(self) -> None:
        """Totals, field messages and the summary after any change."""
        terms = self.terms()
        problem = self.term_problems().get("currency")
        result = (
            DraftTotals(None, f"currency: {problem}")
            if problem
            else draft_totals(terms, self.lines)
        )
        self.query_one(TotalsPanel).show(result, terms.currency, len(self.lines))
        for name in TERM_FIELDS:
            self.query_one(f"#field-{name}", Field).show()
        self._show_warnings()
        self._summary()

    def _show_warnings(self) -> None:
        """The client's reliability warnings under the terms and totals, the payment terms
        checked as typed against what the profile allows."""
        box = self.query_one("#offer-warnings", Static)
        view = self.view
        if view is None:
            box.display = False
            return
        found: list[str] = [w for w in view.warnings if w.key != "terms"]
        typed = OfferedTerms(view.doc.ref, self.query_one("#payment_terms", Input).value)
        live = terms_warning(typed, view.allowed_terms_days)
        if live is not None:
            found.append(live)
        found.sort(key=lambda w: w.level.rank if isinstance(w, ReliabilityWarning) else 9)
        box.update("\n".join(labelled(w) for w in found))
        box.display = bool(found)

    def _show_line(self) -> None:
        """Put the line under the cursor into the line fields."""
        grid = self.query_one(LinesGrid)
        line = self.current_line
        label = self.query_one("#line-label", Static)
        if line is None:
            label.update("No lines: ctrl+n adds one")
        else:
            label.update(
                f"Line {grid.index + 1 if grid.index is not None else ''}: {line.product_code}"
            )
        for input_id, name in LINE_INPUTS.items():
            widget = self.query_one(f"#{input_id}", Input)
            widget.value = getattr(line, name) if line else ""
            field = self.query_one(f"#field-{input_id}", Field)
            field.touched = bool(line and name in line.problems)
            field.server_problem = None
            if not (self.view and not self.view.doc.is_draft):
                widget.disabled = line is None
        self._line_messages()

    def _line_messages(self, *, force: bool = False) -> None:
        """Show the line fields' messages in one row under them, each named by its field (three
        narrow columns would wrap every message over four lines)."""
        problems = []
        for input_id in LINE_INPUTS:
            field = self.query_one(f"#field-{input_id}", Field)
            field.show(force=force)
            problem = field.problem()
            if field.has_class("-invalid") and problem:
                problems.append(f"{field.label}: {problem}")
        self.query_one("#line-message", Static).update(" · ".join(problems))

    # Typing

    @on(DataTable.RowHighlighted, "#offer-lines")
    def _row_moved(self) -> None:
        self._show_line()

    @on(DataTable.RowSelected, "#offer-lines")
    def _row_chosen(self) -> None:
        if self.view is not None and self.view.doc.is_draft and self.lines:
            self.query_one("#line-quantity", Input).focus()

    @on(Input.Changed, "#line-fields Input")
    def _line_typed(self, event: Input.Changed) -> None:
        grid = self.query_one(LinesGrid)
        index, name = grid.index, LINE_INPUTS[event.input.id or ""]
        if index is None or getattr(self.lines[index], name) == event.value:
            return  # the field was filled from the line, not typed
        line = self.lines[index]
        line.set(name, event.value)
        grid.show_line(index, line)
        field = self.query_one(f"#field-{event.input.id}", Field)
        field.touched, field.server_problem = True, None
        self._line_messages()
        self._recount()

    @on(Input.Submitted, "#line-fields Input")
    def _line_next(self, event: Input.Submitted) -> None:
        order = list(LINE_INPUTS)
        here = order.index(event.input.id or "")
        if here + 1 < len(order):
            self.query_one(f"#{order[here + 1]}", Input).focus()
        else:
            self.query_one(LinesGrid).focus()

    @on(Input.Changed, "#offer-terms Input")
    def _term_typed(self, event: Input.Changed) -> None:
        field = self.query_one(f"#field-{event.input.id}", Field)
        field.touched, field.server_problem = True, None
        field.show()
        self._recount()

    @on(Checkbox.Changed, "#referral_clause")
    def _referral(self) -> None:
        self._summary()
