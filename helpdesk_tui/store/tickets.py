"""Tickets, their append-only events, and the open queue read a page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..vocab import OPEN_STATUS_SQL
from .base import Repo, Session
from .connection import StaleVersion
from .counts import CountCache
from .records import Event, Page, PageKey, Ticket

_TICKET_SELECT = (
    "SELECT t.*, c.name AS customer_name FROM tickets t JOIN customers c ON c.id = t.customer_id"
)
#: Every queue read walks the open-queue partial index, whatever else it filters.
_QUEUE_FROM = (
    "FROM tickets t INDEXED BY tickets_open_queue JOIN customers c ON c.id = t.customer_id"
)


@dataclass(frozen=True)
class QueueFilter:
    """Which open tickets a queue view shows. Empty means the whole queue."""

    owner: str | None = None
    department: str | None = None
    status: str | None = None
    flagged: bool = False
    #: priority -> stamp: only tickets not updated for the customer since then.
    courtesy_before: tuple[tuple[str, str], ...] = ()
    #: SLA plan -> stamp: the same cut-off by the ticket's plan, which wins over its
    #: priority's (issue 4); tickets without a plan (or of another plan) use the priority's.
    courtesy_plans: tuple[tuple[str, str], ...] = ()
    #: SLA views (issue 4): due at or before this stamp (breached) ...
    due_by: str | None = None
    #: ... or due after this stamp (not yet breached) ...
    due_after: str | None = None
    #: ... and before the ticket's at-risk horizon: (plan, first-response horizon,
    #: resolution horizon); the first applies while no first response was made.
    due_horizons: tuple[tuple[str, str, str], ...] = ()

    def sql(self) -> tuple[str, list[Any]]:
        # The open-status list is repeated literally so SQLite can use the
        # partial index tickets_open_queue.
        terms = [f"t.status IN {OPEN_STATUS_SQL}"]
        params: list[Any] = []
        if self.owner is not None:
            terms.append("t.owner = ?")
            params.append(self.owner)
        if self.department is not None:
            terms.append("t.department = ?")
            params.append(self.department)
        if self.status is not None:
            terms.append("t.status = ?")
            params.append(self.status)
        if self.flagged:
            terms.append("t.lead_flag = 1")
        if self.courtesy_before:
            cases = " ".join("WHEN ? THEN ?" for _ in self.courtesy_before)
            cutoff = f"CASE t.priority {cases} END"
            if self.courtesy_plans:
                plans = " ".join("WHEN ? THEN ?" for _ in self.courtesy_plans)
                cutoff = f"COALESCE(CASE t.sla_plan {plans} END, {cutoff})"
                for plan, stamp in self.courtesy_plans:
                    params += [plan, stamp]
            terms.append(f"COALESCE(t.last_update_at, t.created_at) < {cutoff}")
            for priority, stamp in self.courtesy_before:
                params += [priority, stamp]
        if self.due_by is not None:
            terms.append("t.due_at <= ?")
            params.append(self.due_by)
        if self.due_after is not None:
            terms.append("t.due_at > ?")
            params.append(self.due_after)
        if self.due_horizons:
            cases = " ".join("WHEN ? THEN ?" for _ in self.due_horizons)
            terms.append(
                f"t.due_at < CASE WHEN t.first_response_at IS NULL THEN CASE t.sla_plan {cases} "
                f"END ELSE CASE t.sla_plan {cases} END END"
            )
            params += [v for plan, first, _ in self.due_horizons for v in (plan, first)]
            params += [v for plan, _, resolution in self.due_horizons for v in (plan, resolution)]
            # the latest horizon bounds the range, so the due index reads only that stretch
            terms.append("t.due_at < ?")
            params.append(max(max(first, resolution) for _, first, resolution in self.due_horizons))
        return " AND ".join(terms), params


class Tickets(Repo):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        #: Queue totals and page positions until somebody writes (see ``counts``).
        self.counts = CountCache(session)

    def insert(self, values: dict[str, Any]) -> int:
        values = dict(values)
        values["fields"] = json.dumps(values.get("fields", {}), ensure_ascii=False)
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = self.s.execute(
            f"INSERT INTO tickets ({names}) VALUES ({marks})", list(values.values())
        )
        return int(cursor.lastrowid or 0)

    def get(self, ticket_id: int) -> Ticket | None:
        row = self.s.row(f"{_TICKET_SELECT} WHERE t.id = ?", [ticket_id])
        return Ticket.from_row(row) if row else None

    def update(self, ticket_id: int, expected_version: int, changes: dict[str, Any]) -> int:
        """Apply ``changes`` if the ticket is still at ``expected_version``.

        Returns the new version. Raises StaleVersion when someone else wrote
        first, so the caller can tell the user and keep their text.
        """
        changes = dict(changes)
        if "fields" in changes:
            changes["fields"] = json.dumps(changes["fields"], ensure_ascii=False)
        sets = ", ".join(f"{name} = ?" for name in changes)
        cursor = self.s.execute(
            f"UPDATE tickets SET {sets}, version = version + 1 WHERE id = ? AND version = ?",
            [*changes.values(), ticket_id, expected_version],
        )
        if cursor.rowcount != 1:
            current = self.s.scalar("SELECT version FROM tickets WHERE id = ?", [ticket_id])
            raise StaleVersion(int(current or 0))
        return expected_version + 1

    def list(self, statuses: tuple[str, ...] | None, limit: int | None = None) -> list[Ticket]:
        """Tickets oldest first, for the CLI; the console uses :meth:`queue_page`."""
        params: list[Any] = []
        where = ""
        if statuses is not None:
            where = "WHERE t.status IN (" + ", ".join("?" for _ in statuses) + ")"
            params.extend(statuses)
        sql = f"{_TICKET_SELECT} {where} ORDER BY t.created_at, t.id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Ticket.from_row(r) for r in self.s.rows(sql, params)]

    def count_open(self, flt: QueueFilter) -> int:
        where, params = flt.sql()
        return self.s.scalar(
            f"SELECT count(*) FROM tickets t INDEXED BY tickets_open_queue WHERE {where}", params
        )

    def queue_page(
        self,
        flt: QueueFilter,
        size: int,
        *,
        after: PageKey | None = None,
        before: PageKey | None = None,
        last: bool = False,
    ) -> Page[Ticket]:
        """One page of open tickets, oldest first, by keyset on (created_at, id).

        ``after`` gives the page following a key, ``before`` the page ending
        just before it, ``last`` the final page; none of them the first page.
        """
        base_where, base_params = flt.sql()
        where, params = base_where, list(base_params)
        descending = before is not None or last
        if after is not None:
            where += " AND (t.created_at, t.id) > (?, ?)"
            params += [after.created_at, after.id]
        elif before is not None:
            where += " AND (t.created_at, t.id) < (?, ?)"
            params += [before.created_at, before.id]
        order = "DESC" if descending else "ASC"
        scope = ("age", base_where, tuple(base_params))
        with self.s.lock:
            rows = self.s.rows(
                f"SELECT t.*, c.name AS customer_name {_QUEUE_FROM} WHERE {where} "
                f"ORDER BY t.created_at {order}, t.id {order} LIMIT ?",
                [*params, size],
            )
            if descending:
                rows.reverse()

            def total() -> int:
                return self.counts.count(scope, lambda: self.count_open(flt))

            def before_first() -> int:
                return self.s.scalar(
                    f"SELECT count(*) FROM tickets t INDEXED BY tickets_open_queue "
                    f"WHERE {base_where} AND (t.created_at, t.id) < (?, ?)",
                    [*base_params, rows[0]["created_at"], rows[0]["id"]],
                )

            offset = self.counts.offset(
                scope,
                after=after,
                before=before,
                last=last,
                size=len(rows),
                total=total,
                counter=before_first,
            )
            count = total()
            if rows:
                first_key = PageKey(rows[0]["created_at"], rows[0]["id"])
                last_key = PageKey(rows[-1]["created_at"], rows[-1]["id"])
                self.counts.page(scope, first_key, last_key, offset, len(rows))
        tickets = [Ticket.from_row(r) for r in rows]
        return Page(
            rows=tickets,
            offset=offset,
            total=count,
            first_key=first_key if rows else None,
            last_key=last_key if rows else None,
        )


class Links(Repo):
    """Links between tickets, stored from both ends: duplicate_of / duplicated_by, related."""

    def add(self, ticket_id: int, other_id: int, kind: str, at: str, actor: str) -> None:
        self.s.execute(
            "INSERT INTO ticket_links (ticket_id, other_id, kind, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [ticket_id, other_id, kind, at, actor],
        )

    def for_ticket(self, ticket_id: int) -> list[tuple[int, str]]:
        rows = self.s.rows(
            "SELECT other_id, kind FROM ticket_links WHERE ticket_id = ? ORDER BY other_id, kind",
            [ticket_id],
        )
        return [(r["other_id"], r["kind"]) for r in rows]


class Events(Repo):
    def add(
        self,
        ticket_id: int,
        at: str,
        actor: str,
        kind: str,
        *,
        field: str | None = None,
        old_value: str | None = None,
        new_value: str | None = None,
        note: str = "",
        contact_id: int | None = None,
        changes: dict[str, list[Any]] | None = None,
    ) -> int:
        data = json.dumps(changes, ensure_ascii=False) if changes else None
        cursor = self.s.execute(
            "INSERT INTO events (ticket_id, at, actor, kind, field, old_value, new_value, "
            "note, contact_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ticket_id, at, actor, kind, field, old_value, new_value, note, contact_id, data],
        )
        return int(cursor.lastrowid or 0)

    def for_ticket(self, ticket_id: int) -> list[Event]:
        rows = self.s.rows("SELECT * FROM events WHERE ticket_id = ? ORDER BY id", [ticket_id])
        return [Event.from_row(r) for r in rows]

    def after(self, ticket_id: int, stamp: str) -> list[Event]:
        """Events written after ``stamp``: what changed since a stale read."""
        rows = self.s.rows(
            "SELECT * FROM events WHERE ticket_id = ? AND at > ? ORDER BY id", [ticket_id, stamp]
        )
        return [Event.from_row(r) for r in rows]
