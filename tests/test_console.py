"""The console, headless: what an agent at the keyboard sees and does."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from conftest import as_user
from textual.widgets import DataTable, Input, OptionList, RadioSet, Select, Static, TextArea
from textual.worker import WorkerCancelled

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk, TicketDraft
from helpdesk_tui.screens.contact import ContactScreen
from helpdesk_tui.screens.queue import PAGE_SIZE, QueueScreen
from helpdesk_tui.screens.ticket import TicketScreen

SIZE = (120, 40)


async def settle(pilot, rounds: int = 3) -> None:
    """Let thread workers finish and their results render."""
    for _ in range(rounds):
        # An exclusive worker replaced by a newer one is cancelled: the newer one counts.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def open_ticket(
    desk: Desk,
    title: str,
    *,
    customer: int = 1,
    category: str = "general",
    fields: dict[str, str] | None = None,
) -> int:
    result = desk.log_contact(
        channel="phone",
        customer_id=customer,
        summary=f"call about {title}",
        outcome="ticket",
        ticket=TicketDraft(title, category, fields or {}),
    )
    assert result.ticket is not None
    return result.ticket.id


def queue_numbers(app: HelpdeskApp) -> list[int]:
    table = app.screen.query_one(DataTable)
    return [int(str(row.value)) for row in table.rows]


def screen_text(app: HelpdeskApp) -> str:
    """What the terminal would show, as plain text (markup already applied)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[ch if ch != " " else "space" for ch in text])


async def test_queue_lists_open_tickets_oldest_first(desk: Desk, clock: FrozenClock) -> None:
    older = Desk(desk.store, login="admin", clock=FrozenClock(clock.now() - timedelta(days=5)))
    newest = open_ticket(desk, "Opened today")
    oldest = open_ticket(older, "Opened five days ago")
    closed = open_ticket(desk, "Already solved")
    desk.resolve(closed, "done")
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert queue_numbers(app) == [oldest, newest]
        title = str(app.screen.query_one("#queue-title", Static).render())
        assert "1-2 of 2" in title


async def test_queue_pages_past_the_first_page(desk: Desk, clock: FrozenClock) -> None:
    numbers = []
    for n in range(PAGE_SIZE + 12):
        clock.advance(minutes=5)
        numbers.append(open_ticket(desk, f"Problem {n}"))
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert queue_numbers(app) == numbers[:PAGE_SIZE]
        table = app.screen.query_one(DataTable)
        while table.cursor_row < PAGE_SIZE - 1:  # PageDown to the last loaded row...
            await pilot.press("pagedown")
        await pilot.press("pagedown")  # ...and past it: the next page loads
        await settle(pilot)
        assert queue_numbers(app) == numbers[PAGE_SIZE:]
        title = str(app.screen.query_one("#queue-title", Static).render())
        assert f"{PAGE_SIZE + 1}-{PAGE_SIZE + 12} of {PAGE_SIZE + 12}" in title
        await pilot.press("up")  # back before the first row: previous page
        await settle(pilot)
        assert queue_numbers(app) == numbers[:PAGE_SIZE]
        assert table.cursor_row == PAGE_SIZE - 1
        await pilot.press("ctrl+end")  # the very end of the queue
        await settle(pilot)
        assert queue_numbers(app)[-1] == numbers[-1]
        assert table.cursor_row == table.row_count - 1


