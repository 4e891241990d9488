"""The console scenarios, each in a process of its own (run by ``benchmarks/run.py``).

Every mode prints one JSON line on stdout and exits. Apps run headless
(Textual's ``run_test``): the screen is laid out, composed and turned into
terminal output as in a terminal (:class:`Painting` renders every update to
a string, which headless mode would skip), only no terminal receives it.

Modes:

* ``cold-app DB LOGIN`` / ``cold-baseline``: the wall-clock time (``time.time()``)
  at the first paint that shows the queue's rows (the app), or a 40-row
  ``DataTable`` (the minimal app), and the process's RSS then. The parent
  process notes the time before starting this one.
* ``keys-app DB LOGIN PRESSES TICKET``: PageDown in the queue, keypress to
  repaint, ``PRESSES`` times; then opening ticket ``TICKET`` to its painted
  timeline.
* ``keys-baseline DB ROWS PRESSES``: the built-in ``DataTable`` with the
  ``ROWS`` oldest open tickets loaded at once (the load timed), then PageDown.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable

SIZE = (140, 48)  # the terminal: the queue shows about 40 rows
QUIET = 0.05  # seconds without a paint or a running worker: the screen has settled
NOTHING = 1.0  # seconds without any paint after a key: it changed nothing on screen
COLUMNS = ("#", "Age", "Pri", "Due", "Upd", "Customer", "Category", "Title", "Status", "With")


def rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak (other systems)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


class Painting:
    """Mixin for an App: render each screen update to text, and note when it happened
    and what it showed (:meth:`shown`: what a measurement waits to see change)."""

    paints: list[tuple[float, Any]]
    on_paint: Any = None

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, renderable)  # type: ignore[misc]
        if renderable is None:
            return
        if hasattr(renderable, "render_segments"):
            renderable.render_segments(self.console)  # type: ignore[attr-defined]
        self.paints.append((time.perf_counter(), self.shown()))
        if self.on_paint is not None:
            self.on_paint()

    def shown(self) -> Any:
        """The table's page, cursor row and scroll position, or the ticket on screen."""
        screen = self.screen  # type: ignore[attr-defined]
        view = getattr(screen, "view", None)
        if view is not None and hasattr(view, "ticket"):
            return ("ticket", view.ticket.id)
        tables = screen.query(DataTable)
        if not tables:
            return None
        table = tables.first()
        page = getattr(screen, "page", None)
        return (page.offset if page else None, table.cursor_row, table.scroll_y)


def emit(result: dict[str, Any]) -> None:
    print(json.dumps(result), flush=True)


# -- the minimal app (baselines) ---------------------------------------------------------------
class MinimalApp(Painting, App[None]):
    """A DataTable with ``rows`` rows, loaded when mounted."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows
        self.paints = []
        self.load_seconds = 0.0

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        started = time.perf_counter()
        table.add_columns(*COLUMNS)
        table.add_rows(self.rows)
        self.load_seconds = time.perf_counter() - started
        table.focus()


def _made_up_rows(count: int) -> list[tuple[str, ...]]:
    return [
        (str(n), "3d", "normal", "12:00", "", "Marta Jones", "printer", "Printer offline", "open",
         "L1 Service Desk")
        for n in range(1, count + 1)
    ]  # fmt: skip


def _open_rows(db: str, count: int) -> list[tuple[str, ...]]:
    """The oldest ``count`` open tickets as text cells, read with plain sqlite3."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT t.id, t.created_at, t.priority, COALESCE(t.due_at, ''), '', c.name, "
            "t.category, t.title, t.status, 'L' || t.level || ' ' || COALESCE(t.department, '') "
            "FROM tickets t INDEXED BY tickets_open_queue JOIN customers c ON c.id = t.customer_id "
            "WHERE t.status IN ('open', 'triage', 'waiting_customer', 'waiting_vendor') "
            "ORDER BY t.created_at, t.id LIMIT ?",
            (count,),
        ).fetchall()
    finally:
        conn.close()
    return [tuple(str(v) for v in r) for r in rows]


async def cold_baseline() -> None:
    app = MinimalApp(_made_up_rows(40))
    done = asyncio.Event()

    def painted() -> None:
        tables = app.query(DataTable)
        if tables and tables.first().row_count:
            done.set()

    app.on_paint = painted
    async with app.run_test(size=SIZE):
        await done.wait()
        emit({"painted": time.time(), "rss_mb": rss_mb()})


