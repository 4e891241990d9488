"""Logging a contact (every contact, even a general question) and what comes of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import T0

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import (
    Customer,
    Desk,
    Forbidden,
    InvalidInput,
    NotFound,
    TicketDraft,
)

COMPUTER_FIELDS = {
    "operating_system": "Windows 11 23H2",
    "memory": "16 GB",
    "machine_name": "LT-0423",
}


def counts(path: Path | str) -> dict[str, int]:
    conn = sqlite3.connect(str(path))
    try:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("contacts", "tickets", "events", "customers")
        }
    finally:
        conn.close()


@pytest.fixture
def marta(desk: Desk) -> Customer:
    return desk.resolve_customer("Marta Jones")


# -- the three outcomes ------------------------------------------------------------------


def test_answered_at_first_contact_logs_the_contact_and_no_ticket(
    desk: Desk, marta: Customer
) -> None:
    result = desk.log_contact(
        channel="phone", customer_id=marta.id, summary="Asked for the opening hours"
    )
    assert result.ticket is None
    stored = desk.contact(result.contact.id)
    assert stored == result.contact
    assert stored.outcome == "answered"
    assert stored.ticket_id is None
    assert stored.channel == "phone"
    assert stored.agent == "admin"
    assert stored.customer_name == "Marta Jones"
    assert stored.summary == "Asked for the opening hours"
    assert stored.at == T0
    assert counts(desk.store.path)["tickets"] == 0


def test_answered_with_a_ticket_opened_and_resolved_at_once(desk: Desk, marta: Customer) -> None:
    result = desk.log_contact(
        channel="chat",
        customer_id=marta.id,
        summary="Password expired",
        ticket=TicketDraft(
            "Password reset", "account", {"username": "mjones", "system": "payroll"}
        ),
        resolution="Reset the password and confirmed the login works",
    )
    ticket = result.ticket
    assert ticket is not None
    assert ticket.status == "resolved"
    assert ticket.resolution == "Reset the password and confirmed the login works"
    assert ticket.resolved_at == T0
    assert result.contact.outcome == "answered"
    assert result.contact.ticket_id == ticket.id
    events = desk.ticket_view(ticket.id).events
    assert [e.kind for e in events] == ["created", "resolved"]
    assert events[0].contact_id == result.contact.id
    assert events[1].old_value == "open" and events[1].new_value == "resolved"
    assert ticket.id not in [t.id for t in desk.queue_page().rows]


def test_answered_with_a_ticket_but_no_resolution_is_refused(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="resolution"):
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="Question",
            ticket=TicketDraft("Question", "general"),
            resolution="   ",
        )
    assert counts(desk.store.path) == before


def test_ticket_opened_with_category_fields(desk: Desk, marta: Customer) -> None:
    result = desk.log_contact(
        channel="walk-in",
        customer_id=marta.id,
        summary="Laptop will not boot",
        outcome="ticket",
        ticket=TicketDraft(
            "Laptop stuck at the logo",
            "computer",
            {**COMPUTER_FIELDS, "model": "  "},
            priority="high",
            description="Started after the update",
        ),
    )
    ticket = result.ticket
    assert ticket is not None
    stored = desk.ticket(ticket.id)
    assert stored.fields == COMPUTER_FIELDS  # blank optional field left out
    assert stored.category == "computer"
    # A new ticket starts with the front line (the opener's department); triage
    # later routes it to the category's department.
    assert stored.department == "Service Desk"
    assert desk.category("computer").department == "Desktop"
    assert stored.priority == "high"
    assert stored.status == "open"
    assert stored.version == 1
    assert stored.description == "Started after the update"
    assert stored.created_at == T0 and stored.created_by == "admin"
    assert stored.customer_id == marta.id
    [created] = desk.ticket_view(ticket.id).events
    assert created.kind == "created"
    assert created.contact_id == result.contact.id
    assert desk.contact(result.contact.id).ticket_id == ticket.id
    assert desk.contact(result.contact.id).outcome == "ticket"
    assert [c.id for c in desk.ticket_view(ticket.id).contacts] == [result.contact.id]


def test_ticket_outcome_without_a_draft_is_refused(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="title"):
        desk.log_contact(channel="phone", customer_id=marta.id, summary="x", outcome="ticket")
    assert counts(desk.store.path) == before


def test_added_to_an_existing_ticket(desk: Desk, marta: Customer, clock: FrozenClock) -> None:
    first = desk.log_contact(
        channel="phone",
        customer_id=marta.id,
        summary="Printer offline",
        outcome="ticket",
        ticket=TicketDraft("Printer offline", "printer", {"printer_name": "PR-2F-01"}),
    )
    assert first.ticket is not None
    clock.advance(hours=3)
    second = desk.log_contact(
        channel="email",
        customer_id=marta.id,
        summary="Still offline, any news?",
        outcome="existing",
        existing_ticket=first.ticket.id,
    )
    assert second.ticket is not None and second.ticket.id == first.ticket.id
    assert second.ticket.version == first.ticket.version + 1
    assert second.contact.ticket_id == first.ticket.id
    assert second.contact.outcome == "existing"
    view = desk.ticket_view(first.ticket.id)
    assert [e.kind for e in view.events] == ["created", "contact"]
    linked = view.events[-1]
    assert linked.contact_id == second.contact.id
    assert linked.note == "Still offline, any news?"
    assert linked.new_value == "email"
    assert linked.at == T0.replace(hour=12)
    assert [c.id for c in view.contacts] == [first.contact.id, second.contact.id]


def test_existing_outcome_needs_a_ticket_number(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="ticket number"):
        desk.log_contact(channel="phone", customer_id=marta.id, summary="x", outcome="existing")
    assert counts(desk.store.path) == before


def test_existing_ticket_that_does_not_exist_writes_nothing(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(NotFound, match="#4242"):
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="About my ticket",
            outcome="existing",
            existing_ticket=4242,
        )
    assert counts(desk.store.path) == before


def test_existing_ticket_that_is_closed_is_refused(desk: Desk, marta: Customer) -> None:
    ticket = desk.open_ticket(marta.id, TicketDraft("Old problem", "general"))
    desk.resolve(ticket.id, "Fixed")
    desk.close_ticket(ticket.id)
    before = counts(desk.store.path)
    version = desk.ticket(ticket.id).version
    with pytest.raises(Forbidden, match="closed"):
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="It is back",
            outcome="existing",
            existing_ticket=ticket.id,
        )
    assert counts(desk.store.path) == before  # the contact itself was rolled back too
    assert desk.ticket(ticket.id).version == version


# -- refusals that write nothing -----------------------------------------------------------


def test_missing_required_category_field_names_the_field(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    fields = {k: v for k, v in COMPUTER_FIELDS.items() if k != "memory"}
    with pytest.raises(InvalidInput, match="Memory size is required") as caught:
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="Slow laptop",
            outcome="ticket",
            ticket=TicketDraft("Slow laptop", "computer", fields),
        )
    assert caught.value.field == "field:memory"
    assert counts(desk.store.path) == before


def test_blank_required_category_field_counts_as_missing(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="Extension is required"):
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="No dial tone",
            outcome="ticket",
            ticket=TicketDraft("No dial tone", "phone", {"extension": "   "}),
        )
    assert counts(desk.store.path) == before


def test_unknown_field_key_is_refused(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="unknown field 'ram'") as caught:
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="x",
            outcome="ticket",
            ticket=TicketDraft("x", "computer", {**COMPUTER_FIELDS, "ram": "8"}),
        )
    assert "memory" in str(caught.value)  # lists the category's real fields
    assert counts(desk.store.path) == before


def test_field_outside_its_choices_is_refused(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="wired, wi-fi, vpn"):
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="x",
            outcome="ticket",
            ticket=TicketDraft("x", "network", {"location": "B2", "connection": "carrier pigeon"}),
        )
    assert counts(desk.store.path) == before


def test_unknown_category_is_refused_listing_the_known_ones(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(NotFound, match="unknown category 'toaster'") as caught:
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="x",
            outcome="ticket",
            ticket=TicketDraft("x", "toaster"),
        )
    assert "computer" in str(caught.value) and "general" in str(caught.value)
    assert counts(desk.store.path) == before


@pytest.mark.parametrize("channel", ["fax", "", "carrier pigeon"])
def test_unknown_channel_is_refused(desk: Desk, marta: Customer, channel: str) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="unknown channel") as caught:
        desk.log_contact(channel=channel, customer_id=marta.id, summary="x")
    assert "phone" in str(caught.value) and "walk-in" in str(caught.value)
    assert counts(desk.store.path) == before


@pytest.mark.parametrize("channel", ["Phone", " EMAIL ", "walk-in"])
def test_channel_is_case_insensitive(desk: Desk, marta: Customer, channel: str) -> None:
    result = desk.log_contact(channel=channel, customer_id=marta.id, summary="x")
    assert result.contact.channel == channel.strip().lower()


def test_unknown_outcome_is_refused(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="unknown outcome"):
        desk.log_contact(channel="phone", customer_id=marta.id, summary="x", outcome="maybe")
    assert counts(desk.store.path) == before


def test_unknown_customer_is_refused(desk: Desk) -> None:
    before = counts(desk.store.path)
    with pytest.raises(NotFound, match="no customer with id 999"):
        desk.log_contact(channel="phone", customer_id=999, summary="Who am I?")
    assert counts(desk.store.path) == before


@pytest.mark.parametrize("summary", ["", "   ", "\n\t \n"])
def test_empty_summary_is_refused(desk: Desk, marta: Customer, summary: str) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="summary is required") as caught:
        desk.log_contact(channel="phone", customer_id=marta.id, summary=summary)
    assert caught.value.field == "summary"
    assert counts(desk.store.path) == before


def test_huge_summary_is_refused_with_the_limit(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="the limit is 4,000") as caught:
        desk.log_contact(channel="phone", customer_id=marta.id, summary="x" * 100_000)
    assert "100,000" in str(caught.value)
    assert counts(desk.store.path) == before


def test_huge_title_is_refused_with_the_limit(desk: Desk, marta: Customer) -> None:
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match="title .* the limit is 200"):
        desk.log_contact(
            channel="phone",
            customer_id=marta.id,
            summary="x",
            outcome="ticket",
            ticket=TicketDraft("t" * 100_000, "general"),
        )
    assert counts(desk.store.path) == before


def test_summary_at_the_limit_is_accepted(desk: Desk, marta: Customer) -> None:
    result = desk.log_contact(channel="phone", customer_id=marta.id, summary="y" * 4_000)
    assert len(desk.contact(result.contact.id).summary) == 4_000


# -- text is stored exactly as typed --------------------------------------------------------

HOSTILE_TEXT = [
    "[red]x[/red]",
    "[@click=app.quit]q",
    "[/bar] [0] [b]",
    "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J",
    "bell\x07 cr\rover nul\x00 del\x7f c1\x9b end",
    "line one\nline two\r\nline three",
    "Zoë 日本語 🙂 ‮reversed‬",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_markup_and_control_characters_round_trip(desk: Desk, marta: Customer, text: str) -> None:
    result = desk.log_contact(
        channel="phone",
        customer_id=marta.id,
        summary=text,
        outcome="ticket",
        ticket=TicketDraft(text, "printer", {"printer_name": text}, description=text),
    )
    assert result.ticket is not None
    assert desk.contact(result.contact.id).summary == text
    ticket = desk.ticket(result.ticket.id)
    assert ticket.title == text
    assert ticket.description == text
    assert ticket.fields == {"printer_name": text}
    note = desk.add_note(ticket.id, text)
    assert desk.ticket_view(note.id).events[-1].note == text


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_customer_names_round_trip(desk: Desk, text: str) -> None:
    customer = desk.add_customer(text)
    assert desk.customer(customer.id).name == text


def test_surrounding_blanks_are_trimmed(desk: Desk, marta: Customer) -> None:
    result = desk.log_contact(channel="phone", customer_id=marta.id, summary="  hello \n")
    assert result.contact.summary == "hello"


# -- the contact log -----------------------------------------------------------------------


def test_started_at_is_stored(desk: Desk, marta: Customer) -> None:
    started = T0.replace(hour=8, minute=52)
    result = desk.log_contact(
        channel="phone", customer_id=marta.id, summary="x", started_at=started
    )
    assert result.contact.started_at == started
    assert result.contact.at == T0


def test_contact_log_pages_newest_first(desk: Desk, marta: Customer, clock: FrozenClock) -> None:
    for n in range(7):
        clock.advance(minutes=1)
        desk.log_contact(channel="phone", customer_id=marta.id, summary=f"call {n}")
    first = desk.contacts_page(3)
    assert [c.summary for c in first.rows] == ["call 6", "call 5", "call 4"]
    assert (first.offset, first.total, first.has_next, first.has_previous) == (0, 7, True, False)
    second = desk.contacts_page(3, older_than=first.last_key)
    assert [c.summary for c in second.rows] == ["call 3", "call 2", "call 1"]
    assert second.offset == 3 and second.has_previous
    third = desk.contacts_page(3, older_than=second.last_key)
    assert [c.summary for c in third.rows] == ["call 0"]
    assert third.offset == 6 and not third.has_next
    back = desk.contacts_page(3, newer_than=second.first_key)
    assert back.rows == first.rows and back.offset == 0
    assert [c.summary for c in desk.contacts(limit=2)] == ["call 6", "call 5"]


def test_customer_history_lists_their_contacts_newest_first(
    desk: Desk, marta: Customer, clock: FrozenClock
) -> None:
    other = desk.add_customer("Ravi Patel")
    for n in range(3):
        clock.advance(minutes=1)
        desk.log_contact(channel="phone", customer_id=marta.id, summary=f"marta {n}")
        desk.log_contact(channel="phone", customer_id=other.id, summary=f"ravi {n}")
    assert [c.summary for c in desk.customer_history(marta.id)] == ["marta 2", "marta 1", "marta 0"]


def test_unknown_contact_is_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound, match="no contact with id 77"):
        desk.contact(77)


# -- a ticket opened later from a logged contact (CLI: ticket new --contact) -----------------


def test_open_ticket_for_a_logged_contact_links_it(desk: Desk, marta: Customer) -> None:
    contact = desk.log_contact(channel="phone", customer_id=marta.id, summary="x").contact
    ticket = desk.open_ticket(marta.id, TicketDraft("Follow-up", "general"), contact.id)
    assert desk.contact(contact.id).ticket_id == ticket.id
    assert desk.contact(contact.id).outcome == "ticket"
    assert desk.ticket_view(ticket.id).events[0].contact_id == contact.id


def test_open_ticket_refuses_a_contact_of_another_customer(desk: Desk, marta: Customer) -> None:
    other = desk.add_customer("Ravi Patel")
    contact = desk.log_contact(channel="phone", customer_id=other.id, summary="x").contact
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match=f"contact {contact.id} is from customer"):
        desk.open_ticket(marta.id, TicketDraft("Mix-up", "general"), contact.id)
    assert counts(desk.store.path) == before


def test_open_ticket_refuses_a_contact_that_already_has_one(desk: Desk, marta: Customer) -> None:
    result = desk.log_contact(
        channel="phone",
        customer_id=marta.id,
        summary="x",
        outcome="ticket",
        ticket=TicketDraft("First", "general"),
    )
    assert result.ticket is not None
    before = counts(desk.store.path)
    with pytest.raises(InvalidInput, match=f"already belongs to ticket #{result.ticket.id}"):
        desk.open_ticket(marta.id, TicketDraft("Second", "general"), result.contact.id)
    assert counts(desk.store.path) == before
