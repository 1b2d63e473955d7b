"""The command line's grammar. Kept apart from what the commands do, so ``--help`` is cheap."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import TYPE_CHECKING, NoReturn, TypeAlias

from accmgr import __version__

KINDS = ("call", "meeting", "email", "visit", "presentation", "task", "note")
STAGES = "prospecting, call, meeting, needs, objections, closing, fulfilment, referrals (or 1–8)"
LOST_REASONS = (
    "price",
    "competitor",
    "no-budget",
    "no-decision",
    "timing",
    "product-fit",
    "reliability",
    "other",
)


# Handlers are named, not imported, so that parsing (and --help) stays cheap.
_COMMANDS = "accmgr.cli.commands:"

# Modules that add their own commands: each has ``register(sub)``, adding subparsers whose
# leaves ``set_defaults(handler="module:function")`` taking (workspace, args) -> exit status.
FEATURES: tuple[str, ...] = (
    "accmgr.cli.catalog",
    "accmgr.cli.offers",
    "accmgr.cli.render",
    "accmgr.cli.accounts",
    "accmgr.cli.rates",
    "accmgr.cli.actions",  # adds to ``activity`` and ``deal``: after the core commands
    "accmgr.cli.edits",  # ``… edit`` of client, contact, deal, activity: after those exist
    "accmgr.cli.history",  # adds ``delete`` and ``history`` to the record commands
)


class UsageError(Exception):
    """Bad arguments: one line for stderr, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line instead of usage text and exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> Parser:
    root = Parser(
        prog="accmgr",
        description=(
            "Key-account management in the terminal. Without a command: the full-screen app."
        ),
    )
    root.add_argument("--version", action="version", version=f"accmgr {__version__}")
    root.add_argument(
        "--data",
        metavar="DIR",
        help="database directory (default: $ACCMGR_DATA, else the XDG data directory)",
    )
    root.add_argument(
        "--init",
        action="store_true",
        help="make a database in DIR although it is not empty (refused without: a typo in "
        "--data must not fill some other folder)",
    )
    root.add_argument(
        "--open",
        dest="open_section",  # subcommands have their own --open flags
        metavar="SECTION",
        help="start the app on this section, e.g. pipeline or settings",
    )
    sub = root.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    demo = sub.add_parser("demo", help="fill the database with realistic demo data")
    demo.add_argument("--scale", choices=("small", "kam", "large"), default="small")
    demo.add_argument("--seed", type=int, default=0, metavar="N")
    demo.add_argument("--force", action="store_true", help="replace a non-empty database's records")

    _client_commands(sub)
    _deal_commands(sub)
    log = sub.add_parser("log", help="log an activity; prints its id")
    log.set_defaults(handler=_COMMANDS + "log")
    log.add_argument("kind", metavar="KIND", choices=KINDS, help=", ".join(KINDS))
    log.add_argument("--client", required=True, metavar="ID")
    log.add_argument("--deal", metavar="ID")
    log.add_argument("--when", metavar="DATE", help="when it happened (default: now, unless --due)")
    log.add_argument("--due", metavar="DATE", help="when it is planned or due")
    log.add_argument("--note", default="", metavar="TEXT")
    log.add_argument("--repeat", metavar="RRULE", help="recurrence, e.g. FREQ=MONTHLY;BYMONTHDAY=1")

    activity = sub.add_parser(
        "activity", help="list activities; done, snooze, reschedule"
    ).add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    act_list = activity.add_parser("list", help="activities, soonest first")
    act_list.set_defaults(handler=_COMMANDS + "activity_list")
    act_list.add_argument("--client", metavar="ID")
    act_list.add_argument("--due-before", metavar="DATE", help="only open items due before DATE")
    act_list.add_argument("--json", action="store_true")

    for feature in FEATURES:
        importlib.import_module(feature).register(sub)

    check = sub.add_parser("check", help="verify the database; exit 1 if damaged")
    check.add_argument(
        "--fix",
        action="store_true",
        help="first narrow the permissions of your files to 0600 and folders to 0700",
    )
    backup = sub.add_parser(
        "backup", help="write a consistent copy of the database; prints its path"
    )
    backup.add_argument("--to", metavar="FILE", help="where (default: the database's backups/)")
    restore = sub.add_parser(
        "restore", help="replace the database with a backup (the current state is kept aside)"
    )
    restore.add_argument("file", metavar="FILE")
    return root


