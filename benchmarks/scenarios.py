"""The scenarios measured in this process: store and desk calls against raw sqlite3.

Each baseline runs in the same process on the same file, right before or after
what it is compared with, so a busy machine slows both alike.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from helpdesk_tui.desk import Desk, PageKey
from helpdesk_tui.store import QueueFilter
from helpdesk_tui.vocab import OPEN_STATUS_SQL

from .measure import Row, median, median_seconds
from .scale import LOGIN

PAGE = 40  # the queue shows about 40 rows
OPEN_QUEUE = (
    "SELECT t.*, c.name AS customer_name FROM tickets t INDEXED BY tickets_open_queue "
    "JOIN customers c ON c.id = t.customer_id WHERE t.status IN "
    f"{OPEN_STATUS_SQL} {{key}} ORDER BY t.created_at, t.id LIMIT ?"
)
#: Words agents type into knowledge search (single words, a phrase, a prefix).
KB_QUERIES = ("printer", "vpn", "password", "outlook", "dock", "voicemail", "printer offline", "wi")


def raw_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the desk's own pragmas (WAL, synchronous NORMAL)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def queue_pages(path: Path, runs: int) -> list[Row]:
    """The queue's first page and the next pages by keyset: store call vs raw SELECT."""
    desk = Desk.open(path, login=LOGIN)
    raw = raw_connection(path)
    tickets = desk.store.tickets
    everything = QueueFilter()
    try:
        first = OPEN_QUEUE.format(key="")

        def raw_first() -> None:
            raw.execute(first, (PAGE,)).fetchall()

        def store_first() -> None:
            tickets.queue_page(everything, PAGE)

        base_first = median_seconds(raw_first, runs * 5)
        mine_first = median_seconds(store_first, runs * 5)
        # Page on from a quarter into the queue, each page after the last one's key, as
        # PageDown does (the store remembers where its own pages sit).
        total = tickets.queue_page(everything, 1).total
        start = raw.execute(
            OPEN_QUEUE.format(key="").replace("LIMIT ?", "LIMIT 1 OFFSET ?"), (total // 4,)
        ).fetchone()
        steps = max(1, min(max(runs * 5, 10), (total - total // 4) // PAGE - 1))
        after = OPEN_QUEUE.format(key="AND (t.created_at, t.id) > (?, ?)")
        raw_times, store_times = [], []
        key_raw = (start[1], start[0]) if start else ("", 0)
        page = tickets.queue_page(everything, PAGE, after=_key(start))
        for _ in range(steps):
            began = time.perf_counter()
            rows = raw.execute(after, (*key_raw, PAGE)).fetchall()
            raw_times.append(time.perf_counter() - began)
            if rows:
                key_raw = (rows[-1][1], rows[-1][0])
            began = time.perf_counter()
            page = tickets.queue_page(everything, PAGE, after=page.last_key)
            store_times.append(time.perf_counter() - began)
        cold_started = time.perf_counter()
        tickets.counts._state = None  # as after any write: counted again
        tickets.queue_page(everything, PAGE)
        cold = time.perf_counter() - cold_started
    finally:
        raw.close()
        desk.close()
    note = f"{total:,} open; store call builds Ticket records, raw returns tuples"
    return [
        Row(
            "queue first page (store call)",
            "ratio_max",
            1.5,
            "ms",
            mine_first * 1000,
            base_first * 1000,
            "raw sqlite3 SELECT, same index",
            note + f"; first read after a write (counts the total): {cold * 1000:.1f} ms",
        ),
        Row(
            "queue next page by keyset",
            "ratio_max",
            1.5,
            "ms",
            median(store_times) * 1000,
            median(raw_times) * 1000,
            "raw sqlite3 SELECT, same index",
            f"{steps} pages on from a quarter into the queue",
        ),
    ]


def _key(row: Any) -> PageKey | None:
    """The page key of a raw ``tickets`` row (id first, created_at second)."""
    return PageKey(row[1], row[0]) if row else None


def log_contacts(path: Path, count: int) -> Row:
    """Contacts on open tickets through the desk (contact, event, search index) vs a raw
    single-row IMMEDIATE insert into the same table (its search trigger fires too)."""
    desk = Desk.open(path, login=LOGIN)
    raw = raw_connection(path)
    try:
        targets = [t for t in desk.queue_page("all", 100).rows]
        sql = (
            "INSERT INTO contacts (at, channel, customer_id, agent, summary, outcome, ticket_id) "
            "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'email', ?, ?, ?, 'existing', ?)"
        )
        raw_seconds = desk_seconds = 0.0
        block = 10  # alternate blocks, so WAL checkpoints fall on both alike
        # A first round unmeasured: both read the tickets' pages from disk once.
        for first in range(-len(targets), count, block):
            began = time.perf_counter()
            for n in range(first, min(first + block, count)):
                t = targets[n % len(targets)]
                raw.execute("BEGIN IMMEDIATE")
                raw.execute(sql, (t.customer_id, LOGIN, f"Benchmark raw insert {n}", t.id))
                raw.execute("COMMIT")
            if first >= 0:
                raw_seconds += time.perf_counter() - began
            began = time.perf_counter()
            for n in range(first, min(first + block, count)):
                t = targets[n % len(targets)]
                desk.log_contact(
                    channel="email",
                    customer_id=t.customer_id,
                    summary=f"Benchmark follow-up {n}: customer asks for news",
                    outcome="existing",
                    existing_ticket=t.id,
                )
            if first >= 0:
                desk_seconds += time.perf_counter() - began
        raw_rate, desk_rate = count / raw_seconds, count / desk_seconds
    finally:
        raw.close()
        desk.close()
    return Row(
        "log a contact through the desk (event + search index)",
        "ratio_min",
        1 / 3,
        "/s",
        desk_rate,
        raw_rate,
        "raw single-row IMMEDIATE insert",
        f"{count} contacts each, in alternating blocks of 10, on the 100 oldest open tickets "
        "after one unmeasured round over them (the rows stay in the file)",
    )


def open_ticket(path: Path, number: int, runs: int) -> Row:
    """What the ticket screen reads and works out for a ticket with 500 events."""
    desk = Desk.open(path, login=LOGIN)
    try:
        events = len(desk.store.events.for_ticket(number))
        seconds = median_seconds(lambda: desk.ticket_view(number), runs)
    finally:
        desk.close()
    return Row(
        "open a ticket with 500 events (desk call)",
        "max",
        100,
        "ms",
        seconds * 1000,
        note=f"ticket #{number}, {events} events: journey, where-is-it, SLA clocks",
    )


def knowledge_search(path: Path, runs: int) -> Row:
    """The desk's knowledge search (ranked, filtered) vs a raw FTS5 MATCH, same words."""
    desk = Desk.open(path, login=LOGIN)
    raw = raw_connection(path)
    try:
        articles = desk.store.knowledge.count()
        mine, theirs = [], []
        for words in KB_QUERIES:
            mine.append(median_seconds(lambda w=words: desk.kb_search(w), runs))
            expression = " ".join(f'"{w}"' for w in words.split()) + "*"
            theirs.append(
                median_seconds(
                    lambda e=expression: raw.execute(
                        "SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rank LIMIT 20",
                        (e,),
                    ).fetchall(),
                    runs,
                )
            )
    finally:
        raw.close()
        desk.close()
    return Row(
        f"knowledge keyword search, {articles:,} articles",
        "max",
        10,
        "ms",
        median(mine) * 1000,
        median(theirs) * 1000,
        "raw FTS5 MATCH ... ORDER BY rank",
        f"median over {len(KB_QUERIES)} searches: {', '.join(KB_QUERIES)}",
    )


def report_available() -> bool:
    found = subprocess.run(
        [sys.executable, "-m", "helpdesk_tui", "report", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.returncode == 0


def report(path: Path, runs: int, counts: dict[str, int]) -> list[Row]:
    """``helpdesk report`` as a separate process (wall time, start-up included): over the
    whole history, and over its default period (the last 30 days)."""
    label = (
        f"`helpdesk report` over {counts['tickets']:,} tickets / {counts['contacts']:,} contacts"
    )
    whole, recent = Row(label, "max", 2, "s"), Row("`helpdesk report`, last 30 days", "max", 2, "s")
    if not report_available():
        for row in (whole, recent):
            row.note = "not available: this version has no `helpdesk report` command"
        return [whole, recent]
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        first = conn.execute("SELECT min(created_at) FROM tickets").fetchone()[0] or "2000-01-01"
    base = [sys.executable, "-m", "helpdesk_tui", "--db", str(path), "--as", LOGIN, "report"]
    _time_report(whole, [*base, "--from", first[:10]], runs)
    whole.note = f"the whole history (--from {first[:10]}), every section; " + whole.note
    _time_report(recent, base, runs)
    recent.note = "the default period, every section; " + recent.note
    return [whole, recent]


def _time_report(row: Row, command: list[str], runs: int) -> None:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            row.note = "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
            return
    row.value = median(times)
    row.note = f"median of {runs}, process start included"
