"""Business-hours calendars and SLA clock arithmetic (issue 4): pure, standard library only.

Conventions (each chosen so that a hand calculation gives the same answer):

* Weekly hours are local wall-clock intervals ``[start, end)``; weekday 0 is Monday. An
  ``end`` of ``time(0, 0)`` means midnight at the *end* of the day (24:00), so
  ``(time(0), time(0))`` is a whole day. Intervals of a day are ordered and may touch
  but not overlap.
* An interval opens at the first instant the local clock shows its start time and closes
  at the first instant it shows its end time. A time skipped by a spring-forward gap
  opens at the switch; a time repeated by a fall-back is taken at its first occurrence.
* Business time is *real* elapsed time inside open intervals, never wall-clock arithmetic:
  09:00-17:00 is 8 h on both DST change days in Europe/Madrid (the switch is at 02:00 or
  03:00), but 00:00-06:00 is 5 h on the spring-forward day and 7 h on the fall-back day.
* Holidays are local dates with no hours. ``always_open`` (24/7) ignores weekly hours and
  holidays: every instant counts, so business time equals wall time.
* Arithmetic runs in whole microseconds (``timedelta``), so splitting a span never loses
  or gains time; results are floats of seconds or aware UTC datetimes.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MIDNIGHT = time(0, 0)
_DAY = timedelta(days=1)
_FOREVER = datetime.max.replace(tzinfo=UTC)  # the end of an open-ended pause
Interval = tuple[time, time]
Pause = tuple[datetime, datetime | None]
Span = tuple[datetime, datetime]


class CalendarError(ValueError):
    """A calendar that cannot be used; the message is one line naming the calendar and problem."""


def _show(interval: Interval) -> str:
    start, end = (t.isoformat("seconds" if t.second else "minutes") for t in interval)
    return f"{start}-{'24:00' if interval[1] == MIDNIGHT else end}"


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekly hours in a time zone, minus holidays, or 24/7 (see the module conventions).

    Validated on construction, so every instance is usable: the arithmetic below can rely on
    a known zone and ordered, non-empty hours and never loops forever looking for an opening.
    """

    name: str
    timezone: str
    weekly: dict[int, tuple[Interval, ...]] = field(default_factory=dict, hash=False)
    holidays: frozenset[date] = frozenset()
    always_open: bool = False

    def __post_init__(self) -> None:
        days = {day: tuple(tuple(span) for span in spans) for day, spans in self.weekly.items()}
        object.__setattr__(
            self, "weekly", days
        )  # a private copy: later edits to the caller's dict do not leak in
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        self.validate()

    @classmethod
    def create(
        cls,
        name: str,
        timezone: str,
        weekly: Mapping[int, Iterable[tuple[Any, Any]]] | None = None,
        holidays: Iterable[date | str] = (),
        always_open: bool = False,
    ) -> BusinessCalendar:
        """Build from plain values as read from a config file.

        Times may be ``time`` or "HH:MM" text (an end of "24:00" means end of day); holidays
        may be ``date`` or "YYYY-MM-DD" text. Raises ``CalendarError`` for anything wrong.
        """
        days = {day: _pairs(name, day, spans) for day, spans in (weekly or {}).items()}
        return cls(name, timezone, days, frozenset(_date(name, h) for h in holidays), always_open)

    def validate(self) -> None:
        """Raise ``CalendarError`` (one line, naming the problem) unless the calendar is usable."""
        fail = functools.partial(_fail, self.name)
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
            raise fail(f"unknown time zone {self.timezone!r}") from None
        if bad := [h for h in self.holidays if type(h) is not date]:
            raise fail(f"holiday {bad[0]!r} is not a date")
        for day, spans in self.weekly.items():
            if type(day) is not int or not 0 <= day <= 6:
                raise fail(f"weekday {day!r} is outside 0-6 (0 = Monday)")
            previous: Interval | None = None
            for span in spans:
                if len(span) != 2 or not all(type(t) is time and not t.tzinfo for t in span):
                    raise fail(f"{DAY_NAMES[day]} hours must be (start, end) local times")
                start, end = span
                if end != MIDNIGHT and start >= end:
                    shown = _show((start, end))
                    raise fail(f"{DAY_NAMES[day]} interval {shown} starts at or after its end")
                if previous and (previous[1] == MIDNIGHT or start < previous[1]):
                    pair = f"{_show(previous)} and {_show((start, end))}"
                    raise fail(f"{DAY_NAMES[day]} intervals {pair} overlap or are out of order")
                previous = (start, end)
        if not self.always_open and not any(self.weekly.values()):
            raise fail("empty hours, no open interval in the week (use always_open for 24/7)")


def _fail(name: str, problem: str) -> CalendarError:
    return CalendarError(f"calendar {name!r}: {problem}")


def _pairs(name: str, day: object, spans: Iterable[tuple[Any, Any]]) -> tuple[Interval, ...]:
    try:
        return tuple((_time(name, s), _time(name, e, end=True)) for s, e in spans)
    except CalendarError:
        raise
    except (TypeError, ValueError):
        raise _fail(name, f"hours of weekday {day!r} must be [start, end] pairs") from None


def _time(name: str, value: time | str, *, end: bool = False) -> time:
    if isinstance(value, time):
        return value
    parts = [int(p) if p.isdigit() else -1 for p in str(value).split(":")]
    if end and parts in ([24, 0], [24, 0, 0]):
        return MIDNIGHT
    try:
        return time(*parts) if len(parts) in (2, 3) else time(-1)
    except ValueError:
        raise _fail(name, f"{value!r} is not a time of day (HH:MM)") from None


