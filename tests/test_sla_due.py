"""The due time stored on every change is the one the full SLA clocks give (issue 9).

``sla_clocks.due_at`` skips the clocks' elapsed-time arithmetic (it walked every
day since the ticket opened); on a demo history it must agree with
``ticket_due(plan_clocks(...))`` for every ticket, open or not, at any moment.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import T0

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk
from helpdesk_tui.desk.demo import build_demo
from helpdesk_tui.desk.sla_clocks import due_at, plan_clocks, ticket_due


def test_due_at_agrees_with_the_full_clocks_on_a_demo_history(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path, tickets=600, open_share=0.3, login="admin", clock=FrozenClock(T0))
    desk = Desk.open(path, login="admin", clock=FrozenClock(T0))
    try:
        calendars = {c.name: c for c in desk.calendars()}
        plans = {p.name: p for p in desk.sla_plans()}
        checked = dated = 0
        for ticket in desk.store.tickets.list(None):
            plan = plans[ticket.sla_plan or ""]
            cal = calendars[plan.calendar]
            events = desk.store.events.for_ticket(ticket.id)
            mine = due_at(plan, cal, ticket, events)
            for now in (T0, T0 + timedelta(days=40)):
                clocks = plan_clocks(plan, cal, ticket, events, now)
                assert mine == ticket_due(ticket.status, clocks), ticket.id
            checked += 1
            dated += mine is not None
        assert checked == 600 and dated > 50
    finally:
        desk.close()
