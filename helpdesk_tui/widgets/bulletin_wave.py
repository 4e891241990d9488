"""The wave of calls a bulletin draws, hour by hour, as text bars.

Seed 002: management expects many inquiries on an outage day; a lead looks
at the wave to see whether it is still rising. One line per hour (local
time), a bar scaled to the busiest hour, contacts and tickets counted. Only
the latest :data:`SHOWN_HOURS` hours are drawn; the whole span is in
``helpdesk bulletin show``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text

from ..desk.bulletins import HourCount

SHOWN_HOURS = 12
BAR_WIDTH = 24


def _hour_label(hour: str, now: datetime) -> str:
    moment = datetime.fromisoformat(hour).astimezone()
    if moment.date() == now.astimezone().date():
        return moment.strftime("%H:00")
    return moment.strftime("%a %H:00")


def wave_text(hours: Sequence[HourCount], now: datetime) -> Text:
    out = Text("Per hour: contacts / tickets linked\n", style="bold")
    if not hours:
        out.append("  nothing linked yet\n", style="dim")
        return out
    shown = list(hours)[-SHOWN_HOURS:]
    peak = max(max(h.contacts, h.tickets) for h in hours) or 1
    if len(hours) > len(shown):
        out.append(f"  ({len(hours) - len(shown)} earlier hours not shown)\n", style="dim")
    for h in shown:
        label = _hour_label(h.hour, now)
        size = max(h.contacts, h.tickets)
        bar = "█" * max(1 if size else 0, round(size * BAR_WIDTH / peak))
        out.append(f"  {label:>9} ", style="dim")
        out.append(f"{bar:<{BAR_WIDTH}}", style="bold yellow")
        out.append(f" {h.contacts:>4} / {h.tickets}\n")
    busiest = max(hours, key=lambda h: (h.contacts, h.tickets))
    out.append(
        f"  busiest {_hour_label(busiest.hour, now)}: {busiest.contacts} contacts, "
        f"{busiest.tickets} tickets",
        style="dim",
    )
    return out
