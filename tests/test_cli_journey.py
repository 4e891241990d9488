"""Issue 3 on the command line: a ticket's journey through triage, ownership, the
escalation ladder, customer updates and links, the queue views, and ``ticket show``.

The CLI opens its own Desk on the real clock; set-ups that need the past (a
ticket owing a courtesy update, exact times at each level) are made through a
Desk handle with a frozen clock and then read back through the CLI.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import as_user
from typer.testing import CliRunner, Result

from helpdesk_tui.cli import app
from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk, TicketDraft

WIFI = {"location": "B2 floor 3", "connection": "wi-fi"}


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide, colourless terminal: cells are not truncated and any ESC came from data."""
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def team(desk: Desk) -> Desk:
    """The desk fixture plus a level 2 and a level 3 Network specialist."""
    desk.add_user("bob", "Bob Builder", "agent", 2, "Network")
    desk.add_user("cara", "Cara Core", "agent", 3, "Network")
    return desk


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, command: str, *extra: str, as_: str | None = None) -> Result:
        """One shell-quoted command line, ``--db`` first; ``as_`` adds ``--as LOGIN``."""
        who = ["--as", as_] if as_ else []
        argv = ["--db", str(self.db), *who, *shlex.split(command), *extra]
        return CliRunner().invoke(app, argv)


@pytest.fixture
def cli(team: Desk, db_path: Path) -> Cli:
    return Cli(db_path)


@pytest.fixture
def fresh(db_path: Path) -> Iterator[Any]:
    """Read the file through a new handle each time, as another console would."""
    handles: list[Desk] = []

    def open_(login: str = "admin", clock: FrozenClock | None = None) -> Desk:
        handle = Desk.open(db_path, login=login, clock=clock)
        handles.append(handle)
        return handle

    yield open_
    for handle in handles:
        handle.close()


def ok(result: Result) -> list[str]:
    """The stdout lines of a command that must have succeeded."""
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout.splitlines()


