"""A ticket's SLA clocks from its plan, its calendar and its events: pure functions (issue 4).

The rules, each chosen so that a hand calculation gives the same answer:

* **Start.** Every clock starts when the ticket was created. A plan change mid-ticket
  (priority or business-critical flag changed) applies the *new* plan's targets to the
  business time elapsed on the *new* plan's calendar since creation, with the new plan's
  pause statuses: the ticket is judged as if it had had the new plan from the start, so a
  tighter plan can be breached at once, and a looser one can lift a breach.
* **Pauses.** The first-response and resolution clocks stop while the ticket is in one of
  the plan's ``pause_statuses`` (waiting on the customer or the vendor by default); the
  intervals come from the status changes the events record (``{"status": [old, new]}``).
  They also stop while the ticket is resolved or closed; a reopened ticket carries on
  where it stopped. "Paused" time is the business time spent in pause statuses.
* **First response** is met by the first customer update (``customer_update`` event) or a
  resolution told to the customer (``resolved`` with ``told_via``): the same events that
  count as updates everywhere else on the desk.
* **Resolution** is met while the ticket is resolved or closed, at the moment it left the
  queue; reopening runs it again.
* **Courtesy update** is the cadence promised to the customer: wall-clock time since the
  last update (or creation), the plan's interval, not paused and not on the calendar (the
  queue's courtesy-due view and its "Upd" marker filter it with a cheap SQL cut-off). It
  is due again after every update, so it is never "met"; it is not part of ``due_at``.
* **States.** ``met`` (met within target), ``breached`` (target reached before being met;
  a late response stays breached), ``paused``, ``at risk`` (running, less than a quarter of
  the target left: :data:`AT_RISK_SHARE`), ``on track``.
* **Due.** A clock's due time is when its target is reached with the pauses so far; while
  the ticket sits in a pause status it has none (unless it was breached before). The
  ticket's ``due_at`` is the earliest due of its running first-response and resolution
  clocks; NULL when none runs. Because both clocks share start, pauses and calendar and
  first response is never longer than resolution, ``due_at`` is the first-response due
  while no first response was made, else the resolution due: the queue relies on this to
  tell "at risk" from ``due_at`` alone (:func:`horizons`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..store import Event, Ticket
from ..store.sla import SlaPlan
from ..vocab import OPEN_STATUSES, STATUS_LABELS
from .calendar import BusinessCalendar, Pause, add_business_seconds, business_seconds

#: A running clock with less than this share of its target left is "at risk".
AT_RISK_SHARE = 0.25
#: Statuses in which the ticket is out of the queue: its clocks stop.
STOPPED = ("resolved", "closed")
STATES = ("breached", "at risk", "on track", "paused", "met")

FIRST_RESPONSE, RESOLUTION, COURTESY = "first_response", "resolution", "courtesy"
CLOCK_NAMES = {
    FIRST_RESPONSE: "first response",
    RESOLUTION: "resolution",
    COURTESY: "courtesy update",
}

Span = tuple[datetime, datetime | None, str]


@dataclass(frozen=True)
class SlaClock:
    """One clock of a ticket at a moment: what the plan promised and where it stands."""

    key: str  # first_response / resolution / courtesy
    name: str
    basis: str  # "business" (on the plan's calendar) or "wall"
    target: timedelta
    start: datetime
    elapsed: timedelta  # counted time, pauses excluded
    paused: timedelta  # business time spent in pause statuses
    due: datetime | None  # None: paused with time left, or not applicable
    met_at: datetime | None
    state: str
    note: str = ""

    @property
    def remaining(self) -> timedelta:
        return self.target - self.elapsed


def status_spans(ticket: Ticket, events: Sequence[Event]) -> list[Span]:
    """Stretches of one status, ``(start, end or None, status)``, from the events' changes."""
    spans: list[Span] = []
    current: str | None = None
    since = ticket.created_at
    for event in events:
        pair = event.changes.get("status")
        if not isinstance(pair, list) and event.field == "status" and not event.changes:
            pair = [event.old_value, event.new_value]  # events from before issue 3
        if not isinstance(pair, list) or len(pair) != 2 or pair[1] is None:
            continue
        new = str(pair[1])
        if current is None:
            current, since = new, event.at
        elif new != current:
            spans.append((since, event.at, current))
            current, since = new, event.at
    spans.append((since, None, current or ticket.status))
    return spans


