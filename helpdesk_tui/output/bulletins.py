"""Bulletins for the command line: the list, ``bulletin show`` (the wave, linked tickets), JSON.

Every text a lead typed (title, answer, keywords, resolution) goes through
:func:`.base.cell`, so markup like ``[@click=app.quit]x`` shows as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..desk import human_age, local
from ..desk.bulletins import Bulletin, BulletinReport
from ..vocab import STATUS_LABELS
from .base import NARROW, NOTE, WIDE, cell, plain, table

KIND_LABELS = {"outage": "outage", "end_of_support": "end of support"}


def bulletin_state(b: Bulletin) -> str:
    """``active``, ``active, EXPIRED``, ``scheduled`` or ``resolved``."""
    if b.status == "resolved":
        return "resolved"
    if b.scheduled:
        return "scheduled"
    return "active, EXPIRED" if b.expired else "active"


def _until(b: Bulletin, now: datetime) -> str:
    if b.expected_end is None:
        return "-"
    return local(b.expected_end, now=now)


def _scope(b: Bulletin) -> str:
    parts = [*b.products, *b.categories]
    if b.keywords:
        parts.append("words: " + ", ".join(b.keywords))
    return "; ".join(parts) or "-"


def bulletins_table(bulletins: Sequence[Bulletin], now: datetime) -> Table:
    return table(
        ["Id", "State", "Severity", "Kind", "Title", "Affects", "Since", "Until"],
        [
            (
                b.id,
                bulletin_state(b),
                b.severity,
                KIND_LABELS.get(b.kind, b.kind),
                b.title,
                _scope(b),
                local(b.starts_at, now=now),
                _until(b, now),
            )
            for b in bulletins
        ],
        widths=[None, None, None, None, WIDE, NARROW],
    )


def bulletin_line(b: Bulletin, verb: str) -> str:
    """One confirmation line: ``bulletin 3 posted: Mail server down (major, active)``."""
    return f"bulletin {b.id} {verb}: {b.title} ({b.severity}, {bulletin_state(b)})"


def bulletin_record(b: Bulletin) -> dict[str, Any]:
    """JSON-ready data of one bulletin (times ISO 8601 UTC, the support end as a date)."""
    data: dict[str, Any] = plain(b)
    data["support_ends"] = b.support_ends.isoformat() if b.support_ends else None
    return data


def bulletin_records(bulletins: Sequence[Bulletin]) -> list[dict[str, Any]]:
    return [bulletin_record(b) for b in bulletins]


def bulletin_report_data(report: BulletinReport) -> dict[str, Any]:
    """``bulletin show --format json``: the bulletin, the counts, per hour, linked tickets."""
    data = bulletin_record(report.bulletin)
    data["contacts_linked"] = report.contacts
    data["tickets_linked"] = report.tickets
    data["open_tickets_linked"] = report.open_tickets
    data["contacts_per_hour"] = dict(report.contacts_per_hour)
    data["tickets_per_hour"] = dict(report.tickets_per_hour)
    data["tickets"] = [
        {"id": t.id, "status": t.status, "title": t.title, "customer": t.customer_name}
        for t in report.linked_tickets
    ]
    return data


def bulletin_view(report: BulletinReport, now: datetime) -> RenderableType:
    """``bulletin show``: what to tell customers, scope, times, the wave hour by hour, tickets."""
    b = report.bulletin
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", no_wrap=True)
    header.add_column(overflow="fold")

    def row(label: str, value: object) -> None:
        header.add_row(Text(label), cell(value, one_line=False))

    row("Bulletin", f"{b.id} ({KIND_LABELS.get(b.kind, b.kind)}, version {b.version})")
    row("Title", b.title)
    row("Tell customers", b.answer)
    row("State", bulletin_state(b))
    row("Severity", b.severity)
    if b.products:
        row("Products", ", ".join(b.products))
    if b.categories:
        row("Categories", ", ".join(b.categories))
    if b.keywords:
        row("Keywords", ", ".join(b.keywords))
    if b.support_ends:
        row("Support ends", b.support_ends.isoformat())
    row("Since", f"{local(b.starts_at, now=now)} (posted by {b.posted_by})")
    if b.expected_end:
        late = (
            f"overdue by {human_age(now - b.expected_end)}"
            if b.expected_end <= now
            else f"in {human_age(b.expected_end - now)}"
        )
        row("Expected end", f"{local(b.expected_end, now=now)} ({late})")
    row("Updated", f"{local(b.updated_at, now=now)} by {b.updated_by}")
    if b.resolved_at:
        row("Resolved", f"{local(b.resolved_at, now=now)} by {b.resolved_by or '-'}")
        row("Resolution", b.resolution)
    row(
        "Linked",
        f"{report.contacts} contacts, {report.tickets} tickets ({report.open_tickets} open)",
    )
    parts: list[RenderableType] = [header]
    hours = report.timeline()
    if hours:
        wave = table(
            ["Hour (UTC)", "Contacts", "Tickets", ""],
            [
                (h.hour, h.contacts, h.tickets, "\u2588" * min(h.contacts + h.tickets, NARROW))
                for h in hours
            ],
        )
        wave.title = "Per hour"
        parts.append(wave)
    if report.linked_tickets:
        tickets = table(
            ["Ticket", "Status", "Customer", "Title"],
            [
                (f"#{t.id}", STATUS_LABELS.get(t.status, t.status), t.customer_name, t.title)
                for t in report.linked_tickets
            ],
            widths=[None, None, NARROW, NOTE],
            caption=(
                f"{len(report.linked_tickets)} of {report.tickets} shown"
                if len(report.linked_tickets) < report.tickets
                else None
            ),
        )
        tickets.title = "Linked tickets"
        parts.append(tickets)
    return Group(*parts)
