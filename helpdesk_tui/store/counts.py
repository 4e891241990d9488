"""Counts and positions of a long list, remembered until anybody writes to the file.

A paged list shows "1-40 of 48,211": the total, and how many rows come before
the page. Counting 100,000 index entries takes milliseconds each time, and a
page turn would need two counts. Neither changes until somebody writes, so
they are kept here for as long as the file's *data state* stays the same:
``PRAGMA data_version`` (bumped by other connections' commits) together with
the connection's ``total_changes`` (bumped by its own writes).

Positions come for free once one page's offset is known: its first row sits
at ``offset``, its last at ``offset + len(rows) - 1``, so the next page (after
the last key) starts one further on, and the previous page (before the first
key) ends one before it. Only a jump to an unknown key, or the first read
after a change, counts in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from .base import Session

#: Remembered entries per list before starting afresh (a long session of paging).
LIMIT = 4096


class CountCache:
    """Counts and key positions by scope, valid for one data state of the file.

    Call only with the session's lock held (the repositories do): the state
    check and the count that follows must see the same file.
    """

    def __init__(self, session: Session) -> None:
        self.s = session
        self._state: tuple[int, int] | None = None
        self._counts: dict[Hashable, int] = {}
        self._positions: dict[Hashable, int] = {}

    def _fresh(self) -> None:
        """Forget everything if anybody wrote since the entries were made."""
        conn = self.s.db.conn
        state = (int(self.s.scalar("PRAGMA data_version")), conn.total_changes)
        if state != self._state or len(self._positions) > LIMIT:
            self._state = state
            self._counts.clear()
            self._positions.clear()

    def count(self, scope: Hashable, counter: Callable[[], int]) -> int:
        """The count for ``scope`` (e.g. a filter's SQL and parameters), counted once."""
        self._fresh()
        found = self._counts.get(scope)
        if found is None:
            found = self._counts[scope] = int(counter())
        return found

    def position(self, scope: Hashable, key: Hashable) -> int | None:
        """How many rows come before ``key`` in ``scope``'s order, if known."""
        self._fresh()
        return self._positions.get((scope, key))

    def remember(self, scope: Hashable, key: Hashable, position: int) -> None:
        self._positions[scope, key] = position

    def offset(
        self,
        scope: Hashable,
        *,
        after: Hashable | None,
        before: Hashable | None,
        last: bool,
        size: int,
        total: Callable[[], int],
        counter: Callable[[], int],
    ) -> int:
        """Rows before a page of ``size`` rows read after/before a key, or the last page.

        ``counter`` counts in SQL when the position is not known.
        """
        if size == 0:
            return 0
        if last:
            return max(total() - size, 0)
        if after is not None:
            known = self.position(scope, after)
            return counter() if known is None else known + 1
        if before is not None:
            known = self.position(scope, before)
            return counter() if known is None else max(known - size, 0)
        return 0

    def page(
        self, scope: Hashable, first: Hashable, last: Hashable, offset: int, size: int
    ) -> None:
        """Remember where a page's first and last rows sit."""
        self.remember(scope, first, offset)
        self.remember(scope, last, offset + size - 1)
