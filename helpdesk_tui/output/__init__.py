"""Rendering desk records for the command line: Rich tables, JSON and CSV.

Kept apart from :mod:`helpdesk_tui.cli` so the commands stay a list of thin
calls, and kept free of desk calls so every renderer is a pure function of
records.

Safety rules, because every record carries text that users typed:

- Table cells are ``Text(printable(...))``: Rich markup such as
  ``[red]x[/red]`` shows as typed, and control characters (an ESC starting
  an ANSI sequence, a bell) show as visible pictures instead of acting.
- JSON is raw data; ``json`` escapes C0 controls itself and :func:`to_json`
  escapes the C1 range and DEL too, so the text is safe even on a terminal.
- CSV is the data as stored, for spreadsheets and scripts.

- :mod:`.base`: cells, tables, JSON, CSV, the progress bar
- :mod:`.records`: users, customers, contacts, categories
- :mod:`.tickets`: the queue, the state line, ``ticket show``
"""

from __future__ import annotations

from .base import NARROW, NOTE, WIDE, cell, console, plain, progress_bar, table, to_json, write_csv
from .records import (
    categories_table,
    channel_label,
    contacts_table,
    customers_table,
    users_table,
)
from .tickets import (
    TICKET_COLUMNS,
    change_lines,
    level_label,
    link_kind,
    ticket_records,
    ticket_state,
    ticket_view,
    ticket_view_data,
    tickets_table,
)

__all__ = [
    "NARROW",
    "NOTE",
    "TICKET_COLUMNS",
    "WIDE",
    "categories_table",
    "cell",
    "change_lines",
    "channel_label",
    "console",
    "contacts_table",
    "customers_table",
    "level_label",
    "link_kind",
    "plain",
    "progress_bar",
    "table",
    "ticket_records",
    "ticket_state",
    "ticket_view",
    "ticket_view_data",
    "tickets_table",
    "to_json",
    "users_table",
    "write_csv",
]
