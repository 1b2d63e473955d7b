"""``accmgr offer …`` and ``accmgr contract …``: documents from the command line.

Services and domain modules are imported inside the handlers: ``--help`` stays cheap.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from accmgr.cli.parser import Parser
from accmgr.domain.offer_diff import field_words

if TYPE_CHECKING:
    from decimal import Decimal

    from accmgr.cli.parser import Subcommands
    from accmgr.domain.document import Document
    from accmgr.services.workspace import Workspace

_HERE = "accmgr.cli.offers:"
_REF = "DOC-0007, OFR-2026-0001 (latest version) or OFR-2026-0001@2"


def _terms(parser: argparse.ArgumentParser, *, editing: bool) -> None:
    parser.add_argument("--language", metavar="LL", help="document language (default: client's)")
    parser.add_argument("--currency", metavar="CUR", help="default: the client's currency")
    parser.add_argument(
        "--valid-until",
        metavar="DATE",
        help="e.g. 2026-12-31, +30d, end of month (default at issue: + offer validity days)",
    )
    parser.add_argument("--discount", metavar="PCT", help="document discount, 0–100 %%")
    parser.add_argument("--payment-terms", metavar="TEXT")
    parser.add_argument("--special-terms", metavar="TEXT")
    parser.add_argument("--title", metavar="TEXT", help="default: the deal's title")
    if editing:
        clause = parser.add_mutually_exclusive_group()
        clause.add_argument("--referral-clause", action="store_true", default=None)
        clause.add_argument("--no-referral-clause", dest="referral_clause", action="store_false")
    else:
        parser.add_argument("--referral-clause", action="store_true")


def register(sub: Subcommands) -> None:
    offer = sub.add_parser(
        "offer", help="offers: draft, lines, issue, versions, accept, diff"
    ).add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)

    new = offer.add_parser("new", help="a draft offer for a deal; prints its id (DOC-…)")
    new.set_defaults(handler=_HERE + "offer_new")
    new.add_argument("deal", metavar="DEAL_ID")
    _terms(new, editing=False)

    add = offer.add_parser("add-line", help="add a catalog product to a draft")
    add.set_defaults(handler=_HERE + "offer_add_line")
    add.add_argument("ref", metavar="ID", help=_REF)
    add.add_argument("--product", required=True, metavar="CODE")
    add.add_argument("--qty", required=True, metavar="Q", help="greater than 0, e.g. 10 or 2,5")
    add.add_argument("--price", metavar="P", help="unit price (default: the catalog's)")
    add.add_argument("--discount", metavar="PERCENT", help="line discount, 0–100 %%")
    add.add_argument("--description", metavar="TEXT", help="default: the product's name")

    remove = offer.add_parser("remove-line", help="remove line N (1 = first) from a draft")
    remove.set_defaults(handler=_HERE + "offer_remove_line")
    remove.add_argument("ref", metavar="ID", help=_REF)
    remove.add_argument("position", metavar="N", type=int)

    terms = offer.add_parser("set", help="change a draft's terms")
    terms.set_defaults(handler=_HERE + "offer_set")
    terms.add_argument("ref", metavar="ID", help=_REF)
    _terms(terms, editing=True)

    for name, text in (
        ("issue", "freeze a draft: number, dates, snapshot, status sent; prints the number"),
        ("revise", "a new draft version of an issued offer; prints the draft's id"),
        ("accept", "the client accepted the offer"),
        ("reject", "the client rejected the offer"),
    ):
        action = offer.add_parser(name, help=text)
        action.set_defaults(handler=_HERE + f"offer_{name}")
        action.add_argument("ref", metavar="NUMBER", help=_REF)
        if name in ("issue", "accept"):
            _despite_flag(action)

    show = offer.add_parser("show", help="one offer: lines, each figure, totals, status")
    show.set_defaults(handler=_HERE + "document_show")
    show.add_argument("ref", metavar="NUMBER|ID", help=_REF)
    show.add_argument("--json", action="store_true")

    listing = offer.add_parser("list", help="offers, by number and version")
    listing.set_defaults(handler=_HERE + "offer_list")
    listing.add_argument("--deal", metavar="ID")
    listing.add_argument("--json", action="store_true")

    diff = offer.add_parser(
        "diff",
        help="what changed from A to B: lines added, removed, changed, and totals",
        description=(
            "A and B name versions as NUMBER@VERSION, e.g. "
            "'accmgr offer diff OFR-2026-0001@1 OFR-2026-0001@2'; a draft by its id (DOC-0007)."
        ),
    )
    diff.set_defaults(handler=_HERE + "offer_diff")
    diff.add_argument("old", metavar="A", help="e.g. OFR-2026-0001@1")
    diff.add_argument("new", metavar="B", help="e.g. OFR-2026-0001@2")
    diff.add_argument("--json", action="store_true")

    contract = sub.add_parser("contract", help="contracts from accepted offers").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )
    make = contract.add_parser(
        "from-offer",
        help="make and issue the contract of an accepted offer; prints its number",
        description=(
            "The contract is issued at once (number CTR-YYYY-NNNN): its lines, prices and "
            "terms are the accepted offer's, so there is no draft to edit."
        ),
    )
    make.set_defaults(handler=_HERE + "contract_from_offer")
    make.add_argument("ref", metavar="NUMBER", help="the accepted offer, e.g. OFR-2026-0001")
    make.add_argument("--subject", default="", metavar="TEXT", help="default: the offer's title")
    make.add_argument("--delivery-terms", default="", metavar="TEXT")
    make.add_argument("--our-signatory", metavar="NAME", help="default: the company's name")
    make.add_argument("--their-signatory", metavar="NAME", help="default: client's legal name")
    _despite_flag(make)
    cshow = contract.add_parser("show", help="one contract")
    cshow.set_defaults(handler=_HERE + "document_show")
    cshow.add_argument("ref", metavar="NUMBER|ID")
    cshow.add_argument("--json", action="store_true")
    clist = contract.add_parser("list", help="contracts by number")
    clist.set_defaults(handler=_HERE + "contract_list")
    clist.add_argument("--deal", metavar="ID")
    clist.add_argument("--json", action="store_true")


# --- parsing arguments -----------------------------------------------------------------------


def _percent(text: str | None, field: str) -> Decimal | None:
    from accmgr.domain.money import parse_percent

    return None if text is None else parse_percent(text, field)


def _amount(text: str | None, field: str) -> Decimal | None:
    from accmgr.domain.money import parse_amount

    return None if text is None else parse_amount(text, field)


def _term_changes(ws: Workspace, args: argparse.Namespace) -> dict[str, Any]:
    from accmgr.domain.dates import parse_date

    changes: dict[str, Any] = {}
    for name in ("language", "currency", "payment_terms", "special_terms", "title"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.valid_until is not None:
        changes["valid_until"] = parse_date(
            args.valid_until, today=ws.today(), locale=ws.locale, field="valid-until"
        )
    if args.discount is not None:
        changes["document_discount"] = _percent(args.discount, "discount")
    if args.referral_clause is not None:
        changes["referral_clause"] = args.referral_clause
    return changes


# --- offers ----------------------------------------------------------------------------------


def offer_new(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import documents

    doc = documents.new_offer(ws, args.deal, **_term_changes(ws, args))
    print(doc.id)
    return 0


def offer_add_line(ws: Workspace, args: argparse.Namespace) -> int:
    from decimal import Decimal

    from accmgr.services import documents

    quantity = _amount(args.qty, "qty")
    assert quantity is not None  # required by the parser
    doc = documents.add_line(
        ws,
        args.ref,
        args.product,
        quantity,
        unit_price=_amount(args.price, "price"),
        discount=_percent(args.discount, "discount") or Decimal(0),
        description=args.description,
    )
    print(f"{doc.ref}: line {len(doc.lines)} added")
    return 0


def offer_remove_line(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import documents

    doc = documents.remove_line(ws, args.ref, args.position)
    print(f"{doc.ref}: line {args.position} removed, {len(doc.lines)} left")
    return 0


def offer_set(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.cli.parser import UsageError
    from accmgr.services import documents

    changes = _term_changes(ws, args)
    if not changes:
        raise UsageError("accmgr offer set: nothing to change (see accmgr offer set --help)")
    doc = documents.set_terms(ws, args.ref, **changes)
    print(f"{doc.ref} updated")
    return 0


def _despite_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--despite",
        metavar="REASON",
        help="go ahead although the client has a stop reliability warning; the reason is "
        "kept on the document",
    )


_T = TypeVar("_T")


def _unless_stopped(step: Callable[[], _T]) -> _T:
    """Run a step that commits the company; a stop warning without a reason is refused with
    the warnings named and the flag that overrides them."""
    from accmgr.errors import AccmgrError
    from accmgr.services.reliability import ReliabilityStop

    try:
        return step()
    except ReliabilityStop as exc:
        raise AccmgrError(
            f'{exc}; to go ahead anyway, give the reason: --despite "REASON"'
        ) from None


def offer_issue(ws: Workspace, args: argparse.Namespace) -> int:
    import sys

    from accmgr.services import documents, issuing

    number = _unless_stopped(lambda: issuing.issue(ws, args.ref, despite=args.despite)).number
    print(number)
    missing = documents.missing_company_fields(ws)
    if missing:
        # A warning, not a refusal: the offer is issued, but it prints blanks where they are.
        print(
            f"warning: {number} was issued with an empty company profile ({', '.join(missing)}); "
            "set them in Settings (F8) or under [company] in config.toml",
            file=sys.stderr,
        )
    return 0


def offer_revise(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import issuing

    print(issuing.revise(ws, args.ref).id)
    return 0


def offer_accept(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import issuing

    doc = _unless_stopped(lambda: issuing.accept(ws, args.ref, despite=args.despite))
    print(f"{doc.ref} accepted")
    return 0


def offer_reject(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import issuing

    doc = issuing.reject(ws, args.ref)
    print(f"{doc.ref} rejected")
    return 0


def document_show(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.cli import output
    from accmgr.domain.document import DocumentKind
    from accmgr.errors import NotFoundError
    from accmgr.services import documents

    doc = documents.get_document(ws, args.ref)
    wanted = DocumentKind.CONTRACT if args.command == "contract" else DocumentKind.OFFER
    if doc.kind is not wanted:
        raise NotFoundError(f"{doc.ref} is a {doc.kind.value}, not an {args.command}")
    data = documents.view(ws, doc)
    if args.json:
        output.print_json(data)
        return 0
    _print_document(data)
    return 0


def _print_document(data: dict[str, Any]) -> None:
    from accmgr.cli import output

    out = output.console()
    cur = data["currency"]
    heading = f"{data['number']} v{data['version']}" if data["number"] else data["id"]
    # Record text is printed as text, never as markup ("[conceal]" must not hide anything).
    out.print(output.assemble((heading, "bold"), f"  {data['title'] or ''}  — {data['status']}"))
    client = data["client"]
    out.print(
        f"{client['name']} ({client['id']}) · deal {data['deal']['id']} · {data['language']}"
        f" · {cur} · issued {data['issued_on'] or '—'} · valid until {data['valid_until'] or '—'}",
        markup=False,
    )
    out.print(
        output.table(
            None,
            ("#", "Code", "Description", "Qty", "Unit", "Price", "Disc.", "Tax", "Net"),
            (
                (
                    str(line["position"]),
                    line["product_code"],
                    line["description"],
                    line["quantity"],
                    line["unit"],
                    line["unit_price"],
                    f"{line['discount']} %",
                    f"{line['tax_rate']} %",
                    line["net"],
                )
                for line in data["lines"]
            ),
        )
    )
    totals = data["totals"]
    out.print(f"Subtotal {totals['subtotal']} {cur}")
    if totals["document_discount"] != "0":
        out.print(
            f"Discount {totals['document_discount']} %: −{totals['document_discount_amount']} {cur}"
        )
    out.print(f"Net {totals['net']} {cur}")
    for tax in totals["taxes"]:
        out.print(f"Tax {tax['rate']} % on {tax['base']}: {tax['tax']} {cur}")
    out.print(f"[bold]Total {totals['total']} {cur}[/]")
    for label, key in (("Payment", "payment_terms"), ("Special terms", "special_terms")):
        if data[key]:
            out.print(f"{label}: {data[key]}", markup=False)
    if data.get("offer_number"):
        out.print(f"From offer {data['offer_number']} · subject: {data['subject']}", markup=False)
    for override in data.get("overrides") or ():
        out.print(
            f"{override['on']}: {override['step']} despite "
            f"{'; '.join(override['warnings'])} — by {override['by'] or '—'}: {override['reason']}",
            markup=False,
        )


def _list(ws: Workspace, args: argparse.Namespace, found: list[Document]) -> int:
    from accmgr.cli import output
    from accmgr.services import documents

    views = [documents.view(ws, d) for d in found]
    if args.json:
        keys = ("id", "ref", "kind", "number", "version", "status", "deal_id", "client_id",
                "currency", "issued_on", "valid_until", "title")  # fmt: skip
        output.print_json(
            [{k: v[k] for k in keys} | {"total": v["totals"]["total"]} for v in views]
        )
        return 0
    listing = output.table(
        f"{len(views)} document(s)",
        ("ID", "Number", "Status", "Deal", "Client", "Total", "Valid until"),
        (
            (
                v["id"],
                f"{v['number']}@{v['version']}" if v["number"] else "",
                v["status"],
                v["deal_id"] or "",
                v["client"]["name"],
                f"{v['totals']['total']} {v['currency']}",
                v["valid_until"] or "",
            )
            for v in views
        ),
    )
    for column in listing.columns:
        # Ids, numbers, figures and dates read badly when broken; only the name wraps.
        column.no_wrap = column.header != "Client"
    output.console().print(listing)
    return 0


def offer_list(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.document import DocumentKind
    from accmgr.services import documents

    return _list(ws, args, documents.list_documents(ws, kind=DocumentKind.OFFER, deal_id=args.deal))


def contract_list(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.document import DocumentKind
    from accmgr.services import documents

    found = documents.list_documents(ws, kind=DocumentKind.CONTRACT, deal_id=args.deal)
    return _list(ws, args, found)


def offer_diff(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.cli import output
    from accmgr.domain.display import change_text, line_change_text, stored_money, stored_number
    from accmgr.services import documents

    result = documents.diff(ws, args.old, args.new)
    if args.json:
        output.print_json(result.to_dict())
        return 0
    data = result.to_dict()
    cur = data["currency"]
    print(f"{data['old']} → {data['new']}")
    if result.is_empty:
        print("no differences")
        return 0
    for sign, key in (("+", "added"), ("-", "removed")):
        for line in data["lines"][key]:
            print(
                f"{sign} line {line['position']} {line['product_code']} {line['description']}: "
                f"{stored_number(line['quantity'])} {line['unit']} × "
                f"{stored_money(line['unit_price'], cur)} = {stored_money(line['net'], cur)}"
            )
    for change in data["lines"]["changed"]:
        fields = ", ".join(line_change_text(name, c, cur) for name, c in change["fields"].items())
        print(f"~ line {change['new_position']} {change['product_code']}: {fields}")
    for name, c in data["terms"].items():
        print(f"~ {field_words(name)}: {c['old']} → {c['new']}")
    # The same figures as the app's diff: money in the user's locale, every change signed.
    for name, c in data["totals"].items():
        print(f"  {field_words(name)}: {change_text(name, c, cur)}")
    for rate, c in data["taxes"].items():
        print(f"  tax {rate} %: {change_text('tax', c, cur)}")
    return 0


# --- contracts -------------------------------------------------------------------------------


def contract_from_offer(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import issuing

    doc = _unless_stopped(
        lambda: issuing.contract_from_offer(
            ws,
            args.ref,
            subject=args.subject,
            delivery_terms=args.delivery_terms,
            our_signatory=args.our_signatory,
            their_signatory=args.their_signatory,
            despite=args.despite,
        )
    )
    print(doc.number)
    return 0