async def test_queue_refreshes_when_another_console_writes(desk: Desk) -> None:
    first = open_ticket(desk, "Mine")
    app = HelpdeskApp(desk, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert queue_numbers(app) == [first]
        other = as_user(desk, "alice")  # a second connection, as another agent would have
        second = open_ticket(other, "Logged by Alice in her console")
        other.close()
        for _ in range(200):  # up to ~10 s on a loaded machine; usually a few polls
            await pilot.pause(0.05)
            await settle(pilot, 1)
            if len(queue_numbers(app)) == 2:
                break
        assert queue_numbers(app) == [first, second]


async def test_user_text_is_shown_literally(desk: Desk) -> None:
    hostile = desk.add_customer("[b]B[/b]\x1b[31mX", tier="concierge")
    open_ticket(desk, "[@click=app.quit]q[/b][0]", customer=hostile.id)
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shot = screen_text(app)
        assert "[b]B[/b]␛[31mX" in shot
        assert "[@click=app.quit]q[/b][0]" in shot
        assert "\x1b" not in shot and "␛[31m" in shot
        await pilot.click("#queue-table", offset=(60, 1))  # a link would have quit the app
        await settle(pilot)
        assert app.is_running


async def test_log_contact_answered_at_first_contact(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await type_text(pilot, "marta")
        await settle(pilot)
        await pilot.press("enter")  # picks the highlighted match
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#summary")
        await type_text(pilot, "When is the office open on Saturday?")
        await pilot.press("ctrl+s")
        await settle(pilot)
    contacts = desk.contacts()
    assert len(contacts) == 1
    assert contacts[0].outcome == "answered" and contacts[0].ticket_id is None
    assert contacts[0].summary == "When is the office open on Saturday?"
    assert contacts[0].customer_name == "Marta Jones"
    assert contacts[0].channel == "phone"
    assert desk.tickets("all") == []


async def test_log_contact_that_opens_a_ticket_with_category_fields(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "marta")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "Laptop will not boot")
        screen.query_one(RadioSet).query("RadioButton")[2].value = True  # Open a ticket
        await settle(pilot)
        screen.query_one("#title", Input).value = "Laptop stuck at logo"
        screen.query_one("#category", Select).value = "computer"
        await settle(pilot)
        # Saving without the required fields is refused, naming the field.
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(screen.query_one("#form-error").render())
        assert "Operating system is required" in error
        assert desk.contacts() == []
        assert screen.query_one("#field-operating_system", Input).has_class("-invalid")
        assert screen.query_one("#title", Input).value == "Laptop stuck at logo"  # kept
        screen.query_one("#field-operating_system", Input).value = "Windows 11 23H2"
        screen.query_one("#field-memory", Input).value = "16 GB"
        screen.query_one("#field-machine_name", Input).value = "LT-0423"
        screen.query_one("#priority", Select).value = "high"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#summary", Input).value == ""  # cleared for the next call
        assert screen.query_one(OptionList).option_count == 0
    [contact] = desk.contacts()
    assert contact.outcome == "ticket" and contact.ticket_id is not None
    ticket = desk.ticket(contact.ticket_id)
    assert ticket.title == "Laptop stuck at logo"
    assert ticket.priority == "high"
    assert ticket.fields == {
        "operating_system": "Windows 11 23H2",
        "memory": "16 GB",
        "machine_name": "LT-0423",
    }
    assert ticket.department == "Service Desk"  # with the front line until triage routes it


async def test_add_note_and_resolve_from_the_ticket_screen(desk: Desk) -> None:
    number = open_ticket(
        desk, "Printer jams", category="printer", fields={"printer_name": "PRN-3F"}
    )
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one(TextArea).text = "Called back: [b]still[/b] jamming"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert "Called back: [b]still[/b] jamming" in screen_text(app)
        # Resolving needs the resolution text: an empty one is refused, dialog stays.
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "resolution is required" in str(app.screen.query_one("#dialog-error").render())
        app.screen.query_one(TextArea).text = "Replaced the fuser unit"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert queue_numbers(app) == []
    view = desk.ticket_view(number)
    assert view.ticket.status == "resolved"
    assert view.ticket.resolution == "Replaced the fuser unit"
    assert [e.kind for e in view.events] == ["created", "note", "resolved"]
    assert view.events[1].note == "Called back: [b]still[/b] jamming"


async def test_stale_resolve_is_refused_and_text_kept(desk: Desk) -> None:
    number = open_ticket(desk, "Shared drive missing")
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("#")
        await settle(pilot)
        await type_text(pilot, str(number))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("s")
        await settle(pilot)
        other = as_user(desk, "lee")
        other.set_priority(number, "urgent")  # Lee changes it meanwhile
        other.close()
        app.screen.query_one(TextArea).text = "Remapped the drive"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(app.screen.query_one("#dialog-error").render())
        assert "changed by someone else" in error and "lee" in error
        assert app.screen.query_one(TextArea).text == "Remapped the drive"
        assert desk.ticket(number).status == "open"
        await pilot.press("ctrl+s")  # having been told, the agent saves again deliberately
        await settle(pilot)
    assert desk.ticket(number).status == "resolved"
    assert desk.ticket(number).priority == "urgent"


@pytest.mark.parametrize("key,screen_type", [("2", ContactScreen), ("1", QueueScreen)])
async def test_sections_are_one_key_away(desk: Desk, key: str, screen_type: type) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, screen_type)


