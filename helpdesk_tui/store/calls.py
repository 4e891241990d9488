"""Call records from the phone system, one row per call leg in a queue (issue 7).

Imports use ``INSERT OR IGNORE`` on the table's UNIQUE key (queue, call id, entry
time), so importing the same file twice adds nothing the second time. The report reads
them per UTC hour with one ``GROUP BY`` over the ``calls_entered`` index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import Repo
from .metrics import tuples

_INSERT = (
    "INSERT OR IGNORE INTO calls (call_id, queue, entered_at, outcome, wait_seconds, "
    "talk_seconds, agent, caller, transferred, source, imported_at, imported_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class Calls(Repo):
    def add_many(self, rows: Sequence[Sequence[Any]]) -> int:
        """Insert rows laid out as the INSERT above; returns how many were new.

        Runs in the caller's transaction when there is one (the import is all or nothing).
        """
        with self.s.lock:
            conn = self.s.db.conn
            before = conn.total_changes
            self.s.executemany(_INSERT, rows)
            return conn.total_changes - before

    def count(self) -> int:
        return int(self.s.scalar("SELECT count(*) FROM calls"))

    def hourly(self, start: str, end: str, target_seconds: float) -> list[tuple[Any, ...]]:
        """Per UTC hour of entry: offered, answered, abandoned, other unanswered, wait of
        the answered, longest wait, answered within target, all waiting, talk, talks."""
        return tuples(
            self.s,
            "SELECT substr(entered_at, 1, 13), count(*), sum(outcome = 'answered'), "
            "sum(outcome = 'abandoned'), sum(outcome NOT IN ('answered', 'abandoned')), "
            "total(CASE WHEN outcome = 'answered' THEN wait_seconds END), max(wait_seconds), "
            "sum(outcome = 'answered' AND wait_seconds <= ?), total(wait_seconds), "
            "total(talk_seconds), count(talk_seconds) "
            "FROM calls WHERE entered_at >= ? AND entered_at < ? GROUP BY 1",
            [target_seconds, start, end],
        )
