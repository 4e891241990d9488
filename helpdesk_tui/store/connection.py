"""Opening the SQLite file: pragmas, IMMEDIATE transactions, and errors.

Everything that touches a ``sqlite3`` object stays in ``store/``; callers get
the exceptions defined here, so a second backend (PostgreSQL) can raise the
same ones.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
#: Keep the WAL from growing without bound under sustained load (DESIGN.md):
#: after a checkpoint restarts the log, SQLite trims the file to this size.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
#: SQLite's own checkpoints run every this many pages (its default, said out loud).
WAL_AUTOCHECKPOINT_PAGES = 1000
#: A commit that leaves the -wal file larger than this truncates it (see checkpoint_if_large).
WAL_CHECKPOINT_AT = 8 * 1024 * 1024
#: How long that commit waits for readers to move off the log before trying again later.
WAL_CHECKPOINT_WAIT_MS = 250


class StoreError(Exception):
    """A problem with the database file that the user must act on."""


class DatabaseUnavailable(StoreError):
    """The file cannot be opened or created (missing dir, permissions, not SQLite)."""


class DatabaseTooNew(StoreError):
    """The file was written by a newer version of the program."""


class DatabaseBusy(StoreError):
    """Another console held the write lock for longer than the busy timeout."""


class StaleVersion(StoreError):
    """A row changed since the caller read it (optimistic concurrency)."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"changed since read (now version {current_version})")
        self.current_version = current_version


class ImmediateDatabase(sqlite_utils.Database):
    """sqlite-utils Database whose outer transactions are ``BEGIN IMMEDIATE``.

    A deferred transaction that reads and then writes fails with SQLITE_BUSY
    regardless of the busy timeout when another writer got there first
    (measured: 72-98% failures with 4 writers), so every outer transaction
    takes the write lock up front.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[ImmediateDatabase]:  # type: ignore[override]
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise


def _check_path(path: Path) -> None:
    """Give a one-line reason before sqlite3 gives a vague one."""
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a directory, not a database file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise DatabaseUnavailable(
            f"directory {parent} does not exist: create it or choose another --db path"
        )
    if path.exists():
        if not os.access(path, os.R_OK):
            raise DatabaseUnavailable(f"cannot read {path}: check its permissions")
        if not os.access(path, os.W_OK) or not os.access(parent, os.W_OK):
            raise DatabaseUnavailable(
                f"{path} is read-only for you (the file or its directory): "
                "ask for write access or pass another --db path"
            )
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            raise DatabaseUnavailable(f"{path} is not a helpdesk database (not a SQLite file)")
    elif not os.access(parent, os.W_OK):
        raise DatabaseUnavailable(f"cannot create {path}: directory {parent} is read-only for you")


def connect(path: str | Path) -> ImmediateDatabase:
    """Open (or create) the file with the house pragmas.

    New files are made rw for owner and group only: a team shares the file
    through a group, never through world permissions.
    """
    path = Path(path)
    _check_path(path)
    new_file = not path.exists()
    if new_file:
        old_umask = os.umask(0o007)
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level="IMMEDIATE",
            check_same_thread=False,
        )
        db = ImmediateDatabase(conn, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _refuse_foreign(conn, path)
        _wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    except BaseException as exc:
        if conn is not None:
            conn.close()  # a refused file keeps no -wal or -shm beside it
        if isinstance(exc, sqlite3.DatabaseError):
            raise translate(exc, path) from None
        raise
    finally:
        if new_file:
            os.umask(old_umask)
            with contextlib.suppress(OSError):
                os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IWGRP)
    return db


def checkpoint_if_large(conn: sqlite3.Connection, path: str) -> None:
    """After a commit: truncate the -wal file once it passes WAL_CHECKPOINT_AT.

    SQLite's automatic checkpoints copy pages back into the database, but the
    log can only start over when no console is reading from it; with many
    consoles busy all the time that moment never comes and the file keeps
    growing (measured: 26 MB after 4,000 contacts from 8 consoles). Here the
    committing console waits up to WAL_CHECKPOINT_WAIT_MS for the readers of
    the log to finish (new readers read the database file meanwhile) and
    truncates it; if they do not, a later commit tries again.
    """
    try:
        if os.stat(f"{path}-wal").st_size < WAL_CHECKPOINT_AT or conn.in_transaction:
            return
    except OSError:
        return
    deadline = time.monotonic() + WAL_CHECKPOINT_WAIT_MS / 1000
    try:
        conn.execute(f"PRAGMA busy_timeout = {WAL_CHECKPOINT_WAIT_MS}")
        try:
            # busy: another console's automatic checkpoint holds the checkpoint lock
            # (SQLite does not wait for that one), or readers stayed on the log
            while conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.005)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error:
        pass  # interrupted: the commit itself succeeded; the next one tries again


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting like the busy timeout would.

    On a new file another console may hold the lock while it migrates, and
    SQLite refuses the journal-mode change at once instead of waiting.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")
        time.sleep(0.02)


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Leave another program's SQLite file untouched (no WAL switch, no tables)."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    ours = (
        "_sqlite_migrations" in names
        and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'helpdesk' LIMIT 1"
        ).fetchone()
    )
    if names and not ours:
        conn.close()
        raise DatabaseUnavailable(
            f"{path} is a SQLite database of another program, not a helpdesk database: "
            "choose another --db path"
        )


def translate(exc: sqlite3.Error, path: Path | str = "") -> StoreError:
    """Turn a sqlite3 exception into one of ours, with a message a user can act on."""
    text = str(exc)
    where = f"{path}: " if path else ""
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            f"{where}the database stayed locked by another console for "
            f"{BUSY_TIMEOUT_MS // 1000}s; try again"
        )
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return DatabaseUnavailable(
            f"{where}the file is damaged or not a helpdesk database ({text}); "
            "restore it from a backup"
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable(f"{where}the database is read-only for you")
    if "unable to open" in text:
        return DatabaseUnavailable(f"{where}cannot open the database file ({text})")
    return StoreError(f"{where}database error: {text}")
