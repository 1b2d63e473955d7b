"""The document screen's modals: a contract from an accepted offer, and a version diff."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from accmgr.domain.display import change_text, line_change_text, stored_money, stored_number
from accmgr.domain.document import Document
from accmgr.domain.offer_diff import OfferDiff, field_words
from accmgr.domain.reliability import labelled
from accmgr.services import issuing
from accmgr.services.workspace import Workspace
from accmgr.widgets.form import Field, FormScreen
from accmgr.widgets.form_parts import intro
from accmgr.widgets.visible_text import shown


class ContractForm(FormScreen[Document]):
    """The few things a contract adds to its offer; everything else comes from the offer."""

    FORM_TITLE = "Contract from the accepted offer"
    SAVE_LABEL = "Make the contract"

    def __init__(
        self,
        offer: Document,
        client: str,
        *,
        workspace: Workspace,
        lock: threading.Lock,
        stops: Sequence[str] = (),
    ) -> None:
        super().__init__(lock=lock)
        self.offer = offer
        self.client = client
        self.workspace = workspace
        # Stop warnings of the client: the contract is made only with a reason, kept on it.
        self.stops = tuple(stops)

    def compose_intro(self) -> ComposeResult:
        yield intro(
            f"{self.offer.ref}: lines, prices and terms come from the offer. The contract is "
            "issued at once (CTR-YYYY-NNNN) and cannot be edited afterwards."
        )
        if self.stops:
            yield Static(
                "\n".join(labelled(w) for w in self.stops), id="contract-stops", markup=False
            )

    def compose_fields(self) -> ComposeResult:
        yield Field(
            "Subject",
            Input(shown(self.offer.title or ""), id="subject", compact=True),
            hint="default: the offer's title",
        )
        yield Field(
            "Delivery", Input(id="delivery_terms", compact=True, placeholder="e.g. within 4 weeks")
        )
        yield Field(
            "We sign",
            Input(self.workspace.settings.company_name, id="our_signatory", compact=True),
            hint="default: your company's name",
        )
        yield Field(
            "They sign",
            Input(shown(self.client), id="their_signatory", compact=True),
            hint="default: the client's legal name",
        )
        if self.stops:
            yield Field(
                "Despite",
                Input(id="despite", compact=True, placeholder="why go ahead despite the warnings"),
                hint="required: kept on the contract and shown in its history",
            )

    def prepare(self) -> Callable[[], Document]:
        ws, ref = self.workspace, self.offer.id
        values = {
            k: self.query_one(f"#{k}", Input).value.strip()
            for k in ("subject", "delivery_terms", "our_signatory", "their_signatory")
        }
        despite = self.query_one("#despite", Input).value.strip() if self.stops else None
        return lambda: issuing.contract_from_offer(
            ws,
            ref,
            subject=values["subject"],
            delivery_terms=values["delivery_terms"],
            our_signatory=values["our_signatory"] or None,
            their_signatory=values["their_signatory"] or None,
            despite=despite,
        )


def diff_text(diff: OfferDiff) -> str:
    """The diff as the user reads it: lines added, removed, changed; terms; totals with change."""
    data = diff.to_dict()
    cur = diff.currency
    out = [f"From {diff.old_ref} to {diff.new_ref} ({cur})", ""]
    if diff.is_empty:
        return "\n".join([*out, "No difference: the two versions print the same."])
    lines = data["lines"]
    for title, key, sign in (("Lines added", "added", "+"), ("Lines removed", "removed", "-")):
        if lines[key]:
            out.append(f"{title}:")
            out.extend(
                f"  {sign} {ln['product_code'] or '—'} {ln['description']}: "
                f"{stored_number(ln['quantity'])} {ln['unit']} × "
                f"{stored_money(ln['unit_price'], cur)} = {stored_money(ln['net'], cur)}"
                for ln in lines[key]
            )
    if lines["changed"]:
        out.append("Lines changed:")
        for change in lines["changed"]:
            fields = ", ".join(
                line_change_text(name, c, cur) for name, c in change["fields"].items()
            )
            out.append(
                f"  ~ {change['product_code'] or 'line ' + str(change['new_position'])}: {fields}"
            )
    if data["terms"]:
        out.append("Terms:")
        out.extend(
            f"  {field_words(name)}: {c['old']} → {c['new']}" for name, c in data["terms"].items()
        )
    if data["totals"] or data["taxes"]:
        out.append("Totals:")
        out.extend(
            f"  {field_words(name)}: {change_text(name, c, cur)}"
            for name, c in data["totals"].items()
        )
        out.extend(
            f"  tax at {rate} %: {change_text('tax', c, cur)}" for rate, c in data["taxes"].items()
        )
    return "\n".join(out)


class DiffScreen(ModalScreen[None]):
    """What changed between two versions, read-only."""

    CSS_PATH = "document.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="document.diff.close", tooltip="Back"),
    ]

    def __init__(self, diff: OfferDiff) -> None:
        super().__init__()
        self.diff = diff

    def compose(self) -> ComposeResult:
        with Vertical(id="diff") as box:
            box.border_title = "Changes between versions"
            box.border_subtitle = "esc close"
            with VerticalScroll(id="diff-body"):
                yield Static(diff_text(self.diff), id="diff-text", markup=False)
            yield Button("Close", id="diff-close", variant="primary")

    @on(Button.Pressed, "#diff-close")
    def action_close(self) -> None:
        self.dismiss(None)
