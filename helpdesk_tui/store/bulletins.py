"""Bulletins (known problems, end-of-support notices) and their links to contacts and tickets.

Every write to a bulletin row takes the next desk-wide ``revision`` (the
highest plus one, inside the caller's IMMEDIATE transaction), so "which
bulletins changed since I last looked" is one range read on an index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..clock import from_stamp
from ..vocab import OPEN_STATUS_SQL
from .base import Repo
from .connection import StaleVersion
from .records import Ticket

_NEXT_REVISION = "(SELECT COALESCE(MAX(revision), 0) + 1 FROM bulletins)"
_JSON_COLUMNS = ("products", "categories", "keywords")
_DATE_COLUMNS = ("support_ends",)
#: Most severe first, wherever bulletins are listed.
_SEVERITY_ORDER = "CASE severity WHEN 'critical' THEN 0 WHEN 'major' THEN 1 ELSE 2 END"


def _when(value: str | None) -> datetime | None:
    return from_stamp(value) if value else None


@dataclass(frozen=True)
class Bulletin:
    """One bulletin as stored, plus two flags the desk computes with its clock."""

    id: int
    kind: str  # outage / end_of_support
    title: str
    answer: str  # what customers should be told
    products: tuple[str, ...]  # catalogue keys
    categories: tuple[str, ...]  # category keys
    keywords: tuple[str, ...]
    severity: str  # minor / major / critical
    starts_at: datetime
    expected_end: datetime | None
    support_ends: date | None  # end_of_support notices: the product's last day
    status: str  # active / resolved
    resolution: str
    resolved_at: datetime | None
    resolved_by: str | None
    posted_at: datetime
    posted_by: str
    updated_at: datetime
    updated_by: str
    version: int
    revision: int
    #: Still active past its expected end (flagged to leads).
    expired: bool = False
    #: Active but its start is still in the future.
    scheduled: bool = False

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def change(self) -> str:
        """What its latest revision was: ``posted``, ``updated`` or ``resolved``."""
        if self.status == "resolved":
            return "resolved"
        return "posted" if self.version == 1 else "updated"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Bulletin:
        return cls(
            id=row["id"],
            kind=row["kind"],
            title=row["title"],
            answer=row["answer"],
            products=tuple(json.loads(row["products"])),
            categories=tuple(json.loads(row["categories"])),
            keywords=tuple(json.loads(row["keywords"])),
            severity=row["severity"],
            starts_at=from_stamp(row["starts_at"]),
            expected_end=_when(row["expected_end"]),
            support_ends=date.fromisoformat(row["support_ends"]) if row["support_ends"] else None,
            status=row["status"],
            resolution=row["resolution"],
            resolved_at=_when(row["resolved_at"]),
            resolved_by=row["resolved_by"],
            posted_at=from_stamp(row["posted_at"]),
            posted_by=row["posted_by"],
            updated_at=from_stamp(row["updated_at"]),
            updated_by=row["updated_by"],
            version=row["version"],
            revision=row["revision"],
        )


@dataclass(frozen=True)
class LinkCounts:
    """How many contacts and tickets are linked to a bulletin, per UTC hour."""

    contacts: int
    tickets: int
    open_tickets: int
    #: ``YYYY-MM-DDTHH`` (UTC) -> count; contacts by when they happened,
    #: tickets by when they were linked.
    contacts_per_hour: dict[str, int]
    tickets_per_hour: dict[str, int]


def _encode(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for name in _JSON_COLUMNS:
        if name in out:
            out[name] = json.dumps(list(out[name]), ensure_ascii=False)
    for name in _DATE_COLUMNS:
        if isinstance(out.get(name), date):
            out[name] = out[name].isoformat()
    return out


class Bulletins(Repo):
    # -- bulletins ---------------------------------------------------------------------------
    def insert(self, values: dict[str, Any]) -> int:
        """Insert a bulletin (stamps as text, lists as lists); it takes the next revision."""
        values = _encode(values)
        names = ", ".join([*values, "revision"])
        marks = ", ".join(["?"] * len(values) + [_NEXT_REVISION])
        cursor = self.s.execute(
            f"INSERT INTO bulletins ({names}) VALUES ({marks})", list(values.values())
        )
        return int(cursor.lastrowid or 0)

    def update(self, bulletin_id: int, expected_version: int, changes: dict[str, Any]) -> int:
        """Apply ``changes`` if still at ``expected_version``; bump version and revision."""
        changes = _encode(changes)
        sets = "".join(f"{name} = ?, " for name in changes)
        cursor = self.s.execute(
            f"UPDATE bulletins SET {sets}version = version + 1, revision = {_NEXT_REVISION} "
            "WHERE id = ? AND version = ?",
            [*changes.values(), bulletin_id, expected_version],
        )
        if cursor.rowcount != 1:
            current = self.s.scalar("SELECT version FROM bulletins WHERE id = ?", [bulletin_id])
            raise StaleVersion(int(current or 0))
        return expected_version + 1

    def get(self, bulletin_id: int) -> Bulletin | None:
        row = self.s.row("SELECT * FROM bulletins WHERE id = ?", [bulletin_id])
        return Bulletin.from_row(row) if row else None

    def list(
        self, *, active_only: bool = False, started_by: str | None = None, limit: int | None = None
    ) -> list[Bulletin]:
        """Active ones first (most severe first), then past ones newest first.

        ``active_only`` keeps active bulletins; with ``started_by`` (a stamp) only
        those that have started by then.
        """
        terms, params = [], []
        if active_only:
            terms.append("status = 'active'")
            if started_by is not None:
                terms.append("starts_at <= ?")
                params.append(started_by)
        where = f"WHERE {' AND '.join(terms)}" if terms else ""
        sql = (
            f"SELECT * FROM bulletins {where} ORDER BY status = 'resolved', "
            f"CASE WHEN status = 'active' THEN {_SEVERITY_ORDER} ELSE 0 END, "
            "COALESCE(resolved_at, starts_at) DESC, id DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Bulletin.from_row(r) for r in self.s.rows(sql, params)]

    def revision(self) -> int:
        return int(self.s.scalar("SELECT COALESCE(MAX(revision), 0) FROM bulletins"))

    def changed_since(self, revision: int) -> list[Bulletin]:
        """Bulletins whose latest write has a revision above ``revision``, oldest change first."""
        rows = self.s.rows(
            "SELECT * FROM bulletins WHERE revision > ? ORDER BY revision", [revision]
        )
        return [Bulletin.from_row(r) for r in rows]

    # -- links ---------------------------------------------------------------------------------
    def link_contact(self, bulletin_id: int, contact_id: int, at: str, by: str) -> bool:
        """Link; False when it was linked already (nothing written)."""
        cursor = self.s.execute(
            "INSERT INTO contact_bulletins (bulletin_id, contact_id, at, linked_by) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [bulletin_id, contact_id, at, by],
        )
        return cursor.rowcount == 1

    def link_ticket(self, bulletin_id: int, ticket_id: int, at: str, by: str) -> bool:
        cursor = self.s.execute(
            "INSERT INTO ticket_bulletins (bulletin_id, ticket_id, at, linked_by) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [bulletin_id, ticket_id, at, by],
        )
        return cursor.rowcount == 1

    def for_contact(self, contact_id: int) -> list[int]:
        rows = self.s.rows(
            "SELECT bulletin_id FROM contact_bulletins WHERE contact_id = ? ORDER BY bulletin_id",
            [contact_id],
        )
        return [r["bulletin_id"] for r in rows]

    def for_ticket(self, ticket_id: int) -> list[Bulletin]:
        rows = self.s.rows(
            "SELECT b.* FROM ticket_bulletins l JOIN bulletins b ON b.id = l.bulletin_id "
            "WHERE l.ticket_id = ? ORDER BY l.at, b.id",
            [ticket_id],
        )
        return [Bulletin.from_row(r) for r in rows]

    def open_ticket_ids(self, bulletin_id: int) -> list[int]:
        """Linked tickets still in the work queue, oldest link first."""
        rows = self.s.rows(
            "SELECT t.id FROM ticket_bulletins l JOIN tickets t ON t.id = l.ticket_id "
            f"WHERE l.bulletin_id = ? AND t.status IN {OPEN_STATUS_SQL} ORDER BY l.at, t.id",
            [bulletin_id],
        )
        return [r["id"] for r in rows]

    def tickets(self, bulletin_id: int, limit: int) -> list[Ticket]:
        """Linked tickets, open ones first, then by when they were linked."""
        rows = self.s.rows(
            "SELECT t.*, c.name AS customer_name FROM ticket_bulletins l "
            "JOIN tickets t ON t.id = l.ticket_id JOIN customers c ON c.id = t.customer_id "
            f"WHERE l.bulletin_id = ? ORDER BY t.status NOT IN {OPEN_STATUS_SQL}, l.at, t.id "
            "LIMIT ?",
            [bulletin_id, limit],
        )
        return [Ticket.from_row(r) for r in rows]

    def link_totals(self, bulletin_ids: list[int]) -> dict[int, tuple[int, int]]:
        """(contacts, tickets) linked to each of ``bulletin_ids`` (absent ones: none)."""
        if not bulletin_ids:
            return {}
        marks = ", ".join("?" * len(bulletin_ids))
        with self.s.lock:
            contacts = self.s.rows(
                "SELECT bulletin_id, count(*) AS n FROM contact_bulletins "
                f"WHERE bulletin_id IN ({marks}) GROUP BY bulletin_id",
                bulletin_ids,
            )
            tickets = self.s.rows(
                "SELECT bulletin_id, count(*) AS n FROM ticket_bulletins "
                f"WHERE bulletin_id IN ({marks}) GROUP BY bulletin_id",
                bulletin_ids,
            )
        by_contacts = {r["bulletin_id"]: r["n"] for r in contacts}
        by_tickets = {r["bulletin_id"]: r["n"] for r in tickets}
        return {
            b: (by_contacts.get(b, 0), by_tickets.get(b, 0))
            for b in set(by_contacts) | set(by_tickets)
        }

    def counts(self, bulletin_id: int) -> LinkCounts:
        with self.s.lock:
            contact_hours = self.s.rows(
                "SELECT substr(k.at, 1, 13) AS hour, count(*) AS n FROM contact_bulletins l "
                "JOIN contacts k ON k.id = l.contact_id WHERE l.bulletin_id = ? "
                "GROUP BY hour ORDER BY hour",
                [bulletin_id],
            )
            ticket_hours = self.s.rows(
                "SELECT substr(at, 1, 13) AS hour, count(*) AS n FROM ticket_bulletins "
                "WHERE bulletin_id = ? GROUP BY hour ORDER BY hour",
                [bulletin_id],
            )
            open_tickets = self.s.scalar(
                "SELECT count(*) FROM ticket_bulletins l JOIN tickets t ON t.id = l.ticket_id "
                f"WHERE l.bulletin_id = ? AND t.status IN {OPEN_STATUS_SQL}",
                [bulletin_id],
            )
        contacts = {r["hour"]: r["n"] for r in contact_hours}
        tickets = {r["hour"]: r["n"] for r in ticket_hours}
        return LinkCounts(
            sum(contacts.values()), sum(tickets.values()), int(open_tickets), contacts, tickets
        )
