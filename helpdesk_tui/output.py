"""Rendering desk records for the command line: Rich tables, JSON and CSV.

Kept apart from ``cli.py`` so the commands stay a list of thin calls, and
kept free of desk calls so every renderer is a pure function of records.

Safety rules, because every record carries text that users typed:

- Table cells are ``Text(printable(...))``: Rich markup such as
  ``[red]x[/red]`` shows as typed, and control characters (an ESC starting
  an ANSI sequence, a bell) show as visible pictures instead of acting.
- JSON is raw data; ``json`` escapes C0 controls itself and :func:`to_json`
  escapes the C1 range and DEL too, so the text is safe even on a terminal.
- CSV is the data as stored, for spreadsheets and scripts.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import IO, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .clock import iso
from .desk import Category, Contact, Customer, Event, Ticket, TicketView, User, human_age, local
from .textsafe import clip, printable
from .vocab import CHANNEL_LABELS, OUTCOME_LABELS, STATUS_LABELS

#: Widest a free-text cell may be in a list; ``ticket show`` has room for more.
NARROW = 40
WIDE = 60
NOTE = 80

# DEL and the C1 controls (0x9b is a one-byte CSI) and the Unicode line
# separators pass through json.dumps(ensure_ascii=False) unescaped.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def console() -> Console:
    """A stdout console made at call time, so it sees the current COLUMNS and stdout."""
    return Console(highlight=False, soft_wrap=False)


def cell(value: object, width: int | None = None, *, one_line: bool = True) -> Text:
    """One table cell: user text shown literally, clipped to ``width`` characters if given.

    ``one_line`` cells end in an ellipsis when the column is narrower than the text,
    so a row stays one line however narrow the terminal.
    """
    text = "" if value is None else str(value)
    shown = clip(text, width) if width else printable(text, single_line=True)
    if one_line:
        return Text(shown, no_wrap=True, overflow="ellipsis")
    return Text(shown)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    widths: Sequence[int | None] = (),
    caption: str | None = None,
) -> Table:
    """A list as a Rich table that fits any terminal width without crashing.

    ``widths`` clips free-text columns (by character count) so one long note
    cannot take the table over. On a narrow terminal Rich shrinks the widest
    columns first and every cell ends in an ellipsis rather than wrapping.
    """
    out = Table(box=box.SIMPLE_HEAD, caption=caption, caption_justify="left", pad_edge=False)
    for header in headers:
        out.add_column(header, overflow="ellipsis")
    limits = list(widths) + [None] * (len(headers) - len(widths))
    for row in rows:
        out.add_row(*(cell(value, width) for value, width in zip(row, limits, strict=False)))
    return out


# -- JSON and CSV --------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Records to JSON-ready data: dataclasses to dicts, datetimes to ISO 8601 UTC."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """Indented JSON that keeps accents readable yet never carries a raw control byte."""
    text = json.dumps(plain(value), ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def ticket_view_data(view: TicketView) -> dict[str, Any]:
    """``ticket show --format json``: the ticket's fields plus its events and contacts."""
    data: dict[str, Any] = plain(view.ticket)
    data["events"] = plain(view.events)
    data["contacts"] = plain(view.contacts)
    return data


def write_csv(stream: IO[str], kind: type, records: Iterable[Any]) -> None:
    """A header from the record type's fields, then one row per record, as stored."""
    names = [f.name for f in fields(kind)]
    writer = csv.writer(stream)
    writer.writerow(names)
    for record in records:
        writer.writerow([_csv_value(getattr(record, name)) for name in names])


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(plain(value), ensure_ascii=False)
    return value


# -- tables per record type --------------------------------------------------------------------


def users_table(users: Sequence[User]) -> Table:
    return table(
        ["Login", "Name", "Role", "Level", "Department", "Active"],
        [
            (u.login, u.name, u.role, u.level, u.department or "", "yes" if u.active else "no")
            for u in users
        ],
        widths=[None, NARROW, None, None, NARROW],
    )


