"""Staffing: agents needed per hour of the week (Erlang C) beside the agents who worked.

For each local hour of the week (Monday 00:00 to Sunday 23:00) over the period:

* **arrivals per hour**: contacts logged in that hour of the week, divided by how many
  times that hour occurs in the period. When the phone system's call records cover the
  period, calls offered replace the phone contacts (a call answered is also a phone
  contact: counting both would count it twice).
* **average handle time** (AHT): per channel, the mean time from a contact's start to its
  logging; for calls, the mean talk time. An hour's AHT is the mean over its own mix of
  channels. With nothing timed at all, :data:`ASSUMED_AHT` seconds, and the report says so.
* **needed**: the fewest agents for the service-level target (default 80 % answered within
  20 s) by Erlang C (:mod:`.erlang`), from that hour's arrivals and AHT.
* **worked**: distinct agents who logged a contact in that hour, averaged over its
  occurrences in the period (from the contact log).
* **under**-staffed: fewer worked than needed; **over**-staffed: more than one agent
  beyond the need.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import erlang
from .metrics_period import Period, slot_key
from .metrics_stats import share

ASSUMED_AHT = 300.0
TARGET_SECONDS = 20.0
TARGET_LEVEL = 0.8
#: Spare agents beyond the need before an hour counts as over-staffed.
SPARE = 1.0


@dataclass(frozen=True)
class StaffingHour:
    weekday: int  # 0 = Monday, local time
    hour: int
    arrivals_per_hour: float
    aht_seconds: float
    load: float  # Erlangs
    needed: int
    service_level: float  # reached with ``needed`` agents
    worked: float  # distinct agents, on average
    verdict: str  # "under", "over" or ""


@dataclass(frozen=True)
class Staffing:
    target_seconds: float
    target_level: float
    phone_source: str  # "calls" (the phone system's records) or "contacts"
    aht_by_channel: dict[str, float]  # the AHT inputs, seconds ("calls" for call talk time)
    aht_assumed: bool
    hours: list[StaffingHour]

    @property
    def under(self) -> list[StaffingHour]:
        return [h for h in self.hours if h.verdict == "under"]

    @property
    def over(self) -> list[StaffingHour]:
        return [h for h in self.hours if h.verdict == "over"]

    @property
    def peak_needed(self) -> int:
        return max((h.needed for h in self.hours), default=0)


def staffing(
    period: Period,
    contact_rows: Iterable[tuple[Any, ...]],
    call_rows: Iterable[tuple[Any, ...]],
    handle_rows: Iterable[tuple[Any, ...]],
    agent_rows: Iterable[tuple[Any, ...]],
    target_seconds: float = TARGET_SECONDS,
    target_level: float = TARGET_LEVEL,
) -> Staffing:
    """``contact_rows``: (slot, channel, contacts, ...); ``call_rows``: ``Calls.hourly``;
    ``handle_rows``: (channel, timed contacts, mean seconds); ``agent_rows``: (slot, agents)."""
    calls = list(call_rows)
    use_calls = sum(r[1] for r in calls) > 0
    aht = {str(ch): float(avg) for ch, n, avg in handle_rows if n and avg is not None}
    talk, talks = sum(r[9] or 0 for r in calls), sum(r[10] or 0 for r in calls)
    if use_calls and talks:
        aht["calls"] = talk / talks
    assumed = not aht
    fallback = share(sum(aht.values()), len(aht)) or ASSUMED_AHT
    arrivals: dict[tuple[int, int], float] = defaultdict(float)
    work: dict[tuple[int, int], float] = defaultdict(float)
    for slot, channel, n, *_ in contact_rows:
        if use_calls and channel == "phone":
            continue
        key = slot_key(slot)
        arrivals[key] += n
        work[key] += n * aht.get(channel, fallback)
    for slot, offered, *_ in calls:
        key = slot_key(slot)
        arrivals[key] += offered
        work[key] += offered * aht.get("calls", aht.get("phone", fallback))
    worked: dict[tuple[int, int], float] = defaultdict(float)
    for slot, agents in agent_rows:
        worked[slot_key(slot)] += agents
    occurrences = period.hours_of_week()
    hours = []
    for day in range(7):
        for hour in range(24):
            key = (day, hour)
            times = occurrences.get(key, 0)
            rate = share(arrivals[key], times) or 0.0
            handle = share(work[key], arrivals[key]) or fallback
            need = erlang.agents_needed(rate, handle, target_seconds, target_level)
            staff = share(worked[key], times) or 0.0
            verdict = ""
            if staff < need.agents:
                verdict = "under"
            elif staff > need.agents + SPARE:
                verdict = "over"
            hours.append(
                StaffingHour(
                    day,
                    hour,
                    rate,
                    handle,
                    need.load,
                    need.agents,
                    need.service_level,
                    staff,
                    verdict,
                )  # fmt: skip
            )
    return Staffing(
        target_seconds=target_seconds,
        target_level=target_level,
        phone_source="calls" if use_calls else "contacts",
        aht_by_channel=dict(sorted(aht.items())),
        aht_assumed=assumed,
        hours=hours,
    )
