"""SLA clocks on business-hours calendars: targets, pauses, due times (issue 4).

The arithmetic is in :mod:`.calendar` and the clock rules in :mod:`.sla_clocks` (both
pure); this mixin fetches what they need, chooses plans and keeps the tickets' derived
columns current.

**Plan choice.** A ticket's plan is ``matrix[(customer's tier, priority, critical)]``,
where *critical* is the business-critical flag or urgent priority (issue 4: "urgent
priority, or a premium/concierge customer with a business-critical flag"); a tier with no
business-critical row uses its ordinary one. It is chosen when the ticket is created and
again whenever its priority or business-critical flag changes. A change of the customer's
tier does not re-plan their open tickets: it applies to new tickets, and to an existing
one at its next priority or flag change.

**Derived columns.** ``sla_plan``, ``due_at`` and ``first_response_at`` are recomputed by
:meth:`_sla_after_change`, inside the transaction of every ticket change, after its
versioned update and event. They are written without a version bump and without an event
of their own: they derive from the change just recorded (the priority or flag change, the
customer update, the status change) and from the plan data, and each user action keeps
exactly one event and one version. :meth:`set_business_critical` names the resulting plan
in its own event (``sla_plan: [old, new]``); other actions that re-plan (a priority
change) can do the same by merging :meth:`_sla_plan_change` into their changes.

**Plan data changes** (``helpdesk init`` after editing sla.yaml or calendars.yaml) apply to
each open ticket at its next change; ``due_at`` is not recomputed across the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..clock import to_stamp
from ..store import QueueFilter, Ticket
from ..store.sla import CalendarSpec, MatrixEntry, SlaPlan
from .calendar import BusinessCalendar, CalendarError
from .courtesy import courtesy_cutoffs
from .errors import InvalidInput, NotFound, StorageProblem
from .sla_clocks import (
    COURTESY,
    SlaClock,
    due_at,
    first_response_at,
    horizons,
    overall_state,
    plan_clocks,
    queue_state,
    ticket_due,
)
from .sla_data import to_calendar

if TYPE_CHECKING:
    from .facade import Desk

#: Queue views computed from the stored due time (issue 4).
SLA_VIEWS = ("breached", "at-risk")
QUEUE_SORTS = ("age", "due")
#: Ticket kinds whose event may change the plan: creation and priority/flag changes.
_REPLAN_FIELDS = frozenset({"priority", "business_critical"})


@dataclass(frozen=True)
class SlaReport:
    """``helpdesk sla show``: the plan a ticket is on, why, and each of its clocks."""

    ticket: Ticket
    tier: str
    critical: bool  # treated as business-critical for the plan: the flag, or urgent
    plan: SlaPlan | None
    calendar: BusinessCalendar | None
    clocks: tuple[SlaClock, ...]
    due_at: datetime | None  # the earliest running first-response/resolution due
    state: str  # the queue's state: breached / at risk / on track / paused / met ("" no plan)
    now: datetime


class SlaMixin:
    # -- plans and calendars --------------------------------------------------------------
    def sla_plans(self: Desk) -> list[SlaPlan]:
        return self.store.sla.plans()

    def sla_plan(self: Desk, name: str) -> SlaPlan:
        found = self.store.sla.plan((name or "").strip())
        if found is None:
            names = ", ".join(p.name for p in self.sla_plans()) or "none (run `helpdesk init`)"
            raise NotFound(f"unknown SLA plan {name!r}: use one of {names}", field="sla_plan")
        return found

    def sla_matrix(self: Desk) -> list[MatrixEntry]:
        return self.store.sla.matrix()

    def calendars(self: Desk) -> list[BusinessCalendar]:
        return [self._business_calendar(spec) for spec in self.store.sla.calendars()]

    def calendar(self: Desk, name: str) -> BusinessCalendar:
        spec = self.store.sla.calendar((name or "").strip())
        if spec is None:
            names = ", ".join(c.name for c in self.store.sla.calendars()) or "none"
            raise NotFound(f"unknown calendar {name!r}: use one of {names}", field="calendar")
        return self._business_calendar(spec)

    def courtesy_intervals(self: Desk) -> dict[str, timedelta]:
        """Each plan's courtesy interval, for :func:`.courtesy.courtesy_due_at` over a list."""
        return {p.name: timedelta(minutes=p.courtesy_minutes) for p in self.sla_plans()}

    # -- a ticket's clocks ----------------------------------------------------------------------
    def sla(self: Desk, number: int) -> SlaReport:
        """Each clock of ticket ``number`` now: target, elapsed, paused, due and state."""
        with self.store.session.lock:
            ticket = self.ticket(number)
            events = self.store.events.for_ticket(number)
            tier = self.customer(ticket.customer_id).tier
            plan = self.store.sla.plan(ticket.sla_plan) if ticket.sla_plan else None
            cal = self.calendar(plan.calendar) if plan else None
        now = self.now()
        clocks = plan_clocks(plan, cal, ticket, events, now) if plan and cal else ()
        return SlaReport(
            ticket=ticket,
            tier=tier,
            critical=ticket.business_critical or ticket.priority == "urgent",
            plan=plan,
            calendar=cal,
            clocks=clocks,
            due_at=ticket_due(ticket.status, clocks),
            state=overall_state(clocks),
            now=now,
        )

    def sla_horizons(
        self: Desk, now: datetime | None = None
    ) -> dict[str, tuple[datetime, datetime]]:
        """Per plan, the at-risk horizons (first response, resolution) at ``now``."""
        calendars = {c.name: c for c in self.calendars()}
        return horizons(self.sla_plans(), calendars, now or self.now())

    def sla_states(
        self: Desk, tickets: list[Ticket], now: datetime | None = None
    ) -> dict[int, str]:
        """The queue's SLA state per ticket, from the stored due times (no per-row calendar
        work): breached / at risk / on track / paused, or "" for a ticket without a plan."""
        now = now or self.now()
        edges = self.sla_horizons(now) if any(t.due_at for t in tickets) else {}
        return {t.id: queue_state(t, now, edges) for t in tickets}

    def set_business_critical(
        self: Desk, number: int, flag: bool = True, expected_version: int | None = None
    ) -> Ticket:
        """Flag (or unflag) a ticket business-critical: a tighter plan for tiers that have one.

        Refused for customers whose tier has no business-critical plan (basic in the
        starter data: urgent priority is their fastest plan). The flag and the plan it
        brings are recorded in one event.
        """
        with self.store.transaction():
            ticket = self._authorised(number, "priority")
            if ticket.business_critical == bool(flag):
                return ticket
            customer = self.customer(ticket.customer_id)
            if flag and not self.store.sla.has_critical_plans(customer.tier):
                raise InvalidInput(
                    f"only premium and concierge customers' tickets may be flagged "
                    f"business-critical; {customer.name} is on the {customer.tier} tier "
                    "(urgent priority gets that tier's fastest plan)",
                    field="business_critical",
                )
            changes: dict[str, Any] = {"business_critical": int(bool(flag))}
            changes.update(self._sla_plan_change(ticket, business_critical=bool(flag)))
            self._write(ticket, expected_version, changes, "changed")
        return self.ticket(number)

    # -- queue views -----------------------------------------------------------------------------
    def _sla_queue_filter(self: Desk, view: str) -> QueueFilter:
        """The filter of the ``breached``, ``at-risk`` and (plan-aware) ``courtesy-due`` views."""
        now = self.now()
        if view == "breached":
            return QueueFilter(due_by=to_stamp(now))
        if view == "at-risk":
            edges = self.sla_horizons(now)
            return QueueFilter(
                due_after=to_stamp(now),
                due_horizons=tuple((p, to_stamp(a), to_stamp(b)) for p, (a, b) in edges.items()),
            )
        by_priority = tuple((p, to_stamp(t)) for p, t in courtesy_cutoffs(now))
        by_plan = tuple((p, to_stamp(now - i)) for p, i in self.courtesy_intervals().items())
        return QueueFilter(courtesy_before=by_priority, courtesy_plans=by_plan)

    # -- inside the transaction of a ticket change ---------------------------------------------
    def _sla_plan_change(self: Desk, ticket: Ticket, **overrides: Any) -> dict[str, Any]:
        """``{"sla_plan": new}`` when the change about to be made moves the ticket to
        another plan (``overrides``: the new priority and/or business_critical), else {}."""
        priority = overrides.get("priority", ticket.priority)
        flag = overrides.get("business_critical", ticket.business_critical)
        tier = self.customer(ticket.customer_id).tier
        chosen = self.store.sla.plan_for(tier, priority, bool(flag) or priority == "urgent")
        return {"sla_plan": chosen} if chosen and chosen != ticket.sla_plan else {}

    def _sla_after_change(self: Desk, ticket_id: int) -> None:
        """Called inside the transaction of every ticket change: keep ``due_at`` current."""
        ticket = self.store.tickets.get(ticket_id)
        if ticket is None:
            return
        events = self.store.events.for_ticket(ticket_id)
        latest = events[-1] if events else None
        plan_name = ticket.sla_plan
        if plan_name is None or (
            latest is not None
            and (latest.kind == "created" or _REPLAN_FIELDS & set(latest.changes))
        ):
            plan_name = self._sla_plan_change(ticket).get("sla_plan", plan_name)
        plan = self.store.sla.plan(plan_name) if plan_name else None
        due = None
        if plan is not None:
            spec = self.store.sla.calendar(plan.calendar)
            if spec is not None:
                due = due_at(plan, self._business_calendar(spec), ticket, events)
        responded = first_response_at(events)
        values: dict[str, Any] = {
            "sla_plan": plan_name,
            "due_at": to_stamp(due) if due else None,
            "first_response_at": to_stamp(responded) if responded else None,
        }
        current = {
            "sla_plan": ticket.sla_plan,
            "due_at": to_stamp(ticket.due_at) if ticket.due_at else None,
            "first_response_at": (
                to_stamp(ticket.first_response_at) if ticket.first_response_at else None
            ),
        }
        changed = {k: v for k, v in values.items() if current[k] != v}
        if changed:
            self.store.sla.set_derived(ticket_id, changed)

    def _business_calendar(self: Desk, spec: CalendarSpec) -> BusinessCalendar:
        """Built once per stored form and desk (an edited calendar has another key)."""
        cache: dict[Any, BusinessCalendar] = self.__dict__.setdefault("_calendars", {})
        key = _hashable(spec)
        if key not in cache:
            try:
                cache[key] = to_calendar(spec)
            except CalendarError as exc:
                raise StorageProblem(
                    f"{exc}: fix data/calendars.yaml and run `helpdesk init`"
                ) from None
        return cache[key]


def _hashable(spec: CalendarSpec) -> Any:
    return (
        spec.name,
        spec.timezone,
        tuple(sorted(spec.weekly.items())),
        spec.holidays,
        spec.always_open,
    )


__all__ = ["COURTESY", "QUEUE_SORTS", "SLA_VIEWS", "SlaMixin", "SlaReport"]
