"""The line under the top bar on every screen: the bulletins in force now.

Seed 002: when a known problem hits, front-line staff get a bulletin with
the answer to give. The bar never hides them; text is shown literally (a
bulletin is the first place an attacker's ``[@click=...]`` would run).
A bulletin past its expected end and still active is marked EXPIRED here
and in the Bulletins section, so a lead resolves or extends it instead of
it lingering unnoticed.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from ..desk.bulletins import Bulletin
from ..desk.permissions import allowed
from ..textsafe import clip

SEVERITY_STYLES = {
    "critical": "bold white on red",
    "major": "bold black on yellow",
    "minor": "bold",
}
EXPIRED_STYLE = "bold white on dark_red"


def bar_text(active: Sequence[Bulletin], *, lead: bool = False) -> Text:
    """The bar's one line: the most severe bulletin, what to tell callers, how many more."""
    if not active:
        return Text("No active bulletins", style="dim")
    first = active[0]
    line = Text()
    line.append(f" {first.severity.upper()} ", style=SEVERITY_STYLES.get(first.severity, ""))
    if first.expired:
        line.append(" ")
        line.append(" EXPIRED ", style=EXPIRED_STYLE)
    line.append(" " + clip(first.title, 40), style="bold")
    line.append("  Tell them: ")
    line.append(clip(first.answer, 70))
    extra = []
    if len(active) > 1:
        extra.append(f"+{len(active) - 1} more bulletins")
    expired = sum(1 for b in active if b.expired)
    if expired and (expired > 1 or not first.expired):
        extra.append(f"{expired} expired")
    if expired and lead:
        extra.append("4: resolve or extend")
    if extra:
        line.append(f"   ({'; '.join(extra)})", style="dim")
    return line


class BulletinBar(Static):
    DEFAULT_CSS = """
    BulletinBar { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self) -> None:
        super().__init__(markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "bulletin_generation", lambda _g: self.render_bulletins())

    def render_bulletins(self) -> None:
        active = getattr(self.app, "active_bulletins", [])
        # the user read at start-up: the UI thread never waits for the store's lock
        user = getattr(self.app, "user", None)
        lead = bool(user is not None and allowed(user, "bulletin.post"))
        self.update(bar_text(active, lead=lead))
