"""The document store: the only code in accmgr that imports TinyDB.

A database is a directory; see :mod:`accmgr.store.api` for the on-disk design and the
guarantees (durable, crash-safe, one writer at a time across processes).
"""

from accmgr.store.api import SCHEMA_VERSION, TABLE_PREFIXES, Store, Transaction, open_store
from accmgr.store.maintenance import check_database, restore_database

__all__ = [
    "SCHEMA_VERSION",
    "TABLE_PREFIXES",
    "Store",
    "Transaction",
    "check_database",
    "open_store",
    "restore_database",
]
