"""Phone-queue figures from the phone system's call records (seed 002: abandoned calls,
time waiting for a live person).

* **offered**: calls that entered a queue in the period; **answered**, **abandoned** (the
  caller hung up while waiting), **other unanswered** (timed out, left with a key, queue
  empty); **abandon rate** = abandoned / offered.
* **average speed of answer**: mean wait of the answered calls; **longest wait**: of any call.
* **service level**: calls answered within the target (20 s unless told) / offered.
* **queue length over the day**: per local hour of the day, the mean number of callers
  waiting (Little's law: seconds spent waiting by calls that entered in that hour,
  divided by the seconds of that hour in the period), and calls offered per day then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .metrics_period import Period, slot_key
from .metrics_stats import share

TARGET_SECONDS = 20.0


@dataclass(frozen=True)
class QueueHour:
    hour: int  # local hour of the day
    offered: int
    answered: int
    abandoned: int
    offered_per_day: float
    mean_waiting: float  # callers waiting on average during that hour
    longest_wait_seconds: float


@dataclass(frozen=True)
class PhoneQueue:
    target_seconds: float
    offered: int
    answered: int
    abandoned: int
    other_unanswered: int
    abandon_rate: float | None
    asa_seconds: float | None
    longest_wait_seconds: float | None
    service_level: float | None
    average_talk_seconds: float | None
    by_hour: list[QueueHour]


def phone_queue(
    period: Period, rows: Iterable[tuple[Any, ...]], target_seconds: float = TARGET_SECONDS
) -> PhoneQueue:
    """Sum the calls' hourly rows (see ``Calls.hourly``) into the period's figures."""
    occurrences: Counter[int] = Counter()
    for (_, hour), n in period.hours_of_week().items():
        occurrences[hour] += n
    per_hour = {h: [0.0] * 5 for h in range(24)}
    totals = [0.0] * 9
    longest: float | None = None
    for (
        slot,
        offered,
        answered,
        abandoned,
        other,
        ans_wait,
        top,
        in_target,
        wait,
        talk,
        talks,
    ) in rows:
        hour = slot_key(slot)[1]
        acc = per_hour[hour]
        acc[0] += offered
        acc[1] += answered or 0
        acc[2] += abandoned or 0
        acc[3] += wait or 0.0
        acc[4] = max(acc[4], top or 0.0)
        longest = max(longest or 0.0, top or 0.0)
        for i, value in enumerate(
            (offered, answered, abandoned, other, ans_wait, in_target, talk, talks)
        ):
            totals[i] += value or 0
    offered, answered, abandoned, other, ans_wait, in_target, talk, talks, _ = totals
    return PhoneQueue(
        target_seconds=target_seconds,
        offered=int(offered),
        answered=int(answered),
        abandoned=int(abandoned),
        other_unanswered=int(other),
        abandon_rate=share(abandoned, offered),
        asa_seconds=share(ans_wait, answered),
        longest_wait_seconds=longest,
        service_level=share(in_target, offered),
        average_talk_seconds=share(talk, talks),
        by_hour=[
            QueueHour(
                hour=h,
                offered=int(acc[0]),
                answered=int(acc[1]),
                abandoned=int(acc[2]),
                offered_per_day=share(acc[0], occurrences[h]) or 0.0,
                mean_waiting=share(acc[3], 3600.0 * occurrences[h]) or 0.0,
                longest_wait_seconds=acc[4],
            )
            for h, acc in sorted(per_hour.items())
        ],
    )
