"""The ``helpdesk`` command line: thin Typer commands over the :class:`Desk` facade.

Thin on purpose: the console and the CLI must obey the same rules, so a
command only parses its options, calls the facade and renders the result
(renderers live in :mod:`helpdesk_tui.output`). Every refusal is a
:class:`DeskError`; the root group in :mod:`.base` turns it into one
``error:`` line on stderr and the error's exit code, in one place.

- :mod:`.base`: the apps, the error handler, shared options; init, demo, categories
- :mod:`.people`: users, customers and the contact log
- :mod:`.tickets`: open, list, show, note, priority, resolve, close, reopen
- :mod:`.journey`: triage, transfer, ownership, escalation, customer updates, links
- :mod:`.catalogue`: products, assets and warranty, customer tiers
- :mod:`.sla`: SLA clocks
"""

from __future__ import annotations

# Importing a module registers its commands; `helpdesk ticket --help` lists them in
# this order, the everyday ticket commands before the journey ones.
from . import people, tickets
from .base import app, main

# isort: split
from . import catalogue, journey, sla
from .bulletin import bulletin_app  # noqa: F401 - registers `helpdesk bulletin`
from .calls import calls_app  # noqa: F401 - registers `helpdesk calls` (issue 7)
from .config import config_app  # noqa: F401 - registers `helpdesk config` (issue 4)
from .kb import kb_app  # noqa: F401 - registers `helpdesk kb` (issue 5)
from .maintenance import backup, check  # noqa: F401 - `helpdesk backup`, `check` (issue 8)
from .report import report, staffing  # noqa: F401 - `helpdesk report`, `staffing` (issue 7)

__all__ = ["app", "catalogue", "journey", "main", "people", "sla", "tickets"]
