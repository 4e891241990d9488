"""Whole-file care: the consistency checks of ``helpdesk check`` and online backups.

Every check is a query that lists what is wrong, so a clean file costs one
pass and a damaged one says exactly where. The desk's own invariants are
checked beside SQLite's: a ticket is born with its ``created`` event and each
change bumps its version and appends one event in the same transaction, so
``version`` equals the number of its events, and no event outlives its ticket.

Backups use SQLite's online backup API in one step: a read transaction on a
WAL file sees one consistent snapshot while other consoles keep writing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .base import Session
from .connection import StoreError, translate

#: At most this many offending rows are listed per check; the count is always exact.
SHOWN = 20


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, what it verifies, how many problems, and the first few."""

    name: str
    about: str
    count: int = 0
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.count == 0


class BackupRefused(StoreError):
    """The destination cannot take the backup (exists, is a directory, not writable)."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    bytes: int
    tickets: int
    contacts: int
    integrity: str = "ok"
    extra: dict[str, int] = field(default_factory=dict)


# -- checks -----------------------------------------------------------------------------------


def fts_tables(session: Session) -> list[tuple[str, bool]]:
    """Every FTS5 table and whether it indexes another table (``content=``)."""
    rows = session.rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE "
        "'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name"
    )
    return [(r["name"], "content=" in r["sql"].replace(" ", "").lower()) for r in rows]


def _listed(session: Session, name: str, about: str, count_sql: str, list_sql: str) -> CheckResult:
    count = int(session.scalar(count_sql) or 0)
    shown = tuple(str(r["problem"]) for r in session.rows(list_sql)) if count else ()
    return CheckResult(name, about, count, shown)


def integrity(session: Session) -> CheckResult:
    found = [r[next(iter(r))] for r in session.rows("PRAGMA integrity_check")]
    bad = [line for line in found if line != "ok"]
    return CheckResult("integrity", "SQLite integrity_check", len(bad), tuple(bad[:SHOWN]))


def foreign_keys(session: Session) -> CheckResult:
    rows = session.rows("PRAGMA foreign_key_check")
    shown = tuple(
        f"{r['table']} row {r['rowid']} points to a missing {r['parent']} row" for r in rows[:SHOWN]
    )
    return CheckResult("foreign keys", "SQLite foreign_key_check", len(rows), shown)


def fts(session: Session, table: str, external: bool) -> CheckResult:
    """FTS5's own integrity check; with ``content=`` it also compares with the indexed table.

    It is an INSERT that changes nothing, so it runs in a transaction that is rolled back.
    """
    about = f"full-text index {table} in sync" if external else f"full-text index {table}"
    rank = ", rank" if external else ""
    value = ", 1" if external else ""
    quoted = '"' + table.replace('"', '""') + '"'
    conn = session.db.conn
    with session.lock:
        try:
            began = not conn.in_transaction
            if began:
                conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    f"INSERT INTO {quoted} ({quoted}{rank}) VALUES ('integrity-check'{value})"
                )
            finally:
                if began and conn.in_transaction:
                    conn.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise translate(exc, session.path) from None
            return CheckResult(table, about, 1, (f"{table}: {text}: rebuild it",))
    return CheckResult(table, about)


def tickets_without_creation(session: Session) -> CheckResult:
    where = (
        "FROM tickets t WHERE NOT EXISTS "
        "(SELECT 1 FROM events e WHERE e.ticket_id = t.id AND e.kind = 'created')"
    )
    return _listed(
        session,
        "ticket births",
        "every ticket has its creation event",
        f"SELECT count(*) {where}",
        f"SELECT 'ticket #' || t.id || ' has no creation event' AS problem {where} "
        f"ORDER BY t.id LIMIT {SHOWN}",
    )


def orphan_events(session: Session) -> CheckResult:
    where = "FROM events e WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = e.ticket_id)"
    return _listed(
        session,
        "orphan events",
        "no event without its ticket",
        f"SELECT count(*) {where}",
        f"SELECT 'event ' || e.id || ' belongs to missing ticket #' || e.ticket_id AS problem "
        f"{where} ORDER BY e.id LIMIT {SHOWN}",
    )


def versions(session: Session) -> CheckResult:
    counted = (
        "FROM (SELECT t.id, t.version, "
        "(SELECT count(*) FROM events e WHERE e.ticket_id = t.id) AS n FROM tickets t) "
        "WHERE version != n"
    )
    return _listed(
        session,
        "versions",
        "each ticket's version equals its number of events",
        f"SELECT count(*) {counted}",
        f"SELECT 'ticket #' || id || ' is at version ' || version || ' but has ' || n || "
        f"' events' AS problem {counted} ORDER BY id LIMIT {SHOWN}",
    )


def contacts_of_missing_tickets(session: Session) -> CheckResult:
    where = (
        "FROM contacts c WHERE c.ticket_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM tickets t WHERE t.id = c.ticket_id)"
    )
    return _listed(
        session,
        "contacts",
        "every contact's ticket exists",
        f"SELECT count(*) {where}",
        f"SELECT 'contact ' || c.id || ' names missing ticket #' || c.ticket_id AS problem "
        f"{where} ORDER BY c.id LIMIT {SHOWN}",
    )


def run_checks(session: Session) -> list[CheckResult]:
    """Every check, SQLite's first; later ones are skipped when the file itself is damaged."""
    first = integrity(session)
    if not first.ok:
        return [first]
    results = [first, foreign_keys(session)]
    results += [fts(session, name, external) for name, external in fts_tables(session)]
    results += [
        tickets_without_creation(session),
        orphan_events(session),
        versions(session),
        contacts_of_missing_tickets(session),
    ]
    return results


