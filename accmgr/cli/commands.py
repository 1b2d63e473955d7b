"""What each command does: parse its arguments into domain values, call a service, print.

Every value is checked before the store is touched, so a bad argument writes nothing.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.text import Text

from accmgr.cli import output
from accmgr.domain.activity import ActivityKind
from accmgr.domain.client import Tier
from accmgr.domain.deal import Deal, LostReason
from accmgr.domain.exchange import Conversion, NoRate, Total, missing_note
from accmgr.domain.reliability import labelled
from accmgr.domain.stages import Stage, criterion_text, parse_stage, unmet_criteria
from accmgr.errors import ValidationError
from accmgr.services import activities, clients, conversion, deals, reliability
from accmgr.services.deals import stage_context
from accmgr.services.workspace import Workspace


def client_add(ws: Workspace, args: argparse.Namespace) -> int:
    fields: dict[str, object] = {
        "segment": args.segment,
        "tier": Tier(args.tier),
        "tax_id": args.tax_id,
    }
    for name in ("country", "language", "currency", "email"):
        value = getattr(args, name)
        if value is not None:
            fields[name] = value
    client = clients.add_client(ws, args.name, **fields)
    print(client.id)
    from accmgr.cli.accounts import warn_duplicates

    warn_duplicates(ws, client.id, client.name, client.tax_id, client.email)
    return 0


def client_list(ws: Workspace, args: argparse.Namespace) -> int:
    found = clients.list_clients(ws)
    if args.json:
        at = conversion.reporting(ws)
        output.print_json(
            [
                {
                    **c.to_dict(),
                    "open_value": conversion.total_dict(conversion.open_value(ws, c.id, at)),
                }
                for c in found
            ]
        )
    else:
        output.console().print(output.clients_table(found))
    return 0


def client_show(ws: Workspace, args: argparse.Namespace) -> int:
    client = clients.get_client(ws, args.id)
    contacts = clients.contacts_of(ws, client.id)
    client_deals = [d for d in deals.list_deals(ws) if d.client_id == client.id]
    figures = client.reliability.figures(ws.today())
    # The same warnings as everywhere else the client appears (board, brief, Today).
    warnings = reliability.client_warnings(ws, client)
    open_value = conversion.open_value(ws, client.id)
    if args.json:
        data = client.to_dict()
        data["contacts"] = [c.to_dict() for c in contacts]
        data["deals"] = [d.id for d in client_deals]
        data["reliability_figures"] = reliability.figures_dict(figures)
        data["warnings"] = warnings
        data["warning_levels"] = [w.level.value for w in warnings]
        data["open_value"] = conversion.total_dict(open_value)
        output.print_json(data)
        return 0
    out = output.console()
    for warning in warnings:
        out.print(output.text(labelled(warning), style="bold red"))
    _print_open_value(out, open_value)
    out.print(output.assemble((f"{client.id}  {client.name}", "bold"), f"  {client.legal_name}"))
    out.print(
        output.text(
            f"{client.country or '—'} · {client.language} · {client.currency} · "
            f"{client.tier.value} · segment {client.segment or '—'} · owner {client.owner or '—'}"
        )
    )
    rating = client.reliability.rating
    out.print(output.text(f"Reliability: {rating.value} ({rating.meaning})"))
    if client.reliability.rating_note:
        out.print(output.text(f"Why: {client.reliability.rating_note}"))
    if figures.paid:
        out.print(
            f"Payments: {figures.paid} paid, average {figures.average_days_late} days late, "
            f"worst {figures.worst_days_late}, on time {figures.on_time_share:.0%}"
        )
    out.print(
        output.table(
            "Contacts",
            ("ID", "Name", "Role", "Phone", "E-mail", "Prefers"),
            (
                (c.id, c.name, c.role.value, c.phone, c.email or "", c.preferred_channel.value)
                for c in contacts
            ),
        )
    )
    out.print(output.deals_table(client_deals, {client.id: client.name}))
    return 0


def _print_open_value(out: Console, total: Total) -> None:
    """The open value in the reporting currency, each currency's part, and what has no rate."""
    if not total.parts:
        return
    line = f"Open value: {conversion.total_text(total, output.money)}"
    foreign = [p for p in total.converted if p.currency != total.currency]
    if foreign:
        line += " from " + " + ".join(output.money(p.amount, p.currency) for p in total.parts
                                      if p in total.converted)  # fmt: skip
    out.print(Text(line))
    for part in total.missing:
        hint = conversion.cli_hint(total.currency, part.currency)
        note = missing_note(part.count, "open deal", part.currency, hint)
        left_out = output.money(part.amount, part.currency)
        out.print(Text(f"! {note} ({left_out} left out)", style="yellow"))


