"""Resolving a bulletin: every linked open ticket told, optionally resolved, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import as_user

from helpdesk_tui.desk import Desk, InvalidInput, StaleEdit, StorageProblem, TicketDraft
from helpdesk_tui.store import StoreError

WIFI = {"location": "B2 floor 3"}
NOTE = "Mail is back: restart Outlook. [@click=app.quit]ok"


@pytest.fixture
def wave(desk: Desk) -> Iterator[tuple[Desk, Desk, int, list[int], list[int]]]:
    """A mail outage, three linked open tickets, one linked resolved and one linked closed.

    Yields (alice, lee, bulletin id, open ticket numbers, finished ticket numbers).
    """
    alice, lee = as_user(desk, "alice"), as_user(desk, "lee")
    bulletin_id = lee.post_bulletin(
        title="Mail server down", answer="Back by noon.", products=["office365"]
    ).id
    customer = alice.resolve_customer("Marta Jones").id
    numbers = []
    for n in range(5):
        result = alice.log_contact(
            channel="phone",
            customer_id=customer,
            summary=f"caller {n}: no mail",
            outcome="ticket",
            ticket=TicketDraft(f"No mail {n}", "network", WIFI),
        )
        assert result.ticket is not None
        alice.link_contact_to_bulletin(bulletin_id, result.contact.id)
        numbers.append(result.ticket.id)
    alice.send_to_triage(numbers[1], "restarted Outlook")  # still open, another status
    alice.resolve(numbers[3], "was a typo in the address")
    alice.resolve(numbers[4], "password reset")
    alice.close_ticket(numbers[4])
    yield alice, lee, bulletin_id, numbers[:3], numbers[3:]
    alice.close()
    lee.close()


def kinds(d: Desk, number: int) -> list[str]:
    return [e.kind for e in d.ticket_view(number).events]


def test_each_linked_open_ticket_gets_an_event_and_a_customer_update(wave: tuple) -> None:
    alice, lee, bulletin_id, open_ones, finished = wave
    before = {n: alice.ticket(n) for n in open_ones + finished}
    finished_events = {n: kinds(alice, n) for n in finished}
    touched = lee.resolve_bulletin(bulletin_id, NOTE)
    assert touched == 3
    for number in open_ones:
        view = alice.ticket_view(number)
        *_, marker, update = view.events
        assert (marker.kind, marker.actor, marker.new_value) == (
            "bulletin_resolved",
            "lee",
            str(bulletin_id),
        )
        assert (update.kind, update.field, update.new_value, update.note) == (
            "customer_update",
            "channel",
            "email",
            NOTE,
        )
        assert update.changes["bulletin"] == bulletin_id
        assert view.ticket.last_update_at == lee.now()
        assert view.ticket.status == before[number].status  # told, not resolved
        assert view.ticket.version == before[number].version + 2
    for number in finished:
        assert kinds(alice, number) == finished_events[number]
        assert alice.ticket(number) == before[number]
    resolved = lee.bulletin(bulletin_id)
    assert (resolved.status, resolved.resolution, resolved.resolved_by) == ("resolved", NOTE, "lee")
    assert resolved.resolved_at == lee.now()
    assert alice.bulletin_report(bulletin_id).open_tickets == 3


def test_resolve_tickets_resolves_them_with_the_note_each_change_its_own_event(
    wave: tuple,
) -> None:
    alice, lee, bulletin_id, open_ones, _ = wave
    assert lee.resolve_bulletin(bulletin_id, NOTE, resolve_tickets=True, channel="phone") == 3
    for number in open_ones:
        assert kinds(alice, number)[-3:] == ["bulletin_resolved", "customer_update", "resolved"]
        ticket = alice.ticket(number)
        assert (ticket.status, ticket.resolution) == ("resolved", NOTE)
        assert alice.ticket_view(number).events[-2].new_value == "phone"
    report = alice.bulletin_report(bulletin_id)
    assert (report.tickets, report.open_tickets, report.linked_open_tickets) == (5, 0, [])


def test_a_failure_half_way_writes_nothing(
    wave: tuple, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, lee, bulletin_id, open_ones, _ = wave
    events_before = desk.store.session.scalar("SELECT count(*) FROM events")
    tickets_before = {n: alice.ticket(n) for n in open_ones}
    real_add = lee.store.events.add
    calls = []

    def failing_add(*args: object, **kwargs: object) -> int:
        calls.append(args)
        if len(calls) == 5:  # the second ticket's customer update
            raise StoreError("disk I/O error")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(lee.store.events, "add", failing_add)
    with pytest.raises(StorageProblem, match="disk I/O error"):
        lee.resolve_bulletin(bulletin_id, NOTE, resolve_tickets=True)
    monkeypatch.undo()
    assert desk.store.session.scalar("SELECT count(*) FROM events") == events_before
    assert {n: alice.ticket(n) for n in open_ones} == tickets_before
    assert alice.bulletin(bulletin_id).status == "active"
    assert alice.bulletin_revision() == 1


def test_a_refused_ticket_half_way_writes_nothing(
    wave: tuple, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another agent changed the last ticket while the lead's resolution ran: all or nothing."""
    alice, lee, bulletin_id, open_ones, _ = wave
    real_write = lee._write

    def write(ticket, *args, **kwargs):  # type: ignore[no-untyped-def]
        if ticket.id == open_ones[-1]:
            raise StaleEdit(f"ticket #{ticket.id} was changed by someone else")
        return real_write(ticket, *args, **kwargs)

    monkeypatch.setattr(lee, "_write", write)
    events_before = desk.store.session.scalar("SELECT count(*) FROM events")
    with pytest.raises(StaleEdit):
        lee.resolve_bulletin(bulletin_id, NOTE)
    assert desk.store.session.scalar("SELECT count(*) FROM events") == events_before
    assert alice.bulletin(bulletin_id).status == "active"
    monkeypatch.undo()
    assert lee.resolve_bulletin(bulletin_id, NOTE) == 3  # and a retry works


def test_resolving_with_nothing_linked_counts_zero_and_needs_a_note(desk: Desk) -> None:
    bulletin_id = desk.post_bulletin(title="Printer queue slow", answer="Wait a minute.").id
    with pytest.raises(InvalidInput, match="resolution note is required"):
        desk.resolve_bulletin(bulletin_id, "   ")
    assert desk.bulletin(bulletin_id).status == "active"
    assert desk.resolve_bulletin(bulletin_id, "Spooler restarted.") == 0
