"""An article's published versions, newest first: who published what, when, and why."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from ..desk import local
from ..desk.knowledge_base import ArticleVersion
from ..widgets.kb_view import one_line
from .base import DeskModal


class KbHistoryScreen(DeskModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(
                f"Versions of {self.key} (esc closes)", classes="dialog-title", markup=False
            )
            with VerticalScroll():
                yield Static("Loading…", id="kb-history", markup=False)

    def on_mount(self) -> None:
        key = self.key
        self.run_desk(lambda: self.desk.kb_history(key), self._show, failed=self._failed)

    def _show(self, versions: list[ArticleVersion]) -> None:
        now = self.desk.now()
        out = Text()
        if not versions:
            out.append("Never published: only the draft exists.", style="dim")
        for v in reversed(versions):
            out.append(f"v{v.version:<4}", style="bold")
            out.append(f"{local(v.at, now=now):>16}  ")
            out.append(f"{one_line(v.by):<10} ", style="bold")
            out.append(f"{one_line(v.source):<8} ", style="cyan")
            out.append(f"{len(v.article.nodes):>3} nodes  ")
            out.append(one_line(v.note) if v.note else "", style="italic")
            out.append("\n")
        self.query_one("#kb-history", Static).update(out)

    def _failed(self, error: Exception) -> None:
        self.report(str(error))
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
