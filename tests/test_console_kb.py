"""Knowledge trees in the console: an agent on the phone finds a tree, walks it with y/n
and ends it by one key (resolve, send to triage, didn't help), from a ticket, from the
contact being logged, or from the Knowledge section."""

from __future__ import annotations

import contextlib

from textual.widgets import Input, OptionList, RadioSet, Select, TextArea
from textual.worker import WorkerCancelled

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.desk import Desk, TicketDraft
from helpdesk_tui.desk.knowledge_tree import Node
from helpdesk_tui.screens.contact import ContactScreen
from helpdesk_tui.screens.form_dialog import FormDialog
from helpdesk_tui.screens.kb_walk import WalkScreen
from helpdesk_tui.screens.knowledge import KnowledgeScreen
from helpdesk_tui.screens.ticket import TicketScreen

SIZE = (120, 40)
PRINTER = "printer_wont_print"


async def settle(pilot, rounds: int = 3) -> None:
    """Let thread workers (the debounced search too) finish and their results render."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def screen_text(app: HelpdeskApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[ch if ch != " " else "space" for ch in text])


def console(desk: Desk, login: str) -> HelpdeskApp:
    return HelpdeskApp(Desk.open(desk.store.path, login=login, clock=desk.clock), poll_seconds=60)


def printer_ticket(desk: Desk) -> int:
    draft = TicketDraft("Printer on floor 2 prints nothing", "printer", {"printer_name": "PR-2"})
    return desk.open_ticket(1, draft).id


async def open_ticket(pilot, number: int) -> None:
    await pilot.press("#")
    await settle(pilot)
    await pilot.press(*str(number), "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TicketScreen)


async def find_printer_tree(pilot) -> None:
    """On a search screen: type "print", and the printer tree is the first result."""
    assert isinstance(pilot.app.screen, KnowledgeScreen)
    await type_text(pilot, "print")
    await settle(pilot)
    results = pilot.app.screen.query_one("#kb-results", OptionList)
    assert results.get_option_at_index(results.highlighted).id == PRINTER
    assert "Printer will not print" in screen_text(pilot.app)


async def test_agent_finds_the_printer_tree_walks_it_and_resolves_the_ticket(desk: Desk) -> None:
    number = printer_ticket(desk)
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_ticket(pilot, number)
        await pilot.press("w")  # walk a tree: search filtered by the ticket's category
        await settle(pilot)
        await find_printer_tree(pilot)
        assert "Only articles for ticket" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WalkScreen)
        shot = screen_text(app)
        assert "Is the printer switched on, with its display lit?" in shot
        assert "No questions answered yet" in shot
        await pilot.press("y")
        await pilot.press("n")  # no error shown... wrong: go back
        assert "Can other people print to this printer?" in screen_text(app)
        assert "How to check: Ask a colleague nearby" in screen_text(app)  # the hint
        await pilot.press("b")
        await pilot.press("y", "y")
        shot = screen_text(app)
        assert "Solution: Clear the paper jam" in shot
        # The path so far: each question with its answer.
        assert "1. Is the printer switched on, with its display lit?  -> yes" in shot
        assert "3. Is it a paper jam?  -> yes" in shot
        assert f"resolve #{number} with this" in shot
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)  # back on the ticket, reloaded
        shot = screen_text(app)
        assert "Resolved" in shot and "Clear the paper jam" in shot
        assert "reached: solution 'Clear the paper jam'" in shot  # the walk event
    ticket = desk.ticket(number)
    assert ticket.status == "resolved"
    assert ticket.resolution.startswith("Clear the paper jam\n1. Open the doors")
    events = desk.ticket_view(number).events
    walk = [e for e in events if e.kind == "walk"]
    assert len(walk) == 1 and walk[0].actor == "alice"
    assert walk[0].note.startswith("Q: Is the printer switched on, with its display lit? -> yes;")
    assert walk[0].note.endswith(
        "Q: Is it a paper jam? -> yes; reached: solution 'Clear the paper jam'"
    )
