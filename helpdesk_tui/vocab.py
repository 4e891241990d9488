"""The desk's fixed vocabulary, shared by the store and the domain layer.

One place for each list: the open-queue partial index only helps when the
query repeats its ``IN (...)`` list literally, so the SQL for both is built
from :data:`OPEN_STATUSES` here.
"""

from __future__ import annotations

CHANNELS: tuple[str, ...] = ("phone", "email", "walk-in", "chat", "portal", "social")
CHANNEL_LABELS: dict[str, str] = {
    "phone": "Phone",
    "email": "E-mail",
    "walk-in": "Walk-in",
    "chat": "Chat",
    "portal": "Self-service portal",
    "social": "Social media",
}

PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")

#: Every status a ticket can be in. Statuses beyond open/resolved/closed are
#: the triage and escalation states of the ticket's journey.
STATUSES: tuple[str, ...] = (
    "open",
    "triage",
    "waiting_customer",
    "waiting_vendor",
    "resolved",
    "closed",
)
#: The statuses of the work queue. Order matters to SQLite's partial index.
OPEN_STATUSES: tuple[str, ...] = ("open", "triage", "waiting_customer", "waiting_vendor")
STATUS_LABELS: dict[str, str] = {
    "open": "open",
    "triage": "triage",
    "waiting_customer": "waiting on customer",
    "waiting_vendor": "waiting on vendor",
    "resolved": "resolved",
    "closed": "closed",
}

ROLES: tuple[str, ...] = ("agent", "lead", "admin")
LEVELS: tuple[int, ...] = (1, 2, 3)
TIERS: tuple[str, ...] = ("basic", "premium", "concierge")

#: What became of a contact (seed 002: every customer is logged, even for a
#: general question).
OUTCOMES: tuple[str, ...] = ("answered", "ticket", "existing")
OUTCOME_LABELS: dict[str, str] = {
    "answered": "answered at first contact",
    "ticket": "ticket opened",
    "existing": "added to an existing ticket",
}


def sql_list(values: tuple[str, ...]) -> str:
    """Render a tuple of constants as a literal SQL ``IN`` list."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


OPEN_STATUS_SQL = sql_list(OPEN_STATUSES)
