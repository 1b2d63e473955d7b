"""Deals through the client cycle: create, move, win, lose.

Moving guides without trapping: when the current stage's exit criteria are unmet or the
move skips stages, it is refused with what is missing — unless a reason is given, and then
the reason, the unmet criteria and the skipped stages are recorded in the stage history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from accmgr.domain.client import Client, Contact
from accmgr.domain.deal import Deal, LostReason, StageEntry
from accmgr.domain.reliability import ReliabilityWarning
from accmgr.domain.stages import Criterion, Stage, StageContext, unmet_criteria
from accmgr.errors import AccmgrError, ConflictError, NotFoundError, ValidationError
from accmgr.services.ports import TransactionPort
from accmgr.services.reliability import client_warnings
from accmgr.services.workspace import Workspace


class MoveRefused(AccmgrError):
    """A move that needs a stated reason, or that the deal's outcome rules out."""

    def __init__(
        self,
        message: str,
        *,
        unmet: Sequence[Criterion] = (),
        skipped: Sequence[Stage] = (),
    ) -> None:
        self.unmet = tuple(unmet)
        self.skipped = tuple(skipped)
        super().__init__(message)


@dataclass(frozen=True)
class MovePlan:
    """What a move would bypass; shown to the user before asking for a reason."""

    deal: Deal
    target: Stage
    unmet: tuple[Criterion, ...]
    skipped: tuple[Stage, ...]

    @property
    def needs_reason(self) -> bool:
        return bool(self.unmet or self.skipped)

    def describe(self) -> str:
        parts = [f"'{c.text}' is not met" for c in self.unmet]
        if self.skipped:
            parts.append("it skips " + ", ".join(s.label for s in self.skipped))
        return "; ".join(parts)


def add_deal(
    ws: Workspace,
    client_id: str,
    title: str,
    *,
    value: Decimal = Decimal(0),
    currency: str | None = None,
    stage: Stage = Stage.PROSPECTING,
    reason: str = "",
    **fields: Any,
) -> Deal:
    """Create a deal. Starting past Prospecting skips stages, so it needs a reason."""
    if stage != Stage.PROSPECTING and not reason.strip():
        raise MoveRefused(
            f"a deal starting at {stage.label} skips earlier stages: give a reason "
            "(for example an inbound lead), and it is recorded",
            skipped=[s for s in Stage if s < stage],
        )
    if stage > Stage.CLOSING:
        raise ValidationError("stage", "a new deal starts at Closing at the latest")
    now = ws.now()
    fields.setdefault("owner", ws.owner)
    with ws.store.transaction() as tx:
        client = tx.get("clients", client_id)
        if client is None:
            raise NotFoundError(f"client {client_id} does not exist")
        entry = StageEntry(
            stage=stage,
            entered_at=now,
            skipped=tuple(s for s in Stage if s < stage),
            reason=reason.strip(),
        )
        deal = Deal(
            id=tx.new_id("deals"),
            client_id=client_id,
            title=title,
            stage=stage,
            value=value,
            currency=currency or client["currency"],
            stage_history=(entry,),
            created_at=now,
            **fields,
        )
        stored = tx.insert("deals", deal.to_dict())
    return Deal.from_dict(stored)


def get_deal(ws: Workspace, deal_id: str) -> Deal:
    return ws.load("deals", Deal, deal_id)


def list_deals(ws: Workspace, *, stage: Stage | None = None, open_only: bool = False) -> list[Deal]:
    docs = ws.store.find("deals", stage=stage.value) if stage else ws.store.all("deals")
    deals = [Deal.from_dict(doc) for doc in docs]
    if open_only:
        deals = [d for d in deals if d.is_open]
    return sorted(deals, key=lambda d: (d.stage.position, d.id))


def stage_context(ws: Workspace, deal: Deal, tx: TransactionPort | None = None) -> StageContext:
    source = tx if tx is not None else ws.store
    docs = source.find("contacts", client_id=deal.client_id)
    return StageContext(contacts=tuple(Contact.from_dict(d) for d in docs))


