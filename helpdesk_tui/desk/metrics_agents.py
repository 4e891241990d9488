"""Per-agent figures (leads and admins only) and the report's breakdown by one dimension.

**Agents**: contacts each agent logged in the period, resolutions they recorded in the
period (a resolution later undone by a reopening still counts: the work was done), and
their median handle time (contact start to logging, to the second, for contacts with a
start time).

**Breakdown** (``--by``): the main figures per channel, hour of day, weekday, agent,
department, level, category or product. Contacts are grouped by their own channel and
time, or by the logging agent (and that agent's department and level), or by the
category and product of their ticket; tickets by their own fields, their creation hour,
their owner, or the channel of the contact that opened them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .metrics_period import WEEKDAYS, slot_key
from .metrics_stats import counted_percentile, percentile, share
from .transitions import LEVEL_NAMES

#: The dimensions of ``--by``.
DIMENSIONS: tuple[str, ...] = (
    "channel",
    "hour",
    "weekday",
    "category",
    "product",
    "agent",
    "department",
    "level",
)
#: A group with no value (a contact without a ticket, a ticket without a product).
NONE = "(none)"


@dataclass(frozen=True)
class AgentFigures:
    agent: str
    name: str
    contacts: int
    tickets_resolved: int
    median_handle_seconds: float | None


def agents(
    contacts: Iterable[tuple[str, int]],
    resolved: Iterable[tuple[str, int]],
    handle: Iterable[tuple[str, int, int]],
    names: dict[str, str],
) -> list[AgentFigures]:
    """Every agent with a contact or a resolution in the period, busiest first.

    ``handle``: (agent, handle seconds, contacts that took that long), so medians are to
    the second.
    """
    logged = {a: int(n) for a, n in contacts}
    solved = {a: int(n) for a, n in resolved}
    times: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for agent, seconds, n in handle:
        times[agent].append((float(seconds), int(n)))
    rows = [
        AgentFigures(
            a,
            names.get(a, a),
            logged.get(a, 0),
            solved.get(a, 0),
            counted_percentile(sorted(times.get(a, [])), 0.5),
        )
        for a in set(logged) | set(solved)
    ]
    return sorted(rows, key=lambda r: (-r.contacts, -r.tickets_resolved, r.agent))


@dataclass(frozen=True)
class BreakdownRow:
    group: str
    contacts: int
    complaints: int
    first_contact_resolution: float | None
    tickets_opened: int
    tickets_resolved: int
    median_resolution_seconds: float | None
    backlog: int
    ratings: int
    satisfaction: float | None


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    rows: list[BreakdownRow]


def group_label(dim: str) -> Callable[[Any], str]:
    """How a raw group value (an UTC hour slot, a level, NULL) reads as a row name."""
    if dim == "hour":
        return lambda slot: f"{slot_key(slot)[1]:02d}:00" if slot else NONE
    if dim == "weekday":
        return lambda slot: WEEKDAYS[slot_key(slot)[0]] if slot else NONE
    if dim == "level":
        return lambda level: LEVEL_NAMES.get(level, f"level {level}") if level is not None else NONE
    return lambda value: str(value) if value not in (None, "") else NONE


def _order(dim: str) -> Callable[[str], Any]:
    if dim == "weekday":
        return lambda g: (WEEKDAYS.index(g) if g in WEEKDAYS else 99, g)
    return lambda g: (g == NONE, g)


def breakdown(
    dim: str,
    contacts: Iterable[tuple[Any, ...]],
    opened: Iterable[tuple[Any, int]],
    resolved: Iterable[tuple[Any, float]],
    backlog: Iterable[tuple[Any, int]],
    ratings: Iterable[tuple[Any, int, float]],
) -> Breakdown:
    """Merge the per-group rows of each source (raw groups are labelled and re-summed:
    many UTC hour slots make one local hour)."""
    label = group_label(dim)
    acc: dict[str, list[float]] = defaultdict(lambda: [0.0] * 8)
    times: dict[str, list[float]] = defaultdict(list)
    points: dict[str, float] = defaultdict(float)
    for group, n, complaints, answered, new in contacts:
        row = acc[label(group)]
        row[0] += n
        row[1] += complaints or 0
        row[2] += answered or 0
        row[3] += new or 0
    for group, n in opened:
        acc[label(group)][4] += n
    for group, seconds in resolved:
        acc[label(group)][5] += 1
        times[label(group)].append(max(0.0, seconds))
    for group, n in backlog:
        acc[label(group)][6] += n
    for group, n, total in ratings:
        acc[label(group)][7] += n
        points[label(group)] += total
    rows = []
    for group in sorted(acc, key=_order(dim)):
        r = acc[group]
        rows.append(
            BreakdownRow(
                group=group,
                contacts=int(r[0]),
                complaints=int(r[1]),
                first_contact_resolution=share(r[2], r[3]),
                tickets_opened=int(r[4]),
                tickets_resolved=int(r[5]),
                median_resolution_seconds=percentile(times.get(group, []), 0.5),
                backlog=int(r[6]),
                ratings=int(r[7]),
                satisfaction=share(points[group], r[7]),
            )
        )
    return Breakdown(dim, rows)
