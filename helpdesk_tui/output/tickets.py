"""Tickets: the queue table, JSON/CSV rows, the state line and ``ticket show``.

``ticket show`` tells the whole story (issue 3): where the ticket is now, the
time it spent at each level and in each department, its legs, links, the
courtesy update it is owed, and every event with the changes it recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..clock import iso
from ..desk import Category, Event, Ticket, TicketView, human_age, local
from ..desk.courtesy import courtesy_due_at, courtesy_overdue
from ..desk.journey import Journey
from ..desk.transitions import EXTERNAL, LEVEL_NAMES
from ..textsafe import clip
from ..vocab import CHANNEL_LABELS, STATUS_LABELS
from .base import NARROW, NOTE, WIDE, cell, plain, table

#: ``ticket list`` JSON keys and CSV columns: the ticket's fields, then its courtesy date.
TICKET_COLUMNS: tuple[str, ...] = (
    *(f.name for f in fields(Ticket)),
    "courtesy_due",
    "courtesy_overdue",
)

LINK_WORDS = {
    "duplicate_of": "duplicate of",
    "duplicated_by": "duplicated by",
    "related": "related to",
}


def level_label(level: int) -> str:
    """The queue's short form: L1, L2, L3, external."""
    return "external" if level >= EXTERNAL else f"L{level}"


def ticket_state(t: Ticket) -> str:
    """One line after each journey command: ``ticket #12: triage, with Network, level 2, ...``."""
    return (
        f"ticket #{t.id}: {STATUS_LABELS.get(t.status, t.status)}, "
        f"with {t.department or '-'}, {LEVEL_NAMES.get(t.level, t.level)}, "
        f"owner {t.owner or '-'}"
    )


def link_kind(ticket: Ticket, other: int, kind: str) -> str:
    """Which way a link points: the store records it from each end.

    ``duplicate_of``: this ticket was closed as a duplicate of ``other``;
    ``duplicated_by``: ``other`` was closed as a duplicate of this one.
    """
    return kind


def ticket_records(tickets: Sequence[Ticket], now: datetime) -> list[dict[str, Any]]:
    """``ticket list`` as JSON/CSV: every field, plus when the customer is owed an update."""
    return [
        {
            **plain(t),
            "courtesy_due": iso(courtesy_due_at(t)),
            "courtesy_overdue": courtesy_overdue(t, now),
        }
        for t in tickets
    ]


def _update_due(ticket: Ticket, now: datetime) -> str:
    due = courtesy_due_at(ticket)
    if due is None or due >= now:
        return ""
    return f"overdue {human_age(now - due)}"


def tickets_table(tickets: Sequence[Ticket], now: datetime, caption: str | None = None) -> Table:
    """The queue's columns; "Update due" marks tickets owing the customer a courtesy update."""
    return table(
        [
            "#",
            "Age",
            "Priority",
            "Customer",
            "Category",
            "Title",
            "Status",
            "Level",
            "Department",
            "Owner",
            "Update due",
        ],
        [
            (
                t.id,
                human_age(now - t.created_at),
                t.priority,
                t.customer_name,
                t.category,
                t.title,
                STATUS_LABELS.get(t.status, t.status),
                level_label(t.level),
                t.department or "",
                t.owner or "",
                _update_due(t, now),
            )
            for t in tickets
        ],
        widths=[None, None, None, NARROW, None, WIDE, None, None, NARROW],
        caption=caption,
    )


# -- ticket show -------------------------------------------------------------------------------


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())


def journey_data(journey: Journey) -> dict[str, Any]:
    return {
        "by_level": {str(k): _seconds(v) for k, v in sorted(journey.by_level.items())},
        "by_department": {k: _seconds(v) for k, v in journey.by_department.items()},
        "escalations": journey.escalations,
        "returns": journey.returns,
        "legs": [
            {
                "start": iso(leg.start),
                "end": iso(leg.end),
                "status": leg.status,
                "department": leg.department,
                "level": leg.level,
                "owner": leg.owner,
            }
            for leg in journey.legs
        ],
    }


def ticket_view_data(view: TicketView) -> dict[str, Any]:
    """``ticket show --format json``: the fields, where it is now, its journey, links and
    courtesy due date, what the acting user may do, then events (with changes) and contacts."""
    t = view.ticket
    data: dict[str, Any] = plain(t)
    data["where"] = view.where
    data["courtesy_due"] = iso(view.courtesy_due)
    data["links"] = [{"ticket": n, "kind": link_kind(t, n, kind)} for n, kind in view.links]
    data["journey"] = journey_data(view.journey)
    data["actions"] = list(view.actions)
    data["events"] = plain(view.events)
    data["contacts"] = plain(view.contacts)
    return data


def _value(value: object, key: str = "") -> str:
    if value is None or value == "":
        return "-"
    if key == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if key == "level" and str(value).isdigit():
        return level_label(int(str(value)))
    return str(value)


