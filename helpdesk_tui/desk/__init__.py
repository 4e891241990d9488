"""The desk's business rules; pure Python, no Textual or Rich.

Both the CLI and the console call :class:`Desk`.
"""

from __future__ import annotations

from ..store import Category, Contact, Customer, Event, Page, PageKey, Ticket, User
from .ages import human_age, local
from .errors import (
    DeskError,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleEdit,
    StorageProblem,
    UnknownUser,
)
from .facade import Desk, current_login, default_db_path
from .intake import ContactResult, TicketDraft
from .ticketing import QUEUE_VIEWS, TicketView

__all__ = [
    "Category",
    "Contact",
    "Customer",
    "Event",
    "Page",
    "PageKey",
    "Ticket",
    "User",
    "QUEUE_VIEWS",
    "ContactResult",
    "Desk",
    "DeskError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "StaleEdit",
    "StorageProblem",
    "TicketDraft",
    "TicketView",
    "UnknownUser",
    "current_login",
    "default_db_path",
    "human_age",
    "local",
]
