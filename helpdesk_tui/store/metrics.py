"""The report's queries: every figure aggregated in SQL over one period (issue 7).

Each query reads only the period's rows through an index on its time column
(``contacts_at``, ``tickets_created``, ``tickets_resolved``, ``tickets_closed``,
``events_reopened``, ``satisfaction_at``, ``calls_entered``) and groups them in SQL;
Python receives a few hundred rows, or for medians one number per row of the period.
Times are grouped per UTC hour (``substr(at, 1, 13)``); the domain places the hours
in local time. Periods are half-open stamps ``[start, end)``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..vocab import OPEN_STATUS_SQL
from .base import Params, Repo, Session
from .connection import ImmediateDatabase, translate

_SECONDS = "(julianday({b}) - julianday({a})) * 86400.0"
_RESOLVE_SECONDS = _SECONDS.format(a="t.created_at", b="t.resolved_at")
_PERIOD = "{col} >= ? AND {col} < ?"

#: Breakdown dimensions: (SQL for a contact ``k``, joins it needs) and the same for a
#: ticket ``t``. ``hour`` and ``weekday`` group by the UTC hour; the domain converts.
CONTACT_DIMS: dict[str, tuple[str, str]] = {
    "channel": ("k.channel", ""),
    "hour": ("substr(k.at, 1, 13)", ""),
    "weekday": ("substr(k.at, 1, 13)", ""),
    "agent": ("k.agent", ""),
    "department": ("u.department", "LEFT JOIN users u ON u.login = k.agent"),
    "level": ("u.level", "LEFT JOIN users u ON u.login = k.agent"),
    "category": ("t.category", "LEFT JOIN tickets t ON t.id = k.ticket_id"),
    "product": (
        "p.name",
        "LEFT JOIN tickets t ON t.id = k.ticket_id LEFT JOIN products p ON p.id = t.product_id",
    ),
}
TICKET_DIMS: dict[str, tuple[str, str]] = {
    "channel": (
        "(SELECT k.channel FROM contacts k WHERE k.ticket_id = t.id AND k.outcome = 'ticket' "
        "ORDER BY k.id LIMIT 1)",
        "",
    ),
    "hour": ("substr(t.created_at, 1, 13)", ""),
    "weekday": ("substr(t.created_at, 1, 13)", ""),
    "agent": ("t.owner", ""),
    "department": ("t.department", ""),
    "level": ("t.level", ""),
    "category": ("t.category", ""),
    "product": ("p.name", "LEFT JOIN products p ON p.id = t.product_id"),
}


def tuples(session: Session, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
    """Rows as plain tuples: cheaper than dicts when a period holds many rows."""
    with session.lock:
        try:
            return session.db.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, session.path) from None


class MetricsStore(Repo):
    @contextlib.contextmanager
    def beside(self) -> Iterator[MetricsStore]:
        """The same queries on a second, read-only connection, for another thread.

        SQLite lets go of Python's lock while it computes, so on two cores the report
        runs its two longest scans at once (measured on 1M tickets: the per-agent
        handle times beside the contact counts).
        """
        uri = f"{Path(self.s.path).resolve().as_uri()}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10)
        except sqlite3.Error as exc:
            raise translate(exc, self.s.path) from None
        try:
            yield MetricsStore(Session(ImmediateDatabase(conn, execute_plugins=False), self.s.path))
        finally:
            conn.close()

    def _rows(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        return tuples(self.s, sql, params)

    def _one(self, sql: str, params: Params = ()) -> tuple[Any, ...]:
        rows = self._rows(sql, params)
        return rows[0] if rows else ()

    # -- contacts -------------------------------------------------------------------------
    def contact_cube(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """One pass over the period's contacts, per UTC hour, channel and agent: contacts,
        complaints, answered at first contact, tickets opened, added to existing tickets,
        answered with no ticket at all, contacts with a start time, their handle seconds."""
        secs = _SECONDS.format(a="started_at", b="at")
        return self._rows(
            "SELECT substr(at, 1, 13), channel, agent, count(*), sum(reason IS 'complaint'), "
            "sum(outcome = 'answered'), sum(outcome = 'ticket'), sum(outcome = 'existing'), "
            "sum(outcome = 'answered' AND ticket_id IS NULL), count(started_at), "
            f"total({secs}) FROM contacts WHERE {_PERIOD.format(col='at')} GROUP BY 1, 2, 3",
            [start, end],
        )

    def agent_handle_histogram(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """(agent, handle time to the second, contacts) of the period's timed contacts:
        what the per-agent medians need, in a few thousand rows instead of one per contact."""
        secs = _SECONDS.format(a="started_at", b="at")
        return self._rows(
            f"SELECT agent, CAST(round(max(0.0, {secs})) AS INTEGER), count(*) FROM contacts "
            f"WHERE {_PERIOD.format(col='at')} AND started_at IS NOT NULL GROUP BY 1, 2",
            [start, end],
        )

    # -- tickets --------------------------------------------------------------------------
    def opened(self, start: str, end: str) -> tuple[Any, ...]:
        """Tickets opened: count, escalated at least once, resolved or closed by now."""
        return self._one(
            "SELECT count(*), total(escalations > 0), total(status IN ('resolved', 'closed')) "
            f"FROM tickets WHERE {_PERIOD.format(col='created_at')}",
            [start, end],
        )

    def count_resolved(self, start: str, end: str) -> int:
        return int(
            self.s.scalar(
                f"SELECT count(*) FROM tickets WHERE {_PERIOD.format(col='resolved_at')}",
                [start, end],
            )
        )

    def count_closed(self, start: str, end: str) -> int:
        return int(
            self.s.scalar(
                f"SELECT count(*) FROM tickets WHERE {_PERIOD.format(col='closed_at')}",
                [start, end],
            )
        )

    def count_reopened(self, start: str, end: str) -> int:
        return int(
            self.s.scalar(
                "SELECT count(*) FROM events WHERE kind = 'reopened' AND at >= ? AND at < ?",
                [start, end],
            )
        )

    def backlog(self, cutoffs: list[str]) -> list[tuple[Any, ...]]:
        """Open tickets now per age bucket: bucket n holds those created at or after
        ``cutoffs[n]`` (newest first) and before the previous cut-off; the last is older."""
        cases = " ".join(f"WHEN created_at >= ? THEN {n}" for n in range(len(cutoffs)))
        return self._rows(
            f"SELECT CASE {cases} ELSE {len(cutoffs)} END, count(*) "
            f"FROM tickets WHERE status IN {OPEN_STATUS_SQL} GROUP BY 1",
            cutoffs,
        )

    def resolution_seconds(self, start: str, end: str) -> list[float]:
        """Creation to resolution, for each ticket resolved in the period."""
        rows = self._rows(
            f"SELECT {_RESOLVE_SECONDS} FROM tickets t WHERE {_PERIOD.format(col='t.resolved_at')}",
            [start, end],
        )
        return [r[0] for r in rows]

    def first_response_seconds(self, start: str, end: str) -> list[float]:
        """Creation to first response, for tickets opened in the period that had one."""
        secs = _SECONDS.format(a="created_at", b="first_response_at")
        rows = self._rows(
            f"SELECT {secs} FROM tickets WHERE {_PERIOD.format(col='created_at')} "
            "AND first_response_at IS NOT NULL",
            [start, end],
        )
        return [r[0] for r in rows]

    def level_changes(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """(ticket, julian day of the change, new level, julian day of its resolution) for
        every level change of the tickets resolved in the period, by ticket and in order.

        The changes are in the events' data (``{"level": [old, new]}``), read off the
        ``events_levels`` index, which holds only those events.
        """
        return self._rows(
            "WITH t AS (SELECT id, resolved_at FROM tickets "
            f"  WHERE {_PERIOD.format(col='resolved_at')}) "
            "SELECT e.ticket_id, julianday(e.at), json_extract(e.data, '$.level[1]'), "
            "julianday(t.resolved_at) FROM t JOIN events e ON e.ticket_id = t.id "
            "WHERE e.data LIKE '%\"level\"%' ORDER BY e.ticket_id, e.id",
            [start, end],
        )

    def resolved_with_plan_ids(self, start: str, end: str) -> list[int]:
        """Tickets on an SLA plan resolved in the period, by id."""
        rows = self._rows(
            f"SELECT id FROM tickets WHERE {_PERIOD.format(col='resolved_at')} "
            "AND sla_plan IS NOT NULL ORDER BY id",
            [start, end],
        )
        return [r[0] for r in rows]

    def tickets_and_events(self, ids: list[int]) -> tuple[list[dict], list[dict]]:
        """These tickets and their events (for the SLA clocks), in id order."""
        marks = ", ".join("?" * len(ids))
        if not ids:
            return [], []
        tickets = self.s.rows(
            "SELECT t.*, c.name AS customer_name FROM tickets t "
            f"JOIN customers c ON c.id = t.customer_id WHERE t.id IN ({marks}) ORDER BY t.id",
            ids,
        )
        events = self.s.rows(
            f"SELECT e.* FROM events e WHERE e.ticket_id IN ({marks}) ORDER BY e.ticket_id, e.id",
            ids,
        )
        return tickets, events

    def products(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """(product name or None, category, seconds to resolve or None) per ticket opened."""
        return self._rows(
            f"SELECT p.name, t.category, CASE WHEN t.resolved_at IS NOT NULL "
            f"THEN {_RESOLVE_SECONDS} END FROM tickets t "
            "LEFT JOIN products p ON p.id = t.product_id "
            f"WHERE {_PERIOD.format(col='t.created_at')}",
            [start, end],
        )

    def category_names(self) -> dict[str, str]:
        return dict(self._rows("SELECT key, name FROM categories"))  # type: ignore[arg-type]

    # -- satisfaction --------------------------------------------------------------------------
    def add_rating(self, ticket_id: int, at: str, rating: int, comment: str, by: str) -> int:
        cursor = self.s.execute(
            "INSERT INTO satisfaction (ticket_id, at, rating, comment, recorded_by) "
            "VALUES (?, ?, ?, ?, ?)",
            [ticket_id, at, rating, comment, by],
        )
        return int(cursor.lastrowid or 0)

    def ratings(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """(rating, how many) given in the period."""
        return self._rows(
            f"SELECT rating, count(*) FROM satisfaction WHERE {_PERIOD.format(col='at')} "
            "GROUP BY rating ORDER BY rating",
            [start, end],
        )

    def low_ratings(self, start: str, end: str, at_most: int, limit: int) -> list[tuple]:
        """The period's ratings of ``at_most`` or less, newest first, with their tickets."""
        return self._rows(
            "SELECT s.ticket_id, s.at, s.rating, s.comment, s.recorded_by, t.title "
            "FROM satisfaction s JOIN tickets t ON t.id = s.ticket_id "
            f"WHERE {_PERIOD.format(col='s.at')} AND s.rating <= ? "
            "ORDER BY s.at DESC, s.id DESC LIMIT ?",
            [start, end, at_most, limit],
        )

    def ticket_ratings(self, ticket_id: int) -> list[tuple[Any, ...]]:
        return self._rows(
            "SELECT at, rating, comment, recorded_by FROM satisfaction "
            "WHERE ticket_id = ? ORDER BY id",
            [ticket_id],
        )

    def set_contact_reason(self, contact_id: int, reason: str | None) -> None:
        self.s.execute("UPDATE contacts SET reason = ? WHERE id = ?", [reason, contact_id])

    def contact_reason(self, contact_id: int) -> str | None:
        return self.s.scalar("SELECT reason FROM contacts WHERE id = ?", [contact_id])

    # -- knowledge and bulletins ---------------------------------------------------------------
    def walks(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """(outcome, walks) for walks started in the period."""
        return self._rows(
            f"SELECT outcome, count(*) FROM kb_walks WHERE {_PERIOD.format(col='started_at')} "
            "GROUP BY outcome",
            [start, end],
        )

    def walk_articles(self, start: str, end: str, limit: int) -> list[tuple[Any, ...]]:
        """(key, title, walks, solved) of the most walked articles in the period."""
        return self._rows(
            "SELECT a.key, a.title, count(*), sum(w.outcome = 'solved') FROM kb_walks w "
            "JOIN kb_articles a ON a.id = w.article_id "
            f"WHERE {_PERIOD.format(col='w.started_at')} "
            "GROUP BY w.article_id ORDER BY 3 DESC, a.key LIMIT ?",
            [start, end, limit],
        )

    def contacts_solved_by_walk(self, start: str, end: str) -> int:
        """Contacts of the period answered without a ticket after a solved walk."""
        return int(
            self.s.scalar(
                "SELECT count(DISTINCT w.contact_id) FROM kb_walks w "
                "JOIN contacts k ON k.id = w.contact_id "
                f"WHERE {_PERIOD.format(col='w.started_at')} AND {_PERIOD.format(col='k.at')} "
                "AND w.outcome = 'solved' AND k.outcome = 'answered' AND k.ticket_id IS NULL",
                [start, end, start, end],
            )
        )

    def bulletin_links(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """(id, title, status, contacts linked, tickets linked) per bulletin, in the period."""
        return self._rows(
            "WITH k AS (SELECT bulletin_id, count(*) AS n FROM contact_bulletins "
            f"  WHERE {_PERIOD.format(col='at')} GROUP BY 1), "
            "t AS (SELECT bulletin_id, count(*) AS n FROM ticket_bulletins "
            f"  WHERE {_PERIOD.format(col='at')} GROUP BY 1) "
            "SELECT b.id, b.title, b.status, coalesce(k.n, 0), coalesce(t.n, 0) FROM bulletins b "
            "LEFT JOIN k ON k.bulletin_id = b.id LEFT JOIN t ON t.bulletin_id = b.id "
            "WHERE k.n IS NOT NULL OR t.n IS NOT NULL "
            "ORDER BY coalesce(k.n, 0) + coalesce(t.n, 0) DESC, b.id",
            [start, end, start, end],
        )

    # -- agents ----------------------------------------------------------------------------------
    def resolved_by(self, start: str, end: str) -> list[tuple[Any, ...]]:
        """(agent, resolutions recorded in the period), on the ``events_resolved`` index."""
        return self._rows(
            "SELECT actor, count(*) FROM events WHERE kind = 'resolved' AND at >= ? AND at < ? "
            "GROUP BY 1",
            [start, end],
        )

    # -- breakdown ----------------------------------------------------------------------------
    def breakdown_contacts(self, dim: str, start: str, end: str) -> list[tuple[Any, ...]]:
        """(group, contacts, complaints, answered at first contact, new issues)."""
        expr, joins = CONTACT_DIMS[dim]
        return self._rows(
            f"SELECT {expr}, count(*), sum(k.reason IS 'complaint'), "
            "sum(k.outcome = 'answered'), sum(k.outcome != 'existing') "
            f"FROM contacts k {joins} WHERE {_PERIOD.format(col='k.at')} GROUP BY 1",
            [start, end],
        )

    def breakdown_opened(self, dim: str, start: str, end: str) -> list[tuple[Any, ...]]:
        expr, joins = TICKET_DIMS[dim]
        return self._rows(
            f"SELECT {expr}, count(*) FROM tickets t {joins} "
            f"WHERE {_PERIOD.format(col='t.created_at')} GROUP BY 1",
            [start, end],
        )

    def breakdown_resolved(self, dim: str, start: str, end: str) -> list[tuple[Any, ...]]:
        """(group, seconds to resolve) per ticket resolved in the period."""
        expr, joins = TICKET_DIMS[dim]
        return self._rows(
            f"SELECT {expr}, {_RESOLVE_SECONDS} FROM tickets t {joins} "
            f"WHERE {_PERIOD.format(col='t.resolved_at')}",
            [start, end],
        )

    def breakdown_backlog(self, dim: str) -> list[tuple[Any, ...]]:
        expr, joins = TICKET_DIMS[dim]
        return self._rows(
            f"SELECT {expr}, count(*) FROM tickets t {joins} "
            f"WHERE t.status IN {OPEN_STATUS_SQL} GROUP BY 1"
        )

    def breakdown_ratings(self, dim: str, start: str, end: str) -> list[tuple[Any, ...]]:
        """(group, ratings, sum of ratings) for the period's ratings."""
        expr, joins = TICKET_DIMS[dim]
        return self._rows(
            f"SELECT {expr}, count(*), total(s.rating) FROM satisfaction s "
            f"JOIN tickets t ON t.id = s.ticket_id {joins} "
            f"WHERE {_PERIOD.format(col='s.at')} GROUP BY 1",
            [start, end],
        )
