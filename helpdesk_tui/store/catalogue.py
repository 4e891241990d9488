"""Tiers and entitlements, products (the catalogue) and customers' assets.

Dates (support start, end of support, purchase, warranty end) are calendar
days stored as ISO text ``YYYY-MM-DD``; the records hand them out as
:class:`datetime.date`. A tier's channels and categories are JSON lists; the
one-item list ``["*"]`` means "all of them", so a category added later is
covered without editing the tier.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..clock import from_stamp
from ..vocab import OPEN_STATUS_SQL
from .base import Repo

#: A tier's channel or category list holding only this means "every one".
ALL = "*"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _text(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Tier:
    """A customer tier and what it entitles to: channels and case categories."""

    name: str
    description: str = ""
    channels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    self_service: str = ""  # the pointer to give a customer who is not entitled
    position: int = 0

    @property
    def all_channels(self) -> bool:
        return ALL in self.channels

    @property
    def all_categories(self) -> bool:
        return ALL in self.categories

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Tier:
        return cls(
            name=row["name"],
            description=row["description"],
            channels=tuple(json.loads(row["channels"])),
            categories=tuple(json.loads(row["categories"])),
            self_service=row["self_service"],
            position=row["position"],
        )


@dataclass(frozen=True)
class ProductSpec:
    """A catalogue entry before it has an id (from a starter file or a command)."""

    key: str
    name: str
    category: str | None
    department: str | None
    support_start: date | None = None
    end_of_support: date | None = None


@dataclass(frozen=True)
class Product:
    id: int
    key: str
    name: str
    category: str | None
    department: str | None
    support_start: date | None
    end_of_support: date | None  # the last day of support
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Product:
        return cls(
            id=row["id"],
            key=row["key"],
            name=row["name"],
            category=row["category"],
            department=row["department"],
            support_start=_day(row["support_start"]),
            end_of_support=_day(row["end_of_support"]),
            created_at=from_stamp(row["created_at"]),
        )


@dataclass(frozen=True)
class Asset:
    """One thing a customer owns, with the product it is and its warranty."""

    id: int
    customer_id: int
    customer_name: str
    product_id: int
    product_key: str
    product_name: str
    serial: str
    purchase_date: date | None
    warranty_end: date | None  # the last day covered
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Asset:
        return cls(
            id=row["id"],
            customer_id=row["customer_id"],
            customer_name=row["customer_name"],
            product_id=row["product_id"],
            product_key=row["product_key"],
            product_name=row["product_name"],
            serial=row["serial"],
            purchase_date=_day(row["purchase_date"]),
            warranty_end=_day(row["warranty_end"]),
            created_at=from_stamp(row["created_at"]),
        )


@dataclass(frozen=True)
class ProductUsage:
    """How many customers own a product and how many open tickets name it."""

    customers: int
    open_tickets: int


_ASSET_SELECT = (
    "SELECT a.*, c.name AS customer_name, p.key AS product_key, p.name AS product_name "
    "FROM assets a JOIN customers c ON c.id = a.customer_id "
    "JOIN products p ON p.id = a.product_id"
)


class Catalogue(Repo):
    """Queries for tiers, products and assets (issue 4)."""

    # -- tiers ---------------------------------------------------------------------------
    def tiers(self) -> list[Tier]:
        return [Tier.from_row(r) for r in self.s.rows("SELECT * FROM tiers ORDER BY position")]

    def tier(self, name: str) -> Tier | None:
        row = self.s.row("SELECT * FROM tiers WHERE name = ?", [name])
        return Tier.from_row(row) if row else None

    def upsert_tiers(self, tiers: Iterable[Tier]) -> None:
        for t in tiers:
            self.s.execute(
                "INSERT INTO tiers (name, description, channels, categories, self_service, "
                "position) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                "description = excluded.description, channels = excluded.channels, "
                "categories = excluded.categories, self_service = excluded.self_service, "
                "position = excluded.position",
                [
                    t.name,
                    t.description,
                    json.dumps(list(t.channels)),
                    json.dumps(list(t.categories)),
                    t.self_service,
                    t.position,
                ],
            )

    def delete_tiers(self, names: Iterable[str]) -> None:
        for name in names:
            self.s.execute("DELETE FROM tiers WHERE name = ?", [name])

    def customers_on_tier(self, name: str) -> int:
        return self.s.scalar("SELECT count(*) FROM customers WHERE tier = ?", [name])

    def set_customer_tier(self, customer_id: int, tier: str) -> None:
        self.s.execute("UPDATE customers SET tier = ? WHERE id = ?", [tier, customer_id])

    # -- products ------------------------------------------------------------------------
    def products(self) -> list[Product]:
        return [Product.from_row(r) for r in self.s.rows("SELECT * FROM products ORDER BY key")]

    def product(self, product_id: int) -> Product | None:
        row = self.s.row("SELECT * FROM products WHERE id = ?", [product_id])
        return Product.from_row(row) if row else None

    def product_by_key(self, key: str) -> Product | None:
        row = self.s.row("SELECT * FROM products WHERE key = ?", [key])
        return Product.from_row(row) if row else None

    def count_products(self) -> int:
        return self.s.scalar("SELECT count(*) FROM products")

    def add_product(self, spec: ProductSpec, created_at: str) -> int:
        cursor = self.s.execute(
            "INSERT INTO products (key, name, category, department, support_start, "
            "end_of_support, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                spec.key,
                spec.name,
                spec.category,
                spec.department,
                _text(spec.support_start),
                _text(spec.end_of_support),
                created_at,
            ],
        )
        return int(cursor.lastrowid or 0)

    def add_missing_products(self, specs: Iterable[ProductSpec], created_at: str) -> int:
        """Insert the products whose key is new; existing ones are left as they are.

        An end of support set later with ``helpdesk product end-support`` is
        never reverted by loading the starter file again. Returns how many
        were added.
        """
        added = 0
        for spec in specs:
            if self.product_by_key(spec.key) is None:
                self.add_product(spec, created_at)
                added += 1
        return added

    def update_product(self, spec: ProductSpec) -> None:
        """Everything but the key, id and creation stamp, from ``spec`` (found by its key)."""
        self.s.execute(
            "UPDATE products SET name = ?, category = ?, department = ?, support_start = ?, "
            "end_of_support = ? WHERE key = ?",
            [
                spec.name,
                spec.category,
                spec.department,
                _text(spec.support_start),
                _text(spec.end_of_support),
                spec.key,
            ],
        )

    def delete_products(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.s.execute("DELETE FROM products WHERE key = ?", [key])

    def product_references(self, key: str) -> dict[str, int]:
        """What names a product: customers' assets, tickets and knowledge articles."""
        found = self.product_by_key(key)
        if found is None:
            return {}
        return {
            "asset": self.s.scalar("SELECT count(*) FROM assets WHERE product_id = ?", [found.id]),
            "ticket": self.s.scalar(
                "SELECT count(*) FROM tickets WHERE product_id = ?", [found.id]
            ),
            "knowledge article": self.s.scalar(
                "SELECT count(*) FROM kb_articles WHERE product = ?", [key]
            ),
        }

    def set_end_of_support(self, product_id: int, end: date | None) -> None:
        self.s.execute(
            "UPDATE products SET end_of_support = ? WHERE id = ?", [_text(end), product_id]
        )

    def ending_between(self, first: date, last: date) -> list[Product]:
        """Products whose last day of support falls in ``[first, last]``, soonest first."""
        rows = self.s.rows(
            "SELECT * FROM products WHERE end_of_support BETWEEN ? AND ? "
            "ORDER BY end_of_support, key",
            [first.isoformat(), last.isoformat()],
        )
        return [Product.from_row(r) for r in rows]

    def usage(self, product_ids: Sequence[int]) -> dict[int, ProductUsage]:
        """Customers with an asset of each product, and open tickets naming it."""
        result = {pid: ProductUsage(0, 0) for pid in product_ids}
        if not product_ids:
            return result
        marks = ", ".join("?" for _ in product_ids)
        owners = {
            r["product_id"]: r["n"]
            for r in self.s.rows(
                "SELECT product_id, count(DISTINCT customer_id) AS n FROM assets "
                f"WHERE product_id IN ({marks}) GROUP BY product_id",
                list(product_ids),
            )
        }
        tickets = {
            r["product_id"]: r["n"]
            for r in self.s.rows(
                "SELECT product_id, count(*) AS n FROM tickets "
                f"WHERE product_id IN ({marks}) AND status IN {OPEN_STATUS_SQL} "
                "GROUP BY product_id",
                list(product_ids),
            )
        }
        return {pid: ProductUsage(owners.get(pid, 0), tickets.get(pid, 0)) for pid in product_ids}

    # -- assets --------------------------------------------------------------------------
    def assets(self, customer_id: int | None = None, limit: int | None = None) -> list[Asset]:
        """A customer's assets (or everyone's), in the order they were added."""
        sql = _ASSET_SELECT
        params: list[Any] = []
        if customer_id is not None:
            sql += " WHERE a.customer_id = ?"
            params.append(customer_id)
        sql += " ORDER BY a.customer_id, a.id"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [Asset.from_row(r) for r in self.s.rows(sql, params)]

    def asset(self, asset_id: int) -> Asset | None:
        row = self.s.row(f"{_ASSET_SELECT} WHERE a.id = ?", [asset_id])
        return Asset.from_row(row) if row else None

    def count_assets(self) -> int:
        return self.s.scalar("SELECT count(*) FROM assets")

    def serial_taken(self, product_id: int, serial: str) -> bool:
        return bool(
            self.s.scalar(
                "SELECT 1 FROM assets WHERE product_id = ? AND serial = ?", [product_id, serial]
            )
        )

    def add_asset(
        self,
        customer_id: int,
        product_id: int,
        serial: str,
        purchase_date: date | None,
        warranty_end: date | None,
        created_at: str,
    ) -> int:
        cursor = self.s.execute(
            "INSERT INTO assets (customer_id, product_id, serial, purchase_date, warranty_end, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                customer_id,
                product_id,
                serial,
                _text(purchase_date),
                _text(warranty_end),
                created_at,
            ],
        )
        return int(cursor.lastrowid or 0)
