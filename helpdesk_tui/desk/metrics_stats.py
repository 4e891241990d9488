"""Small statistics the report shares: percentiles, shares, age buckets.

Percentiles interpolate linearly between the two nearest ranks ("inclusive" method,
as spreadsheets' PERCENTILE.INC): for ``n`` sorted values the p-th percentile sits at
position ``p x (n - 1)`` counted from 0, so the median of an even count is the mean of
the middle two. A figure with nothing to measure (a median of no tickets, a share of
zero contacts) is ``None``, shown as ``-``: an empty period gives zeros and blanks,
never an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

#: Backlog ages: (label, upper bound); the last bucket has none.
AGE_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("<1 d", timedelta(days=1)),
    ("1-3 d", timedelta(days=3)),
    ("3-7 d", timedelta(days=7)),
    ("1-4 w", timedelta(weeks=4)),
    ("older", None),
)


def percentile(values: Iterable[float], p: float) -> float | None:
    """The ``p`` quantile (0 to 1) of ``values``; None when there are none."""
    return sorted_percentile(sorted(v for v in values if v is not None), p)


def sorted_percentile(ordered: Sequence[float], p: float) -> float | None:
    """:func:`percentile` of values already in ascending order."""
    if not ordered:
        return None
    position = p * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def counted_percentile(counts: Sequence[tuple[float, int]], p: float) -> float | None:
    """:func:`percentile` of values given as ascending (value, how many) pairs."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    position = p * (total - 1)
    low = int(position)
    seen = 0
    below = above = None
    for value, n in counts:
        if below is None and low < seen + n:
            below = value
        if low + 1 < seen + n:
            above = value
            break
        seen += n
    assert below is not None
    above = below if above is None else above
    return below + (above - below) * (position - low)


def share(part: float, whole: float) -> float | None:
    """``part / whole``, or None when there is no whole."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Durations:
    """How long something took over many tickets: how many, median, 90th percentile."""

    count: int
    median_seconds: float | None
    p90_seconds: float | None

    @classmethod
    def of(cls, seconds: Iterable[float]) -> Durations:
        values = sorted(s for s in seconds if s is not None)
        if values and values[0] < 0:  # clocks a second apart: never a negative duration
            values = [max(0.0, v) for v in values]
        return cls(len(values), sorted_percentile(values, 0.5), sorted_percentile(values, 0.9))
