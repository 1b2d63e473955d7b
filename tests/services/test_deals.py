"""Moving deals through the cycle: guided, recorded, never trapped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accmgr.domain.client import FlagCategory
from accmgr.domain.deal import LostReason, Meeting, Need
from accmgr.domain.stages import Stage
from accmgr.errors import ConflictError, NotFoundError
from accmgr.services import clients, deals, reliability
from accmgr.services import stage_data as sd
from accmgr.services.deals import MoveRefused
from accmgr.services.workspace import Workspace


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    clients.add_client(workspace, "Lisboa Embalagens Lda", country="PT", currency="EUR")
    return workspace


def test_new_deal_takes_the_clients_currency_and_owner(ws: Workspace) -> None:
    deal = deals.add_deal(ws, "C-0001", "Boxes", value=Decimal("1000"))
    assert (deal.id, deal.currency, deal.owner, deal.rev) == ("D-0001", "EUR", "Ana Ferreira", 1)
    assert deal.stage_history[0].entered_at == ws.now()


def test_forward_move_with_met_criteria_needs_no_reason(ws: Workspace) -> None:
    clients.add_contact(ws, "C-0001", "João Gonçalves", phone="+351 912 345 678")
    deal = deals.add_deal(ws, "C-0001", "Boxes")
    moved = deals.move_deal(ws, deal.id, Stage.CALL)
    assert moved.stage is Stage.CALL
    assert moved.stage_history[-1].reason == "" and moved.stage_history[-1].unmet == ()
    assert deals.get_deal(ws, deal.id) == moved


def test_unmet_criteria_refused_then_recorded_with_a_reason(ws: Workspace) -> None:
    deal = deals.add_deal(ws, "C-0001", "Boxes")
    with pytest.raises(MoveRefused) as refused:
        deals.move_deal(ws, deal.id, Stage.MEETING)
    assert [c.id for c in refused.value.unmet] == ["contact-reachable"]
    assert refused.value.skipped == (Stage.CALL,)
    assert deals.get_deal(ws, deal.id).stage is Stage.PROSPECTING  # nothing half-saved
    moved = deals.move_deal(ws, deal.id, Stage.MEETING, reason="Met at the Porto fair")
    entry = moved.stage_history[-1]
    assert (entry.skipped, entry.unmet, entry.reason) == (
        (Stage.CALL,),
        ("contact-reachable",),
        "Met at the Porto fair",
    )


def test_backward_move_is_free(ws: Workspace) -> None:
    deal = deals.add_deal(ws, "C-0001", "Boxes", stage=Stage.NEEDS, reason="inbound")
    back = deals.move_deal(ws, deal.id, Stage.MEETING)
    assert back.stage is Stage.MEETING
    assert [e.stage for e in back.stage_history] == [Stage.NEEDS, Stage.MEETING]


def test_full_cycle_with_stage_data(ws: Workspace) -> None:
    clients.add_contact(ws, "C-0001", "Maria Silva", email="maria@lisboa-emb.pt")
    deal = deals.add_deal(ws, "C-0001", "Boxes")
    deal = deals.move_deal(ws, deal.id, Stage.CALL)
    deal = deals.save_deal(
        ws, deal.evolve(meetings=(Meeting(planned_at=ws.now(), place="Lisboa"),))
    )
    deal = deals.move_deal(ws, deal.id, Stage.MEETING)
    held = deal.meetings[0].evolve(held=True, outcome_notes="Wants a trial")
    deal = deals.save_deal(ws, deal.evolve(meetings=(held,)))
    deal = deals.move_deal(ws, deal.id, Stage.NEEDS)
    deal = deals.save_deal(ws, deal.evolve(needs=(Need(need="Trial", products=("BX-1",)),)))
    deal = deals.move_deal(ws, deal.id, Stage.OBJECTIONS)
    deal = deals.move_deal(ws, deal.id, Stage.CLOSING)
    with pytest.raises(MoveRefused, match="is not won"):
        deals.move_deal(ws, deal.id, Stage.FULFILMENT, reason="try")
    won = deals.win_deal(ws, deal.id)
    assert won.outcome == "won" and won.stage is Stage.FULFILMENT and won.closed_on == ws.today()
    assert [e.stage for e in won.stage_history] == list(Stage)[:7]
    assert all(e.reason == "" for e in won.stage_history)


def test_complete_at_referrals_leaves_the_board(ws: Workspace) -> None:
    deal = deals.add_deal(ws, "C-0001", "Boxes", stage=Stage.CLOSING, reason="repeat order")
    with pytest.raises(MoveRefused, match="completes after Fulfilment"):
        deals.complete_deal(ws, deal.id)
    deals.win_deal(ws, deal.id)
    deals.move_deal(ws, deal.id, Stage.REFERRALS, reason="delivered outside accmgr")
    done = deals.complete_deal(ws, deal.id)
    assert done.completed_on == ws.today() and not done.is_open
    assert done.stall_reasons(ws.now()) == []
    assert done.stage_history[-1].left_at == ws.now()
    with pytest.raises(MoveRefused, match="already complete"):
        deals.complete_deal(ws, deal.id)


def test_complete_from_fulfilment_needs_every_milestone_delivered(ws: Workspace) -> None:
    deal = deals.add_deal(ws, "C-0001", "Boxes", stage=Stage.CLOSING, reason="repeat order")
    deals.win_deal(ws, deal.id)
    sd.add_milestone(ws, deal.id, what="Delivery", due=ws.today())
    with pytest.raises(MoveRefused, match="'every milestone is delivered' is not met") as refused:
        deals.complete_deal(ws, deal.id)
    assert [c.id for c in refused.value.unmet] and deals.get_deal(ws, deal.id).is_open
    sd.deliver_milestone(ws, deal.id, 0, delivered_on=ws.today())
    done = deals.complete_deal(ws, deal.id)
    assert done.completed_on == ws.today() and done.stage == Stage.REFERRALS
    assert done.stage_history[-1].reason == "completed from Fulfilment"


def test_entry_warnings_only_at_meeting_and_closing(ws: Workspace) -> None:
    reliability.add_flag(ws, "C-0001", FlagCategory.LEGAL_DISPUTES, "court case")
    deal = deals.add_deal(ws, "C-0001", "Boxes")
    assert deals.entry_warnings(ws, deal)[1] == []
    moved = deals.move_deal(ws, deal.id, Stage.MEETING, reason="inbound")
    name, warnings = deals.entry_warnings(ws, moved)
    assert any("court case" in w for w in warnings) and name == "Lisboa Embalagens Lda"


def test_lost_needs_a_reason_and_stops_moves(ws: Workspace) -> None:
    deal = deals.add_deal(ws, "C-0001", "Boxes")
    lost = deals.lose_deal(ws, deal.id, reason=LostReason.PRICE, note="20 % above budget")
    assert (lost.outcome, lost.lost_reason, lost.closed_on) == (
        "lost",
        LostReason.PRICE,
        ws.today(),
    )
    assert lost.stage_history[-1].left_at == ws.now()
    assert not lost.is_open
    with pytest.raises(MoveRefused, match="is lost"):
        deals.move_deal(ws, deal.id, Stage.CALL, reason="x")
    with pytest.raises(MoveRefused, match="already lost"):
        deals.lose_deal(ws, deal.id, reason=LostReason.OTHER, note="again")


def test_stale_edit_is_refused_not_merged(ws: Workspace) -> None:
    deal = deals.add_deal(ws, "C-0001", "Boxes")
    deals.save_deal(ws, deal.evolve(next_step="Call back", next_step_due=date(2026, 11, 30)))
    with pytest.raises(ConflictError, match="D-0001"):
        deals.save_deal(ws, deal.evolve(title="Stale title"))
    assert deals.get_deal(ws, deal.id).title == "Boxes"
    with pytest.raises(ConflictError):
        deals.move_deal(ws, deal.id, Stage.CALL, reason="x", expected_rev=deal.rev)


def test_unknown_ids(ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="client C-0404 does not exist"):
        deals.add_deal(ws, "C-0404", "Nothing")
    with pytest.raises(NotFoundError, match="deal D-0404 does not exist"):
        deals.win_deal(ws, "D-0404")


def test_list_deals_filters_by_stage(ws: Workspace) -> None:
    deals.add_deal(ws, "C-0001", "A")
    deals.add_deal(ws, "C-0001", "B", stage=Stage.CLOSING, reason="repeat order")
    assert [d.title for d in deals.list_deals(ws, stage=Stage.CLOSING)] == ["B"]
    assert [d.title for d in deals.list_deals(ws)] == ["A", "B"]
