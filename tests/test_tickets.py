"""Ticket work and the open queue: oldest first, paged, every change an event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import (
    Customer,
    Desk,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleEdit,
    Ticket,
    TicketDraft,
)


@pytest.fixture
def marta(desk: Desk) -> Customer:
    return desk.resolve_customer("Marta Jones")


def new_ticket(desk: Desk, customer: Customer, title: str = "Printer jams") -> Ticket:
    return desk.open_ticket(customer.id, TicketDraft(title, "general"))


def assert_history_consistent(desk: Desk, number: int) -> None:
    """The version counts the changes: one event per change after 'created'."""
    view = desk.ticket_view(number)
    kinds = [e.kind for e in view.events]
    assert kinds[0] == "created" and "created" not in kinds[1:]
    assert view.ticket.version == 1 + len(kinds) - 1


# -- the queue: oldest first ---------------------------------------------------------------


def test_queue_is_oldest_first_by_date_entered_not_by_number(
    desk: Desk, marta: Customer, clock: FrozenClock
) -> None:
    clock.set(T0)
    a = new_ticket(desk, marta, "entered at 09:00")
    clock.set(T0 - timedelta(days=2))  # a second console whose entry is older...
    b = new_ticket(desk, marta, "entered two days earlier")
    clock.set(T0 - timedelta(hours=5))
    c = new_ticket(desk, marta, "entered five hours earlier")
    clock.set(T0 + timedelta(hours=1))
    d = new_ticket(desk, marta, "entered at 10:00")
    assert [a.id, b.id, c.id, d.id] == sorted([a.id, b.id, c.id, d.id])

    page = desk.queue_page()
    assert [t.id for t in page.rows] == [b.id, c.id, a.id, d.id]
    assert [t.id for t in desk.tickets("open")] == [b.id, c.id, a.id, d.id]
    assert [t.id for t in desk.queue()] == [b.id, c.id, a.id, d.id]


def test_same_timestamp_breaks_ties_by_number(desk: Desk, marta: Customer) -> None:
    ids = [new_ticket(desk, marta, f"t{n}").id for n in range(5)]
    assert [t.id for t in desk.queue_page().rows] == ids


def test_paging_through_tickets_entered_at_the_same_instant(desk: Desk, marta: Customer) -> None:
    ids = [new_ticket(desk, marta, f"outage call {n}").id for n in range(7)]
    seen: list[int] = []
    page = desk.queue_page("all", 3)
    while True:
        seen.extend(t.id for t in page.rows)
        if not page.has_next:
            break
        page = desk.queue_page("all", 3, after=page.last_key)
    assert seen == ids
    assert page.offset == 6


def test_queue_order_from_two_consoles(desk: Desk, marta: Customer, clock: FrozenClock) -> None:
    late = FrozenClock(T0 + timedelta(hours=2))
    early = FrozenClock(T0 - timedelta(hours=2))
    first = Desk.open(desk.store.path, login="alice", clock=late)
    second = Desk.open(desk.store.path, login="lee", clock=early)
    newer = new_ticket(first, marta, "logged late")
    older = new_ticket(second, marta, "logged early")
    first.close()
    second.close()
    assert [t.id for t in desk.queue_page().rows] == [older.id, newer.id]


@pytest.fixture
def hundred_twenty(desk: Desk, marta: Customer, clock: FrozenClock) -> list[int]:
    ids = []
    for n in range(120):
        clock.advance(minutes=1)
        ids.append(new_ticket(desk, marta, f"ticket {n:03}").id)
    return ids


def test_paging_through_120_open_tickets(desk: Desk, hundred_twenty: list[int]) -> None:
    first = desk.queue_page("all", 50)
    assert [t.id for t in first.rows] == hundred_twenty[:50]
    assert (first.offset, first.total, first.has_next, first.has_previous) == (0, 120, True, False)

    second = desk.queue_page("all", 50, after=first.last_key)
    assert [t.id for t in second.rows] == hundred_twenty[50:100]
    assert (second.offset, second.total, second.has_next, second.has_previous) == (
        50,
        120,
        True,
        True,
    )

    third = desk.queue_page("all", 50, after=second.last_key)
    assert [t.id for t in third.rows] == hundred_twenty[100:]
    assert (third.offset, third.has_next) == (100, False)

    back = desk.queue_page("all", 50, before=second.first_key)
    assert back.rows == first.rows
    assert back.offset == 0 and not back.has_previous


def test_last_page_ends_at_the_newest_ticket(desk: Desk, hundred_twenty: list[int]) -> None:
    # Keyset paging: the last page is the last `size` rows (not aligned to 50s),
    # so scrolling up from it joins seamlessly.
    last = desk.queue_page("all", 50, last=True)
    assert [t.id for t in last.rows] == hundred_twenty[-50:]
    assert (last.offset, last.total, last.has_next, last.has_previous) == (70, 120, False, True)
    before_last = desk.queue_page("all", 50, before=last.first_key)
    assert [t.id for t in before_last.rows] == hundred_twenty[20:70]
    assert before_last.offset == 20
    top = desk.queue_page("all", 50, before=before_last.first_key)
    assert [t.id for t in top.rows] == hundred_twenty[:20]
    assert top.offset == 0 and not top.has_previous


def test_a_page_sees_tickets_added_by_another_console(
    desk: Desk, marta: Customer, hundred_twenty: list[int], clock: FrozenClock
) -> None:
    first = desk.queue_page("all", 50)
    clock.advance(minutes=1)
    other = as_user(desk, "alice")
    late = new_ticket(other, marta, "arrived while paging")
    other.close()
    third = desk.queue_page(
        "all", 50, after=desk.queue_page("all", 50, after=first.last_key).last_key
    )
    assert third.total == 121
    assert [t.id for t in third.rows] == [*hundred_twenty[100:], late.id]


def test_empty_queue_page(desk: Desk) -> None:
    page = desk.queue_page()
    assert page.rows == [] and page.total == 0
    assert not page.has_next and not page.has_previous
    assert page.first_key is None and page.last_key is None


def test_resolved_and_closed_tickets_leave_the_queue(desk: Desk, marta: Customer) -> None:
    keep = new_ticket(desk, marta, "still open")
    done = new_ticket(desk, marta, "solved")
    gone = new_ticket(desk, marta, "closed")
    desk.resolve(done.id, "Replaced the toner")
    desk.resolve(gone.id, "Explained the setting")
    desk.close_ticket(gone.id)
    page = desk.queue_page()
    assert [t.id for t in page.rows] == [keep.id]
    assert page.total == 1
    assert [t.id for t in desk.tickets("closed")] == [done.id, gone.id]
    assert [t.id for t in desk.tickets("all")] == [keep.id, done.id, gone.id]


def test_reopened_ticket_returns_to_its_place_by_age(
    desk: Desk, marta: Customer, clock: FrozenClock
) -> None:
    old = new_ticket(desk, marta, "old")
    clock.advance(hours=1)
    young = new_ticket(desk, marta, "young")
    desk.resolve(old.id, "done")
    clock.advance(hours=1)
    desk.reopen_ticket(old.id, "came back")
    assert [t.id for t in desk.queue_page().rows] == [old.id, young.id]


def test_queue_view_mine(desk: Desk, marta: Customer) -> None:
    alice = as_user(desk, "alice")
    theirs = new_ticket(desk, marta, "for alice")
    new_ticket(desk, marta, "nobody's")
    alice.take(theirs.id)
    assert [t.id for t in alice.queue_page("mine").rows] == [theirs.id]
    assert alice.queue_page("mine").total == 1
    assert desk.queue_page("mine").rows == []
    alice.close()


def test_queue_view_department(desk: Desk, marta: Customer) -> None:
    desk.add_user("dora", "Dora Desktop", "agent", 2, "Desktop")
    dora = as_user(desk, "dora")
    front = new_ticket(desk, marta, "opened by the front line")
    desktop = new_ticket(dora, marta, "opened by desktop")
    assert [t.id for t in desk.queue_page("department").rows] == [front.id]
    assert [t.id for t in dora.queue_page("department").rows] == [desktop.id]
    assert desk.queue_page("all").total == 2
    dora.close()


def test_unknown_queue_view_is_refused(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="unknown queue view 'everything'"):
        desk.queue_page("everything")


def test_unknown_ticket_status_filter_is_refused(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="unknown status"):
        desk.tickets("pending")


def test_unknown_ticket_number(desk: Desk) -> None:
    with pytest.raises(NotFound, match="no ticket #404"):
        desk.ticket(404)
    with pytest.raises(NotFound, match="no ticket #404"):
        desk.add_note(404, "hello")


# -- notes and priority ----------------------------------------------------------------------


def test_add_note_writes_a_note_event_and_bumps_the_version(
    desk: Desk, marta: Customer, clock: FrozenClock
) -> None:
    ticket = new_ticket(desk, marta)
    clock.advance(minutes=42)
    noted = desk.add_note(ticket.id, "Called back, no answer")
    assert noted.version == ticket.version + 1
    assert noted.updated_at == T0 + timedelta(minutes=42)
    assert noted.status == "open"
    event = desk.ticket_view(ticket.id).events[-1]
    assert (event.kind, event.note, event.actor) == ("note", "Called back, no answer", "admin")
    assert event.at == T0 + timedelta(minutes=42)


def test_empty_note_is_refused(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    with pytest.raises(InvalidInput, match="note is required"):
        desk.add_note(ticket.id, " \n ")
    assert desk.ticket(ticket.id).version == ticket.version
    assert len(desk.ticket_view(ticket.id).events) == 1


def test_set_priority_writes_a_changed_event_with_old_and_new(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    changed = desk.set_priority(ticket.id, "urgent")
    assert changed.priority == "urgent"
    assert changed.version == ticket.version + 1
    event = desk.ticket_view(ticket.id).events[-1]
    assert (event.kind, event.field, event.old_value, event.new_value) == (
        "changed",
        "priority",
        "normal",
        "urgent",
    )


def test_setting_the_same_priority_changes_nothing(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    same = desk.set_priority(ticket.id, "normal")
    assert same.version == ticket.version
    assert len(desk.ticket_view(ticket.id).events) == 1


def test_unknown_priority_is_refused(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    with pytest.raises(InvalidInput, match="unknown priority 'asap'"):
        desk.set_priority(ticket.id, "asap")
    assert desk.ticket(ticket.id) == ticket


# -- two consoles, one ticket -------------------------------------------------------------


def test_stale_edit_is_refused_naming_who_changed_it(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    seen = desk.ticket(ticket.id)  # this console shows version v

    lee = as_user(desk, "lee")
    lee.set_priority(ticket.id, "high", expected_version=seen.version)
    lee.close()
    after_lee = desk.ticket_view(ticket.id)

    with pytest.raises(StaleEdit) as caught:
        desk.set_priority(ticket.id, "urgent", expected_version=seen.version)
    message = str(caught.value)
    assert "lee" in message
    assert "nothing was saved" in message
    now = desk.ticket_view(ticket.id)
    assert now.ticket == after_lee.ticket
    assert now.ticket.priority == "high"
    assert now.events == after_lee.events


@pytest.mark.parametrize("action", ["resolve", "close", "reopen"])
def test_stale_version_is_refused_for_status_changes(
    desk: Desk, marta: Customer, action: str
) -> None:
    ticket = new_ticket(desk, marta)
    if action in ("close", "reopen"):
        desk.resolve(ticket.id, "done")
    seen = desk.ticket(ticket.id)
    desk.add_note(ticket.id, "someone else wrote in between")
    before = desk.ticket_view(ticket.id)
    with pytest.raises(StaleEdit):
        if action == "resolve":
            desk.resolve(ticket.id, "fixed", expected_version=seen.version)
        elif action == "close":
            desk.close_ticket(ticket.id, expected_version=seen.version)
        else:
            desk.reopen_ticket(ticket.id, "again", expected_version=seen.version)
    after = desk.ticket_view(ticket.id)
    assert after.ticket == before.ticket and after.events == before.events


def test_current_version_is_accepted(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    done = desk.resolve(ticket.id, "fixed", expected_version=ticket.version)
    assert done.status == "resolved"


# -- resolve, close, reopen --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_resolve_needs_a_resolution_text(desk: Desk, marta: Customer, text: str) -> None:
    ticket = new_ticket(desk, marta)
    with pytest.raises(InvalidInput, match="resolution is required"):
        desk.resolve(ticket.id, text)
    assert desk.ticket(ticket.id) == ticket


def test_resolve_stores_the_resolution_and_time(
    desk: Desk, marta: Customer, clock: FrozenClock
) -> None:
    ticket = new_ticket(desk, marta)
    clock.advance(hours=3)
    done = desk.resolve(ticket.id, "Reseated the cable")
    assert done.status == "resolved"
    assert done.resolution == "Reseated the cable"
    assert done.resolved_at == T0 + timedelta(hours=3)
    event = desk.ticket_view(ticket.id).events[-1]
    assert (event.kind, event.old_value, event.new_value) == ("resolved", "open", "resolved")
    assert event.note.startswith("Reseated the cable")


def test_resolving_twice_is_forbidden(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    desk.resolve(ticket.id, "done")
    with pytest.raises(Forbidden, match=f"#{ticket.id}"):
        desk.resolve(ticket.id, "done again")


def test_close_only_from_resolved(desk: Desk, marta: Customer, clock: FrozenClock) -> None:
    ticket = new_ticket(desk, marta)
    with pytest.raises(Forbidden, match="resolve it first"):
        desk.close_ticket(ticket.id)
    assert desk.ticket(ticket.id) == ticket
    desk.resolve(ticket.id, "done")
    clock.advance(days=1)
    closed = desk.close_ticket(ticket.id)
    assert closed.status == "closed"
    assert closed.closed_at == T0 + timedelta(days=1)
    with pytest.raises(Forbidden):
        desk.close_ticket(ticket.id)


def test_agent_may_reopen_a_resolved_ticket(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    desk.resolve(ticket.id, "done")
    alice = as_user(desk, "alice")
    reopened = alice.reopen_ticket(ticket.id, "Customer says it is back")
    alice.close()
    assert reopened.status == "open"
    assert reopened.resolved_at is None
    event = desk.ticket_view(ticket.id).events[-1]
    assert (event.kind, event.actor, event.note) == (
        "reopened",
        "alice",
        "Customer says it is back",
    )
    assert (event.old_value, event.new_value) == ("resolved", "open")


def test_agent_may_not_reopen_a_closed_ticket_but_a_lead_may(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    desk.resolve(ticket.id, "done")
    desk.close_ticket(ticket.id)
    closed = desk.ticket(ticket.id)

    alice = as_user(desk, "alice")
    with pytest.raises(Forbidden, match="leads"):
        alice.reopen_ticket(ticket.id, "please")
    alice.close()
    assert desk.ticket(ticket.id) == closed

    lee = as_user(desk, "lee")
    reopened = lee.reopen_ticket(ticket.id, "Same fault on the same machine")
    lee.close()
    assert reopened.status == "open" and reopened.closed_at is None


def test_reopen_needs_a_reason(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    desk.resolve(ticket.id, "done")
    with pytest.raises(InvalidInput, match="reason is required"):
        desk.reopen_ticket(ticket.id, "")
    assert desk.ticket(ticket.id).status == "resolved"


def test_open_ticket_cannot_be_reopened(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    with pytest.raises(Forbidden, match="still open"):
        desk.reopen_ticket(ticket.id, "why not")


def test_closed_ticket_takes_no_notes_or_priority_changes(desk: Desk, marta: Customer) -> None:
    ticket = new_ticket(desk, marta)
    desk.resolve(ticket.id, "done")
    desk.close_ticket(ticket.id)
    closed = desk.ticket(ticket.id)
    with pytest.raises(Forbidden, match="closed"):
        desk.add_note(ticket.id, "late note")
    with pytest.raises(Forbidden, match="closed"):
        desk.set_priority(ticket.id, "urgent")
    assert desk.ticket(ticket.id) == closed


# -- the journey is complete --------------------------------------------------------------------


def test_every_change_leaves_exactly_one_event(
    desk: Desk, marta: Customer, clock: FrozenClock
) -> None:
    ticket = new_ticket(desk, marta)
    lee = as_user(desk, "lee")
    steps = [
        (desk, lambda d: d.add_note(ticket.id, "first look"), "note"),
        (desk, lambda d: d.set_priority(ticket.id, "high"), "changed"),
        (lee, lambda d: d.add_note(ticket.id, "lead had a look"), "note"),
        (desk, lambda d: d.resolve(ticket.id, "fixed"), "resolved"),
        (desk, lambda d: d.reopen_ticket(ticket.id, "not fixed"), "reopened"),
        (desk, lambda d: d.set_priority(ticket.id, "urgent"), "changed"),
        (desk, lambda d: d.resolve(ticket.id, "fixed for real"), "resolved"),
        (desk, lambda d: d.close_ticket(ticket.id), "closed"),
        (lee, lambda d: d.reopen_ticket(ticket.id, "same fault"), "reopened"),
    ]
    for n, (actor, step, kind) in enumerate(steps, 1):
        clock.advance(minutes=10)
        before = desk.ticket_view(ticket.id).events
        result = step(actor)
        events = desk.ticket_view(ticket.id).events
        assert events[: len(before)] == before  # nothing rewritten
        assert len(events) == len(before) + 1
        assert events[-1].kind == kind
        assert events[-1].actor == actor.login
        assert events[-1].at == T0 + timedelta(minutes=10 * n)
        assert result.version == 1 + n
        assert result.updated_at == T0 + timedelta(minutes=10 * n)
        assert_history_consistent(desk, ticket.id)
    lee.close()


def test_timestamps_come_from_the_clock(desk: Desk, marta: Customer, clock: FrozenClock) -> None:
    clock.set(T0 - timedelta(days=400))
    ticket = new_ticket(desk, marta)
    assert ticket.created_at == T0 - timedelta(days=400)
    assert ticket.updated_at == ticket.created_at
    assert desk.ticket_view(ticket.id).events[0].at == ticket.created_at
    assert desk.queue_page().rows[0].created_at == T0 - timedelta(days=400)
