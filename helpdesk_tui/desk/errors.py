"""Errors the desk reports to users: each carries a one-line, actionable message.

The CLI prints ``str(error)`` and exits non-zero; the console shows it as a
notification or a field error. Nothing is written when one is raised.
"""

from __future__ import annotations


class DeskError(Exception):
    """Base: a refusal with a message meant for the user."""

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field to highlight, when there is one

    def __str__(self) -> str:
        return self.message


class NotFound(DeskError):
    """An id, number, login or key that does not exist."""


class InvalidInput(DeskError):
    """Text or a choice that the desk cannot accept as given."""


class Forbidden(DeskError):
    """The acting user's role or level does not allow the action."""


class UnknownUser(DeskError):
    """The acting login is not a helpdesk user."""


class StaleEdit(DeskError):
    """Someone else changed the ticket since it was read; nothing was written."""


class StorageProblem(DeskError):
    """The database file cannot be used (missing, read-only, damaged, too new, busy)."""

    exit_code = 2
