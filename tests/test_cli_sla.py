"""``helpdesk sla show|plans|critical`` and ``helpdesk ticket list --sort due --view breached``.

The CLI reads the wall clock; these tests make it read the fixture's frozen clock, so a
ticket set up through the desk and listed through the CLI agree on "now".
"""

from __future__ import annotations

import csv
import io
import json
import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import T0
from typer.testing import CliRunner, Result

from helpdesk_tui.cli import app
from helpdesk_tui.clock import Clock, FrozenClock
from helpdesk_tui.desk import Customer, Desk, Ticket, TicketDraft


@pytest.fixture(autouse=True)
def _plain_terminal_and_the_fixture_clock(
    monkeypatch: pytest.MonkeyPatch, clock: FrozenClock
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Clock, "now", lambda self: clock.now())


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, command: str) -> Result:
        return CliRunner().invoke(app, ["--db", str(self.db), *shlex.split(command)])


@pytest.fixture
def cli(desk: Desk, db_path: Path) -> Cli:
    return Cli(db_path)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def refused(result: Result, says: str, code: int = 1) -> None:
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], lines
    assert "Traceback" not in result.output


def open_for(desk: Desk, customer: Customer, priority: str = "normal", title: str = "x") -> Ticket:
    return desk.open_ticket(customer.id, TicketDraft(title, "general", priority=priority))


@pytest.fixture
def basic(desk: Desk) -> Customer:
    return desk.add_customer("Bea Basic", tier="basic")


@pytest.fixture
def premium(desk: Desk) -> Customer:
    return desk.add_customer("Pia Premium", tier="premium")


def test_sla_show_the_hand_calculated_case(
    cli: Cli, desk: Desk, clock: FrozenClock, basic: Customer
) -> None:
    """The case of test_sla.test_hand_calculated_due_and_breach, read through the CLI."""
    clock.set(datetime(2026, 12, 2, 13, tzinfo=UTC))  # Wed 14:00 in Madrid
    number = open_for(desk, basic, title="Payroll printer jams").id
    clock.set(datetime(2026, 12, 3, 9, tzinfo=UTC))
    desk.update_customer(number, "email", "Looking at it")
    clock.set(datetime(2026, 12, 3, 14, tzinfo=UTC))
    desk.request_info(number, "Which tray?")
    clock.set(datetime(2026, 12, 7, 9, tzinfo=UTC))
    desk.log_contact(
        channel="email",
        customer_id=basic.id,
        summary="Tray 2",
        outcome="existing",
        existing_ticket=number,
    )

    data = json.loads(ok(cli(f"sla show {number} --format json")))
    assert data["plan"]["name"] == "basic-standard" and data["calendar"]["name"] == "office"
    assert data["due_at"] == "2026-12-14T08:00:00Z" and data["state"] == "on track"
    clocks = {c["key"]: c for c in data["clocks"]}
    assert clocks["first_response"]["state"] == "met"
    assert clocks["first_response"]["met_at"] == "2026-12-03T09:00:00Z"
    resolution = clocks["resolution"]
    assert (resolution["target_seconds"], resolution["elapsed_seconds"]) == (50 * 3600, 11 * 3600)
    assert resolution["paused_seconds"] == 15 * 3600 and resolution["due"] == "2026-12-14T08:00:00Z"
    assert clocks["courtesy"]["basis"] == "wall"

    out = ok(cli(f"sla show {number}"))
    for expected in ["basic-standard", "office: Mon-Fri 08:00-18:00, Europe/Madrid", "50h", "11h"]:
        assert expected in out
    assert "15h" in out and "Mon 14 Dec 09:00 CET" in out and "waiting on customer" in out

    clock.set(datetime(2026, 12, 14, 8, tzinfo=UTC))
    assert json.loads(ok(cli(f"sla show {number} -f json")))["state"] == "breached"
    rows = json.loads(ok(cli("ticket list --view breached --format json")))
    assert [r["id"] for r in rows] == [number] and rows[0]["sla_state"] == "breached"
    assert rows[0]["due_at"] == "2026-12-14T08:00:00Z"


