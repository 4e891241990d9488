"""The scale database: built once with ``helpdesk demo``'s generator, reused while it fits.

A file is reused when its ``meta`` says it was generated with the same tickets,
seed, share of open tickets and generated articles (the demo records them). On
top of the demo, the benchmark gives one open ticket 500 events (notes added
through the desk, as agents would) and remembers it in ``meta``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpdesk_tui.desk import Desk
from helpdesk_tui.desk.demo import build_demo
from helpdesk_tui.store.bulk import is_demo_file

LOGIN = "bench"  # the demo's runner: an admin at level 3
BUSY_EVENTS = 500
BUSY_KEY = "bench_busy_ticket"


@dataclass(frozen=True)
class Scale:
    tickets: int
    open_share: float
    articles: int
    seed: int = 1

    def meta(self) -> dict[str, str]:
        return {
            "demo_tickets": str(self.tickets),
            "demo_seed": str(self.seed),
            "demo_articles": str(self.articles),
            "demo_open_share": str(float(self.open_share)),
        }


@dataclass(frozen=True)
class Database:
    path: Path
    built: bool
    build_seconds: float | None
    busy_ticket: int
    counts: dict[str, int]


def _meta(path: Path) -> dict[str, str]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def fits(path: Path, scale: Scale) -> bool:
    if not path.is_file() or not is_demo_file(path):
        return False
    meta = _meta(path)
    return all(meta.get(k) == v for k, v in scale.meta().items())


def ensure(
    path: Path,
    scale: Scale,
    *,
    rebuild: bool = False,
    say: Callable[[str], None] = print,
) -> Database:
    """Build the file unless one that fits is there; give a ticket its 500 events."""
    built, seconds = False, None
    if rebuild or not fits(path, scale):
        path.parent.mkdir(parents=True, exist_ok=True)
        say(
            f"building {path}: {scale.tickets:,} tickets ({scale.open_share:.0%} open), "
            f"{scale.articles:,} articles, seed {scale.seed} ..."
        )
        started = time.perf_counter()
        build_demo(
            path,
            tickets=scale.tickets,
            seed=scale.seed,
            login=LOGIN,
            articles=scale.articles,
            open_share=scale.open_share,
            progress=_progress(say),
        )
        seconds = time.perf_counter() - started
        built = True
        say(f"built in {seconds:.1f}s")
    else:
        say(f"reusing {path} (same tickets, seed, open share and articles)")
    busy = _busy_ticket(path)
    return Database(path, built, seconds, busy, _counts(path))


def _progress(say: Callable[[str], None]) -> Callable[[str, int, int], None]:
    """One line per stage (the benchmark's log is read, not watched)."""
    seen: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in seen:
            seen.add(stage)
            say(f"  {stage} ...")

    return progress


def _busy_ticket(path: Path) -> int:
    """The open ticket with 500 events, made once: notes added through the desk."""
    found = _meta(path).get(BUSY_KEY)
    if found:
        return int(found)
    desk = Desk.open(path, login=LOGIN)
    try:
        page = desk.queue_page("all", 1, last=True)  # the newest open ticket
        number = page.rows[0].id
        have = len(desk.store.events.for_ticket(number))
        for n in range(have, BUSY_EVENTS):
            desk.add_note(number, f"Benchmark note {n + 1}: checked again with the customer.")
        desk.store.reference.set_meta(BUSY_KEY, str(number))
    finally:
        desk.close()
    return number


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("tickets", "contacts", "events", "customers", "kb_articles")
        }
        counts["open_tickets"] = conn.execute(
            "SELECT count(*) FROM tickets WHERE status IN "
            "('open', 'triage', 'waiting_customer', 'waiting_vendor')"
        ).fetchone()[0]
    return counts
