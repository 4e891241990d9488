"""Shared fixtures: each test gets its own database file and a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk

#: A Wednesday morning, so that ages and weekdays read the same everywhere.
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the developer's real database or identity."""
    monkeypatch.setenv("HELPDESK_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("HELPDESK_USER", "admin")
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def desk(db_path: Path, clock: FrozenClock) -> Iterator[Desk]:
    """An initialised desk acting as 'admin', with one agent and one customer."""
    d = Desk.open(db_path, login="admin", clock=clock)
    d.init()
    d.add_user("alice", "Alice Agent", "agent", 1, "Service Desk")
    d.add_user("lee", "Lee Lead", "lead", 2, "Service Desk")
    # Concierge: entitled to every channel and category, so tests of other rules
    # are not refused by the tier (entitlements have their own tests).
    d.add_customer(
        "Marta Jones", email="marta@example.org", phone="+1 555 0100", org="Acme", tier="concierge"
    )
    yield d
    d.close()


def as_user(desk: Desk, login: str) -> Desk:
    """The same file and clock, acting as another user (a second console)."""
    return Desk.open(desk.store.path, login=login, clock=desk.clock)
