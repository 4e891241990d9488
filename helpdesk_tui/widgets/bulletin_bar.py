"""The line under the top bar on every screen: the bulletins in force now.

Seed 002: when a known problem hits, front-line staff get a bulletin with
the answer to give. The bar never hides them; text is shown literally (a
bulletin is the first place an attacker's ``[@click=...]`` would run).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..textsafe import clip

SEVERITY_STYLES = {
    "critical": "bold white on red",
    "major": "bold black on yellow",
    "minor": "bold",
}


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
        if not active:
            self.update(Text("No active bulletins", style="dim"))
            return
        first = active[0]
        line = Text()
        line.append(f" {first.severity.upper()} ", style=SEVERITY_STYLES.get(first.severity, ""))
        line.append(" " + clip(first.title, 40), style="bold")
        line.append("  Tell them: ")
        line.append(clip(first.answer, 70))
        if len(active) > 1:
            line.append(f"   (+{len(active) - 1} more bulletins)", style="dim")
        self.update(line)