def _converted_line(result: Conversion) -> Text:
    if isinstance(result, NoRate):
        hint = conversion.cli_hint(result.target, result.currency)
        return Text(f"In {result.target}: {result.reason} — add one {hint}", style="yellow")
    day = result.rate.day.isoformat() if result.rate.day else ""
    via = f" via {result.rate.via}" if result.rate.via else ""
    return Text(
        f"In {result.target}: {output.money(result.value, result.target)} "
        f"(1 {result.currency} = {result.rate.shown} {result.target}{via}, rate of {day})"
    )


def deal_add(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.money import parse_amount

    value = parse_amount(args.value, field="value") if args.value is not None else Decimal(0)
    from accmgr.cli.edits import deal_fields

    stage = parse_stage(args.stage) if args.stage else Stage.PROSPECTING
    fields = deal_fields(ws, args)
    deal = deals.add_deal(
        ws,
        args.client.upper(),
        args.title,
        value=value,
        currency=args.currency,
        stage=stage,
        reason=args.skip_reason,
        **fields,
    )
    print(deal.id)
    return 0


def deal_list(ws: Workspace, args: argparse.Namespace) -> int:
    stage = parse_stage(args.stage) if args.stage else None
    found = deals.list_deals(ws, stage=stage)
    if args.json:
        now, at = ws.now(), conversion.reporting(ws)
        output.print_json([deal_json(ws, d, now, at) for d in found])
        return 0
    names = {c.id: c.name for c in clients.list_clients(ws)}
    output.console().print(output.deals_table(found, names))
    return 0


def deal_show(ws: Workspace, args: argparse.Namespace) -> int:
    deal = deals.get_deal(ws, args.id)
    now = ws.now()
    unmet = unmet_criteria(deal, stage_context(ws, deal), ws.rules) if deal.is_open else []
    stalled = deal.stall_reasons(now, ws.rules)
    if args.json:
        output.print_json(deal_json(ws, deal, now, conversion.reporting(ws)))
        return 0
    _print_deal(ws, deal, unmet=[c.text for c in unmet], stalled=stalled)
    return 0


def deal_json(
    ws: Workspace, deal: Deal, now: datetime, at: conversion.Reporting
) -> dict[str, object]:
    """A deal with the figures computed from it: the same in ``deal show`` and ``deal list``."""
    unmet = unmet_criteria(deal, stage_context(ws, deal), ws.rules) if deal.is_open else []
    data = deal.to_dict()
    data["converted_value"] = conversion.conversion_dict(at.convert(deal.value, deal.currency))
    data["probability"] = str(deal.probability(ws.rules))
    data["stage_default_probability"] = str(ws.rules[deal.stage].default_probability)
    data["weighted_value"] = str(deal.weighted_value(ws.rules).quantize(Decimal("0.01")))
    data["days_in_stage"] = deal.days_in_stage(now)
    data["stalled"] = deal.stall_reasons(now, ws.rules)
    data["unmet_criteria"] = [{"id": c.id, "text": c.text} for c in unmet]
    return data


def _print_deal(ws: Workspace, deal: Deal, *, unmet: list[str], stalled: list[str]) -> None:
    out = output.console()
    client = clients.get_client(ws, deal.client_id)
    now = ws.now()
    out.print(
        output.assemble((f"{deal.id}  {deal.title}", "bold"), f"  — {client.name} ({client.id})")
    )
    default = ws.rules[deal.stage].default_probability
    probability = f"{deal.probability(ws.rules):.0f} %"
    if deal.probability_override is not None:
        probability += f" (override; stage default {default:.0f} %)"
    summary = (
        f"Stage {deal.stage.number} {deal.stage.label}, {deal.days_in_stage(now)} days · "
        f"{output.money(deal.value, deal.currency)} · probability {probability}"
    )
    out.print(output.text(summary + (f" · {deal.outcome}" if deal.outcome else "")))
    at = conversion.reporting(ws)
    if deal.currency != at.currency:
        out.print(_converted_line(at.convert(deal.value, deal.currency)))
    if deal.next_step:
        due = deal.next_step_due.isoformat() if deal.next_step_due else "no date"
        out.print(output.text(f"Next step: {deal.next_step} ({due})"))
    for reason in stalled:
        out.print(output.text(f"stalled: {reason}", style="yellow"))
    for text in unmet:
        out.print(output.text(f"to leave {deal.stage.label}: {text}", style="yellow"))
    out.print(
        output.table(
            "Stage history",
            ("Stage", "Entered", "Left", "Days", "Note"),
            (
                (
                    e.stage.label,
                    e.entered_at.strftime("%Y-%m-%d %H:%M"),
                    e.left_at.strftime("%Y-%m-%d %H:%M") if e.left_at else "",
                    str(e.days(now)),
                    _entry_note(e.skipped, e.unmet, e.reason),
                )
                for e in deal.stage_history
            ),
        )
    )


def _entry_note(skipped: tuple[Stage, ...], unmet: tuple[str, ...], reason: str) -> str:
    parts = []
    if skipped:
        parts.append("skipped " + ", ".join(s.label for s in skipped))
    if unmet:
        parts.append("unmet: " + "; ".join(criterion_text(c) for c in unmet))
    if reason:
        parts.append(f"reason: {reason}")
    return "; ".join(parts)


def deal_move(ws: Workspace, args: argparse.Namespace) -> int:
    deal = deals.move_deal(ws, args.id, parse_stage(args.stage), reason=args.skip_reason)
    print(f"{deal.id} is now at {deal.stage.label}")
    return 0


def deal_won(ws: Workspace, args: argparse.Namespace) -> int:
    deal = deals.win_deal(ws, args.id)
    print(f"{deal.id} won; now at {deal.stage.label}")
    return 0


def deal_complete(ws: Workspace, args: argparse.Namespace) -> int:
    deal = deals.complete_deal(ws, args.id)
    print(f"{deal.id} complete")
    return 0


def deal_lost(ws: Workspace, args: argparse.Namespace) -> int:
    deal = deals.lose_deal(ws, args.id, reason=LostReason(args.category), note=args.reason)
    print(f"{deal.id} lost ({deal.lost_reason}: {deal.lost_note})")
    return 0


def log(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.dates import parse_datetime

    now = ws.now()
    done: date | datetime | None
    due = parse_datetime(args.due, now=now, locale=ws.locale, field="due") if args.due else None
    if args.when:
        done = parse_datetime(args.when, now=now, locale=ws.locale, field="when")
        if _later_than_now(done, ws):
            raise ValidationError(
                "when", f"{done.isoformat()} is in the future; use --due for a planned activity"
            )
    else:
        done = None if due is not None else now
    extra: dict[str, object] = {}
    if args.repeat:
        extra["recurrence"] = args.repeat
    activity = activities.log_activity(
        ws,
        ActivityKind(args.kind),
        args.client.upper(),
        deal_id=args.deal.upper() if args.deal else None,
        done_at=done,
        due=due,
        note=args.note,
        **extra,
    )
    print(activity.id)
    return 0


def _later_than_now(value: object, ws: Workspace) -> bool:
    if isinstance(value, datetime):
        return value > ws.now()
    return isinstance(value, date) and value > ws.today()


def activity_list(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.dates import parse_date

    due_before = (
        parse_date(args.due_before, today=ws.today(), locale=ws.locale, field="due-before")
        if args.due_before
        else None
    )
    found = activities.list_activities(
        ws, client_id=args.client.upper() if args.client else None, due_before=due_before
    )
    if args.json:
        output.print_json([a.to_dict() for a in found])
    else:
        output.console().print(output.activities_table(found))
    return 0


def path_argument(text: str, field: str) -> Path:
    path = Path(text).expanduser()
    if not text.strip():
        raise ValidationError(field, "expected a file path")
    return path
