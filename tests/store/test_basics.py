"""Reading and writing records: ids, revisions, rollback, caching."""

from __future__ import annotations

from pathlib import Path

import pytest

from accmgr.errors import ConflictError, NotFoundError, StoreError
from accmgr.store import TABLE_PREFIXES, Store, open_store
from tests.store.helpers import add


def test_insert_get_update_delete_find_count(store: Store) -> None:
    with store.transaction() as tx:
        first = tx.new_id("deals")
        second = tx.new_id("deals")
        assert (first, second) == ("D-0001", "D-0002")
        stored = tx.insert("deals", {"id": first, "title": "Boiler", "stage": "call"})
        tx.insert("deals", {"id": second, "title": "Pumps", "stage": "meeting"})
        assert stored["rev"] == 1
        assert tx.get("deals", first) == stored
    assert store.count("deals") == 2
    assert store.get("deals", "D-0001") == {
        "id": first,
        "title": "Boiler",
        "stage": "call",
        "rev": 1,
    }
    assert [d["id"] for d in store.find("deals", stage="meeting")] == [second]
    assert store.find("deals", stage="meeting", title="Boiler") == []

    with store.transaction() as tx:
        updated = tx.update("deals", first, {"title": "Boiler", "stage": "meeting"}, expected_rev=1)
    assert updated == {"id": first, "title": "Boiler", "stage": "meeting", "rev": 2}
    assert sorted(d["id"] for d in store.find("deals", stage="meeting")) == [first, second]

    with store.transaction() as tx:
        removed = tx.delete("deals", second, expected_rev=1)
    assert removed["title"] == "Pumps"
    assert store.get("deals", second) is None
    assert store.count("deals") == 1
    assert [d["id"] for d in store.all("deals")] == [first]


def test_changes_survive_reopen(db: Path) -> None:
    with open_store(db) as s:
        doc_id = add(s, "clients", name="Acme", tags=["key"], reliability={"rating": "A"})
    with open_store(db) as s:
        assert s.get("clients", doc_id) == {
            "id": "C-0001",
            "name": "Acme",
            "tags": ["key"],
            "reliability": {"rating": "A"},
            "rev": 1,
        }


def test_ids_are_never_reused_after_delete_even_after_reopen(db: Path) -> None:
    with open_store(db) as s:
        a, b = add(s), add(s)
        with s.transaction() as tx:
            tx.delete("deals", b)
            tx.delete("deals", a)
    with open_store(db) as s:
        assert add(s) == "D-0003"
        s.compact()
    with open_store(db) as s:
        assert add(s) == "D-0004"


def test_id_format_per_table_and_growth_past_four_digits(store: Store) -> None:
    with store.transaction() as tx:
        ids = {table: tx.new_id(table) for table in TABLE_PREFIXES}
        assert ids["products"] == "PR-0001"
        assert ids["documents"] == "DOC-0001"
        assert ids["complaints"] == "K-0001"
        store._meta["ids"]["activities"] = 9999
        assert tx.new_id("activities") == "A-10000"


def test_next_number_counts_per_name_and_never_repeats(db: Path) -> None:
    with open_store(db) as s, s.transaction() as tx:
        assert [tx.next_number("OFR-2026") for _ in range(3)] == [1, 2, 3]
        assert tx.next_number("CTR-2026") == 1
    with open_store(db) as s, s.transaction() as tx:
        assert tx.next_number("OFR-2026") == 4


def test_stale_revision_is_a_conflict_with_a_clear_message(store: Store) -> None:
    doc_id = add(store, title="t")
    with store.transaction() as tx:
        tx.update("deals", doc_id, {"title": "u"}, expected_rev=1)
    with pytest.raises(ConflictError) as err, store.transaction() as tx:
        tx.update("deals", doc_id, {"title": "v"}, expected_rev=1)
    assert str(err.value) == (
        "D-0001 was changed by another accmgr (revision 2, you had 1); reload it and try again"
    )
    with pytest.raises(ConflictError), store.transaction() as tx:
        tx.delete("deals", doc_id, expected_rev=1)
    assert store.get("deals", doc_id)["title"] == "u"  # type: ignore[index]


