"""A deal and the data each stage of the cycle gathers on it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from accmgr.domain.base import Record, StoredRecord
from accmgr.domain.common import (
    Amount,
    CurrencyCode,
    Moment,
    Percent,
    Priority,
    RecordId,
    ShortText,
    Text,
    as_date,
)
from accmgr.domain.stages import STAGE_RULES, Stage, StageRule
from accmgr.domain.text import MultilineText


class LeadSource(StrEnum):
    FAIR = "fair"
    REFERRAL = "referral"
    COLD_LIST = "cold-list"
    CAMPAIGN = "campaign"
    COMPETITOR_CLIENT = "competitor-client"
    INBOUND = "inbound"
    REPEAT = "repeat"
    OTHER = "other"


class LostReason(StrEnum):
    PRICE = "price"
    COMPETITOR = "competitor"
    NO_BUDGET = "no-budget"
    NO_DECISION = "no-decision"
    TIMING = "timing"
    PRODUCT_FIT = "product-fit"
    RELIABILITY = "reliability"
    OTHER = "other"


class StageEntry(Record):
    """One stay in a stage. ``reason`` records why criteria were bypassed or stages skipped."""

    stage: Stage
    entered_at: Moment
    left_at: Moment | None = None
    skipped: tuple[Stage, ...] = ()
    unmet: tuple[str, ...] = ()
    reason: str = ""

    def days(self, now: datetime) -> int:
        return stage_days(self.entered_at, self.left_at, now)


class CallOutcome(StrEnum):
    NO_ANSWER = "no-answer"
    CALL_BACK = "call-back"
    APPOINTMENT_SET = "appointment-set"
    DECLINED = "declined"


class Call(Record):
    at: Moment
    who: ShortText
    contact_id: RecordId | None = None
    outcome: CallOutcome
    note: MultilineText = ""
    next_call: date | None = None


class Attendee(Record):
    name: ShortText
    role: str = ""
    contact_id: RecordId | None = None
    ours: bool = False


class Meeting(Record):
    planned_at: Moment | None = None
    place: str = ""
    agenda: MultilineText = ""
    attendees: tuple[Attendee, ...] = ()
    client_interests: MultilineText = ""
    benefits_to_show: MultilineText = ""
    reliability_reviewed: bool = False
    held: bool = False
    outcome_notes: MultilineText = ""
    draft_contract_points: MultilineText = ""
    disagreements: MultilineText = ""


class Need(Record):
    need: Text
    priority: Priority = Priority.MEDIUM
    products: tuple[str, ...] = ()  # catalog product codes matched to the need
    presented: bool = False


class Invitation(Record):
    event: ShortText
    on: date
    accepted: bool | None = None


class ObjectionCategory(StrEnum):
    PRICE = "price"
    TIMING = "timing"
    COMPETITOR = "competitor"
    QUALITY = "quality"
    TRUST = "trust"
    TERMS = "terms"
    OTHER = "other"


class ObjectionStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    ESCALATED = "escalated"


class Objection(Record):
    category: ObjectionCategory
    words: Text  # the client's own words
    real_reason: MultilineText = ""
    response: MultilineText = ""
    status: ObjectionStatus = ObjectionStatus.OPEN
    blocking: bool = False
    raised_on: date


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DELIVERED = "delivered"
    BLOCKED = "blocked"


class Milestone(Record):
    what: ShortText
    due: date
    department: str = ""
    status: MilestoneStatus = MilestoneStatus.PLANNED
    delivered_on: date | None = None

    @model_validator(mode="after")
    def _delivered_has_date(self) -> Milestone:
        if self.status == MilestoneStatus.DELIVERED and self.delivered_on is None:
            raise ValueError("delivered_on: a delivered milestone needs its delivery date")
        return self

    @property
    def on_time(self) -> bool | None:
        return None if self.delivered_on is None else self.delivered_on <= self.due


class ReferralStatus(StrEnum):
    ASKED = "asked"
    RECEIVED = "received"
    DECLINED = "declined"


class Referral(Record):
    asked_on: date
    status: ReferralStatus = ReferralStatus.ASKED
    company: str = ""
    contact_name: str = ""
    note: MultilineText = ""
    # The prospect a received referral became.
    client_id: RecordId | None = None


class Testimonial(Record):
    text: Text
    by: ShortText
    on: date
    may_publish: bool = False


class Deal(StoredRecord):
    client_id: RecordId
    title: ShortText
    stage: Stage = Stage.PROSPECTING
    value: Amount = Decimal(0)
    currency: CurrencyCode = "EUR"
    probability_override: Percent | None = None
    expected_close: date | None = None
    source: LeadSource = LeadSource.OTHER
    owner: str = ""
    tags: tuple[str, ...] = ()
    stage_history: tuple[StageEntry, ...] = Field(min_length=1)
    next_step: str = ""
    next_step_due: date | None = None
    outcome: Literal["won", "lost"] | None = None
    lost_reason: LostReason | None = None
    lost_note: MultilineText = ""
    closed_on: date | None = None
    # The cycle is through: referrals asked, nothing more to do on this deal.
    completed_on: date | None = None
    calls: tuple[Call, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    needs: tuple[Need, ...] = ()
    invitations: tuple[Invitation, ...] = ()
    objections: tuple[Objection, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    referrals: tuple[Referral, ...] = ()
    testimonials: tuple[Testimonial, ...] = ()
    created_at: Moment

    @model_validator(mode="after")
    def _consistent(self) -> Deal:
        if self.stage_history[-1].stage != self.stage:
            raise ValueError("stage_history: the last entry must be the current stage")
        if self.outcome == "lost" and self.lost_reason is None:
            raise ValueError("lost_reason: a lost deal needs a reason")
        if self.outcome != "lost" and self.lost_reason is not None:
            raise ValueError("lost_reason: only a lost deal has a lost reason")
        if self.outcome == "won" and self.stage < Stage.CLOSING:
            raise ValueError("outcome: a deal is won at Closing or later")
        if self.completed_on is not None and (
            self.stage != Stage.REFERRALS or self.outcome != "won"
        ):
            raise ValueError("completed_on: only a won deal at Referrals completes the cycle")
        return self

    @property
    def is_open(self) -> bool:
        """On the board: neither lost nor through the whole cycle."""
        return deal_is_open(self.outcome, self.completed_on)

    @property
    def current_entry(self) -> StageEntry:
        return self.stage_history[-1]

    def probability(self, rules: Mapping[Stage, StageRule] = STAGE_RULES) -> Decimal:
        return win_probability(self.stage, self.outcome, self.probability_override, rules)

    def weighted_value(self, rules: Mapping[Stage, StageRule] = STAGE_RULES) -> Decimal:
        return weighted_amount(self.value, self.probability(rules))

    def days_in_stage(self, now: datetime) -> int:
        return self.current_entry.days(now)

    def stall_reasons(
        self, now: datetime, rules: Mapping[Stage, StageRule] = STAGE_RULES
    ) -> list[str]:
        """Why the deal is stalled ([] if not): too long in its stage, or no dated next step."""
        if not self.is_open:
            return []
        return stall_reasons_for(
            self.stage, self.days_in_stage(now), self.next_step, self.next_step_due, now, rules
        )


# The rules below work on the few fields they need, not on a whole Deal: the board projects
# those fields from thousands of stored deals without validating every call and meeting, and
# must decide stall and chance exactly as a loaded Deal does.


def deal_is_open(outcome: str | None, completed_on: date | None) -> bool:
    """On the board: neither lost nor through the whole cycle."""
    return outcome != "lost" and completed_on is None


def weighted_amount(value: Decimal, probability: Decimal) -> Decimal:
    """The value as the pipeline counts it: scaled by the chance in percent."""
    return value * probability / 100


def win_probability(
    stage: Stage,
    outcome: str | None,
    override: Decimal | None,
    rules: Mapping[Stage, StageRule] = STAGE_RULES,
) -> Decimal:
    """The deal's chance in percent: 0 when lost, its override if any, else the stage's."""
    if outcome == "lost":
        return Decimal(0)
    if override is not None:
        return override
    if outcome == "won":
        return Decimal(100)
    return rules[stage].default_probability


def stage_days(entered_at: datetime, left_at: datetime | None, now: datetime) -> int:
    """Whole days of one stay in a stage (still running when ``left_at`` is None)."""
    return ((left_at or now) - entered_at).days


def stall_reasons_for(
    stage: Stage,
    days: int,
    next_step: str,
    next_step_due: date | None,
    now: datetime,
    rules: Mapping[Stage, StageRule] = STAGE_RULES,
) -> list[str]:
    """Why an open deal is stalled ([] if not): too long in its stage, or no dated next step."""
    reasons = []
    limit = rules[stage].stall_days
    if days > limit:
        reasons.append(f"{days} days in {stage.label} (limit {limit})")
    if not next_step or next_step_due is None:
        reasons.append("no next step with a date")
    elif next_step_due < as_date(now):
        reasons.append(f"next step overdue since {next_step_due.isoformat()}")
    return reasons


__all__ = [
    "Attendee",
    "Call",
    "CallOutcome",
    "Deal",
    "Invitation",
    "LeadSource",
    "LostReason",
    "Meeting",
    "Milestone",
    "MilestoneStatus",
    "Need",
    "Objection",
    "ObjectionCategory",
    "ObjectionStatus",
    "Referral",
    "ReferralStatus",
    "StageEntry",
    "Testimonial",
    "deal_is_open",
    "stage_days",
    "stall_reasons_for",
    "weighted_amount",
    "win_probability",
]
