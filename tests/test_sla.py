"""SLA plans and clocks (issue 4): plan choice, pauses, due times, breaches, the queue by due.

The issue's "Done when" is :func:`test_hand_calculated_due_and_breach`: a ticket on the
office calendar across a weekend, a public holiday and a paused interval, whose due time
and breach moment were worked out by hand (in the comment) before the test was run.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Customer, Desk, InvalidInput, NotFound, Ticket, TicketDraft, sla_data
from helpdesk_tui.desk.calendar import BusinessCalendar
from helpdesk_tui.desk.courtesy import courtesy_due_at
from helpdesk_tui.desk.sla_clocks import (
    SlaClock,
    first_response_at,
    overall_state,
    plan_clocks,
    queue_state,
    status_spans,
)
from helpdesk_tui.desk.sla_data import load_calendars, load_sla
from helpdesk_tui.store import Event
from helpdesk_tui.store.sla import NO_DUE, SlaPlan

H = timedelta(hours=1)
M = timedelta(minutes=1)


def dec(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, in UTC (Madrid is UTC+1 all December: no DST)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def basic(desk: Desk) -> Customer:
    return desk.add_customer("Bea Basic", email="bea@example.org", tier="basic")


@pytest.fixture
def premium(desk: Desk) -> Customer:
    return desk.add_customer("Pia Premium", email="pia@example.org", tier="premium")


@pytest.fixture
def concierge(desk: Desk) -> Customer:
    return desk.resolve_customer("Marta Jones")  # conftest's customer is concierge


def open_for(desk: Desk, customer: Customer, priority: str = "normal", title: str = "x") -> Ticket:
    return desk.open_ticket(customer.id, TicketDraft(title, "general", priority=priority))


def ids(tickets: list[Ticket]) -> list[int]:
    return [t.id for t in tickets]


def clock_of(desk: Desk, number: int, key: str) -> SlaClock:
    return next(c for c in desk.sla(number).clocks if c.key == key)


# -- the hand calculation ---------------------------------------------------------------------


def test_hand_calculated_due_and_breach(desk: Desk, clock: FrozenClock, basic: Customer) -> None:
    """basic-standard on the office calendar: Europe/Madrid, Mon-Fri 08:00-18:00 local
    (07:00-17:00 UTC in December), Spain's holiday on Tue 8 Dec 2026 (Immaculate
    Conception). First response 8 business hours, resolution 50 (5 office days), pauses
    while waiting on the customer. Times below are Madrid local time.

    Created Wed 2 Dec 14:00.
      First response due: Wed 14-18 = 4 h, Thu 08-12 = 4 h  -> Thu 3 Dec 12:00 (11:00 UTC).
      Met by a customer update on Thu 3 Dec 10:00: 4 + 2 = 6 h used, "met".
    Resolution, 50 h:
      Wed 2  14:00-18:00   4 h  (total  4)
      Thu 3  08:00-15:00   7 h  (total 11)  then waiting on the customer from 15:00 ...
      ... paused: Thu 15-18 (3 h), Fri 4 (10 h), weekend (closed), Mon 08-10 (2 h) = 15 h,
      ... until the customer answers on Mon 7 Dec 10:00.
      Mon 7  10:00-18:00   8 h  (total 19)
      Tue 8  holiday       0 h
      Wed 9  08:00-18:00  10 h  (total 29)
      Thu 10 08:00-18:00  10 h  (total 39)
      Fri 11 08:00-18:00  10 h  (total 49)
      Mon 14 08:00-09:00   1 h  (total 50)  -> due Mon 14 Dec 09:00 = 08:00 UTC.
      (Without the pause: Thu 10 Dec 14:00; without the holiday: Fri 11 Dec 09:00.)
    Breach: at 08:00 UTC on Mon 14 Dec exactly (not at 07:59).
    At risk: under 25% of 50 h = 12.5 h left. Counting back 12.5 h from the due time:
      Mon 14 08-09 (1 h), Fri 11 (10 h), Thu 10 16:30-18:00 (1.5 h) -> from Thu 10 Dec
      16:30 local (15:30 UTC): at 16:30 exactly 12.5 h are left (on track), at 16:31 at risk.
    """
    clock.set(dec(2, 13))
    ticket = open_for(desk, basic, title="Payroll printer jams")
    assert ticket.sla_plan == "basic-standard"
    assert ticket.due_at == dec(3, 11)  # first response due

    clock.set(dec(3, 9))
    updated = desk.update_customer(ticket.id, "email", "An engineer will look at it today.")
    assert updated.first_response_at == dec(3, 9)
    assert updated.due_at == dec(10, 13)  # now the resolution clock; no pause yet
    first = clock_of(desk, ticket.id, "first_response")
    assert (first.state, first.elapsed, first.met_at) == ("met", 6 * H, dec(3, 9))

    clock.set(dec(3, 14))
    waiting = desk.request_info(ticket.id, "Which tray jams?")
    assert waiting.due_at is None  # paused with time left: no due time
    assert desk.sla(ticket.id).state == "paused"
    assert desk.sla_states([waiting])[ticket.id] == "paused"

    clock.set(dec(7, 9))
    desk.log_contact(
        channel="email",
        customer_id=basic.id,
        summary="Tray 2, every morning",
        outcome="existing",
        existing_ticket=ticket.id,
    )
    answered = desk.ticket(ticket.id)
    assert answered.status == "open"
    assert answered.due_at == dec(14, 8)  # Mon 14 Dec 09:00 Madrid
    resolution = clock_of(desk, ticket.id, "resolution")
    assert (resolution.target, resolution.elapsed, resolution.paused) == (50 * H, 11 * H, 15 * H)
    assert resolution.due == dec(14, 8) and resolution.state == "on track"

    clock.set(dec(10, 15, 30))
    assert desk.sla(ticket.id).state == "on track"
    assert ids(desk.queue_page("at-risk").rows) == []
    clock.set(dec(10, 15, 31))
    assert desk.sla(ticket.id).state == "at risk"
    assert clock_of(desk, ticket.id, "resolution").remaining == 12 * H + 29 * M
    assert ids(desk.queue_page("at-risk").rows) == [ticket.id]

    clock.set(dec(14, 7, 59))
    assert ids(desk.queue_page("breached").rows) == []
    assert desk.sla(ticket.id).state == "at risk"
    clock.set(dec(14, 8))
    assert ids(desk.queue_page("breached").rows) == [ticket.id]
    assert ids(desk.queue_page("at-risk").rows) == []
    assert desk.sla(ticket.id).state == "breached"
    assert desk.sla_states([desk.ticket(ticket.id)]) == {ticket.id: "breached"}
    assert ids(desk.queue_page("breached", sort="due").rows) == [ticket.id]


def test_derived_columns_bump_no_version_and_write_no_event(
    desk: Desk, clock: FrozenClock, basic: Customer
) -> None:
    ticket = open_for(desk, basic)
    assert ticket.version == 1 and ticket.sla_plan and ticket.due_at
    assert [e.kind for e in desk.ticket_view(ticket.id).events] == ["created"]
    clock.advance(hours=1)
    updated = desk.update_customer(ticket.id, "email", "on it")
    assert updated.version == 2 and updated.first_response_at == T0 + H
    assert [e.kind for e in desk.ticket_view(ticket.id).events] == ["created", "customer_update"]


# -- the queue by due time -----------------------------------------------------------------------


@pytest.fixture
def three(
    desk: Desk, clock: FrozenClock, basic: Customer, premium: Customer, concierge: Customer
) -> dict[str, Ticket]:
    """Oldest first: a basic low, a premium normal, a concierge urgent ticket.

    T0 is Wed 25 Nov 09:00 UTC (10:00 in Madrid). First-response dues:
    - basic-low (office, 16 h): Wed 10-18 = 8 h, Thu 08-16 = 8 h -> Thu 26 Nov 15:00 UTC;
    - premium-standard (extended 07-21, 4 h), opened 10:10 local -> 14:10 local, 13:10 UTC;
    - concierge-critical (24/7, 30 m), opened 09:20 UTC -> 09:50 UTC.
    """
    low = open_for(desk, basic, "low", "basic low")
    clock.advance(minutes=10)
    normal = open_for(desk, premium, "normal", "premium normal")
    clock.advance(minutes=10)
    urgent = open_for(desk, concierge, "urgent", "concierge urgent")
    assert (low.sla_plan, normal.sla_plan, urgent.sla_plan) == (
        "basic-low",
        "premium-standard",
        "concierge-critical",
    )
    assert (low.due_at, normal.due_at, urgent.due_at) == (
        datetime(2026, 11, 26, 15, tzinfo=UTC),
        T0 + 4 * H + 10 * M,
        T0 + 50 * M,
    )
    return {"low": low, "normal": normal, "urgent": urgent}


def test_queue_sorts_by_due_not_by_age(desk: Desk, three: dict[str, Ticket]) -> None:
    low, normal, urgent = three["low"], three["normal"], three["urgent"]
    assert ids(desk.queue_page().rows) == [low.id, normal.id, urgent.id]  # age: the default
    assert ids(desk.queue_page(sort="due").rows) == [urgent.id, normal.id, low.id]
    assert ids(desk.queue("all", sort="due")) == [urgent.id, normal.id, low.id]
    with pytest.raises(InvalidInput, match="unknown queue sort 'soon'"):
        desk.queue_page(sort="soon")


def test_tickets_without_a_running_clock_come_last_and_pages_walk_both_ways(
    desk: Desk, clock: FrozenClock, three: dict[str, Ticket], basic: Customer
) -> None:
    low, normal, urgent = three["low"], three["normal"], three["urgent"]
    clock.advance(minutes=1)
    waiting = open_for(desk, basic, title="waiting")
    desk.request_info(waiting.id, "Which printer?")
    waiting2 = open_for(desk, basic, title="waiting too")
    desk.request_info(waiting2.id, "Which floor?")
    order = [urgent.id, normal.id, low.id, waiting.id, waiting2.id]
    assert ids(desk.queue_page(sort="due").rows) == order

    first = desk.queue_page(size=2, sort="due")
    assert (ids(first.rows), first.offset, first.total) == (order[:2], 0, 5)
    assert first.extra == {"sort": "due", "undated": 2}
    second = desk.queue_page(size=2, sort="due", after=first.last_key)
    assert (ids(second.rows), second.offset) == (order[2:4], 2)
    assert second.last_key is not None and second.last_key.created_at == NO_DUE
    third = desk.queue_page(size=2, sort="due", after=second.last_key)
    assert (ids(third.rows), third.offset, third.has_next) == (order[4:], 4, False)
    back = desk.queue_page(size=2, sort="due", before=third.first_key)
    assert (ids(back.rows), back.offset) == (order[2:4], 2)
    back = desk.queue_page(size=2, sort="due", before=back.first_key)
    assert (ids(back.rows), back.offset, back.has_previous) == (order[:2], 0, False)
    last = desk.queue_page(size=3, sort="due", last=True)
    assert (ids(last.rows), last.offset) == (order[2:], 2)


def test_breached_and_at_risk_views_follow_the_clock(
    desk: Desk, clock: FrozenClock, three: dict[str, Ticket]
) -> None:
    low, normal, urgent = three["low"], three["normal"], three["urgent"]
    # concierge-critical: 30 m first response, at risk with under 7.5 m left: after 09:42:30
    clock.set(T0 + 42 * M)
    assert ids(desk.queue_page("at-risk").rows) == []
    clock.set(T0 + 43 * M)
    assert ids(desk.queue_page("at-risk").rows) == [urgent.id]
    assert ids(desk.queue_page("breached").rows) == []
    clock.set(T0 + 50 * M)  # due at 09:50 UTC: breached from that instant
    assert ids(desk.queue_page("breached").rows) == [urgent.id]
    assert desk.queue_page("breached").extra["sort"] == "due"  # these views read the due index
    assert ids(desk.queue_page("breached", sort="age").rows) == [urgent.id]
    assert ids(desk.queue_page("at-risk").rows) == []
    # premium-standard: 4 h on the extended calendar, at risk with under 1 h left (after 12:10)
    clock.set(T0 + 3 * H + 11 * M)
    assert ids(desk.queue_page("at-risk").rows) == [normal.id]
    states = desk.sla_states(desk.queue_page().rows)
    assert states == {low.id: "on track", normal.id: "at risk", urgent.id: "breached"}
    # answering the customer meets the first response: the resolution clock is far off
    desk.update_customer(normal.id, "chat", "Looking into it")
    assert ids(desk.queue_page("at-risk").rows) == []
    assert desk.sla_states([desk.ticket(normal.id)]) == {normal.id: "on track"}


def test_views_are_refused_for_unknown_names(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="unknown queue view 'late'"):
        desk.queue_page("late")


# -- clocks: first response, resolution, pauses ----------------------------------------------


def test_first_response_met_by_a_customer_update_or_a_told_resolution(
    desk: Desk, clock: FrozenClock, concierge: Customer
) -> None:
    updated = open_for(desk, concierge, "urgent", "updated")
    told = open_for(desk, concierge, "urgent", "told")
    silent = open_for(desk, concierge, "urgent", "silent")
    clock.advance(minutes=20)
    desk.add_note(updated.id, "a note is not a response")
    assert desk.ticket(updated.id).first_response_at is None
    desk.update_customer(updated.id, "phone", "On it")
    desk.resolve(told.id, "Rebooted", told_via="phone")
    desk.resolve(silent.id, "Rebooted")
    assert desk.ticket(updated.id).first_response_at == T0 + 20 * M
    assert desk.ticket(told.id).first_response_at == T0 + 20 * M
    assert desk.ticket(silent.id).first_response_at is None
    first = clock_of(desk, updated.id, "first_response")
    assert (first.state, first.elapsed, first.note) == ("met", 20 * M, "met by customer update")
    assert clock_of(desk, told.id, "first_response").state == "met"
    # resolved without telling the customer: the clock stopped with the ticket, unmet
    assert clock_of(desk, silent.id, "first_response").state == "paused"
    clock.advance(hours=5)
    late = open_for(desk, concierge, "urgent", "late")
    clock.advance(minutes=45)
    desk.update_customer(late.id, "email", "Sorry for the wait")
    assert clock_of(desk, late.id, "first_response").state == "breached"  # a late answer stays late


def test_resolution_clock_stops_at_resolve_and_carries_on_when_reopened(
    desk: Desk, clock: FrozenClock, concierge: Customer
) -> None:
    ticket = open_for(desk, concierge, "urgent")  # concierge-critical: 8 h resolution, 24/7
    clock.advance(minutes=10)
    desk.update_customer(ticket.id, "phone", "On the way")
    clock.advance(minutes=110)
    resolved = desk.resolve(ticket.id, "Replaced the switch", told_via="email")
    assert resolved.due_at is None
    assert ids(desk.queue_page(sort="due").rows) == []
    clock.advance(hours=10)  # resolved time counts for nothing
    report = desk.sla(ticket.id)
    resolution = next(c for c in report.clocks if c.key == "resolution")
    assert (resolution.state, resolution.elapsed, resolution.met_at) == ("met", 2 * H, T0 + 2 * H)
    assert report.state == "met" and report.due_at is None

    reopened = desk.reopen_ticket(ticket.id, "Fails again")
    assert reopened.due_at == T0 + 12 * H + 6 * H  # 6 h of the 8 left, from now
    resolution = clock_of(desk, ticket.id, "resolution")
    assert (resolution.state, resolution.elapsed) == ("on track", 2 * H)


def test_pause_statuses_are_per_plan(desk: Desk, clock: FrozenClock, concierge: Customer) -> None:
    """concierge-critical pauses only for the customer; concierge-high for the vendor too."""
    critical = open_for(desk, concierge, "urgent", "critical")
    high = open_for(desk, concierge, "high", "high")
    for number in (critical.id, high.id):
        desk.escalate(number, "needs level 2", "restart")
        desk.escalate(number, "needs level 3", "reinstall")
        desk.escalate(
            number, "vendor bug", "patch", vendor="Acme", vendor_ref="AC-1", vendor_due="2026-12-31"
        )
        assert desk.ticket(number).status == "waiting_vendor"
    clock.advance(hours=2)
    on = clock_of(desk, critical.id, "resolution")
    off = clock_of(desk, high.id, "resolution")
    assert (on.elapsed, on.paused, on.state) == (2 * H, timedelta(0), "on track")
    assert (off.elapsed, off.paused, off.state) == (timedelta(0), 2 * H, "paused")
    assert desk.ticket(critical.id).due_at == T0 + 30 * M  # first response still running
    assert desk.ticket(high.id).due_at is None
    assert ids(desk.queue_page("breached").rows) == [critical.id]


def test_a_plan_without_pauses_keeps_counting(desk: Desk) -> None:
    """Pure: the same events under a plan pausing on waiting_customer and one never pausing."""
    cal = BusinessCalendar.create("always", "UTC", always_open=True)
    ticket = desk.open_ticket(desk.resolve_customer("Marta Jones").id, TicketDraft("x", "general"))
    events = [
        _event(ticket, 1, T0, "created", {"status": [None, "open"]}),
        _event(ticket, 2, T0 + H, "info_requested", {"status": ["open", "waiting_customer"]}),
        _event(ticket, 3, T0 + 3 * H, "contact", {"status": ["waiting_customer", "open"]}),
    ]
    now = T0 + 4 * H
    pausing = SlaPlan("p", "always", 60, 60, 600, ("waiting_customer",))
    never = SlaPlan("n", "always", 60, 60, 600, ())
    paused = plan_clocks(pausing, cal, ticket, events, now)[1]
    running = plan_clocks(never, cal, ticket, events, now)[1]
    assert (paused.elapsed, paused.paused, paused.due) == (2 * H, 2 * H, T0 + 12 * H)
    assert (running.elapsed, running.paused, running.due) == (4 * H, timedelta(0), T0 + 10 * H)


def _event(ticket: Ticket, n: int, at: datetime, kind: str, changes: dict) -> Event:
    return Event(n, ticket.id, at, "admin", kind, None, None, None, "", None, changes)


def test_status_spans_and_first_response_from_events(desk: Desk, concierge: Customer) -> None:
    ticket = open_for(desk, concierge)
    events = [
        _event(ticket, 1, T0, "created", {"status": [None, "open"]}),
        _event(ticket, 2, T0 + H, "note", {}),
        _event(ticket, 3, T0 + 2 * H, "resolved", {"status": ["open", "resolved"]}),
        _event(ticket, 4, T0 + 3 * H, "reopened", {"status": ["resolved", "open"]}),
        _event(
            ticket, 5, T0 + 4 * H, "resolved", {"status": ["open", "resolved"], "told_via": "phone"}
        ),
    ]
    assert status_spans(ticket, events) == [
        (T0, T0 + 2 * H, "open"),
        (T0 + 2 * H, T0 + 3 * H, "resolved"),
        (T0 + 3 * H, T0 + 4 * H, "open"),
        (T0 + 4 * H, None, "resolved"),
    ]
    assert first_response_at(events) == T0 + 4 * H


def test_queue_state_needs_only_the_stored_due_time(desk: Desk, concierge: Customer) -> None:
    ticket = open_for(desk, concierge, "urgent")
    edges = {"concierge-critical": (T0 + 10 * M, T0 + 3 * H)}
    assert queue_state(ticket, T0, edges) == "on track"  # due 09:30, horizon 09:10
    assert queue_state(ticket, T0, {"concierge-critical": (T0 + 31 * M, T0)}) == "at risk"
    assert queue_state(ticket, T0 + 30 * M, edges) == "breached"
    assert overall_state(()) == ""


# -- plan choice ---------------------------------------------------------------------------------


def test_plan_follows_tier_and_priority(
    desk: Desk, basic: Customer, premium: Customer, concierge: Customer
) -> None:
    chosen = {
        (c.tier, p): open_for(desk, c, p).sla_plan
        for c in (basic, premium, concierge)
        for p in ("low", "normal", "high", "urgent")
    }
    assert chosen == {
        ("basic", "low"): "basic-low",
        ("basic", "normal"): "basic-standard",
        ("basic", "high"): "basic-high",
        ("basic", "urgent"): "basic-urgent",
        ("premium", "low"): "premium-low",
        ("premium", "normal"): "premium-standard",
        ("premium", "high"): "premium-high",
        ("premium", "urgent"): "premium-critical",
        ("concierge", "low"): "concierge-low",
        ("concierge", "normal"): "concierge-standard",
        ("concierge", "high"): "concierge-high",
        ("concierge", "urgent"): "concierge-critical",
    }


def test_priority_change_changes_the_plan_and_recomputes_due(
    desk: Desk, clock: FrozenClock, concierge: Customer
) -> None:
    ticket = open_for(desk, concierge, "normal")  # concierge-standard: 2 h on extended
    assert ticket.due_at == T0 + 2 * H  # Wed 10:00 Madrid, open 07-21
    clock.advance(minutes=20)
    raised = desk.set_priority(ticket.id, "urgent")
    assert raised.sla_plan == "concierge-critical" and raised.version == 2
    # the new plan's targets on its own calendar, counted from creation: 30 m on 24/7
    assert raised.due_at == T0 + 30 * M
    events = desk.ticket_view(ticket.id).events
    assert [e.kind for e in events] == ["created", "changed"]  # one action, one event
    assert events[-1].changes == {"priority": ["normal", "urgent"]}
    clock.advance(minutes=20)  # 40 m since creation: the tighter plan is breached
    assert desk.sla(ticket.id).state == "breached"
    lowered = desk.set_priority(ticket.id, "low")  # a looser plan lifts the breach
    assert (lowered.sla_plan, lowered.due_at) == ("concierge-low", T0 + 4 * H)
    assert desk.sla(ticket.id).state == "on track"


def test_changing_the_tier_does_not_replan_open_tickets(desk: Desk, premium: Customer) -> None:
    ticket = open_for(desk, premium, "normal")
    desk.set_customer_tier(premium.id, "concierge")
    desk.add_note(ticket.id, "moved to concierge")
    assert desk.ticket(ticket.id).sla_plan == "premium-standard"
    assert open_for(desk, premium, "normal").sla_plan == "concierge-standard"  # new tickets
    assert desk.set_priority(ticket.id, "high").sla_plan == "concierge-high"  # next re-plan


def test_business_critical_refused_for_basic(desk: Desk, basic: Customer) -> None:
    ticket = open_for(desk, basic)
    with pytest.raises(InvalidInput, match="only premium and concierge") as caught:
        desk.set_business_critical(ticket.id, True)
    assert "Bea Basic is on the basic tier" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert desk.ticket(ticket.id) == ticket
    assert len(desk.ticket_view(ticket.id).events) == 1
    # urgent counts as business-critical; basic has no such plan: its urgent row applies
    assert desk.set_priority(ticket.id, "urgent").sla_plan == "basic-urgent"


def test_business_critical_picks_the_tighter_plan(
    desk: Desk, clock: FrozenClock, premium: Customer
) -> None:
    ticket = open_for(desk, premium)
    assert ticket.sla_plan == "premium-standard"
    clock.advance(minutes=5)
    flagged = desk.set_business_critical(ticket.id, True)
    assert (flagged.business_critical, flagged.sla_plan, flagged.version) == (
        True,
        "premium-critical",
        2,
    )
    assert flagged.due_at == T0 + H  # 1 h first response, 24/7
    event = desk.ticket_view(ticket.id).events[-1]
    assert (event.kind, event.changes) == (
        "changed",
        {"business_critical": [0, 1], "sla_plan": ["premium-standard", "premium-critical"]},
    )
    assert desk.set_business_critical(ticket.id, True).version == 2  # no change, no event
    cleared = desk.set_business_critical(ticket.id, False)
    assert (cleared.business_critical, cleared.sla_plan) == (False, "premium-standard")
    report = desk.sla(ticket.id)
    assert report.critical is False and report.plan is not None


def test_business_critical_needs_a_fresh_version(desk: Desk, premium: Customer) -> None:
    ticket = open_for(desk, premium)
    other = as_user(desk, "alice")
    other.add_note(ticket.id, "meanwhile")
    with pytest.raises(Exception, match="changed by someone else"):
        desk.set_business_critical(ticket.id, True, expected_version=ticket.version)
    assert desk.ticket(ticket.id).business_critical is False
    other.close()


# -- courtesy by plan ------------------------------------------------------------------------------


def test_the_plans_courtesy_interval_wins_over_the_prioritys(
    desk: Desk, clock: FrozenClock, premium: Customer
) -> None:
    ticket = open_for(desk, premium)  # premium-standard: courtesy 24 h, like normal priority
    desk.store.sla.upsert_plans([_replace(desk.sla_plan("premium-standard"), courtesy_minutes=120)])
    intervals = desk.courtesy_intervals()
    assert intervals["premium-standard"] == 2 * H
    assert courtesy_due_at(ticket, intervals) == T0 + 2 * H
    assert courtesy_due_at(ticket) == T0 + 24 * H  # without the plans: desk.yaml's fallback
    clock.set(T0 + 2 * H + M)
    assert ids(desk.queue_page("courtesy-due").rows) == [ticket.id]
    courtesy = clock_of(desk, ticket.id, "courtesy")
    assert (courtesy.basis, courtesy.due, courtesy.state) == ("wall", T0 + 2 * H, "breached")


def _replace(plan: SlaPlan, **changes: object) -> SlaPlan:
    from dataclasses import replace

    return replace(plan, **changes)  # type: ignore[arg-type]


# -- reference data ------------------------------------------------------------------------------


def test_init_is_idempotent_with_the_sla_data(desk: Desk) -> None:
    before = (desk.sla_plans(), desk.sla_matrix(), [c.name for c in desk.calendars()])
    report = desk.init()
    assert (report.calendars, report.sla_plans) == (3, 12)
    assert (desk.sla_plans(), desk.sla_matrix(), [c.name for c in desk.calendars()]) == before
    office = desk.calendar("office")
    assert office.timezone == "Europe/Madrid" and len(office.holidays) == 20
    assert desk.calendar("24x7").always_open
    with pytest.raises(NotFound, match="unknown SLA plan 'gold'"):
        desk.sla_plan("gold")
    with pytest.raises(NotFound, match="no ticket #99"):
        desk.sla(99)


def test_tickets_opened_before_plans_existed_get_one_at_their_next_change(
    desk: Desk, basic: Customer
) -> None:
    ticket = open_for(desk, basic)
    desk.store.sla.set_derived(ticket.id, {"sla_plan": None, "due_at": None})
    assert desk.sla(ticket.id).plan is None and desk.sla(ticket.id).state == ""
    assert desk.add_note(ticket.id, "hello").sla_plan == "basic-standard"


# -- bad data files ------------------------------------------------------------------------

CAL_OK = """
calendars:
  - name: office
    timezone: Europe/Madrid
    hours:
      mon-fri: ["08:00-18:00"]
    holidays: [2026-12-08]
  - name: 24x7
    timezone: UTC
    always_open: true
