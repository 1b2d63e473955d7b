"""The product catalog: add, edit, deactivate, and import a supplier's CSV price list.

Codes are unique regardless of case. Products are never deleted: offers name them, so a
product no longer sold is deactivated (hidden from lists and from new offer lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from accmgr.domain.catalog import PriceRow, Product, check_price, code_key, read_price_list
from accmgr.errors import AccmgrError, NotFoundError, ValidationError
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


def _apply_row(tx: TransactionPort, row: PriceRow) -> RowResult:
    """Add or update one product; raises ValidationError naming the column when refused."""
    existing = find_product(tx, row.code)
    if existing is None:
        # Checked before an id is taken, so a refused row leaves no gap in the ids.
        product = Product(id="PR-0000", **row.fields).evolve(id=tx.new_id("products"))
        tx.insert("products", product.to_dict())
        return RowResult(row.row, product.code, "added")
    changes = {k: v for k, v in row.fields.items() if k != "code"}
    updated = existing.evolve(**changes)
    changed = tuple(k for k in changes if getattr(existing, k) != getattr(updated, k))
    if not changed:
        return RowResult(row.row, existing.code, "unchanged")
    tx.update("products", existing.id, updated.to_dict(), expected_rev=existing.rev)
    return RowResult(row.row, existing.code, "updated", changed=changed)


def import_price_list(ws: Workspace, text: str, *, dry_run: bool = False) -> ImportReport:
    """Add or update a product per row; a refused row writes nothing, the others are kept.

    A wrong header refuses the whole file (ValidationError "header"). With ``dry_run`` the
    report is the same and nothing is written: the transaction is abandoned.
    """
    rows, refusals = read_price_list(text)
    results: list[RowResult] = [
        RowResult(r.row, r.code, "refused", r.field, r.message) for r in refusals
    ]
    first_row: dict[str, int] = {}
    for row in rows:
        key = code_key(row.code)
        if key in first_row:
            results.append(
                RowResult(row.row, row.code, "refused", "code",
                          f"the same code as row {first_row[key]}; each product once per file")
            )  # fmt: skip
        else:
            first_row[key] = row.row
    duplicates = {r.row for r in results if r.action == "refused"}
    try:
        with ws.store.transaction() as tx:
            for row in rows:
                if row.row in duplicates:
                    continue
                try:
                    results.append(_apply_row(tx, row))
                except ValidationError as exc:
                    column = exc.field.removeprefix("product.")
                    results.append(RowResult(row.row, row.code, "refused", column, exc.detail))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return ImportReport(sorted(results, key=lambda r: r.row), dry_run)


class _DryRun(Exception):
    """Abandons the import's transaction, so a dry run writes nothing."""


def read_price_list_file(path: Path) -> str:
    """The text of a CSV price list; refused (field ``path``) when it is not a readable UTF-8
    file, so the user is told before any row is looked at."""
    path = path.expanduser()
    if not path.exists():
        raise ValidationError("path", f"expected an existing file, {path} does not exist")
    if not path.is_file():
        raise ValidationError("path", f"expected a file, {path} is a folder or a device")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError("path", f"{path} cannot be read ({exc.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "path",
            f"expected UTF-8 text, byte {exc.start + 1} is not; save the sheet as "
            "'CSV UTF-8' and try again",
        ) from None
