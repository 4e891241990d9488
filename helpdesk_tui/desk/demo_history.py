"""Each demo ticket's path through the desk, and when each leg happened.

Seed 002's process: many problems are solved while the customer is on the
line; the front line solves most others itself; the rest go to triage and
a specialist (:mod:`demo_plan` picks the milestones). Notes, follow-up
contacts, courtesy updates and a priority change fall in between, at
random. :mod:`demo_journey` writes the events each action records.

Staff act in office hours (:meth:`Timeline.office`). This is the generator's
hot loop (a million tickets), so it prefers locals and list indexing to
helper calls, and makes each stamp once: the ticket row, its event and its
contact share it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import Any

from . import demo_content as pool
from .demo_contacts import ContactLog
from .demo_journey import Journey
from .demo_knowledge import Walker
from .demo_people import Compiled, People, compile_template
from .demo_plan import OPEN_SHARE, Plan, milestones, open_plan, tricky_slots
from .demo_sla import DemoSla
from .demo_tiers import OVERRIDE_REASONS, TierRules
from .demo_time import DAY, HOUR, MINUTE, OFFICE_HOURS, SECOND, Timeline

#: Share of tickets resolved while the customer is still on the line, by category.
AT_ONCE = {"computer": 0.1, "phone": 0.25, "network": 0.08, "email": 0.25}
AT_ONCE |= {"printer": 0.2, "account": 0.4, "general": 0.6}
#: Median hours to resolution by priority (log-normal around it).
MEDIAN_HOURS = {"urgent": 3.0, "high": 10.0, "normal": 30.0, "low": 70.0}
RAISED = {"low": "normal", "normal": "high", "high": "urgent", "urgent": "high"}
FOLLOW_UPS = (0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3)  # per ticket, drawn uniformly
NOTES = (0, 0, 0, 1, 1, 2)
CLOSE_AFTER_DAYS = (1, 2, 2, 3, 3, 4, 5, 7, 10)
PRIORITY_CHANGES = 0.07


class History:
    """Generates the tickets; their contacts and events collect in ``log``."""

    def __init__(
        self, tl: Timeline, people: People, rules: TierRules, rng: random.Random, count: int,
        departments: dict[str, str], sla: DemoSla, walker: Walker | None = None,
    ) -> None:  # fmt: skip
        self.tl, self.people, self.rng, self.count = tl, people, rng, count
        self.sla = sla
        self.open_share = OPEN_SHARE  # of tickets still open now (the benchmark asks for more)
        self.rnd = rng.random
        self.department = departments
        self.transfer_to = sorted(people.level2)
        self.rules = rules
        self.log = ContactLog(tl, people, rules, rng, count, walker)
        self.open_tickets = 0
        weights = pool.CHANNEL_WEIGHTS
        self.channels = tuple(rng.choices(list(weights), list(weights.values()), k=4096))
        self.front = tuple(rng.choices(people.front, cum_weights=people.front_cw, k=4096))
        self.templates = {
            cat: tuple(compile_template(cat, t) for t in ts) for cat, ts in pool.TEMPLATES.items()
        }
        self.outages = {cat: compile_template(cat, t) for cat, t in pool.OUTAGES.items()}
        # Bound once, so that a plan can tell its follow-ups by identity.
        self.follow_up = self._follow_up
        self.external = self._external
        self._customer = 0

    # -- the whole history ---------------------------------------------------------------------
    def stream(self, batch: int) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        """The whole history as ``(table, rows)`` batches, each table's rows in id order.

        Tickets come oldest first (ids follow creation); contacts and events
        of each day follow as soon as no later ticket can add to that day.
        The last batch is ``("summary", [(open tickets,)])``.
        """
        rng, n, w, log = self.rng, self.count, pool, self.log
        created = self.tl.moments(n, rng)
        cats = rng.choices(list(w.CATEGORY_WEIGHTS), list(w.CATEGORY_WEIGHTS.values()), k=n)
        prios = rng.choices(list(w.PRIORITY_WEIGHTS), list(w.PRIORITY_WEIGHTS.values()), k=n)
        channels = rng.choices(list(w.CHANNEL_WEIGHTS), list(w.CHANNEL_WEIGHTS.values()), k=n)
        creators = rng.choices(self.people.front, cum_weights=self.people.front_cw, k=n)
        targets = open_plan(created, self.tl.now, rng, self.open_share)
        self.open_tickets = len(targets)
        tricky = {
            i: (compile_template(category, template), category)
            for i, (template, category) in tricky_slots(targets, self.count)
        }
        rows: list[tuple[Any, ...]] = []
        today = -1
        for i in range(self.count):
            tc = created[i]
            if tc // DAY != today:
                today = tc // DAY
                log.flush(today)
                yield from log.drain(batch)
            rows.append(
                self._ticket(
                    i + 1,
                    tc,
                    cats[i],
                    prios[i],
                    channels[i],
                    creators[i],
                    targets.get(i),
                    tricky.get(i),
                )  # fmt: skip
            )
            if len(rows) == batch:
                yield "tickets", rows
                rows = []
        if rows:
            yield "tickets", rows
        log.flush(self.tl.now // DAY + 2)
        yield from log.drain(0)
        yield "summary", [(self.open_tickets,)]

    # -- one ticket ----------------------------------------------------------------------------
    def _ticket(
        self, tid: int, tc: int, cat: str, priority: str, channel: str, creator: str,
        target: str | None, tricky: tuple[Compiled, str] | None,
    ) -> tuple[Any, ...]:  # fmt: skip
        tl, rnd, people = self.tl, self.rnd, self.people
        now = tl.now
        rules = self.rules
        cust = people.markup if tricky is not None else people.pick(tc, rnd())
        tier = people.tier[cust]
        outage = tl.outages.get(tc // DAY)
        if tricky is not None:
            template, cat = tricky
        elif outage is not None and rnd() < 0.5 and rules.category(tier, outage, 1, 0) == outage:
            template, cat = self.outages[outage], outage
        else:
            if not rules.covers[tier, cat]:
                cat = rules.category(tier, cat, rnd(), rnd())
            options = self.templates[cat]
            template = options[int(rnd() * len(options))]
        allowed = rules.allowed
        if not allowed[tier, channel, None]:
            channel = rules.channel(tier, channel, rnd(), rnd(), "ticket")
        override = "" if allowed[tier, channel, cat] else OVERRIDE_REASONS[int(rnd() * 4)]
        equipment = people.equipment(cust)
        title = template.title.format(*equipment)
        at_once = target is None and rnd() < AT_ONCE[cat]
        outcome = "answered" if at_once else "ticket"
        created = tl.stamp(tc)
        summary = template.summary
        ref = self.log.add(
            tc, created, channel, cust, creator, summary, outcome, tid, cat, override
        )
        journey = Journey(tl.stamp, tid, tc, created, creator, priority, title, ref)
        if override:
            journey.override(tc, created, creator, override)
        resolution = ""
        if target is None:
            resolution = template.resolutions[int(rnd() * len(template.resolutions))]
        if at_once:
            journey.resolve(tc, creator, f"{resolution}\n(at first contact)", "")
        else:
            if target is None:
                hours = MEDIAN_HOURS[priority] * math.exp(1.2 * self.rng.gauss())
                span = min(int(hours * HOUR), int((now - tc) * (0.2 + 0.5 * rnd())), 150 * DAY)
            else:
                span = int((now - tc) * (0.3 + 0.65 * rnd()))
            self._customer = cust
            self._run(journey, self._plan(cat, creator, target, span, resolution), tc, span)
        steps = journey.steps
        resolved = closed = ""
        if journey.status == "resolved":
            last = steps[-1]
            resolved = last[1]
            later = CLOSE_AFTER_DAYS[int(rnd() * 9)] * DAY + int((rnd() - 0.5) * 6 * HOUR)
            tcl = tl.office(last[0] + later, rnd())
            if tcl < now:
                journey.close(tcl, people.lead if rnd() < 0.5 else last[3])
                closed = steps[-1][1]
        self.log.journal(steps)
        j = journey
        plan = self.sla.plan_of.get((tier, j.priority), "")
        due = ""
        if target is not None and plan:  # only open tickets have a due time
            due = self.sla.stamp(self.sla.due(plan, tc, j.moves, bool(j.responded)))
        return (
            tid, created, steps[-1][1], creator, cust + 1, cat, title,
            template.description.format(*equipment),
            template.fields[people.h[cust] & 15].format(*equipment), j.priority, j.status,
            j.department, j.level, j.owner or "", resolution if resolved else "", resolved, closed,
            len(steps), j.escalations, j.returns, j.lead_flag, j.vendor or "", j.vendor_ref or "",
            j.vendor_due or "", j.last_update, plan, j.responded, due,
        )  # fmt: skip

    def _plan(self, cat: str, creator: str, target: str | None, span: int, resolution: str) -> Plan:
        """The milestones of the ticket's path, with the everyday legs slotted in between."""
        rnd, channels, front = self.rnd, self.channels, self.front
        steps, resolver = milestones(self, cat, creator, target)
        follow, notes = FOLLOW_UPS[int(rnd() * 11)], NOTES[int(rnd() * 6)]
        updates = int(min(3.0, span / (2 * DAY)) * rnd())
        if target is not None:  # an open ticket is chased, and owed courtesy updates, as it ages
            months = span / (30 * DAY)
            follow = min(8, follow + int(months * rnd()))
            notes = min(6, notes + int(months * rnd()))
            updates = min(6, int(2 * months * rnd()) + (rnd() < 0.5))
        actor = resolver or creator
        free: Plan = [
            (self.follow_up, (front[int(rnd() * 4096)], channels[int(rnd() * 4096)], ""))
            for _ in range(follow)
        ]
        free += [(Journey.note, (actor, pool.NOTES[int(rnd() * 12)])) for _ in range(notes)]
        for _ in range(updates):
            message = pool.UPDATES[int(rnd() * len(pool.UPDATES))]
            free.append((Journey.update_customer, (actor, channels[int(rnd() * 4096)], message)))
        if rnd() < PRIORITY_CHANGES:
            free.append((Journey.set_priority, (self.people.lead, "")))
        waiting = target == "waiting_customer"
        for entry in free:
            room = len(steps) - (waiting and entry[0] is self.follow_up)
            steps.insert(int(rnd() * (room + 1)), entry)
        if target is None:
            told = channels[int(rnd() * 4096)] if rnd() < 0.6 else ""
            steps.append((Journey.resolve, (resolver or creator, resolution, told)))
        return steps

    def _run(self, journey: Journey, plan: Plan, tc: int, span: int) -> None:
        """Give the plan's steps their moments (in order, staff in office hours) and act them."""
        tl, rnd = self.tl, self.rnd
        workday, opens, shuts = tl.workday, OFFICE_HOURS[0] * HOUR, OFFICE_HOURS[1] * HOUR
        limit = tl.now - 1
        fractions = sorted([rnd() for _ in plan])
        if plan and plan[-1][0] is Journey.resolve:
            fractions[-1] = 1.0
        previous = tc
        for (action, args), fraction in zip(plan, fractions, strict=True):
            t = tc + int(span * fraction)
            r = t % DAY
            if not (workday[t // DAY] and opens <= r < shuts):
                moved = tl.office(t, rnd())
                t = moved if moved <= limit else t
            if t <= previous:  # the office opened late for an earlier step: a little after it
                t = min(previous + SECOND + int(rnd() * 20 * MINUTE), limit)
            if action is Journey.set_priority:
                args = (args[0], RAISED[journey.priority])
            action(journey, t, *args)
            previous = t

    def _follow_up(self, journey: Journey, t: int, agent: str, channel: str, said: str) -> None:
        """The customer comes back about the ticket: a contact, linked to it."""
        summary = said or pool.FOLLOW_UPS[int(self.rnd() * len(pool.FOLLOW_UPS))]
        at = self.tl.stamp(t)
        ticket = journey.ticket
        tier = self.people.tier[self._customer]
        if not self.rules.allowed[tier, channel, None]:
            channel = self.rules.channel(tier, channel, self.rnd(), self.rnd(), "follow-up")
        ref = self.log.add(t, at, channel, self._customer, agent, summary, "existing", ticket)
        journey.contact(t, at, agent, channel, summary, ref)

    def _external(
        self, journey: Journey, t: int, actor: str, reason: str, tried: str, routing: str,
        vendor: str, ref: str,
    ) -> None:  # fmt: skip
        """Escalate past level 3 to a vendor, who promises a fix within days."""
        due = self.tl.date(t + (3 + int(self.rnd() * 8)) * DAY)
        journey.escalate(t, actor, reason, tried, routing, (vendor, ref, due))
