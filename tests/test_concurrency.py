"""Several consoles (processes) on one file at once, as on the team's shared host.

The heavier ones (8 x 500 contacts, editing rounds, start-up of many consoles on a
new or old file) are in test_processes.py.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpdesk_tui.desk import Desk, TicketDraft

pytestmark = pytest.mark.slow

#: Each child imports first, then spins until a shared start time, so that
#: the interesting part really overlaps.
PRELUDE = """
import json, sys, time
from helpdesk_tui.desk import Desk, DeskError, StaleEdit, TicketDraft
args = json.loads(sys.argv[1])
while time.time() < args["start"]:
    pass
"""

SET_PRIORITY = (
    PRELUDE
    + """
desk = Desk.open(args["path"], login=args["login"])
try:
    desk.set_priority(args["ticket"], args["priority"], expected_version=args["version"])
    print(json.dumps({"won": True}))
except StaleEdit as exc:
    print(json.dumps({"won": False, "stale": str(exc)}))
desk.close()
"""
)

TAKE = (
    PRELUDE
    + """
desk = Desk.open(args["path"], login=args["login"])
try:
    desk.take(args["ticket"])
    print(json.dumps({"won": True}))
except DeskError as exc:
    print(json.dumps({"won": False, "error": type(exc).__name__, "message": str(exc)}))
desk.close()
"""
)


def run_together(script: str, jobs: list[dict], timeout: float = 60) -> list[dict]:
    start = time.time() + 1.5  # time for every child to import
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, json.dumps({**job, "start": start})],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_opening_a_new_file_waits_while_another_console_holds_its_lock(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # a console busy creating the same new file
    threading.Timer(0.5, other.execute, ["COMMIT"]).start()
    began = time.monotonic()
    try:
        desk = Desk.open(path, login="admin")
    finally:
        time.sleep(max(0.0, 0.6 - (time.monotonic() - began)))
        other.close()
    assert time.monotonic() - began >= 0.5  # it waited for the other console
    desk.init()
    assert [u.login for u in desk.users()] == ["admin"]
    desk.close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.fixture
def shared_ticket(tmp_path: Path) -> tuple[Path, int, int]:
    path = tmp_path / "shared.db"
    desk = Desk.open(path, login="admin")
    desk.init()
    desk.add_user("alice", "Alice Agent", "agent", 1, "Service Desk")
    desk.add_user("bob", "Bob Agent", "agent", 1, "Service Desk")
    customer = desk.add_customer("Marta Jones", tier="concierge")
    ticket = desk.open_ticket(customer.id, TicketDraft("Printer jams", "general"))
    desk.close()
    return path, ticket.id, ticket.version


def test_two_consoles_changing_the_same_version_one_wins(
    shared_ticket: tuple[Path, int, int],
) -> None:
    path, number, version = shared_ticket
    jobs = [
        {
            "path": str(path),
            "login": "alice",
            "ticket": number,
            "version": version,
            "priority": "high",
        },
        {
            "path": str(path),
            "login": "bob",
            "ticket": number,
            "version": version,
            "priority": "urgent",
        },
    ]
    results = run_together(SET_PRIORITY, jobs)
    assert sorted(r["won"] for r in results) == [False, True]
    winner = jobs[[r["won"] for r in results].index(True)]
    loser = results[[r["won"] for r in results].index(False)]
    assert winner["login"] in loser["stale"]

    desk = Desk.open(path, login="admin")
    view = desk.ticket_view(number)
    desk.close()
    assert view.ticket.priority == winner["priority"]
    assert view.ticket.version == version + 1
    assert [e.kind for e in view.events] == ["created", "changed"]
    assert view.events[-1].actor == winner["login"]


def test_two_consoles_taking_the_same_ticket_one_wins(
    shared_ticket: tuple[Path, int, int],
) -> None:
    path, number, _ = shared_ticket
    jobs = [
        {"path": str(path), "login": "alice", "ticket": number},
        {"path": str(path), "login": "bob", "ticket": number},
    ]
    results = run_together(TAKE, jobs)
    assert sorted(r["won"] for r in results) == [False, True]
    winner = jobs[[r["won"] for r in results].index(True)]["login"]
    loser = results[[r["won"] for r in results].index(False)]
    assert loser["error"] == "Forbidden"
    assert winner in loser["message"]

    desk = Desk.open(path, login="admin")
    view = desk.ticket_view(number)
    desk.close()
    assert view.ticket.owner == winner
    assert [e.kind for e in view.events] == ["created", "taken"]
