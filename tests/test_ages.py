"""Ticket ages as the queue shows them: the two most significant units."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk_tui.desk import human_age


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(seconds=0), "<1m"),
        (timedelta(seconds=59), "<1m"),
        (timedelta(seconds=-30), "<1m"),  # another console's clock a little ahead
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=59, seconds=59), "59m"),
        (timedelta(hours=1), "1h 0m"),
        (timedelta(hours=3, minutes=12), "3h 12m"),
        (timedelta(days=1), "1d 0h"),
        (timedelta(days=3, hours=4, minutes=59), "3d 4h"),
        (timedelta(days=6, hours=23), "6d 23h"),
        (timedelta(days=7), "1w"),
        (timedelta(days=9, hours=5), "1w 2d"),
        (timedelta(days=400), "57w 1d"),
    ],
)
def test_human_age(delta: timedelta, shown: str) -> None:
    assert human_age(delta) == shown


def test_older_is_never_shown_younger() -> None:
    steps = [timedelta(minutes=m) for m in range(0, 60 * 24 * 30, 37)]
    units = {"w": 7 * 24 * 60, "d": 24 * 60, "h": 60, "m": 1}

    def minutes(text: str) -> int:
        if text == "<1m":
            return 0
        return sum(int(part[:-1]) * units[part[-1]] for part in text.split())

    shown = [minutes(human_age(s)) for s in steps]
    assert shown == sorted(shown)