def refused(result: Result, says: str) -> str:
    """One ``error:`` line on stderr naming the reason, nothing on stdout, exit 1."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and says in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def new_ticket(
    desk: Desk, title: str = "Wi-Fi drops", category: str = "network", priority: str = "normal"
) -> int:
    fields = WIFI if category == "network" else {}
    return desk.open_ticket(1, TicketDraft(title, category, fields, priority)).id


# -- the whole journey -------------------------------------------------------------------------


def test_a_ticket_travels_from_contact_to_vendor_and_back_to_closure(cli: Cli, fresh: Any) -> None:
    opened = ok(
        cli(
            "contact log --channel phone --customer 1 --summary 'Wi-Fi keeps dropping' "
            "--title 'Wi-Fi drops on floor 3' --category network "
            "--field 'location=B2 floor 3' --priority high",
            as_="alice",
        )
    )
    assert opened == ["contact 1 logged: ticket #1 opened"]

    state, where = ok(cli("ticket triage 1 --tried 'Forgot and rejoined the network'", as_="alice"))
    assert state == "ticket #1: triage, with Network, level 2, owner -"
    assert where.startswith("With Network, level 2, in triage since today at ")
    assert where.endswith("No update sent to the customer yet.")

    refused(
        cli("ticket take 1", as_="alice"),
        "only level 2 or 3 specialists, leads and admins may take ownership of ticket #1",
    )
    state, where = ok(cli("ticket take 1", as_="bob"))
    assert state == "ticket #1: open, with Network, level 2, owner bob"
    assert where.startswith("With Network, level 2, owned by Bob Builder since today at ")
    refused(cli("ticket take 1", as_="lee"), "ticket #1 is already owned by bob")

    state, where = ok(cli("ticket request-info 1 --question 'Which access point?'", as_="bob"))
    assert state == "ticket #1: waiting on customer, with Network, level 2, owner bob"
    assert where.startswith("Waiting for the customer's answer since")
    answered = ok(
        cli(
            "contact log --channel email --customer 1 --summary 'AP-3' --outcome existing "
            "--ticket 1",
            as_="alice",
        )
    )
    assert answered == ["contact 2 logged, added to ticket #1"]
    back = fresh().ticket(1)
    assert (back.status, back.owner) == ("open", "bob")  # straight back to its owner

    state, _ = ok(cli("ticket escalate 1 --reason 'AP firmware' --tried 'Reset the AP'", as_="bob"))
    assert state == "ticket #1: triage, with Network, level 3, owner -"
    assert fresh().ticket(1).lead_flag  # high priority: the lead is told

    state, where = ok(
        cli(
            "ticket escalate 1 --reason 'Vendor bug' --tried 'Firmware downgrade' "
            "--vendor 'Acme Networks' --vendor-ref AN-4471 --vendor-due 2099-01-01",
            as_="cara",
        )
    )
    assert state == "ticket #1: waiting on vendor, with Network, external vendor, owner -"
    assert "external vendor Acme Networks (case AN-4471)" in where
    assert "promised by 2099-01-01" in where

    _, where = ok(
        cli(
            "ticket update-customer 1 --channel email --message 'Acme is on it'",
            as_="lee",
        )
    )
    assert where.endswith("by E-mail.")

    state, _ = ok(cli("ticket deescalate 1 --reason 'Patch shipped'", as_="cara"))
    assert state == "ticket #1: triage, with Network, level 3, owner -"
    state, where = ok(cli("ticket return 1 --solution 'Apply patch 1.2 on AP-3'", as_="cara"))
    assert state == "ticket #1: open, with Service Desk, level 1, owner -"
    assert where.startswith("With Service Desk, level 1 since")

    assert ok(
        cli("ticket resolve 1 --resolution 'Patched AP-3' --told-via phone", as_="alice")
    ) == ["ticket #1 resolved (customer told by Phone)"]
    assert ok(cli("ticket close 1", as_="alice")) == ["ticket #1 closed"]

    data = json.loads("\n".join(ok(cli("ticket show 1 --format json"))))
    kinds = [e["kind"] for e in data["events"]]
    assert kinds == [
        "created",
        "triage",
        "taken",
        "info_requested",
        "contact",
        "escalated",
        "escalated",
        "customer_update",
        "deescalated",
        "returned",
        "resolved",
        "closed",
    ]
    assert all("changes" in e for e in data["events"])
    changes = [e["changes"] for e in data["events"]]
    assert changes[0]["status"] == [None, "open"]
    assert changes[0]["department"] == [None, "Service Desk"]
    assert changes[1] == {
        "status": ["open", "triage"],
        "department": ["Service Desk", "Network"],
        "level": [1, 2],
    }
    assert changes[2] == {"owner": [None, "bob"], "status": ["triage", "open"]}
    assert changes[4] == {"status": ["waiting_customer", "open"]}
    assert changes[5]["level"] == [2, 3] and changes[5]["lead_flag"] == [0, 1]
    assert changes[6]["vendor"] == [None, "Acme Networks"]
    assert changes[6]["status"] == ["triage", "waiting_vendor"]
    assert changes[9]["department"] == ["Network", "Service Desk"]
    assert changes[10]["told_via"] == "phone"
    assert [e["actor"] for e in data["events"]][5:7] == ["bob", "cara"]

    assert data["where"].startswith("Closed today at ")
    assert data["where"].endswith("by Phone.")
    assert (data["escalations"], data["returns"]) == (2, 2)
    assert (data["vendor"], data["vendor_ref"], data["vendor_due"]) == (
        "Acme Networks",
        "AN-4471",
        "2099-01-01",
    )
    assert data["links"] == [] and data["courtesy_due"] is None
    journey = data["journey"]
    assert set(journey["by_level"]) == {"1", "2", "3", "4"}
    assert set(journey["by_department"]) == {"Service Desk", "Network"}
    legs = [
        (leg["status"], leg["department"], leg["level"], leg["owner"]) for leg in journey["legs"]
    ]
    assert legs == [
        ("open", "Service Desk", 1, None),
        ("triage", "Network", 2, None),
        ("open", "Network", 2, "bob"),
        ("waiting_customer", "Network", 2, "bob"),
        ("open", "Network", 2, "bob"),
        ("triage", "Network", 3, None),
        ("waiting_vendor", "Network", 4, None),
        ("triage", "Network", 3, None),
        ("open", "Service Desk", 1, None),
        ("resolved", "Service Desk", 1, None),
        ("closed", "Service Desk", 1, None),
    ]
    assert journey["legs"][-1]["end"] is None and journey["legs"][0]["start"].endswith("Z")
    assert data["contacts"][1]["summary"] == "AP-3"

    shown = "\n".join(ok(cli("ticket show 1")))
    for expected in [
        "Where now",
        "Time by level",
        "Time by department",
        "Journey",
        "Timeline",
        "2 (returns 2)",
        "lead_flag: 1 → 0",  # returned to the front line: no longer the lead's concern
        "Acme Networks, case AN-4471, promised by 2099-01-01",
        "status: open → triage",
        "department: Service Desk → Network",
        "level: L3 → external",
        "vendor: - → Acme Networks",
        "status: waiting on customer → open",
        "channel: email",
        "told_via=phone",
        "Apply patch 1.2 on AP-3",
    ]:
        assert expected in shown, expected


def test_transfer_assign_and_release(cli: Cli, team: Desk, fresh: Any) -> None:
    number = new_ticket(as_user(team, "alice"))
    ok(cli(f"ticket triage {number} --tried 'Rebooted'", as_="alice"))
    state, _ = ok(
        cli(f"ticket transfer {number} --department desktop --reason 'Bad NIC'", as_="bob")
    )
    assert state == f"ticket #{number}: triage, with Desktop, level 2, owner -"
    refused(
        cli(f"ticket transfer {number} --department Desktop --reason again", as_="bob"),
        "is already with Desktop",
    )
    refused(
        cli(f"ticket assign {number} --to bob", as_="alice"), "only leads and admins may assign"
    )
    state, _ = ok(cli(f"ticket assign {number} --to bob --note 'Yours'", as_="lee"))
    assert state == f"ticket #{number}: open, with Desktop, level 2, owner bob"
    assert fresh().ticket_view(number).events[-1].note == "Yours"
    refused(cli(f"ticket release {number}", as_="cara"), "only its owner, leads and admins")
    state, _ = ok(cli(f"ticket release {number}", as_="bob"))
    assert state.endswith("owner -")


def test_take_by_the_owner_again_is_harmless(cli: Cli, team: Desk, fresh: Any) -> None:
    number = new_ticket(as_user(team, "alice"))
    ok(cli(f"ticket triage {number} --tried x", as_="alice"))
    ok(cli(f"ticket take {number}", as_="bob"))
    version = fresh().ticket(number).version
    assert ok(cli(f"ticket take {number}", as_="bob"))[0].endswith("owner bob")
    assert fresh().ticket(number).version == version


def test_links_duplicate_and_related(cli: Cli, team: Desk) -> None:
    first, dup, other = (new_ticket(team, title) for title in ("First", "Again", "Nearby"))
    state, where = ok(cli(f"ticket link {dup} --duplicate-of {first}"))
    assert state.startswith(f"ticket #{dup}: closed")
    assert f"as a duplicate of #{first}." in where
    ok(cli(f"ticket link {other} --related-to {first}"))

    def links(number: int) -> list[dict[str, Any]]:
        return json.loads(ok_text(cli(f"ticket show {number} -f json")))["links"]

    assert links(first) == [
        {"ticket": dup, "kind": "duplicated_by"},
        {"ticket": other, "kind": "related"},
    ]
    assert links(dup) == [{"ticket": first, "kind": "duplicate_of"}]
    assert links(other) == [{"ticket": first, "kind": "related"}]
    assert json.loads(ok_text(cli(f"ticket show {dup} -f json")))["duplicate_of"] == first
    shown = ok_text(cli(f"ticket show {first}"))
    assert f"duplicated by #{dup}, related to #{other}" in shown


def ok_text(result: Result) -> str:
    return "\n".join(ok(result))


def test_time_at_each_level_and_department(team: Desk, clock: FrozenClock, cli: Cli) -> None:
    """Exact times, from a frozen clock; a closed ticket's times no longer grow."""
    alice, bob = as_user(team, "alice"), as_user(team, "bob")
    number = new_ticket(alice)
    clock.advance(hours=1)
    alice.send_to_triage(number, "Rebooted")
    clock.advance(hours=2)
    bob.take(number)
    clock.advance(hours=3)
    bob.resolve(number, "New driver", told_via="email")
    clock.advance(hours=1)
    bob.close_ticket(number)
    data = json.loads(ok_text(cli(f"ticket show {number} --format json")))
    assert data["journey"]["by_level"] == {"1": 3600, "2": 5 * 3600}
    assert data["journey"]["by_department"] == {"Service Desk": 3600, "Network": 5 * 3600}
    assert [leg["end"] for leg in data["journey"]["legs"]][:2] == [
        "2026-11-25T10:00:00Z",
        "2026-11-25T12:00:00Z",
    ]
    shown = ok_text(cli(f"ticket show {number}"))
    assert "L1 1h 0m, L2 5h 0m" in shown
    assert "Service Desk 1h 0m, Network 5h 0m" in shown


