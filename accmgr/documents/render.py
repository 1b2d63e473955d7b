"""A frozen snapshot → HTML (Jinja2) → PDF (WeasyPrint), safely and without recomputing.

The templates see two things: ``doc``, the snapshot with every figure already formatted
for the document's language (and ``snapshot``, the raw values, for user templates that
want them), and ``t``, the fixed texts of that language. Autoescaping is on and the
environment is sandboxed, so a user-overridden template cannot reach Python internals, and
user text such as ``{{ 7*7 }}`` or ``<img src=…>`` is data, printed exactly as typed.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from markupsafe import Markup

from accmgr.documents.fetcher import FetchPolicy, make_url_fetcher
from accmgr.documents.formatting import Formatter, FormattingError
from accmgr.documents.sandbox import TEMPLATE_FAILURES, BoundedEnvironment, start_budget
from accmgr.documents.texts import texts_for
from accmgr.domain.text import has_unsafe, visible
from accmgr.durable import write_atomic
from accmgr.errors import AccmgrError
from accmgr.locations import config_dir


def _default_templates() -> Path:
    """Our templates: inside the package in an installed wheel (setup.py maps templates/
    there), else templates/ at the repository root (a checkout or an editable install)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "templates"
    return packaged if (packaged / "base.html").is_file() else package.parent / "templates"


DEFAULT_TEMPLATES = _default_templates()
STYLESHEETS = ("fonts.css", "styles.css")
LOGO_SUFFIXES = {".png", ".jpg", ".jpeg", ".svg"}
COMPANY_KEYS = ("name", "address", "tax_id", "bank", "logo")
CLIENT_KEYS = ("id", "name", "legal_name", "tax_id", "address", "country", "email")
# A contract is archived: PDF/A-3b unless the caller asks otherwise.
DEFAULT_VARIANTS: Mapping[str, str | None] = {"offer": None, "contract": "pdf/a-3b"}


class RenderError(AccmgrError):
    """The document could not be rendered; the message says which value or file is at fault."""


@dataclass(frozen=True)
class RenderResult:
    path: Path
    sha256: str
    pages: int


def user_templates_dir() -> Path:
    """Where a user's own templates live: a file here wins over the default of the same name."""
    return config_dir() / "templates"


def template_dirs() -> tuple[Path, ...]:
    """The folders templates are looked up in, first match wins: the user's, then ours."""
    user = user_templates_dir()
    if user.is_dir():
        return (user.resolve(), DEFAULT_TEMPLATES)
    return (DEFAULT_TEMPLATES,)


class ConfinedLoader(FileSystemLoader):
    """Loads a template only when its real path (links resolved) lies inside a template folder.

    The user's folder may hold symbolic links; without this, ``{% include "x" %}`` with ``x``
    a link to ``~/.ssh/id_rsa`` would print that file into a PDF. The URL fetcher already
    refuses the same trick for stylesheets and images; this is its twin for Jinja.
    """

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.folders = tuple(Path(os.path.realpath(d)) for d in dirs)
        super().__init__([str(d) for d in dirs])

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        # Found as FileSystemLoader finds it, but never opened before the check: a link to
        # /dev/zero or a FIFO must not even be read.
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.isfile(filename):
                break
        else:
            raise TemplateNotFound(template)
        real = Path(os.path.realpath(filename))
        if not any(real.is_relative_to(folder) for folder in self.folders):
            raise SecurityError(
                f"{filename} is a link to {real}, outside the template folders; it was not "
                "loaded (copy the file into the folder instead)"
            )
        contents = real.read_text(encoding=self.encoding)  # the checked file, not the link
        mtime = real.stat().st_mtime

        def uptodate() -> bool:
            try:
                return real.stat().st_mtime == mtime and Path(os.path.realpath(filename)) == real
            except OSError:
                return False

        return contents, str(real), uptodate


