"""When each demo deal entered each stage: the skeleton the rest of a deal hangs on.

Histories are built backwards from the present so that every deal is somewhere believable
today: open deals sit in their stage for a while (some beyond the stage's stall limit),
won deals moved on to Fulfilment when signed, older ones are through to Referrals, and
lost deals stopped where they were lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from accmgr.domain.deal import LeadSource
from accmgr.domain.stages import STAGE_RULES, Stage

# (status, current stage, weight): where the deals of a realistic book of business are.
_MIX = (
    ("open", Stage.PROSPECTING, 10), ("open", Stage.CALL, 9), ("open", Stage.MEETING, 9),
    ("open", Stage.NEEDS, 9), ("open", Stage.OBJECTIONS, 8), ("open", Stage.CLOSING, 8),
    ("won", Stage.FULFILMENT, 9), ("won", Stage.REFERRALS, 20),
    ("lost", Stage.PROSPECTING, 2), ("lost", Stage.CALL, 3), ("lost", Stage.MEETING, 2),
    ("lost", Stage.NEEDS, 2), ("lost", Stage.OBJECTIONS, 4), ("lost", Stage.CLOSING, 3),
)  # fmt: skip
# Days a deal typically spends in a stage it has passed.
_STAY = {
    Stage.PROSPECTING: (3, 35), Stage.CALL: (2, 16), Stage.MEETING: (4, 24),
    Stage.NEEDS: (5, 28), Stage.OBJECTIONS: (3, 18), Stage.CLOSING: (5, 35),
    Stage.FULFILMENT: (20, 100), Stage.REFERRALS: (30, 120),
}  # fmt: skip


@dataclass
class DealPlan:
    client: int  # position of the client in the plan
    status: str  # "open", "won" or "lost"
    stage: Stage
    path: list[Stage]  # the stages entered, in order; the last is the current one
    entered: list[datetime]
    lost_at: datetime | None
    source: LeadSource
    skip_objections: bool = False
    # Referrals received: (position of the referred client, day the referral was asked for)
    referred: list[tuple[int, datetime]] = field(default_factory=list)

    @property
    def created_at(self) -> datetime:
        return self.entered[0]

    def window(self, stage: Stage, now: datetime) -> tuple[datetime, datetime] | None:
        """From entering ``stage`` to leaving it (or now, or when the deal was lost)."""
        if stage not in self.path:
            return None
        i = self.path.index(stage)
        if i + 1 < len(self.path):
            return self.entered[i], self.entered[i + 1]
        return self.entered[i], self.lost_at or now

    def passed(self, stage: Stage) -> bool:
        return stage in self.path and stage != self.stage


def _working_time(rng: Random, moment: datetime, now: datetime) -> datetime:
    """The same day during office hours, never after ``now``."""
    local = moment.replace(hour=rng.randint(8, 17), minute=rng.choice((0, 10, 15, 30, 45)))
    local = local.replace(second=0, microsecond=0)
    return min(local, now - timedelta(minutes=rng.randint(1, 90)))


def _age_in_current(rng: Random, status: str, stage: Stage) -> float:
    if stage is Stage.REFERRALS:
        return rng.triangular(1, 1100, 90)
    limit = STAGE_RULES[stage].stall_days
    if stage is Stage.FULFILMENT:
        limit = 60
    if rng.random() < 0.72:
        return rng.uniform(0.2, limit)
    return rng.uniform(limit + 1, 3 * limit)


def plan_deal(rng: Random, client: int, source: LeadSource, now: datetime) -> DealPlan:
    status, stage, _ = rng.choices(_MIX, [w for *_, w in _MIX])[0]
    start = Stage.PROSPECTING
    roll = rng.random()
    if roll < 0.08 and stage >= Stage.MEETING:
        start, source = Stage.MEETING, LeadSource.INBOUND
    elif roll < 0.16 and stage >= Stage.NEEDS:
        start, source = Stage.NEEDS, LeadSource.REPEAT
    skip_objections = stage > Stage.OBJECTIONS and start < Stage.OBJECTIONS and rng.random() < 0.07
    path = [
        s for s in Stage if start <= s <= stage and not (skip_objections and s is Stage.OBJECTIONS)
    ]
    lost_at = None
    if status == "lost":
        lost_at = _working_time(rng, now - timedelta(days=rng.triangular(1, 600, 30)), now)
        low, high = _STAY[stage]
        anchor = lost_at - timedelta(days=rng.uniform(low, high))
    else:
        anchor = now - timedelta(days=_age_in_current(rng, status, stage))
    entered = [_working_time(rng, anchor, lost_at or now)]
    for passed in reversed(path[:-1]):
        low, high = _STAY[passed]
        moment = entered[0] - timedelta(days=rng.uniform(low, high))
        entered.insert(0, _working_time(rng, moment, entered[0] - timedelta(hours=6)))
    return DealPlan(client, status, stage, path, entered, lost_at, source, skip_objections)
