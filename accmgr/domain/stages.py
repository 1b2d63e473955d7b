"""The eight stages of the client cycle, as data the CLI and the TUI both show and check.

The order, default win probability, stall limit and exit criteria of each stage live in
one table (``STAGE_RULES``). Probabilities and stall limits are defaults: settings may
override them, so the functions that use them take the rules as an argument.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from accmgr.errors import ValidationError

if TYPE_CHECKING:
    from accmgr.domain.client import Contact
    from accmgr.domain.deal import Deal


class Stage(StrEnum):
    """A stage of the client cycle; iteration and comparison follow the cycle's order."""

    PROSPECTING = "prospecting"
    CALL = "call"
    MEETING = "meeting"
    NEEDS = "needs"
    OBJECTIONS = "objections"
    CLOSING = "closing"
    FULFILMENT = "fulfilment"
    REFERRALS = "referrals"

    @property
    def position(self) -> int:
        """0-based place in the cycle (not str.index: Stage is a str)."""
        return _ORDER[self]

    @property
    def number(self) -> int:
        """1-based, as the user counts stages."""
        return _ORDER[self] + 1

    @property
    def label(self) -> str:
        return _LABELS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Stage):
            return NotImplemented
        return _ORDER[self] < _ORDER[other]

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Stage):
            return NotImplemented
        return _ORDER[self] <= _ORDER[other]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Stage):
            return NotImplemented
        return _ORDER[self] > _ORDER[other]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Stage):
            return NotImplemented
        return _ORDER[self] >= _ORDER[other]

    def next(self) -> Stage | None:
        stages = list(Stage)
        return stages[self.position + 1] if self.position + 1 < len(stages) else None


_ORDER = {stage: i for i, stage in enumerate(Stage)}
_LABELS = {
    Stage.PROSPECTING: "Prospecting",
    Stage.CALL: "Call",
    Stage.MEETING: "Meeting",
    Stage.NEEDS: "Needs",
    Stage.OBJECTIONS: "Objections",
    Stage.CLOSING: "Closing",
    Stage.FULFILMENT: "Fulfilment",
    Stage.REFERRALS: "Referrals",
}


def parse_stage(text: str, field_name: str = "stage") -> Stage:
    """A stage from its name, a unique prefix or its number (1–8)."""
    wanted = text.strip().lower()
    if wanted.isdigit() and 1 <= int(wanted) <= len(Stage):
        return list(Stage)[int(wanted) - 1]
    matches = [stage for stage in Stage if stage.value.startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        could = ", ".join(stage.value for stage in matches[:-1]) + f" or {matches[-1].value}"
        raise ValidationError(field_name, f"{text.strip()!r} is ambiguous, could be {could}")
    names = ", ".join(stage.value for stage in Stage)
    raise ValidationError(field_name, f"expected one of {names} (or 1–8), got {text!r}")


@dataclass(frozen=True)
class StageContext:
    """What an exit criterion may look at besides the deal itself."""

    contacts: Sequence[Contact] = ()


@dataclass(frozen=True)
class Criterion:
    """One exit criterion: an id for scripts, a sentence for people, and its check."""

    id: str
    text: str
    check: Callable[[Deal, StageContext], bool] = field(repr=False, compare=False)

    def met(self, deal: Deal, context: StageContext) -> bool:
        return self.check(deal, context)


@dataclass(frozen=True)
class StageRule:
    stage: Stage
    work: str
    default_probability: Decimal
    stall_days: int
    exit_criteria: tuple[Criterion, ...]


def _has_reachable_contact(deal: Deal, context: StageContext) -> bool:
    return any(c.client_id == deal.client_id and (c.phone or c.email) for c in context.contacts)


def _meeting_booked(deal: Deal, context: StageContext) -> bool:
    return any(m.planned_at is not None and m.place for m in deal.meetings)


def _meeting_held_with_notes(deal: Deal, context: StageContext) -> bool:
    return any(m.held and m.outcome_notes for m in deal.meetings)


def _need_matched(deal: Deal, context: StageContext) -> bool:
    return any(need.products for need in deal.needs)


def _no_blocking_objection(deal: Deal, context: StageContext) -> bool:
    return not any(o.blocking and o.status != "resolved" for o in deal.objections)


def _closed(deal: Deal, context: StageContext) -> bool:
    return deal.outcome == "won" or (deal.outcome == "lost" and deal.lost_reason is not None)


def _all_delivered(deal: Deal, context: StageContext) -> bool:
    return bool(deal.milestones) and all(m.status == "delivered" for m in deal.milestones)


STAGE_RULES: Mapping[Stage, StageRule] = {
    rule.stage: rule
    for rule in (
        StageRule(
            Stage.PROSPECTING,
            "Build the client base: fairs, referrals, cold lists, campaigns, competitors' clients",
            Decimal(5),
            30,
            (
                Criterion(
                    "contact-reachable",
                    "a contact person with a phone or e-mail exists",
                    _has_reachable_contact,
                ),
            ),
        ),
        StageRule(
            Stage.CALL,
            "Phone to book an appointment",
            Decimal(10),
            14,
            (
                Criterion(
                    "meeting-booked", "a meeting is booked (date, time, place)", _meeting_booked
                ),
            ),
        ),
        StageRule(
            Stage.MEETING,
            "Prepare, then meet: mutual benefits, draft-contract points, disagreements",
            Decimal(20),
            21,
            (
                Criterion(
                    "meeting-held",
                    "the meeting was held and its notes written",
                    _meeting_held_with_notes,
                ),
            ),
        ),
        StageRule(
            Stage.NEEDS,
            "Identify needs, present the range, invite to presentations and fairs",
            Decimal(35),
            21,
            (
                Criterion(
                    "need-matched", "at least one need is matched to a product", _need_matched
                ),
            ),
        ),
        StageRule(
            Stage.OBJECTIONS,
            "Answer objections and claims; find the real reason behind each",
            Decimal(50),
            14,
            (
                Criterion(
                    "no-blocking-objection",
                    "no open objection is marked blocking",
                    _no_blocking_objection,
                ),
            ),
        ),
        StageRule(
            Stage.CLOSING,
            "Make the offer, agree special terms, hold the signing meeting",
            Decimal(70),
            30,
            (Criterion("closed", "won (contract signed), or lost with a reason", _closed),),
        ),
        StageRule(
            Stage.FULFILMENT,
            "See the contract through: orders, delivery milestones, complaints",
            Decimal(100),
            60,
            (Criterion("all-delivered", "every milestone is delivered", _all_delivered),),
        ),
        StageRule(
            Stage.REFERRALS,
            "Ask for recommendations and testimonials; repeat business is a new deal",
            Decimal(100),
            45,
            (),
        ),
    )
}


def unmet_criteria(
    deal: Deal, context: StageContext, rules: Mapping[Stage, StageRule] = STAGE_RULES
) -> list[Criterion]:
    """The exit criteria of the deal's current stage that are not met yet."""
    return [c for c in rules[deal.stage].exit_criteria if not c.met(deal, context)]


def criterion_text(criterion_id: str, rules: Mapping[Stage, StageRule] = STAGE_RULES) -> str:
    """The sentence of an exit criterion recorded by its id (stage history keeps the ids)."""
    for rule in rules.values():
        for criterion in rule.exit_criteria:
            if criterion.id == criterion_id:
                return criterion.text
    return criterion_id.replace("-", " ")
