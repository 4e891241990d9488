"""Customers, found by name, e-mail or phone as the agent types."""

from __future__ import annotations

from .base import Repo
from .fts import match_query
from .records import Customer


class Customers(Repo):
    def get(self, customer_id: int) -> Customer | None:
        row = self.s.row("SELECT * FROM customers WHERE id = ?", [customer_id])
        return Customer.from_row(row) if row else None

    def by_exact_name(self, name: str) -> list[Customer]:
        rows = self.s.rows(
            "SELECT * FROM customers WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 20", [name]
        )
        return [Customer.from_row(r) for r in rows]

    def add(self, name: str, email: str, phone: str, org: str, tier: str, created_at: str) -> int:
        cursor = self.s.execute(
            "INSERT INTO customers (name, email, phone, org, tier, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [name, email, phone, org, tier, created_at],
        )
        return int(cursor.lastrowid or 0)

    def search(self, text: str, limit: int = 20) -> list[Customer]:
        """Prefix search over name, e-mail, phone and organisation; newest first if many."""
        query = match_query(text)
        if query is None:
            rows = self.s.rows("SELECT * FROM customers ORDER BY id DESC LIMIT ?", [limit])
        else:
            rows = self.s.rows(
                "SELECT c.* FROM customers_fts f JOIN customers c ON c.id = f.rowid "
                "WHERE customers_fts MATCH ? ORDER BY f.rank LIMIT ?",
                [query, limit],
            )
        return [Customer.from_row(r) for r in rows]

    def count(self) -> int:
        return self.s.scalar("SELECT count(*) FROM customers")
