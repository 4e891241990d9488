"""Courtesy updates owed to the customer, with a moved clock (seed 002, step 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk, Ticket, TicketDraft
from helpdesk_tui.desk.courtesy import courtesy_due_at, courtesy_hours, courtesy_overdue
from helpdesk_tui.desk.starter import data_file

MINUTE = timedelta(minutes=1)


def open_ticket(d: Desk, priority: str = "normal", title: str = "Printer jams") -> Ticket:
    customer = d.resolve_customer("Marta Jones")
    return d.open_ticket(customer.id, TicketDraft(title, "general", priority=priority))


def due_now(d: Desk) -> list[int]:
    """The lead's courtesy-due list, as the console pages it."""
    return [t.id for t in d.queue_page("courtesy-due").rows]


def test_default_intervals_come_from_desk_yaml() -> None:
    configured = yaml.safe_load(data_file("desk.yaml").read_text(encoding="utf-8"))
    assert configured["courtesy_update_hours"] == {"low": 48, "normal": 24, "high": 8, "urgent": 4}
    assert courtesy_hours() == {"low": 48.0, "normal": 24.0, "high": 8.0, "urgent": 4.0}


@pytest.mark.parametrize(
    ("priority", "hours"), [("low", 48), ("normal", 24), ("high", 8), ("urgent", 4)]
)
def test_a_ticket_becomes_due_after_its_prioritys_interval(
    desk: Desk, clock: FrozenClock, priority: str, hours: int
) -> None:
    ticket = open_ticket(desk, priority)
    assert courtesy_due_at(ticket) == T0 + timedelta(hours=hours)
    assert desk.ticket_view(ticket.id).courtesy_due == T0 + timedelta(hours=hours)

    clock.set(T0 + timedelta(hours=hours) - MINUTE)
    assert due_now(desk) == []
    assert not courtesy_overdue(desk.ticket(ticket.id), clock.now())

    clock.set(T0 + timedelta(hours=hours) + MINUTE)
    assert due_now(desk) == [ticket.id]
    assert courtesy_overdue(desk.ticket(ticket.id), clock.now())


def test_normal_ticket_is_due_at_24h_and_1m_not_at_23h_59m(desk: Desk, clock: FrozenClock) -> None:
    ticket = open_ticket(desk)
    lead = as_user(desk, "lee")
    clock.set(T0 + timedelta(hours=23, minutes=59))
    assert due_now(lead) == []
    clock.set(T0 + timedelta(hours=24, minutes=1))
    assert due_now(lead) == [ticket.id]
    lead.close()


def test_high_priority_is_due_sooner(desk: Desk, clock: FrozenClock) -> None:
    normal = open_ticket(desk, "normal", "Printer jams")
    high = open_ticket(desk, "high", "Payroll printer down")
    clock.set(T0 + timedelta(hours=8, minutes=1))
    assert due_now(desk) == [high.id]
    clock.set(T0 + timedelta(hours=24, minutes=1))
    assert due_now(desk) == [normal.id, high.id]  # oldest first, like every queue


def test_an_update_to_the_customer_resets_the_clock(desk: Desk, clock: FrozenClock) -> None:
    ticket = open_ticket(desk)
    clock.set(T0 + timedelta(hours=23))
    updated = desk.update_customer(ticket.id, "phone", "Still waiting for the toner delivery.")
    assert updated.last_update_at == T0 + timedelta(hours=23)
    assert courtesy_due_at(updated) == T0 + timedelta(hours=47)

    clock.set(T0 + timedelta(hours=24, minutes=1))
    assert due_now(desk) == []
    clock.set(T0 + timedelta(hours=47) - MINUTE)
    assert due_now(desk) == []
    clock.set(T0 + timedelta(hours=47) + MINUTE)
    assert due_now(desk) == [ticket.id]

    desk.update_customer(ticket.id, "email", "Toner arrives tomorrow.")
    assert due_now(desk) == []


def test_an_overdue_ticket_leaves_the_list_once_updated(desk: Desk, clock: FrozenClock) -> None:
    ticket = open_ticket(desk, "urgent")
    clock.set(T0 + timedelta(hours=5))
    assert due_now(desk) == [ticket.id]
    desk.update_customer(ticket.id, "chat", "An engineer is on the way.")
    assert due_now(desk) == []
    assert desk.ticket_view(ticket.id).courtesy_due == T0 + timedelta(hours=9)


def test_resolving_with_told_via_counts_as_an_update(desk: Desk, clock: FrozenClock) -> None:
    told = open_ticket(desk, title="told by phone")
    silent = open_ticket(desk, title="resolved without telling")
    clock.set(T0 + timedelta(hours=20))
    resolved = desk.resolve(told.id, "replaced the fuser", told_via="phone")
    desk.resolve(silent.id, "replaced the fuser")
    assert resolved.last_update_at == T0 + timedelta(hours=20)
    assert desk.ticket(silent.id).last_update_at is None

    clock.set(T0 + timedelta(hours=30))  # both come back
    desk.reopen_ticket(told.id, "jams again")
    desk.reopen_ticket(silent.id, "jams again")
    assert due_now(desk) == [silent.id]  # never told anything for 30 hours
    assert desk.ticket_view(told.id).courtesy_due == T0 + timedelta(hours=44)
    clock.set(T0 + timedelta(hours=44) + MINUTE)
    assert due_now(desk) == [told.id, silent.id]


def test_changing_the_priority_changes_the_due_time(desk: Desk, clock: FrozenClock) -> None:
    ticket = open_ticket(desk, "normal")
    clock.set(T0 + timedelta(hours=9))
    assert due_now(desk) == []
    raised = desk.set_priority(ticket.id, "high")
    assert courtesy_due_at(raised) == T0 + timedelta(hours=8)
    assert due_now(desk) == [ticket.id]

    lowered = desk.set_priority(ticket.id, "low")
    assert courtesy_due_at(lowered) == T0 + timedelta(hours=48)
    assert due_now(desk) == []


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_resolved_and_closed_tickets_are_never_due(
    desk: Desk, clock: FrozenClock, status: str
) -> None:
    ticket = open_ticket(desk, "urgent")
    clock.set(T0 + timedelta(hours=1))
    desk.resolve(ticket.id, "cleared the jam")
    if status == "closed":
        desk.close_ticket(ticket.id)
    clock.set(T0 + timedelta(days=30))
    assert due_now(desk) == []
    done = desk.ticket(ticket.id)
    assert courtesy_due_at(done) is None
    assert not courtesy_overdue(done, clock.now())
    assert desk.ticket_view(ticket.id).courtesy_due is None


def test_tickets_in_triage_or_waiting_are_still_owed_updates(
    desk: Desk, clock: FrozenClock
) -> None:
    triage = open_ticket(desk, title="in triage")
    desk.send_to_triage(triage.id, "reseated the tray")
    waiting = open_ticket(desk, title="waiting on the customer")
    desk.request_info(waiting.id, "Which tray?")
    clock.set(T0 + timedelta(hours=24, minutes=1))
    assert due_now(desk) == [triage.id, waiting.id]
