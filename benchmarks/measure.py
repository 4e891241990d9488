"""Timing, the machine, and one row of the results table with its verdict."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


def median_seconds(action: Callable[[], Any], runs: int, warmup: int = 1) -> float:
    """The median wall time of ``runs`` calls, after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy it was."""
    import textual

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": textual.__version__,
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in load],
        "executable": sys.executable,
    }


@dataclass
class Row:
    """One scenario: what was measured against what, and whether the target is met.

    ``kind`` says how the target reads: ``ratio_max`` (value / baseline at most
    ``limit``), ``ratio_min`` (at least ``limit``), ``max`` (value at most ``limit``).
    """

    scenario: str
    kind: str
    limit: float
    unit: str
    value: float | None = None
    baseline: float | None = None
    baseline_label: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def target(self) -> str:
        if self.kind == "ratio_max":
            return f"<= {self.limit:g}x baseline"
        if self.kind == "ratio_min":
            return f">= {self.limit:.2f}x baseline rate"
        return f"<= {self.limit:g} {self.unit}"

    @property
    def passed(self) -> bool | None:
        """None: not measured (a command not available, a step that failed)."""
        if self.value is None:
            return None
        if self.kind == "ratio_max":
            return self.ratio is not None and self.ratio <= self.limit
        if self.kind == "ratio_min":
            return self.ratio is not None and self.ratio >= self.limit
        return self.value <= self.limit

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ratio=self.ratio, target=self.target, passed=self.passed)
        return data


def shown(value: float | None, unit: str) -> str:
    """A figure as the table prints it."""
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f} {unit}"