"""

SLA_OK = """
plans:
  - name: std
    calendar: office
    first_response: 8h
    courtesy: 24h
    resolution: 50h
  - name: fast
    calendar: 24x7
    first_response: 30m
    courtesy: 2h
    resolution: 8h
    pause_statuses: [waiting_customer]
matrix:
  basic: {low: std, normal: std, high: std, urgent: fast}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_files_load(tmp_path: Path) -> None:
    cals = load_calendars(_write(tmp_path, "calendars.yaml", CAL_OK))
    assert [c.name for c in cals] == ["office", "24x7"]
    assert cals[0].weekly[0] == (("08:00", "18:00"),) and 5 not in cals[0].weekly
    assert cals[0].holidays == ("2026-12-08",)
    plans, matrix = load_sla(_write(tmp_path, "sla.yaml", SLA_OK), {"office", "24x7"}, ["basic"])
    assert plans[1] == SlaPlan("fast", "24x7", 30, 120, 480, ("waiting_customer",))
    assert plans[0].pause_statuses == ("waiting_customer", "waiting_vendor")
    assert len(matrix) == 4 and not any(e.business_critical for e in matrix)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("timezone: Europe/Madrid", "timezone: Mars/Olympus", "calendar 1 (office): 'timezone'"),
        ('["08:00-18:00"]', '["18:00-08:00"]', "calendar 1 (office): 'hours': calendar 'office'"),
        ('["08:00-18:00"]', '["08:00-13:00", "12:00-18:00"]', "overlap"),
        ('["08:00-18:00"]', '["8 to 6"]', "'hours': mon-fri: '8 to 6' is not an interval"),
        ("mon-fri:", "mon-frx:", "'hours': 'mon-frx' is not a weekday"),
        ("[2026-12-08]", "[2026-13-08]", "'holidays': '2026-13-08' is not a date"),
        ("    always_open: true", "    always_open: yes please", "'always_open' must be true"),
        ("    timezone: UTC\n", "    timezone: UTC\n    hours: {mon: ['08:00-09:00']}\n", "24/7"),
        ("  - name: 24x7", "  - name: Office Hours", "calendar 2: 'name' must be lower-case"),
        ("  - name: 24x7", "  - name: office", "calendar 2: duplicate name 'office'"),
        ("    holidays: [2026-12-08]", "    holiday: [2026-12-08]", "unknown field 'holiday'"),
    ],
)
def test_bad_calendars_are_refused_naming_file_entry_and_field(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    assert old in CAL_OK
    path = _write(tmp_path, "calendars.yaml", CAL_OK.replace(old, new, 1))
    with pytest.raises(InvalidInput) as caught:
        load_calendars(path)
    message = str(caught.value)
    assert re.match(rf"{re.escape(str(path))}:\d+: calendar ", message) and says in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "calendar: office",
            "calendar: ofice",
            "plan 1 (std): 'calendar': unknown calendar 'ofice'",
        ),
        (
            "first_response: 8h",
            "first_response: 0",
            "plan 1 (std): 'first_response' must be longer",
        ),
        ("resolution: 50h", "resolution: -5", "'resolution' must be longer than zero"),
        ("courtesy: 24h", "courtesy: soon", "plan 1 (std): 'courtesy' 'soon' is not a duration"),
        ("first_response: 8h", "first_response: 60h", "'first_response' (60h) is longer than"),
        ("[waiting_customer]", "[lunch]", "plan 2 (fast): 'pause_statuses' must be a list"),
        ("    courtesy: 2h\n", "    courtesy: 2h\n    colour: red\n", "unknown field 'colour'"),
        ("basic: {", "gold: {", "matrix: gold: unknown tier 'gold'"),
        ("urgent: fast}", "urgent: fastest}", "matrix: basic: 'urgent': unknown plan 'fastest'"),
        ("urgent: fast}", "asap: fast}", "matrix: basic: 'asap': unknown priority"),
        (", urgent: fast}", "}", "matrix: basic: 'urgent': no plan for this priority"),
        ("urgent: fast}", "urgent: fast, business_critical: nope}", "unknown plan 'nope'"),
    ],
)
def test_bad_sla_files_are_refused_naming_file_entry_and_field(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    assert old in SLA_OK
    path = _write(tmp_path, "sla.yaml", SLA_OK.replace(old, new, 1))
    with pytest.raises(InvalidInput) as caught:
        load_sla(path, {"office", "24x7"}, ["basic"])
    message = str(caught.value)
    assert re.match(rf"{re.escape(str(path))}:\d+: ", message) and says in message
    assert "\n" not in message


def test_a_tier_without_plans_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "sla.yaml", SLA_OK)
    with pytest.raises(InvalidInput, match="matrix: no plans for tier 'premium'"):
        load_sla(path, {"office", "24x7"}, ["basic", "premium"])


def test_init_with_a_bad_file_writes_nothing(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _write(tmp_path, "sla.yaml", SLA_OK.replace("resolution: 50h", "resolution: 0"))
    good = sla_data.data_file
    monkeypatch.setattr(sla_data, "data_file", lambda n: bad if n == "sla.yaml" else good(n))
    before = (desk.sla_plans(), desk.sla_matrix())
    with pytest.raises(InvalidInput, match="'resolution' must be longer than zero"):
        desk.init()
    assert (desk.sla_plans(), desk.sla_matrix()) == before