def _date(name: str, value: date | str) -> date:
    try:
        return value if type(value) is date else date.fromisoformat(str(value))
    except ValueError:
        raise _fail(name, f"holiday {value!r} is not a date (YYYY-MM-DD)") from None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: give an aware time (UTC)")
    return moment.astimezone(UTC)


def _local_date(cal: BusinessCalendar, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(cal.timezone)).date()


@functools.lru_cache(maxsize=16384)
def _instant(zone: str, wall: datetime) -> datetime:
    """The first UTC instant at which the clock in ``zone`` shows ``wall`` (naive) or later."""
    tz = ZoneInfo(zone)
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:  # exists (maybe twice: take the first)
        return min(first, second)
    # In a spring-forward gap: binary-search the switch (whole seconds) between the two readings.
    lo, hi = math.floor(min(first, second).timestamp()), math.ceil(max(first, second).timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        shown = datetime.fromtimestamp(mid, UTC).astimezone(tz).replace(tzinfo=None)
        lo, hi = (lo, mid) if shown >= wall else (mid, hi)
    return datetime.fromtimestamp(hi, UTC)


def _segments(cal: BusinessCalendar, first: date, last: date | None) -> Iterator[Span]:
    """Open intervals as ordered, disjoint UTC instants for local dates first..last (None: on)."""
    day = first
    while last is None or day <= last:
        if cal.always_open:
            hours: tuple[Interval, ...] = ((MIDNIGHT, MIDNIGHT),)
        else:
            hours = () if day in cal.holidays else cal.weekly.get(day.weekday(), ())
        for start, end in hours:
            opens = _instant(cal.timezone, datetime.combine(day, start))
            closes = _instant(cal.timezone, datetime.combine(day + _DAY * (end == MIDNIGHT), end))
            if opens < closes:
                yield opens, closes
        day += _DAY


def _open_time(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    total = timedelta(0)
    if end > start:
        dates = (_local_date(cal, start) - _DAY, _local_date(cal, end) + _DAY)
        for opens, closes in _segments(cal, *dates):
            total += max(timedelta(0), min(closes, end) - max(opens, start))
    return total


def _merge(pauses: Iterable[Pause], lo: datetime, hi: datetime) -> list[Span]:
    """Pauses clipped to [lo, hi), sorted and merged; an open end runs to ``hi``."""
    spans = sorted((max(_utc(a), lo), hi if b is None else min(_utc(b), hi)) for a, b in pauses)
    merged: list[Span] = []
    for a, b in spans:
        if a >= b:  # empty after clipping, or an end before its start: counts for nothing
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def business_seconds(
    cal: BusinessCalendar, start: datetime, end: datetime, pauses: Iterable[Pause] = ()
) -> float:
    """Business seconds from ``start`` to ``end`` (aware), minus business time inside pauses.

    Pauses may overlap (counted once), lie partly outside hours or outside [start, end)
    (clipped); an end of None runs to ``end``. Zero when ``end <= start``.
    """
    start, end = _utc(start), _utc(end)
    if end <= start:
        return 0.0
    total = _open_time(cal, start, end)
    for a, b in _merge(pauses, start, end):
        total -= _open_time(cal, a, b)
    return total.total_seconds()


def add_business_seconds(
    cal: BusinessCalendar, start: datetime, seconds: float, pauses: Iterable[Pause] = ()
) -> datetime | None:
    """The due time: earliest instant (UTC) with ``business_seconds(...) >= seconds``.

    None means "paused, no due time": an open-ended pause (end None) stops the clock before
    the target is reached. ``seconds <= 0`` is due at ``start``. The target is rounded up to
    a whole microsecond, so the answer is never early.
    """
    if not math.isfinite(seconds):
        raise ValueError(f"business seconds must be finite, not {seconds!r}")
    start = _utc(start)
    micros = round(seconds * 1_000_000)
    need = timedelta(microseconds=micros + (micros / 1_000_000 < seconds))
    if need <= timedelta(0):
        return start
    stops, i = _merge(pauses, start, _FOREVER), 0
    for opens, closes in _segments(cal, _local_date(cal, start) - _DAY, None):
        cur = max(opens, start)
        while cur < closes:
            while i < len(stops) and stops[i][1] <= cur:
                i += 1
            if i < len(stops) and stops[i][0] <= cur:  # inside a pause: jump to its end
                if stops[i][1] == _FOREVER:
                    return None
                cur = stops[i][1]
                continue
            stop = min(closes, stops[i][0]) if i < len(stops) else closes
            if stop - cur >= need:
                return cur + need
            need -= stop - cur
            cur = stop
    raise AssertionError("unreachable: a validated calendar always opens again")


def is_open(cal: BusinessCalendar, moment: datetime) -> bool:
    """Whether business time is running at ``moment`` (aware), by the same rules as above."""
    return next_open(cal, moment) == moment


def next_open(cal: BusinessCalendar, moment: datetime) -> datetime:
    """The first open instant at or after ``moment``, in UTC (``moment`` itself when open)."""
    now = _utc(moment)
    for opens, closes in _segments(cal, _local_date(cal, now) - _DAY, None):
        if closes > now:
            return max(opens, now)
    raise AssertionError("unreachable: a validated calendar always opens again")
