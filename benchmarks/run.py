"""Benchmark: is the console instant on a desk with a million tickets? (issue 9)

Builds (or reuses) a scale database with the demo generator and measures every
scenario of issue 9 against a baseline measured in the same run, then prints
the machine, a table with each target and verdict, and writes JSON.

    python benchmarks/run.py                 # 1M tickets, 100k open, 10k articles
    python benchmarks/run.py --quick         # every scenario at small scale (CI)
    python -m benchmarks --db /data/bench.db --json results.json

Timings are medians of several runs. The scale file is kept (default: in the user
cache directory) and reused while its parameters match; building it takes a
few minutes. Writes to it (contacts logged, one ticket's 500 notes) stay.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks import console, scenarios  # noqa: E402
from benchmarks.measure import Row, machine, shown  # noqa: E402
from benchmarks.scale import Scale, ensure  # noqa: E402

FULL = {"tickets": 1_000_000, "open_share": 0.10, "articles": 10_000, "runs": 7}
QUICK = {"tickets": 2_000, "open_share": 0.10, "articles": 300, "runs": 3}


def parse(argv: list[str] | None) -> argparse.Namespace:
    ask = argparse.ArgumentParser(
        prog="benchmarks/run.py", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    ask.add_argument("--quick", action="store_true", help="small scale, a few seconds (CI)")
    ask.add_argument("--db", type=Path, help="the scale database (built if missing)")
    ask.add_argument("--json", type=Path, help="where to write the results")
    ask.add_argument("--tickets", type=int, help="tickets in the scale database")
    ask.add_argument("--open-share", type=float, help="share of tickets still open")
    ask.add_argument("--articles", type=int, help="generated knowledge articles")
    ask.add_argument("--seed", type=int, default=1)
    ask.add_argument("--runs", type=int, help="runs per median")
    ask.add_argument("--rebuild", action="store_true", help="build the database even if it fits")
    return ask.parse_args(argv)


def default_db(scale: Scale) -> Path:
    from platformdirs import user_cache_dir

    name = f"bench-{scale.tickets}-{scale.open_share:g}-{scale.articles}-{scale.seed}.db"
    return Path(user_cache_dir("helpdesk-tui")) / name


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    preset = QUICK if args.quick else FULL
    scale = Scale(
        tickets=args.tickets if args.tickets is not None else int(preset["tickets"]),
        open_share=args.open_share if args.open_share is not None else preset["open_share"],
        articles=args.articles if args.articles is not None else int(preset["articles"]),
        seed=args.seed,
    )
    runs = args.runs or int(preset["runs"])
    scratch = tempfile.TemporaryDirectory(prefix="helpdesk-bench-") if args.quick else None
    where = Path(scratch.name) if scratch else None
    db = args.db or (where / "bench.db" if where else default_db(scale))
    out = args.json or (where / "results.json" if where else db.with_suffix(".json"))
    began = time.perf_counter()
    host = machine()
    say(
        f"machine: {host['cores']} cores, Python {host['python']}, SQLite {host['sqlite']}, "
        f"Textual {host['textual']}, load average {host['load_average']}"
    )
    database = ensure(db, scale, rebuild=args.rebuild, say=say)
    counts = database.counts
    say(
        f"database: {counts['tickets']:,} tickets ({counts['open_tickets']:,} open), "
        f"{counts['contacts']:,} contacts, {counts['events']:,} events, "
        f"{counts['kb_articles']:,} articles"
    )
    quick = args.quick
    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("queue pages", lambda: scenarios.queue_pages(db, runs)),
        ("cold start", lambda: console.cold_start(db, max(runs - 2, 2), counts["tickets"])),
        (
            "keys",
            lambda: console.keys(
                db, 8 if quick else 30, database.busy_ticket, counts["open_tickets"]
            ),
        ),
        ("contacts", lambda: [scenarios.log_contacts(db, 20 if quick else 200)]),
        ("ticket", lambda: [scenarios.open_ticket(db, database.busy_ticket, runs)]),
        ("knowledge", lambda: [scenarios.knowledge_search(db, runs)]),
        ("report", lambda: scenarios.report(db, 2 if quick else 3, counts)),
    ]
    rows: list[Row] = []
    failed = 0
    for name, step in steps:
        say(f"measuring {name} ...")
        try:
            rows += step()
        except Exception:  # noqa: BLE001 - one scenario failing must not hide the others
            failed += 1
            say(f"{name} failed:\n{traceback.format_exc()}")
    order = {name: n for n, name in enumerate(ORDER)}
    rows.sort(key=lambda r: min((n for key, n in order.items() if key in r.scenario), default=99))
    table(rows)
    finished = time.perf_counter() - began
    host_after = machine()["load_average"]
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": host | {"load_average_after": host_after},
        "scale": scale.__dict__ | {"runs": runs},
        "database": {
            "path": str(db),
            "built": database.built,
            "build_seconds": database.build_seconds,
            "busy_ticket": database.busy_ticket,
            "counts": counts,
        },
        "scenarios": [r.as_json() for r in rows],
        "seconds": finished,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    say(f"load average at the end {host_after}; {finished:.0f}s in all; results in {out}")
    if scratch is not None:
        scratch.cleanup()
    return 1 if failed else 0


#: The issue's table, in its order (matched on the start of each scenario's name).
ORDER = (
    "queue first page",
    "queue next page",
    "console cold start",
    "PageDown",
    "log a contact",
    "open a ticket with 500 events (desk",
    "open a ticket with 500 events (console",
    "knowledge keyword search",
    "`helpdesk report` over",
    "`helpdesk report`, last",
    "console memory",
)


def say(message: str) -> None:
    print(message, flush=True)


def table(rows: list[Row]) -> None:
    """The results as a plain-text table (also readable in a CI log)."""
    headers = ("scenario", "measured", "baseline", "ratio", "target", "result")
    lines = []
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        verdict = {True: "PASS", False: "FAIL", None: "n/a"}[r.passed]
        lines.append(
            (r.scenario, shown(r.value, r.unit), shown(r.baseline, r.unit), ratio, r.target,
             verdict)
        )  # fmt: skip
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
    print()
    for r in rows:
        extra = f" (baseline: {r.baseline_label})" if r.baseline_label else ""
        print(f"- {r.scenario}: {r.note}{extra}")
    print()


if __name__ == "__main__":
    sys.exit(main())
