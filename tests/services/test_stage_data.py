"""Each stage's actions on a deal: one transaction each, checked field by field, frozen clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from accmgr.domain.client import Client, Contact
from accmgr.domain.common import Priority
from accmgr.domain.deal import (
    CallOutcome,
    Deal,
    MilestoneStatus,
    ObjectionCategory,
    ObjectionStatus,
    ReferralStatus,
)
from accmgr.domain.stages import STAGE_RULES, Stage
from accmgr.errors import ConflictError, NotFoundError, ValidationError
from accmgr.services import catalog, clients, deals
from accmgr.services import stage_data as sd
from accmgr.services.workspace import Workspace


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    clients.add_client(workspace, "Lisboa Embalagens Lda", country="PT", currency="EUR")
    deals.add_deal(workspace, "C-0001", "Boxes", value=Decimal(1000))
    catalog.add_product(
        workspace, "BOX-40", "Box 40", unit_price=Decimal(2), currency="EUR", tax_rate=Decimal(23)
    )
    catalog.add_product(
        workspace, "OLD-1", "Old box", unit_price=Decimal(1), currency="EUR", tax_rate=Decimal(23)
    )
    catalog.set_active(workspace, "OLD-1", False)
    return workspace


def stored(ws: Workspace) -> Deal:
    doc = ws.store.get("deals", "D-0001")
    assert doc is not None
    return Deal.from_dict(doc)


def criteria_met(ws: Workspace, stage: Stage) -> bool:
    """The exit criteria of ``stage``, checked on the stored deal whatever its stage."""
    deal = stored(ws)
    context = deals.stage_context(ws, deal)
    return all(c.met(deal, context) for c in STAGE_RULES[stage].exit_criteria)


def test_record_call_appends_to_the_log(ws: Workspace) -> None:
    at = ws.now() - timedelta(hours=1)
    deal = sd.record_call(
        ws,
        "D-0001",
        at=at,
        who="João",
        outcome=CallOutcome.CALL_BACK,
        note="busy",
        next_call=date(2026, 11, 26),
        expected_rev=1,
    )
    assert deal.rev == 2
    [call] = stored(ws).calls
    assert (call.at, call.who, call.outcome, call.next_call) == (
        at,
        "João",
        CallOutcome.CALL_BACK,
        date(2026, 11, 26),
    )


def test_a_field_refusal_names_the_field_and_writes_nothing(ws: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        sd.record_call(ws, "D-0001", at=ws.now(), who="  ", outcome=CallOutcome.NO_ANSWER)
    assert caught.value.field == "who"
    with pytest.raises(ValidationError) as caught:
        sd.record_call(
            ws,
            "D-0001",
            at=ws.now(),
            who="João",
            outcome=CallOutcome.NO_ANSWER,
            next_call=date(2026, 1, 1),
        )
    assert caught.value.field == "next_call"
    assert stored(ws).rev == 1 and stored(ws).calls == ()


def test_a_stale_revision_is_refused(ws: Workspace) -> None:
    sd.set_next_step(ws, "D-0001", "Call João", date(2026, 11, 24))
    with pytest.raises(ConflictError, match="changed elsewhere"):
        sd.record_call(
            ws, "D-0001", at=ws.now(), who="João", outcome=CallOutcome.NO_ANSWER, expected_rev=1
        )
    assert stored(ws).calls == ()


def test_book_meeting_then_prep_then_outcome(ws: Workspace) -> None:
    when = datetime(2026, 11, 25, 14, 30, tzinfo=ws.tz)
    with pytest.raises(ValidationError) as caught:
        sd.book_meeting(ws, "D-0001", planned_at=when, place=" ")
    assert caught.value.field == "place"
    with pytest.raises(ValidationError) as caught:
        sd.book_meeting(ws, "D-0001", planned_at=date(2026, 11, 25), place="Porto")  # type: ignore[arg-type]
    assert caught.value.field == "planned_at"

    sd.book_meeting(ws, "D-0001", planned_at=when, place="Porto office", agenda="Range")
    assert criteria_met(ws, Stage.CALL)
    sd.update_meeting_prep(
        ws,
        "D-0001",
        0,
        attendees=sd.parse_attendees("João Silva, buyer\n+Ana Ferreira, KAM"),
        client_interests="lower unit cost",
        benefits_to_show="delivery in 48 h",
        reliability_reviewed=True,
    )
    meeting = stored(ws).meetings[0]
    assert [(a.name, a.role, a.ours) for a in meeting.attendees] == [
        ("João Silva", "buyer", False),
        ("Ana Ferreira", "KAM", True),
    ]
    assert meeting.reliability_reviewed and meeting.agenda == "Range"
    assert sd.attendees_text(meeting.attendees) == "João Silva, buyer\n+Ana Ferreira, KAM"

    # The meeting is still ahead: it cannot have been held.
    with pytest.raises(ValidationError) as caught:
        sd.record_meeting_outcome(ws, "D-0001", 0, held=True, notes="fine")
    assert caught.value.field == "held"
    sd.update_meeting_prep(ws, "D-0001", 0, planned_at=ws.now() - timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        sd.record_meeting_outcome(ws, "D-0001", 0, held=True, notes="")
    assert caught.value.field == "notes"
    assert not criteria_met(ws, Stage.MEETING)
    sd.record_meeting_outcome(
        ws, "D-0001", 0, held=True, notes="Liked it", draft_contract_points="30 days",
        disagreements="price",
    )  # fmt: skip
    meeting = stored(ws).meetings[0]
    assert (meeting.held, meeting.outcome_notes, meeting.disagreements) == (
        True,
        "Liked it",
        "price",
    )
    assert criteria_met(ws, Stage.MEETING)
    with pytest.raises(NotFoundError):
        sd.record_meeting_outcome(ws, "D-0001", 5, held=True, notes="x")


def test_attendee_lines_are_checked(ws: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        sd.parse_attendees("João, buyer\n, nobody")
    assert caught.value.field == "attendees" and "line 2" in str(caught.value)


def test_needs_match_only_active_catalog_products(ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="no product NOPE") as caught:
        sd.add_need(ws, "D-0001", need="Cheaper boxes", products=["NOPE"])
    assert caught.value.field == "products"
    with pytest.raises(ValidationError, match="no longer sold"):
        sd.add_need(ws, "D-0001", need="Cheaper boxes", products=["old-1"])
    assert stored(ws).needs == ()

    sd.add_need(ws, "D-0001", need="Cheaper boxes", priority=Priority.HIGH)
    assert not criteria_met(ws, Stage.NEEDS)
    sd.match_need_to_products(ws, "D-0001", 0, ["box-40", "BOX-40"], presented=True)
    [need] = stored(ws).needs
    assert (need.products, need.presented, need.priority) == (("BOX-40",), True, Priority.HIGH)
    assert criteria_met(ws, Stage.NEEDS)


def test_add_invitation(ws: Workspace) -> None:
    sd.add_invitation(ws, "D-0001", event="Packaging fair", on=date(2026, 12, 3))
    [invitation] = stored(ws).invitations
    assert (invitation.event, invitation.on, invitation.accepted) == (
        "Packaging fair",
        date(2026, 12, 3),
        None,
    )


def test_objections_block_until_resolved(ws: Workspace) -> None:
    sd.add_objection(
        ws,
        "D-0001",
        category=ObjectionCategory.PRICE,
        words="Too dear",
        real_reason="budget cut",
        blocking=True,
    )
    [objection] = stored(ws).objections
    assert objection.raised_on == date(2026, 11, 23) and objection.status is ObjectionStatus.OPEN
    assert not criteria_met(ws, Stage.OBJECTIONS)
    with pytest.raises(ValidationError) as caught:
        sd.update_objection(ws, "D-0001", 0, status="maybe")
    assert caught.value.field == "status"
    with pytest.raises(ValidationError):
        sd.update_objection(ws, "D-0001", 0, colour="red")
    sd.update_objection(
        ws, "D-0001", 0, response="Volume discount", status=ObjectionStatus.RESOLVED
    )
    objection = stored(ws).objections[0]
    assert (objection.response, objection.status, objection.blocking) == (
        "Volume discount",
        ObjectionStatus.RESOLVED,
        True,
    )
    assert criteria_met(ws, Stage.OBJECTIONS)


def test_milestones_delivered_on_time_or_late(ws: Workspace) -> None:
    sd.add_milestone(ws, "D-0001", what="First batch", due=date(2026, 11, 20), department="Ops")
    sd.add_milestone(ws, "D-0001", what="Second batch", due=date(2026, 11, 30))
    assert not criteria_met(ws, Stage.FULFILMENT)
    with pytest.raises(ValidationError) as caught:
        sd.deliver_milestone(ws, "D-0001", 0, delivered_on=date(2026, 12, 1))
    assert caught.value.field == "delivered_on"
    sd.deliver_milestone(ws, "D-0001", 0, delivered_on=date(2026, 11, 22))
    sd.deliver_milestone(ws, "D-0001", 1, delivered_on=date(2026, 11, 23))
    first, second = stored(ws).milestones
    assert first.status is MilestoneStatus.DELIVERED and first.on_time is False
    assert second.on_time is True
    assert criteria_met(ws, Stage.FULFILMENT)


def test_received_referral_becomes_a_prospect_linked_to_its_referrer(ws: Workspace) -> None:
    sd.ask_referral(ws, "D-0001", note="at the review")
    _deal, prospect = sd.receive_referral(
        ws,
        "D-0001",
        index=0,
        company="Porto Cartão SA",
        contact_name="Rui Costa",
        phone="+351 22 000 0000",
    )
    [referral] = stored(ws).referrals
    assert referral.status is ReferralStatus.RECEIVED
    assert (referral.company, referral.client_id, referral.note) == (
        "Porto Cartão SA",
        prospect.id,
        "at the review",
    )
    client = Client.from_dict(ws.store.get("clients", prospect.id) or {})
    assert (client.name, client.referred_by, client.lead_source) == (
        "Porto Cartão SA",
        "C-0001",
        "referral",
    )
    [contact] = [Contact.from_dict(d) for d in ws.store.find("contacts", client_id=prospect.id)]
    assert (contact.name, contact.phone) == ("Rui Costa", "+351 22 000 0000")
    # An unasked referral is recorded too; the same ask is not received twice.
    sd.receive_referral(ws, "D-0001", company="Braga Papel Lda")
    assert [r.company for r in stored(ws).referrals] == ["Porto Cartão SA", "Braga Papel Lda"]
    assert ws.store.count("clients") == 3
    with pytest.raises(sd.StageDataRefused):
        sd.receive_referral(ws, "D-0001", index=0, company="Again SA")


def test_a_refused_referral_creates_no_client(ws: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        sd.receive_referral(ws, "D-0001", company="Porto SA", contact_name="Rui", email="nope")
    assert caught.value.field == "email"
    with pytest.raises(ValidationError) as caught:
        sd.receive_referral(ws, "D-0001", company=" ")
    assert caught.value.field == "company"
    assert ws.store.count("clients") == 1 and ws.store.count("contacts") == 0
    assert stored(ws).referrals == ()


def test_testimonial_and_next_step(ws: Workspace) -> None:
    sd.add_testimonial(ws, "D-0001", text="Always on time", by="João Silva", may_publish=True)
    [testimonial] = stored(ws).testimonials
    assert (testimonial.on, testimonial.may_publish) == (date(2026, 11, 23), True)
    with pytest.raises(ValidationError) as caught:
        sd.set_next_step(ws, "D-0001", "Send samples", None)
    assert caught.value.field == "due"
    sd.set_next_step(ws, "D-0001", "Send samples", date(2026, 11, 27))
    deal = stored(ws)
    assert (deal.next_step, deal.next_step_due) == ("Send samples", date(2026, 11, 27))
    assert deal.stall_reasons(ws.now()) == []


def test_a_lost_deal_keeps_its_records(ws: Workspace) -> None:
    deals.lose_deal(ws, "D-0001", reason="price", note="too dear")  # type: ignore[arg-type]
    with pytest.raises(sd.StageDataRefused, match="lost"):
        sd.add_invitation(ws, "D-0001", event="Fair", on=date(2026, 12, 3))
