"""The product catalog: add, edit, deactivate, and import a supplier's CSV price list.

Codes are unique regardless of case. Products are never deleted: offers name them, so a
product no longer sold is deactivated (hidden from lists and from new offer lines).
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from accmgr.domain.catalog import PriceRow, Product, check_price, code_key, read_price_list
from accmgr.domain.limits import IMPORT_MAX_BYTES
from accmgr.errors import AccmgrError, NotFoundError, UnusableFileError, ValidationError
from accmgr.services.ports import StorePort, TransactionPort
from accmgr.services.workspace import Workspace

EDITABLE = ("name", "description", "unit", "unit_price", "currency", "tax_rate", "active")


def find_product(source: StorePort | TransactionPort, code: str) -> Product | None:
    key = code_key(code)
    for doc in source.find("products"):
        if code_key(str(doc["code"])) == key:
            return Product.from_dict(doc)
    return None


def get_product(ws: Workspace, code: str) -> Product:
    product = find_product(ws.store, code)
    if product is None:
        raise NotFoundError(f"product {code} does not exist")
    return product


def list_products(ws: Workspace, *, include_inactive: bool = False) -> list[Product]:
    products = ws.load_all("products", Product)
    if not include_inactive:
        products = [p for p in products if p.active]
    return sorted(products, key=lambda p: (code_key(p.code), p.id))


def _taken(code: str, existing: Product) -> AccmgrError:
    return AccmgrError(
        f"product code {code} is already used by {existing.code} ({existing.name}); "
        "codes are unique regardless of case"
    )


def add_product(
    ws: Workspace,
    code: str,
    name: str,
    *,
    unit_price: Decimal,
    currency: str,
    tax_rate: Decimal,
    unit: str = "pc",
    description: str = "",
) -> Product:
    with ws.store.transaction() as tx:
        existing = find_product(tx, code)
        if existing is not None:
            raise _taken(code, existing)
        product = Product(
            id=tx.new_id("products"),
            code=code,
            name=name,
            unit_price=unit_price,
            currency=currency,
            tax_rate=tax_rate,
            unit=unit,
            description=description,
        )
        check_price(product.unit_price, product.currency)
        stored = tx.insert("products", product.to_dict())
    return Product.from_dict(stored)


def edit_product(ws: Workspace, code: str, **changes: Any) -> Product:
    """Change any of :data:`EDITABLE`; the price must fit the (possibly new) currency."""
    from accmgr.services.edits import edit_product as edit

    return edit(ws, code, changes).record


def set_active(ws: Workspace, code: str, active: bool) -> Product:
    return edit_product(ws, code, active=active)


# --- CSV price list --------------------------------------------------------------------------

Action = Literal["added", "updated", "unchanged", "refused"]


@dataclass(frozen=True)
class RowResult:
    row: int
    code: str
    action: Action
    field: str = ""
    message: str = ""
    changed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "code": self.code,
            "action": self.action,
            "field": self.field,
            "message": self.message,
            "changed": list(self.changed),
        }

    def describe(self) -> str:
        if self.action == "refused":
            return (
                f"row {self.row} ({self.code or 'no code'}): refused — {self.field}: {self.message}"
            )
        if self.action == "updated":
            return f"row {self.row} ({self.code}): updated {', '.join(self.changed)}"
        return f"row {self.row} ({self.code}): {self.action}"


@dataclass(frozen=True)
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def refused(self) -> list[RowResult]:
        return [r for r in self.rows if r.action == "refused"]

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        counts = ", ".join(
            f"{self.count(a)} {a}" for a in ("added", "updated", "unchanged", "refused")
        )
        return f"{len(self.rows)} row(s): {counts}" + (
            f" (dry run: nothing {verb} written)" if self.dry_run else ""
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "counts": {a: self.count(a) for a in ("added", "updated", "unchanged", "refused")},
            "rows": [r.to_dict() for r in self.rows],
        }


ProductIndex = dict[str, Mapping[str, Any]]


def _index(docs: list[Mapping[str, Any]]) -> ProductIndex:
    """Products by :func:`code_key`, built once per import: a lookup per row is then O(1)
    (scanning the catalog for each row made 100,000 rows take over ten minutes)."""
    return {code_key(str(doc["code"])): doc for doc in docs}


@dataclass(frozen=True)
class _Plan:
    """What one row will do, worked out (and validated) before the lock is taken."""

    row: PriceRow
    seen_rev: int | None  # the existing product's revision when planned; None: no product
    result: RowResult
    doc: Mapping[str, Any] | None = None  # the record to write; None: nothing to write


def _plan_row(row: PriceRow, current: Mapping[str, Any] | None) -> _Plan:
    seen = None if current is None else int(current.get("rev", 0))
    try:
        if current is None:
            # Checked with a placeholder id: a refused row takes no id, so leaves no gap.
            product = Product(id="PR-0000", **row.fields)
            return _Plan(row, seen, RowResult(row.row, product.code, "added"), product.to_dict())
        existing = Product.from_dict(current)
        changes = {k: v for k, v in row.fields.items() if k != "code"}
        updated = existing.evolve(**changes)
    except ValidationError as exc:
        column = exc.field.removeprefix("product.")
        return _Plan(row, seen, RowResult(row.row, row.code, "refused", column, exc.detail))
    changed = tuple(k for k in changes if getattr(existing, k) != getattr(updated, k))
    if not changed:
        return _Plan(row, seen, RowResult(row.row, existing.code, "unchanged"))
    result = RowResult(row.row, existing.code, "updated", changed=changed)
    return _Plan(row, seen, result, updated.to_dict())


def _write(tx: TransactionPort, plans: list[_Plan]) -> list[RowResult]:
    """The only part under the lock: re-check each row against the catalog as it is now (a
    product another accmgr added or changed since planning is planned again), then write."""
    live = _index(tx.find("products"))
    results: list[RowResult] = []
    for plan in plans:
        current = live.get(code_key(plan.row.code))
        now = None if current is None else int(current.get("rev", 0))
        if now != plan.seen_rev:
            plan = _plan_row(plan.row, current)
        if plan.doc is not None:
            if current is None:
                tx.insert("products", {**plan.doc, "id": tx.new_id("products")})
            else:
                tx.update("products", str(current["id"]), plan.doc, expected_rev=now)
        results.append(plan.result)
    return results


def import_price_list(ws: Workspace, text: str, *, dry_run: bool = False) -> ImportReport:
    """Add or update a product per row; a refused row writes nothing, the others are kept.

    A wrong header refuses the whole file (ValidationError "header"). Reading and checking
    every row happens before the database lock is taken, so other terminals can write
    meanwhile; the lock is held for one short transaction. With ``dry_run`` nothing is
    written and the lock is not taken at all.
    """
    rows, refusals = read_price_list(text)
    results: list[RowResult] = [
        RowResult(r.row, r.code, "refused", r.field, r.message) for r in refusals
    ]
    first_row: dict[str, int] = {}
    unique: list[PriceRow] = []
    for row in rows:
        key = code_key(row.code)
        if key in first_row:
            results.append(
                RowResult(row.row, row.code, "refused", "code",
                          f"the same code as row {first_row[key]}; each product once per file")
            )  # fmt: skip
        else:
            first_row[key] = row.row
            unique.append(row)
    seen = _index(ws.store.find("products"))
    plans = [_plan_row(row, seen.get(code_key(row.code))) for row in unique]
    if dry_run:
        results.extend(plan.result for plan in plans)
    else:
        with ws.store.transaction() as tx:
            results.extend(_write(tx, plans))
    return ImportReport(sorted(results, key=lambda r: r.row), dry_run)


def read_price_list_file(path: Path) -> str:
    """The text of a CSV price list; refused (field ``path``) when it is not a readable UTF-8
    file of at most IMPORT_MAX_BYTES, so the user is told before any row is looked at.

    Devices and pipes are refused before anything is read (``/dev/zero`` never ends), and
    never more than the limit is read, even from a file that grows meanwhile.
    """
    path = path.expanduser()
    try:
        found = path.stat()
    except FileNotFoundError:
        raise UnusableFileError(
            "path", f"expected an existing file, {path} does not exist"
        ) from None
    except OSError as exc:
        raise UnusableFileError("path", f"{path} cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(found.st_mode):
        raise UnusableFileError("path", f"expected a file, {path} is a folder or a device")
    limit = IMPORT_MAX_BYTES
    if found.st_size > limit:
        raise UnusableFileError(
            "path", f"expected a price list of at most {limit:,} bytes, {path} is larger"
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UnusableFileError("path", f"{path} cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise UnusableFileError(
            "path", f"expected a price list of at most {limit:,} bytes, {path} is larger"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        raise UnusableFileError(
            "path", f"expected CSV text, byte {nul + 1} of {path} is NUL; is this a price list?"
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UnusableFileError(
            "path",
            f"expected UTF-8 text, byte {exc.start + 1} is not; save the sheet as "
            "'CSV UTF-8' and try again",
        ) from None
