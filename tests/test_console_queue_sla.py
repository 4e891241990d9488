"""The queue screen's SLA side (issue 4): the due column, its colours, and the due order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import T0
from test_console import SIZE, queue_numbers, screen_text, settle
from textual.widgets import DataTable

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk, TicketDraft, courtesy
from helpdesk_tui.vocab import PRIORITIES
from helpdesk_tui.widgets.cells import SLA_STATE_STYLES

M = timedelta(minutes=1)


def _open(desk: Desk, customer: int, priority: str, title: str) -> int:
    return desk.open_ticket(customer, TicketDraft(title, "general", priority=priority)).id


def _due_cell(app: HelpdeskApp, number: int):
    table = app.screen.query_one(DataTable)
    return table.get_cell(str(number), "Due")


async def test_queue_shows_due_times_coloured_and_sorts_by_due_with_o(
    desk: Desk, clock: FrozenClock
) -> None:
    """A basic low ticket opened first is due tomorrow; a concierge urgent one opened
    20 minutes later is due in 30 minutes (24/7 plan): age order lists the low one
    first, due order the urgent one, and once its 30 minutes pass it reads "late" in red.
    """
    basic = desk.add_customer("Bea Basic", email="bea@example.org", tier="basic").id
    low = _open(desk, basic, "low", "basic low")
    clock.advance(minutes=20)
    urgent = _open(desk, 1, "urgent", "concierge urgent")
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert queue_numbers(app) == [low, urgent]  # oldest first by default
        cell = _due_cell(app, urgent)
        assert cell.plain == "in 30m" and cell.style == SLA_STATE_STYLES["on track"]

        await pilot.press("o")
        await settle(pilot)
        assert queue_numbers(app) == [urgent, low]
        assert "soonest due first" in screen_text(app)

        clock.set(T0 + 20 * M + 35 * M)  # five minutes past the urgent ticket's due time
        await pilot.press("r")
        await settle(pilot)
        cell = _due_cell(app, urgent)
        assert cell.plain == "5m late" and cell.style == SLA_STATE_STYLES["breached"]

        await pilot.press("o")  # back to oldest first
        await settle(pilot)
        assert queue_numbers(app) == [low, urgent]
        assert "oldest first" in screen_text(app)


async def test_paused_ticket_reads_paused_and_plan_courtesy_marks_update_due(
    desk: Desk, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Waiting on the customer pauses the clocks; the concierge plan's courtesy interval
    (not the per-priority fallback, made very long here) decides when Upd says "due"."""
    monkeypatch.setattr(courtesy, "courtesy_hours", lambda: dict.fromkeys(PRIORITIES, 1000.0))
    number = _open(desk, 1, "normal", "waiting one")
    desk.request_info(number, "Which printer?")
    interval = desk.courtesy_intervals()[desk.ticket(number).sla_plan]
    clock.advance(seconds=interval.total_seconds() + 60)
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _due_cell(app, number).plain == "paused"
        table = app.screen.query_one(DataTable)
        assert table.get_cell(str(number), "Upd").plain == "due"