def test_ticket_list_sorted_by_due(
    cli: Cli, desk: Desk, clock: FrozenClock, basic: Customer, premium: Customer
) -> None:
    low = open_for(desk, basic, "low", "basic low").id
    clock.advance(minutes=10)
    normal = open_for(desk, premium, "normal", "premium normal").id
    clock.advance(minutes=10)
    urgent = open_for(desk, desk.resolve_customer("Marta Jones"), "urgent", "concierge").id

    def listed(options: str) -> list[int]:
        return [r["id"] for r in json.loads(ok(cli(f"ticket list {options} --format json")))]

    assert listed("") == [low, normal, urgent]
    assert listed("--sort age") == [low, normal, urgent]
    assert listed("--sort due") == [urgent, normal, low]
    assert listed("--sort due --limit 0") == [urgent, normal, low]
    assert listed("--sort due --limit 2") == [urgent, normal]
    clock.set(T0 + timedelta(minutes=45))
    assert listed("--view at-risk") == [urgent]
    assert listed("--view breached") == []
    clock.set(T0 + timedelta(minutes=50))
    assert listed("--view breached --sort due") == [urgent]
    assert listed("--view breached --sort age") == [urgent]  # allowed; slower on huge files
    assert listed("--view at-risk") == []

    table = ok(cli("ticket list --sort due"))
    assert table.index("concierge") < table.index("premium normal") < table.index("basic low")
    for header in ("Due", "SLA", "Plan"):
        assert header in table
    assert "breached" in table and "concierge-critical" in table

    rows = list(csv.DictReader(io.StringIO(ok(cli("ticket list --sort due --format csv")))))
    assert [r["sla_state"] for r in rows] == ["breached", "on track", "on track"]
    assert rows[0]["due_at"] == "2026-11-25T09:50:00Z"


def test_ticket_list_sort_and_views_refuse_bad_input(cli: Cli) -> None:
    refused(cli("ticket list --sort due --status closed"), "--sort lists open tickets")
    refused(cli("ticket list --view breached --status all"), "--view lists open tickets")
    result = cli("ticket list --sort soonest")
    assert result.exit_code == 2 and "soonest" in result.output


def test_sla_plans(cli: Cli) -> None:
    out = ok(cli("sla plans"))
    for expected in ["basic-standard", "concierge-critical", "business-critical", "24/7"]:
        assert expected in out
    data = json.loads(ok(cli("sla plans --format json")))
    plans = {p["name"]: p for p in data["plans"]}
    assert plans["concierge-critical"] == {
        "name": "concierge-critical",
        "calendar": "24x7",
        "first_response_minutes": 30,
        "courtesy_minutes": 240,
        "resolution_minutes": 480,
        "pause_statuses": ["waiting_customer"],
    }
    assert {
        "tier": "premium",
        "priority": "normal",
        "business_critical": True,
        "plan": "premium-critical",
    } in data["matrix"]
    office = next(c for c in data["calendars"] if c["name"] == "office")
    assert office["hours"]["monday"] == ["08:00-18:00"] and "saturday" not in office["hours"]
    assert "2026-12-08" in office["holidays"]


def test_sla_critical(cli: Cli, desk: Desk, basic: Customer, premium: Customer) -> None:
    mine = open_for(desk, premium).id
    theirs = open_for(desk, basic).id
    assert ok(cli(f"sla critical {mine}")) == (
        f"ticket #{mine} business-critical, SLA plan premium-critical\n"
    )
    assert ok(cli(f"sla critical {mine} --off")) == (
        f"ticket #{mine} not business-critical, SLA plan premium-standard\n"
    )
    refused(cli(f"sla critical {theirs}"), "only premium and concierge customers")
    assert desk.ticket(theirs).business_critical is False


def test_sla_show_refuses_unknown_tickets(cli: Cli) -> None:
    refused(cli("sla show 404"), "no ticket #404")
    refused(cli("sla show 404 --format json"), "no ticket #404")


def test_sla_show_of_a_ticket_without_a_plan(cli: Cli, desk: Desk, basic: Customer) -> None:
    number = open_for(desk, basic).id
    desk.store.sla.set_derived(number, {"sla_plan": None, "due_at": None})
    assert "none" in ok(cli(f"sla show {number}"))
    data = json.loads(ok(cli(f"sla show {number} -f json")))
    assert data["plan"] is None and data["clocks"] == [] and data["state"] == ""


def test_markup_in_titles_shows_literally(cli: Cli, desk: Desk, premium: Customer) -> None:
    number = open_for(desk, premium, title="[red]x[/red] [@click=app.quit]q").id
    assert "[red]x[/red] [@click=app.quit]q" in ok(cli(f"sla show {number}"))
    assert "[red]x[/red]" in ok(cli("ticket list --sort due"))
