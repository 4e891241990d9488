"""Loading millions of generated rows into a fresh file, fast (the demo database).

Row by row through the repositories a million tickets would take an hour:
each insert fires its search-index trigger and updates every index. Here
rows go in with ``executemany`` in large IMMEDIATE transactions, with the
search-index triggers and the secondary indexes dropped; :meth:`finish`
rebuilds the FTS5 tables in one pass each and recreates the indexes and
triggers from their own SQL text, read from ``sqlite_master`` of the file
the migrations in ``schema.py`` just made, so the file ends up with exactly
the shape a normal ``init`` gives it, whatever migrations come later.

Only for a new file that nobody else has open: durability is switched off
while loading (a crash leaves a file to delete, not one to trust).

Column conventions: binding ``None`` costs the sqlite3 module about four
times as much as an integer, so the NULL-able columns below take ``''``
(text) or ``0`` (ids) for NULL and the SQL turns them into NULL.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import Store
from .connection import translate

Row = Sequence[Any]
Progress = Callable[[str, int, int], None]

#: (login, name, role, level, department, created_at)
USERS_SQL = (
    "INSERT INTO users (login, name, role, level, department, created_at) VALUES (?, ?, ?, ?, ?, ?)"
)
#: (id, name, email, phone, org, tier, created_at)
CUSTOMERS_SQL = (
    "INSERT INTO customers (id, name, email, phone, org, tier, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
#: (id, created_at, updated_at, created_by, customer_id, category, title, description,
#: fields, priority, status, department, level, owner|'', resolution, resolved_at|'',
#: closed_at|'', version, escalations, returns, lead_flag, vendor|'', vendor_ref|'',
#: vendor_due|'', last_update_at|'')
TICKETS_SQL = (
    "INSERT INTO tickets (id, created_at, updated_at, created_by, customer_id, category, title, "
    "description, fields, priority, status, department, level, owner, resolution, resolved_at, "
    "closed_at, version, escalations, returns, lead_flag, vendor, vendor_ref, vendor_due, "
    "last_update_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, "
    "NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), "
    "NULLIF(?, ''))"
)
#: (id, at, started_at|'', channel, customer_id, agent, summary, outcome, ticket_id|0)
CONTACTS_SQL = (
    "INSERT INTO contacts (id, at, started_at, channel, customer_id, agent, summary, outcome, "
    "ticket_id) VALUES (?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, NULLIF(?, 0))"
)
#: (id, ticket_id, at, actor, kind, field|'', old_value|'', new_value|'', note,
#: contact_id|0, data|'')
EVENTS_SQL = (
    "INSERT INTO events (id, ticket_id, at, actor, kind, field, old_value, new_value, note, "
    "contact_id, data) VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), ?, "
    "NULLIF(?, 0), NULLIF(?, ''))"
)


#: The tables the loader fills; their secondary indexes are rebuilt after the load.
LOADED_TABLES = ("customers", "tickets", "contacts", "events")


def _schema(
    conn: sqlite3.Connection,
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """The file's FTS5 tables, and the (name, SQL) of the indexes and FTS triggers to set aside.

    Read from the file just made by the migrations (``schema.py``), so that
    what is recreated is exactly what every migration so far defined.
    """
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    fts = [name for kind, name, _, sql in rows if kind == "table" and _FTS5.match(sql)]
    indexes = [
        (n, sql) for kind, n, table, sql in rows if kind == "index" and table in LOADED_TABLES
    ]
    triggers = [
        (n, sql)
        for kind, n, table, sql in rows
        if kind == "trigger" and table in LOADED_TABLES and any(f in sql for f in fts)
    ]
    return fts, indexes, triggers


_FTS5 = re.compile(r"CREATE\s+VIRTUAL\s+TABLE\s+.*\bUSING\s+fts5\b", re.IGNORECASE | re.DOTALL)


def is_demo_file(path: Path) -> bool:
    """True only for a SQLite file whose meta says ``demo = 1``; never writes to it."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error:
        return False
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None and row[0] == "1"


def remove_database(path: Path) -> None:
    """Delete the file and its SQLite companions (-wal, -shm, -journal)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class BulkLoad:
    """Bulk inserts into a freshly initialised, otherwise empty file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.session.db.conn
        self.fts, self.indexes, self.triggers = _schema(self.conn)

    def _pragma(self, *statements: str) -> None:
        try:
            for statement in statements:
                self.conn.execute(statement).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.store.path) from None

    def begin(self) -> None:
        """Switch durability off and drop what would slow every insert down."""
        self._pragma(
            "PRAGMA foreign_keys = OFF",
            # CHECK (x IN (...)) rebuilds its list for every executemany row: 4 us a
            # row, more than the insert itself. The generator's values are checked by tests.
            "PRAGMA ignore_check_constraints = ON",
            "PRAGMA journal_mode = OFF",
            "PRAGMA synchronous = OFF",
            "PRAGMA cache_size = -524288",
            "PRAGMA temp_store = MEMORY",
            "PRAGMA threads = 2",
        )
        with self.store.transaction():
            for name, _ in self.triggers:
                self.store.session.execute(f"DROP TRIGGER {name}")
            for name, _ in self.indexes:
                self.store.session.execute(f"DROP INDEX {name}")

    def _insert(self, sql: str, rows: Sequence[Row]) -> None:
        with self.store.transaction():
            self.store.session.executemany(sql, rows)

    def users(self, rows: Sequence[Row]) -> None:
        self._insert(USERS_SQL, rows)

    def customers(self, rows: Sequence[Row]) -> None:
        self._insert(CUSTOMERS_SQL, rows)

    def tickets(self, rows: Sequence[Row]) -> None:
        self._insert(TICKETS_SQL, rows)

    def contacts(self, rows: Sequence[Row]) -> None:
        self._insert(CONTACTS_SQL, rows)

    def events(self, rows: Sequence[Row]) -> None:
        self._insert(EVENTS_SQL, rows)

    def finish(self, meta: dict[str, str], progress: Progress) -> None:
        """Rebuild search, recreate indexes and triggers, mark the file, make it durable."""
        session = self.store.session
        for done, table in enumerate(self.fts):
            progress("search index", done, len(self.fts))
            with self.store.transaction():
                session.execute(f"INSERT INTO {table}({table}) VALUES('rebuild')")
        progress("search index", len(self.fts), len(self.fts))
        for done, (_, statement) in enumerate(self.indexes):
            progress("indexes", done, len(self.indexes))
            with self.store.transaction():
                session.execute(statement)
        progress("indexes", len(self.indexes), len(self.indexes))
        with self.store.transaction():
            for _, statement in self.triggers:
                session.execute(statement)
            for key, value in meta.items():
                self.store.reference.set_meta(key, value)
        self._pragma(
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA ignore_check_constraints = OFF",
            "PRAGMA cache_size = -2000",
            "PRAGMA temp_store = DEFAULT",
            "PRAGMA threads = 0",
        )
