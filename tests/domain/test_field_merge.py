"""The three-way field merge a form uses when the record changed while it was open."""

from __future__ import annotations

import pytest

from accmgr.domain.field_merge import FieldConflict, merge_fields

BASE = {"id": "D-0001", "rev": 3, "title": "Boxes", "value": "100", "owner": "Ana", "tags": []}


def test_fields_changed_on_one_side_only_are_merged() -> None:
    theirs = {**BASE, "rev": 4, "value": "120"}
    mine = {**BASE, "title": "Boxes 40x40"}
    merge = merge_fields(BASE, theirs, mine)
    assert merge.clean
    assert merge.merged == {**BASE, "rev": 4, "value": "120", "title": "Boxes 40x40"}
    assert merge.from_mine == ("title",)


def test_fields_changed_on_both_sides_differently_are_conflicts() -> None:
    theirs = {**BASE, "rev": 4, "title": "Cartons", "owner": "Rui"}
    mine = {**BASE, "title": "Boxes 40x40", "owner": "Rui", "tags": ["q1"]}
    merge = merge_fields(BASE, theirs, mine)
    # The same new owner on both sides is no conflict; the title is.
    assert merge.conflicts == (FieldConflict("title", "Boxes", "Cartons", "Boxes 40x40"),)
    assert merge.merged["tags"] == ["q1"] and merge.merged["owner"] == "Rui"
    assert merge.settled({"title": "mine"})["title"] == "Boxes 40x40"
    assert merge.settled({"title": "theirs"})["title"] == "Cartons"
    with pytest.raises(KeyError, match="title"):
        merge.settled({})


def test_the_merge_can_be_limited_to_the_fields_a_form_edits() -> None:
    theirs = {**BASE, "rev": 4, "title": "Cartons"}
    mine = {**BASE, "title": "Mine", "value": "5"}
    merge = merge_fields(BASE, theirs, mine, fields=("value",))
    assert merge.clean and merge.merged["title"] == "Cartons" and merge.merged["value"] == "5"


def test_bookkeeping_is_never_a_conflict() -> None:
    merge = merge_fields(BASE, {**BASE, "rev": 9}, {**BASE, "rev": 3})
    assert merge.clean and merge.merged["rev"] == 9
