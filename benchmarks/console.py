"""The console scenarios: each run is a fresh process (``console_probe.py``), headless.

Cold start is measured from just before the process is started to the first
paint showing the queue's rows (the probe reports the wall-clock time of that
paint); its baseline is a minimal Textual app painting a 40-row DataTable,
started and measured the same way. Memory is the process's RSS at that paint.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .measure import Row, median
from .scale import LOGIN

PROBE = Path(__file__).with_name("console_probe.py")
TIMEOUT = 600


def probe(*args: str) -> dict[str, Any]:
    """Run the probe once; its JSON line, with ``started`` (before the process began)."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, str(PROBE), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"console probe {args[0]} failed: {tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["started"] = started
    return result


def cold_start(path: Path, runs: int, tickets: int) -> list[Row]:
    """Alternate app and baseline runs, so both see the same machine."""
    app, base = [], []
    for _ in range(runs):
        base.append(probe("cold-baseline"))
        app.append(probe("cold-app", str(path), LOGIN))
    app_s = median([r["painted"] - r["started"] for r in app])
    base_s = median([r["painted"] - r["started"] for r in base])
    rss = median([r["rss_mb"] for r in app])
    base_rss = median([r["rss_mb"] for r in base])
    return [
        Row(
            f"console cold start to the queue painted, {tickets:,} tickets",
            "ratio_max",
            1.5,
            "ms",
            app_s * 1000,
            base_s * 1000,
            "minimal Textual app, 40-row DataTable",
            f"separate processes, headless, median of {runs}; process start to first paint",
        ),
        Row(
            f"console memory with a {tickets:,}-ticket file",
            "max",
            150,
            "MB",
            rss,
            base_rss,
            "the minimal Textual app",
            "RSS when the queue is first painted",
        ),
    ]


def keys(path: Path, presses: int, busy_ticket: int, baseline_rows: int) -> list[Row]:
    """PageDown through the queue, and opening the busy ticket, in one console process;
    then the built-in DataTable with every open ticket loaded, PageDown the same way."""
    app = probe("keys-app", str(path), LOGIN, str(presses), str(busy_ticket))
    base = probe("keys-baseline", str(path), str(baseline_rows), str(presses))
    times = [p["ms"] for p in app["presses"]]
    fetching = [p["ms"] for p in app["presses"] if p["fetched"]]
    within = [p["ms"] for p in app["presses"] if not p["fetched"]]
    base_times = [p["ms"] for p in base["presses"]]
    return [
        Row(
            f"PageDown in the queue at {app['total']:,} open (keypress to repaint)",
            "max",
            50,
            "ms",
            median(times),
            median(base_times),
            f"built-in DataTable, all {base['rows']:,} rows loaded (read "
            f"{base['read_seconds']:.1f}s, add_rows {base['load_seconds']:.1f}s, usable after "
            f"{base['ready_seconds']:.1f}s, RSS {base['rss_mb']:.0f} MB)",
            f"median of {len(times)} presses; those that fetch the next page "
            f"{median(fetching):.0f} ms (max {max(fetching, default=0):.0f}), within a page "
            f"{median(within):.0f} ms",
            extra={"presses": app["presses"], "baseline_presses": base["presses"]},
        ),
        Row(
            "open a ticket with 500 events (console, to its painted timeline)",
            "max",
            100,
            "ms",
            median(app["open_ticket_ms"]),
            note=f"ticket #{busy_ticket}, median of {len(app['open_ticket_ms'])}",
        ),
    ]
