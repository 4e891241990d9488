"""Entitlements at intake: told before any ticket exists, overridable with a reason."""

from __future__ import annotations

import pytest

from helpdesk_tui.desk import Desk, InvalidInput, TicketDraft


@pytest.fixture
def basic(desk: Desk) -> int:
    return desk.add_customer("Ben Basic", email="ben@example.org").id  # tier basic


def test_basic_customer_asking_for_an_excluded_category_is_told_before_a_ticket_exists(
    desk: Desk, basic: int
) -> None:
    draft = TicketDraft(
        "Laptop will not boot",
        "computer",
        {"operating_system": "Windows 11", "memory": "8 GB", "machine_name": "LT-1"},
    )
    with pytest.raises(InvalidInput) as refused:
        desk.log_contact(
            channel="email",
            customer_id=basic,
            summary="laptop dead",
            outcome="ticket",
            ticket=draft,
        )
    message = str(refused.value)
    assert "not entitled" in message and "Computer" in message
    assert "self-service portal" in message  # the pointer to give the customer
    assert refused.value.field == "override_reason"
    assert desk.contacts() == [] and desk.tickets("all") == []


def test_a_contact_that_is_not_entitled_is_still_logged_with_its_verdict(
    desk: Desk, basic: int
) -> None:
    result = desk.log_contact(channel="phone", customer_id=basic, summary="asks for help")
    assert result.contact.entitled is False and result.ticket is None


def test_an_override_opens_the_ticket_and_is_an_event(desk: Desk, basic: int) -> None:
    result = desk.log_contact(
        channel="phone",
        customer_id=basic,
        summary="printer on fire",
        outcome="ticket",
        ticket=TicketDraft("Printer smoking", "printer", {"printer_name": "PRN-1"}),
        override_reason="Safety issue: always take it",
    )
    assert result.ticket is not None
    assert result.contact.entitled is False
    assert result.contact.override_reason == "Safety issue: always take it"
    events = desk.ticket_view(result.ticket.id).events
    assert [e.kind for e in events] == ["created", "entitlement_override"]
    assert events[1].note == "Safety issue: always take it"


def test_an_entitled_contact_needs_no_override(desk: Desk, basic: int) -> None:
    result = desk.log_contact(
        channel="email",
        customer_id=basic,
        summary="printer jams",
        outcome="ticket",
        ticket=TicketDraft("Printer jams", "printer", {"printer_name": "PRN-2"}),
    )
    assert result.contact.entitled is True
    assert [e.kind for e in desk.ticket_view(result.ticket.id).events] == ["created"]
