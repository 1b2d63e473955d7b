"""``accmgr rate …`` (also ``accmgr rates …``): exchange rates by hand or from the ECB's file.

Services and domain modules are imported inside the handlers: ``--help`` stays cheap.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from accmgr.cli.parser import Parser, UsageError

if TYPE_CHECKING:
    from accmgr.cli.parser import Subcommands
    from accmgr.services.rates import RatesWritten
    from accmgr.services.workspace import Workspace

_HERE = "accmgr.cli.rates:"


def register(sub: Subcommands) -> None:
    rate = sub.add_parser(
        "rate",
        aliases=["rates"],
        help="exchange rates for totals in the reporting currency: set, list, import",
    ).add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    put = rate.add_parser(
        "set",
        help="1 FROM = RATE TO on a day, e.g. rate set EUR PLN 4.2675",
        description="Store 1 FROM = RATE TO on DATE (default today); a rate already stored "
        "for that pair and day is replaced. Totals use the latest rate on or before their "
        "day, its inverse for the other direction, and cross rates through EUR.",
    )
    put.set_defaults(handler=_HERE + "rate_set")
    put.add_argument("base", metavar="FROM", help="ISO 4217 code, e.g. EUR")
    put.add_argument("quote", metavar="TO", help="ISO 4217 code, e.g. PLN")
    put.add_argument("rate", metavar="RATE", help="units of TO for one FROM, e.g. 4.2675")
    put.add_argument("--on", metavar="DATE", help="the rate's day (default: today)")

    listing = rate.add_parser("list", help="the newest rate of every pair, with its date")
    listing.set_defaults(handler=_HERE + "rate_list")
    listing.add_argument("--all", action="store_true", help="every stored rate, not the newest")
    listing.add_argument("--json", action="store_true")

    imp = rate.add_parser(
        "import",
        help="read the ECB's euro reference rates CSV (eurofxref.csv or eurofxref-hist.csv)",
        description="Reads the European Central Bank's euro foreign-exchange reference rates "
        "in its published CSV layout, daily or historical. The whole file is read or nothing: "
        "a bad line is named and nothing is imported (exit status 1). Importing a file again "
        "changes nothing.",
    )
    imp.set_defaults(handler=_HERE + "rates_import")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--since",
        metavar="DATE",
        help="only the days from DATE on (the full history is some 200 000 rates)",
    )
    imp.add_argument("--json", action="store_true")


def _usage(command: str, exc: Exception) -> UsageError:
    return UsageError(f"accmgr rate {command}: {exc} (see accmgr rate {command} --help)")


def rate_set(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.errors import ValidationError
    from accmgr.services.rates import read_rate, set_rate

    try:
        rate = read_rate(args.base, args.quote, args.rate, args.on, ws=ws)
    except ValidationError as exc:
        raise _usage("set", exc) from None
    written = set_rate(ws, rate.base, rate.quote, rate.rate, rate.day)
    said = f"1 {rate.base} = {rate.rate} {rate.quote} on {rate.day.isoformat()}"
    if written.added:
        print(f"{said}: saved")
    elif written.changed:
        print(f"{said}: saved (was {written.previous})")
    else:
        print(f"{said}: already stored, nothing changed")
    return 0


def rate_list(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.cli import output
    from accmgr.services.rates import rate_rows, reporting_currency

    rows = rate_rows(ws, every=args.all)
    if args.json:
        output.print_json(
            [
                {"from": r.base, "to": r.quote, "rate": str(r.rate), "date": r.day.isoformat()}
                for r in rows
            ]
        )
        return 0
    out = output.console()
    title = f"{len(rows)} rate(s); totals are shown in {reporting_currency(ws)}"
    out.print(
        output.table(
            title,
            ("From", "To", "Rate", "Date"),
            ((r.base, r.quote, str(r.rate), r.day.isoformat()) for r in rows),
        )
    )
    if not rows:
        print("no rates yet: add one with `accmgr rate set EUR PLN 4.2675` or import the ECB's")
    return 0


def _summary(written: RatesWritten) -> str:
    return (
        f"{written.added} new, {written.changed} changed, "
        f"{written.unchanged} already stored as they are"
    )


def rates_import(ws: Workspace, args: argparse.Namespace) -> int:
    from pathlib import Path

    from accmgr.cli import output
    from accmgr.domain.ecb import read_ecb_csv
    from accmgr.errors import AccmgrError, ValidationError
    from accmgr.services.rates import import_rates

    since = None
    if args.since:
        from accmgr.domain.dates import parse_date

        try:
            since = parse_date(args.since, today=ws.today(), locale=ws.locale, field="since")
        except ValidationError as exc:
            raise _usage("import", exc) from None
    path = Path(args.file).expanduser()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AccmgrError(f"rates import: {path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise AccmgrError(
            f"rates import: {path}: not UTF-8 text (byte {exc.start}); expected the ECB's CSV"
        ) from None
    except OSError as exc:
        raise AccmgrError(f"rates import: {path}: cannot be read ({exc.strerror})") from None
    try:
        read = read_ecb_csv(text)
    except ValidationError as exc:
        raise AccmgrError(f"rates import: {path} {exc}; nothing was imported") from None
    rates, days = read.rates, read.days
    if since is not None:
        rates = tuple(r for r in rates if r.day >= since)
        days = tuple(d for d in days if d >= since)
        if not days:
            raise AccmgrError(
                f"rates import: {path} has no day from {since.isoformat()} on (its last is "
                f"{read.days[-1].isoformat()}); nothing was imported"
            )
    written = import_rates(ws, rates)
    first, last = days[0].isoformat(), days[-1].isoformat()
    span = first if first == last else f"{first} to {last}"
    count = len(days)
    if args.json:
        output.print_json(
            {
                "file": str(path),
                "rates": len(rates),
                "days": count,
                "first_day": first,
                "last_day": last,
                "currencies": list(read.currencies),
                "added": written.added,
                "changed": written.changed,
                "unchanged": written.unchanged,
            }
        )
        return 0
    print(
        f"read {len(rates)} rates for {count} day{'s' if count != 1 else ''} ({span}) "
        f"from {path}: {_summary(written)}"
    )
    return 0
