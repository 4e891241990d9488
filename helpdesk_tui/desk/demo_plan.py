"""The milestones of a demo ticket's path, chosen the way a desk's work divides.

Each milestone is an action allowed by the transition table for the person
doing it (``transitions.TABLE``): anyone sends to triage; a level 2
specialist of the department takes it (or a lead assigns it), transfers it,
asks the customer for more, escalates; level 3 escalates to a vendor.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import demo_content as pool
from .demo_journey import Journey
from .demo_time import DAY

if TYPE_CHECKING:
    from .demo_history import History

Plan = list[tuple[Callable[..., None], tuple[Any, ...]]]

#: Share of triaged tickets: transferred on, escalated to level 3, of those sent to a
#: vendor, asked for more information, handed back to the front line.
TRANSFERRED, TO_LEVEL_3, TO_VENDOR, ASKED, RETURNED = 0.06, 0.12, 0.3, 0.15, 0.15
ASSIGNED = 0.2  # of tickets taken: given out by a lead rather than taken
#: Share of tickets not solved at once that the front line sends to triage.
TRIAGED = {"computer": 0.4, "phone": 0.3, "network": 0.5, "email": 0.25}
TRIAGED |= {"printer": 0.3, "account": 0.25, "general": 0.1}
#: Of tickets taken by someone, how many the person running the demo took (open, closed).
RUNNER_TAKES = {True: 0.25, False: 0.04}
FRONT_LINE_ASKS = 0.4  # of open tickets waiting on the customer: asked by the front line
OPEN_SHARE = 0.05
#: Where the open tickets sit by age (days, share): the queue's tail reaches back a year+.
OPEN_AGES = ((14, 0.40), (90, 0.35), (365, 0.20), (100_000, 0.05))


def _pick(options: Sequence[Any], u: float) -> Any:
    return options[int(u * len(options))]


def milestones(h: History, cat: str, creator: str, target: str | None) -> tuple[Plan, str]:
    """The ticket's milestones in order, and who will resolve it (or owns it, if open).

    ``target`` is the status an open ticket ends in; None for one that gets resolved.
    """
    rnd, people = h.rnd, h.people
    steps: Plan = []
    if target is None and rnd() >= TRIAGED[cat]:
        return steps, creator if rnd() < 0.7 else _pick(h.front, rnd())
    if target == "open" and rnd() < 0.5:
        return steps, ""  # new, still with the front line
    if target == "waiting_customer" and rnd() < FRONT_LINE_ASKS:
        steps.append((Journey.request_info, (creator, _pick(pool.INFO_QUESTIONS, rnd()))))
        return steps, ""
    routing = department = h.department[cat]
    steps.append((Journey.triage, (creator, _pick(pool.TRIED, rnd()), department)))
    if rnd() < TRANSFERRED:
        other = _pick(h.transfer_to, rnd())
        if other != department:
            by = _pick(people.level2.get(department) or [people.lead], rnd())
            steps.append((Journey.transfer, (by, other, _pick(pool.TRANSFER_REASONS, rnd()))))
            department = other
    if target == "triage" and rnd() < 0.75:
        return steps, ""  # waiting for a specialist to take it
    owner = _take(h, steps, people.level2.get(department), target is not None)
    if target == "waiting_customer":
        steps.append((Journey.request_info, (owner, _pick(pool.INFO_QUESTIONS, rnd()))))
        return steps, owner
    if target in ("waiting_vendor", "triage") or (target is None and rnd() < TO_LEVEL_3):
        reason, tried = _pick(pool.ESCALATION_REASONS, rnd()), _pick(pool.TRIED, rnd())
        steps.append((Journey.escalate, (owner, reason, tried, routing, None)))
        if target == "triage":
            return steps, ""  # at level 3, waiting to be taken
        owner = _take(h, steps, people.level3.get(department), target is not None)
        if target == "waiting_vendor" or rnd() < TO_VENDOR:
            vendor, prefix = _pick(pool.VENDORS, rnd())
            ref = f"{prefix}-{int(rnd() * 9_000_000) + 1_000_000}"
            reason = "Needs the vendor: hardware or software fault on their side."
            args = (owner, reason, _pick(pool.TRIED, rnd()), routing, vendor, ref)
            steps.append((h.external, args))
            return steps, owner
    if target is not None:
        return steps, owner
    if rnd() < ASKED:
        steps.append((Journey.request_info, (owner, _pick(pool.INFO_QUESTIONS, rnd()))))
        answer = (_pick(h.front, rnd()), _pick(h.channels, rnd()), _pick(pool.ANSWERS, rnd()))
        steps.append((h.follow_up, answer))
    if rnd() < RETURNED:
        steps.append((Journey.return_to_front_line, (owner, _pick(pool.SOLUTIONS, rnd()))))
        return steps, _pick(h.front, rnd())
    return steps, owner


def _take(h: History, steps: Plan, staff: list[str] | None, still_open: bool) -> str:
    """Someone takes the ticket (or a lead assigns it); returns the new owner."""
    rnd, people = h.rnd, h.people
    if rnd() < RUNNER_TAKES[still_open]:
        owner = people.runner
    else:
        owner = _pick(staff or [people.runner], rnd())
    if rnd() < ASSIGNED:
        steps.append((Journey.take, (people.lead, owner, "assigned")))
    else:
        steps.append((Journey.take, (owner,)))
    return owner


def open_plan(
    created: list[int], now: int, rng: random.Random, share: float = OPEN_SHARE
) -> dict[int, str]:
    """Which tickets are still open (index -> final status): mostly recent, some very old.

    ``created`` is sorted; each age band gets its share of the open tickets,
    and a band with too few tickets passes the rest on to older ones.
    """
    want = round(len(created) * share)
    chosen: list[int] = []
    newer, carry, cum = len(created), 0, 0.0
    for days, share in OPEN_AGES:
        lo = bisect_left(created, now - days * DAY)
        quota = round(want * (cum + share)) - round(want * cum) + carry
        cum += share
        take = min(quota, newer - lo)
        chosen += rng.sample(range(lo, newer), take)
        carry, newer = quota - take, lo
    weights = pool.OPEN_STATUS_WEIGHTS
    statuses = rng.choices(list(weights), list(weights.values()), k=len(chosen))
    return dict(zip(sorted(chosen), statuses, strict=True))


def tricky_slots(open_tickets: dict[int, str], count: int) -> list[tuple[int, Any]]:
    """The testers' tickets near the head of the queue (2nd and 3rd oldest open ones)."""
    slots = sorted(open_tickets)[1:3] if len(open_tickets) >= 3 else sorted(open_tickets)
    slots = slots or list(range(min(2, count)))
    return list(zip(slots, pool.TRICKY, strict=False))
