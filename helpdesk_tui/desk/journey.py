"""The ticket's journey: who had it, where, at which level, for how long.

Seed 002: every leg of the journey is recorded so staff can tell a customer
where a ticket handed to another department stands. The journey is replayed
from the events' recorded changes, so it needs no extra bookkeeping and
is correct for any clock (tests move a frozen one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..store import Event, Ticket, User
from ..vocab import CHANNEL_LABELS, OPEN_STATUSES
from .ages import when as said
from .transitions import EXTERNAL, LEVEL_NAMES


@dataclass(frozen=True)
class Leg:
    """A stretch of time during which department, level, owner and status stood still."""

    start: datetime
    end: datetime | None  # None: still going
    status: str
    department: str | None
    level: int
    owner: str | None

    def duration(self, now: datetime) -> timedelta:
        return (self.end or now) - self.start


@dataclass(frozen=True)
class Journey:
    legs: list[Leg]
    by_level: dict[int, timedelta]
    by_department: dict[str, timedelta]
    escalations: int
    returns: int


def replay(ticket: Ticket, events: list[Event], now: datetime) -> Journey:
    """Legs from the events' ``{field: [old, new]}`` changes, in order."""
    state: dict[str, object] = {"status": "open", "department": None, "level": 1, "owner": None}
    legs: list[Leg] = []
    start: datetime | None = None
    for event in events:
        changes = dict(event.changes)
        if not changes and event.field in state and event.new_value is not None:
            changes = {event.field: [event.old_value, event.new_value]}  # older events
        moved = {k: v[1] for k, v in changes.items() if k in state}
        if "level" in moved and moved["level"] is not None:
            moved["level"] = int(moved["level"])
        if not moved:
            continue
        if start is not None and any(state[k] != v for k, v in moved.items()):
            legs.append(_leg(start, event.at, state))
            start = event.at
        state.update(moved)
        if start is None:
            start = event.at
    if start is not None:
        legs.append(_leg(start, None, state))
    by_level: dict[int, timedelta] = defaultdict(timedelta)
    by_department: dict[str, timedelta] = defaultdict(timedelta)
    for leg in legs:
        if leg.status in OPEN_STATUSES:  # time after resolution is not time "with" anyone
            by_level[leg.level] += leg.duration(now)
            by_department[leg.department or "?"] += leg.duration(now)
    return Journey(legs, dict(by_level), dict(by_department), ticket.escalations, ticket.returns)


def _leg(start: datetime, end: datetime | None, state: dict[str, object]) -> Leg:
    return Leg(
        start,
        end,
        str(state["status"]),
        state["department"],  # type: ignore[arg-type]
        int(state["level"]),
        state["owner"],
    )  # type: ignore[arg-type]


def where_is_it(
    ticket: Ticket,
    journey: Journey,
    events: list[Event],
    now: datetime,
    users: dict[str, User] | None = None,
) -> str:
    """One line an agent can read out to the customer on the phone."""
    users = users or {}
    since = journey.legs[-1].start if journey.legs else ticket.created_at
    when = said(since, now=now).removeprefix("on ")  # "since Tue at 14:10"
    if ticket.status == "closed":
        if ticket.duplicate_of:
            line = (
                f"Closed {said(ticket.closed_at, now=now)} as a duplicate of "
                f"#{ticket.duplicate_of}."
            )
        else:
            line = f"Closed {said(ticket.closed_at, now=now)}."
    elif ticket.status == "resolved":
        line = f"Resolved {said(ticket.resolved_at, now=now)}, awaiting closure."
    elif ticket.status == "waiting_customer":
        line = f"Waiting for the customer's answer since {when}."
    elif ticket.level == EXTERNAL or ticket.status == "waiting_vendor":
        line = (
            f"With the external vendor {ticket.vendor or '?'} (case "
            f"{ticket.vendor_ref or '?'}) since {when}, promised by "
            f"{ticket.vendor_due or '?'}."
        )
    else:
        where = f"With {ticket.department or 'the front line'}, {LEVEL_NAMES[ticket.level]}"
        if ticket.owner:
            owner = users.get(ticket.owner)
            where += f", owned by {owner.name if owner else ticket.owner}"
        elif ticket.status == "triage":
            where += ", in triage"
        line = f"{where} since {when}."
    updates = [
        e
        for e in events
        if e.kind == "customer_update" or (e.kind == "resolved" and e.changes.get("told_via"))
    ]
    if updates:
        last = updates[-1]
        channel = last.new_value if last.kind == "customer_update" else last.changes["told_via"]
        line += (
            f" Last update to the customer {said(last.at, now=now)} by "
            f"{CHANNEL_LABELS.get(str(channel), channel)}."
        )
    else:
        line += " No update sent to the customer yet."
    return line