def customers_table(customers: Sequence[Customer]) -> Table:
    return table(
        ["Id", "Name", "E-mail", "Phone", "Organisation", "Tier"],
        [(c.id, c.name, c.email, c.phone, c.org, c.tier) for c in customers],
        widths=[None, NARROW, NARROW, None, NARROW],
    )


def contacts_table(contacts: Sequence[Contact], now: datetime, caption: str | None = None) -> Table:
    return table(
        ["Id", "When", "Channel", "Customer", "Agent", "Outcome", "Ticket", "Summary"],
        [
            (
                c.id,
                local(c.at, now=now),
                CHANNEL_LABELS.get(c.channel, c.channel),
                c.customer_name,
                c.agent,
                OUTCOME_LABELS.get(c.outcome, c.outcome),
                f"#{c.ticket_id}" if c.ticket_id else "",
                c.summary,
            )
            for c in contacts
        ],
        widths=[None, None, None, NARROW, None, None, None, WIDE],
        caption=caption,
    )


def tickets_table(tickets: Sequence[Ticket], now: datetime, caption: str | None = None) -> Table:
    """The queue's columns: number, age, priority, customer, category, title, status, owner."""
    return table(
        ["#", "Age", "Priority", "Customer", "Category", "Title", "Status", "Owner"],
        [
            (
                t.id,
                human_age(now - t.created_at),
                t.priority,
                t.customer_name,
                t.category,
                t.title,
                STATUS_LABELS.get(t.status, t.status),
                t.owner or "",
            )
            for t in tickets
        ],
        widths=[None, None, None, NARROW, None, WIDE],
        caption=caption,
    )


def categories_table(categories: Sequence[Category]) -> Table:
    """Fields marked ``*`` are required when a ticket of that category is opened."""
    return table(
        ["Key", "Name", "Department", "Fields (* required)"],
        [
            (
                c.key,
                c.name,
                c.department or "",
                ", ".join(f.key + ("*" if f.required else "") for f in c.fields) or "-",
            )
            for c in categories
        ],
        widths=[None, NARROW, NARROW, None],
    )


def ticket_view(view: TicketView, category: Category | None, now: datetime) -> RenderableType:
    """``ticket show``: the header fields, then the timeline, then linked contacts."""
    t = view.ticket
    labels = {f.key: f.label for f in category.fields} if category else {}
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", no_wrap=True)
    header.add_column(overflow="fold")

    def row(label: str, value: object) -> None:
        header.add_row(Text(label), cell(value, one_line=False))

    row("Ticket", f"#{t.id}")
    row("Title", t.title)
    row("Customer", f"{t.customer_name} (id {t.customer_id})")
    row("Category", f"{category.name} ({t.category})" if category else t.category)
    for key, value in t.fields.items():
        row(f"  {labels.get(key, key)}", value)
    row("Priority", t.priority)
    row("Status", STATUS_LABELS.get(t.status, t.status))
    row("Owner", t.owner or "-")
    row("Department", t.department or "-")
    row("Level", t.level)
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

    timeline = table(
        ["When", "Who", "What", "Change", "Note"],
        [(local(e.at, now=now), e.actor, e.kind, _change(e), e.note) for e in view.events],
        widths=[None, None, None, NARROW, NOTE],
    )
    timeline.title = "Timeline"
    parts: list[RenderableType] = [header, timeline]
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


def _change(event: Event) -> str:
    if not event.field:
        return ""
    return f"{event.field}: {event.old_value or '-'} \u2192 {event.new_value or '-'}"


# -- progress ----------------------------------------------------------------------------------


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback drawing one bar per stage on stderr.

    Stderr, so that ``helpdesk demo --no-open > report.txt`` keeps the report clean.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as bar:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(escape(printable(stage, single_line=True)), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report
