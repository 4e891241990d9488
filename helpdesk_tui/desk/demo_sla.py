"""The demo tickets' SLA columns, exactly as the desk derives them (issue 4), but fast.

The desk keeps three derived columns current on every ticket change
(:meth:`SlaMixin._sla_after_change`); a demo ticket must carry the values the
desk would have left after its last change:

* ``sla_plan``: the matrix's plan for the customer's tier and the ticket's
  *final* priority, urgent counting as business-critical (the desk re-plans
  on every priority change, and demo customers never change tier);
* ``first_response_at``: the first customer update, or a resolution told to
  the customer (the :class:`~.demo_journey.Journey` notes it as it happens);
* ``due_at``: open tickets only (a resolved or closed ticket has none): the
  first-response due while nobody has answered, else the resolution due,
  on the plan's calendar with the plan's pause statuses, or none while the
  ticket sits paused with time left (:mod:`.sla_clocks`).

The desk computes ``due_at`` with aware datetimes, a calendar day at a time;
for fifty thousand open tickets that would cost the generator seconds. Here
each calendar's open intervals are listed once as integer moments (from the
desk's own :func:`.calendar._segments`, so time zones, daylight saving and
holidays are exactly the desk's) and the same walk as
:func:`.calendar.add_business_seconds` runs on integers. ``tests/test_demo.py``
compares every open demo ticket's ``due_at`` with the desk's own answer.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

from ..clock import to_stamp
from ..store.sla import MatrixEntry, SlaPlan
from .calendar import BusinessCalendar, _segments, add_business_seconds
from .demo_time import DAY, MINUTE, SECOND, Timeline
from .sla_clocks import STOPPED

#: Open intervals are listed this far past ``now``: the latest due of an open ticket
#: (a fresh one on the slowest plan) lies a few weeks ahead.
HORIZON_DAYS = 120
_FOREVER = 1 << 62  # the end of a pause that has not ended
Moves = Sequence[tuple[int, str]]  # (moment, new status) after creation, in order


class DemoSla:
    """Plans, the matrix and calendars as the generator needs them (built before forking)."""

    def __init__(
        self,
        tl: Timeline,
        plans: Iterable[SlaPlan],
        matrix: Iterable[MatrixEntry],
        calendars: Mapping[str, BusinessCalendar],
    ) -> None:
        self.tl = tl
        rows = list(matrix)
        ordinary = {(m.tier, m.priority): m.plan for m in rows if not m.business_critical}
        critical = {(m.tier, m.priority): m.plan for m in rows if m.business_critical}
        #: (tier, priority) -> plan, as ``SlaStore.plan_for`` chooses (urgent is critical).
        self.plan_of: dict[tuple[str, str], str] = dict(ordinary)
        for (tier, priority), plan in critical.items():
            if priority == "urgent":
                self.plan_of[tier, priority] = plan
        self._calendars = dict(calendars)
        self._segments = {name: self._open_intervals(cal) for name, cal in calendars.items()}
        #: plan -> (first response, resolution) in microseconds, pause statuses, calendar.
        self.plans = {
            p.name: (
                p.first_response_minutes * MINUTE,
                p.resolution_minutes * MINUTE,
                frozenset(p.pause_statuses) | frozenset(STOPPED),
                p.calendar,
            )
            for p in plans
            if p.calendar in calendars
        }

    def _open_intervals(self, cal: BusinessCalendar) -> tuple[list[int], list[int]]:
        """The calendar's open intervals over the history and beyond, as integer moments."""
        tl = self.tl
        first = tl.base_date - timedelta(days=1)
        last = tl.base_date + timedelta(days=tl.now // DAY + HORIZON_DAYS)
        opens, closes = [], []
        for start, end in _segments(cal, first, last):
            opens.append(tl.moment(start))
            closes.append(tl.moment(end))
        return opens, closes

    def due(self, plan: str, created: int, moves: Moves, responded: bool) -> int | None:
        """An open ticket's due moment (None: paused with time left, or no such plan)."""
        found = self.plans.get(plan)
        if found is None:
            return None
        first, resolution, paused, calendar = found
        need = resolution if responded else first
        stops = _pauses(created, moves, paused)
        opens, closes = self._segments[calendar]
        i = bisect_right(closes, created)  # the first interval still open after creation
        j = 0
        while i < len(opens):
            cur, end = max(opens[i], created), closes[i]
            while cur < end:
                while j < len(stops) and stops[j][1] <= cur:
                    j += 1
                if j < len(stops) and stops[j][0] <= cur:  # inside a pause: jump to its end
                    if stops[j][1] == _FOREVER:
                        return None
                    cur = stops[j][1]
                    continue
                stop = min(end, stops[j][0]) if j < len(stops) else end
                if stop - cur >= need:
                    return cur + need
                need -= stop - cur
                cur = stop
            i += 1
        return self._due_the_slow_way(calendar, created, stops, need)

    def _due_the_slow_way(
        self, calendar: str, created: int, stops: list[tuple[int, int]], need: int
    ) -> int | None:
        """Past the listed intervals (never in practice): the desk's own arithmetic."""
        tl = self.tl
        pauses = [
            (tl.to_datetime(a), None if b == _FOREVER else tl.to_datetime(b)) for a, b in stops
        ]
        found = add_business_seconds(
            self._calendars[calendar], tl.to_datetime(created), need / SECOND, pauses
        )
        return None if found is None else tl.moment(found)

    def stamp(self, t: int | None) -> str:
        """The stored text of a due moment (``''`` for none), past the timeline's end too."""
        if t is None:
            return ""
        if t // DAY < self.tl.days:
            return self.tl.stamp(t)
        return to_stamp(self.tl.to_datetime(t))


def _pauses(created: int, moves: Moves, paused: frozenset[str]) -> list[tuple[int, int]]:
    """Stretches spent in a pause status, merged (``calendar._merge`` on integers)."""
    spans: list[tuple[int, int]] = []
    current, since = "open", created
    for t, status in moves:
        if status != current:
            if current in paused:
                spans.append((since, t))
            current, since = status, t
    if current in paused:
        spans.append((since, _FOREVER))
    merged: list[tuple[int, int]] = []
    for a, b in sorted((max(a, created), b) for a, b in spans):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