def plan_move(
    ws: Workspace, deal: Deal, target: Stage, tx: TransactionPort | None = None
) -> MovePlan:
    """Check a move without making it: what would be bypassed, or why it is impossible."""
    if deal.outcome == "lost":
        raise MoveRefused(f"deal {deal.id} is lost; it no longer moves through the stages")
    if target == deal.stage:
        raise MoveRefused(f"deal {deal.id} is already at {target.label}")
    if target > Stage.CLOSING and deal.outcome != "won":
        raise MoveRefused(
            f"deal {deal.id} is not won: a deal goes on to {target.label} once it is won "
            "at Closing (the contract signed)"
        )
    if target <= Stage.CLOSING and deal.outcome == "won":
        raise MoveRefused(f"deal {deal.id} is won; it cannot go back before Fulfilment")
    if target < deal.stage:
        return MovePlan(deal, target, (), ())
    unmet = tuple(unmet_criteria(deal, stage_context(ws, deal, tx), ws.rules))
    skipped = tuple(s for s in Stage if deal.stage < s < target)
    return MovePlan(deal, target, unmet, skipped)


def _closed_history(deal: Deal, now: datetime) -> tuple[StageEntry, ...]:
    """The stage history with the current stay ended at ``now``."""
    return (*deal.stage_history[:-1], deal.stage_history[-1].evolve(left_at=now))


def _enter(deal: Deal, target: Stage, now: datetime, plan: MovePlan, reason: str) -> Deal:
    entry = StageEntry(
        stage=target,
        entered_at=now,
        skipped=plan.skipped,
        unmet=tuple(c.id for c in plan.unmet),
        reason=reason,
    )
    return deal.evolve(stage=target, stage_history=(*_closed_history(deal, now), entry))


def change_deal(
    ws: Workspace,
    deal_id: str,
    expected_rev: int | None,
    change: Callable[[Deal, TransactionPort], Deal],
) -> Deal:
    """Read, check, change and write one deal in one transaction: all of it or nothing."""
    with ws.store.transaction() as tx:
        deal = _load(tx, deal_id)
        _check_rev(deal, expected_rev)
        changed = change(deal, tx)
        stored = tx.update("deals", deal.id, changed.to_dict(), expected_rev=deal.rev)
    return Deal.from_dict(stored)


def move_deal(
    ws: Workspace,
    deal_id: str,
    target: Stage,
    *,
    reason: str = "",
    expected_rev: int | None = None,
) -> Deal:
    reason = reason.strip()

    def move(deal: Deal, tx: TransactionPort) -> Deal:
        plan = plan_move(ws, deal, target, tx)
        if plan.needs_reason and not reason:
            raise MoveRefused(
                f"deal {deal.id} cannot move from {deal.stage.label} to {target.label} yet: "
                f"{plan.describe()}; give a reason to move anyway",
                unmet=plan.unmet,
                skipped=plan.skipped,
            )
        return _enter(deal, target, ws.now(), plan, reason)

    return change_deal(ws, deal_id, expected_rev, move)


def win_deal(ws: Workspace, deal_id: str, *, expected_rev: int | None = None) -> Deal:
    """The contract is signed: the deal is won and goes on to Fulfilment."""

    def win(deal: Deal, tx: TransactionPort) -> Deal:
        if deal.outcome is not None:
            raise MoveRefused(f"deal {deal.id} is already {deal.outcome}")
        if deal.stage != Stage.CLOSING:
            raise MoveRefused(
                f"deal {deal.id} is at {deal.stage.label}; a deal is won at Closing: move it "
                "to Closing first"
            )
        won = deal.evolve(outcome="won", closed_on=ws.today())
        return _enter(won, Stage.FULFILMENT, ws.now(), MovePlan(won, Stage.FULFILMENT, (), ()), "")

    return change_deal(ws, deal_id, expected_rev, win)


def lose_deal(
    ws: Workspace,
    deal_id: str,
    *,
    reason: LostReason,
    note: str,
    expected_rev: int | None = None,
) -> Deal:
    note = note.strip()
    if not note:
        raise ValidationError("reason", "expected a few words on why the deal was lost")

    def lose(deal: Deal, tx: TransactionPort) -> Deal:
        if deal.outcome == "lost":
            raise MoveRefused(f"deal {deal.id} is already lost")
        if deal.outcome == "won":
            raise MoveRefused(f"deal {deal.id} is won; a won deal is not lost afterwards")
        return deal.evolve(
            outcome="lost",
            lost_reason=reason,
            lost_note=note,
            closed_on=ws.today(),
            stage_history=_closed_history(deal, ws.now()),
        )

    return change_deal(ws, deal_id, expected_rev, lose)


