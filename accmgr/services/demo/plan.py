"""The shape of the demo book before any record is written: who has which deals, when
each client came in, and which clients came through a referral."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timedelta
from random import Random

from accmgr.domain.client import Tier
from accmgr.domain.deal import LeadSource
from accmgr.domain.stages import Stage
from accmgr.services.demo.activities import Span
from accmgr.services.demo.clients import ClientPlan
from accmgr.services.demo.stagedata import Who
from accmgr.services.demo.timeline import DealPlan, plan_deal


def plan_deals(rng: Random, clients: list[ClientPlan], count: int, now: datetime) -> list[DealPlan]:
    """Every client gets a deal first; the rest go mostly to key and larger clients."""
    owners = list(range(min(count, len(clients))))
    weights = [(3.0 if c.tier is Tier.KEY else 1.0) * (1 + list(type(c.band)).index(c.band) / 2)
               for c in clients]  # fmt: skip
    owners += rng.choices(range(len(clients)), weights=weights, k=count - len(owners))
    plans: list[DealPlan] = []
    later = (LeadSource.REPEAT, LeadSource.REPEAT, LeadSource.CAMPAIGN, LeadSource.FAIR,
             LeadSource.INBOUND, LeadSource.OTHER)  # fmt: skip
    for pos in owners:
        client = clients[pos]
        source = client.source if not client.deals else rng.choice(later)
        client.deals.append(len(plans))
        plans.append(plan_deal(rng, pos, source, now))
    return plans


def date_clients(
    rng: Random, clients: list[ClientPlan], deals: list[DealPlan], now: datetime
) -> list[int]:
    """Set when each client was created (before its first deal); return them oldest first."""
    for client in clients:
        starts = [deals[i].created_at for i in client.deals]
        before = min(starts) if starts else now
        created = before - timedelta(days=rng.uniform(1, 60) if starts else rng.uniform(5, 1200))
        client.created_at = created.replace(
            hour=rng.randint(8, 17), minute=rng.randrange(60), second=0, microsecond=0
        )
    return sorted(range(len(clients)), key=lambda i: (_created(clients[i]), i))


def _created(client: ClientPlan) -> datetime:
    assert client.created_at is not None, "clients are dated before anything else needs it"
    return client.created_at


def link_referrals(
    rng: Random, clients: list[ClientPlan], order: list[int], deals: list[DealPlan]
) -> None:
    """Some deals at Referrals brought in a client that was created after the referral."""
    created = [_created(clients[pos]) for pos in order]
    for plan in deals:
        if plan.stage is not Stage.REFERRALS or rng.random() > 0.35:
            continue
        asked_from = plan.entered[-1] + timedelta(days=3)
        first = bisect_right(created, asked_from)
        for _ in range(4):
            if first >= len(order):
                break
            pos = order[rng.randrange(first, len(order))]
            target = clients[pos]
            if target.referred_by is None and pos != plan.client:
                target.referred_by = plan.client
                target.source = LeadSource.REFERRAL
                gap = _created(target) - plan.entered[-1]
                plan.referred.append((pos, plan.entered[-1] + gap * rng.uniform(0.2, 0.8)))
                break
    for client in clients:  # the deal that came with the referral says so
        if client.referred_by is not None and client.deals:
            first_deal = min(client.deals, key=lambda i: deals[i].created_at)
            if deals[first_deal].path[0] is Stage.PROSPECTING:
                deals[first_deal].source = LeadSource.REFERRAL


def activity_spans(
    clients: list[ClientPlan],
    order: list[int],
    deals: list[DealPlan],
    client_ids: dict[int, str],
    deal_ids: dict[int, str],
    people: dict[int, list[Who]],
    now: datetime,
) -> tuple[list[Span], list[float], list[Span]]:
    spans, weights, key_spans = [], [], []
    for pos in order:
        client = clients[pos]
        contact_ids = tuple(w.id for w in people[pos])
        factor = 3.0 if client.tier is Tier.KEY else 1.0
        span = Span(client_ids[pos], None, contact_ids, _created(client), now, True)
        spans.append(span)
        weights.append(2.0 * factor)
        if client.tier is Tier.KEY:
            key_spans.append(span)
        for i in client.deals:
            plan = deals[i]
            spans.append(Span(client_ids[pos], deal_ids[i], contact_ids, plan.created_at,
                              plan.lost_at or now, plan.status != "lost"))  # fmt: skip
            weights.append(factor * (1.5 if plan.status != "lost" else 0.6))
    return spans, weights, key_spans
