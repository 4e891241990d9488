"""Benchmark: ``helpdesk report`` on a big database (issue 7: under 2 s on 1M tickets).

Prints wall and CPU seconds of the full default report (every section, as a lead),
JSON and table, against a baseline measured in the same run (``helpdesk categories``:
Python starting, the CLI imported, the file opened), then the in-process time of each
section. No assertion: timings belong here, not in the tests.

    python bench/metrics.py /tmp/m1m.db [--as LOGIN] [--runs 3]

Build the database first: ``helpdesk --db /tmp/m1m.db demo --tickets 1000000 --no-open``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time


def run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(argv: list[str], runs: int) -> tuple[float, float]:
    timings = [run(argv) for _ in range(runs)]
    return min(t[0] for t in timings), min(t[1] for t in timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--as", dest="login", default="admin")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "helpdesk_tui", "--db", args.db, "--as", args.login]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; best of {args.runs}")
    base_wall, base_cpu = best([*cli, "categories"], args.runs)
    print(f"baseline  helpdesk categories        {base_wall:6.2f} s wall {base_cpu:6.2f} s cpu")
    for label, extra in (("report --format json", ["-f", "json"]), ("report (table)", [])):
        wall, cpu = best([*cli, "report", *extra], args.runs)
        print(
            f"helpdesk {label:<24}{wall:6.2f} s wall {cpu:6.2f} s cpu"
            f"  ({wall / base_wall:.1f}x baseline, {wall - base_wall:.2f} s beyond it)"
        )
    from helpdesk_tui.desk import Desk
    from helpdesk_tui.desk.metrics import SECTIONS

    desk = Desk.open(args.db, login=args.login)
    period = desk.report_period()
    print(f"in-process, {period.label}:")
    for section in SECTIONS:
        started, cpu = time.perf_counter(), time.process_time()
        desk.report(period, sections=[section])
        print(
            f"  {section:<13}{time.perf_counter() - started:6.3f} s wall"
            f" {time.process_time() - cpu:6.3f} s cpu"
        )
    started = time.perf_counter()
    desk.report(period)
    print(f"  {'all':<13}{time.perf_counter() - started:6.3f} s wall")
    desk.close()


if __name__ == "__main__":
    main()
