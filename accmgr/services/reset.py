"""Counting and clearing the records of a workspace (demo data replaces them)."""

from __future__ import annotations

from accmgr.services.ports import StorePort

TABLES = ("clients", "contacts", "deals", "activities", "products", "documents", "complaints")


def count_records(store: StorePort) -> int:
    return sum(store.count(table) for table in TABLES)


def clear_records(store: StorePort) -> None:
    """Delete every record in one transaction: all go, or none. Ids are still never reused."""
    with store.transaction() as tx:
        for table in TABLES:
            for doc in list(store.all(table)):
                tx.delete(table, doc["id"])
