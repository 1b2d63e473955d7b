"""One column of the pipeline: a stage's header with its totals, and a card per deal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from accmgr.domain.deal import Deal
from accmgr.domain.stages import Stage, StageRule


def _amount(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _compact(value: Decimal) -> str:
    """12 345 678 → 12.3M: stage totals must fit a narrow column."""
    for limit, suffix in (
        (Decimal(10) ** 9, "G"),
        (Decimal(10) ** 6, "M"),
        (Decimal(10) ** 3, "k"),
    ):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


def totals_line(deals: Sequence[Deal], rules: Mapping[Stage, StageRule]) -> str:
    """Count, then total and weighted value per currency (never summed across currencies)."""
    by_currency: dict[str, tuple[Decimal, Decimal]] = {}
    for deal in deals:
        total, weighted = by_currency.get(deal.currency, (Decimal(0), Decimal(0)))
        by_currency[deal.currency] = (total + deal.value, weighted + deal.weighted_value(rules))
    ranked = sorted(by_currency.items(), key=lambda item: (-len(item[0]), item[0]))
    lines = [f"{len(deals)} deal{'s' if len(deals) != 1 else ''}"]
    lines += [
        f"{cur} {_compact(total)} · w {_compact(weighted)}" for cur, (total, weighted) in ranked[:3]
    ]
    if len(ranked) > 3:
        more = len(ranked) - 3
        lines.append(f"+ {more} more currenc{'y' if more == 1 else 'ies'}")
    return "\n".join(lines)


def _line(text: str, style: str = "") -> Text:
    # The column's CSS cuts long lines with an ellipsis rather than wrapping a card.
    return Text(text, style=style)


def card(deal: Deal, client: str, now: datetime, rules: Mapping[Stage, StageRule]) -> Text:
    probability = f"{deal.probability(rules):.0f}%"
    if deal.probability_override is not None:
        probability += f"* ({rules[deal.stage].default_probability:.0f}%)"
    figures = f"{_amount(deal.value)} {deal.currency} · {deal.days_in_stage(now)}d · {probability}"
    lines = [_line(client, "bold"), _line(deal.title), _line(figures)]
    if deal.stall_reasons(now, rules):
        lines.append(_line("stalled", "bold yellow"))
    return Text("\n").join(lines)


class StageColumn(Vertical):
    DEFAULT_CSS = """
    StageColumn { width: 30; height: 1fr; border: round $primary-darken-2; }
    StageColumn > .stage-head { height: auto; padding: 0 1; background: $boost; }
    StageColumn > OptionList {
        height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, stage: Stage, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage = stage
        self.border_title = f"{stage.number} {stage.label}"

    def compose(self) -> ComposeResult:
        yield Static("0 deals", classes="stage-head")
        yield OptionList()

    def show(
        self,
        deals: Sequence[Deal],
        client_names: Mapping[str, str],
        now: datetime,
        rules: Mapping[Stage, StageRule],
    ) -> None:
        self.query_one(".stage-head", Static).update(totals_line(deals, rules))
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            [
                Option(card(d, client_names.get(d.client_id, d.client_id), now, rules), id=d.id)
                for d in sorted(deals, key=lambda d: (-d.days_in_stage(now), d.id))
            ]
        )
        if highlighted is not None and deals:
            options.highlighted = min(highlighted, len(deals) - 1)
