"""The Knowledge section: search the trees as you type, enter walks the one highlighted.

Any typed text is a valid query (the store quotes it for FTS5). Each keystroke
restarts one thread worker that waits :data:`DEBOUNCE_SECONDS` before
searching, so a fast typist sends one query, and a newer search always wins.

The same screen is pushed from a ticket (``w``) or from the contact form
(ctrl+k), filtered by the ticket's category and product (ctrl+f shows every
article); there it dismisses with the walk's result so the screen below can
show what changed. Admins open the tree editor from here (ctrl+t) and add
articles (ctrl+n).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..desk import DeskError
from ..desk.knowledge_base import ArticleSummary
from ..desk.knowledge_walking import WalkResult
from ..desk.permissions import require
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.kb_view import one_line, summary_line
from ..widgets.topbar import TopBar
from .base import DeskCalls
from .kb_walk import WalkFor, WalkScreen

if TYPE_CHECKING:
    from .ticket import TicketScreen

#: Seconds a search waits for the next keystroke before it runs.
DEBOUNCE_SECONDS = 0.15
RESULTS = 20


class SearchBox(Input):
    """What the agent types; down moves into the results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_results", "Results", show=False),
    ]


class KnowledgeScreen(DeskCalls, Screen[WalkResult | None]):
    """Search and walk; as a section (no ``purpose``) or pushed for a ticket or contact."""

    DEFAULT_CSS = """
    KnowledgeScreen #kb-title { height: 1; padding: 0 1; background: $boost; }
    KnowledgeScreen #kb-search { margin: 0 1; }
    KnowledgeScreen #kb-filter { height: auto; padding: 0 1; }
    KnowledgeScreen #kb-results { height: 1fr; margin: 0 1; }
    KnowledgeScreen #kb-status { height: auto; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "toggle_filter", "Filter on/off", priority=True, id="kb.filter"),
        Binding("ctrl+t", "edit_tree", "Edit tree", priority=True, id="kb.edit"),
        Binding("ctrl+n", "new_article", "New article", priority=True, id="kb.new"),
        Binding("slash", "focus_search", "Search", show=False, id="kb.search"),
        Binding("escape", "back", "Back", id="kb.back"),
    ]

    def __init__(
        self,
        purpose: WalkFor | None = None,
        *,
        category: str | None = None,
        product: str | None = None,
        query: str = "",
        scope: str = "",
    ) -> None:
        super().__init__()
        self.scope = scope  # the ticket's category, as shown in the filter line
        self.purpose = purpose
        self.category = category
        self.product = product
        self.filtered = purpose is not None and (
            purpose.ticket is not None or bool(category or product)
        )
        self.query_text = query
        self.results: list[ArticleSummary] = []
        self.results_for: str | None = None  # the text the shown results belong to

    @property
    def pushed(self) -> bool:
        """Pushed for a ticket or contact (dismisses) rather than the section itself."""
        return self.purpose is not None

    def compose(self) -> ComposeResult:
        yield TopBar("knowledge" if not self.pushed else self.app.current_mode)
        yield BulletinBar()
        yield Static(id="kb-title", markup=False)
        yield SearchBox(
            self.query_text,
            placeholder="type a few words of the problem: print, vpn, password…",
            id="kb-search",
        )
        yield Static(id="kb-filter", markup=False)
        yield OptionList(id="kb-results")
        yield Static(id="kb-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        title = Text(" Knowledge: find a tree, enter walks it ", style="bold")
        if self.purpose is not None:
            title.append(f"  {one_line(self.purpose.describe())}")
        self.query_one("#kb-title", Static).update(title)
        self._show_filter()
        self.query_one("#kb-search").focus()
        self.search()

    def on_screen_resume(self) -> None:
        """Back from a walk or the editor: ready to type the next search; titles and
        versions may have changed meanwhile."""
        self.query_one("#kb-search").focus()
        if self.results_for is not None:
            self.search(debounce=False)

    # -- searching ----------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "kb-search":
            self.search()

    def search(self, *, debounce: bool = True) -> None:
        text = self.query_one("#kb-search", Input).value
        purpose, filtered = self.purpose, self.filtered
        category, product = self.category, self.product
        admin = self.helpdesk.user.role == "admin"

        def find() -> list[ArticleSummary]:
            if purpose is not None and purpose.ticket is not None and filtered:
                return self.desk.kb_search(text, ticket=purpose.ticket, limit=RESULTS)
            if filtered:
                return self.desk.kb_search(text, category=category, product=product, limit=RESULTS)
            if not text.strip() and admin and purpose is None:
                return self.desk.kb_articles(drafts=True)  # drafts too, for the editor
            return self.desk.kb_search(text, limit=RESULTS)

        app = self.app

        def job() -> None:
            if debounce:
                time.sleep(DEBOUNCE_SECONDS)
                if get_current_worker().is_cancelled:
                    return  # a newer keystroke is searching
            try:
                found = find()
            except DeskError as error:
                app.call_from_thread(self.report, error)
                return
            app.call_from_thread(self._show_results, text, found)

        self.run_worker(job, thread=True, group="kb-search", exclusive=True)

    def _show_results(self, text: str, found: list[ArticleSummary]) -> None:
        if text != self.query_one("#kb-search", Input).value:
            return  # typed on since: a newer search is coming
        options = self.query_one("#kb-results", OptionList)
        keep = self.selected_key()
        self.results, self.results_for = found, text
        options.clear_options()
        for article in found:
            options.add_option(Option(summary_line(article), id=article.key))
        keys = [a.key for a in found]
        if found:
            options.highlighted = keys.index(keep) if keep in keys and text == "" else 0
        status = Text()
        escape = "esc back" if self.pushed else "esc clears, then leaves the box"
        keys = f"   ↓ results · enter walk · ctrl+t edit (admins) · {escape}"
        if not found:
            status.append(
                f"No article matches “{one_line(text)}”." if text.strip() else "No articles.",
                style="bold",
            )
            if self.filtered:
                status.append("  ctrl+f searches every article.", style="dim")
        else:
            what = f"matching “{one_line(text)}”" if text.strip() else "by title"
            plural = "s" if len(found) != 1 else ""
            status.append(f"{len(found)} article{plural} {what}", style="dim")
        status.append(keys, style="dim")
        self.query_one("#kb-status", Static).update(status)

    def _show_filter(self) -> None:
        line = Text()
        if self.purpose is None:
            line.append("All published articles", style="dim")
        elif self.filtered:
            if self.purpose.ticket is not None:
                what = f"ticket #{self.purpose.ticket}'s category"
                if self.scope:
                    what = f"{one_line(self.scope)} ({what} and product)"
            else:
                parts = [p for p in (self.category, self.product) if p]
                what = "the contact's " + " and ".join(one_line(p) for p in parts)
            line.append(f"Only articles for {what}", style="bold")
            line.append("  (ctrl+f: every article)", style="dim")
        else:
            line.append("Every article", style="bold")
            if self.purpose.ticket is not None or self.category or self.product:
                line.append("  (ctrl+f: only the ones for this problem)", style="dim")
        self.query_one("#kb-filter", Static).update(line)

    def selected_key(self) -> str | None:
        options = self.query_one("#kb-results", OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return options.get_option_at_index(options.highlighted).id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_filter":  # only where there is something to filter by
            purpose = self.purpose
            return purpose is not None and (
                purpose.ticket is not None or bool(self.category or self.product)
            )
        return True

    # -- actions ------------------------------------------------------------------------------
    def action_focus_results(self) -> None:
        options = self.query_one("#kb-results", OptionList)
        if options.option_count:
            options.focus()

    def action_focus_search(self) -> None:
        self.query_one("#kb-search").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "kb-search":
            return
        if self.results_for != event.value:
            self.say("Still searching: press enter again in a moment")
            return
        key = self.selected_key()
        if key is None:
            self.report("No article to walk: type other words, or ctrl+f for every article")
            return
        self.walk(key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.walk(event.option.id)

    def walk(self, key: str) -> None:
        def ended(result: WalkResult | None) -> None:
            if result is not None and self.pushed:
                self.dismiss(result)

        self.app.push_screen(WalkScreen(key, self.purpose), ended)

    def action_toggle_filter(self) -> None:
        if self.purpose is None or not (
            self.purpose.ticket is not None or self.category or self.product
        ):
            self.say("Nothing to filter by: every article is searched")
            return
        self.filtered = not self.filtered
        self._show_filter()
        self.search(debounce=False)

    def action_edit_tree(self) -> None:
        from .kb_editor import KbEditorScreen

        key = self.selected_key()
        if key is None:
            self.report("Choose an article to edit first (type to search)")
            return
        self.app.push_screen(KbEditorScreen(key))

    def action_new_article(self) -> None:
        from .kb_editor import new_article

        self.run_desk(lambda: require(self.desk.actor, "kb.edit"), lambda _ok: new_article(self))

    def action_back(self) -> None:
        if self.pushed:
            self.dismiss(None)
            return
        search = self.query_one("#kb-search", Input)
        if self.focused is not search:
            search.focus()
        elif search.value:
            search.value = ""
        else:  # leave the box: the section keys (1-5, #, n) work again
            self.query_one("#kb-results", OptionList).focus()


def walk_for_ticket(screen: TicketScreen) -> None:
    """From a ticket: search filtered by its category and product, walk, then reload it."""
    view = screen.view
    if view is None:
        return
    ticket = view.ticket
    channels = [c.channel for c in view.contacts]
    purpose = WalkFor(
        ticket=ticket.id,
        ticket_title=ticket.title,
        told_via=channels[-1] if channels else None,
    )

    def ended(result: WalkResult | None) -> None:
        if result is not None:
            screen.load()

    category = screen.helpdesk.categories.get(ticket.category)
    scope = category.name if category else ticket.category
    screen.app.push_screen(KnowledgeScreen(purpose, scope=scope), ended)
