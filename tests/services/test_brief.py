"""The brief of a fixture meeting: warnings first, then everything still open."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from accmgr.domain.activity import ActivityKind
from accmgr.domain.client import DecisionRole, FlagCategory, Rating
from accmgr.domain.common import Priority
from accmgr.domain.deal import Attendee, Meeting, Need, Objection, ObjectionCategory
from accmgr.services import activities, brief, clients, deals, reliability
from accmgr.services.workspace import Workspace
from tests.conftest import frozen_now


def test_brief_of_a_meeting_tomorrow(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Porto Metais SA", country="PT", segment="metal")
    boss = clients.add_contact(ws, "C-0001", "Rui Costa", role=DecisionRole.DECISION_MAKER)
    reliability.add_flag(ws, "C-0001", FlagCategory.LATE_PAYMENTS, "Paid 60 days late twice")
    reliability.add_payment(
        ws,
        "C-0001",
        invoice="F-7",
        amount=Decimal(500),
        due=date(2026, 10, 1),
        paid=date(2026, 10, 11),
    )
    reliability.record_review(ws, "C-0001", Rating.C, on=date(2026, 11, 1))
    reliability.add_complaint(ws, "C-0001", "Wrong steel grade delivered")
    tomorrow = frozen_now() + timedelta(days=1)
    deal = deals.add_deal(ws, "C-0001", "Coil supply", value=Decimal(80000))
    deal = deals.save_deal(
        ws,
        deal.evolve(
            meetings=(
                Meeting(
                    planned_at=tomorrow,
                    place="Matosinhos",
                    agenda="Price review",
                    attendees=(
                        Attendee(name="Rui Costa", contact_id=boss.id),
                        Attendee(name="Ana Ferreira", ours=True),
                    ),
                ),
            ),
            needs=(
                Need(need="Shorter lead time", priority=Priority.HIGH),
                Need(need="Cut to length", presented=True),
            ),
            objections=(
                Objection(
                    category=ObjectionCategory.PRICE,
                    words="Too expensive",
                    raised_on=date(2026, 11, 2),
                ),
            ),
            next_step="Send revised offer",
            next_step_due=date(2026, 11, 26),
        ),
    )
    for day in range(1, 8):
        activities.log_activity(
            ws,
            ActivityKind.CALL,
            "C-0001",
            note=f"call {day}",
            done_at=frozen_now() - timedelta(days=day),
        )
    activities.log_activity(
        ws, ActivityKind.TASK, "C-0001", due=date(2026, 11, 25), note="Send mill certificates"
    )
    with ws.store.transaction() as tx:
        tx.insert(
            "documents",
            {
                "id": tx.new_id("documents"),
                "kind": "offer",
                "status": "sent",
                "client_id": "C-0001",
                "deal_id": deal.id,
                "valid_until": "2026-11-30",
                "number": "OFR-2026-0003",
                "version": 2,
                "some_future_field": {"x": 1},
            },
        )

    found = brief.briefs_between(ws, date(2026, 11, 24), date(2026, 11, 24))
    assert len(found) == 1
    data = found[0].to_dict()
    assert next(iter(data)) == "warnings"
    # Worst first: the C rating and the open red flag are cautions, both before anything else.
    assert data["warnings"][:2] == [
        "rated C — risky: frequent delays or disputes; ask for prepayment or guarantees",
        "open red flag (late payments): Paid 60 days late twice",
    ]
    assert [d["level"] for d in data["warning_details"]][:2] == ["caution", "caution"]
    assert data["client"]["name"] == "Porto Metais SA"
    assert [(a["name"], a["role"], a["ours"]) for a in data["attendees"]] == [
        ("Rui Costa", "decision-maker", False),
        ("Ana Ferreira", None, True),
    ]
    assert (data["deal"]["stage"], data["deal"]["value"], data["deal"]["probability"]) == (
        "prospecting",
        "80000",
        "5",
    )
    assert [n["need"] for n in data["open_needs"]] == ["Shorter lead time"]
    assert [o["words"] for o in data["open_objections"]] == ["Too expensive"]
    assert [i["note"] for i in data["last_interactions"]] == [f"call {d}" for d in range(1, 6)]
    assert [p["what"] for p in data["promises"]] == ["Send mill certificates", "Send revised offer"]
    assert data["open_offers"][0]["offer"] == "OFR-2026-0003@2"
    assert data["open_offers"][0]["days_left"] == 7
    assert [c["what"] for c in data["open_complaints"]] == ["Wrong steel grade delivered"]
    rel = data["reliability"]
    assert (rel["rating"], rel["review_age_days"], rel["figures"]["worst_days_late"]) == (
        "C",
        22,
        10,
    )
    assert brief.meeting_of(ws, deal.id).index == 0
    assert brief.briefs_between(ws, date(2026, 11, 25), date(2026, 11, 30)) == []


def test_a_calls_outcome_reads_as_words_in_the_brief(workspace: Workspace) -> None:
    from accmgr.domain.deal import CallOutcome
    from accmgr.services import stage_data

    ws = workspace
    clients.add_client(ws, "Porto Metais SA", country="PT")
    deals.add_deal(ws, "C-0001", "Coil supply")
    stage_data.record_call(
        ws, "D-0001", at=frozen_now() - timedelta(hours=2), who="Rui",
        outcome=CallOutcome.APPOINTMENT_SET,
    )  # fmt: skip
    deal = deals.get_deal(ws, "D-0001")
    meeting = Meeting(planned_at=frozen_now() + timedelta(days=1), place="Porto")
    deals.save_deal(ws, deal.evolve(meetings=(meeting,)))
    [found] = brief.briefs_between(ws, date(2026, 11, 24), date(2026, 11, 24))
    [call] = found.to_dict()["last_interactions"]
    assert call["outcome"] == "appointment set"
