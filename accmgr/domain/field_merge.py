"""Field-by-field three-way merge: what a form loaded, what is stored now, what the user typed.

A change made elsewhere while a form was open must never be silently overwritten, and must
not cost the user their own edits either. Fields changed on one side only are taken from
that side; fields changed on both sides to different values are conflicts the user settles
per field (theirs or mine). Works on JSON-ready mappings (``Record.to_dict()``), so values
compare exactly as they are stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

# The store's bookkeeping: never a user's change, never a conflict.
_BOOKKEEPING = frozenset({"id", "rev"})

Side = Literal["theirs", "mine"]


@dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed, to different values."""

    field: str
    base: Any
    theirs: Any
    mine: Any


@dataclass(frozen=True)
class FieldMerge:
    """The merged values (conflicting fields hold theirs until settled) and the conflicts."""

    merged: dict[str, Any]
    conflicts: tuple[FieldConflict, ...]
    # Fields whose value came from the user's side.
    from_mine: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def settled(self, choices: Mapping[str, Side]) -> dict[str, Any]:
        """The merged values with every conflict settled by ``choices`` (field → side).

        A conflict without a choice is refused: guessing is what this merge exists to avoid.
        """
        values = dict(self.merged)
        for conflict in self.conflicts:
            side = choices.get(conflict.field)
            if side is None:
                raise KeyError(f"no choice for the conflicting field {conflict.field!r}")
            values[conflict.field] = conflict.mine if side == "mine" else conflict.theirs
        return values


def merge_fields(
    base: Mapping[str, Any],
    theirs: Mapping[str, Any],
    mine: Mapping[str, Any],
    fields: Iterable[str] | None = None,
) -> FieldMerge:
    """Merge ``mine`` into ``theirs`` given the ``base`` both started from.

    ``fields`` limits the merge to what a form edits; by default every field of the three.
    A field missing on one side counts as None there.
    """
    names = list(fields) if fields is not None else sorted({*base, *theirs, *mine} - _BOOKKEEPING)
    merged = dict(theirs)
    conflicts: list[FieldConflict] = []
    from_mine: list[str] = []
    for name in names:
        old, their, my = base.get(name), theirs.get(name), mine.get(name)
        if my in (their, old):
            continue  # the same on both sides, or only theirs changed: theirs stands
        if their == old:
            merged[name] = my
            from_mine.append(name)
        else:
            conflicts.append(FieldConflict(name, old, their, my))
    return FieldMerge(merged, tuple(conflicts), tuple(from_mine))
