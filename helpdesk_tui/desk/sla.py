"""SLA clocks on business-hours calendars: targets, pauses, due times (issue 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .facade import Desk


class SlaMixin:
    def _sla_after_change(self: Desk, ticket_id: int) -> None:
        """Called inside the transaction of every ticket change: keep ``due_at`` current."""