def first_response(events: Iterable[Event]) -> Event | None:
    """The first customer update, or resolution told to the customer."""
    for event in events:
        if event.kind == "customer_update" or (
            event.kind == "resolved" and event.changes.get("told_via")
        ):
            return event
    return None


def first_response_at(events: Iterable[Event]) -> datetime | None:
    found = first_response(events)
    return found.at if found else None


def left_queue_at(spans: Sequence[Span]) -> datetime | None:
    """When the ticket last left the queue, if it is resolved or closed now."""
    when = None
    for start, _, status in reversed(spans):
        if status not in STOPPED:
            break
        when = start
    return when


def _pauses(spans: Sequence[Span], statuses: Iterable[str]) -> list[Pause]:
    wanted = set(statuses)
    return [(start, end) for start, end, status in spans if status in wanted]


def _until(pauses: Sequence[Pause], moment: datetime) -> list[Pause]:
    """Pauses as they stood at ``moment``: later ones dropped, an open end closed there."""
    return [(a, moment if b is None or b > moment else b) for a, b in pauses if a < moment]


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def _business_clock(
    key: str,
    cal: BusinessCalendar,
    minutes: int,
    context: tuple[Ticket, Sequence[Span], SlaPlan, datetime],
    met_at: datetime | None,
    met_note: str = "",
) -> SlaClock:
    ticket, spans, plan, now = context
    start, target = ticket.created_at, timedelta(minutes=minutes)
    waiting, stopped = _pauses(spans, plan.pause_statuses), _pauses(spans, STOPPED)
    end = met_at or now
    counted = business_seconds(cal, start, end, stopped)
    elapsed = business_seconds(cal, start, end, waiting + stopped)
    pauses = _until(waiting + stopped, met_at) if met_at else waiting + stopped
    due = add_business_seconds(cal, start, target.total_seconds(), pauses)
    status = spans[-1][2]
    note = ""
    if met_at is not None:
        state = "met" if elapsed <= target.total_seconds() else "breached"
        note = met_note
    elif elapsed >= target.total_seconds():
        state = "breached"
    elif status in plan.pause_statuses or status in STOPPED:
        state = "paused"
        note = STATUS_LABELS.get(status, status)
    elif target.total_seconds() - elapsed < AT_RISK_SHARE * target.total_seconds():
        state = "at risk"
    else:
        state = "on track"
    return SlaClock(
        key,
        CLOCK_NAMES[key],
        "business",
        target,
        start,
        _seconds(elapsed),
        _seconds(counted - elapsed),
        due,
        met_at,
        state,
        note,
    )


def courtesy_clock(
    ticket: Ticket, interval: timedelta, spans: Sequence[Span], now: datetime
) -> SlaClock:
    """The wall-clock courtesy cadence (same rule as :mod:`.courtesy`'s due time)."""
    since = ticket.last_update_at or ticket.created_at
    if ticket.status in OPEN_STATUSES:
        due: datetime | None = since + interval
        elapsed = now - since
        if due < now:  # the courtesy-due view's rule: overdue strictly after the due time
            state = "breached"
        elif interval - elapsed < AT_RISK_SHARE * interval:
            state = "at risk"
        else:
            state = "on track"
        note = "since the last update" if ticket.last_update_at else "since the ticket opened"
    else:
        left = left_queue_at(spans) or now
        due, elapsed, state = None, max(left - since, timedelta(0)), "paused"
        note = f"ticket {STATUS_LABELS.get(ticket.status, ticket.status)}"
    return SlaClock(
        key=COURTESY,
        name=CLOCK_NAMES[COURTESY],
        basis="wall",
        target=interval,
        start=since,
        elapsed=elapsed,
        paused=timedelta(0),
        due=due,
        met_at=None,
        state=state,
        note=note,
    )


