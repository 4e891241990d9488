"""The SQLite store: the only package that writes SQL.

Callers get :class:`Store` and plain records; they never see a cursor, a
row object or a ``sqlite3`` exception (see DESIGN.md: a server backend
later should be an addition, not a rewrite).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from .base import Session
from .bulletins import Bulletins
from .catalogue import Catalogue
from .connection import (
    DatabaseBusy,
    DatabaseTooNew,
    DatabaseUnavailable,
    StaleVersion,
    StoreError,
    connect,
    translate,
)
from .contacts import Contacts
from .customers import Customers
from .knowledge import Knowledge
from .records import (
    Category,
    CategoryField,
    Contact,
    Customer,
    Department,
    Event,
    Page,
    PageKey,
    Ticket,
    User,
)
from .schema import ensure_schema
from .sla import SlaStore
from .tickets import Events, Links, QueueFilter, Tickets
from .users import Reference, Users

__all__ = [
    "Category",
    "CategoryField",
    "Contact",
    "Customer",
    "DatabaseBusy",
    "DatabaseTooNew",
    "DatabaseUnavailable",
    "Department",
    "Event",
    "Page",
    "PageKey",
    "QueueFilter",
    "StaleVersion",
    "Store",
    "StoreError",
    "Ticket",
    "User",
]


class Store:
    """One database file: its repositories, transactions and change polling."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        db = connect(path)
        try:
            ensure_schema(db)
        except BaseException:
            db.conn.close()
            raise
        self.session = Session(db, self.path)
        self.users = Users(self.session)
        self.reference = Reference(self.session)
        self.customers = Customers(self.session)
        self.contacts = Contacts(self.session)
        self.tickets = Tickets(self.session)
        self.events = Events(self.session)
        self.links = Links(self.session)
        self.catalogue = Catalogue(self.session)
        self.sla = SlaStore(self.session)
        self.bulletins = Bulletins(self.session)
        self.knowledge = Knowledge(self.session)  # issue 5
        self._watcher: sqlite3.Connection | None = None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside are one IMMEDIATE transaction: all or nothing."""
        with self.session.transaction():
            yield

    def data_version(self) -> int:
        """A number that changes whenever another connection commits.

        Uses a connection of its own, so commits made through this store's
        main connection count as "another connection" too and the console
        refreshes after its own writes as well.
        """
        try:
            if self._watcher is None:
                self._watcher = sqlite3.connect(self.path, check_same_thread=False)
            return int(self._watcher.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def close(self) -> None:
        with self.session.lock:
            self.session.db.conn.close()
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
