"""The SQLite store: how the file is opened, migrated, refused, searched and queried."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Customer, Desk, StorageProblem, TicketDraft
from helpdesk_tui.store import DatabaseTooNew, Store, StoreError, Ticket, connection
from helpdesk_tui.store.schema import KNOWN_MIGRATIONS, MIGRATION_SET, ensure_schema, migrations
from helpdesk_tui.vocab import OPEN_STATUS_SQL


def raw(path: Path | str) -> sqlite3.Connection:
    """A plain sqlite3 connection, as another program (or a careless admin) would open."""
    return sqlite3.connect(str(path), isolation_level=None)


def scalar(path: Path | str, sql: str, params: tuple = ()) -> object:
    conn = raw(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


# -- opening a file ------------------------------------------------------------------------


def test_new_file_is_wal_with_foreign_keys_busy_timeout_and_group_only_mode(
    desk: Desk, db_path: Path
) -> None:
    conn = desk.store.session.db.conn
    assert scalar(db_path, "PRAGMA journal_mode") == "wal"  # persistent in the file
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA journal_size_limit").fetchone()[0] > 0
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o660
    for side in ("-wal", "-shm"):
        extra = Path(str(db_path) + side)
        if extra.exists():
            assert stat.S_IMODE(extra.stat().st_mode) & 0o007 == 0, side


def test_foreign_keys_are_enforced_and_errors_come_out_as_store_errors(desk: Desk) -> None:
    before = len(desk.tickets("all"))
    with pytest.raises(StoreError, match="FOREIGN KEY") as caught:
        desk.store.tickets.insert(
            {
                "created_at": "2026-11-25T09:00:00.000000Z",
                "updated_at": "2026-11-25T09:00:00.000000Z",
                "created_by": "admin",
                "customer_id": 999,
                "category": "general",
                "title": "orphan",
            }
        )
    assert not isinstance(caught.value, sqlite3.Error)  # no sqlite3 type leaks out
    assert len(desk.tickets("all")) == before


def test_opening_twice_is_idempotent(db_path: Path, clock: FrozenClock) -> None:
    first = Desk.open(db_path, login="admin", clock=clock)
    first.init()
    customer = first.add_customer("Marta Jones")
    first.close()

    second = Desk.open(db_path, login="admin", clock=clock)
    assert ensure_schema(second.store.session.db) is False
    assert second.customer(customer.id).name == "Marta Jones"
    second.close()

    rows = raw(db_path).execute("SELECT name FROM _sqlite_migrations").fetchall()
    assert sorted(r[0] for r in rows) == sorted(KNOWN_MIGRATIONS)


def test_ensure_schema_reports_whether_it_changed_anything(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    db = connection.connect(path)
    try:
        assert ensure_schema(db) is True
        assert ensure_schema(db) is False
    finally:
        db.conn.close()


def test_file_from_an_older_version_is_upgraded_keeping_its_data(tmp_path: Path) -> None:
    names = [m.name for m in migrations._migrations]
    if len(names) < 2:
        pytest.skip("only one schema step so far")
    path = tmp_path / "old.db"
    db = connection.connect(path)
    with db.atomic():
        migrations.apply(db, stop_before=names[-1])  # what the previous release made
    db.conn.execute(
        "INSERT INTO customers (name, created_at) VALUES ('Marta Jones', ?)",
        ["2026-01-01T00:00:00.000000Z"],
    )
    db.conn.commit()
    db.conn.close()

    desk = Desk.open(path, login="admin")
    desk.init()
    assert [c.name for c in desk.find_customers("marta")] == ["Marta Jones"]
    desk.close()
    applied = [r[0] for r in raw(path).execute("SELECT name FROM _sqlite_migrations")]
    assert sorted(applied) == sorted(names)


def test_file_from_a_newer_version_is_refused(db_path: Path) -> None:
    Desk.open(db_path, login="admin").close()
    conn = raw(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        (MIGRATION_SET, "9999_future", "2030-01-01 00:00:00+00:00"),
    )
    conn.close()

    with pytest.raises(DatabaseTooNew, match="newer version"):
        Store(db_path)
    with pytest.raises(StorageProblem, match="newer version") as caught:
        Desk.open(db_path, login="admin")
    assert "upgrade" in str(caught.value)
    # Refusing wrote nothing: the future step is still there, nothing else changed.
    names = [r[0] for r in raw(db_path).execute("SELECT name FROM _sqlite_migrations")]
    assert sorted(names) == sorted([*KNOWN_MIGRATIONS, "9999_future"])


@pytest.mark.parametrize(
    "content",
    [
        b"name,email\nMarta,marta@example.org\n" * 50,
        b"x",
        b"SQLite format 3\x00" + bytes(range(256)) * 16,  # a header, then garbage
    ],
    ids=["csv", "one-byte", "damaged-sqlite"],
)
def test_file_that_is_not_a_database_is_refused_and_left_alone(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StorageProblem) as caught:
        Desk.open(path, login="admin")
    message = str(caught.value)
    assert str(path) in message
    assert "not a helpdesk database" in message or "damaged" in message
    assert "\n" not in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_sqlite_file_of_another_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "inventory.sqlite"
    conn = raw(path)
    conn.execute("CREATE TABLE users (badge TEXT)")
    conn.execute("INSERT INTO users VALUES ('B-17')")
    conn.close()
    content = path.read_bytes()

    with pytest.raises(StorageProblem, match="not a helpdesk database") as caught:
        Desk.open(path, login="admin")
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inventory.sqlite"]


def test_sqlite_utils_file_of_another_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "inventory.sqlite"
    conn = raw(path)
    conn.execute(
        "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, "
        "name TEXT, applied_at TEXT)"
    )
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('inventory', '0001_initial', '2026-01-01 00:00:00+00:00')"
    )
    conn.execute("CREATE TABLE items (sku TEXT PRIMARY KEY, qty INTEGER)")
    conn.execute("INSERT INTO items VALUES ('A-1', 3)")
    conn.close()
    content = path.read_bytes()

    with pytest.raises(StorageProblem, match="not a helpdesk database"):
        Desk.open(path, login="admin")
    assert path.read_bytes() == content


def test_path_in_a_missing_directory_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    with pytest.raises(StorageProblem, match="does not exist") as caught:
        Desk.open(missing / "desk.db", login="admin")
    assert str(missing) in str(caught.value)
    assert not missing.exists()


def test_path_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(StorageProblem, match="is a directory"):
        Desk.open(folder, login="admin")
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_directory_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StorageProblem, match="read-only"):
            Desk.open(locked / "desk.db", login="admin")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_dropped_trigger_is_noticed_at_start_up(desk: Desk, db_path: Path) -> None:
    desk.close()
    raw(db_path).execute("DROP TRIGGER events_append_only_delete")
    with pytest.raises(StorageProblem, match="events_append_only_delete"):
        Desk.open(db_path, login="admin")


# -- transactions and events -------------------------------------------------------------


def test_store_transaction_is_all_or_nothing(desk: Desk) -> None:
    before = desk.store.customers.count()
    with pytest.raises(RuntimeError), desk.store.transaction():
        desk.store.customers.add("Ghost", "", "", "", "basic", "2026-11-25T09:00:00.000000Z")
        assert desk.store.customers.count() == before + 1
        raise RuntimeError("the second half failed")
    assert desk.store.customers.count() == before


def test_events_are_append_only(desk: Desk, db_path: Path) -> None:
    customer = desk.resolve_customer("Marta Jones")
    ticket = desk.open_ticket(customer.id, TicketDraft("Printer jams", "general"))
    desk.add_note(ticket.id, "tried a new tray")
    before = raw(db_path).execute("SELECT * FROM events ORDER BY id").fetchall()
    assert len(before) == 2

    conn = raw(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET note = 'rewritten' WHERE ticket_id = ?", (ticket.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events WHERE ticket_id = ?", (ticket.id,))
    conn.close()
    assert raw(db_path).execute("SELECT * FROM events ORDER BY id").fetchall() == before


def test_busy_database_is_reported_and_nothing_is_written(
    db_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = Desk.open(db_path, login="admin", clock=clock)
    setup.init()
    customer = setup.add_customer("Marta Jones")
    setup.close()
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    desk = Desk.open(db_path, login="admin", clock=clock)

    other = raw(db_path)
    other.execute("BEGIN IMMEDIATE")  # another console holds the write lock
    try:
        with pytest.raises(StorageProblem, match="locked"):
            desk.log_contact(channel="phone", customer_id=customer.id, summary="hello")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert desk.store.contacts.count() == 0
    # Once the lock is gone the same call goes through.
    desk.log_contact(channel="phone", customer_id=customer.id, summary="hello")
    assert desk.store.contacts.count() == 1
    desk.close()


def test_data_version_changes_when_any_console_commits(desk: Desk) -> None:
    start = desk.data_version()
    assert desk.data_version() == start  # polling alone changes nothing
    other = as_user(desk, "alice")
    other.add_customer("Walk-in Visitor")
    other.close()
    after_other = desk.data_version()
    assert after_other != start
    desk.add_customer("Phone Caller")  # own writes refresh the console too
    assert desk.data_version() != after_other


def test_records_are_plain_dataclasses(desk: Desk) -> None:
    customer = desk.resolve_customer("Marta Jones")
    ticket = desk.open_ticket(customer.id, TicketDraft("VPN drops", "general"))
    assert type(ticket) is Ticket
    assert type(customer) is Customer
    assert ticket.created_at == T0
    assert ticket.customer_name == "Marta Jones"
    assert ticket.fields == {}


# -- the open queue's index ---------------------------------------------------------------


def _queue_sql(desk: Desk, **page_args: object) -> str:
    """The exact ticket SELECT that queue_page runs (bound values expanded)."""
    seen: list[str] = []
    conn = desk.store.session.db.conn
    conn.set_trace_callback(seen.append)
    try:
        desk.queue_page("all", 2, **page_args)  # type: ignore[arg-type]
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT T.*")]
    assert len(selects) == 1, seen
    return selects[0]


@pytest.fixture
def queue_desk(desk: Desk, clock: FrozenClock) -> Desk:
    customer = desk.resolve_customer("Marta Jones")
    for n in range(6):
        clock.advance(minutes=5)
        desk.open_ticket(customer.id, TicketDraft(f"ticket {n}", "general"))
    return desk


def test_queue_query_repeats_the_partial_index_condition_literally(queue_desk: Desk) -> None:
    index_sql = scalar(
        queue_desk.store.path,
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'tickets_open_queue'",
    )
    assert isinstance(index_sql, str)
    assert f"status IN {OPEN_STATUS_SQL}" in index_sql
    assert f"status IN {OPEN_STATUS_SQL}" in _queue_sql(queue_desk)


@pytest.mark.parametrize("where", ["first", "after", "before", "last"])
def test_queue_page_walks_the_partial_index(queue_desk: Desk, where: str) -> None:
    first = queue_desk.queue_page("all", 2)
    args: dict[str, object] = {
        "first": {},
        "after": {"after": first.last_key},
        "before": {"before": queue_desk.queue_page("all", 2, after=first.last_key).first_key},
        "last": {"last": True},
    }[where]
    sql = _queue_sql(queue_desk, **args)
    plan = [row[3] for row in queue_desk.store.session.db.conn.execute("EXPLAIN QUERY PLAN " + sql)]
    assert any("tickets_open_queue" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


# -- full-text search ------------------------------------------------------------------


@pytest.fixture
def search_desk(desk: Desk) -> Desk:
    desk.add_customer("Zoë O'Brien", email="zoe.obrien@example.org", org="C++ Users Group")
    desk.add_customer("Ravi Patel", email="ravi@example.net", phone="+44 20 7946 0958")
    return desk


HOSTILE = [
    "C++",
    "can't",
    "e-mail",
    "NOT",
    '"unbalanced',
    "*",
    "AND OR",
    "",
    "   ",
    "!!!?.,;:",
    "NEAR(a b)",
    "name:marta",
    "^start",
    "a AND",
    "(",
    "marta)",
    "-",
    "\x00\x1b[31m",
    "'; DROP TABLE customers; --",
    "x" * 5000,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_text_never_raises(search_desk: Desk, query: str) -> None:
    found = search_desk.find_customers(query)
    assert isinstance(found, list)
    assert all(isinstance(c, Customer) for c in found)
    assert search_desk.store.customers.count() == 3


@pytest.mark.parametrize("query", ["", "   ", "*", "!!!?.,;:", "-"])
def test_search_with_nothing_searchable_lists_newest_customers(
    search_desk: Desk, query: str
) -> None:
    names = [c.name for c in search_desk.find_customers(query)]
    assert names == ["Ravi Patel", "Zoë O'Brien", "Marta Jones"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mar", "Marta Jones"),
        ("MARTA jon", "Marta Jones"),
        ("jones marta", "Marta Jones"),
        ("Acme", "Marta Jones"),
        ("marta@example", "Marta Jones"),
        ("O'Brien", "Zoë O'Brien"),
        ("zoe", "Zoë O'Brien"),
        ("C++", "Zoë O'Brien"),
        ("7946", "Ravi Patel"),
    ],
)
def test_search_as_you_type_finds_by_prefix_of_any_field(
    search_desk: Desk, query: str, expected: str
) -> None:
    assert [c.name for c in search_desk.find_customers(query)] == [expected]


def test_search_that_matches_nothing_is_empty(search_desk: Desk) -> None:
    assert search_desk.find_customers("xyzzy") == []
