"""The period a report covers, and reading dates the way a lead types them.

Periods are half-open, ``[start, end)``, in UTC like every stored time; days, hours of
the day and weekdays are the desk's local time (the machine's zone, as everywhere on
screen). A date alone (``2026-11-01``) means that whole local day: as ``--from`` its
start, as ``--to`` its end, so ``--from 2026-11-01 --to 2026-11-30`` is all of November.

Figures are gathered per UTC hour (one ``GROUP BY`` on the stored text, cheap on an
index) and placed in local time here, per hour: daylight-saving changes fall in the
right hour; a zone with a half-hour offset sees each hour's figures in the local hour
where that UTC hour starts.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..clock import to_stamp
from .errors import InvalidInput

#: The console's period choices; ``custom`` asks for dates.
PERIODS: tuple[str, ...] = ("today", "week", "30d", "custom")
PERIOD_LABELS: dict[str, str] = {
    "today": "today",
    "week": "this week",
    "30d": "last 30 days",
    "custom": "custom",
}
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOUR = timedelta(hours=1)
DATE_HELP = "use YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time unless it names a zone)"


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in UTC, with how it was chosen (a preset name or ``custom``)."""

    start: datetime
    end: datetime
    name: str = "custom"

    @property
    def start_stamp(self) -> str:
        return to_stamp(self.start)

    @property
    def end_stamp(self) -> str:
        return to_stamp(self.end)

    @property
    def label(self) -> str:
        """``last 30 days (2026-10-27 00:00 to 2026-11-25 09:00)`` in local time."""
        span = f"{_shown(self.start)} to {_shown(self.end)}"
        return span if self.name == "custom" else f"{PERIOD_LABELS[self.name]} ({span})"

    def days(self) -> list[date]:
        """Every local date the period touches, in order (none for an empty period)."""
        if self.end <= self.start:
            return []
        first, last = local_date(self.start), local_date(self.end - timedelta(microseconds=1))
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def hour_slots(self) -> list[datetime]:
        """The UTC hour starts the period covers (the first may start before it)."""
        if self.end <= self.start:
            return []
        slot = self.start.replace(minute=0, second=0, microsecond=0)
        out = []
        while slot < self.end:
            out.append(slot)
            slot += HOUR
        return out

    def hours_of_week(self) -> Counter[tuple[int, int]]:
        """How many times each local (weekday, hour) occurs in the period."""
        return Counter(slot_key(to_stamp(s)[:13]) for s in self.hour_slots())


def _shown(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def local_date(moment: datetime) -> date:
    return moment.astimezone().date()


def local_midnight(day: date) -> datetime:
    """The UTC moment when ``day`` starts on the desk's clock."""
    return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC)


def slot_local(slot: str) -> datetime:
    """A stored UTC hour (``2026-11-25T09``) as a local datetime."""
    return _slot_local(slot, time.tzname, time.timezone, time.altzone)


@functools.lru_cache(maxsize=65_536)
def _slot_local(slot: str, *_zone: object) -> datetime:
    """Cached per zone (the zone's names and offsets are part of the key: a test or a
    long-running console may switch zones)."""
    return datetime.strptime(slot, "%Y-%m-%dT%H").replace(tzinfo=UTC).astimezone()


def slot_key(slot: str) -> tuple[int, int]:
    """A stored UTC hour as its local (weekday 0 = Monday, hour)."""
    here = slot_local(slot)
    return here.weekday(), here.hour


def preset(name: str, now: datetime) -> Period:
    """``today``, ``week`` (since Monday) or ``30d`` (29 whole days and today), up to now."""
    today = local_date(now)
    if name == "today":
        first = today
    elif name == "week":
        first = today - timedelta(days=today.weekday())
    elif name == "30d":
        first = today - timedelta(days=29)
    else:
        choices = ", ".join(p for p in PERIODS if p != "custom")
        raise InvalidInput(f"unknown period {name!r}: use one of {choices}", field="period")
    return Period(local_midnight(first), now.astimezone(UTC), name)


def parse_moment(text: str) -> datetime | None:
    """ISO 8601 (local time unless it names a zone) or Unix epoch seconds; None if neither."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromtimestamp(float(text), UTC)
    except (ValueError, OverflowError, OSError):
        pass
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC)


def parse_bound(text: str, option: str, *, end: bool) -> datetime:
    """A ``--from``/``--to`` value: a whole local day, or an exact moment."""
    cleaned = (text or "").strip()
    field = option.lstrip("-")
    if len(cleaned) == 10:
        try:
            day = date.fromisoformat(cleaned)
        except ValueError:
            raise InvalidInput(
                f"{option} {text!r} is not a date: {DATE_HELP}", field=field
            ) from None
        return local_midnight(day + timedelta(days=1) if end else day)
    moment = parse_moment(cleaned) if not cleaned.replace(".", "").isdigit() else None
    if moment is None:
        raise InvalidInput(f"{option} {text!r} is not a date: {DATE_HELP}", field=field)
    return moment


def period_between(
    start_text: str | None, end_text: str | None, now: datetime, default: str = "30d"
) -> Period:
    """The period of ``--from``/``--to``; neither given: the ``default`` preset.

    Only ``--from``: up to now. Only ``--to``: the 30 days that end there. ``--from``
    after ``--to`` is refused; a period with nothing in it gives zeros, not an error.
    """
    if not start_text and not end_text:
        return preset(default, now)
    end = parse_bound(end_text, "--to", end=True) if end_text else now.astimezone(UTC)
    if start_text:
        start = parse_bound(start_text, "--from", end=False)
    else:
        start = local_midnight(local_date(end - timedelta(microseconds=1)) - timedelta(days=29))
    if start > end:
        shown_to = end_text or f"now ({_shown(end)})"
        raise InvalidInput(
            f"--from {start_text} is after --to {shown_to}: give the earlier date first",
            field="from",
        )
    return Period(start, end, "custom")
