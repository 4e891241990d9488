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
    """A stored stamp back to an aware UTC time.

    ``fromisoformat`` reads the stamp ~40x faster than ``strptime``: it matters
    where a ticket's events are replayed on each change (measured: 500 contacts
    on one ticket took 6 s, mostly in strptime).
    """
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


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
