"""When things happen at the demo desk: the load over 18 months, office hours, stamps.

Times are plain integers (microseconds since :attr:`Timeline.base`, a UTC
midnight) because the generator handles millions of them: ``datetime``
objects and ``strftime`` would cost more than the rest of a row together.
:meth:`Timeline.stamp` turns one into exactly the text
:func:`helpdesk_tui.clock.to_stamp` writes (tested), so demo rows cannot be
told from rows the console wrote.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

#: Share of the day's contacts by UTC hour: a 24/7 line for critical systems,
#: a morning peak, a lunch dip and a smaller afternoon peak.
HOUR_WEIGHTS = (0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 2.0, 6.5, 10.0, 10.0, 9.0) + (
    6.0,
    7.5,
    8.5,
    8.0,
    6.0,
    3.0,
    1.5,
    1.0,
    0.8,
    0.6,
    0.4,
    0.3,
)
#: Monday is the busiest day; weekends are nearly quiet.
WEEKDAY_WEIGHTS = (1.25, 1.1, 1.0, 1.0, 0.85, 0.12, 0.08)
#: (month, day) when the office is closed.
HOLIDAYS = {(1, 1), (12, 24), (12, 25), (12, 26), (12, 31)}
#: The desk's load doubles (a little more) over the window: recent weeks are denser.
GROWTH = 2.2
OFFICE_HOURS = (7, 19)


class Timeline:
    """The window of history ending at ``now``: day weights, outages and stamps.

    ``base`` lies a week before the window so that setting-up moments (users,
    the customer import) are positive numbers too.
    """

    def __init__(self, now: datetime, days: int, rng: random.Random) -> None:
        now = now.astimezone(UTC)
        first = now.date() - timedelta(days=days)
        self.base_date: date = first - timedelta(days=7)
        self.base = datetime(
            self.base_date.year, self.base_date.month, self.base_date.day, tzinfo=UTC
        )
        delta = now - self.base
        self.now = (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds
        self.start = 7 * DAY  # the first moment of the window
        total_days = 7 + days + 2
        dates = [self.base_date + timedelta(days=d) for d in range(total_days)]
        self._days = [d.strftime("%Y-%m-%dT") for d in dates]
        self._clock = [
            f"{h:02d}:{m:02d}:{s:02d}." for h in range(24) for m in range(60) for s in range(60)
        ]
        self.workday = [d.weekday() < 5 and (d.month, d.day) not in HOLIDAYS for d in dates]
        self.outages: dict[int, str] = {}
        self._day_cw = self._day_weights(dates, days, rng)
        self._hour_cw = list(accumulate(HOUR_WEIGHTS))

    def _day_weights(self, dates: list[date], days: int, rng: random.Random) -> list[float]:
        """Weights of the window's days; before it and after ``now`` weigh nothing.

        About one working day in forty has an outage (a known problem), when
        contacts run at twice the usual rate, mostly about one category.
        """
        weights = [0.0] * len(dates)
        last = self.now // DAY
        for d in range(7, last + 1):
            when = dates[d]
            w = math.exp(math.log(GROWTH) * (d - 7) / max(days, 1))
            w *= WEEKDAY_WEIGHTS[when.weekday()] * rng.lognormvariate(0, 0.15)
            if (when.month, when.day) in HOLIDAYS:
                w *= 0.1
            elif self.workday[d] and rng.random() < 1 / 40:
                w *= rng.uniform(1.7, 2.6)
                self.outages[d] = rng.choice(("network", "email", "account", "phone"))
            if d == last:  # today counts only up to now
                w *= (self.now % DAY) / DAY
            weights[d] = w
        return list(accumulate(weights))

    def moments(self, k: int, rng: random.Random) -> list[int]:
        """``k`` sorted moments in the window, distributed like the desk's contacts."""
        days = rng.choices(range(len(self._day_cw)), cum_weights=self._day_cw, k=k)
        hours = rng.choices(range(24), cum_weights=self._hour_cw, k=k)
        rnd = rng.random
        now = self.now
        out = [d * DAY + h * HOUR + int(rnd() * HOUR) for d, h in zip(days, hours, strict=True)]
        # Today's hours after now belong to yesterday: the future has no contacts.
        out = [t if t < now else t - DAY for t in out]
        out.sort()
        return out

    def office(self, t: int, jitter: float) -> int:
        """``t`` if it falls in office hours, else the next working morning.

        Staff actions (notes, escalations, resolutions) happen at work; a
        customer's call can come at any hour. ``jitter`` (0-1) spreads the
        morning's catch-up over its first two hours.
        """
        d, r = divmod(t, DAY)
        if d >= len(self.workday) - 1:  # past now: the caller keeps it out of the history
            return t
        if self.workday[d] and OFFICE_HOURS[0] * HOUR <= r < OFFICE_HOURS[1] * HOUR:
            return t
        if r >= OFFICE_HOURS[0] * HOUR:
            d += 1
        while d < len(self.workday) - 1 and not self.workday[d]:
            d += 1
        return d * DAY + OFFICE_HOURS[0] * HOUR + int(jitter * 2 * HOUR)

    @property
    def days(self) -> int:
        """How many days :meth:`stamp` covers (from ``base``)."""
        return len(self._days)

    def stamp(self, t: int) -> str:
        """The stored text of moment ``t``: identical to ``clock.to_stamp``."""
        d, r = divmod(t, DAY)
        s, u = divmod(r, SECOND)
        return f"{self._days[d]}{self._clock[s]}{u:06d}Z"

    def stamps(self, moments: list[int]) -> list[str]:
        """:meth:`stamp` of many moments (``''`` for negative ones: no time), in one pass."""
        days, clock = self._days, self._clock
        return [
            f"{days[t // DAY]}{clock[t // SECOND % 86_400]}{t % SECOND:06d}Z" if t >= 0 else ""
            for t in moments
        ]

    def date(self, t: int) -> str:
        """The ISO date of moment ``t``, as a user types a date (``YYYY-MM-DD``)."""
        return (self.base_date + timedelta(days=t // DAY)).isoformat()

    def moment(self, when: datetime) -> int:
        """The integer moment of an aware datetime (for tests and anchors)."""
        delta = when.astimezone(UTC) - self.base
        return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds

    def to_datetime(self, t: int) -> datetime:
        return self.base + timedelta(microseconds=t)
