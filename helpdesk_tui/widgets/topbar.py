"""The line above every section: where you are, who you are, which file."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("queue", "1", "Queue"),
    ("contact", "2", "Contact"),
    ("contacts", "3", "Contact log"),
    ("bulletins", "4", "Bulletins"),
    ("knowledge", "5", "Knowledge"),
    ("metrics", "6", "Metrics"),
    ("admin", "7", "Admin"),
)


class TopBar(Static):
    """Section tabs with their keys, the acting user and the database file."""

    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(markup=False)
        self.current = current

    def on_mount(self) -> None:
        app = self.app
        user = app.user  # type: ignore[attr-defined]
        path = Path(app.desk.store.path).name  # type: ignore[attr-defined]
        line = Text()
        line.append(" helpdesk ", style="bold reverse")
        for mode, key, label in SECTIONS:
            style = "bold reverse" if mode == self.current else ""
            line.append("  ")
            line.append(f" {key} {label} ", style=style)
        line.append("   ")
        line.append(f"{user.name} · {user.role} · L{user.level}", style="bold")
        if user.department:
            line.append(f" · {user.department}")
        line.append(f"   {path}", style="dim")
        self.update(line)
