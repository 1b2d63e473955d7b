"""``accmgr render`` and ``accmgr templates export``: documents as PDF from the command line.

A command-line render runs in this process: there is no event loop to keep responsive, and a
pool would only add a second WeasyPrint import. The renderer and the services are imported
inside the handlers, so ``--help`` stays cheap.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accmgr.cli.parser import Parser

if TYPE_CHECKING:
    import argparse

    from accmgr.cli.parser import Subcommands
    from accmgr.services.workspace import Workspace

_HERE = "accmgr.cli.render:"


def register(sub: Subcommands) -> None:
    render = sub.add_parser(
        "render", help="write an issued offer or contract as PDF; prints its path and SHA-256"
    )
    render.set_defaults(handler=_HERE + "render")
    render.add_argument(
        "target",
        metavar="NUMBER_OR_JSON",
        help="a document number (OFR-2026-0001, OFR-2026-0001@2) or a snapshot .json file",
    )
    render.add_argument("--out", metavar="FILE", help="default: NUMBER-vVERSION.pdf here")
    render.add_argument(
        "--pdf-variant",
        metavar="V",
        help="e.g. pdf/a-3b (default: pdf/a-3b for contracts, plain PDF for offers)",
    )

    templates = sub.add_parser("templates", help="the PDF templates").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )
    export = templates.add_parser(
        "export",
        help="copy the default templates to DIR; edited copies in <config>/templates win",
    )
    export.set_defaults(handler=_HERE + "templates_export")
    export.add_argument("dir", metavar="DIR")
    export.add_argument("--force", action="store_true", help="overwrite files already there")


def _snapshot_from_file(path: Path) -> dict[str, Any]:
    from accmgr.errors import AccmgrError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AccmgrError(f"render: {path} cannot be read ({exc.strerror})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise AccmgrError(f"render: {path} is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise AccmgrError(f"render: {path} holds no snapshot object")
    # ``offer show --json`` prints the snapshot with a few fields more; both are accepted.
    return data


def _snapshot_from_store(ws: Workspace, ref: str) -> dict[str, Any]:
    from accmgr.errors import AccmgrError
    from accmgr.services import documents

    doc = documents.get_document(ws, ref)
    if doc.is_draft:
        raise AccmgrError(f"render: {doc.ref} is a draft; issue it first (accmgr offer issue)")
    return documents.snapshot_of(ws, doc)


def render(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.documents.render import render_pdf

    target = Path(args.target).expanduser()
    from_store = not (target.suffix.lower() == ".json" or target.is_file())
    snapshot = _snapshot_from_store(ws, args.target) if from_store else _snapshot_from_file(target)
    default = f"{snapshot.get('number') or 'document'}-v{snapshot.get('version', 1)}.pdf"
    out = Path(args.out).expanduser() if args.out else Path(default)
    result = render_pdf(snapshot, out, pdf_variant=args.pdf_variant)
    if from_store:
        from accmgr.services import documents

        ref = f"{snapshot['number']}@{snapshot['version']}"
        documents.record_rendering(ws, ref, result.path, result.sha256)
    pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
    print(f"{result.path}\t{result.sha256}\t{pages}")
    return 0


def templates_export(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.documents.render import user_templates_dir
    from accmgr.documents.templates_export import export_templates

    links: list[Path] = []
    copied = export_templates(Path(args.dir), force=args.force, replaced_links=links)
    for path in copied:
        print(path)
    for link in links:
        print(
            f"{link} was a symbolic link: the link was replaced by the file, its target "
            "was not touched",
            file=sys.stderr,
        )
    print(f"copied {len(copied)} files; put edited ones in {user_templates_dir()} to use them")
    return 0