# -- queue views -------------------------------------------------------------------------------


def ids(result: Result) -> list[int]:
    return [t["id"] for t in json.loads(ok_text(result))]


def test_queue_views(cli: Cli, fresh: Any) -> None:
    past = FrozenClock(datetime.now(UTC) - timedelta(days=3))
    stale = new_ticket(fresh("alice", past), "Nobody told the customer", category="general")
    alice, bob = fresh("alice"), fresh("bob")  # the real clock, like the CLI
    plain = new_ticket(alice, "Plain", category="general")
    in_triage = new_ticket(alice, "In triage")
    alice.send_to_triage(in_triage, "Rebooted")
    urgent = new_ticket(alice, "Urgent", priority="urgent")
    alice.send_to_triage(urgent, "Rebooted")
    bob.take(urgent)
    bob.escalate(urgent, "Core switch", "Swapped the cable")
    owned = new_ticket(alice, "Owned")
    alice.send_to_triage(owned, "Rebooted")
    bob.take(owned)

    view = "ticket list --format json --view"
    assert ids(cli(f"{view} all")) == [stale, plain, in_triage, urgent, owned]
    assert ids(cli(f"{view} triage")) == [in_triage, urgent]
    assert ids(cli(f"{view} escalated")) == [urgent]
    assert ids(cli(f"{view} mine", as_="bob")) == [owned]
    assert ids(cli(f"{view} mine", as_="alice")) == []
    assert ids(cli(f"{view} department", as_="bob")) == [in_triage, urgent, owned]
    assert ids(cli(f"{view} department", as_="alice")) == [stale, plain]
    assert ids(cli(f"{view} courtesy-due")) == [stale]
    assert ids(cli(f"{view} courtesy-due --limit 0")) == [stale]

    rows = {t["id"]: t for t in json.loads(ok_text(cli("ticket list -f json")))}
    assert rows[stale]["courtesy_overdue"] is True and rows[plain]["courtesy_overdue"] is False
    assert rows[stale]["courtesy_due"].endswith("Z")
    assert rows[urgent]["level"] == 3 and rows[urgent]["escalations"] == 1
    assert rows[urgent]["lead_flag"] is True and rows[owned]["owner"] == "bob"
    assert rows[in_triage]["department"] == "Network"
    for key in ("returns", "vendor", "vendor_ref", "vendor_due", "duplicate_of", "last_update_at"):
        assert key in rows[plain]

    csv_rows = ok(cli("ticket list --view triage -f csv"))
    header = csv_rows[0].split(",")
    for key in ("level", "department", "owner", "lead_flag", "courtesy_due", "last_update_at"):
        assert key in header
    assert len(csv_rows) == 3

    table = ok_text(cli("ticket list"))
    for column in ("Level", "Department", "Owner", "Update due"):
        assert column in table
    stale_row = next(line for line in table.splitlines() if "Nobody told" in line)
    assert "overdue 2d" in stale_row and "L1" in stale_row
    urgent_row = next(line for line in table.splitlines() if "Urgent" in line)
    assert "L3" in urgent_row and "overdue" not in urgent_row

    _, where = ok(cli(f"ticket update-customer {stale} --channel phone --message 'On it'"))
    assert where.endswith("by Phone.")
    assert ids(cli(f"{view} courtesy-due")) == []
    assert "overdue" not in ok_text(cli("ticket list"))