async def test_new_customer_added_on_the_spot_during_intake(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Zed Newman")
        await pilot.press("ctrl+n")
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#f-name", Input).value == "Zed Newman"  # what was typed
        dialog.query_one("#f-email", Input).value = "not an address"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # refused: the dialog stays, the field is marked
        assert dialog.query_one("#f-email", Input).has_class("-invalid")
        assert "is not an e-mail address" in str(dialog.query_one("#dialog-error").render())
        dialog.query_one("#f-email", Input).value = "zed@example.org"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.customer is not None and app.screen.customer.name == "Zed Newman"
        assert app.screen.focused is app.screen.query_one("#summary")
    [zed] = desk.find_customers("Zed")
    assert zed.email == "zed@example.org" and zed.tier == "basic"


async def test_intake_shows_entitlement_support_and_warranty_and_needs_an_override(
    desk: Desk,
) -> None:
    ben = desk.add_customer("Ben Basic", email="ben@example.org")  # basic: no phone support
    asset = desk.add_asset(ben.id, "win10_desktop", serial="SN-1", warranty_end="2025-01-31")
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "ben")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Not entitled (basic)" in screen_text(app)  # before any ticket exists
        assert "self-service portal" in screen_text(app)
        await type_text(pilot, "PC will not start")
        screen.query_one(RadioSet).query("RadioButton")[2].value = True  # Open a ticket
        await settle(pilot)
        screen.query_one("#title", Input).value = "PC dead"
        screen.query_one("#category", Select).value = "general"
        screen.query_one("#product", Select).value = "win10_desktop"
        await settle(pilot)
        screen.query_one("#asset", Select).value = asset.id
        await settle(pilot)
        shown = screen_text(app)
        assert "Support for Windows 10" in shown and "2025-10-14" in shown  # wrapped in the card
        assert "expired" in shown
        await pilot.press("ctrl+s")  # not entitled, no override reason: refused
        await settle(pilot)
        assert screen.query_one("#override-reason", Input).has_class("-invalid")
        assert desk.tickets("all") == []
        screen.query_one("#override-reason", Input).value = "Site manager asked us to help"
        await pilot.press("ctrl+s")
        await settle(pilot)
    [ticket] = desk.tickets("all")
    assert ticket.warranty == "expired" and ticket.asset_id == asset.id
    kinds = [e.kind for e in desk.ticket_view(ticket.id).events]
    assert kinds == ["created", "entitlement_override"]


async def test_a_bulletin_posted_elsewhere_reaches_an_open_console(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No active bulletins" in screen_text(app)
        lead = as_user(desk, "lee")  # another console, another connection
        lead.post_bulletin(
            title="Mail server down [@click=app.quit]x",
            answer="We know; fixed by 14:00 [b]today[/b]",
            severity="critical",
        )
        lead.close()
        for _ in range(200):
            await pilot.pause(0.05)
            await settle(pilot, 1)
            if "Mail server down" in screen_text(app):
                break
        shown = screen_text(app)
        assert "CRITICAL" in shown and "Mail server down [@click=app.quit]x" in shown
        assert "We know; fixed by 14:00 [b]today[/b]" in shown  # literally, no markup run
        notes = [n.message for n in app._notifications]
        assert any("Bulletin posted: Mail server down" in m for m in notes)
        assert app.is_running
