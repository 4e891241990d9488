"""When the customer is owed a courtesy update (seed 002, step 7).

A ticket that has gone too long without a message to the customer is
marked in every queue; the interval is shorter for urgent work. A ticket on
an SLA plan (issue 4) uses its plan's courtesy interval; the per-priority
hours of data/desk.yaml remain the fallback for tickets without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache

import yaml

from ..store import Ticket
from ..vocab import OPEN_STATUSES, PRIORITIES
from .errors import InvalidInput
from .starter import data_file

DEFAULT_HOURS = {"low": 48.0, "normal": 24.0, "high": 8.0, "urgent": 4.0}


@cache
def courtesy_hours() -> dict[str, float]:
    """Hours per priority from data/desk.yaml, defaults for what it leaves out."""
    path = data_file("desk.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"{path}: cannot read it ({exc})") from None
    hours = dict(DEFAULT_HOURS)
    for priority, value in (data.get("courtesy_update_hours") or {}).items():
        if priority not in PRIORITIES or not isinstance(value, int | float) or value <= 0:
            raise InvalidInput(
                f"{path}: courtesy_update_hours.{priority} must be a positive number "
                f"for one of {', '.join(PRIORITIES)}"
            )
        hours[priority] = float(value)
    return hours


def courtesy_interval(
    ticket: Ticket, intervals: Mapping[str, timedelta] | None = None
) -> timedelta:
    """The ticket's interval: its SLA plan's (issue 4), else its priority's from desk.yaml.

    ``intervals`` maps plan names to their courtesy interval (``Desk.courtesy_intervals()``,
    read once per list); a ticket without a plan, or of a plan not listed, falls back.
    The interval is wall-clock time, not business time (see :mod:`.sla_clocks`).
    """
    if intervals and ticket.sla_plan and ticket.sla_plan in intervals:
        return intervals[ticket.sla_plan]
    return timedelta(hours=courtesy_hours()[ticket.priority])


def courtesy_due_at(
    ticket: Ticket, intervals: Mapping[str, timedelta] | None = None
) -> datetime | None:
    """When the next update to the customer is due; None for tickets not in the queue."""
    if ticket.status not in OPEN_STATUSES:
        return None
    since = ticket.last_update_at or ticket.created_at
    return since + courtesy_interval(ticket, intervals)


def courtesy_overdue(
    ticket: Ticket, now: datetime, intervals: Mapping[str, timedelta] | None = None
) -> bool:
    due = courtesy_due_at(ticket, intervals)
    return due is not None and due < now


def courtesy_cutoffs(now: datetime) -> tuple[tuple[str, datetime], ...]:
    """Per priority, the last-update time before which a ticket is overdue."""
    return tuple((p, now - timedelta(hours=h)) for p, h in courtesy_hours().items())
