"""One injectable clock for every rule that reads the time.

Stored timestamps are UTC text in one fixed-width format, so that text order
is time order and the queue's ``(created_at, id)`` index sorts by age.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_stamp(moment: datetime) -> str:
    """UTC text for storage: ``2026-11-28T09:58:44.000000Z``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the desk stores only aware UTC times")
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


def from_stamp(text: str) -> datetime:
    return datetime.strptime(text, STAMP_FORMAT).replace(tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC for JSON output (seconds precision, ``Z`` suffix)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    """The wall clock. Tests use :class:`FrozenClock` instead."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **kwargs: float) -> datetime:
        self._now += timedelta(**kwargs)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)


NowFunction = Callable[[], datetime]
