"""The -wal file stays bounded: truncated after a commit that leaves it large, and
never at the cost of the commit itself. (Sustained load from many processes is in
test_processes.py.)"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from helpdesk_tui.desk import Desk
from helpdesk_tui.store import connection

SMALL = 256 * 1024


def wal_size(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def big_transaction(desk: Desk, n: int = 600) -> None:
    with desk.store.transaction():
        for i in range(n):
            desk.log_contact(channel="chat", customer_id=1, summary=f"call {i} " + "x" * 500)


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "WAL_CHECKPOINT_AT", SMALL)


def test_the_house_pragmas_bound_the_log(desk: Desk) -> None:
    conn = desk.store.session.db.conn
    assert conn.execute("PRAGMA journal_size_limit").fetchone()[0] == connection.JOURNAL_SIZE_LIMIT
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert connection.WAL_CHECKPOINT_AT <= connection.JOURNAL_SIZE_LIMIT


def test_a_commit_that_leaves_a_large_log_truncates_it(
    desk: Desk, db_path: Path, small_threshold: None
) -> None:
    with desk.store.transaction():  # grows the log, but inside a transaction nothing is cut
        for i in range(600):
            desk.log_contact(channel="chat", customer_id=1, summary=f"call {i} " + "x" * 500)
        assert wal_size(db_path) > SMALL
    assert wal_size(db_path) < SMALL  # the commit truncated it
    assert len(desk.contacts()) == 600


def test_a_reader_on_the_log_delays_the_truncation_not_the_commit(
    desk: Desk, db_path: Path, small_threshold: None
) -> None:
    reader = sqlite3.connect(db_path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM contacts").fetchone()  # holds a snapshot
        big_transaction(desk)
        assert len(desk.contacts()) == 600  # committed although the log could not be cut
        assert wal_size(db_path) > SMALL
        assert reader.execute("SELECT count(*) FROM contacts").fetchone() == (0,)
        reader.execute("COMMIT")  # the reader moves on ...
        desk.log_contact(channel="phone", customer_id=1, summary="one more")
        assert wal_size(db_path) < SMALL  # ... and the next commit truncates the log
    finally:
        with contextlib.suppress(sqlite3.Error):
            reader.close()
