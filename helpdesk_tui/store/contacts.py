"""The contact log: one row per interaction, whatever came of it."""

from __future__ import annotations

from typing import Any

from .base import Repo, Session
from .counts import CountCache
from .records import Contact, Page, PageKey

_CONTACT_SELECT = (
    "SELECT k.*, c.name AS customer_name FROM contacts k JOIN customers c ON c.id = k.customer_id"
)


class Contacts(Repo):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.counts = CountCache(session)  # page positions until somebody writes
        self._total: tuple[int, int] | None = None  # (contacts, highest id) when last counted

    def add(
        self,
        at: str,
        started_at: str | None,
        channel: str,
        customer_id: int,
        agent: str,
        summary: str,
        outcome: str,
        ticket_id: int | None,
        entitled: int | None = None,
        override_reason: str | None = None,
    ) -> int:
        cursor = self.s.execute(
            "INSERT INTO contacts (at, started_at, channel, customer_id, agent, summary, "
            "outcome, ticket_id, entitled, override_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                at,
                started_at,
                channel,
                customer_id,
                agent,
                summary,
                outcome,
                ticket_id,
                entitled,
                override_reason,
            ],
        )
        return int(cursor.lastrowid or 0)

    def set_ticket(self, contact_id: int, ticket_id: int, outcome: str) -> None:
        self.s.execute(
            "UPDATE contacts SET ticket_id = ?, outcome = ? WHERE id = ?",
            [ticket_id, outcome, contact_id],
        )

    def get(self, contact_id: int) -> Contact | None:
        row = self.s.row(f"{_CONTACT_SELECT} WHERE k.id = ?", [contact_id])
        return Contact.from_row(row) if row else None

    def for_ticket(self, ticket_id: int) -> list[Contact]:
        rows = self.s.rows(f"{_CONTACT_SELECT} WHERE k.ticket_id = ? ORDER BY k.at", [ticket_id])
        return [Contact.from_row(r) for r in rows]

    def for_customer(self, customer_id: int, limit: int = 20) -> list[Contact]:
        rows = self.s.rows(
            f"{_CONTACT_SELECT} WHERE k.customer_id = ? ORDER BY k.at DESC LIMIT ?",
            [customer_id, limit],
        )
        return [Contact.from_row(r) for r in rows]

    def latest(self, limit: int | None = None) -> list[Contact]:
        """Newest first, for the CLI listing."""
        sql = f"{_CONTACT_SELECT} ORDER BY k.at DESC, k.id DESC"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Contact.from_row(r) for r in self.s.rows(sql, params)]

    def page(
        self, size: int, *, older_than: PageKey | None = None, newer_than: PageKey | None = None
    ) -> Page[Contact]:
        """Newest first, a page at a time by keyset on (at, id)."""
        where, params, order = "", [], "DESC"
        if older_than is not None:
            where, params = "WHERE (k.at, k.id) < (?, ?)", [older_than.created_at, older_than.id]
        elif newer_than is not None:
            where, params = "WHERE (k.at, k.id) > (?, ?)", [newer_than.created_at, newer_than.id]
            order = "ASC"
        with self.s.lock:
            rows = self.s.rows(
                f"{_CONTACT_SELECT} {where} ORDER BY k.at {order}, k.id {order} LIMIT ?",
                [*params, size],
            )
            if order == "ASC":
                rows.reverse()
            total = self.count()

            def newer() -> int:
                return self.s.scalar(
                    "SELECT count(*) FROM contacts WHERE (at, id) > (?, ?)",
                    [rows[0]["at"], rows[0]["id"]],
                )

            offset = self.counts.offset(
                "log",
                after=older_than,
                before=newer_than,
                last=False,
                size=len(rows),
                total=lambda: total,
                counter=newer,
            )
            first = PageKey(rows[0]["at"], rows[0]["id"]) if rows else None
            last = PageKey(rows[-1]["at"], rows[-1]["id"]) if rows else None
            if first is not None and last is not None:
                self.counts.page("log", first, last, offset, len(rows))
        return Page(
            rows=[Contact.from_row(r) for r in rows],
            offset=offset,
            total=total,
            first_key=first,
            last_key=last,
        )

    def count(self) -> int:
        """How many contacts the log holds, without counting millions of rows each time.

        Nothing a user entered is ever deleted (DESIGN.md), so the count only grows:
        the rows after the highest id seen last time are added to the last count (a
        range on the rowid). Should the highest id ever go down, it counts afresh.
        """
        with self.s.lock:
            highest = int(self.s.scalar("SELECT COALESCE(max(id), 0) FROM contacts"))
            known = self._total
            if known is None or highest < known[1]:
                count = int(self.s.scalar("SELECT count(*) FROM contacts"))
            elif highest == known[1]:
                count = known[0]
            else:
                added = self.s.scalar("SELECT count(*) FROM contacts WHERE id > ?", [known[1]])
                count = known[0] + int(added)
            self._total = (count, highest)
        return count