if TYPE_CHECKING:  # argparse's class is not subscriptable at run time
    Subcommands: TypeAlias = argparse._SubParsersAction[Parser]


def _client_commands(sub: Subcommands) -> None:
    client = sub.add_parser("client", help="add, list and show clients").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )
    add = client.add_parser("add", help="create a client; prints its id")
    add.set_defaults(handler=_COMMANDS + "client_add")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--country", metavar="CC", help="two-letter country code, e.g. PT")
    add.add_argument("--language", metavar="LL", help="document language, e.g. pt")
    add.add_argument("--currency", metavar="CUR", help="ISO 4217 code, e.g. EUR")
    add.add_argument("--segment", metavar="S", default="")
    add.add_argument("--tier", choices=("key", "regular"), default="regular")
    add.add_argument("--tax-id", metavar="T", default="")
    add.add_argument("--email", metavar="E")
    listing = client.add_parser("list", help="every client, by name")
    listing.set_defaults(handler=_COMMANDS + "client_list")
    listing.add_argument("--json", action="store_true")
    show = client.add_parser("show", help="one client with contacts, reliability and deals")
    show.set_defaults(handler=_COMMANDS + "client_show")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true")


def _deal_commands(sub: Subcommands) -> None:
    deal = sub.add_parser("deal", help="add, list, show and move deals").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )
    add = deal.add_parser("add", help="create a deal; prints its id")
    add.set_defaults(handler=_COMMANDS + "deal_add")
    add.add_argument("client", metavar="CLIENT_ID")
    add.add_argument("title", metavar="TITLE")
    add.add_argument("--value", metavar="N", help="e.g. 12500 or 12 500,50")
    add.add_argument("--currency", metavar="C", help="default: the client's currency")
    add.add_argument("--stage", metavar="S", help=f"{STAGES}; past prospecting needs --skip-reason")
    add.add_argument("--skip-reason", metavar="TEXT", default="")
    from accmgr.cli.edits import deal_field_flags  # here: edits imports this module

    deal_field_flags(add, editing=False)
    listing = deal.add_parser("list", help="deals in stage order")
    listing.set_defaults(handler=_COMMANDS + "deal_list")
    listing.add_argument("--stage", metavar="S", help=STAGES)
    listing.add_argument("--json", action="store_true")
    show = deal.add_parser("show", help="one deal with its stage history")
    show.set_defaults(handler=_COMMANDS + "deal_show")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true")
    move = deal.add_parser("move", help="move a deal to another stage")
    move.set_defaults(handler=_COMMANDS + "deal_move")
    move.add_argument("id", metavar="ID")
    move.add_argument("stage", metavar="STAGE", help=STAGES)
    move.add_argument(
        "--skip-reason",
        metavar="TEXT",
        default="",
        help="move anyway although criteria are unmet or stages skipped; recorded",
    )
    won = deal.add_parser("won", help="the contract is signed: won, on to fulfilment")
    won.set_defaults(handler=_COMMANDS + "deal_won")
    won.add_argument("id", metavar="ID")
    complete = deal.add_parser(
        "complete",
        help="the contract is seen through: at Referrals, or Fulfilment with all delivered",
    )
    complete.set_defaults(handler=_COMMANDS + "deal_complete")
    complete.add_argument("id", metavar="ID")
    lost = deal.add_parser("lost", help="the deal is lost")
    lost.set_defaults(handler=_COMMANDS + "deal_lost")
    lost.add_argument("id", metavar="ID")
    lost.add_argument("--reason", required=True, metavar="TEXT", help="why, in a few words")
    lost.add_argument(
        "--category", choices=LOST_REASONS, default="other", help="kind of reason (default: other)"
    )


def parse(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(argv)


if __name__ == "__main__":  # pragma: no cover - a convenience for reading the grammar
    build_parser().print_help(sys.stdout)
