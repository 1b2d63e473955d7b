"""The offer editor: one grid of lines, the document's terms, totals as you type.

Nothing is written while typing: the editor holds the pending values
(:mod:`accmgr.domain.offer_draft`) and totals them with the domain's arithmetic on every
keystroke, so the figures shown are those ``offer show --json`` prints once saved. Saving
writes lines and terms in one transaction (``documents.save_draft``) in a thread worker under
the app's store lock; a refusal comes back beside the field it names. An issued offer opens
read-only, with "revise" to start its next version and "render" for its PDF.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.widgets import Input

from accmgr.domain.catalog import Product
from accmgr.domain.document import Document, DocumentKind
from accmgr.domain.offer_draft import PendingLine, read_discount
from accmgr.errors import AccmgrError, ValidationError
from accmgr.screens.offer_editor_base import (
    LINE_INPUTS,
    TERM_FIELDS,
    OfferEditorBase,
)
from accmgr.screens.offer_editor_dialogs import ConfirmIssue
from accmgr.screens.rendering import render_document
from accmgr.services.reliability import ReliabilityStop
from accmgr.widgets.form import Field, leave_asking
from accmgr.widgets.offer_lines import LinesGrid
from accmgr.widgets.product_picker import ProductPicker


def _key(key: str, action: str, description: str, tooltip: str, **extra: Any) -> Binding:
    return Binding(key, action, description, id=f"offer_editor.{action}", tooltip=tooltip, **extra)


class OfferEditorScreen(OfferEditorBase):
    """Edit a draft offer; an issued one is shown read-only."""

    CSS_PATH = "offer_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        _key("escape", "back", "Back", "Leave the editor (asks first if edits are unsaved)"),
        _key("ctrl+n", "add_line", "Add line", "Pick a catalog product for a new line"),
        _key("delete", "remove_line", "Remove line", "Remove the line under the grid's cursor"),
        _key("ctrl+s", "save", "Save", "Check every field and save the draft"),
        _key("ctrl+t", "issue", "Issue", "Save, then freeze the offer with a number"),
        _key("ctrl+r", "render", "Render", "Write the issued offer as PDF"),
        _key("v", "revise", "Revise", "Start the next version of this issued offer"),
        _key("ctrl+l", "focus_lines", "Lines", "Back to the grid of lines", show=False),
    ]

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("back", "focus_lines"):
            return True
        view = self.view
        if view is None:
            return False
        draft = view.doc.is_draft and view.doc.kind is DocumentKind.OFFER
        if action in ("add_line", "save", "issue"):
            return draft
        if action == "remove_line":
            return (True if self.lines else None) if draft else False
        if action == "render":
            return not view.doc.is_draft
        if action == "revise":
            return not view.doc.is_draft and view.doc.kind is DocumentKind.OFFER
        return True

    def action_focus_lines(self) -> None:
        self.query_one(LinesGrid).focus()

    def action_back(self) -> None:
        leave_asking(self, dirty=self.dirty)

    def action_add_line(self) -> None:
        if self.view is None:
            return
        currency = self.terms().currency or self.view.doc.currency
        if self.lines:
            currency = self.lines[0].currency

        def picked(product: Product | None) -> None:
            if product is None:
                return
            line = PendingLine.of_product(product, product.currency)
            self.lines.append(line)
            grid = self.query_one(LinesGrid)
            grid.append(len(self.lines), line)
            grid.move_cursor(row=len(self.lines) - 1)
            self._show_line()
            self._recount()
            self.refresh_bindings()
            self.query_one("#line-quantity", Input).focus()

        self.app.push_screen(ProductPicker(self.view.products, currency), picked)

    def action_remove_line(self) -> None:
        grid = self.query_one(LinesGrid)
        index = grid.index
        if index is None:
            return
        removed = self.lines.pop(index)
        grid.drop_line(index)
        self._show_line()
        self._recount()
        self.refresh_bindings()
        self.notify(f"Line {index + 1} ({removed.product_code}) removed; ctrl+s saves")

    def _problems(self) -> list[Field]:
        """Show every message; the fields still refused (the first line with a problem is put
        under the cursor so that its fields show why)."""
        grid = self.query_one(LinesGrid)
        bad_line = next((i for i, line in enumerate(self.lines) if line.problems), None)
        if bad_line is not None and bad_line != grid.index:
            grid.move_cursor(row=bad_line)
            self._show_line()
        fields = [self.query_one(f"#field-{name}", Field) for name in (*LINE_INPUTS, *TERM_FIELDS)]
        invalid = [field for field in fields if not field.show(force=True)]
        self._line_messages(force=True)
        return invalid

    def _edits(self) -> dict[str, Any]:
        terms = self.terms()
        return {
            "lines": [line.to_document_line() for line in self.lines],
            "currency": terms.currency,
            "document_discount": read_discount(terms.document_discount, "document discount"),
            "valid_until": terms.valid_until,
            "payment_terms": terms.payment_terms,
            "special_terms": terms.special_terms,
            "referral_clause": terms.referral_clause,
        }

    def _ready(self) -> dict[str, Any] | None:
        """The edits to write, or None after showing what to correct."""
        if self._busy or self.view is None:
            return None
        invalid = self._problems()
        if invalid:
            invalid[0].widget.focus()
            self._status(
                f"{len(invalid)} field{'s' if len(invalid) > 1 else ''} to correct; nothing saved"
            )
            return None
        return self._edits()

    def action_save(self) -> None:
        edits = self._ready()
        if edits is not None:
            self._busy = True
            self._status("Saving…")
            self._write(edits, issue=False)

    def action_issue(self) -> None:
        from accmgr.services.documents import missing_company_fields

        edits = self._ready()
        if edits is None or self.view is None:
            return
        if not self.lines:
            self._status("An offer needs at least one line to be issued: ctrl+n adds one")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._busy = True
                self._status("Issuing…")
                self._write(edits, issue=True)

        missing = missing_company_fields(self.accmgr.workspace)
        self.app.push_screen(ConfirmIssue(self.view.doc.ref, missing), confirmed)

    @work(thread=True, exclusive=True, group="offer-save", description="Saving the offer")
    def _write(self, edits: dict[str, Any], issue: bool, despite: str | None = None) -> None:
        from accmgr.services import documents, issuing

        assert self.view is not None
        ws, doc = self.accmgr.workspace, self.view.doc
        saved = doc
        try:
            with self.accmgr.store_lock:
                if self.dirty_for(edits):
                    saved = documents.save_draft(ws, doc.id, expected_rev=doc.rev, **edits)
                if issue:
                    saved = issuing.issue(ws, doc.id, despite=despite)
        except ReliabilityStop as exc:
            if saved is not doc:
                self.app.call_from_thread(self._written, saved, False)
            self.app.call_from_thread(self._ask_reason, exc, edits)
        except AccmgrError as exc:
            if saved is not doc:  # saved, then issuing was refused: show the saved draft
                self.app.call_from_thread(self._written, saved, False)
            self.app.call_from_thread(self._refused, exc)
        else:
            self.app.call_from_thread(self._written, saved, issue)

    def _ask_reason(self, stop: ReliabilityStop, edits: dict[str, Any]) -> None:
        """A stop warning: issue only with a reason, which the offer keeps."""
        from accmgr.screens.reliability_stop import StopReason

        self._busy = False
        self._status(f"Not issued: {stop}")

        def answered(reason: str | None) -> None:
            if reason:
                self._busy = True
                self._status("Issuing…")
                self._write(edits, issue=True, despite=reason)

        self.app.push_screen(StopReason("issue", stop.ref, stop.warnings), answered)

    def dirty_for(self, edits: dict[str, Any]) -> bool:
        """Whether ``edits`` differ from the stored draft (issuing unchanged writes nothing)."""
        assert self.view is not None
        doc = self.view.doc
        stored = {
            "lines": list(doc.lines),
            "currency": doc.currency,
            "document_discount": doc.document_discount,
            "valid_until": doc.valid_until,
            "payment_terms": doc.payment_terms,
            "special_terms": doc.special_terms,
            "referral_clause": doc.referral_clause,
        }
        return stored != edits

    def _written(self, doc: Document, issued: bool) -> None:
        self._busy = False
        assert self.view is not None
        self._show(replace(self.view, doc=doc))
        if issued:
            self._status(
                f"Issued {doc.number}: frozen; v starts a new version, ctrl+r renders the PDF"
            )
            self.notify(f"Issued {doc.number}", title="Offer issued")
        else:
            self._status(f"Saved {doc.ref}")
            self.notify(f"Saved {doc.ref}")

    def _refused(self, exc: AccmgrError) -> None:
        self._busy = False
        if isinstance(exc, ValidationError):
            target = self._field_for(exc.field)
            if target is not None:
                target.server_problem = exc.detail
                target.show(force=True)
                self._line_messages()
                target.widget.focus()
                self._status(f"Not saved: {exc}")
                return
        self._status(f"Not saved: {exc}")
        self.notify(str(exc), title="Not saved", severity="error")

    def _field_for(self, name: str) -> Field | None:
        """The field a service's ValidationError names: a term, or ``line N: quantity``."""
        if name in TERM_FIELDS:
            return self.query_one(f"#field-{name}", Field)
        if name.startswith("line "):
            number, _, what = name[5:].partition(": ")
            by_label = {
                "quantity": "line-quantity",
                "unit price": "line-price",
                "discount": "line-discount",
            }
            if number.isdigit() and what in by_label and 0 < int(number) <= len(self.lines):
                self.query_one(LinesGrid).move_cursor(row=int(number) - 1)
                self._show_line()
                return self.query_one(f"#field-{by_label[what]}", Field)
        return None

    def action_revise(self) -> None:
        if self.view is not None and not self._busy:
            self._busy = True
            self._revise(self.view.doc.id)

    @work(thread=True, exclusive=True, group="offer-save", description="Starting a new version")
    def _revise(self, doc_id: str) -> None:
        from accmgr.services import issuing

        try:
            with self.accmgr.store_lock:
                draft = issuing.revise(self.accmgr.workspace, doc_id)
        except AccmgrError as exc:
            self.app.call_from_thread(self._refused, exc)
        else:
            self.app.call_from_thread(self._revised, draft)

    def _revised(self, draft: Document) -> None:
        self._busy = False
        assert self.view is not None
        self.document_id = draft.id
        self._show(replace(self.view, doc=draft))
        self.notify(f"Version {draft.version} of {draft.number} started as {draft.id}")

    def action_render(self) -> None:
        if self.view is None:
            return
        self._status(f"Rendering {self.view.doc.ref}…")
        render_document(self, self.view.doc.id, self._rendered)

    def _rendered(self, doc: Document) -> None:
        if self.view is not None and self.view.doc.id == doc.id:
            self.view = replace(self.view, doc=doc)
        self._status(f"Rendered {doc.ref}: {doc.pdf_path}")