def change_lines(event: Event) -> list[str]:
    """What an event changed, one ``field: old → new`` per line.

    A 'created' event shows the initial values; entries that are not an
    ``[old, new]`` pair (a resolution's ``told_via``) show as ``key=value``.
    """
    lines = []
    for key, change in event.changes.items():
        if not (isinstance(change, list) and len(change) == 2):
            lines.append(f"{key}={_value(change)}")
        elif event.kind == "created":
            if change[1] is not None:
                lines.append(f"{key}: {_value(change[1], key)}")
        else:
            lines.append(f"{key}: {_value(change[0], key)} \u2192 {_value(change[1], key)}")
    field = event.field
    if not lines and field:  # events that recorded only their main field
        old, new = _value(event.old_value, field), _value(event.new_value, field)
        shown = f"{field}: {new}" if event.old_value is None else f"{field}: {old} \u2192 {new}"
        lines.append(shown)
    return lines


def _times(spent: dict[Any, timedelta], name: Any = str) -> str:
    return ", ".join(f"{name(k)} {human_age(v)}" for k, v in spent.items()) or "-"


def ticket_view(view: TicketView, category: Category | None, now: datetime) -> RenderableType:
    """``ticket show``: the header fields, the journey's legs, the timeline, the contacts."""
    t = view.ticket
    labels = {f.key: f.label for f in category.fields} if category else {}
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", no_wrap=True)
    header.add_column(overflow="fold")

    def row(label: str, value: object) -> None:
        header.add_row(Text(label), cell(value, one_line=False))

    row("Ticket", f"#{t.id}")
    row("Title", t.title)
    row("Where now", view.where)
    row("Customer", f"{t.customer_name} (id {t.customer_id})")
    row("Category", f"{category.name} ({t.category})" if category else t.category)
    for key, value in t.fields.items():
        row(f"  {labels.get(key, key)}", value)
    row("Priority", t.priority)
    row("Status", STATUS_LABELS.get(t.status, t.status))
    row("Owner", t.owner or "-")
    row("Department", t.department or "-")
    row("Level", LEVEL_NAMES.get(t.level, t.level))
    row("Escalations", f"{t.escalations} (returns {t.returns})")
    if t.lead_flag:
        row("Lead flag", "flagged for the team lead")
    if t.vendor or t.vendor_ref or t.vendor_due:
        vendor, ref, promised = (_value(v) for v in (t.vendor, t.vendor_ref, t.vendor_due))
        row("Vendor", f"{vendor}, case {ref}, promised by {promised}")
    if view.links:
        links = (f"{LINK_WORDS.get(link_kind(t, n, k), k)} #{n}" for n, k in view.links)
        row("Links", ", ".join(links))
    if view.courtesy_due:
        due = view.courtesy_due
        late = f"overdue by {human_age(now - due)}" if due < now else f"in {human_age(due - now)}"
        row("Update due", f"{local(due, now=now)} ({late})")
    row("Time by level", _times(dict(sorted(view.journey.by_level.items())), level_label))
    row("Time by department", _times(view.journey.by_department))
    row(
        "Created",
        f"{local(t.created_at, now=now)} by {t.created_by} ({human_age(now - t.created_at)} ago)",
    )
    row("Updated", local(t.updated_at, now=now))
    if t.resolved_at:
        row("Resolved", local(t.resolved_at, now=now))
    if t.closed_at:
        row("Closed", local(t.closed_at, now=now))
    if t.resolution:
        row("Resolution", t.resolution)
    if t.description:
        row("Description", t.description)

    legs = table(
        ["From", "Until", "For", "Status", "Department", "Level", "Owner"],
        [
            (
                local(leg.start, now=now),
                local(leg.end, now=now) if leg.end else "now",
                human_age(leg.duration(now)),
                STATUS_LABELS.get(leg.status, leg.status),
                leg.department or "-",
                level_label(leg.level),
                leg.owner or "-",
            )
            for leg in view.journey.legs
        ],
        widths=[None, None, None, None, NARROW, None, NARROW],
    )
    legs.title = "Journey"
    timeline = table(
        ["When", "Who", "What", "Change", "Note"],
        [
            (
                local(e.at, now=now),
                e.actor,
                e.kind,
                Text("\n".join(clip(line, NARROW) for line in change_lines(e))),
                e.note,
            )
            for e in view.events
        ],
        widths=[None, None, None, None, NOTE],
    )
    timeline.title = "Timeline"
    parts: list[RenderableType] = [header, legs, timeline]
    if view.contacts:
        contacts = table(
            ["Id", "When", "Channel", "Agent", "Summary"],
            [
                (
                    c.id,
                    local(c.at, now=now),
                    CHANNEL_LABELS.get(c.channel, c.channel),
                    c.agent,
                    c.summary,
                )
                for c in view.contacts
            ],
            widths=[None, None, None, None, NOTE],
        )
        contacts.title = "Contacts"
        parts.append(contacts)
    return Group(*parts)
