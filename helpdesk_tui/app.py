"""The console: sections as Textual modes, change polling, global keys.

Sections (each one key from anywhere, and in the command palette):
``1`` Queue, ``2`` Contact (log a new one), ``3`` Contact log, ``4`` Bulletins,
``5`` Knowledge, ``7`` Admin. ``#`` jumps to a ticket, ``?`` lists the keys,
ctrl+p opens the command palette.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from .desk import Category, Desk, DeskError, User
from .screens.admin import AdminScreen
from .screens.bulletins import BulletinsScreen
from .screens.contact import ContactScreen
from .screens.contacts import ContactLogScreen
from .screens.dialogs import AskNumber
from .screens.knowledge import KnowledgeScreen
from .screens.metrics import MetricsScreen
from .screens.queue import VIEW_LABELS, QueueScreen
from .screens.ticket import TicketScreen
from .textsafe import printable
from .widgets.bulletin_watch import ExpiryWatch

SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("queue", "1", "Queue"),
    ("contact", "2", "Contact"),
    ("contacts", "3", "Contact log"),
    ("bulletins", "4", "Bulletins"),
    ("knowledge", "5", "Knowledge"),
    ("metrics", "6", "Metrics"),
    ("admin", "7", "Admin"),
)

#: Seconds between PRAGMA data_version polls (under 1 ms each).
POLL_SECONDS = 0.75


class HelpdeskApp(App[None]):
    """The help-desk console over one Desk (one file, one acting user)."""

    TITLE = "helpdesk"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "section('queue')", "Queue", id="section.queue"),
        Binding("2", "section('contact')", "Contact", id="section.contact"),
        Binding("3", "section('contacts')", "Log", id="section.contacts"),
        Binding("4", "section('bulletins')", "Bulletins", id="section.bulletins"),
        Binding("5", "section('knowledge')", "Knowledge", id="section.knowledge"),
        Binding("6", "section('metrics')", "Metrics", id="section.metrics"),
        Binding("7", "section('admin')", "Admin", id="section.admin"),
        Binding("n", "section('contact')", "New contact", show=False, id="contact.new"),
        Binding("number_sign,colon", "jump", "Ticket #", id="ticket.jump"),
        Binding("question_mark", "keys", "Keys", id="help.keys"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    MODES: ClassVar[dict[str, Callable[[], Screen]]] = {  # type: ignore[assignment]
        "queue": QueueScreen,
        "contact": ContactScreen,
        "contacts": ContactLogScreen,
        "bulletins": BulletinsScreen,
        "knowledge": KnowledgeScreen,
        "metrics": MetricsScreen,
        "admin": AdminScreen,
    }
    DEFAULT_MODE = "queue"

    #: Bumped when the bulletins in force change (the bulletin bars watch it).
    bulletin_generation: reactive[int] = reactive(0)

    #: Bumped whenever another connection (another console, the CLI) commits.
    data_generation: reactive[int] = reactive(0)

    def __init__(self, desk: Desk, *, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__()
        self.desk = desk
        self.poll_seconds = poll_seconds
        self.user: User = desk.actor
        # Reference data read once, before the event loop starts.
        self.categories: dict[str, Category] = {c.key: c for c in desk.categories()}
        self.department_names: list[str] = [d.name for d in desk.departments()]
        self.products: list[tuple[str, str]] = [(p.key, p.name) for p in desk.products()]
        self.bulletin_token = desk.bulletin_revision()
        self.active_bulletins = desk.bulletins(active_only=True)
        self._seen_version: int | None = None
        self.expiry_watch = ExpiryWatch()  # bulletins past their expected end

    def on_mount(self) -> None:
        self.sub_title = f"{self.user.name} ({self.user.role}, level {self.user.level})"
        self.set_interval(self.poll_seconds, self._poll)

    # -- change polling --------------------------------------------------------------
    def _poll(self) -> None:
        self.expiry_watch.check(self)
        self.run_worker(self._check_version, thread=True, group="poll", exclusive=True)

    def _check_version(self) -> None:
        try:
            version = self.desk.data_version()
        except DeskError:
            return
        if self._seen_version is None:
            self._seen_version = version
        elif version != self._seen_version:
            self._seen_version = version
            try:
                token, changed = self.desk.bulletins_changed_since(self.bulletin_token)
                active = self.desk.bulletins(active_only=True)
            except DeskError:
                token, changed, active = self.bulletin_token, [], self.active_bulletins
            self.call_from_thread(self._bulletins, token, changed, active)
            self.call_from_thread(self._bump)

    def _bulletins(self, token: int, changed: list, active: list) -> None:
        """A bulletin posted, updated or resolved anywhere: tell this console at once."""
        self.bulletin_token = token
        self.active_bulletins = active
        for b in changed:
            self.notify(
                f"Bulletin {b.change}: {printable(b.title, single_line=True)}\n"
                + (
                    f"Fixed: {printable(b.resolution, single_line=True)}"
                    if b.change == "resolved"
                    else f"Tell them: {printable(b.answer, single_line=True)}"
                ),
                title=f"{b.severity} bulletin",
                severity="warning" if b.change != "resolved" else "information",
                markup=False,
                timeout=15,
            )
        self.bulletin_generation += 1

    def _bump(self) -> None:
        self.data_generation += 1

    # -- global actions -----------------------------------------------------------------
    def action_section(self, name: str) -> None:
        if self.current_mode != name:
            self.switch_mode(name)

    def action_jump(self) -> None:
        def go(number: int | None) -> None:
            if number is not None:
                self.open_ticket(number)

        self.push_screen(AskNumber("Open ticket number"), go)

    def open_ticket(self, number: int) -> None:
        self.push_screen(TicketScreen(number))

    def _queue_view(self, view: str) -> None:
        self.action_section("queue")
        screen = self.screen
        if isinstance(screen, QueueScreen):
            screen.show_view(view)

    def action_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for mode, key, label in SECTIONS:
            yield SystemCommand(
                f"Go to {label}",
                f"Section {label} (key {key})",
                lambda mode=mode: self.action_section(mode),
            )
        yield SystemCommand(
            "New contact",
            "Log a new customer contact (key n)",
            lambda: self.action_section("contact"),
        )
        yield SystemCommand("Open ticket by number", "Jump to a ticket (key #)", self.action_jump)
        for view, label in VIEW_LABELS.items():
            yield SystemCommand(
                f"Queue: {label}",
                f"Show the queue view '{view}' (key v in the queue)",
                lambda view=view: self._queue_view(view),
            )
        yield from getattr(screen, "system_commands", lambda: ())()  # the section's own
        yield from super().get_system_commands(screen)
