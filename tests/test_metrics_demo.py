"""The demo carries phone records, satisfaction ratings and complaints (desk/demo_calls.py),
so a lead opening the metrics on it sees every section filled."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import T0

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk
from helpdesk_tui.desk.demo import build_demo


def figures(path: Path) -> tuple:
    conn = sqlite3.connect(str(path))
    try:
        return (
            conn.execute("SELECT count(*), min(rating), max(rating) FROM satisfaction").fetchone(),
            conn.execute("SELECT outcome, count(*) FROM calls GROUP BY 1 ORDER BY 1").fetchall(),
            conn.execute("SELECT count(*) FROM contacts WHERE reason = 'complaint'").fetchone(),
        )
    finally:
        conn.close()


def test_the_demo_has_calls_ratings_and_complaints(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    for path in (first, second):
        build_demo(path, tickets=3000, seed=4, login="admin", clock=FrozenClock(T0))
    assert figures(first) == figures(second)  # same seed, same file
    (ratings, low, high), calls, (complaints,) = figures(first)
    assert ratings > 300 and (low, high) == (1, 5)
    outcomes = dict(calls)
    assert outcomes["answered"] > 10 * outcomes["abandoned"] > 0
    assert complaints > 0
    desk = Desk.open(first, login="admin", clock=FrozenClock(T0))
    try:
        report = desk.report()
        assert report.contacts is not None and report.contacts.complaints > 0
        assert report.phone is not None and report.phone.offered > 0
        assert report.satisfaction is not None
        assert report.satisfaction.average is not None and 3.5 < report.satisfaction.average < 4.6
        assert report.staffing is not None and report.staffing.peak_needed > 0
    finally:
        desk.close()