def _shown(value: Any) -> Any:
    """Every printed value: control characters in record text appear as visible escapes.

    Autoescaping keeps text from becoming markup, but an ESC or a bidi override would reach
    the PDF as an invisible character (or reorder an amount); old or hand-edited records can
    hold them, so they are written out as ``\\x1b`` instead.
    """
    if isinstance(value, Markup):
        return Markup(visible(value)) if has_unsafe(value) else value
    if isinstance(value, str):
        return visible(value)
    return value


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...]) -> BoundedEnvironment:
    return BoundedEnvironment(
        loader=ConfinedLoader(dirs),
        autoescape=True,
        finalize=_shown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _first(dirs: Sequence[Path], name: str) -> Path:
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    raise RenderError(f"template file {name!r} is in none of {', '.join(map(str, dirs))}")


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string in which only letters, digits and spaces are literal."""
    out = []
    for char in text:
        if (char.isascii() and char.isalnum()) or char == " ":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def page_counter_css(template: str) -> str:
    """The CSS ``content`` value for a text like ``Page {page} of {pages}``."""
    pieces: list[str] = []
    rest = template
    while rest:
        cut = min((i for i in (rest.find("{page}"), rest.find("{pages}")) if i >= 0), default=-1)
        if cut < 0:
            pieces.append(css_string(rest))
            break
        if cut:
            pieces.append(css_string(rest[:cut]))
        counter = "pages" if rest.startswith("{pages}", cut) else "page"
        pieces.append(f"counter({counter})")
        rest = rest[cut + len(counter) + 2 :]
    return " ".join(pieces)


def _get(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError):
        raise RenderError(f"snapshot: {where}{key} is missing") from None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _view(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot with each figure formatted, never recomputed."""
    kind = _get(snapshot, "kind", "")
    if kind not in DEFAULT_VARIANTS:
        raise RenderError(f"snapshot: kind must be offer or contract, got {kind!r}")
    language = _get(snapshot, "language", "")
    try:
        t = texts_for(language)
        fmt = Formatter.for_language(language, _get(snapshot, "currency", ""))
        totals = _get(snapshot, "totals", "")
        discount = Decimal(str(totals.get("document_discount") or "0"))
        discount_amount = Decimal(str(totals.get("document_discount_amount") or "0"))
        lines = [
            {
                "position": _text(line.get("position", index)),
                "product_code": _text(line.get("product_code")),
                "description": _text(_get(line, "description", f"lines[{index}].")),
                "quantity": fmt.number(_get(line, "quantity", f"lines[{index}].")),
                "unit": _text(line.get("unit")),
                "unit_price": fmt.money(_get(line, "unit_price", f"lines[{index}].")),
                "discount": fmt.percent(line["discount"]) if _nonzero(line.get("discount")) else "",
                "tax_rate": fmt.percent(line.get("tax_rate") or "0"),
                "net": fmt.money(_get(line, "net", f"lines[{index}].")),
            }
            for index, line in enumerate(_get(snapshot, "lines", ""), start=1)
        ]
        view_totals = {
            "subtotal": fmt.money(_get(totals, "subtotal", "totals.")),
            "document_discount": fmt.percent(discount) if discount else "",
            # Shown as a deduction; negating a Decimal is exact, not a recomputation.
            "document_discount_amount": fmt.money(-abs(discount_amount)) if discount else "",
            "net": fmt.money(_get(totals, "net", "totals.")),
            "taxes": [
                {
                    "rate": fmt.percent(_get(tax, "rate", "totals.taxes.")),
                    "base": fmt.money(_get(tax, "base", "totals.taxes.")),
                    "tax": fmt.money(_get(tax, "tax", "totals.taxes.")),
                }
                for tax in _get(totals, "taxes", "totals.")
            ],
            "tax_total": fmt.money(_get(totals, "tax_total", "totals.")),
            "total": fmt.money(_get(totals, "total", "totals.")),
        }
        valid_until = snapshot.get("valid_until")
        issued_on = _get(snapshot, "issued_on", "")
        view = {
            "kind": kind,
            "title": t[f"{kind}_title"],
            "number": _text(_get(snapshot, "number", "")),
            "version": _text(snapshot.get("version", 1)),
            "language": language,
            "currency": _text(snapshot.get("currency")),
            "issued_iso": _text(issued_on),
            "issued_on": fmt.date(issued_on),
            "valid_until": fmt.date(valid_until) if valid_until else "",
            "validity_sentence": _sentence(t["validity_text"], fmt.date(valid_until))
            if valid_until
            else "",
            "company": _strings(_get(snapshot, "company", ""), COMPANY_KEYS),
            "client": _client(fmt, _get(snapshot, "client", "")),
            "deal": _strings(snapshot.get("deal") or {}, ("id", "title")),
            "lines": lines,
            "totals": view_totals,
            "payment_terms": _text(snapshot.get("payment_terms")),
            "special_terms": _text(snapshot.get("special_terms")),
            "referral_clause": bool(snapshot.get("referral_clause")),
            "supersedes": _text(snapshot.get("supersedes")),
            "offer_number": _text(snapshot.get("offer_number")),
            "subject": _text(snapshot.get("subject")),
            "delivery_terms": _text(snapshot.get("delivery_terms")),
            "signatories": _strings(snapshot.get("signatories") or {}, ("ours", "theirs")),
        }
    except (FormattingError, LookupError, ValueError, ArithmeticError, AttributeError) as exc:
        if isinstance(exc, RenderError):
            raise
        raise RenderError(f"snapshot {snapshot.get('number', '?')}: {exc}") from None
    return view


def _client(fmt: Formatter, client: Mapping[str, Any]) -> dict[str, str]:
    """The client's fields as text; its country code as the country's name in the document's
    language (the snapshot keeps the code, so nothing frozen changes)."""
    view = _strings(client, CLIENT_KEYS)
    view["country"] = fmt.country(view["country"])
    return view


def _sentence(template: str, date: str) -> str:
    """Fill ``{date}``; a date ending in a period ("23 d.", "2026 г.") ends the sentence."""
    if date.endswith(".") and template.endswith("{date}."):
        template = template[:-1]
    return template.format(date=date)


def _nonzero(value: Any) -> bool:
    return value not in (None, "") and Decimal(str(value)) != 0


def _strings(mapping: Mapping[str, Any], keys: Sequence[str]) -> dict[str, str]:
    """Every value as text, with the keys templates use present (empty when absent)."""
    if not isinstance(mapping, Mapping):
        raise RenderError(f"snapshot: expected an object, got {mapping!r}")
    return {key: "" for key in keys} | {str(k): _text(v) for k, v in mapping.items()}


def _logo(snapshot: Mapping[str, Any]) -> Path | None:
    company = snapshot.get("company") or {}
    name = company.get("logo") if isinstance(company, Mapping) else None
    if not name:
        return None
    path = Path(str(name)).expanduser()
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise RenderError(f"logo {path}: expected a PNG, JPEG or SVG file")
    if not path.is_file():
        raise RenderError(f"logo {path}: no such file")
    return path.resolve()


def _prepare(
    snapshot: Mapping[str, Any], dirs: tuple[Path, ...] | None
) -> tuple[str, FetchPolicy, tuple[Path, ...]]:
    dirs = tuple(dirs) if dirs is not None else template_dirs()
    view = _view(snapshot)
    logo = _logo(snapshot)
    template_name = str(snapshot.get("template") or view["kind"]) + ".html"
    if "/" in template_name or "\\" in template_name or template_name.startswith("."):
        raise RenderError(f"snapshot: template {template_name!r} is not a template name")
    context = {
        "doc": view,
        "snapshot": snapshot,
        "t": texts_for(view["language"]),
        "logo_url": logo.as_uri() if logo else "",
        "stylesheets": [_first(dirs, name).as_uri() for name in STYLESHEETS],
        # Built from our fixed texts with every non-alphanumeric character escaped for CSS.
        "page_counter_css": Markup(page_counter_css(texts_for(view["language"])["page_of"])),
    }
    start_budget()
    try:
        html = _environment(dirs).get_template(template_name).render(context)
    except TEMPLATE_FAILURES as exc:
        raise RenderError(f"template {template_name}: {exc}") from None
    return html, FetchPolicy.of(dirs, [logo] if logo else []), dirs


def render_html(snapshot: Mapping[str, Any], *, template_dirs: Sequence[Path] | None = None) -> str:
    """The finished HTML of a document, ready for WeasyPrint."""
    dirs = tuple(template_dirs) if template_dirs is not None else None
    return _prepare(snapshot, dirs)[0]


def check_output_path(out: Path) -> None:
    """Refuse, before any rendering work, a target that can never become the PDF file."""
    if out.is_dir():
        raise RenderError(f"{out}: is a folder; give the PDF's file name, e.g. {out / 'offer.pdf'}")
    if out.exists() and not out.is_file():
        raise RenderError(f"{out}: is not a regular file; give the PDF's file name")


def render_pdf(
    snapshot: Mapping[str, Any],
    out: Path,
    *,
    pdf_variant: str | None = None,
    template_dirs: Sequence[Path] | None = None,
    policy_sink: list[FetchPolicy] | None = None,
) -> RenderResult:
    """Render ``snapshot`` to ``out`` (written atomically) and return its path, hash and pages.

    ``pdf_variant`` None means the kind's default: PDF/A-3b for a contract, plain for an offer.
    ``policy_sink`` receives the fetch policy used, so tests can see what was refused.
    """
    check_output_path(Path(out))
    html, policy, dirs = _prepare(snapshot, tuple(template_dirs) if template_dirs else None)
    if policy_sink is not None:
        policy_sink.append(policy)
    variant = pdf_variant if pdf_variant is not None else DEFAULT_VARIANTS[snapshot["kind"]]
    return write_pdf(html, policy, dirs, Path(out), variant, str(snapshot.get("number", "")))


def write_pdf(
    html: str,
    policy: FetchPolicy,
    dirs: tuple[Path, ...],
    out: Path,
    variant: str | None,
    name: str = "",
) -> RenderResult:
    """Finished HTML → PDF at ``out`` (written atomically), fetching only what ``policy``
    allows; shared by the offers, the contracts and the meeting briefs."""
    # WeasyPrint costs ≈0.5 s to import: loaded here, where a PDF is written, never at start-up.
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = HTML(
            string=html, base_url=dirs[-1].as_uri() + "/", url_fetcher=make_url_fetcher(policy)
        ).render()
        data: bytes = document.write_pdf(pdf_variant=variant)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"{name or 'document'}: {cause}") from None
    check_output_path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, data)
    except OSError as exc:
        raise RenderError(
            f"{out}: the PDF cannot be written there ({exc.strerror or exc}); "
            "choose another file or folder"
        ) from None
    return RenderResult(out, hashlib.sha256(data).hexdigest(), len(document.pages))
