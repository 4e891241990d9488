"""Loading millions of generated rows into a fresh file, fast (the demo database).

Row by row through the repositories a million tickets would take an hour:
each insert fires its search-index trigger and updates every index. Here
rows go in with ``executemany`` in large IMMEDIATE transactions, with the
search-index triggers dropped; each batch is added to its FTS5 table in one
``INSERT ... SELECT`` inside the same transaction (measured: as fast as one
``'rebuild'`` at the end, and it overlaps with generating the next batch).
Secondary indexes whose leading column follows the order the rows arrive
in are kept (they only grow at their end); the others are dropped and
rebuilt at the end, which is cheaper than filling them in random order.
Triggers and indexes are recreated from their own SQL text, read from
``sqlite_master`` of the file the migrations in ``schema.py`` just made, so
the file ends up with exactly the shape a normal ``init`` gives it,
whatever migrations come later.

Only for a new file that nobody else has open: durability is switched off
while loading (a crash leaves a file to delete, not one to trust), and so
are CHECK constraints, because ``CHECK (x IN (...))`` rebuilds its list for
every ``executemany`` row (4 us a row, more than the insert itself); the
generator's values are verified by its tests.

Column conventions (:func:`insert_sql`): binding ``None`` costs the sqlite3
module about four times as much as an integer, so NULL-able columns take
``''`` (text) or ``0`` (ids) for NULL and the SQL turns them into NULL.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import Store
from .connection import translate
from .knowledge import _facet as article_facet  # the search index's filter tokens

Row = Sequence[Any]
Progress = Callable[[str, int, int], None]


def insert_sql(table: str, layout: Sequence[str], *, empty_is_null: Collection[str] = ()) -> str:
    """The INSERT for rows laid out as ``layout``: one column name per position.

    A position named ``""`` is the caller's own value and is skipped, so a
    generator can hand over the tuples it already holds instead of building
    new ones. Columns in ``empty_is_null`` take ``''`` or ``0`` for NULL.
    Without an ``id`` position, ids are assigned in row order.
    """
    named = [(n, column) for n, column in enumerate(layout, 1) if column]
    values = [
        f"NULLIF(?{n}, {0 if column.endswith('_id') else repr('')})"
        if column in empty_is_null
        else f"?{n}"
        for n, column in named
    ]
    return f"INSERT INTO {table} ({', '.join(c for _, c in named)}) VALUES ({', '.join(values)})"


USERS_SQL = insert_sql("users", ("login", "name", "role", "level", "department", "created_at"))
CUSTOMERS_SQL = insert_sql(
    "customers", ("id", "name", "email", "phone", "org", "tier", "created_at")
)
TICKETS_SQL = insert_sql(
    "tickets",
    (
        "id", "created_at", "updated_at", "created_by", "customer_id", "category", "title",
        "description", "fields", "priority", "status", "department", "level", "owner",
        "resolution", "resolved_at", "closed_at", "version", "escalations", "returns",
        "lead_flag", "vendor", "vendor_ref", "vendor_due", "last_update_at", "sla_plan",
        "first_response_at", "due_at",
    ),
    empty_is_null=(
        "owner", "resolved_at", "closed_at", "vendor", "vendor_ref", "vendor_due",
        "last_update_at", "sla_plan", "first_response_at", "due_at",
    ),
)  # fmt: skip
#: The demo generator's contact tuples: (moment, at, ..., reference, entitled, reason).
CONTACTS_SQL = insert_sql(
    "contacts",
    (
        "", "at", "started_at", "channel", "customer_id", "agent", "summary", "outcome",
        "ticket_id", "", "entitled", "override_reason",
    ),
    empty_is_null=("started_at", "ticket_id", "override_reason"),
)  # fmt: skip
#: The demo generator's journey steps: (moment, at, ticket, ..., contact id, data).
EVENTS_SQL = insert_sql(
    "events",
    (
        "", "at", "ticket_id", "actor", "kind", "field", "old_value", "new_value", "note",
        "contact_id", "data",
    ),
    empty_is_null=("field", "old_value", "new_value", "contact_id", "data"),
)  # fmt: skip


WALKS_SQL = insert_sql(
    "kb_walks",
    (
        "id", "article_id", "version", "agent", "contact_id", "started_at", "ended_at",
        "outcome", "end_node", "steps",
    ),
)  # fmt: skip
WALK_NODES_SQL = insert_sql(
    "kb_walk_nodes",
    ("walk_id", "position", "article_id", "node", "answer"),
    empty_is_null=("answer",),
)

KB_ARTICLES_SQL = insert_sql(
    "kb_articles",
    (
        "id", "key", "created_at", "created_by", "version", "title", "category", "product",
        "tags", "published_at",
    ),
    empty_is_null=("product",),
)  # fmt: skip
KB_VERSIONS_SQL = insert_sql(
    "kb_versions",
    (
        "article_id", "version", "title", "category", "product", "tags", "start", "source",
        "content_hash", "note", "published_at", "published_by", "nodes",
    ),
    empty_is_null=("product",),
)  # fmt: skip
KB_FTS_SQL = "INSERT INTO kb_fts (rowid, title, tags, body, facets) VALUES (?, ?, ?, ?, ?)"


@dataclass(frozen=True)
class PublishedArticle:
    """An article published at once as version 1, as ``Knowledge.publish`` stores one."""

    key: str
    title: str
    category: str
    product: str | None
    tags: tuple[str, ...]
    start: str | None
    nodes: list[dict[str, Any]]
    content_hash: str
    body: str  # the searchable text (``Article.body``)


#: The tables the loader fills (their secondary indexes may be set aside while loading).
LOADED_TABLES = ("customers", "tickets", "contacts", "events", "kb_walks", "kb_walk_nodes")
_FTS5 = re.compile(r"CREATE\s+VIRTUAL\s+TABLE\s+\S+\s+USING\s+fts5\s*\((.*)\)", re.I | re.S)
_OPTION = re.compile(r"\b(content|content_rowid)\s*=\s*'(\w+)'", re.I)


@dataclass(frozen=True)
class SearchIndex:
    """An external-content FTS5 table: which table's rows it indexes, and how to add some."""

    name: str
    content: str
    columns: tuple[str, ...]
    rowid: str

    def add_range_sql(self) -> str:
        cols = ", ".join(self.columns)
        return (
            f"INSERT INTO {self.name} (rowid, {cols}) SELECT {self.rowid}, {cols} "
            f"FROM {self.content} WHERE {self.rowid} BETWEEN ? AND ?"
        )


