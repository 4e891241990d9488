"""Bulletins in the demo: one per outage day of the history, and an end-of-support notice.

The timeline already has its outage days (:attr:`Timeline.outages`: about one
working day in forty, contacts at twice the rate, many of them "called about
the outage"). Each gets the bulletin the lead would have posted that morning
and resolved that afternoon, through the desk itself (a few dozen writes),
and the outage calls taken while it was up are linked to it, as the agents
who read it out would have done. An outage this morning is still active, and
so is a notice about the next catalogue product to reach its end of support:
the console's bulletin bar has something to show.
"""

from __future__ import annotations

from ..clock import FrozenClock
from ..store.bulk import BulkLoad
from . import demo_content as pool
from .demo_knowledge import BULLETINS
from .demo_time import DAY, HOUR, MINUTE, Timeline
from .facade import Desk

#: When, on an outage day (UTC), the outage starts, the lead posts it, expects it over
#: and resolves it.
STARTS = 7 * HOUR + 10 * MINUTE
POSTED = 7 * HOUR + 40 * MINUTE
EXPECTED = 12 * HOUR
RESOLVED = 14 * HOUR + 30 * MINUTE
NOTICE_DAYS = 21  # the end-of-support notice went up three weeks ago


def post_bulletins(desk: Desk, load: BulkLoad, tl: Timeline, lead: str) -> int:
    """Post (and resolve) the history's bulletins as ``lead``; returns how many."""
    clock = FrozenClock(tl.to_datetime(tl.start))
    as_lead = Desk(desk.store, login=lead, clock=clock)
    posted = 0
    for day, category in sorted(tl.outages.items()):
        text = BULLETINS.get(category)
        base = day * DAY
        if text is None or base + POSTED >= tl.now:
            continue
        clock.set(tl.to_datetime(base + POSTED))
        bulletin = as_lead.post_bulletin(
            title=text["title"],
            answer=text["answer"],
            categories=[category],
            keywords=text["keywords"],
            severity="major",
            starts_at=tl.to_datetime(base + STARTS),
            expected_end=tl.to_datetime(base + EXPECTED),
        )
        until = min(base + RESOLVED, tl.now)
        load.link_contacts(
            bulletin.id,
            tl.stamp(base + POSTED),
            tl.stamp(until),
            pool.OUTAGE_QUESTIONS.get(category, ""),
        )
        if base + RESOLVED < tl.now:
            clock.set(tl.to_datetime(base + RESOLVED))
            as_lead.resolve_bulletin(bulletin.id, text["resolution"])
        posted += 1
    return posted + _end_of_support_notice(as_lead, clock, tl)


def _end_of_support_notice(as_lead: Desk, clock: FrozenClock, tl: Timeline) -> int:
    """The notice for the catalogue product whose support ends next, if any."""
    when = tl.to_datetime(tl.now - NOTICE_DAYS * DAY)
    today = when.date()
    ending = [p for p in as_lead.products() if p.end_of_support and p.end_of_support > today]
    if not ending:
        return 0
    product = min(ending, key=lambda p: (p.end_of_support, p.key))
    clock.set(when)
    as_lead.post_bulletin(kind="end_of_support", products=[product.key], starts_at=when)
    return 1
