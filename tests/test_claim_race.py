"""Two consoles (processes) claiming the same ticket at the same moment: one wins."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpdesk_tui.desk import Desk, TicketDraft

pytestmark = pytest.mark.slow

ROUNDS = 10
#: Seconds between rounds; both children start each round at the same wall-clock time.
SPACING = 0.25

#: A console: opens its own Desk, says it is ready, waits for the go file, then for
#: each round spins until that round's start time and takes the round's ticket.
CLAIMER = """
import json, sys, time
from pathlib import Path
from helpdesk_tui.desk import Desk, Forbidden
args = json.loads(sys.argv[1])
desk = Desk.open(args["path"], login=args["login"])
desk.actor  # warm up: the first read happens before the race
Path(args["ready"]).write_text("ready")
go = Path(args["go"])
deadline = time.time() + 30
while not go.exists():
    if time.time() > deadline:
        raise SystemExit("no go signal")
    time.sleep(0.005)
base = float(go.read_text())
results = []
for i, number in enumerate(args["tickets"]):
    start = base + i * args["spacing"]
    while time.time() < start:
        pass
    began = time.time()
    try:
        ticket = desk.take(number)
        results.append({"ticket": number, "won": True, "owner": ticket.owner})
    except Forbidden as exc:
        results.append({"ticket": number, "won": False, "message": str(exc)})
    except Exception as exc:  # anything else is a failure the test reports
        results.append({"ticket": number, "won": False, "error": repr(exc)})
    results[-1]["took"] = time.time() - began
desk.close()
print(json.dumps(results))
"""


@pytest.fixture
def triage_tickets(tmp_path: Path) -> tuple[Path, list[int]]:
    path = tmp_path / "shared.db"
    desk = Desk.open(path, login="admin")
    desk.init()
    desk.add_user("alice", "Alice Agent", "agent", 1, "Service Desk")
    desk.add_user("bob", "Bob Specialist", "agent", 2, "Network")
    desk.add_user("nina", "Nina Network", "agent", 2, "Network")
    customer = desk.add_customer("Marta Jones")
    front = Desk.open(path, login="alice")
    numbers = []
    for n in range(ROUNDS):
        ticket = front.open_ticket(
            customer.id, TicketDraft(f"Network down {n}", "network", {"location": "B2"})
        )
        front.send_to_triage(ticket.id, "rebooted")
        numbers.append(ticket.id)
    front.close()
    desk.close()
    return path, numbers


def test_two_processes_claiming_the_same_ticket_one_wins(
    tmp_path: Path, triage_tickets: tuple[Path, list[int]]
) -> None:
    path, numbers = triage_tickets
    go = tmp_path / "go"
    procs = {}
    for login in ("bob", "nina"):
        args = {
            "path": str(path),
            "login": login,
            "tickets": numbers,
            "spacing": SPACING,
            "ready": str(tmp_path / f"ready-{login}"),
            "go": str(go),
        }
        procs[login] = subprocess.Popen(
            [sys.executable, "-c", CLAIMER, json.dumps(args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    deadline = time.time() + 30
    while not all((tmp_path / f"ready-{login}").exists() for login in procs):
        assert time.time() < deadline, "the consoles did not start"
        assert all(p.poll() is None for p in procs.values()), "a console died at start"
        time.sleep(0.01)
    staged = tmp_path / "go.tmp"  # renamed into place so nobody reads it half-written
    staged.write_text(repr(time.time() + 0.3))
    staged.rename(go)

    results = {}
    for login, proc in procs.items():
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results[login] = json.loads(out.strip().splitlines()[-1])

    desk = Desk.open(path, login="admin")
    try:
        for i, number in enumerate(numbers):
            bob, nina = results["bob"][i], results["nina"][i]
            assert bob["ticket"] == nina["ticket"] == number
            assert "error" not in bob and "error" not in nina, (bob, nina)
            assert [bob["won"], nina["won"]].count(True) == 1, (bob, nina)
            winner, loser = ("bob", nina) if bob["won"] else ("nina", bob)
            assert results[winner][i]["owner"] == winner
            assert f"already owned by {winner}" in loser["message"]

            view = desk.ticket_view(number)
            assert (view.ticket.owner, view.ticket.status) == (winner, "open")
            taken = [e for e in view.events if e.kind == "taken"]
            assert len(taken) == 1
            assert taken[0].actor == winner
            assert view.ticket.version == 3  # created, triage, taken
    finally:
        desk.close()
