"""Contact volume: what the contact log says about traffic (seed 002: peaks and troughs).

Built from one row per UTC hour and channel (see ``MetricsStore.contact_hours``);
every channel, every day of the period and every cell of the week's heatmap appear,
zeros included, so charts and spreadsheets keep their shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..vocab import CHANNELS
from .metrics_period import Period, slot_local
from .metrics_stats import share


@dataclass(frozen=True)
class DayCount:
    day: str  # local date, ISO
    contacts: int


@dataclass(frozen=True)
class ContactVolume:
    total: int
    by_channel: dict[str, int]
    walk_ins: int
    complaints: int
    answered_first_contact: int  # outcome "answered" (with or without a ticket for the record)
    tickets_opened: int  # outcome "ticket"
    added_to_tickets: int  # outcome "existing": follow-ups on a ticket
    answered_without_ticket: int  # answered and no ticket at all
    #: answered at first contact / (answered + opened a ticket): follow-ups are not new issues.
    first_contact_resolution: float | None
    #: heatmap[weekday][hour], local time, Monday first.
    heatmap: list[list[int]]
    per_day: list[DayCount]

    @property
    def peak(self) -> tuple[int, int, int] | None:
        """(weekday, hour, contacts) of the busiest cell of the heatmap."""
        best = max(
            ((d, h, n) for d, row in enumerate(self.heatmap) for h, n in enumerate(row)),
            key=lambda cell: cell[2],
            default=None,
        )
        return best if best and best[2] else None


def contact_volume(period: Period, rows: Iterable[tuple[Any, ...]]) -> ContactVolume:
    """Sum the hourly rows: (slot, channel, contacts, complaints, answered, ticket,
    existing, answered without ticket)."""
    by_channel = dict.fromkeys(CHANNELS, 0)
    heatmap = [[0] * 24 for _ in range(7)]
    days = {d.isoformat(): 0 for d in period.days()}
    totals = [0] * 6
    for slot, channel, n, *counts in rows:
        by_channel[channel] = by_channel.get(channel, 0) + n
        here = slot_local(slot)
        heatmap[here.weekday()][here.hour] += n
        key = here.date().isoformat()
        days[key] = days.get(key, 0) + n
        for i, value in enumerate([n, *counts]):
            totals[i] += value or 0
    total, complaints, answered, opened, existing, bare = totals
    return ContactVolume(
        total=total,
        by_channel=by_channel,
        walk_ins=by_channel.get("walk-in", 0),
        complaints=complaints,
        answered_first_contact=answered,
        tickets_opened=opened,
        added_to_tickets=existing,
        answered_without_ticket=bare,
        first_contact_resolution=share(answered, answered + opened),
        heatmap=heatmap,
        per_day=[DayCount(day, n) for day, n in sorted(days.items())],
    )


@dataclass(frozen=True)
class ContactRows:
    """The period's contacts from one pass (``MetricsStore.contact_cube``), regrouped."""

    hours: list[tuple[Any, ...]]  # (slot, channel, contacts, complaints, answered, ticket,
    #                               existing, answered without ticket)
    agent_hours: list[tuple[str, int]]  # (slot, distinct agents who logged a contact)
    handle: list[tuple[str, int, float | None]]  # (channel, timed contacts, mean seconds)
    agents: list[tuple[str, int]]  # (agent, contacts)


def split_cube(rows: Iterable[tuple[Any, ...]]) -> ContactRows:
    """Rows per (UTC hour, channel, agent) into the groupings the sections read."""
    hours: dict[tuple[str, str], list[int]] = {}
    working: dict[str, set[str]] = {}
    timed: dict[str, list[float]] = {}
    agents: dict[str, int] = {}
    for slot, channel, agent, n, complaints, answered, opened, existing, bare, t_n, t_sum in rows:
        acc = hours.setdefault((slot, channel), [0] * 6)
        for i, value in enumerate((n, complaints, answered, opened, existing, bare)):
            acc[i] += value or 0
        working.setdefault(slot, set()).add(agent)
        handle = timed.setdefault(channel, [0.0, 0.0])
        handle[0] += t_n or 0
        handle[1] += t_sum or 0.0
        agents[agent] = agents.get(agent, 0) + n
    return ContactRows(
        hours=[(slot, channel, *acc) for (slot, channel), acc in hours.items()],
        agent_hours=[(slot, len(names)) for slot, names in working.items()],
        handle=[(ch, int(n), share(total, n)) for ch, (n, total) in timed.items()],
        agents=list(agents.items()),
    )
