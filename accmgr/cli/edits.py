"""``client edit``, ``contact edit``, ``deal edit`` and ``activity edit``: change a record's fields.

Each flag names one field; only the flags given are changed. Every value is parsed here and
validated by the record's model in the edit service before anything is written; the command
prints one line per changed field ("title: 'Old' → 'New'") or "nothing changed". ``--rev N``
refuses the edit if the record changed since the revision a script read (``show --json``).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from accmgr.cli.parser import UsageError

if TYPE_CHECKING:
    from accmgr.cli.parser import Parser, Subcommands
    from accmgr.services.edits import EditResult
    from accmgr.services.workspace import Workspace

_HERE = "accmgr.cli.edits:"
TIERS = ("key", "regular")
SOURCES = (
    "fair", "referral", "cold-list", "campaign", "competitor-client", "inbound", "repeat", "other",
)  # fmt: skip
NONE_WORDS = ("none", "-")


def register(sub: Subcommands) -> None:
    from accmgr.cli.accounts import CHANNELS, ROLES, _existing
    from accmgr.cli.parser import KINDS

    client = _existing(sub, "client").add_parser(
        "edit", help="change a client's fields; prints what changed"
    )
    client.set_defaults(handler=_HERE + "client_edit")
    client.add_argument("id", metavar="ID")
    for flag in ("name", "legal-name", "tax-id", "segment", "industry", "address", "website"):
        client.add_argument(f"--{flag}", metavar="TEXT")
    client.add_argument("--country", metavar="CC", help="two-letter code, e.g. PT ('none' clears)")
    client.add_argument("--language", metavar="LL", help="document language, e.g. pt")
    client.add_argument("--currency", metavar="CUR", help="ISO 4217 code, e.g. EUR")
    client.add_argument("--email", metavar="E", help="'none' clears it")
    client.add_argument("--phone", metavar="P")
    client.add_argument("--tier", choices=TIERS)
    client.add_argument("--owner", metavar="NAME")
    client.add_argument("--lead-source", metavar="TEXT")
    client.add_argument("--fit-notes", metavar="TEXT")
    _tag_flags(client)
    _rev_flag(client)

    contact = _existing(sub, "contact").add_parser(
        "edit", help="change a contact's fields; prints what changed"
    )
    contact.set_defaults(handler=_HERE + "contact_edit")
    contact.add_argument("id", metavar="ID")
    contact.add_argument("--name", metavar="TEXT")
    contact.add_argument("--title", metavar="TEXT")
    contact.add_argument("--role", choices=ROLES, metavar="ROLE", help=", ".join(ROLES))
    contact.add_argument("--phone", metavar="P")
    contact.add_argument("--email", metavar="E", help="'none' clears it")
    contact.add_argument("--channel", choices=CHANNELS, metavar="C", help=", ".join(CHANNELS))
    contact.add_argument("--notes", metavar="TEXT")
    _rev_flag(contact)

    deal = _existing(sub, "deal").add_parser(
        "edit", help="change a deal's fields; prints what changed"
    )
    deal.set_defaults(handler=_HERE + "deal_edit")
    deal.add_argument("id", metavar="ID")
    deal.add_argument("--title", metavar="TEXT")
    deal.add_argument("--value", metavar="N", help="e.g. 12500 or 12 500,50")
    deal.add_argument("--currency", metavar="C")
    deal_field_flags(deal, editing=True)
    deal.add_argument("--next-step", metavar="TEXT", help="what happens next ('none' clears)")
    deal.add_argument("--next-step-due", metavar="DATE", help="by when ('none' clears)")
    _rev_flag(deal)

    activity = _existing(sub, "activity").add_parser(
        "edit", help="change an activity's fields; prints what changed"
    )
    activity.set_defaults(handler=_HERE + "activity_edit")
    activity.add_argument("id", metavar="ID")
    activity.add_argument("--kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    activity.add_argument("--when", metavar="DATE", help="when it was done ('none': not done)")
    activity.add_argument("--due", metavar="DATE", help="when it is planned ('none' clears)")
    activity.add_argument(
        "--contact",
        action="append",
        metavar="ID",
        help="a contact of the client (repeat for several; replaces the list)",
    )
    activity.add_argument("--no-contacts", action="store_true", help="remove every contact")
    activity.add_argument("--note", metavar="TEXT")
    activity.add_argument("--outcome", metavar="TEXT")
    _rev_flag(activity)


def deal_field_flags(parser: Parser, *, editing: bool) -> None:
    """The forecasting fields ``deal add`` and ``deal edit`` share."""
    clear = " ('none' clears)" if editing else ""
    parser.add_argument("--close", metavar="DATE", help="expected close date" + clear)
    parser.add_argument(
        "--probability",
        metavar="PERCENT",
        help="override the stage's win probability"
        + (" ('default' returns to it)" if editing else ""),
    )
    parser.add_argument("--source", choices=SOURCES, metavar="S", help=", ".join(SOURCES))
    parser.add_argument(
        "--owner", metavar="NAME", help="default: you (user.name)" if not editing else None
    )
    _tag_flags(parser)


def _tag_flags(parser: Parser) -> None:
    parser.add_argument(
        "--tag", action="append", metavar="T", help="a tag (repeat for several; replaces the list)"
    )
    parser.add_argument("--no-tags", action="store_true", help="remove every tag")


def _rev_flag(parser: Parser) -> None:
    parser.add_argument(
        "--rev",
        type=int,
        metavar="N",
        help="refuse if the record changed since revision N (the 'rev' of show --json)",
    )


# --- parsing values ------------------------------------------------------------------------------


def _clears(text: str) -> bool:
    return text.strip().lower() in NONE_WORDS


def _day(ws: Workspace, text: str, field: str) -> date | None:
    from accmgr.domain.dates import parse_date

    if _clears(text):
        return None
    return parse_date(text, today=ws.today(), locale=ws.locale, field=field)


def _moment(ws: Workspace, text: str, field: str) -> date | datetime | None:
    from accmgr.domain.dates import parse_datetime

    if _clears(text):
        return None
    return parse_datetime(text, now=ws.now(), locale=ws.locale, field=field)


def _in_future(ws: Workspace, moment: date | datetime) -> bool:
    if isinstance(moment, datetime):
        return moment > ws.now()
    return moment > ws.today()


def _tags(args: argparse.Namespace, changes: dict[str, Any]) -> None:
    if args.no_tags and args.tag:
        raise UsageError("accmgr: --tag and --no-tags cannot go together")
    if args.no_tags:
        changes["tags"] = ()
    elif args.tag:
        changes["tags"] = tuple(dict.fromkeys(t.strip() for t in args.tag if t.strip()))


def _texts(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def _optional(text: str | None) -> str | None:
    """A value the user may clear with 'none'."""
    if text is None:
        return None
    return "" if _clears(text) else text


def deal_fields(ws: Workspace, args: argparse.Namespace) -> dict[str, Any]:
    """The forecasting fields given on the command line, as domain values."""
    from accmgr.domain.deal import LeadSource
    from accmgr.domain.money import parse_percent

    changes: dict[str, Any] = {}
    if args.close is not None:
        changes["expected_close"] = _day(ws, args.close, "close")
    if args.probability is not None:
        text = args.probability.strip().lower()
        changes["probability_override"] = (
            None if text == "default" else parse_percent(args.probability, "probability")
        )
    if args.source is not None:
        changes["source"] = LeadSource(args.source)
    if args.owner is not None:
        changes["owner"] = args.owner.strip()
    _tags(args, changes)
    return changes


def _print(result: EditResult[Any]) -> int:
    for line in result.describe():
        print(line)
    return 0


def _nothing_given(command: str) -> UsageError:
    return UsageError(f"accmgr {command}: nothing to change (see accmgr {command} --help)")


# --- the commands --------------------------------------------------------------------------------


def client_edit(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.client import Tier
    from accmgr.services.edits import edit_client

    changes = _texts(
        args,
        ("name", "legal_name", "tax_id", "segment", "industry", "address", "website", "phone",
         "language", "currency", "owner", "lead_source", "fit_notes"),
    )  # fmt: skip
    for name in ("country", "email"):
        value = _optional(getattr(args, name))
        if value is not None:
            changes[name] = value or None
    if args.tier is not None:
        changes["tier"] = Tier(args.tier)
    _tags(args, changes)
    if not changes:
        raise _nothing_given("client edit")
    return _print(edit_client(ws, args.id, changes, expected_rev=args.rev))


def contact_edit(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.client import Channel, DecisionRole
    from accmgr.services.edits import edit_contact

    changes = _texts(args, ("name", "title", "phone", "notes"))
    email = _optional(args.email)
    if email is not None:
        changes["email"] = email or None
    if args.role is not None:
        changes["role"] = DecisionRole(args.role)
    if args.channel is not None:
        changes["preferred_channel"] = Channel(args.channel)
    if not changes:
        raise _nothing_given("contact edit")
    return _print(edit_contact(ws, args.id, changes, expected_rev=args.rev))


def deal_edit(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.money import check_currency, parse_amount
    from accmgr.services.edits import edit_deal

    changes = _texts(args, ("title",))
    if args.currency is not None:
        changes["currency"] = check_currency(args.currency)
    if args.value is not None:
        changes["value"] = parse_amount(args.value, field="value")
    changes.update(deal_fields(ws, args))
    step = _optional(args.next_step)
    if step is not None:
        changes["next_step"] = step
        if not step:
            changes["next_step_due"] = None
    if args.next_step_due is not None:
        changes["next_step_due"] = _day(ws, args.next_step_due, "next-step-due")
    if not changes:
        raise _nothing_given("deal edit")
    return _print(edit_deal(ws, args.id, changes, expected_rev=args.rev))


def activity_edit(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.activity import ActivityKind
    from accmgr.errors import ValidationError
    from accmgr.services.edits import edit_activity

    changes = _texts(args, ("note", "outcome"))
    if args.kind is not None:
        changes["kind"] = ActivityKind(args.kind)
    if args.when is not None:
        done = _moment(ws, args.when, "when")
        if done is not None and _in_future(ws, done):
            raise ValidationError("when", f"{done.isoformat()} is in the future; use --due")
        changes["done_at"] = done
    if args.due is not None:
        changes["due"] = _moment(ws, args.due, "due")
    if args.no_contacts and args.contact:
        raise UsageError("accmgr: --contact and --no-contacts cannot go together")
    if args.no_contacts:
        changes["contact_ids"] = ()
    elif args.contact:
        changes["contact_ids"] = tuple(dict.fromkeys(c.strip().upper() for c in args.contact))
    if not changes:
        raise _nothing_given("activity edit")
    return _print(edit_activity(ws, args.id, changes, expected_rev=args.rev))
