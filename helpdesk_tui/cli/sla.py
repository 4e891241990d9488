"""``helpdesk sla``: SLA clocks of a ticket."""

from __future__ import annotations
