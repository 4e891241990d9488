"""The demo desk's contact log and event journal, numbered in time order as they happen.

In a real file ids grow with time (each row is written when it happens),
but tickets are generated one after the other while their contacts and
events spread over weeks. Since nothing about a ticket happens before it
was opened, once the generator reaches day D every contact and event
before day D is known: :meth:`ContactLog.flush` then sorts those days
(stably, so a ticket's legs keep their order), numbers them, and queues
the rows. The rows therefore stream out while later tickets are still
being generated, and memory holds only the days in flight.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from . import demo_content as pool
from .demo_journey import Step
from .demo_knowledge import WALK_MINUTES, Walker
from .demo_people import People
from .demo_tiers import POINTED, TierRules
from .demo_time import DAY, MINUTE, Timeline

#: Contacts answered at once with no ticket, per ticket: with the tickets' own
#: contacts (about 1.76 each) the log holds about 3 contacts per ticket.
ANSWERED_PER_TICKET = 1.24
#: Contacts logged from the command line carry no start time.
NO_START = 0.03
OUTAGE_CALLS = 0.6  # share of an outage day's quick answers that are about the outage

Rows = list[tuple[Any, ...]]
_BY_MOMENT = itemgetter(0)


class ContactLog:
    """Contacts and events by day until their day is complete, then rows in id order.

    The rows are the generator's own tuples (see ``store.bulk.CONTACTS_SQL``
    and ``EVENTS_SQL`` for their layout): ids are their positions.
    """

    def __init__(
        self,
        tl: Timeline,
        people: People,
        rules: TierRules,
        rng: random.Random,
        tickets: int,
        walker: Walker | None = None,
    ) -> None:
        self.tl, self.people, self.rng, self.rnd, self.stamp = tl, people, rng, rng.random, tl.stamp
        self.walker = walker
        self.walk_rows: Rows = []
        self.walk_node_rows: Rows = []
        self._read_out = frozenset(pool.OUTAGE_QUESTIONS.values())  # bulletin answers: no walk
        self._categories: dict[int, str] = {}  # contact reference -> its new ticket's category
        self.rules = rules
        self._allowed, self._tier = rules.allowed, people.tier
        days = tl.now // DAY + 2
        self._contacts: list[list[tuple[Any, ...]]] = [[] for _ in range(days)]
        self._events: list[list[Step]] = [[] for _ in range(days)]
        self._ids: list[int] = [0]  # contact reference -> id, once numbered
        self._flushed = 0
        self.contact_rows: Rows = []
        self.event_rows: Rows = []
        self.contact_count = self.event_count = 0
        self.handling = {
            channel: (lo * MINUTE, (hi - lo) * MINUTE)
            for channel, (lo, hi) in pool.HANDLING_MINUTES.items()
        }
        n = round(ANSWERED_PER_TICKET * tickets)
        weights = pool.CHANNEL_WEIGHTS
        self._answered = tl.moments(n, rng)
        self._channels = rng.choices(list(weights), list(weights.values()), k=n)
        self._agents = rng.choices(people.front, cum_weights=people.front_cw, k=n)
        self._next_answered = 0

    def add(
        self, t: int, at: str, channel: str, customer: int, agent: str, summary: str,
        outcome: str, ticket: int, category: str | None = None, override: str = "",
    ) -> int:  # fmt: skip
        """Log a contact at moment ``t`` (stamp ``at``); returns a reference for events.

        ``entitled`` is the desk's verdict on the customer's tier for the
        channel (and ``category``, when the contact opens a ticket);
        ``override`` is the agent's reason for opening a ticket anyway.
        """
        rnd, ids = self.rnd, self._ids
        lo, width = self.handling[channel]
        started = "" if rnd() < NO_START else self.stamp(t - lo - int(rnd() * width))
        entitled = int(self._allowed[self._tier[customer], channel, category])
        ref = len(ids)
        ids.append(0)
        self._contacts[t // DAY].append(
            (t, at, started, channel, customer + 1, agent, summary, outcome, ticket, ref,
             entitled, override)
        )  # fmt: skip
        if category is not None and self.walker is not None:
            self._categories[ref] = category
        return ref

    def journal(self, steps: list[Step]) -> None:
        """Keep a ticket's events (steps) until their day is numbered."""
        events = self._events
        for step in steps:
            events[step[0] // DAY].append(step)

    def flush(self, day: int) -> None:
        """Number every contact and event before ``day``: no later ticket can add to them."""
        day = min(day, len(self._contacts))
        for d in range(self._flushed, day):
            self._answer(d)
            contacts, events = self._contacts[d], self._events[d]
            contacts.sort(key=_BY_MOMENT)
            events.sort(key=_BY_MOMENT)
            ids, cid, walker, categories = (
                self._ids,
                self.contact_count,
                self.walker,
                self._categories,
            )
            for c in contacts:  # the loader numbers rows in this same order
                cid += 1
                ids[c[9]] = cid
                if walker is not None:
                    category = categories.pop(c[9], None) if c[8] else None
                    if c[10] and walker.wants(c[7]):
                        self._walk(walker, c, cid, category)
            self.contact_count = cid
            self.contact_rows += contacts
            out = self.event_rows
            for s in events:  # an event names its contact by reference until now
                out.append(s[:9] + (ids[s[9]], s[10]) if s[9] else s)
            self.event_count += len(events)
            self._contacts[d] = self._events[d] = []
        self._flushed = max(self._flushed, day)

    def _walk(
        self, walker: Walker, c: tuple[Any, ...], contact_id: int, category: str | None
    ) -> None:
        """The article the agent walked during contact ``c``, if it was one the desk keeps
        without a ticket event: a quick answer, or a walk before a ticket was opened."""
        if (c[8] and c[7] == "answered") or c[6] in self._read_out:
            return  # solved at once on a ticket (a ticket event), or the bulletin read out
        tree, path, outcome = walker.walk(category, c[7] == "ticket")
        walk = walker.count
        started = c[2] or self.stamp(c[0] - WALK_MINUTES * MINUTE)
        self.walk_rows.append(
            (walk, tree.article_id, tree.version, c[5], contact_id, started, c[1], outcome,
             path[-1][0], len(path) - 1)
        )  # fmt: skip
        article = tree.article_id
        self.walk_node_rows += [
            (walk, position, article, node, answer) for position, (node, answer) in enumerate(path)
        ]

    def _answer(self, day: int) -> None:
        """Day ``day``'s contacts answered at once, with no ticket.

        Seed 002: every customer is logged, even for a general question; on
        an outage day most quick answers are the bulletin read out.
        """
        times, end, k = self._answered, (day + 1) * DAY, self._next_answered
        if k >= len(times) or times[k] >= end:
            return
        rnd, pick, outage = self.rnd, self.people.pick, self.tl.outages.get(day)
        questions, rules, tier = pool.QUESTIONS, self.rules, self.people.tier
        while k < len(times) and times[k] < end:
            t = times[k]
            if outage is not None and rnd() < OUTAGE_CALLS:
                summary = pool.OUTAGE_QUESTIONS[outage]
            else:
                summary = questions[int(rnd() * len(questions))]
            customer = pick(t, rnd())
            channel = rules.channel(tier[customer], self._channels[k], rnd(), rnd(), "quick")
            if not rules.allowed[tier[customer], channel, None]:
                summary = POINTED
            self.add(t, self.stamp(t), channel, customer, self._agents[k], summary, "answered", 0)
            k += 1
        self._next_answered = k

    def drain(self, batch: int) -> Iterator[tuple[str, Rows]]:
        """The queued contact and event rows once ``batch`` of a kind are waiting (0: all)."""
        if self.contact_rows and len(self.contact_rows) >= batch:
            yield "contacts", self.contact_rows
            self.contact_rows = []
        if self.event_rows and len(self.event_rows) >= batch:
            yield "events", self.event_rows
            self.event_rows = []
        if self.walk_rows and len(self.walk_node_rows) >= batch:
            yield "kb_walks", self.walk_rows
            yield "kb_walk_nodes", self.walk_node_rows
            self.walk_rows, self.walk_node_rows = [], []
