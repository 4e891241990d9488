"""Ticket figures: flow, backlog and its ages, speed, escalation, SLA compliance.

Definitions (each has a hand-worked test):

* **opened / resolved / closed**: tickets created, resolved (their current resolution),
  closed in the period; **reopened**: reopen events in the period.
* **resolution rate**: of the tickets opened in the period, the share resolved or closed now.
* **backlog**: open tickets now (any open status), by age since creation.
* **first response time**: creation to the first customer update or resolution told to
  the customer, for tickets opened in the period; **resolution time**: creation to
  resolution, for tickets resolved in the period. Wall-clock time; median and 90th
  percentile. For tickets on an SLA plan the same two are also given in **business
  hours** on the plan's calendar, with pauses left out (the SLA clocks' own count).
* **escalation rate**: of the tickets opened in the period, the share escalated at least once.
* **time at each level**: for tickets resolved in the period, from their events: how many
  spent time at each level and the mean time there.
* **SLA compliance**: of the tickets on a plan resolved in the period, the share whose
  first-response and resolution clocks were met in time. A first response never made
  counts as breached. Working out a clock takes the calendar arithmetic (about a
  millisecond a ticket), so past a few hundred tickets an even spread of them is checked
  (``checked`` says how many) and the shares are of those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..store import Event, Ticket
from ..store.sla import SlaPlan
from .calendar import BusinessCalendar
from .metrics_stats import AGE_BUCKETS, Durations, share
from .sla_clocks import FIRST_RESPONSE, RESOLUTION, plan_clocks


@dataclass(frozen=True)
class AgeBucket:
    label: str
    tickets: int


@dataclass(frozen=True)
class LevelTime:
    level: int
    tickets: int  # resolved tickets that spent time at this level
    mean_seconds: float | None


@dataclass(frozen=True)
class SlaFigures:
    tickets: int  # on a plan, resolved in the period
    checked: int  # ... whose clocks were worked out (all, or an even spread of them)
    first_response_met: int
    first_response_breached: int
    resolution_met: int
    resolution_breached: int
    compliance: float | None  # both clocks met / checked
    business_first_response: Durations
    business_resolution: Durations


@dataclass(frozen=True)
class TicketFigures:
    opened: int
    resolved: int
    closed: int
    reopened: int
    resolution_rate: float | None
    backlog: int
    age_buckets: list[AgeBucket]
    first_contact_resolution: float | None
    first_response: Durations
    resolution: Durations
    escalated: int
    escalation_rate: float | None
    levels: list[LevelTime]
    sla: SlaFigures


def age_cutoffs(now: datetime) -> list[datetime]:
    """The creation times that separate the backlog's age buckets, newest first."""
    return [now - bound for _, bound in AGE_BUCKETS if bound is not None]


def age_buckets(counts: Iterable[tuple[int, int]]) -> list[AgeBucket]:
    """(bucket index, tickets) rows to every bucket in order, zeros included."""
    found = dict(counts)
    return [AgeBucket(label, int(found.get(n, 0))) for n, (label, _) in enumerate(AGE_BUCKETS)]


def level_times(changes: Iterable[tuple[Any, ...]]) -> list[LevelTime]:
    """Level changes (ticket, julian day, new level, julian day resolved), by ticket in
    order: each stretch lasts until the ticket's next change, or its resolution.
    Levels 1-3 are always listed, the external vendor (4) when a ticket went there."""
    seconds: dict[int, float] = {1: 0.0, 2: 0.0, 3: 0.0}
    tickets: dict[int, set[int]] = {1: set(), 2: set(), 3: set()}
    rows = [r for r in changes if r[2] is not None]
    for n, (ticket, since, level, resolved) in enumerate(rows):
        following = rows[n + 1] if n + 1 < len(rows) else None
        until = following[1] if following and following[0] == ticket else resolved
        if until is None or until <= since:
            continue
        level = int(level)
        seconds[level] = seconds.get(level, 0.0) + (until - since) * 86400.0
        tickets.setdefault(level, set()).add(ticket)
    return [
        LevelTime(level, len(tickets[level]), share(seconds[level], len(tickets[level])))
        for level in sorted(tickets)
    ]


def sla_figures(
    tickets: Sequence[Ticket],
    events: Mapping[int, Sequence[Event]],
    plans: Mapping[str, SlaPlan],
    calendars: Mapping[str, BusinessCalendar],
    now: datetime,
    on_plan: int | None = None,
) -> SlaFigures:
    """Each resolved ticket's clocks under its plan: met in time, or breached.

    ``on_plan``: how many such tickets the period has, when ``tickets`` is a sample.
    """
    fr_met = fr_late = res_met = res_late = both = counted = 0
    first_times: list[float] = []
    resolve_times: list[float] = []
    for ticket in tickets:
        plan = plans.get(ticket.sla_plan or "")
        cal = calendars.get(plan.calendar) if plan else None
        if plan is None or cal is None:
            continue
        counted += 1
        clocks = {c.key: c for c in plan_clocks(plan, cal, ticket, events.get(ticket.id, ()), now)}
        first, resolution = clocks[FIRST_RESPONSE], clocks[RESOLUTION]
        first_ok = first.met_at is not None and first.state == "met"
        res_ok = resolution.met_at is not None and resolution.state == "met"
        fr_met += first_ok
        fr_late += not first_ok
        res_met += res_ok
        res_late += not res_ok
        both += first_ok and res_ok
        if first.met_at is not None:
            first_times.append(first.elapsed.total_seconds())
        if resolution.met_at is not None:
            resolve_times.append(resolution.elapsed.total_seconds())
    return SlaFigures(
        tickets=counted if on_plan is None else on_plan,
        checked=counted,
        first_response_met=fr_met,
        first_response_breached=fr_late,
        resolution_met=res_met,
        resolution_breached=res_late,
        compliance=share(both, counted),
        business_first_response=Durations.of(first_times),
        business_resolution=Durations.of(resolve_times),
    )
