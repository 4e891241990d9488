"""The Admin section's tables: columns, and rows built from :class:`AdminView`.

Pure functions from records to cells (every user-typed text through ``literal``),
so the screen only places them. A row is ``(key, cells)``; the key is what an
edit acts on (a tier's name, a product's key, a plan's name...).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rich.text import Text
from textual.widgets import DataTable

from ..desk.config_docs import duration, weekly_ranges
from ..desk.entitlements import warranty_state
from ..desk.service_admin import AdminView
from ..store.catalogue import ALL
from ..vocab import CHANNEL_LABELS, PRIORITIES
from .cells import literal

Row = tuple[str, list[Text]]

SUPPORT_STYLES = {"active": "green", "ending": "bold yellow", "ended": "bold red"}
WARRANTY_STYLES = {"valid": "green", "expired": "bold red", "unknown": "dim"}
CRITICAL = "critical"

TIER_COLUMNS = (("Tier", 12), ("Channels", 34), ("Categories", 34), ("Description", 40))
PRODUCT_COLUMNS = (
    ("Key", 18),
    ("Name", 26),
    ("Category", 10),
    ("Department", 12),
    ("Support start", 13),
    ("End of support", 14),
    ("Status", 18),
)
ENDING_COLUMNS = (("Product", 26), ("Ends", 11), ("Days left", 9), ("Customers", 9), ("Open", 6))
ASSET_COLUMNS = (
    ("Asset", 6),
    ("Customer", 22),
    ("Product", 24),
    ("Serial", 14),
    ("Purchased", 11),
    ("Warranty end", 12),
    ("Warranty", 9),
)
MATRIX_COLUMNS = (("Tier", 12), *((p, 18) for p in PRIORITIES), (CRITICAL, 18))
PLAN_COLUMNS = (
    ("Plan", 20),
    ("Calendar", 10),
    ("First response", 14),
    ("Courtesy", 9),
    ("Resolution", 10),
    ("Pauses in", 34),
)
CALENDAR_COLUMNS = (("Calendar", 12), ("Time zone", 16), ("Weekly hours", 60), ("Holidays", 9))


def setup(table: DataTable, columns: Iterable[tuple[str, int]]) -> None:
    """Columns once; rows come from :func:`fill`."""
    table.cursor_type = "row"
    table.zebra_stripes = True
    for label, width in columns:
        table.add_column(label, width=width, key=label)


def fill(table: DataTable, rows: list[Row]) -> None:
    """Replace the rows, keeping the cursor on the same key when it is still there."""
    current = None
    if table.row_count:
        current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    keys = [key for key, _ in rows]
    if current in keys:
        table.move_cursor(row=keys.index(current), animate=False)


def selected(table: DataTable) -> str | None:
    """The key of the row under the cursor, or None in an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def _names(values: tuple[str, ...], labels: dict[str, str] | None = None) -> str:
    if ALL in values:
        return "all"
    return ", ".join(labels.get(v, v) if labels else v for v in values) or "none"


def _day(value: date | None) -> Text:
    return Text(value.isoformat() if value else "")


def tier_rows(view: AdminView) -> list[Row]:
    names = {c.key: c.name for c in view.categories}
    return [
        (
            t.name,
            [
                Text(t.name, style="bold"),
                literal(_names(t.channels, {k: v.lower() for k, v in CHANNEL_LABELS.items()})),
                literal(_names(t.categories, names)),
                literal(t.description, width=40),
            ],
        )
        for t in view.tiers
    ]


def product_rows(view: AdminView) -> list[Row]:
    rows = []
    for p, status in view.products:
        state = status.state
        if state == "ending" and status.days_left is not None:
            state = f"ending in {status.days_left} d"
        rows.append(
            (
                p.key,
                [
                    literal(p.key),
                    literal(p.name, width=26),
                    literal(p.category or ""),
                    literal(p.department or ""),
                    _day(p.support_start),
                    _day(p.end_of_support),
                    Text(state, style=SUPPORT_STYLES.get(status.state, "")),
                ],
            )
        )
    return rows


def ending_rows(view: AdminView) -> list[Row]:
    return [
        (
            n.product.key,
            [
                literal(n.product.name, width=26),
                Text(n.end_of_support.isoformat()),
                Text(str(n.days_left), justify="right", style="bold yellow"),
                Text(str(n.customers), justify="right"),
                Text(str(n.open_tickets), justify="right"),
            ],
        )
        for n in view.ending
    ]


def asset_rows(view: AdminView) -> list[Row]:
    rows = []
    for a in view.assets:
        state = warranty_state(a.warranty_end, view.today)
        rows.append(
            (
                str(a.id),
                [
                    Text(str(a.id), justify="right"),
                    literal(a.customer_name, width=22),
                    literal(a.product_name, width=24),
                    literal(a.serial, width=14),
                    _day(a.purchase_date),
                    _day(a.warranty_end),
                    Text(state, style=WARRANTY_STYLES.get(state, "")),
                ],
            )
        )
    return rows


def matrix_rows(view: AdminView) -> list[Row]:
    cells: dict[tuple[str, str, bool], str] = {
        (e.tier, e.priority, e.business_critical): e.plan for e in view.matrix
    }
    rows = []
    for t in view.tiers:
        critical = [cells.get((t.name, p, True)) for p in PRIORITIES]
        shown = [c for c in critical if c]
        if not shown:
            crit = Text("(ordinary row)", style="dim")
        elif len(shown) == len(PRIORITIES) and len(set(shown)) == 1:
            crit = literal(shown[0])
        else:
            crit = literal(
                ", ".join(f"{p}: {c}" for p, c in zip(PRIORITIES, critical, strict=True) if c)
            )
        plans = [literal(cells.get((t.name, p, False), "")) for p in PRIORITIES]
        rows.append((t.name, [Text(t.name, style="bold"), *plans, crit]))
    return rows


def plan_rows(view: AdminView) -> list[Row]:
    return [
        (
            p.name,
            [
                literal(p.name),
                literal(p.calendar),
                Text(duration(p.first_response_minutes), justify="right"),
                Text(duration(p.courtesy_minutes), justify="right"),
                Text(duration(p.resolution_minutes), justify="right"),
                literal(", ".join(p.pause_statuses) or "never pauses"),
            ],
        )
        for p in view.plans
    ]


def hours_text(weekly: dict[int, tuple[tuple[str, str], ...]], always_open: bool) -> str:
    """ "mon-fri 08:00-18:00; sat 09:00-13:00", or "24/7"."""
    if always_open:
        return "24/7"
    return "; ".join(f"{d} {', '.join(s)}" for d, s in weekly_ranges(weekly)) or "closed"


def calendar_rows(view: AdminView) -> list[Row]:
    return [
        (
            c.name,
            [
                literal(c.name),
                literal(c.timezone),
                literal(hours_text(c.weekly, c.always_open), width=60),
                Text(str(len(c.holidays)) if not c.always_open else "", justify="right"),
            ],
        )
        for c in view.calendars
    ]
