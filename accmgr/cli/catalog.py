"""``accmgr product …``: the catalog from the command line.

Services and domain modules are imported inside the handlers: ``--help`` stays cheap.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from accmgr.cli.parser import Parser

if TYPE_CHECKING:
    from decimal import Decimal

    from accmgr.cli.parser import Subcommands
    from accmgr.domain.catalog import Product
    from accmgr.services.workspace import Workspace

_HERE = "accmgr.cli.catalog:"


def register(sub: Subcommands) -> None:
    product = sub.add_parser(
        "product", help="the catalog: add, list, edit, deactivate, import a price list"
    ).add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    add = product.add_parser("add", help="add a product; prints its id")
    add.set_defaults(handler=_HERE + "product_add")
    add.add_argument("code", metavar="CODE", help="unique regardless of case, e.g. BOX-40")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--price", required=True, metavar="P", help="unit price, e.g. 12.50 or 12,50")
    add.add_argument("--currency", required=True, metavar="CUR", help="ISO 4217 code, e.g. EUR")
    add.add_argument("--tax-rate", required=True, metavar="PERCENT", help="e.g. 23 or 7,5")
    add.add_argument("--unit", default="pc", metavar="U", help="default: pc")
    add.add_argument("--description", default="", metavar="D")

    listing = product.add_parser("list", help="active products by code")
    listing.set_defaults(handler=_HERE + "product_list")
    listing.add_argument("--all", action="store_true", help="include deactivated products")
    listing.add_argument("--json", action="store_true")

    show = product.add_parser("show", help="one product")
    show.set_defaults(handler=_HERE + "product_show")
    show.add_argument("code", metavar="CODE")
    show.add_argument("--json", action="store_true")

    edit = product.add_parser("edit", help="change a product's fields")
    edit.set_defaults(handler=_HERE + "product_edit")
    edit.add_argument("code", metavar="CODE")
    edit.add_argument("--name", metavar="NAME")
    edit.add_argument("--price", metavar="P")
    edit.add_argument("--currency", metavar="CUR")
    edit.add_argument("--tax-rate", metavar="PERCENT")
    edit.add_argument("--unit", metavar="U")
    edit.add_argument("--description", metavar="D")
    edit.add_argument(
        "--rev", type=int, metavar="N", help="refuse if the product changed since revision N"
    )

    for action, text in (("deactivate", "hide from lists and new offers"), ("activate", "undo")):
        toggle = product.add_parser(action, help=text)
        toggle.set_defaults(handler=_HERE + f"product_{action}")
        toggle.add_argument("code", metavar="CODE")

    imp = product.add_parser(
        "import",
        help="add or update products from a CSV price list; reports every row",
        description=(
            "Columns: code,name,unit,unit_price,currency,tax_rate and optionally description "
            "and active (yes/no); comma- or semicolon-separated, UTF-8. An existing code is "
            "updated. A refused row writes nothing; the other rows are imported. Exit status 1 "
            "when any row was refused, or when the header is wrong (then nothing is imported)."
        ),
    )
    imp.set_defaults(handler=_HERE + "product_import")
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    imp.add_argument("--json", action="store_true")


def _price(text: str, currency: str) -> Decimal:
    from accmgr.domain.money import parse_amount

    return parse_amount(text, "price", currency=currency)


def product_add(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.money import check_currency, parse_percent
    from accmgr.services import catalog

    currency = check_currency(args.currency)
    product = catalog.add_product(
        ws,
        args.code,
        args.name,
        unit_price=_price(args.price, currency),
        currency=currency,
        tax_rate=parse_percent(args.tax_rate, "tax-rate"),
        unit=args.unit,
        description=args.description,
    )
    print(product.id)
    return 0


def _rows(products: list[Product]) -> list[tuple[str, ...]]:
    from accmgr.domain.display import money
    from accmgr.domain.document import number_text

    return [
        (
            p.code,
            p.name,
            p.unit,
            money(p.unit_price, p.currency, exact=True),
            p.currency,
            f"{number_text(p.tax_rate)} %",
            "yes" if p.active else "no",
        )
        for p in products
    ]


def product_list(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.cli import output
    from accmgr.services import catalog

    found = catalog.list_products(ws, include_inactive=args.all)
    if args.json:
        output.print_json([p.to_dict() for p in found])
        return 0
    columns = ("Code", "Name", "Unit", "Price", "Currency", "Tax", "Active")
    output.console().print(output.table(f"{len(found)} product(s)", columns, _rows(found)))
    return 0


def product_show(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.cli import output
    from accmgr.services import catalog

    product = catalog.get_product(ws, args.code)
    if args.json:
        output.print_json(product.to_dict())
        return 0
    out = output.console()
    code, name, unit, price, _currency, tax, active = _rows([product])[0]
    # Record text is printed as text, never as markup ("[conceal]" must not hide anything).
    out.print(output.assemble((code, "bold"), f"  {name}  ({product.id})"))
    out.print(f"{price} per {unit} · tax {tax} · active: {active}", markup=False)
    if product.description:
        out.print(product.description, markup=False)
    return 0


def product_edit(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.domain.money import check_currency, parse_percent
    from accmgr.services import catalog

    changes: dict[str, object] = {}
    for name in ("name", "unit", "description"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.currency is not None:
        changes["currency"] = check_currency(args.currency)
    if args.tax_rate is not None:
        changes["tax_rate"] = parse_percent(args.tax_rate, "tax-rate")
    if args.price is not None:
        currency = changes.get("currency") or catalog.get_product(ws, args.code).currency
        changes["unit_price"] = _price(args.price, str(currency))
    if not changes:
        from accmgr.cli.parser import UsageError

        raise UsageError("accmgr product edit: nothing to change (see accmgr product edit --help)")
    from accmgr.services.edits import edit_product

    for line in edit_product(ws, args.code, changes, expected_rev=args.rev).describe():
        print(line)
    return 0


def product_deactivate(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import catalog

    product = catalog.set_active(ws, args.code, False)
    print(f"{product.code} deactivated")
    return 0


def product_activate(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import catalog

    product = catalog.set_active(ws, args.code, True)
    print(f"{product.code} active")
    return 0


def product_import(ws: Workspace, args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from accmgr.cli import output
    from accmgr.services import catalog

    path = Path(args.file).expanduser()
    text = catalog.read_price_list_file(path)
    report = catalog.import_price_list(ws, text, dry_run=args.dry_run)
    if args.json:
        output.print_json(report.to_dict())
    else:
        for row in report.rows:
            print(row.describe())
        print(report.summary())
    if report.refused:
        print(
            f"accmgr: {len(report.refused)} row(s) of {path} refused; the report says why",
            file=sys.stderr,
        )
        return 1
    return 0
