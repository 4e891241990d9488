"""Crash safety: writers killed with SIGKILL at random moments, again and again.

Two writer consoles work the same file at once, each logging contacts,
opening tickets, adding notes and customers; after each commit a writer
prints what it committed. Each is killed at a random moment (some while
still opening the file, most mid-work, often mid-transaction) and a new one
started, 30 kills in all. Then the file must pass every check of ``helpdesk
check`` (integrity, foreign keys, full-text indexes in sync, every ticket
with its creation event, no event without its ticket, versions = events),
and every write a writer reported as committed must be there.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpdesk_tui.desk import Desk, TicketDraft

pytestmark = pytest.mark.slow

KILLS = 30
WRITERS = 2

WRITER = """
import json, random, sys
from helpdesk_tui.desk import Desk, DeskError, TicketDraft
path, me, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
desk = Desk.open(path, login="alice")
tickets = [t.id for t in desk.tickets("open", limit=40)]
print("ready", flush=True)

def say(**record):
    print(json.dumps(record), flush=True)

n = 0
while True:
    n += 1
    tag = f"{me}-{n}"
    bulk = "x" * rnd.choice((0, 0, 200, 3900))  # longer writes: more time mid-transaction
    choice = rnd.random()
    try:
        if choice < 0.35 or not tickets:
            result = desk.log_contact(
                channel="phone", customer_id=1, summary=f"{tag} {bulk}", outcome="ticket",
                ticket=TicketDraft(f"{tag} ticket", "general", description=bulk),
            )
            tickets.append(result.ticket.id)
            say(contact=result.contact.id, tag=tag, ticket=result.ticket.id)
        elif choice < 0.65:
            number = rnd.choice(tickets)
            result = desk.log_contact(
                channel="chat", customer_id=1, summary=f"{tag} {bulk}", outcome="existing",
                existing_ticket=number,
            )
            say(contact=result.contact.id, tag=tag, ticket=number)
        elif choice < 0.9:
            number = rnd.choice(tickets)
            desk.add_note(number, f"{tag} {bulk}")
            say(note=tag, ticket=number)
        else:
            customer = desk.add_customer(f"Customer {tag}")
            say(customer=customer.id, tag=tag)
    except DeskError as exc:
        say(error=f"{type(exc).__name__}: {exc}")
"""


@pytest.fixture
def crash_file(tmp_path: Path) -> Path:
    path = tmp_path / "crash.db"
    desk = Desk.open(path, login="admin")
    desk.init()
    desk.add_user("alice", "Alice Agent", "agent", 1, "Service Desk")
    desk.add_customer("Marta Jones", tier="concierge")
    desk.open_ticket(1, TicketDraft("Printer jams", "general"))
    desk.close()
    return path


#: Guards the kill budget the writer threads share.
BUDGET_LOCK = threading.Lock()


class Killer:
    """Runs writer lives in one thread: start, let it work a random while, SIGKILL."""

    def __init__(self, path: Path, name: str, rnd: random.Random, budget: list[int]) -> None:
        self.path, self.name, self.rnd, self.budget = path, name, rnd, budget
        self.records: list[dict] = []
        self.failures: list[str] = []
        self.lives = 0
        self.thread = threading.Thread(target=self.run)

    def take_kill(self) -> bool:
        with BUDGET_LOCK:
            if self.budget[0] <= 0:
                return False
            self.budget[0] -= 1
            return True

    def run(self) -> None:
        while self.take_kill():
            self.lives += 1
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    WRITER,
                    str(self.path),
                    f"{self.name}{self.lives}",
                    str(self.rnd.randrange(1 << 30)),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            assert proc.stdout is not None
            if self.rnd.random() < 0.2:  # killed while still starting or opening the file
                time.sleep(self.rnd.uniform(0.0, 0.8))
            else:
                ready = proc.stdout.readline()
                if ready.strip() != b"ready":
                    self.failures.append(f"did not start: {proc.communicate()[1][-2000:]!r}")
                    continue
                time.sleep(self.rnd.uniform(0.02, 0.5))
            os.kill(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            if proc.returncode != -signal.SIGKILL:
                self.failures.append(f"exited by itself ({proc.returncode}): {err[-2000:]!r}")
            # only whole lines: a line cut by the kill was never reported
            for line in out.decode().split("\n")[:-1]:
                if line.startswith("{"):
                    self.records.append(json.loads(line))


def test_writers_killed_at_random_lose_no_committed_write(crash_file: Path) -> None:
    rnd = random.Random(8)
    budget = [KILLS]
    killers = [
        Killer(crash_file, f"w{n}-", random.Random(rnd.randrange(1 << 30)), budget)
        for n in range(WRITERS)
    ]
    for k in killers:
        k.thread.start()
    for k in killers:
        k.thread.join(timeout=120)
    assert [k.failures for k in killers] == [[]] * WRITERS
    assert sum(k.lives for k in killers) == KILLS
    records = [r for k in killers for r in k.records]
    assert [r for r in records if "error" in r] == []
    assert len(records) >= 50, "the writers hardly wrote anything before being killed"

    desk = Desk.open(crash_file, login="admin")
    try:
        report = desk.check()
        assert report.ok, [(r.name, r.problems) for r in report.results if not r.ok]
        contacts = {c.id: c for c in desk.contacts()}
        customers = {c.name for c in desk.find_customers("Customer", limit=10_000)}
        for r in records:
            if "contact" in r:
                assert r["contact"] in contacts, r
                assert contacts[r["contact"]].summary.split()[0] == r["tag"]
                assert contacts[r["contact"]].ticket_id == r["ticket"]
            elif "note" in r:
                notes = [e.note for e in desk.ticket_view(r["ticket"]).events if e.kind == "note"]
                assert any(n.split()[0] == r["note"] for n in notes), r
            elif "customer" in r:
                assert f"Customer {r['tag']}" in customers, r
    finally:
        desk.close()
