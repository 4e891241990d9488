"""Tables for users, customers, contacts and categories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.table import Table

from ..desk import Category, Contact, Customer, User, local
from ..vocab import CHANNEL_LABELS, OUTCOME_LABELS
from .base import NARROW, WIDE, table


def channel_label(channel: str) -> str:
    """The label of a channel as typed or stored: phone -> Phone, email -> E-mail."""
    return CHANNEL_LABELS.get(channel.strip().lower(), channel)


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
