"""The eight stages: order, defaults and exit criteria as data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from accmgr.domain.client import Contact
from accmgr.domain.deal import (
    Deal,
    Meeting,
    Milestone,
    MilestoneStatus,
    Need,
    Objection,
    ObjectionCategory,
    StageEntry,
)
from accmgr.domain.stages import STAGE_RULES, Stage, StageContext, parse_stage, unmet_criteria
from accmgr.errors import ValidationError

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def deal_at(stage: Stage, **changes: object) -> Deal:
    data: dict[str, object] = {
        "id": "D-0001",
        "client_id": "C-0001",
        "title": "Deal",
        "stage": stage,
        "stage_history": (StageEntry(stage=stage, entered_at=NOW),),
        "created_at": NOW,
    }
    data.update(changes)
    return Deal(**data)


def test_order_and_numbers() -> None:
    stages = list(Stage)
    assert [s.number for s in stages] == list(range(1, 9))
    assert sorted(reversed(stages)) == stages
    assert Stage.CALL < Stage.MEETING < Stage.REFERRALS
    assert Stage.PROSPECTING.next() is Stage.CALL and Stage.REFERRALS.next() is None


def test_every_stage_has_rules() -> None:
    assert list(STAGE_RULES) == list(Stage)
    for rule in STAGE_RULES.values():
        assert Decimal(0) <= rule.default_probability <= Decimal(100)
        assert rule.stall_days > 0
    assert STAGE_RULES[Stage.REFERRALS].exit_criteria == ()


@pytest.mark.parametrize(
    ("text", "stage"), [("meeting", Stage.MEETING), ("Obj", Stage.OBJECTIONS), ("6", Stage.CLOSING)]
)
def test_parse_stage(text: str, stage: Stage) -> None:
    assert parse_stage(text) is stage


@pytest.mark.parametrize("text", ["9", "", "won"])
def test_parse_stage_refuses(text: str) -> None:
    with pytest.raises(ValidationError, match="stage: expected one of prospecting"):
        parse_stage(text)


def test_an_ambiguous_prefix_names_the_stages_it_could_be() -> None:
    with pytest.raises(ValidationError, match="'c' is ambiguous, could be call or closing"):
        parse_stage(" c")


NO_CONTACTS = StageContext()


def ids(deal: Deal, context: StageContext = NO_CONTACTS) -> list[str]:
    return [c.id for c in unmet_criteria(deal, context)]


def test_prospecting_needs_a_reachable_contact() -> None:
    deal = deal_at(Stage.PROSPECTING)
    assert ids(deal) == ["contact-reachable"]
    silent = Contact(id="P-0001", client_id="C-0001", name="Ana")
    assert ids(deal, StageContext(contacts=(silent,))) == ["contact-reachable"]
    phone = silent.evolve(phone="+351 912 345 678")
    assert ids(deal, StageContext(contacts=(phone,))) == []


def test_call_meeting_needs_objections() -> None:
    assert ids(deal_at(Stage.CALL)) == ["meeting-booked"]
    booked = Meeting(planned_at=NOW, place="Client's office, Porto")
    assert ids(deal_at(Stage.CALL, meetings=(booked,))) == []
    assert ids(deal_at(Stage.MEETING, meetings=(booked,))) == ["meeting-held"]
    held = booked.evolve(held=True, outcome_notes="Interested in line B")
    assert ids(deal_at(Stage.MEETING, meetings=(held,))) == []
    assert ids(deal_at(Stage.NEEDS, needs=(Need(need="Faster packing"),))) == ["need-matched"]
    matched = Need(need="Faster packing", products=("PK-200",))
    assert ids(deal_at(Stage.NEEDS, needs=(matched,))) == []
    blocking = Objection(
        category=ObjectionCategory.PRICE,
        words="Too expensive",
        blocking=True,
        raised_on=date(2026, 11, 1),
    )
    assert ids(deal_at(Stage.OBJECTIONS, objections=(blocking,))) == ["no-blocking-objection"]
    resolved = blocking.evolve(status="resolved")
    assert ids(deal_at(Stage.OBJECTIONS, objections=(resolved,))) == []


def test_closing_and_fulfilment() -> None:
    assert ids(deal_at(Stage.CLOSING)) == ["closed"]
    fulfilment = deal_at(Stage.FULFILMENT, outcome="won")
    assert ids(fulfilment) == ["all-delivered"]
    done = Milestone(
        what="Delivery",
        due=date(2026, 12, 1),
        status=MilestoneStatus.DELIVERED,
        delivered_on=date(2026, 11, 30),
    )
    pending = Milestone(what="Training", due=date(2026, 12, 10))
    assert ids(fulfilment.evolve(milestones=(done, pending))) == ["all-delivered"]
    assert ids(fulfilment.evolve(milestones=(done,))) == []
