"""Business-hours calendars, SLA plans, the tier x priority matrix, and due times."""

from __future__ import annotations

from .base import Repo


class SlaStore(Repo):
    """Queries for calendars, SLA plans and the tickets' stored due times (issue 4)."""
