"""What every repository shares: the connection, its lock, error translation.

The console's thread workers share one connection; the re-entrant lock lets
one thread hold a transaction across several repository calls while the
others wait (the UI thread itself never calls the store).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from .connection import ImmediateDatabase, checkpoint_if_large, translate

Params = Sequence[Any] | dict[str, Any]


class Session:
    """One connection, its lock, and transactions."""

    def __init__(self, db: ImmediateDatabase, path: str) -> None:
        self.db = db
        self.path = path
        self.lock = threading.RLock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """An IMMEDIATE transaction; nested calls become savepoints."""
        with self.lock:
            outermost = not self.db.conn.in_transaction
            try:
                with self.db.atomic():
                    yield
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None
            if outermost:
                checkpoint_if_large(self.db.conn, self.path)

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self.lock:
            try:
                cursor = self.db.conn.execute(sql, params)
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None

    def row(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        with self.lock:
            try:
                found = self.db.conn.execute(sql, params).fetchone()
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None
        return None if found is None else found[0]

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run a write; outside a transaction it gets one of its own."""
        with self.lock:
            try:
                if self.db.conn.in_transaction:
                    return self.db.conn.execute(sql, params)
                with self.db.atomic():
                    cursor = self.db.conn.execute(sql, params)
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None
            checkpoint_if_large(self.db.conn, self.path)
            return cursor

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with self.lock:
            try:
                self.db.conn.executemany(sql, rows)
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None


class Repo:
    """Base for the per-table query classes."""

    def __init__(self, session: Session) -> None:
        self.s = session
