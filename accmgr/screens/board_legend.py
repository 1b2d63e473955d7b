"""What the board's markers and totals mean: the legend (F1, ? on a card), one card's markers
explained (the totals by currency are in board_totals, t)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from accmgr.domain.reliability import Level
from accmgr.domain.stages import Stage, StageRule
from accmgr.screens.help import MarkerLegend
from accmgr.widgets.deal_card import (
    STALLED,
    STALLED_SHORT,
    WON,
    DealCard,
    amount_text,
)

Legend = list[tuple[str, str]]


def stage_legend(rules: Mapping[Stage, StageRule]) -> Legend:
    """Every marker a card or a total can carry, and each stage's defaults (from settings)."""
    rows: Legend = [
        ("20%", "the chance of winning: the stage's default (below, or Settings)"),
        ("40%* (20%)", "* the deal's own chance, set on the deal; (20%) its stage's default"),
        (WON, "won, contract signed: booked revenue, not in the open or weighted pipeline"),
        ("12d", "days the deal has been in its stage"),
        (
            f"{STALLED} / {STALLED_SHORT}",
            "stalled: longer in its stage than the limit below, no next step with a date, "
            "or the next step overdue (? on the card says which)",
        ),
        (
            f"{Level.STOP.glyph} reliability / {Level.STOP.glyph}",
            "stop: the client is rated D, over its credit limit or has a serious red flag; "
            "issuing, accepting or contracting asks for a reason (? on the card lists them)",
        ),
        (
            f"{Level.CAUTION.glyph} / {Level.INFO.glyph}",
            "caution (rated C, overdue invoices, long terms, an open high complaint) / "
            "info (the reliability review is stale or missing)",
        ),
        ("w 1.2M", "weighted pipeline: each open deal's value × its chance"),
        (
            "⚠ 2 CHF no rate",
            "deals in a currency without an exchange rate: left out of the totals, never "
            "mixed in (add a rate in Settings; t lists every currency's amounts)",
        ),
        (
            "+2 currencies (t)",
            "when the rates cannot be read: totals per currency, t lists them all",
        ),
        (
            "12K+",
            "in the stage strip (narrow screens): the total in one currency, the header's "
            "(or the status line names it); "
            "+ when the stage has amounts in other currencies too (t)",
        ),
        ("1.2K 3.4M 5.6B", "thousands, millions, billions, in your locale's short form"),
    ]
    for stage in Stage:
        rule = rules[stage]
        rows.append(
            (
                f"{stage.number} {stage.label}",
                f"default chance {rule.default_probability:.0f}%, "
                f"stalled after {rule.stall_days} days",
            )
        )
    return rows


def explain_card(card: DealCard) -> list[str]:
    """Each marker of this card, in words."""
    lines = [f"In {card.stage.label} for {card.days} days."]
    if card.won:
        lines.append(
            f"Won: {amount_text(card.value)} {card.currency} booked, counted apart from the "
            "open pipeline."
        )
    elif card.stage_probability is not None:
        lines.append(
            f"Chance {card.probability:.0f}%*: set on this deal; the {card.stage.label} "
            f"default is {card.stage_probability:.0f}%."
        )
    else:
        lines.append(f"Chance {card.probability:.0f}%: the {card.stage.label} default.")
    if not card.won:
        lines.append(
            f"Weighted: {amount_text(card.weighted)} of {amount_text(card.value)} {card.currency}."
        )
    if card.stalled:
        lines.append("Stalled: " + "; ".join(card.stalled) + ".")
    else:
        lines.append("Not stalled.")
    if card.warnings:
        lines.append("Reliability: " + "; ".join(card.warnings) + ".")
    return lines


class LegendScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,question_mark,f1",
            "dismiss",
            "Close",
            id="legend.close",
            tooltip="Back to the board",
        ),
    ]
    DEFAULT_CSS = """
    LegendScreen { align: center middle; }
    LegendScreen > #legend {
        background: $surface; border: thick $primary; padding: 0 1;
        width: 90%; max-width: 110; height: 90%;
    }
    LegendScreen #legend-title { text-style: bold; padding: 0 1 1 1; }
    LegendScreen #legend-card { padding: 0 1 1 1; height: auto; }
    LegendScreen #legend-markers { height: 1fr; }
    """

    def __init__(self, title: str, explained: Sequence[str], legend: Legend) -> None:
        super().__init__()
        self.heading = title
        self.explained = list(explained)
        self.legend = legend

    def compose(self) -> ComposeResult:
        with Vertical(id="legend"):
            yield Static(self.heading, id="legend-title", markup=False)
            if self.explained:
                yield Static("\n".join(self.explained), id="legend-card", markup=False)
            yield MarkerLegend(self.legend, id="legend-markers")
            yield Static("Escape, ? or q to close · F1: every key of the board", classes="hint")


__all__ = ["LegendScreen", "explain_card", "stage_legend"]
