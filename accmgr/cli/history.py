"""Delete to the trash, restore, undo the last command-line change, and read the history."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rich.table import Table

from accmgr.cli import output

if TYPE_CHECKING:
    from accmgr.cli.parser import Subcommands
    from accmgr.services.workspace import Workspace

_HERE = "accmgr.cli.history:"
_DELETABLE = ("client", "deal", "contact", "activity", "product", "complaint")


def register(sub: Subcommands) -> None:
    from accmgr.cli.accounts import _existing
    from accmgr.cli.parser import Parser

    for noun in _DELETABLE:
        actions = _existing(sub, noun)
        delete = actions.add_parser(
            "delete", help=f"move a {noun} to the trash (accmgr trash restore brings it back)"
        )
        delete.set_defaults(handler=_HERE + "delete")
        delete.add_argument("id", metavar="ID")
        if noun == "client":
            delete.add_argument(
                "--with-deals", action="store_true", help="delete the client's deals too"
            )
    for noun in ("client", "deal"):
        history = _existing(sub, noun).add_parser(
            "history", help=f"every change to a {noun}: who, when, fields old → new"
        )
        history.set_defaults(handler=_HERE + "history")
        history.add_argument("id", metavar="ID")
        history.add_argument("--json", action="store_true")
    reopen = _existing(sub, "deal").add_parser(
        "reopen", help="a lost deal back to the stage it was lost at"
    )
    reopen.set_defaults(handler=_HERE + "reopen")
    reopen.add_argument("id", metavar="ID")

    trash = sub.add_parser("trash", help="deleted records: list, restore").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )
    listing = trash.add_parser("list", help="what waits in the trash, newest first")
    listing.set_defaults(handler=_HERE + "trash_list")
    listing.add_argument("--json", action="store_true")
    restore = trash.add_parser(
        "restore", help="put a deleted record back, with what was deleted with it"
    )
    restore.set_defaults(handler=_HERE + "trash_restore")
    restore.add_argument("id", metavar="ID", help="the trash id (TR-0001) or the record's id")

    undo = sub.add_parser("undo", help="undo the last change made from the command line")
    undo.set_defaults(handler=_HERE + "undo")


def delete(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import trash

    item = trash.delete(ws, args.id, with_deals=getattr(args, "with_deals", False))
    along = ", ".join(f"{n} {t}" for t, n in item.along.items())
    extra = f" with {along}" if along else ""
    print(f"deleted {item.label}{extra} (in the trash as {item.id}; accmgr undo brings it back)")
    return 0


def history(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.history import history as read_history

    noun = args.command
    table_name = "clients" if noun == "client" else "deals"
    lines = read_history(ws, args.id)
    if not lines and ws.store.get(table_name, args.id.strip().upper()) is None:
        from accmgr.errors import NotFoundError

        raise NotFoundError(f"{noun} {args.id} does not exist and has no history")
    if args.json:
        output.print_json([line.to_dict() for line in lines])
        return 0
    if not lines:
        print(f"{args.id.strip().upper()}: no recorded changes")
        return 0
    table = Table(show_header=True, header_style="bold", box=None)
    for column in ("when", "who", "change", "field", "old", "new"):
        table.add_column(column)
    for line in lines:
        undone = " (undone)" if line.undone else ""
        if line.op != "update" or not line.fields:
            table.add_row(
                line.at[:16].replace("T", " "),
                output.text(line.who or "—"),
                line.change_id + undone,
                line.op + "d",
                "",
                "",
            )
            continue
        for n, (name, old, new) in enumerate(line.fields):
            first = n == 0
            table.add_row(
                line.at[:16].replace("T", " ") if first else "",
                output.text(line.who or "—") if first else "",
                line.change_id + undone if first else "",
                output.text(name),
                output.text(old),
                output.text(new),
            )
    output.console().print(table)
    return 0


def reopen(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.deals import reopen_deal

    deal = reopen_deal(ws, args.id)
    print(f"{deal.id} reopened at {deal.stage.label}")
    return 0


def trash_list(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import trash

    items = trash.trash_list(ws)
    if args.json:
        output.print_json([i.to_dict() for i in items])
        return 0
    if not items:
        print("the trash is empty")
        return 0
    table = Table(show_header=True, header_style="bold", box=None)
    for column in ("trash", "record", "deleted", "by", "with"):
        table.add_column(column)
    for item in items:
        along = ", ".join(f"{n} {t}" for t, n in item.along.items())
        table.add_row(
            item.id,
            output.text(item.label),
            item.at[:16].replace("T", " "),
            output.text(item.who or "—"),
            along or "—",
        )
    output.console().print(table)
    return 0


def trash_restore(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services import trash

    item = trash.restore(ws, args.id)
    print(f"restored {item.label} from the trash")
    return 0


def undo(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.history import CLI_ORIGIN, undo_last

    what = undo_last(ws, CLI_ORIGIN)
    print(f"undid: {what}")
    return 0