@pytest.mark.parametrize("status", ["closed", "all"])
def test_view_lists_open_tickets_only(cli: Cli, status: str) -> None:
    refused(cli(f"ticket list --view triage --status {status}"), "--view lists open tickets")


def test_unknown_view_keeps_typer_behaviour(cli: Cli) -> None:
    assert cli("ticket list --view nonsense").exit_code == 2


# -- refusals ----------------------------------------------------------------------------------


@pytest.fixture
def tickets(team: Desk) -> dict[str, int]:
    """An open level-1 ticket, a closed one, and one at level 3."""
    alice, bob = as_user(team, "alice"), as_user(team, "bob")
    opened = new_ticket(alice, "Open one")
    closed = new_ticket(alice, "Closed one", category="general")
    alice.resolve(closed, "Done")
    alice.close_ticket(closed)
    high = new_ticket(alice, "At level 3")
    alice.send_to_triage(high, "Rebooted")
    bob.escalate(high, "Core switch", "Swapped the cable")
    return {"open": opened, "closed": closed, "l3": high}


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("ticket triage {open} --tried x --department Moon", "unknown department 'Moon'"),
        ("ticket triage {open}", "--tried is required"),
        ("ticket triage {open} --tried '  '", "what was tried is required"),
        ("ticket triage 99 --tried x", "no ticket #99"),
        ("ticket transfer {open} --department Moon --reason r", "unknown department 'Moon'"),
        ("ticket transfer {open} --department Network", "--reason is required"),
        ("--as alice ticket transfer {open} --department Network --reason r", "only level 2 or 3"),
        ("ticket escalate {open} --reason r", "--tried is required"),
        ("ticket escalate {open} --tried t", "--reason is required"),
        ("ticket escalate {open} --reason r --tried t --vendor Acme", "a vendor is recorded only"),
        ("ticket escalate {l3} --reason r --tried t", "vendor is required"),
        (
            "ticket escalate {l3} --reason r --tried t --vendor A --vendor-ref 1 --vendor-due soon",
            "vendor due date 'soon' is not a date",
        ),
        (
            "ticket escalate {l3} --reason r --tried t --vendor A --vendor-ref 1 "
            "--vendor-due 2001-01-01",
            "is in the past",
        ),
        ("--as alice ticket escalate {l3} --reason r --tried t", "only agents at the ticket's"),
        ("ticket deescalate {open} --reason r", "already at level 1"),
        ("ticket link {open}", "give exactly one of --duplicate-of NUMBER and --related-to"),
        ("ticket link {open} --duplicate-of {l3} --related-to {l3}", "give exactly one of"),
        ("ticket link {open} --duplicate-of {open}", "cannot be a duplicate of itself"),
        ("ticket link {open} --related-to {open}", "cannot be related to itself"),
        ("ticket link {open} --duplicate-of {closed}", "ticket #{closed} is closed"),
        ("ticket link {open} --related-to 99", "no ticket #99"),
        ("--as alice ticket assign {open} --to lee", "only leads and admins may assign"),
        ("ticket assign {open} --to ghost", "no user 'ghost'"),
        ("ticket assign {open}", "--to is required"),
        ("ticket release {open}", "has no owner to release"),
        ("ticket take {closed}", "while it is closed"),
        ("ticket request-info {closed} --question q", "while it is closed"),
        ("ticket request-info {open}", "--question is required"),
        ("ticket update-customer {open} --channel pigeon --message hi", "unknown channel 'pigeon'"),
        ("ticket update-customer {open} --channel phone", "--message is required"),
        ("ticket update-customer {closed} --channel phone --message hi", "is closed"),
        ("ticket return {open}", "--solution is required"),
        ("ticket return {open} --solution s", "already with the front line"),
        ("ticket resolve {open} --resolution done --told-via pigeon", "unknown channel 'pigeon'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    cli: Cli, tickets: dict[str, int], fresh: Any, command: str, says: str
) -> None:
    def snapshot() -> list[tuple[int, int]]:
        handle = fresh()
        return [
            (handle.ticket(n).version, len(handle.ticket_view(n).events)) for n in tickets.values()
        ]

    before = snapshot()
    refused(cli(command.format(**tickets)), says.format(**tickets))
    assert snapshot() == before


