"""Bulletins expire by the clock, not by a commit: the console checks at every poll.

The change poll (``PRAGMA data_version``) only fires when something is
written, but a bulletin passes its expected end with nobody writing. At each
poll the console re-flags the bulletins it already holds (no database read)
and, when one has just expired, marks it in the bar and tells a lead once
per bulletin and expected end: extending it and letting it expire again
tells them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ..desk import bulletin_rules as rules
from ..desk import local
from ..desk.bulletins import Bulletin
from ..desk.permissions import allowed
from ..textsafe import printable

if TYPE_CHECKING:
    from ..app import HelpdeskApp


class ExpiryWatch:
    """Which (bulletin, expected end) this console has flagged to its lead already."""

    def __init__(self) -> None:
        self.told: set[tuple[int, datetime | None]] = set()

    def newly_expired(self, active: Sequence[Bulletin]) -> list[Bulletin]:
        """Expired ones not told yet; remembers them as told."""
        fresh = []
        for b in active:
            key = (b.id, b.expected_end)
            if b.expired and key not in self.told:
                self.told.add(key)
                fresh.append(b)
        return fresh

    def check(self, app: HelpdeskApp) -> None:
        """Re-flag the bar's bulletins for now; notify a lead of each that just expired."""
        now = app.desk.now()
        held = list(app.active_bulletins)
        reflagged = [rules.flagged(b, now) for b in held]
        if any(a.expired != b.expired for a, b in zip(held, reflagged, strict=True)):
            app.active_bulletins = reflagged
            app.bulletin_generation += 1
        # the user read at start-up, not the database: this runs on the UI thread,
        # which must never wait for the store's lock (a save may hold it, waiting)
        if not allowed(app.user, "bulletin.post"):
            return
        for b in self.newly_expired(reflagged):
            app.notify(
                f"Bulletin {b.id} passed its expected end "
                f"({local(b.expected_end, now=now)}) and is still active: "
                f"resolve it or give a new expected end (4 opens Bulletins).\n"
                f"{printable(b.title, single_line=True)}",
                title="Bulletin expired",
                severity="warning",
                markup=False,
                timeout=20,
            )
