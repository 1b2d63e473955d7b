"""Demo deals: one record per planned deal, with its history, stage data and next step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random

from accmgr.domain.deal import Deal, LostReason, Referral, ReferralStatus, StageEntry
from accmgr.domain.stages import STAGE_RULES, Stage
from accmgr.services.demo import stagedata
from accmgr.services.demo.clients import DEAL_SIZE, ClientPlan, nice
from accmgr.services.demo.people import KAM_OWNERS
from accmgr.services.demo.stagedata import Who
from accmgr.services.demo.timeline import DealPlan


@dataclass(frozen=True)
class ReferredClient:
    """A prospect a referral became: stored before the deal that received the referral."""

    id: str
    company: str
    contact_name: str
    asked_on: datetime


_TITLES = (
    "Stretch film supply {year}", "Labelling system for the {city} site",
    "Framework agreement {year}–{next}", "Warehouse software roll-out",
    "Packaging consumables {year}", "Seasonal pallet storage {year}",
    "Forklift operator training", "End-of-line wrapping automation",
    "Maintenance contract {year}", "Cartons for the new line",
)  # fmt: skip
_REASONS = {
    Stage.MEETING: "Inbound lead: asked for a meeting through the website",
    Stage.NEEDS: "Repeat business: the client came back with a new requirement",
}
_NEXT_STEPS = {
    Stage.PROSPECTING: ("Find the purchasing contact", "Send the introduction e-mail"),
    Stage.CALL: ("Call back to book a meeting", "Try the switchboard again"),
    Stage.MEETING: ("Confirm attendees and agenda", "Send the meeting summary"),
    Stage.NEEDS: ("Present the range at their site", "Send product samples"),
    Stage.OBJECTIONS: ("Send the reference case study", "Revised price proposal"),
    Stage.CLOSING: ("Follow up on the offer", "Signing meeting"),
    Stage.FULFILMENT: ("Check delivery status with logistics", "Plan the acceptance visit"),
    Stage.REFERRALS: ("Ask for a testimonial", "Propose next year's framework"),
}
_LOST = {
    Stage.PROSPECTING: (LostReason.RELIABILITY, LostReason.NO_BUDGET, LostReason.OTHER),
    Stage.CALL: (LostReason.NO_DECISION, LostReason.TIMING, LostReason.OTHER),
    Stage.MEETING: (LostReason.PRODUCT_FIT, LostReason.NO_BUDGET),
    Stage.NEEDS: (LostReason.PRODUCT_FIT, LostReason.NO_BUDGET, LostReason.TIMING),
    Stage.OBJECTIONS: (LostReason.PRICE, LostReason.COMPETITOR, LostReason.RELIABILITY),
    Stage.CLOSING: (LostReason.PRICE, LostReason.COMPETITOR, LostReason.NO_DECISION),
}
_LOST_NOTES = {
    LostReason.PRICE: "Went with a cheaper local distributor.",
    LostReason.COMPETITOR: "Incumbent matched our offer and kept the business.",
    LostReason.NO_BUDGET: "Investment frozen until next year.",
    LostReason.NO_DECISION: "Stopped answering after the second call.",
    LostReason.TIMING: "Project postponed indefinitely.",
    LostReason.PRODUCT_FIT: "Needs a machine size we do not carry.",
    LostReason.RELIABILITY: "Credit check failed; they refused prepayment.",
    LostReason.OTHER: "Company bought by a group with central purchasing.",
}
_DEAL_TAGS = ("pilot", "tender", "upsell", "cross-sell", "urgent")
_REFERRAL_COMPANIES = ("a partner company", "their sister company", "a neighbour on the estate")


def deal_record(
    rng: Random,
    plan: DealPlan,
    deal_id: str,
    client: ClientPlan,
    client_id: str,
    contacts: Sequence[Who],
    codes: Mapping[str, Sequence[str]],
    referred: Sequence[ReferredClient],
    now: datetime,
) -> Deal:
    history = _history(plan)
    low, high = DEAL_SIZE[client.band]
    value = nice(rng.triangular(low, high, low + (high - low) * 0.25), client.currency)
    is_open = plan.status != "lost"
    created = plan.created_at
    title = rng.choice(_TITLES).format(
        year=created.year, next=created.year + 2, city=client.city.name
    )
    needs, invitations = stagedata.needs(rng, plan, codes, now)
    fields: dict[str, object] = {
        "id": deal_id,
        "client_id": client_id,
        "title": title,
        "stage": plan.stage,
        "value": value,
        "currency": client.currency,
        "source": plan.source,
        "owner": client.owner if rng.random() < 0.9 else rng.choice(KAM_OWNERS),
        "tags": tuple(rng.sample(_DEAL_TAGS, rng.choice((0, 0, 1)))),
        "stage_history": history,
        "calls": stagedata.calls(rng, plan, contacts, now),
        "meetings": stagedata.meetings(rng, plan, contacts, client.owner, client.address, now),
        "needs": needs,
        "invitations": invitations,
        "objections": stagedata.objections(rng, plan, now),
        "milestones": stagedata.milestones(rng, plan, now),
        "referrals": _referrals(rng, plan, referred, now),
        "testimonials": stagedata.testimonials(rng, plan, contacts, now),
        "created_at": created,
    }
    if plan.status == "won":
        fields["outcome"] = "won"
        fields["closed_on"] = plan.entered[plan.path.index(Stage.FULFILMENT)].date()
        fields["expected_close"] = fields["closed_on"]
    elif plan.status == "lost":
        assert plan.lost_at is not None
        reason = rng.choice(_LOST[plan.stage])
        fields.update(outcome="lost", lost_reason=reason, lost_note=_LOST_NOTES[reason],
                      closed_on=plan.lost_at.date())  # fmt: skip
    else:
        ahead = rng.uniform(-10, 45) if plan.stage is Stage.CLOSING else rng.uniform(15, 160)
        fields["expected_close"] = (now + timedelta(days=ahead)).date()
        if rng.random() < 0.12:
            default = STAGE_RULES[plan.stage].default_probability
            fields["probability_override"] = min(
                Decimal(95), max(Decimal(2), default + rng.choice((-15, -10, -5, 5, 10, 15)))
            )
    if is_open:
        fields.update(_next_step(rng, plan, now))
    if plan.stage is Stage.REFERRALS and now - plan.entered[-1] > timedelta(days=120):
        # Long through the cycle: referrals asked, the deal completed and left the board.
        done = plan.entered[-1] + timedelta(days=rng.randint(20, 90))
        fields["completed_on"] = done.date()
        fields["stage_history"] = (*history[:-1], history[-1].evolve(left_at=done))
        for key in ("next_step", "next_step_due"):
            fields.pop(key, None)
    return Deal(**fields)


def _history(plan: DealPlan) -> tuple[StageEntry, ...]:
    entries = []
    previous: Stage | None = None
    for i, (stage, entered) in enumerate(zip(plan.path, plan.entered, strict=True)):
        skipped = tuple(s for s in Stage if (previous is None or previous < s) and s < stage)
        reason = ""
        if skipped and previous is None:
            reason = _REASONS[stage]
        elif skipped:
            reason = "No objections raised: the client asked for the offer right away"
        left = plan.entered[i + 1] if i + 1 < len(plan.path) else plan.lost_at
        entries.append(
            StageEntry(stage=stage, entered_at=entered, left_at=left, skipped=skipped,
                       reason=reason)
        )  # fmt: skip
        previous = stage
    return tuple(entries)


def _next_step(rng: Random, plan: DealPlan, now: datetime) -> dict[str, object]:
    finished = plan.stage is Stage.REFERRALS and now - plan.entered[-1] > timedelta(days=120)
    roll = rng.random()
    if (finished and roll < 0.8) or roll < 0.16:
        return {}  # no next step: the deal shows as stalled
    step = rng.choice(_NEXT_STEPS[plan.stage])
    if roll < 0.21:
        return {"next_step": step}  # a step without a date is stalled too
    # Some next steps are overdue, most are ahead.
    days = -rng.randint(1, 20) if roll < 0.36 else rng.randint(0, 21)
    return {"next_step": step, "next_step_due": (now + timedelta(days=days)).date()}


def _referrals(
    rng: Random, plan: DealPlan, referred: Sequence[ReferredClient], now: datetime
) -> tuple[Referral, ...]:
    window = plan.window(Stage.REFERRALS, now)
    if window is None:
        return ()
    found = [
        Referral(asked_on=r.asked_on.date(), status=ReferralStatus.RECEIVED, company=r.company,
                 contact_name=r.contact_name, client_id=r.id, note="Introduced by e-mail.")
        for r in referred
    ]  # fmt: skip
    if rng.random() < 0.6:
        asked = window[0] + (window[1] - window[0]) * rng.uniform(0.1, 0.9)
        status = rng.choice((ReferralStatus.ASKED, ReferralStatus.ASKED, ReferralStatus.DECLINED))
        found.append(
            Referral(asked_on=asked.date(), status=status, company=rng.choice(_REFERRAL_COMPANIES),
                     note="Will think about who could use it." if status == "asked" else "")
        )  # fmt: skip
    return tuple(sorted(found, key=lambda r: r.asked_on))
