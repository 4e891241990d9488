"""The Admin section (key 7): tiers, the catalogue, assets, SLA plans and calendars.

Admins only: the facade refuses everyone else (rule ``service.admin``) and this
screen shows that refusal instead of the tabs. Every edit is a keyboard form
(:mod:`.admin_forms`) saved through the facade in a thread worker; the tables are
read again after each save and whenever another console or the CLI commits.

Keys: ``[`` / ``]`` previous / next tab; ``e`` or enter edits the row under the
cursor; ``a`` adds (a product, an asset); ``x`` sets a product's end of support;
``m`` sets a cell of the plan matrix; ``h`` / ``d`` add / remove a holiday.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from ..desk import DeskError
from ..desk.service_admin import AdminView
from ..widgets import admin_tables as tables
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.topbar import TopBar
from . import admin_forms as forms
from .base import DeskScreen
from .form_dialog import FormDialog

TABS: tuple[tuple[str, str], ...] = (
    ("tiers", "Tiers"),
    ("catalogue", "Catalogue"),
    ("assets", "Assets"),
    ("sla", "SLA plans"),
    ("calendars", "Calendars"),
)
HINTS = {
    "tiers": "e or enter: edit the tier's channels and case categories",
    "catalogue": "a: add a product   e or enter: edit   x: end of support",
    "assets": "a: add an asset to a customer (warranty shown at intake)",
    "sla": "e or enter: edit the plan's targets and pauses   m: which plan a tier x priority gets",
    "calendars": "e or enter: weekly hours and time zone   h: add a holiday   d: remove one",
}
#: Which actions each tab offers (the footer shows only these).
ACTIONS = {
    "tiers": {"edit"},
    "catalogue": {"edit", "add", "end_support"},
    "assets": {"add"},
    "sla": {"edit", "matrix"},
    "calendars": {"edit", "holiday", "unholiday"},
}
_TABLES = {
    "admin-tiers": tables.TIER_COLUMNS,
    "admin-products": tables.PRODUCT_COLUMNS,
    "admin-ending": tables.ENDING_COLUMNS,
    "admin-assets": tables.ASSET_COLUMNS,
    "admin-matrix": tables.MATRIX_COLUMNS,
    "admin-plans": tables.PLAN_COLUMNS,
    "admin-calendars": tables.CALENDAR_COLUMNS,
}


class AdminScreen(DeskScreen):
    DEFAULT_CSS = """
    AdminScreen #admin-title { height: 1; padding: 0 1; background: $boost; }
    AdminScreen #admin-refused { padding: 1 2; color: $error; text-style: bold; }
    AdminScreen .admin-hint { height: 1; color: $text-muted; }
    AdminScreen .admin-sub { height: 1; margin-top: 1; text-style: bold; color: $accent; }
    AdminScreen #admin-tabs { height: 1fr; }
    AdminScreen DataTable { height: 1fr; }
    AdminScreen #admin-ending, AdminScreen #admin-matrix { height: auto; max-height: 8; }
    AdminScreen #admin-holidays { height: auto; max-height: 4; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "tab(-1)", "Prev tab", id="admin.prev"),
        Binding("right_square_bracket", "tab(1)", "Next tab", id="admin.next"),
        Binding("e", "edit", "Edit", id="admin.edit"),
        Binding("a", "add", "Add", id="admin.add"),
        Binding("x", "end_support", "End of support", id="admin.end_support"),
        Binding("m", "matrix", "Matrix cell", id="admin.matrix"),
        Binding("h", "holiday", "Add holiday", id="admin.holiday"),
        Binding("d", "unholiday", "Remove holiday", id="admin.unholiday"),
        Binding("r", "reload", "Refresh", id="admin.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: AdminView | None = None
        self.refused: str | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("admin")
        yield BulletinBar()
        yield Static(" Admin: the service model", id="admin-title", markup=False)
        yield Static("", id="admin-refused", markup=False)
        with TabbedContent(id="admin-tabs", initial="tiers"):
            for tab, label in TABS:
                with TabPane(label, id=tab):
                    yield Static(HINTS[tab], classes="admin-hint", markup=False)
                    yield from self._tab(tab)
        yield Footer()

    def _tab(self, tab: str) -> ComposeResult:
        if tab == "tiers":
            yield DataTable(id="admin-tiers")
        elif tab == "catalogue":
            yield DataTable(id="admin-products")
            yield Static("Support ending soon (90 days)", classes="admin-sub", markup=False)
            yield DataTable(id="admin-ending")
        elif tab == "assets":
            yield DataTable(id="admin-assets")
        elif tab == "sla":
            yield Static("Plan matrix: tier x priority", classes="admin-sub", markup=False)
            yield DataTable(id="admin-matrix")
            yield Static("Plans", classes="admin-sub", markup=False)
            yield DataTable(id="admin-plans")
        else:
            yield DataTable(id="admin-calendars")
            yield Static("", id="admin-holidays", markup=False)

    def on_mount(self) -> None:
        for table_id, columns in _TABLES.items():
            tables.setup(self.query_one(f"#{table_id}", DataTable), columns)
        self.query_one("#admin-refused").display = False
        self.query_one("#admin-tabs").display = False
        self.watch(self.helpdesk, "data_generation", lambda _g: self.load(), init=False)
        self.load()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.load()

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> None:
        self.run_desk(
            self.desk.admin_view, self._show, failed=self._refuse, group="admin", exclusive=True
        )

    def _refuse(self, error: DeskError) -> None:
        """Not an admin (or the file cannot be read): say why, show no tables."""
        self.view, self.refused = None, str(error)
        refused = self.query_one("#admin-refused", Static)
        refused.update(f"{error}\n\nAsk an admin to change tiers, the catalogue or SLA plans.")
        refused.display = True
        self.query_one("#admin-tabs").display = False
        self.refresh_bindings()

    def _show(self, view: AdminView) -> None:
        self.view, self.refused = view, None
        self.query_one("#admin-refused").display = False
        self.query_one("#admin-tabs").display = True
        for table_id, rows in (
            ("admin-tiers", tables.tier_rows(view)),
            ("admin-products", tables.product_rows(view)),
            ("admin-ending", tables.ending_rows(view)),
            ("admin-assets", tables.asset_rows(view)),
            ("admin-matrix", tables.matrix_rows(view)),
            ("admin-plans", tables.plan_rows(view)),
            ("admin-calendars", tables.calendar_rows(view)),
        ):
            tables.fill(self.query_one(f"#{table_id}", DataTable), rows)
        self._show_holidays()
        self.refresh_bindings()

    def _show_holidays(self) -> None:
        if self.view is None:
            return
        name = tables.selected(self.query_one("#admin-calendars", DataTable))
        cal = next((c for c in self.view.calendars if c.name == name), None)
        text = ""
        if cal is not None:
            days = ", ".join(cal.holidays) or "none"
            text = f"Holidays of {cal.name}: {'none (open 24/7)' if cal.always_open else days}"
        self.query_one("#admin-holidays", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "admin-calendars":
            self._show_holidays()

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    # -- keys ------------------------------------------------------------------------------------
    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active or "tiers"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        every = {a for names in ACTIONS.values() for a in names}
        if action in every:
            return self.view is not None and action in ACTIONS.get(self.tab, set())
        if action == "tab":
            return self.view is not None
        return True

    def action_tab(self, step: int) -> None:
        ids = [t for t, _ in TABS]
        tabbed = self.query_one(TabbedContent)
        tabbed.active = ids[(ids.index(self.tab) + step) % len(ids)]
        pane = tabbed.get_pane(tabbed.active)
        first = pane.query(DataTable).first() if pane.query(DataTable) else None
        if first is not None:
            first.focus()

    def action_reload(self) -> None:
        self.load()

    def _table(self) -> DataTable:
        """The table the keys act on: the focused one, else the tab's first."""
        focused = self.focused
        if isinstance(focused, DataTable):
            return focused
        pane = self.query_one(TabbedContent).get_pane(self.tab)
        return pane.query(DataTable).first()

    def _open(self, dialog: FormDialog | None) -> None:
        if dialog is None:
            return

        def saved(result: object) -> None:
            if result is not None:
                self.say(f"Saved: {dialog.title_text}")
                self.load()

        self.app.push_screen(dialog, saved)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.view is not None and "edit" in ACTIONS.get(self.tab, set()):
            self.action_edit()

    def action_edit(self) -> None:
        view, table = self.view, self._table()
        key = tables.selected(table)
        if view is None or key is None:
            return
        builders = {
            "admin-tiers": forms.tier_form,
            "admin-products": forms.product_form,
            "admin-ending": forms.product_form,
            "admin-plans": forms.plan_form,
            "admin-calendars": forms.calendar_form,
        }
        if table.id == "admin-matrix":
            self._open(forms.matrix_form(self.desk, view, key))
        elif table.id in builders:
            self._open(builders[table.id](self.desk, view, key))

    def action_add(self) -> None:
        if self.view is None:
            return
        if self.tab == "catalogue":
            self._open(forms.new_product_form(self.desk, self.view))
        elif self.tab == "assets":
            self._open(forms.asset_form(self.desk, self.view))

    def action_end_support(self) -> None:
        key = tables.selected(self._table())
        if self.view is not None and key is not None:
            self._open(forms.end_support_form(self.desk, self.view, key))

    def action_matrix(self) -> None:
        if self.view is not None:
            tier = tables.selected(self.query_one("#admin-matrix", DataTable))
            self._open(forms.matrix_form(self.desk, self.view, tier))

    def _calendar(self) -> str | None:
        return tables.selected(self.query_one("#admin-calendars", DataTable))

    def action_holiday(self) -> None:
        name = self._calendar()
        if self.view is not None and name is not None:
            self._open(forms.holiday_form(self.desk, name))

    def action_unholiday(self) -> None:
        name = self._calendar()
        if self.view is not None and name is not None:
            dialog = forms.remove_holiday_form(self.desk, self.view, name)
            if dialog is None:
                self.say(f"{name} has no holidays.")
            self._open(dialog)
