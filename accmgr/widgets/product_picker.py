"""Pick a catalog product by fuzzy search over its code and name (as the command palette does).

The products come in ready (the caller read them off the UI thread); matching runs on each
keystroke over at most a few thousand short strings and shows the best :data:`SHOWN`, so a
large catalog never lays out thousands of options. A product priced in another currency than
the document's is refused beside the search field, naming both currencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from accmgr.domain.catalog import Product
from accmgr.domain.display import money
from accmgr.widgets.folded_matcher import FoldedMatcher

SHOWN = 50


def _label(product: Product, matcher: FoldedMatcher | None, elsewhere: bool) -> Content:
    text = f"{product.code}  {product.name}"
    head = matcher.highlight(text) if matcher else Content(text)
    unit_price = money(product.unit_price, product.currency, exact=True)
    price = f"  {unit_price}/{product.unit} · VAT {product.tax_rate}%"
    label = head + Content.styled(price, "dim")
    if elsewhere:
        label = label + Content.styled(" · another currency", "italic dim")
    return label


class ProductPicker(ModalScreen[Product | None]):
    """Returns the chosen product, or None when cancelled."""

    DEFAULT_CSS = """
    ProductPicker { align: center middle; }
    ProductPicker > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ProductPicker #picker-message { height: auto; color: $text-muted; }
    ProductPicker.-refused #picker-message { color: $text-error; }
    ProductPicker OptionList { height: auto; max-height: 20; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="picker.cancel", tooltip="Close without adding a line"
        ),
        Binding("down", "move(1)", "Next", show=False, id="picker.down", tooltip="Next product"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up", tooltip="Previous one"),
    ]

    def __init__(self, products: Sequence[Product], currency: str) -> None:
        super().__init__()
        self.products = [p for p in products if p.active]
        self.currency = currency
        self.shown: list[Product] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Add a line: pick a product"
            box.border_subtitle = "type to search · enter add · esc cancel"
            yield Input(placeholder="code or name, e.g. chair", id="picker-search", compact=True)
            yield Static(
                f"{len(self.products)} active products; this offer is in {self.currency}",
                id="picker-message",
                markup=False,
            )
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._filter("")
        self.query_one("#picker-search", Input).focus()

    @on(Input.Changed, "#picker-search")
    def _typed(self, event: Input.Changed) -> None:
        self.remove_class("-refused")
        self._filter(event.value)

    def _filter(self, query: str) -> None:
        query = query.strip()
        if query:
            matcher = FoldedMatcher(query)
            scored = [(matcher.match(f"{p.code}  {p.name}"), p) for p in self.products]
            # Products the offer can take first: one in another currency would be refused.
            ranked = [
                p
                for score, p in sorted(
                    scored, key=lambda s: (s[1].currency != self.currency, -s[0])
                )
                if score > 0
            ]
        else:
            matcher = None
            ranked = sorted(self.products, key=lambda p: (p.currency != self.currency, p.code))
        self.shown = ranked[:SHOWN]
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        options.add_options(
            Option(_label(p, matcher, p.currency != self.currency), id=p.code) for p in self.shown
        )
        if self.shown:
            options.highlighted = 0
        more = len(ranked) - len(self.shown)
        note = f"{len(ranked)} match" + ("" if len(ranked) == 1 else "es")
        if more > 0:
            note += f", the best {len(self.shown)} shown"
        if not self.has_class("-refused"):
            self.query_one("#picker-message", Static).update(
                note + f"; this offer is in {self.currency}"
            )

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#picker-search")
    def _submitted(self) -> None:
        index = self.query_one("#picker-options", OptionList).highlighted
        if index is not None and index < len(self.shown):
            self.choose(self.shown[index])

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(self.shown[event.option_index])

    def choose(self, product: Product) -> None:
        if product.currency != self.currency:
            self.add_class("-refused")
            self.query_one("#picker-message", Static).update(
                f"{product.code} is priced in {product.currency}; expected a product priced in "
                f"{self.currency}: a document has one currency"
            )
            return
        self.dismiss(product)

    def action_cancel(self) -> None:
        self.dismiss(None)
