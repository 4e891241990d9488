"""The Metrics section (key 6) headless: a lead looks at the figures, changes the period
and the breakdown, and exports every table; an agent sees no per-agent figures."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from metrics_data import Data, build
from textual.widgets import Select, Sparkline, Static, TextArea
from textual.worker import WorkerCancelled

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.desk import Desk, TicketDraft
from helpdesk_tui.screens.metrics import MetricsScreen

SIZE = (140, 50)


async def settle(pilot, rounds: int = 4) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def text_of(app: HelpdeskApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    from rich.console import Console

    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(widget.content)
    return console.export_text()


@pytest.fixture
def data(desk: Desk) -> Data:
    return build(desk)


async def test_a_lead_sees_the_figures_and_chooses_the_period(data: Data) -> None:
    app = HelpdeskApp(data.lee, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert screen.figures is not None and screen.figures.period.name == "30d"
        assert not screen.query_one("#metrics-loading").display
        contacts = text_of(app, "#m-contacts")
        # the last 30 days hold c0 (Friday 20th) and c1..c7
        assert "Contacts                         8" in contacts
        assert "peak Mon 09:00, 2" in text_of(app, "#m-heatmap")
        assert sum(screen.query_one(Sparkline).data) == 8  # type: ignore[arg-type]
        assert "3 open tickets by age" in text_of(app, "#m-ages")
        rest = text_of(app, "#m-rest")
        for words in ("Products most asked about", "Laptop X1", "Took too long", "Agents"):
            assert words in rest
        title = str(screen.query_one("#metrics-title", Static).render())
        assert "last 30 days" in title

        await pilot.press("t")  # today (Wed, frozen at 12:00): c6 and c7
        await settle(pilot)
        assert screen.figures.period.name == "today"
        assert screen.figures.contacts.total == 2  # type: ignore[union-attr]
        assert "today" in str(screen.query_one("#metrics-title", Static).render())

        await pilot.press("c")  # custom: Monday only
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#f-from").value = "2026-11-23"  # type: ignore[attr-defined]
        dialog.query_one("#f-to").value = "2026-11-23"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.figures.contacts.total == 3  # type: ignore[union-attr]

        await pilot.press("b")
        await settle(pilot)
        app.screen.query_one("#f-by", Select).value = "channel"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.by == "channel" and screen.figures.breakdown is not None
        assert "By channel" in text_of(app, "#m-rest")


async def test_custom_dates_that_do_not_parse_keep_the_dialog_open(data: Data) -> None:
    app = HelpdeskApp(data.lee, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#f-from").value = "2026-11-25"  # type: ignore[attr-defined]
        dialog.query_one("#f-to").value = "2026-11-01"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#dialog-error", Static).render())
        assert "is after --to" in error
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.period_name == "30d"


async def test_every_table_exports_to_csv(
    data: Data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = HelpdeskApp(data.lee, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        [folder] = list(tmp_path.glob("helpdesk-report-*"))
        names = sorted(p.name for p in folder.iterdir())
        assert "contacts-heatmap.csv" in names and "agents-agents.csv" in names
        assert "staffing-hours.csv" in names and len(names) >= 20
        header = (folder / "contacts-by_channel.csv").read_text().splitlines()
        assert header[:2] == ["channel,contacts", "phone,3"]
        messages = [str(n.message) for n in app._notifications]
        assert any(str(folder) in m and "tables written as CSV" in m for m in messages)


async def test_an_agent_sees_no_per_agent_figures(data: Data) -> None:
    app = HelpdeskApp(data.alice, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        assert screen.figures is not None and screen.figures.agents is None
        assert "Agents (leads" not in text_of(app, "#m-rest")
        await pilot.press("b")
        await settle(pilot)
        values = [v for _, v in app.screen.query_one("#f-by", Select)._options]
        assert "agent" not in values and "channel" in values


async def test_closing_a_ticket_asks_for_the_rating(desk: Desk) -> None:
    result = desk.log_contact(
        channel="phone", customer_id=1, summary="s", outcome="ticket",
        ticket=TicketDraft("Printer offline", "general"),
    )  # fmt: skip
    assert result.ticket is not None
    number = result.ticket.id
    desk.resolve(number, "Restarted the spooler")
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_ticket(number)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#f-rating", Select).value = "5"
        dialog.query_one("#f-comment", TextArea).text = "Quick, thanks [b]!"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert desk.ticket(number).status == "closed"
    closed = [e for e in desk.ticket_view(number).events if e.kind == "closed"][-1]
    assert closed.changes["rating"] == 5 and closed.changes["comment"] == "Quick, thanks [b]!"