def complete_deal(ws: Workspace, deal_id: str, *, expected_rev: int | None = None) -> Deal:
    """The contract is seen through: the deal leaves the board. Repeat business is a new deal
    with the same client.

    A deal completes at Referrals, or from Fulfilment once every milestone is delivered
    (passing through Referrals, recorded as such: a client not asked for referrals is still a
    finished contract); with Fulfilment's criteria unmet it is refused, naming what is
    missing, like a move.
    """

    def complete(deal: Deal, tx: TransactionPort) -> Deal:
        if deal.completed_on is not None:
            raise MoveRefused(f"deal {deal.id} is already complete")
        if deal.stage not in (Stage.FULFILMENT, Stage.REFERRALS):
            raise MoveRefused(
                f"deal {deal.id} is at {deal.stage.label}; a deal completes after Fulfilment"
            )
        if deal.stage == Stage.FULFILMENT:
            unmet = tuple(unmet_criteria(deal, stage_context(ws, deal, tx), ws.rules))
            if unmet:
                missing = "; ".join(f"'{c.text}' is not met" for c in unmet)
                raise MoveRefused(f"deal {deal.id} cannot complete yet: {missing}", unmet=unmet)
            # A completed deal ends at Referrals: it passes through, the stay recorded as such.
            plan = MovePlan(deal, Stage.REFERRALS, (), ())
            deal = _enter(deal, Stage.REFERRALS, ws.now(), plan, "completed from Fulfilment")
        return deal.evolve(completed_on=ws.today(), stage_history=_closed_history(deal, ws.now()))

    return change_deal(ws, deal_id, expected_rev, complete)


def save_deal(ws: Workspace, deal: Deal) -> Deal:
    """Write an edited deal; refused if it changed elsewhere since ``deal`` was read."""
    with ws.store.transaction() as tx:
        if tx.get("deals", deal.id) is None:
            raise NotFoundError(f"deal {deal.id} does not exist")
        stored = tx.update("deals", deal.id, deal.to_dict(), expected_rev=deal.rev)
    return Deal.from_dict(stored)


def _load(tx: TransactionPort, deal_id: str) -> Deal:
    doc = tx.get("deals", deal_id.strip().upper())
    if doc is None:
        raise NotFoundError(f"deal {deal_id} does not exist")
    return Deal.from_dict(doc)


def _check_rev(deal: Deal, expected_rev: int | None) -> None:
    # The store checks too; checking here first gives the message before any other refusal.
    if expected_rev is not None and deal.rev != expected_rev:
        raise ConflictError(
            f"deal {deal.id} was changed elsewhere (revision {deal.rev}, you had "
            f"{expected_rev}); reload it and try again"
        )


def entry_warnings(ws: Workspace, deal: Deal) -> tuple[str, list[ReliabilityWarning]]:
    """The client's name and its reliability warnings when ``deal`` is at Meeting or Closing:
    what the KAM must see before meeting the client or making the offer (empty elsewhere)."""
    client = ws.load("clients", Client, deal.client_id)
    if deal.stage not in (Stage.MEETING, Stage.CLOSING):
        return client.name, []
    return client.name, client_warnings(ws, client)


def reopen_deal(ws: Workspace, deal_id: str, *, expected_rev: int | None = None) -> Deal:
    """A lost deal goes back on the board, at the stage it was lost at (a new stay there,
    recorded as reopened)."""

    def reopen(deal: Deal, tx: TransactionPort) -> Deal:
        if deal.outcome != "lost":
            state = "won" if deal.outcome == "won" else "open"
            raise MoveRefused(f"deal {deal.id} is {state}; only a lost deal is reopened")
        tx.annotate(summary=f"reopened deal {deal.id} at {deal.stage.label}")
        entry = StageEntry(stage=deal.stage, entered_at=ws.now(), reason="reopened")
        return deal.evolve(
            outcome=None,
            lost_reason=None,
            lost_note="",
            closed_on=None,
            stage_history=(*deal.stage_history, entry),
        )

    return change_deal(ws, deal_id, expected_rev, reopen)