@dataclass(frozen=True)
class Shape:
    """What the loader sets aside and puts back, read from the file itself."""

    search: dict[str, SearchIndex]  # by content table
    indexes: list[tuple[str, str, str]]  # (name, table, sql)
    triggers: list[tuple[str, str]]  # (name, sql): the FTS triggers


def _leading_column(sql: str) -> str:
    """``CREATE INDEX x ON t (a, b) WHERE ...`` -> ``a``."""
    found = re.search(r"\bON\s+\w+\s*\(\s*(\w+)", sql, re.I)
    return found.group(1) if found else ""


def read_shape(conn: sqlite3.Connection) -> Shape:
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    search: dict[str, SearchIndex] = {}
    for kind, name, _, sql in rows:
        found = _FTS5.match(sql) if kind == "table" else None
        if found:
            options = {k.lower(): v for k, v in _OPTION.findall(found.group(1))}
            columns = tuple(r[1] for r in conn.execute(f"PRAGMA table_info({name})"))
            if "content" in options:
                index = SearchIndex(
                    name, options["content"], columns, options.get("content_rowid", "rowid")
                )
                search[index.content] = index
    names = {s.name for s in search.values()}
    indexes = [(n, t, sql) for kind, n, t, sql in rows if kind == "index" and t in LOADED_TABLES]
    triggers = [
        (n, sql)
        for kind, n, t, sql in rows
        if kind == "trigger" and t in LOADED_TABLES and any(f in sql for f in names)
    ]
    return Shape(search, indexes, triggers)


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
        self.shape = read_shape(self.conn)
        self.deferred: list[tuple[str, str, str]] = []

    def _pragma(self, *statements: str) -> None:
        try:
            for statement in statements:
                self.conn.execute(statement).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.store.path) from None

    def begin(self, ordered: Mapping[str, Collection[str]] | None = None) -> None:
        """Switch durability off and drop what would slow every insert down.

        ``ordered`` names, per table, the columns its rows arrive sorted by
        (or nearly): an index leading with one of them only ever grows at its
        end, which costs little while loading (and the loader waits for the
        generator anyway); every other index is dropped and rebuilt by
        :meth:`finish`, which is cheaper than filling it in random order.
        """
        ordered = ordered or {}
        self.deferred = [
            (name, table, sql)
            for name, table, sql in self.shape.indexes
            if _leading_column(sql) not in ordered.get(table, ())
        ]
        self._pragma(
            "PRAGMA foreign_keys = OFF",
            "PRAGMA ignore_check_constraints = ON",
            "PRAGMA journal_mode = OFF",
            "PRAGMA synchronous = OFF",
            "PRAGMA cache_size = -524288",
            "PRAGMA temp_store = MEMORY",
            "PRAGMA threads = 2",  # index rebuilds sort on both cores (about 10% faster)
        )
        with self.store.transaction():
            for name, _ in self.shape.triggers:
                self.store.session.execute(f"DROP TRIGGER {name}")
            for name, _, _ in self.deferred:
                self.store.session.execute(f"DROP INDEX {name}")

    def _insert(self, table: str, sql: str, rows: Sequence[Row]) -> None:
        """One IMMEDIATE transaction: the rows, and (by id range) their search index.

        Rows come in increasing id order without gaps, so the batch's ids
        end at the last one inserted.
        """
        if not rows:
            return
        search = self.shape.search.get(table)
        with self.store.transaction():
            self.store.session.executemany(sql, rows)
            if search is not None:
                last = self.store.session.scalar("SELECT last_insert_rowid()")
                self.store.session.execute(search.add_range_sql(), (last - len(rows) + 1, last))

    def users(self, rows: Sequence[Row]) -> None:
        self._insert("users", USERS_SQL, rows)

    def customers(self, rows: Sequence[Row]) -> None:
        self._insert("customers", CUSTOMERS_SQL, rows)

    def tickets(self, rows: Sequence[Row]) -> None:
        self._insert("tickets", TICKETS_SQL, rows)

    def contacts(self, rows: Sequence[Row]) -> None:
        self._insert("contacts", CONTACTS_SQL, rows)

    def events(self, rows: Sequence[Row]) -> None:
        self._insert("events", EVENTS_SQL, rows)

    def walks(self, rows: Sequence[Row]) -> None:
        self._insert("kb_walks", WALKS_SQL, rows)

    def walk_nodes(self, rows: Sequence[Row]) -> None:
        self._insert("kb_walk_nodes", WALK_NODES_SQL, rows)

    def articles(
        self, articles: Sequence[PublishedArticle], *, at: str, by: str, source: str
    ) -> int:
        """Add and publish new articles, each version 1, with its search entry; returns the
        first id. Three ``executemany`` instead of five statements an article."""
        with self.store.transaction():
            session = self.store.session
            first = int(session.scalar("SELECT COALESCE(max(id), 0) + 1 FROM kb_articles"))
            heads, versions, search = [], [], []
            for n, a in enumerate(articles, first):
                tags = json.dumps(list(a.tags), ensure_ascii=False)
                product = a.product or ""
                heads.append((n, a.key, at, by, 1, a.title, a.category, product, tags, at))
                nodes = json.dumps(a.nodes, ensure_ascii=False)
                versions.append(
                    (n, 1, a.title, a.category, product, tags, a.start, source, a.content_hash,
                     "", at, by, nodes)
                )  # fmt: skip
                facets = f"{article_facet('c', a.category)} {article_facet('p', a.product)}"
                search.append((n, a.title, " ".join(a.tags), a.body, facets))
            session.executemany(KB_ARTICLES_SQL, heads)
            session.executemany(KB_VERSIONS_SQL, versions)
            session.executemany(KB_FTS_SQL, search)
        return first

    def link_contacts(self, bulletin_id: int, start: str, end: str, summary: str) -> int:
        """Link the contacts logged in [start, end) with this summary to a bulletin,
        as their agents did (the ``at`` and ``linked_by`` of each link are the contact's)."""
        with self.store.transaction():
            cursor = self.store.session.execute(
                "INSERT OR IGNORE INTO contact_bulletins (bulletin_id, contact_id, at, linked_by) "
                "SELECT ?, id, at, agent FROM contacts WHERE at >= ? AND at < ? AND summary = ?",
                (bulletin_id, start, end, summary),
            )
        return cursor.rowcount

    def finish(self, meta: dict[str, str], progress: Progress) -> None:
        """Recreate set-aside indexes and triggers, mark the file, make it durable again."""
        session = self.store.session
        for done, (_, _, statement) in enumerate(self.deferred):
            progress("indexes", done, len(self.deferred))
            with self.store.transaction():
                session.execute(statement)
        progress("indexes", len(self.deferred), len(self.deferred))
        with self.store.transaction():
            for _, statement in self.shape.triggers:
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
