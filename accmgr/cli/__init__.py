"""The command line: no command opens the TUI; subcommands are for scripting.

The CLI and the TUI call the same services. Errors meant for the user (``AccmgrError``)
print as one line on stderr with a non-zero exit; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from accmgr.cli.parser import UsageError, parse
from accmgr.cli.streams import visible_streams
from accmgr.config import Config, load_config
from accmgr.domain.display import use_locale
from accmgr.errors import AccmgrError, StoreError, UnusableFileError, ValidationError
from accmgr.locations import data_dir
from accmgr.services.history import CLI_ORIGIN
from accmgr.services.settings import rules_from_config
from accmgr.services.workspace import Workspace

if TYPE_CHECKING:
    from accmgr.store import Store

EXIT_ERROR = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    with visible_streams():
        return _main(arguments)


def _main(arguments: list[str]) -> int:
    try:
        args = parse(arguments)
        return run(args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except UnusableFileError as exc:  # like a record that does not exist: refused
        print(f"accmgr: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValidationError as exc:  # a bad value is a bad argument, as the README says
        print(f"accmgr: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AccmgrError as exc:
        print(f"accmgr: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(
            "accmgr: interrupted; nothing after the last saved change was written", file=sys.stderr
        )
        return 130
    except BrokenPipeError:
        # The reader went away (`accmgr offer show X --json | head`): not an error of ours.
        # Point stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # what a shell reports for a process ended by SIGPIPE


def clock_for(config: Config) -> Callable[[], datetime]:
    """The wall clock in the configured zone; ACCMGR_NOW freezes it (tests, reproducible demos)."""
    frozen = os.environ.get("ACCMGR_NOW")
    if frozen:
        try:
            moment = datetime.fromisoformat(frozen)
        except ValueError:
            raise AccmgrError(
                f"ACCMGR_NOW: expected an ISO 8601 date and time with its offset, got {frozen!r}"
            ) from None
        if moment.tzinfo is None:
            raise AccmgrError(f"ACCMGR_NOW: expected a time zone offset, got {frozen!r}")
        return lambda: moment
    zone = config.tzinfo()
    return lambda: datetime.now(zone)


def run(args: argparse.Namespace) -> int:
    config = load_config()
    path = data_dir(args.data)
    command = args.command
    section = _section(getattr(args, "open_section", None), command)
    if command == "check":
        return _check(path, fix=args.fix)
    if command == "restore":
        return _restore(path, args, config)
    from accmgr.store import open_store

    # Every figure printed for people is written in the user's locale (domain/display.py).
    use_locale(config.locale)
    store = open_store(path, lock_timeout=config.lock_timeout, init=args.init)
    _print_warnings(store.warnings)
    with _warnings_from_close(store), store:
        ws = Workspace(
            store=store,
            clock=clock_for(config),
            locale=config.locale,
            owner=config.user_name,
            review_limit_days=config.review_limit_days,
            rules=rules_from_config(config),
            settings=config,
        )
        store.author.name = config.user_name
        store.author.origin = CLI_ORIGIN
        store.author.use_clock(ws.clock)
        if command is None:
            from accmgr.app import run_app

            return run_app(ws, section)
        if command == "backup":
            target = Path(args.to).expanduser() if args.to else None
            try:
                written = store.backup(target)
            except OSError as exc:
                where = target or store.path / "backups"
                raise AccmgrError(
                    f"backup: {where} cannot be written ({exc.strerror or exc}); no backup was "
                    "made — choose another place or free some disk space"
                ) from None
            print(written)
            return 0
        if command == "demo":
            store.author.recording = False  # demo data is not a change anyone undoes
            return _demo(ws, args)
        # All or nothing: a command that fails after a write (a read of a damaged record, a
        # printing error) leaves nothing behind, so a script that retries makes no duplicate.
        with store.all_or_nothing():
            try:
                return _handler(args.handler)(ws, args)
            except ValidationError as exc:
                raise _stored_damage(store, exc) or exc from None


def _stored_damage(store: Store, exc: ValidationError) -> StoreError | None:
    """When the refused value is a stored record's, not the user's: which record, where."""
    from accmgr.services.workspace import NOUNS
    from accmgr.store import backup
    from accmgr.store.integrity import record_problem

    noun = exc.field.partition(".")[0]
    table = next((t for t, n in NOUNS.items() if n == noun), None)
    if table is None:
        return None
    for doc in store.all(table):
        doc_id = str(doc.get("id"))
        problem = record_problem(table, doc_id, doc)
        if problem is not None and problem.endswith(str(exc)):
            return StoreError(
                f"{store.path}: {problem} — a stored record accmgr cannot use, so nothing was "
                f"written. {backup.restore_hint(store.path)}"
            )
    return None


def _print_warnings(lines: Sequence[str]) -> None:
    for line in lines:
        print(f"accmgr: warning: {line}", file=sys.stderr)


@contextmanager
def _warnings_from_close(store: Store) -> Iterator[None]:
    """Print what closing the store adds to its warnings (a deferred daily backup failing)."""
    told = len(store.warnings)
    try:
        yield
    finally:
        _print_warnings(store.warnings[told:])


def _section(name: str | None, command: str | None) -> str | None:
    """The section ``--open`` names, checked before anything is opened."""
    if name is None:
        return None
    if command is not None:
        raise UsageError(f"accmgr: --open starts the app; it cannot go with {command!r}")
    from accmgr.app import SECTION_NAMES

    section = name.strip().lower()
    if section not in SECTION_NAMES:
        raise UsageError(
            f"accmgr: --open: no section {name!r} (sections: {', '.join(SECTION_NAMES)})"
        )
    return section


def _check(path: Path, *, fix: bool) -> int:
    from accmgr.store import check_database

    if not path.exists():
        print(f"accmgr: no database at {path}", file=sys.stderr)
        return EXIT_ERROR
    if fix:
        from accmgr.store.permissions import fix as fix_permissions

        for line in fix_permissions(path):
            print(f"fixed {line}")
    problems = check_database(path)
    for problem in problems:
        print(problem)
    if problems:
        return EXIT_ERROR
    print(f"{path}: ok")
    return 0


def _restore(path: Path, args: argparse.Namespace, config: Config) -> int:
    from accmgr.store import restore_database

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise AccmgrError(f"restore: {source} is not a file")
    kept = restore_database(path, source, lock_timeout=config.lock_timeout)
    print(f"{path}: restored from {source}; the previous state is kept in {kept}")
    return 0


def _demo(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.demo import fill_demo
    from accmgr.services.reset import clear_records, count_records

    existing = count_records(ws.store)
    if existing and not args.force:
        raise AccmgrError(
            f"demo: the database already holds {existing} records; "
            "use --force to replace them (a backup is made first)"
        )
    from accmgr.cli.output import console

    err = console(stderr=True)
    with err.status(f"Writing {args.scale} demo data…"):
        if existing:
            backup = ws.store.backup()  # type: ignore[attr-defined]
            err.print(f"backup of the previous records: {backup}")
            clear_records(ws.store)
        summary = fill_demo(ws.store, scale=args.scale, seed=args.seed, now=ws.now())
    counts = ", ".join(f"{n} {table}" for table, n in summary.counts().items())
    print(f"demo data written: {counts}")
    return 0


def _handler(name: str) -> Callable[[Workspace, argparse.Namespace], int]:
    module, _, function = name.partition(":")
    handler: Callable[[Workspace, argparse.Namespace], int] = getattr(
        importlib.import_module(module), function
    )
    return handler