def plan_clocks(
    plan: SlaPlan,
    cal: BusinessCalendar,
    ticket: Ticket,
    events: Sequence[Event],
    now: datetime,
) -> tuple[SlaClock, ...]:
    """First response, resolution and courtesy clocks of ``ticket`` under ``plan`` at ``now``."""
    spans = status_spans(ticket, events)
    response = first_response(events)
    responded = response.at if response else None
    resolved = left_queue_at(spans)
    how = "customer update" if response and response.kind == "customer_update" else "resolution"
    state = STATUS_LABELS.get(ticket.status, ticket.status)
    first = _business_clock(
        FIRST_RESPONSE,
        cal,
        plan.first_response_minutes,
        (ticket, spans, plan, now),
        responded,
        f"met by {how}",
    )
    resolution = _business_clock(
        RESOLUTION,
        cal,
        plan.resolution_minutes,
        (ticket, spans, plan, now),
        resolved,
        f"ticket {state}",
    )
    courtesy = courtesy_clock(ticket, timedelta(minutes=plan.courtesy_minutes), spans, now)
    return first, resolution, courtesy


def due_at(
    plan: SlaPlan, cal: BusinessCalendar, ticket: Ticket, events: Sequence[Event]
) -> datetime | None:
    """``ticket_due(ticket.status, plan_clocks(...))`` without the clocks' elapsed time.

    Every ticket change stores its due time (``SlaMixin._sla_after_change``); the
    elapsed time counts business hours from the ticket's creation to now, day by day,
    which for a ticket open for months cost milliseconds a change (issue 9). A due
    time only walks from creation to the target.
    """
    if ticket.status not in OPEN_STATUSES:
        return None
    spans = status_spans(ticket, events)
    pauses = _pauses(spans, plan.pause_statuses) + _pauses(spans, STOPPED)
    targets = [plan.resolution_minutes] if left_queue_at(spans) is None else []
    if first_response(events) is None:
        targets.append(plan.first_response_minutes)
    dues = [
        add_business_seconds(cal, ticket.created_at, timedelta(minutes=m).total_seconds(), pauses)
        for m in targets
    ]
    return min((d for d in dues if d is not None), default=None)


def ticket_due(status: str, clocks: Iterable[SlaClock]) -> datetime | None:
    """The earliest due of the running first-response and resolution clocks."""
    if status not in OPEN_STATUSES:
        return None
    dues = [c.due for c in clocks if c.key != COURTESY and c.met_at is None and c.due is not None]
    return min(dues, default=None)


def horizons(
    plans: Iterable[SlaPlan], calendars: Mapping[str, BusinessCalendar], now: datetime
) -> dict[str, tuple[datetime, datetime]]:
    """Per plan, the at-risk horizons of its first-response and resolution clocks.

    A running clock due before ``add_business_seconds(cal, now, share * target)`` has
    less than that share of its target left: the queue's "at risk" without per-row
    calendar work (one computation per plan and page).
    """
    result = {}
    for plan in plans:
        cal = calendars.get(plan.calendar)
        if cal is None:
            continue
        edge = [
            add_business_seconds(cal, now, AT_RISK_SHARE * minutes * 60) or now
            for minutes in (plan.first_response_minutes, plan.resolution_minutes)
        ]
        result[plan.name] = (edge[0], edge[1])
    return result


def queue_state(
    ticket: Ticket, now: datetime, edges: Mapping[str, tuple[datetime, datetime]]
) -> str:
    """The queue's SLA state from the stored ``due_at`` alone ("" when no plan applies)."""
    if ticket.status not in OPEN_STATUSES or not ticket.sla_plan:
        return ""
    if ticket.due_at is None:
        return "paused"
    if ticket.due_at <= now:
        return "breached"
    edge = edges.get(ticket.sla_plan)
    if edge is not None and ticket.due_at < edge[0 if ticket.first_response_at is None else 1]:
        return "at risk"
    return "on track"


def overall_state(clocks: Sequence[SlaClock]) -> str:
    """The worst state of the first-response and resolution clocks (the queue's state)."""
    states = {c.state for c in clocks if c.key != COURTESY}
    running = {c.state for c in clocks if c.key != COURTESY and c.met_at is None}
    for state in ("breached", "at risk", "on track", "paused"):
        if state in running:
            return state
    return "breached" if "breached" in states else ("met" if states else "")
