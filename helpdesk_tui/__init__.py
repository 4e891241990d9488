"""helpdesk-tui: a keyboard-driven help-desk console over one shared SQLite file."""

__version__ = "0.1.0"