# -- backups ----------------------------------------------------------------------------------


def backup(session: Session, dest: Path, *, force: bool = False) -> BackupReport:
    """Copy the file to ``dest`` consistently, verify the copy, then put it in place.

    The copy is written next to ``dest`` under a temporary name and only
    linked (or, with ``force``, renamed) into place once its integrity check
    passes, so ``dest`` is never a half-written file and an existing one is
    never overwritten without ``force``.
    """
    dest = Path(dest)
    _check_destination(dest, session.path, force)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    except OSError as exc:
        raise BackupRefused(f"cannot write to {dest.parent}: {exc.strerror}") from None
    os.close(fd)
    partial = Path(name)
    try:
        os.chmod(partial, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IWGRP)
        _copy(session, partial)
        report = _verify(partial, dest)
        if force:
            os.replace(partial, dest)
        else:
            try:
                os.link(partial, dest)  # fails if dest appeared meanwhile: never overwrites
            except FileExistsError:
                raise BackupRefused(f"{dest} already exists: pass --force to replace it") from None
            except OSError:  # a file system without hard links
                if dest.exists():
                    raise BackupRefused(
                        f"{dest} already exists: pass --force to replace it"
                    ) from None
                os.replace(partial, dest)
        return report
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()


def _check_destination(dest: Path, source: str, force: bool) -> None:
    if dest.is_dir():
        raise BackupRefused(f"{dest} is a directory: give a file name, e.g. {dest / 'helpdesk.db'}")
    if not dest.parent.is_dir():
        raise BackupRefused(f"directory {dest.parent} does not exist: create it first")
    if dest.exists():
        with contextlib.suppress(OSError):
            if dest.samefile(source):
                raise BackupRefused(f"{dest} is the database itself: choose another file")
        if not force:
            raise BackupRefused(f"{dest} already exists: pass --force to replace it")
    if not os.access(dest.parent, os.W_OK):
        raise BackupRefused(f"cannot write to {dest.parent}: check its permissions")


def _copy(session: Session, partial: Path) -> None:
    target = sqlite3.connect(partial)
    try:
        with session.lock:
            session.db.conn.backup(target)  # one step: one snapshot
        # a self-contained file: no -wal beside it, whatever mode the source was in
        target.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise _backup_error(exc, session.path, partial) from None
    finally:
        target.close()


def _backup_error(exc: sqlite3.Error, source: str, partial: Path) -> StoreError:
    if "full" in str(exc) or "disk I/O" in str(exc):
        return StoreError(f"cannot write the backup in {partial.parent}: {exc}")
    return translate(exc, source)


def _verify(partial: Path, dest: Path) -> BackupReport:
    conn = sqlite3.connect(f"file:{partial}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise StoreError(f"the copy failed its integrity check ({result}); nothing was written")
        tickets = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
        contacts = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    except sqlite3.Error as exc:
        raise StoreError(f"the copy could not be verified ({exc}); nothing was written") from None
    finally:
        conn.close()
    return BackupReport(dest, partial.stat().st_size, tickets, contacts)
