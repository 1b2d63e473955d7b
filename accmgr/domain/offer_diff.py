"""What changed between two versions of an offer: lines added, removed, changed, and totals.

It compares snapshots (see :func:`accmgr.domain.document.build_snapshot`), the figures as
printed, so the diff of two issued versions shows exactly what the client saw change. Lines
are matched by product code (the first ``X`` with the first ``X``, the second with the
second), and by description when they have no code; a line that only moved is not a change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accmgr.errors import ValidationError

LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "discount", "tax_rate", "net")
TERM_FIELDS = ("language", "valid_until", "payment_terms", "special_terms", "referral_clause")
TOTAL_FIELDS = ("subtotal", "document_discount", "document_discount_amount", "net", "tax_total",
                "total")  # fmt: skip

# The words a person reads for each compared field; the JSON keeps the field names.
WORDS = {
    "unit_price": "unit price",
    "tax_rate": "tax rate",
    "valid_until": "valid until",
    "payment_terms": "payment terms",
    "special_terms": "special terms",
    "referral_clause": "referral clause",
    "document_discount": "discount %",
    "document_discount_amount": "discount",
    "tax_total": "tax",
}


def field_words(name: str) -> str:
    return WORDS.get(name, name.replace("_", " "))


@dataclass(frozen=True)
class Change:
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new}


@dataclass(frozen=True)
class LineChange:
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    fields: dict[str, Change]

    def to_dict(self) -> dict[str, Any]:
        return {
            "product_code": self.new["product_code"],
            "old_position": self.old["position"],
            "new_position": self.new["position"],
            "fields": {name: c.to_dict() for name, c in self.fields.items()},
        }


@dataclass(frozen=True)
class OfferDiff:
    old_ref: str
    new_ref: str
    currency: str
    added: list[Mapping[str, Any]] = field(default_factory=list)
    removed: list[Mapping[str, Any]] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)
    terms: dict[str, Change] = field(default_factory=dict)
    totals: dict[str, Change] = field(default_factory=dict)
    taxes: dict[str, Change] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.terms or self.totals or self.taxes
        )

    def to_dict(self) -> dict[str, Any]:
        def with_delta(changes: dict[str, Change]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name, c in changes.items():
                delta = Decimal(c.new or 0) - Decimal(c.old or 0)
                out[name] = {"old": c.old, "new": c.new, "change": str(delta)}
            return out

        return {
            "old": self.old_ref,
            "new": self.new_ref,
            "currency": self.currency,
            "lines": {
                "added": [dict(line) for line in self.added],
                "removed": [dict(line) for line in self.removed],
                "changed": [c.to_dict() for c in self.changed],
            },
            "terms": {name: c.to_dict() for name, c in self.terms.items()},
            "totals": with_delta(self.totals),
            "taxes": with_delta(self.taxes),
        }


def _keyed(lines: Sequence[Mapping[str, Any]]) -> dict[tuple[str, int], Mapping[str, Any]]:
    seen: dict[str, int] = {}
    out: dict[tuple[str, int], Mapping[str, Any]] = {}
    for line in lines:
        key = line["product_code"] or "\x00" + line["description"]
        seen[key] = seen.get(key, 0) + 1
        out[(key, seen[key])] = line
    return out


def _same(a: Any, b: Any) -> bool:
    """Equal as figures when both are numbers ("2.50" == "2.5"), else as values."""
    if isinstance(a, str) and isinstance(b, str):
        try:
            return Decimal(a) == Decimal(b)
        except ArithmeticError:
            return a == b
    return bool(a == b)


def diff_snapshots(
    old: Mapping[str, Any], new: Mapping[str, Any], *, old_ref: str, new_ref: str
) -> OfferDiff:
    """The changes from ``old`` to ``new``; refused when their currencies differ."""
    if old["currency"] != new["currency"]:
        raise ValidationError(
            "diff",
            f"{old_ref} is in {old['currency']} and {new_ref} in {new['currency']}; "
            "only documents in one currency can be compared",
        )
    result = OfferDiff(old_ref, new_ref, new["currency"])
    before, after = _keyed(old["lines"]), _keyed(new["lines"])
    for key, line in after.items():
        if key not in before:
            result.added.append(line)
            continue
        was = before[key]
        fields = {
            name: Change(was[name], line[name])
            for name in LINE_FIELDS
            if not _same(was[name], line[name])
        }
        if fields:
            result.changed.append(LineChange(was, line, fields))
    result.removed.extend(line for key, line in before.items() if key not in after)
    for name in TERM_FIELDS:
        if old.get(name) != new.get(name):
            result.terms[name] = Change(old.get(name), new.get(name))
    for name in TOTAL_FIELDS:
        a, b = old["totals"][name], new["totals"][name]
        if not _same(a, b):
            result.totals[name] = Change(a, b)
    old_tax = {t["rate"]: t["tax"] for t in old["totals"]["taxes"]}
    new_tax = {t["rate"]: t["tax"] for t in new["totals"]["taxes"]}
    for rate in sorted(set(old_tax) | set(new_tax), key=Decimal):
        a_tax, b_tax = old_tax.get(rate), new_tax.get(rate)
        if a_tax is None or b_tax is None or not _same(a_tax, b_tax):
            result.taxes[rate] = Change(a_tax, b_tax)
    return result
