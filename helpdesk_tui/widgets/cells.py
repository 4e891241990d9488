"""Turning record values into table cells and labels that show text literally.

Every string a user typed goes through :func:`literal` (a ``rich.text.Text``
with control characters made visible), so ``[red]`` stays ``[red]`` and an
ESC never reaches the terminal.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from ..desk import human_age
from ..textsafe import clip, printable
from ..vocab import STATUS_LABELS

PRIORITY_STYLES = {"low": "dim", "normal": "", "high": "bold yellow", "urgent": "bold red"}


def literal(value: object, *, width: int | None = None, style: str = "") -> Text:
    """User text as a one-line cell: no markup, no control codes."""
    text = "" if value is None else str(value)
    shown = clip(text, width) if width else printable(text, single_line=True)
    return Text(shown, style=style, no_wrap=True, overflow="ellipsis")


def block(value: object, style: str = "") -> Text:
    """User text that may span lines (notes, descriptions)."""
    return Text(printable("" if value is None else str(value)), style=style)


def age_style(age: timedelta) -> str:
    """Older problems are worked first: make old ones stand out."""
    if age >= timedelta(days=7):
        return "bold red"
    if age >= timedelta(days=3):
        return "red"
    if age >= timedelta(days=1):
        return "yellow"
    return "green"


def age_cell(created: datetime, now: datetime) -> Text:
    age = now - created
    return Text(human_age(age), style=age_style(age), justify="right")


#: Colours of the SLA states, by how close they are to breach (the CLI's, too).
SLA_STATE_STYLES = {
    "breached": "bold red",
    "at risk": "bold yellow",
    "on track": "green",
    "paused": "dim",
    "met": "blue",
}


def due_cell(due: datetime | None, state: str, now: datetime) -> Text:
    """The next SLA due time as "in 3h 5m" or "2d 1h late", coloured by state.

    A ticket on a plan whose clocks are paused (waiting on the customer or a vendor)
    reads "paused"; one without a plan is blank.
    """
    style = SLA_STATE_STYLES.get(state, "")
    if due is None:
        return Text("paused" if state == "paused" else "", style=style, justify="right")
    if due <= now:
        return Text(f"{human_age(now - due)} late", style=style, justify="right")
    return Text(f"in {human_age(due - now)}", style=style, justify="right")


def priority_cell(priority: str) -> Text:
    return Text(priority, style=PRIORITY_STYLES.get(priority, ""))


def status_cell(status: str) -> Text:
    return Text(STATUS_LABELS.get(status, status))


def number_cell(number: int) -> Text:
    return Text(f"#{number}", style="bold", justify="right")
