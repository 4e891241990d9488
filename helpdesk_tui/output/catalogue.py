"""Products, support notices, assets, tiers and entitlement verdicts for the command line.

Records become plain dicts first (dates as ISO text, so JSON and CSV carry
them as typed); tables are built from those dicts with safe cells, so a
product named ``[red]x[/red]`` shows exactly so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from rich.table import Table

from ..desk.catalogue import SupportNotice
from ..desk.entitlements import SupportStatus, Verdict, channel_word
from ..store.catalogue import Asset, Product, Tier
from ..vocab import CHANNELS
from .base import NARROW, WIDE, table

PRODUCT_COLUMNS = (
    "id",
    "key",
    "name",
    "category",
    "department",
    "support_start",
    "end_of_support",
    "status",
    "days_left",
)
NOTICE_COLUMNS = (
    "key",
    "name",
    "end_of_support",
    "days_left",
    "customers",
    "open_tickets",
    "notice",
)
ASSET_COLUMNS = (
    "id",
    "customer_id",
    "customer",
    "product",
    "product_name",
    "serial",
    "purchase_date",
    "warranty_end",
    "warranty",
)
TIER_COLUMNS = ("name", "description", "channels", "categories", "self_service")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def product_records(
    products: Sequence[Product], status: Callable[[Product], SupportStatus]
) -> list[dict[str, Any]]:
    records = []
    for p in products:
        state, left = status(p)
        records.append(
            {
                "id": p.id,
                "key": p.key,
                "name": p.name,
                "category": p.category,
                "department": p.department,
                "support_start": _iso(p.support_start),
                "end_of_support": _iso(p.end_of_support),
                "status": state,
                "days_left": left,
            }
        )
    return records


def _days(left: int | None) -> str:
    if left is None:
        return ""
    return f"{-left} ago" if left < 0 else str(left)


def products_table(records: Sequence[dict[str, Any]]) -> Table:
    """Days left count to the last day of support (0: ends today)."""
    return table(
        ["Key", "Name", "Category", "Department", "Support from", "Ends", "Status", "Days left"],
        [
            (
                r["key"],
                r["name"],
                r["category"] or "",
                r["department"] or "",
                r["support_start"] or "",
                r["end_of_support"] or "",
                r["status"],
                _days(r["days_left"]),
            )
            for r in records
        ],
        widths=[None, NARROW, None, NARROW],
    )


def notice_records(notices: Sequence[SupportNotice]) -> list[dict[str, Any]]:
    return [
        {
            "key": n.product.key,
            "name": n.product.name,
            "end_of_support": _iso(n.end_of_support),
            "days_left": n.days_left,
            "customers": n.customers,
            "open_tickets": n.open_tickets,
            "notice": n.notice,
        }
        for n in notices
    ]


def notices_table(records: Sequence[dict[str, Any]], days: int) -> Table:
    return table(
        ["Key", "Name", "Ends", "Days left", "Customers", "Open tickets"],
        [
            (
                r["key"],
                r["name"],
                r["end_of_support"],
                r["days_left"],
                r["customers"],
                r["open_tickets"],
            )
            for r in records
        ],
        widths=[None, NARROW],
        caption=f"support ending within {days} days; --format json adds a draft notice"
        if records
        else f"no product's support ends within {days} days",
    )


def asset_records(
    assets: Sequence[Asset], warranty: Callable[[Asset], str]
) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "customer_id": a.customer_id,
            "customer": a.customer_name,
            "product": a.product_key,
            "product_name": a.product_name,
            "serial": a.serial,
            "purchase_date": _iso(a.purchase_date),
            "warranty_end": _iso(a.warranty_end),
            "warranty": warranty(a),
        }
        for a in assets
    ]


def assets_table(records: Sequence[dict[str, Any]]) -> Table:
    return table(
        ["Id", "Customer", "Product", "Serial", "Purchased", "Warranty end", "Warranty"],
        [
            (
                r["id"],
                f"{r['customer']} ({r['customer_id']})",
                r["product_name"],
                r["serial"],
                r["purchase_date"] or "",
                r["warranty_end"] or "",
                r["warranty"],
            )
            for r in records
        ],
        widths=[None, NARROW, NARROW, NARROW],
    )


def tier_records(tiers: Sequence[Tier], categories: Sequence[str]) -> list[dict[str, Any]]:
    """``all`` expanded to today's channels and categories."""
    return [
        {
            "name": t.name,
            "description": t.description,
            "channels": list(CHANNELS) if t.all_channels else list(t.channels),
            "categories": list(categories) if t.all_categories else list(t.categories),
            "self_service": t.self_service,
        }
        for t in tiers
    ]


def tiers_table(tiers: Sequence[Tier]) -> Table:
    return table(
        ["Tier", "Channels", "Categories", "Self-service pointer"],
        [
            (
                t.name,
                "all" if t.all_channels else ", ".join(channel_word(c) for c in t.channels),
                "all" if t.all_categories else ", ".join(t.categories),
                t.self_service,
            )
            for t in tiers
        ],
        widths=[None, None, None, WIDE],
    )


def verdict_lines(verdict: Verdict, who: str) -> list[str]:
    """``entitled: ...`` or ``not entitled: ...`` then one line per reason and the pointer."""
    if verdict.allowed:
        return [f"entitled: {who}, tier {verdict.tier}"]
    lines = [f"not entitled: {who}, tier {verdict.tier}"]
    lines += [f"- {reason}" for reason in verdict.reasons]
    if verdict.pointer:
        lines.append(f"pointer: {verdict.pointer}")
    return lines