def test_missing_record_and_duplicate_id(store: Store) -> None:
    doc_id = add(store)
    with pytest.raises(NotFoundError, match="D-0099 is not in deals"), store.transaction() as tx:
        tx.update("deals", "D-0099", {}, expected_rev=None)
    with pytest.raises(StoreError, match="D-0001 already exists"), store.transaction() as tx:
        tx.insert("deals", {"id": doc_id})
    with pytest.raises(StoreError, match="needs an 'id'"), store.transaction() as tx:
        tx.insert("deals", {"title": "no id"})


def test_unknown_table(store: Store) -> None:
    with pytest.raises(StoreError, match="no table 'dealz'"):
        store.get("dealz", "D-0001")
    with pytest.raises(StoreError, match="no table 'dealz'"), store.transaction() as tx:
        tx.new_id("dealz")


def test_values_json_cannot_hold_are_refused(store: Store) -> None:
    from decimal import Decimal

    with (
        pytest.raises(StoreError, match="D-0001 in deals cannot be stored"),
        store.transaction() as tx,
    ):
        tx.insert("deals", {"id": tx.new_id("deals"), "value": Decimal("1.10")})
    assert store.count("deals") == 0


def test_rollback_leaves_memory_and_disk_unchanged(db: Path, store: Store) -> None:
    kept = add(store, title="kept")
    journal_before = (db / "journal.jsonl").read_bytes()
    data_before = (db / "data.json").read_bytes()
    version_before = store.version
    with pytest.raises(RuntimeError, match="boom"), store.transaction() as tx:
        tx.update("deals", kept, {"title": "changed"}, expected_rev=1)
        tx.insert("deals", {"id": tx.new_id("deals"), "title": "new"})
        tx.next_number("OFR-2026")
        tx.delete("deals", kept)
        assert tx.get("deals", kept) is None
        raise RuntimeError("boom")
    assert store.get("deals", kept) == {"id": kept, "title": "kept", "rev": 1}
    assert store.count("deals") == 1
    assert store.find("deals", title="new") == []
    assert (db / "journal.jsonl").read_bytes() == journal_before
    assert (db / "data.json").read_bytes() == data_before
    assert store.version == version_before
    assert add(store) == "D-0002"  # an id never committed may be handed out again


def test_nested_transaction_undoes_only_its_own_changes(store: Store) -> None:
    with store.transaction() as outer:
        outer.insert("deals", {"id": outer.new_id("deals"), "title": "outer"})
        with pytest.raises(ValueError), store.transaction() as inner:
            inner.insert("deals", {"id": inner.new_id("deals"), "title": "inner"})
            raise ValueError
    assert [d["title"] for d in store.all("deals")] == ["outer"]


def test_documents_handed_out_never_change_under_their_holder(store: Store) -> None:
    doc_id = add(store, title="old", stage="call")
    held = store.get("deals", doc_id)
    found = store.find("deals", stage="call")
    with store.transaction() as tx:
        tx.update("deals", doc_id, {"title": "new", "stage": "won"}, expected_rev=1)
    assert held == {"id": doc_id, "title": "old", "stage": "call", "rev": 1}
    assert found[0]["title"] == "old"
    # and the query cache was invalidated by the write
    assert store.find("deals", stage="call") == []
    assert store.find("deals", stage="won")[0]["title"] == "new"


def test_caller_mutating_its_dict_later_does_not_change_the_store(store: Store) -> None:
    mine = {"id": "", "history": [{"stage": "call"}]}
    with store.transaction() as tx:
        mine["id"] = tx.new_id("deals")
        tx.insert("deals", mine)
    mine["history"].append({"stage": "won"})  # type: ignore[attr-defined]
    assert store.get("deals", "D-0001")["history"] == [{"stage": "call"}]  # type: ignore[index]


def test_version_counts_changes_and_transaction_ends_with_block(store: Store) -> None:
    start = store.version
    add(store)
    add(store)
    assert store.version == start + 2
    with store.transaction() as tx:
        pass
    assert store.version == start + 2  # nothing changed, nothing written
    with pytest.raises(StoreError, match="transaction has ended"):
        tx.new_id("deals")


def test_closed_store_refuses_work(db: Path) -> None:
    s = open_store(db)
    s.close()
    with pytest.raises(StoreError, match="is closed"):
        s.get("deals", "D-0001")
