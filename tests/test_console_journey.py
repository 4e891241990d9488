"""The ticket's journey through the console: triage decisions and escalation by key."""

from __future__ import annotations

import contextlib

from textual.widgets import Input, Select, TextArea
from textual.worker import WorkerCancelled

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.desk import Desk, TicketDraft
from helpdesk_tui.screens.form_dialog import FormDialog
from helpdesk_tui.screens.queue import QueueScreen
from helpdesk_tui.screens.ticket import TicketScreen

SIZE = (130, 40)


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        # An exclusive worker replaced by a newer one is cancelled: the newer one counts.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def wifi_ticket(desk: Desk, priority: str = "high") -> int:
    result = desk.log_contact(
        channel="phone",
        customer_id=1,
        summary="no Wi-Fi on floor 2",
        outcome="ticket",
        ticket=TicketDraft(
            "No Wi-Fi on floor 2", "network", {"location": "B1 floor 2"}, priority=priority
        ),
    )
    assert result.ticket is not None
    return result.ticket.id


def console(desk: Desk, login: str) -> HelpdeskApp:
    return HelpdeskApp(Desk.open(desk.store.path, login=login, clock=desk.clock), poll_seconds=60)


def screen_text(app: HelpdeskApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def open_number(pilot, number: int) -> None:
    await pilot.press("#")
    await settle(pilot)
    await pilot.press(*str(number), "enter")
    await settle(pilot)


async def fill(pilot, values: dict[str, str]) -> None:
    """Fill the open form dialog and save it with ctrl+s."""
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    for key, value in values.items():
        widget = dialog.query_one(f"#f-{key}")
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select | Input):
            widget.value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_front_line_sends_to_triage_and_level_2_takes_it(desk: Desk) -> None:
    desk.add_user("bob", "Bob Net", "agent", 2, "Network")
    number = wifi_ticket(desk)
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await open_number(pilot, number)
        await pilot.press("t")
        await settle(pilot)
        await fill(pilot, {"tried": "Rebooted the access point"})  # routed to Network
        assert isinstance(app.screen, TicketScreen)
        assert "With Network, level 2, in triage" in screen_text(app)
        await pilot.press("k")  # a level 1 agent cannot take it in triage
        await settle(pilot)
        assert desk.ticket(number).owner is None
    app = console(desk, "bob")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        app.screen.show_view("triage")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert "owned by Bob Net" in screen_text(app)
    ticket = desk.ticket(number)
    assert (ticket.status, ticket.owner, ticket.department, ticket.level) == (
        "open",
        "bob",
        "Network",
        2,
    )
    kinds = [e.kind for e in desk.ticket_view(number).events]
    assert kinds == ["created", "triage", "taken"]


async def test_escalation_to_a_vendor_and_back(desk: Desk) -> None:
    desk.add_user("cara", "Cara Core", "agent", 3, "Network")
    number = wifi_ticket(desk, priority="urgent")
    app = console(desk, "cara")
    async with app.run_test(size=SIZE) as pilot:
        await open_number(pilot, number)
        await pilot.press("e")
        await settle(pilot)
        await fill(pilot, {"reason": "Controller fault", "tried": "Reboot, config check"})
        await pilot.press("e")
        await settle(pilot)
        await fill(pilot, {"reason": "Needs a vendor patch", "tried": "Level 3 diagnosis"})
        assert desk.ticket(number).level == 3
        await pilot.press("e")  # past level 3: the vendor's details are required
        await settle(pilot)
        await fill(
            pilot,
            {
                "reason": "Firmware bug",
                "tried": "All of the above",
                "vendor": "Aruba",
                "vendor_ref": "",
                "vendor_due": "2026-12-04",
            },
        )
        dialog = app.screen
        assert isinstance(dialog, FormDialog)  # refused: stays open with the text
        assert "case reference" in str(dialog.query_one("#dialog-error").render())
        assert dialog.query_one("#f-vendor", Input).value == "Aruba"
        await fill(pilot, {"vendor_ref": "AR-7781"})
        assert isinstance(app.screen, TicketScreen)
        text = screen_text(app)
        assert "With the external vendor Aruba (case AR-7781)" in text
        assert "flagged for the team lead" in text
        await pilot.press("u")
        await settle(pilot)
        await fill(pilot, {"channel": "email", "message": "The vendor is working on a fix"})
        await pilot.press("d")
        await settle(pilot)
        await fill(pilot, {"reason": "Patch installed"})
    ticket = desk.ticket(number)
    assert (ticket.level, ticket.status, ticket.escalations, ticket.returns) == (3, "triage", 3, 1)
    assert ticket.vendor == "Aruba" and ticket.vendor_ref == "AR-7781"
    assert ticket.lead_flag
    view = desk.ticket_view(number)
    assert [e.kind for e in view.events][-2:] == ["customer_update", "deescalated"]
    assert "Last update to the customer today" in view.where