# -- user text is shown, never obeyed ----------------------------------------------------------


def test_markup_and_control_characters_in_reasons_show_literally(
    cli: Cli, team: Desk, fresh: Any
) -> None:
    number = new_ticket(as_user(team, "alice"))
    reason = "[red]x[/red] [@click=app.quit]q"
    message = "[bold]soon[/bold] \x1b[31mred\x1b[0m"
    ok(cli(f"ticket escalate {number} --reason", reason, "--tried", "[/bar]", as_="alice"))
    ok(cli(f"ticket update-customer {number} --channel chat --message", message))
    assert fresh().ticket_view(number).events[-1].note == message  # stored as typed
    shown = ok_text(cli(f"ticket show {number}"))
    assert reason in shown and "[/bar]" in shown
    assert "[bold]soon[/bold] ␛[31mred␛[0m" in shown
    assert "\x1b" not in shown
    data = json.loads(ok_text(cli(f"ticket show {number} -f json")))
    assert data["events"][-1]["note"] == message


def test_help_lists_the_journey_commands(cli: Cli) -> None:
    out = ok_text(cli("ticket --help"))
    for name in (
        "triage",
        "request-info",
        "transfer",
        "take",
        "assign",
        "release",
        "escalate",
        "deescalate",
        "return",
        "update-customer",
        "link",
        "reopen",
    ):
        assert name in out, name
    assert out.index("new") < out.index("triage")  # the everyday commands first
