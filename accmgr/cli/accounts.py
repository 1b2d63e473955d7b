"""Commands for accounts: the meeting brief, Today, merging clients, and recording payments,
red flags, reviews, contacts and complaints. Each parses its arguments into domain values
before calling one service, so a bad argument writes nothing."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from accmgr.domain.display import stored_money
from accmgr.domain.reliability import labelled
from accmgr.errors import ValidationError

if TYPE_CHECKING:
    from accmgr.cli.parser import Subcommands
    from accmgr.services.brief import Brief
    from accmgr.services.today import TodayList
    from accmgr.services.workspace import Workspace

_HERE = "accmgr.cli.accounts:"
ROLES = ("decision-maker", "influencer", "user", "gatekeeper", "champion", "blocker")
CHANNELS = ("phone", "email", "visit", "video", "messenger")
FLAGS = (
    "late-payments",
    "legal-disputes",
    "ownership-change",
    "unrealistic-demands",
    "contact-churn",
    "financial-distress",
    "other",
)
SEVERITIES = ("low", "medium", "high", "critical")
BANDS = ("<2M", "2-10M", "10-50M", "50-250M", ">250M")


def _actions(sub: Subcommands, name: str, help_text: str) -> Subcommands:
    from accmgr.cli.parser import Parser

    return sub.add_parser(name, help=help_text).add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )


def _existing(sub: Subcommands, name: str) -> Subcommands:
    """The ACTION subcommands of a command the core parser already defines (``client``)."""
    parser = sub.choices[name]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError(f"command {name!r} has no actions")  # pragma: no cover


def register(sub: Subcommands) -> None:
    brief = sub.add_parser(
        "brief", help="meeting briefs: warnings first, then the client, deal and what is open"
    )
    brief.set_defaults(handler=_HERE + "brief")
    brief.add_argument(
        "when",
        metavar="DATE|RANGE|ID",
        nargs="?",
        default="today",
        help="a day (tomorrow, 3 Dec), a range (2026-12-01..2026-12-05) or a deal/activity "
        "id (default: today)",
    )
    brief.add_argument("--json", action="store_true")
    brief.add_argument(
        "--pdf",
        metavar="FILE",
        help="write the briefs as one PDF in each client's language; prints its path and SHA-256",
    )

    today = sub.add_parser("today", help="what is due, overdue, stalled or expiring today")
    today.set_defaults(handler=_HERE + "today")
    today.add_argument("--json", action="store_true")
    today.add_argument(
        "--dormant-days",
        type=int,
        metavar="N",
        help="a key client without contact this long is dormant (default: today.dormant_days)",
    )

    client = _existing(sub, "client")
    merge = client.add_parser("merge", help="merge OTHER into KEEP; every record is kept")
    merge.set_defaults(handler=_HERE + "client_merge")
    merge.add_argument("keep", metavar="KEEP")
    merge.add_argument("other", metavar="OTHER")
    dupes = client.add_parser("duplicates", help="clients that look like the same company")
    dupes.set_defaults(handler=_HERE + "client_duplicates")
    dupes.add_argument("id", metavar="ID")

    payment = _actions(sub, "payment", "a client's invoices and when they were paid")
    add = payment.add_parser("add", help="record an invoice of the payment history")
    add.set_defaults(handler=_HERE + "payment_add")
    add.add_argument("client", metavar="CLIENT")
    add.add_argument("--invoice", required=True, metavar="NUMBER")
    add.add_argument("--amount", required=True, metavar="A")
    add.add_argument("--currency", metavar="CUR", help="default: the client's currency")
    add.add_argument("--due", required=True, metavar="DATE")
    add.add_argument("--paid", metavar="DATE")
    paid = payment.add_parser("paid", help="an invoice was paid")
    paid.set_defaults(handler=_HERE + "payment_paid")
    paid.add_argument("client", metavar="CLIENT")
    paid.add_argument("invoice", metavar="INVOICE")
    paid.add_argument("--on", default="today", metavar="DATE")

    flag = _actions(sub, "flag", "red flags on a client's reliability")
    fadd = flag.add_parser("add", help="raise a red flag")
    fadd.set_defaults(handler=_HERE + "flag_add")
    fadd.add_argument("client", metavar="CLIENT")
    fadd.add_argument("category", metavar="CATEGORY", choices=FLAGS, help=", ".join(FLAGS))
    fadd.add_argument("--note", required=True, metavar="TEXT")
    fadd.add_argument("--on", metavar="DATE", help="raised on (default: today)")
    fres = flag.add_parser("resolve", help="resolve red flag N (1 = first raised)")
    fres.set_defaults(handler=_HERE + "flag_resolve")
    fres.add_argument("client", metavar="CLIENT")
    fres.add_argument("number", metavar="N", type=int)
    fres.add_argument("--note", required=True, metavar="TEXT", help="how it was resolved")
    fres.add_argument("--on", metavar="DATE", help="resolved on (default: today)")

    review = sub.add_parser("review", help="record a reliability review of a client")
    review.set_defaults(handler=_HERE + "review")
    review.add_argument("client", metavar="CLIENT")
    review.add_argument("--rating", required=True, choices=("A", "B", "C", "D"))
    review.add_argument("--by", metavar="NAME", help="reviewer (default: you)")
    review.add_argument("--on", metavar="DATE", help="default: today")
    review.add_argument("--years", type=int, metavar="N", help="years in business")
    review.add_argument("--revenue", choices=BANDS, metavar="BAND", help=", ".join(BANDS))
    review.add_argument("--credit-limit", metavar="A")
    review.add_argument("--terms", type=int, metavar="DAYS", help="payment terms in days")
    review.add_argument("--note", metavar="TEXT", help="why the client is rated as it is")

    contact = _actions(sub, "contact", "a client's people")
    cadd = contact.add_parser("add", help="add a contact with their role; prints its id")
    cadd.set_defaults(handler=_HERE + "contact_add")
    cadd.add_argument("client", metavar="CLIENT")
    cadd.add_argument("name", metavar="NAME")
    cadd.add_argument("--role", required=True, choices=ROLES, metavar="ROLE", help=", ".join(ROLES))
    cadd.add_argument("--title", default="", metavar="TEXT")
    cadd.add_argument("--phone", default="", metavar="P")
    cadd.add_argument("--email", metavar="E")
    cadd.add_argument("--channel", choices=CHANNELS, metavar="C", help=", ".join(CHANNELS))

    complaint = _actions(sub, "complaint", "complaints and their escalation")
    kadd = complaint.add_parser("add", help="record a complaint; prints its id")
    kadd.set_defaults(handler=_HERE + "complaint_add")
    kadd.add_argument("client", metavar="CLIENT")
    kadd.add_argument("--what", required=True, metavar="TEXT")
    kadd.add_argument("--severity", default="medium", choices=SEVERITIES)
    kadd.add_argument("--deal", metavar="ID")
    kadd.add_argument("--on", metavar="DATE", help="raised on (default: today)")
    kesc = complaint.add_parser("escalate", help="escalate a complaint to someone")
    kesc.set_defaults(handler=_HERE + "complaint_escalate")
    kesc.add_argument("id", metavar="ID")
    kesc.add_argument("--to", required=True, metavar="WHO")
    kres = complaint.add_parser("resolve", help="a complaint is resolved")
    kres.set_defaults(handler=_HERE + "complaint_resolve")
    kres.add_argument("id", metavar="ID")
    kres.add_argument("--resolution", required=True, metavar="TEXT")
    kres.add_argument("--on", metavar="DATE", help="resolved on (default: today)")
    klist = complaint.add_parser("list", help="complaints of a client, newest first")
    klist.set_defaults(handler=_HERE + "complaint_list")
    klist.add_argument("client", metavar="CLIENT")
    klist.add_argument("--open", action="store_true", help="only unresolved ones")
    klist.add_argument("--json", action="store_true")


def _day(ws: Workspace, text: str | None, field: str) -> date | None:
    from accmgr.domain.dates import parse_date

    if text is None:
        return None
    return parse_date(text, today=ws.today(), locale=ws.locale, field=field)


def _id(text: str) -> str:
    return text.strip().upper()


# --- brief and today -------------------------------------------------------------------------


def brief(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import brief as service

    text = args.when.strip()
    if text[:2].upper() in ("D-", "A-"):
        found = [service.build_brief(ws, service.meeting_of(ws, text))]
    else:
        first, sep, last = text.partition("..")
        start = _day(ws, first, "date")
        end = _day(ws, last, "date") if sep else start
        assert start is not None and end is not None
        found = service.briefs_between(ws, start, end)
    if args.pdf:
        return _brief_pdf(ws, found, text, args.pdf)
    if args.json:
        from accmgr.cli import output

        output.print_json([b.to_dict() for b in found])
        return 0
    if not found:
        print(f"no meetings on {text}")
        return 0
    for number, item in enumerate(found):
        if number:
            print()
        _print_brief(item, ws.now())
    return 0


def _brief_pdf(ws: Workspace, found: list[Brief], text: str, pdf: str) -> int:
    """The briefs through the document machinery (templates/brief.html), rendered here."""
    from pathlib import Path

    from accmgr.documents.brief_pdf import render_briefs_pdf
    from accmgr.errors import AccmgrError
    from accmgr.services.documents import company_profile

    if not found:
        raise AccmgrError(f"no meetings on {text}; no PDF written")
    result = render_briefs_pdf(
        [b.to_dict() for b in found],
        company_profile(ws),
        Path(pdf).expanduser(),
        today=ws.today(),
        zone=ws.tz,
    )
    pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
    print(f"{result.path.resolve()}\t{result.sha256}\t{pages}")
    return 0


def _local(text: str | None, now: datetime) -> str:
    """An ISO moment of the brief as the KAM reads it, on their wall clock."""
    if not text:
        return "—"
    if len(text) <= 10:
        return f"{date.fromisoformat(text):%a %-d %b %Y}"
    moment = datetime.fromisoformat(text).astimezone(now.tzinfo)
    return f"{moment:%a %-d %b %Y %H:%M}"


def _print_brief(item: Brief, now: datetime) -> None:
    from accmgr.cli import output

    out = output.console()
    d = item.data
    client, meeting, deal = d["client"], d["meeting"], d["deal"]
    place = f" — {meeting['place']}" if meeting.get("place") else ""
    when = _local(meeting["when"], now)
    out.print(f"{when}  {client['name']} ({client['id']}){place}", style="bold", markup=False)
    if item.warnings:
        for warning in item.warnings:
            # Worst first, each with its glyph and severity: "⊘ STOP: rated D — …".
            out.print(labelled(warning), style="bold red", markup=False)
    else:
        out.print("no warnings", style="green")
    facts = [client["tier"], client["country"] or "", client["segment"], client["industry"]]
    out.print(" · ".join(f for f in facts if f), markup=False)
    out.print(
        f"last contact {_local(client['last_contact'], now) if client['last_contact'] else 'never'}"
        f" · owner {client['owner'] or '—'} · "
        f"{len(client['open_deals'])} open deal(s)",
        markup=False,
    )
    if meeting.get("agenda"):
        out.print(f"Agenda: {meeting['agenda']}", markup=False)
    if deal:
        out.print(
            f"Deal {deal['id']} {deal['title']}: {deal['stage_label']} ({deal['days_in_stage']} "
            f"days) · {stored_money(deal['value'], deal['currency'])} · {deal['probability']} % "
            f"(stage default {deal['stage_default_probability']} %)",
            markup=False,
        )
    rows: list[tuple[str, str, str]] = [
        (p["name"], p["role"] or "", p["title"]) for p in d["attendees"] if not p["ours"]
    ]
    out.print(output.table("Attendees", ("Name", "Role", "Title"), rows))
    _section(out, "Open needs", [f"{n['need']} ({n['priority']})" for n in d["open_needs"]])
    _section(
        out,
        "Open objections",
        [
            f"{o['category']}: {o['words']}" + (" [blocking]" if o["blocking"] else "")
            for o in d["open_objections"]
        ],
    )
    _section(
        out,
        "Last interactions",
        [
            f"{_local(i['at'], now)} {i['kind']}: {i['note'] or i['outcome']}"
            for i in d["last_interactions"]
        ],
    )
    today = now.date().isoformat()
    _section(
        out,
        "Promises and open tasks",
        [
            f"{_local(p['due'], now)} {p['what']}"
            + (" (overdue)" if p["due"] and p["due"][:10] < today else "")
            for p in d["promises"]
        ],
    )
    _section(
        out,
        "Open offers",
        [
            f"{o['offer']} valid until {_local(o['valid_until'], now)}"
            + (" (expired)" if o["expired"] else "")
            for o in d["open_offers"]
        ],
    )
    _section(
        out,
        "Open complaints",
        [f"{c['id']} {c['severity']}: {c['what']}" for c in d["open_complaints"]],
    )
    r = d["reliability"]
    f = r["figures"]
    age = (
        "never reviewed"
        if r["reviewed_on"] is None
        else f"reviewed {r['review_age_days']} days ago"
    )
    lines = [f"rating {r['rating']}: {r['meaning']} ({age})"]
    if f["paid"]:
        lines.append(
            f"{f['paid']} paid invoice(s): average {f['average_days_late']} days late, worst "
            f"{f['worst_days_late']}, on time {float(f['on_time_share']):.0%}"
        )
    for cur, amount in f["open_overdue"].items():
        lines.append(f"overdue: {stored_money(amount, cur)}")
    lines += [f"flag {fl['category']}: {fl['note']}" for fl in r["open_flags"]]
    _section(out, "Reliability", lines)


def _section(out: Any, title: str, lines: list[str]) -> None:
    if not lines:
        return
    out.print(f"[bold]{title}[/]")
    for line in lines:
        out.print(f"  {line}", markup=False)


def today(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import today as service

    days = args.dormant_days
    if days is None:
        days = ws.settings.dormant_days  # the today.dormant_days setting
    if days < 1:
        raise ValidationError(
            "dormant-days", f"expected a number of days of at least 1, got {days}"
        )
    found = service.build_today(ws, dormant_days=days)
    if args.json:
        from accmgr.cli import output

        output.print_json(found.to_dict())
        return 0
    _print_today(found)
    return 0


def _print_today(found: TodayList) -> None:
    from rich.markup import escape

    from accmgr.cli import output
    from accmgr.domain.text import visible
    from accmgr.services.today import SECTIONS

    out = output.console()
    for key, title in SECTIONS.items():
        items = found.sections.get(key, [])
        if not items:
            continue
        from rich.table import Table

        grid = Table(title=f"{title} ({len(items)})", title_justify="left", header_style="bold")
        for column in ("When", "ID", "Client", "What", "Note"):
            grid.add_column(column, no_wrap=column in ("When", "ID"))
        for i in items:
            name = ("! " if i.warnings else "") + i.client_name
            grid.add_row(
                _when(i.when), i.ref, *(escape(visible(t)) for t in (name, i.title, i.detail))
            )
        out.print(grid)
    if not found.items():
        out.print("Nothing due today.")


def _when(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text[:16].replace("T", " ")


# --- clients ---------------------------------------------------------------------------------


def client_merge(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.merge import merge_clients

    result = merge_clients(ws, args.keep, args.other)
    print(f"{_id(args.other)} merged into {result.client.id}: moved {result.describe()}")
    return 0


def client_duplicates(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.client import Client
    from accmgr.services.merge import find_duplicates

    client = ws.load("clients", Client, args.id)
    for dup in find_duplicates(ws, client.name, client.tax_id, client.email, exclude=client.id):
        print(dup.describe())
    return 0


def warn_duplicates(
    ws: Workspace, client_id: str, name: str, tax_id: str, email: str | None
) -> None:
    """After ``client add``: say on stderr which clients look like the same company."""
    from accmgr.services.merge import find_duplicates

    for dup in find_duplicates(ws, name, tax_id, email, exclude=client_id)[:5]:
        print(
            f"accmgr: warning: {client_id} may duplicate {dup.describe()}; "
            f"'accmgr client merge {dup.client.id} {client_id}' merges them",
            file=sys.stderr,
        )


# --- reliability -----------------------------------------------------------------------------


def payment_add(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.money import parse_amount
    from accmgr.services import reliability

    amount = parse_amount(args.amount, field="amount")
    due = _day(ws, args.due, "due")
    paid = _day(ws, args.paid, "paid")
    assert due is not None
    reliability.add_payment(
        ws,
        _id(args.client),
        invoice=args.invoice,
        amount=amount,
        currency=args.currency,
        due=due,
        paid=paid,
    )
    print(f"invoice {args.invoice.strip()} recorded for {_id(args.client)}")
    return 0


def payment_paid(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import reliability

    on = _day(ws, args.on, "on")
    assert on is not None
    reliability.mark_paid(ws, _id(args.client), args.invoice, on=on)
    print(f"invoice {args.invoice.strip()} of {_id(args.client)} paid on {on.isoformat()}")
    return 0


def flag_add(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.client import FlagCategory
    from accmgr.services import reliability

    on = _day(ws, args.on, "on")
    client = reliability.add_flag(
        ws, _id(args.client), FlagCategory(args.category), args.note, raised_on=on
    )
    print(f"red flag {len(client.reliability.red_flags)} raised on {client.id}")
    return 0


def flag_resolve(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import reliability

    on = _day(ws, args.on, "on")
    client = reliability.resolve_flag(ws, _id(args.client), args.number, args.note, on=on)
    print(f"red flag {args.number} of {client.id} resolved")
    return 0


def review(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.client import Rating, RevenueBand
    from accmgr.domain.money import parse_amount
    from accmgr.services import reliability

    on = _day(ws, args.on, "on")
    indicators: dict[str, Any] = {}
    if args.years is not None:
        indicators["years_in_business"] = args.years
    if args.revenue is not None:
        indicators["revenue_band"] = RevenueBand(args.revenue)
    if args.credit_limit is not None:
        indicators["credit_limit"] = parse_amount(args.credit_limit, field="credit-limit")
    if args.terms is not None:
        indicators["payment_terms_days"] = args.terms
    if args.note is not None:
        indicators["rating_note"] = args.note.strip()
    client = reliability.record_review(
        ws, _id(args.client), Rating(args.rating), reviewer=args.by, on=on, **indicators
    )
    rating = client.reliability.rating
    print(f"{client.id} rated {rating.value} ({rating.meaning})")
    return 0


def contact_add(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.client import Channel, DecisionRole
    from accmgr.services import clients

    fields: dict[str, Any] = {
        "role": DecisionRole(args.role),
        "title": args.title,
        "phone": args.phone,
    }
    if args.email is not None:
        fields["email"] = args.email
    if args.channel is not None:
        fields["preferred_channel"] = Channel(args.channel)
    contact = clients.add_contact(ws, _id(args.client), args.name, **fields)
    print(contact.id)
    return 0


def complaint_add(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.client import Severity
    from accmgr.services import reliability

    on = _day(ws, args.on, "on")
    complaint = reliability.add_complaint(
        ws,
        _id(args.client),
        args.what,
        severity=Severity(args.severity),
        deal_id=args.deal,
        raised_on=on,
    )
    print(complaint.id)
    return 0


def complaint_escalate(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import reliability

    complaint = reliability.escalate_complaint(ws, args.id, args.to)
    print(f"{complaint.id} escalated to {complaint.escalated_to}")
    return 0


def complaint_resolve(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import reliability

    on = _day(ws, args.on, "on")
    complaint = reliability.resolve_complaint(ws, args.id, args.resolution, on=on)
    print(f"{complaint.id} resolved on {complaint.resolved_on}")
    return 0


def complaint_list(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.cli import output
    from accmgr.domain.client import Client
    from accmgr.services import reliability

    client = ws.load("clients", Client, args.client)
    found = reliability.complaints_of(ws, client.id, open_only=args.open)
    if args.json:
        output.print_json([c.to_dict() for c in found])
        return 0
    output.console().print(
        output.table(
            f"{len(found)} complaint(s)",
            ("ID", "Severity", "Raised", "What", "Escalated to", "Resolved"),
            (
                (
                    c.id,
                    c.severity.value,
                    c.raised_on.isoformat(),
                    c.what,
                    c.escalated_to,
                    f"{c.resolved_on} {c.resolution}" if c.resolved_on else "",
                )
                for c in found
            ),
        )
    )
    return 0