# -- the real console --------------------------------------------------------------------------
def _console(db: str, login: str) -> tuple[Any, Any]:
    from helpdesk_tui.app import HelpdeskApp
    from helpdesk_tui.desk import Desk

    class ProbeApp(Painting, HelpdeskApp):
        # Textual reads CSS_PATH next to the module of the class that runs: the app's own.
        CSS_PATH = str(Path(sys.modules[HelpdeskApp.__module__].__file__ or "").parent / "app.tcss")

    desk = Desk.open(db, login=login)
    desk.actor  # noqa: B018 - the same check as the command line before the console
    app = ProbeApp(desk, poll_seconds=3600)  # no change polls in the middle of a measurement
    app.paints = []
    return app, desk


def _queue_rows(app: Any) -> int:
    from helpdesk_tui.screens.queue import QueueScreen

    screen = app.screen
    return screen.table.row_count if isinstance(screen, QueueScreen) else 0


async def cold_app(db: str, login: str) -> None:
    app, desk = _console(db, login)
    done = asyncio.Event()
    app.on_paint = lambda: done.set() if _queue_rows(app) else None
    async with app.run_test(size=SIZE):
        await done.wait()
        emit({"painted": time.time(), "rss_mb": rss_mb(), "rows": _queue_rows(app)})
    desk.close()


async def _settled(app: Any, since: float, before: Any = None) -> float | None:
    """Seconds from ``since`` to the first paint showing something else than ``before``,
    once nothing runs and nothing paints (None: no change was painted, e.g. PageDown on
    the last row). Scrolling may animate over several paints: the first one counts."""
    from textual.worker import WorkerState

    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    while True:
        await asyncio.sleep(0.002)
        working = any(w.state in busy for w in app.workers)
        last = app.paints[-1][0] if app.paints else since
        if working or time.perf_counter() - max(last, since) < QUIET:
            continue
        changed = [t for t, shown in app.paints if t > since and shown != before]
        if changed:
            return changed[0] - since
        if time.perf_counter() - since > NOTHING:
            return None


async def _press_page_down(pilot: Any, app: Any, presses: int) -> list[dict[str, Any]]:
    results = []
    for _ in range(presses):
        page = getattr(app.screen, "page", None)
        before = page.offset if page is not None else None
        shown = app.shown()
        started = time.perf_counter()
        await pilot.press("pagedown")
        seconds = await _settled(app, started, shown)
        if seconds is None:
            break  # the end of the list
        page = getattr(app.screen, "page", None)
        fetched = page is not None and page.offset != before
        results.append({"ms": seconds * 1000, "fetched": fetched})
    return results


async def keys_app(db: str, login: str, presses: int, ticket: int) -> None:
    from helpdesk_tui.screens.ticket import TicketScreen

    app, desk = _console(db, login)
    async with app.run_test(size=SIZE) as pilot:
        while not _queue_rows(app):
            await asyncio.sleep(0.01)
        await _settled(app, 0.0)
        first = app.screen.page
        results = await _press_page_down(pilot, app, presses)
        header = app.screen.query_one("#queue-title").render()
        opened = []
        shown = app.shown()
        for _ in range(3):
            started = time.perf_counter()
            app.push_screen(TicketScreen(ticket))
            while getattr(app.screen, "view", None) is None:
                await asyncio.sleep(0.002)
            opened.append((await _settled(app, started, shown) or 0.0) * 1000)
            shown = app.shown()
            app.pop_screen()
            await _settled(app, time.perf_counter(), shown)
        emit(
            {
                "presses": results,
                "total": first.total,
                "header": str(header),
                "open_ticket_ms": opened,
                "rss_mb": rss_mb(),
            }
        )
    desk.close()


async def keys_baseline(db: str, count: int, presses: int) -> None:
    started = time.perf_counter()
    rows = _open_rows(db, count)
    read = time.perf_counter() - started
    app = MinimalApp(rows)
    began = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, 0.0)
        # usable: DataTable measures every new cell when idle, after the rows are added
        ready = app.paints[-1][0] - began
        results = await _press_page_down(pilot, app, presses)
        emit(
            {
                "presses": results,
                "rows": len(rows),
                "read_seconds": read,
                "load_seconds": app.load_seconds,
                "ready_seconds": ready,
                "rss_mb": rss_mb(),
            }
        )


def main(argv: list[str]) -> None:
    mode, args = argv[0], argv[1:]
    if mode == "cold-baseline":
        asyncio.run(cold_baseline())
    elif mode == "cold-app":
        asyncio.run(cold_app(args[0], args[1]))
    elif mode == "keys-app":
        asyncio.run(keys_app(args[0], args[1], int(args[2]), int(args[3])))
    elif mode == "keys-baseline":
        asyncio.run(keys_baseline(args[0], int(args[1]), int(args[2])))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
