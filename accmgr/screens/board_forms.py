"""The board's forms: move anyway (with a reason), won, lost (with a reason), new deal.

Each is a :class:`~accmgr.widgets.form.FormScreen` returning the written ``Deal`` (or None
when cancelled); the write runs in the form's worker under the store lock, through the same
services the CLI uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from accmgr.domain.deal import Deal, LeadSource, LostReason
from accmgr.domain.display import money
from accmgr.domain.money import check_currency, parse_percent
from accmgr.domain.search import filter_by, fold
from accmgr.domain.stages import Stage
from accmgr.errors import AccmgrError, ValidationError
from accmgr.services import deals as deal_service
from accmgr.services.deals import MovePlan
from accmgr.services.edits import EditConflict, edit_deal
from accmgr.services.workspace import Workspace
from accmgr.widgets.conflict import ConflictDialog, Side, conflict_rows
from accmgr.widgets.form import Field, FormScreen
from accmgr.widgets.form_parts import chosen, enum_select, intro
from accmgr.widgets.inputs import DateInput, MoneyInput, ParsedInput

LOST_REASONS: tuple[tuple[str, LostReason], ...] = (
    ("Price", LostReason.PRICE),
    ("Competitor", LostReason.COMPETITOR),
    ("No budget", LostReason.NO_BUDGET),
    ("No decision", LostReason.NO_DECISION),
    ("Timing", LostReason.TIMING),
    ("Product fit", LostReason.PRODUCT_FIT),
    ("Reliability", LostReason.RELIABILITY),
    ("Other", LostReason.OTHER),
)


class DealRef(Protocol):
    """What the won and lost forms need of a deal: a board card or the deal screen's view."""

    @property
    def deal_id(self) -> str: ...
    @property
    def rev(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def client(self) -> str: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    @property
    def stage(self) -> Stage: ...


class MoveForm(FormScreen[Deal]):
    """The next stage is not ready: say what is missing and move anyway with a reason."""

    FORM_TITLE = "Move anyway?"
    SAVE_LABEL = "Move anyway"

    def __init__(self, plan: MovePlan, *, workspace: Workspace, lock: threading.Lock) -> None:
        super().__init__(lock=lock)
        self.plan = plan
        self.workspace = workspace

    def compose_intro(self) -> ComposeResult:
        deal = self.plan.deal
        lines = [
            f"{deal.id} “{deal.title}”: {deal.stage.label} → {self.plan.target.label}",
            "",
        ]
        if self.plan.unmet:
            lines.append(f"Not ready to leave {deal.stage.label}:")
            lines += [f"  ✗ {criterion.text}" for criterion in self.plan.unmet]
        if self.plan.skipped:
            lines.append("Skips: " + ", ".join(stage.label for stage in self.plan.skipped))
        lines += ["", "The reason is recorded in the deal's stage history."]
        yield intro("\n".join(lines))

    def compose_fields(self) -> ComposeResult:
        yield Field(
            "Reason",
            Input(id="reason", compact=True, placeholder="why move it now"),
            required=True,
        )

    def prepare(self) -> Callable[[], Deal]:
        reason = self.query_one("#reason", Input).value
        plan, ws = self.plan, self.workspace
        return lambda: deal_service.move_deal(
            ws, plan.deal.id, plan.target, reason=reason, expected_rev=plan.deal.rev
        )


class WonForm(FormScreen[Deal]):
    """Confirm the contract is signed; the deal goes on to Fulfilment."""

    FORM_TITLE = "Won"
    SAVE_LABEL = "Won"

    def __init__(self, card: DealRef, *, workspace: Workspace, lock: threading.Lock) -> None:
        super().__init__(lock=lock)
        self.card = card
        self.workspace = workspace

    def compose_intro(self) -> ComposeResult:
        card = self.card
        yield intro(
            f"{card.deal_id} “{card.title}” of {card.client}\n"
            f"{money(card.value, card.currency, self.workspace.locale)}\n\n"
            "The contract is signed: the deal is won and moves on to Fulfilment."
        )

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def prepare(self) -> Callable[[], Deal]:
        card, ws = self.card, self.workspace
        return lambda: deal_service.win_deal(ws, card.deal_id, expected_rev=card.rev)


class LostForm(FormScreen[Deal]):
    """Lost, with a reason from the list and a few words."""

    FORM_TITLE = "Lost"
    SAVE_LABEL = "Mark lost"

    def __init__(self, card: DealRef, *, workspace: Workspace, lock: threading.Lock) -> None:
        super().__init__(lock=lock)
        self.card = card
        self.workspace = workspace

    def compose_intro(self) -> ComposeResult:
        card = self.card
        yield intro(f"{card.deal_id} “{card.title}” of {card.client}, at {card.stage.label}")

    def compose_fields(self) -> ComposeResult:
        yield Field(
            "Reason",
            Select(LOST_REASONS, id="reason", prompt="Choose the reason", compact=True),
            required=True,
        )
        yield Field(
            "What happened",
            Input(id="note", compact=True, placeholder="a few words, in your own terms"),
            required=True,
        )

    def prepare(self) -> Callable[[], Deal]:
        reason = self.query_one("#reason", Select).value
        if not isinstance(reason, LostReason):
            raise ValidationError("reason", "choose one")
        note = self.query_one("#note", Input).value
        card, ws = self.card, self.workspace
        return lambda: deal_service.lose_deal(
            ws, card.deal_id, reason=reason, note=note, expected_rev=card.rev
        )


@dataclass(frozen=True)
class ClientChoice:
    client_id: str
    name: str
    currency: str


class PercentInput(ParsedInput[Decimal]):
    """A win probability in percent (``35``, ``12,5 %``); empty keeps the stage's default."""

    def parse(self, text: str) -> Decimal:
        return parse_percent(text, self.id or "probability")

    def describe(self, value: Decimal) -> str:
        return f"{value} %"


def split_tags(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


class NewDealForm(FormScreen[Deal]):
    """A new deal at Prospecting: client (filter the list), title, value, currency, and what
    forecasting needs: expected close, a probability override, source, owner, tags."""

    FORM_TITLE = "New deal"
    SAVE_LABEL = "Create"
    DEFAULT_CSS = """
    NewDealForm #client { height: 6; border: none; }
    """

    def __init__(
        self,
        clients: Sequence[ClientChoice],
        *,
        workspace: Workspace,
        lock: threading.Lock,
        deal: Deal | None = None,
    ) -> None:
        super().__init__(lock=lock)
        self.clients = tuple(clients)
        self.workspace = workspace
        # Given a deal, the same form edits it (its client stays): filled with its values and
        # saved through the edit service with the deal as loaded, so a change made elsewhere
        # meanwhile is merged, and a field both sides changed is asked (theirs / yours).
        self.deal = deal
        self.choices: dict[str, Side] = {}
        if deal is not None:
            self.FORM_TITLE = f"Edit {deal.id}"  # type: ignore[misc]
            self.SAVE_LABEL = "Save"  # type: ignore[misc]
        self._shown: tuple[ClientChoice, ...] = ()
        self._currency_typed = deal is not None
        self._currency_auto = ""

    def compose_fields(self) -> ComposeResult:
        d, ws = self.deal, self.workspace
        if d is None:
            yield Field(
                "Find client",
                Input(id="client-filter", compact=True, placeholder="type part of the name"),
                hint=f"{len(self.clients)} clients",
            )
            yield Field("Client", OptionList(id="client"), required=True, check=self._check_client)
        yield Field("Title", Input(d.title if d else "", id="title", compact=True), required=True)
        value = str(d.value) if d else ""
        currency = d.currency if d else ""
        yield Field("Value", MoneyInput(value, id="value", compact=True, currency=currency or None))
        yield Field(
            "Currency",
            Input(currency, id="currency", compact=True, max_length=3),
            required=True,
            check=self._check_currency,
        )
        close = d.expected_close.isoformat() if d and d.expected_close else ""
        yield Field(
            "Expected close",
            DateInput(close, id="expected_close", today=ws.today, locale=ws.locale, compact=True),
        )
        stage = d.stage if d else Stage.PROSPECTING
        default = ws.rules[stage].default_probability
        override = d.probability_override if d else None
        yield Field(
            "Probability",
            PercentInput(
                "" if override is None else str(override),
                id="probability",
                compact=True,
                placeholder="e.g. 25",
            ),
            hint=f"empty: the stage's default, now {default} %",
        )
        source = d.source if d else LeadSource.OTHER
        yield Field("Source", enum_select(LeadSource, source, "source"), required=True)
        owner = d.owner if d else ws.owner
        yield Field("Owner", Input(owner, id="owner", compact=True), hint="default: you")
        tags = Input(
            ", ".join(d.tags) if d else "", id="tags", compact=True, placeholder="e.g. fair, q1"
        )
        yield Field("Tags", tags, hint="comma-separated")

    def on_mount(self) -> None:
        if self.deal is None:
            self._show_clients("")
        super().on_mount()

    @property
    def client(self) -> ClientChoice | None:
        if self.deal is not None:
            return ClientChoice(self.deal.client_id, "", self.deal.currency)
        index = self.query_one("#client", OptionList).highlighted
        if index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index]

    def _check_client(self) -> str | None:
        return None if self.client is not None else "pick a client from the list"

    def _check_currency(self) -> str | None:
        try:
            check_currency(self.query_one("#currency", Input).value)
        except ValidationError as exc:
            return exc.detail
        return None

    def _show_clients(self, needle: str) -> None:
        matches = filter_by(needle, self.clients, lambda c: fold(c.name))
        self._shown = tuple(matches[:200])
        options = self.query_one("#client", OptionList)
        options.set_options(
            Option(f"{c.name}  ({c.client_id})", id=c.client_id) for c in self._shown
        )
        if self._shown:
            options.highlighted = 0
        self._client_changed()
        more = len(matches) - len(self._shown)
        hint = f"{len(matches)} match" + (f"; the first {len(self._shown)} shown" if more else "")
        field = self.field("client-filter")
        field.hint = hint if needle else f"{len(self.clients)} clients"
        field.show()

    @on(Input.Changed, "#client-filter")
    def _client_filter(self, event: Input.Changed) -> None:
        self._show_clients(event.value)

    @on(Input.Submitted, "#client-filter")
    def _client_filter_done(self) -> None:
        self.query_one("#title", Input).focus()

    @on(OptionList.OptionHighlighted, "#client")
    def _client_highlighted(self) -> None:
        self._client_changed()

    @on(OptionList.OptionSelected, "#client")
    def _client_chosen(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Input.Changed, "#currency")
    def _currency_edited(self, event: Input.Changed) -> None:
        # Typed by the user (not set from the client): leave it alone from now on.
        self._currency_typed = event.value != self._currency_auto
        self.query_one("#value", MoneyInput).set_currency(event.value)

    def _client_changed(self) -> None:
        client = self.client
        currency = self.query_one("#currency", Input)
        if client is not None and not self._currency_typed:
            self._currency_auto = currency.value = client.currency
        if self.is_mounted and self._initial:
            self.field("client").show()

    def prepare(self) -> Callable[[], Deal]:
        client = self.client
        if client is None:
            raise ValidationError("client", "pick a client from the list")
        title = self.query_one("#title", Input).value.strip()
        value = self.query_one("#value", MoneyInput).parsed
        currency = check_currency(self.query_one("#currency", Input).value)
        fields: dict[str, Any] = {
            "expected_close": self.query_one("#expected_close", DateInput).parsed,
            "probability_override": self.query_one("#probability", PercentInput).parsed,
            "source": chosen(self, "source", LeadSource),
            "owner": self.query_one("#owner", Input).value.strip(),
            "tags": split_tags(self.query_one("#tags", Input).value),
        }
        ws, deal, choices = self.workspace, self.deal, dict(self.choices)
        if deal is not None:
            changes = {"title": title, "value": value or Decimal(0), "currency": currency}
            changes.update(fields)
            return lambda: edit_deal(ws, deal.id, changes, base=deal, choices=choices).record
        return lambda: deal_service.add_deal(
            ws, client.client_id, title, value=value or Decimal(0), currency=currency, **fields
        )

    def _refused(self, exc: AccmgrError) -> None:
        if not isinstance(exc, EditConflict):
            super()._refused(exc)
            return

        def settled(sides: dict[str, Side] | None) -> None:
            if sides is not None:
                self.choices = sides
                self.action_save()

        self.app.push_screen(ConflictDialog(exc.record_id, conflict_rows(exc)), settled)


class StagePicker(ModalScreen[Stage | None]):
    """Choose the stage to move a deal to."""

    DEFAULT_CSS = """
    StagePicker { align: center middle; }
    StagePicker > Vertical {
        width: 50; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    StagePicker OptionList { height: auto; max-height: 12; border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="stage_picker.cancel", tooltip="Do not move"),
    ]

    def __init__(self, deal_id: str, title: str, current: Stage) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.deal_title = title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Move to stage"
            yield Static(f"{self.deal_id} “{self.deal_title}”", markup=False)
            options = [
                Option(
                    f"{stage.number} {stage.label}" + ("  (now)" if stage == self.current else ""),
                    id=stage.value,
                    disabled=stage == self.current,
                )
                for stage in Stage
            ]
            yield OptionList(*options)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        following = self.current.next()
        options.highlighted = (following or self.current).position
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Stage(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)
