"""Running real consoles (child processes) on one file, for the process-level tests.

Each child gets its arguments as JSON, imports the program, then waits for a
go file published atomically by the parent, so that the interesting part of
every child really overlaps (imports take longer than the work).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

#: Prepended to every child script: ``args`` is its JSON argument; ``go()`` waits.
PRELUDE = """
import json, os, sys, time
from pathlib import Path
args = json.loads(sys.argv[1])

def go():
    # say ready, then wait for the parent's go file
    Path(args["ready"]).write_text("ready")
    deadline = time.time() + 60
    while not os.path.exists(args["go"]):
        if time.time() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.002)

def say(**record):
    print(json.dumps(record), flush=True)
"""


def spawn(script: str, args: dict[str, Any]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", PRELUDE + script, json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def publish(go: Path) -> None:
    """Create the go file in one rename, so no child reads it half-made."""
    staged = go.with_name(go.name + ".tmp")
    staged.write_text(repr(time.time()))
    os.replace(staged, go)


def run_together(
    script: str, jobs: list[dict[str, Any]], tmp: Path, timeout: float = 120
) -> list[list[dict[str, Any]]]:
    """Start one child per job, let them all go at once, return each one's JSON lines."""
    stamp = time.monotonic_ns()
    go = tmp / f"go-{stamp}"
    ready = [tmp / f"ready-{stamp}-{n}" for n in range(len(jobs))]
    procs = [
        spawn(script, {**job, "go": str(go), "ready": str(r)})
        for job, r in zip(jobs, ready, strict=True)
    ]
    deadline = time.time() + 60
    while not all(r.exists() for r in ready):
        for proc in procs:
            if proc.poll() is not None and proc.returncode != 0:
                raise AssertionError(proc.communicate()[1][-3000:])
        assert time.time() < deadline, "the children did not get ready"
        time.sleep(0.01)
    publish(go)
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err[-3000:]
        assert "Traceback" not in err, err[-3000:]
        results.append([json.loads(line) for line in out.splitlines() if line.startswith("{")])
    return results
