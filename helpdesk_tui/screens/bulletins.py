"""The Bulletins section (key 4): known problems and notices, the wave of calls, linked tickets.

Seed 002: a known problem brings many calls in a day; a lead posts a bulletin
with the answer to give, watches how many contacts and tickets it draws hour
by hour, and resolves it: every linked open ticket's customer is told (and,
if chosen, the tickets are resolved). Seed 003: an end-of-support notice for
a catalogue product. Everyone sees this screen; posting, updating and
resolving are for leads and admins, and the desk refuses anyone else with
the rule's own words before a form is typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Static

from ..desk import human_age, local
from ..desk.bulletins import Bulletin, BulletinReport
from ..store.catalogue import Product
from ..textsafe import printable
from ..vocab import STATUS_LABELS
from ..widgets.bulletin_bar import EXPIRED_STYLE, SEVERITY_STYLES, BulletinBar
from ..widgets.bulletin_wave import wave_text
from ..widgets.cells import literal, number_cell
from ..widgets.topbar import TopBar
from . import bulletins_forms as forms
from .base import DeskScreen
from .form_dialog import FormDialog

#: Bulletins listed (active ones first, then the latest past ones).
LIST_LIMIT = 200
KIND_SHORT = {"outage": "outage", "end_of_support": "notice"}
COLUMNS = (
    ("Id", 4),
    ("State", 9),
    ("Sev", 8),
    ("Kind", 6),
    ("Title", 34),
    ("Since", 11),
    ("Until", 11),
    ("Calls", 5),
    ("Tickets", 7),
)
TICKET_COLUMNS = (("#", 6), ("Status", 10), ("Customer", 14), ("Title", 20))
HELP = "p post · u update · s resolve · e end-of-support notice · enter tickets · r refresh"


@dataclass(frozen=True)
class BulletinList:
    """What the list shows, read in one worker: bulletins, their link totals, the time."""

    bulletins: list[Bulletin]
    totals: dict[int, tuple[int, int]]
    now: datetime


def state_cell(b: Bulletin) -> Text:
    """active / EXPIRED / scheduled / resolved: an expired one stands out."""
    if b.status == "resolved":
        return Text("resolved", style="dim")
    if b.expired:
        return Text("EXPIRED", style=EXPIRED_STYLE)
    if b.scheduled:
        return Text("scheduled", style="italic")
    return Text("active", style="bold green")


class BulletinsScreen(DeskScreen):
    """Every bulletin, active first; the highlighted one's wave and tickets beside it."""

    DEFAULT_CSS = """
    BulletinsScreen #bulletins-title { height: 1; padding: 0 1; background: $boost; }
    BulletinsScreen #bulletins-table { height: 1fr; min-height: 5; }
    BulletinsScreen #bulletin-detail { height: 2fr; border-top: solid $panel-lighten-2; }
    BulletinsScreen #bulletin-info-box { width: 1fr; padding: 0 1; }
    BulletinsScreen #bulletin-tickets-box { width: 1fr; }
    BulletinsScreen #bulletin-tickets-title { height: 1; padding: 0 1; }
    BulletinsScreen #bulletin-tickets { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Tickets / open", id="bulletins.open"),
        Binding("p", "post", "Post", id="bulletins.post"),
        Binding("u", "update", "Update", id="bulletins.update"),
        Binding("s", "resolve", "Resolve", id="bulletins.resolve"),
        Binding("e", "notice", "End-of-support notice", id="bulletins.notice"),
        Binding("r", "reload", "Refresh", id="bulletins.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.listing: BulletinList | None = None
        self.shown: BulletinReport | None = None
        self._selected: int | None = None  # the bulletin id the cursor is on

    def compose(self) -> ComposeResult:
        yield TopBar("bulletins")
        yield BulletinBar()
        yield Static(id="bulletins-title", markup=False)
        table = DataTable(id="bulletins-table", cursor_type="row", zebra_stripes=True)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        yield table
        with Horizontal(id="bulletin-detail"):
            with VerticalScroll(id="bulletin-info-box"):
                yield Static(id="bulletin-info", markup=False)
                yield Static(id="bulletin-wave", markup=False)
            with Vertical(id="bulletin-tickets-box"):
                yield Static(id="bulletin-tickets-title", markup=False)
                tickets = DataTable(id="bulletin-tickets", cursor_type="row", zebra_stripes=True)
                for label, width in TICKET_COLUMNS:
                    tickets.add_column(label, width=width, key=label)
                yield tickets
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.helpdesk, "data_generation", lambda _g: self.load(), init=False)
        self.watch(self.helpdesk, "bulletin_generation", lambda _g: self._reflag(), init=False)
        self.query_one("#bulletins-table").focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.listing is not None:
            self.load()

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        def fetch() -> BulletinList:
            found = self.desk.bulletins(limit=LIST_LIMIT)
            totals = self.desk.bulletin_link_totals(b.id for b in found)
            return BulletinList(found, totals, self.desk.now())

        self.run_desk(fetch, self._show_list, group="bulletins", exclusive=True)

    def _reflag(self) -> None:
        """A bulletin expired by the clock (no commit): show the flag in the list too."""
        if self.listing is None:
            return
        expired = {b.id for b in self.helpdesk.active_bulletins if b.expired}
        if any(b.expired != (b.id in expired) for b in self.listing.bulletins if b.active):
            self.load()

    def _show_list(self, listing: BulletinList) -> None:
        self.listing = listing
        table = self.query_one("#bulletins-table", DataTable)
        keep = self._selected
        now = listing.now
        with self.prevent(DataTable.RowHighlighted):
            table.clear()
            for b in listing.bulletins:
                contacts, tickets = listing.totals.get(b.id, (0, 0))
                table.add_row(
                    Text(str(b.id), justify="right"),
                    state_cell(b),
                    Text(b.severity, style=SEVERITY_STYLES.get(b.severity, "")),
                    Text(KIND_SHORT.get(b.kind, b.kind)),
                    literal(b.title, width=34),
                    Text(local(b.starts_at, now=now)),
                    Text(local(b.expected_end, now=now) if b.expected_end else "-"),
                    Text(str(contacts), justify="right"),
                    Text(str(tickets), justify="right"),
                    key=str(b.id),
                )
        row = 0
        if keep is not None and str(keep) in table.rows:
            row = table.get_row_index(str(keep))
        if table.row_count:
            table.move_cursor(row=row, animate=False)
            self._selected = int(str(table.coordinate_to_cell_key((row, 0)).row_key.value))
            self.load_report()
        else:
            self._selected = None
            self._show_report(None)
        self._title()

    def _title(self) -> None:
        line = Text(" Bulletins ", style="bold")
        found = self.listing.bulletins if self.listing else []
        active = [b for b in found if b.active]
        expired = sum(1 for b in active if b.expired)
        if not found:
            line.append("  none yet: a lead posts one with p", style="dim")
        else:
            line.append(f"  {len(active)} active")
            if expired:
                line.append(f" ({expired} past expected end: resolve or extend)", style="bold red")
            line.append(f", {len(found) - len(active)} past")
        line.append(f"   {HELP}", style="dim")
        self.query_one("#bulletins-title", Static).update(line)

    def load_report(self) -> None:
        bulletin_id = self._selected
        if bulletin_id is None:
            return
        self.run_desk(
            lambda: self.desk.bulletin_report(bulletin_id),
            self._show_report,
            group="bulletin-report",
            exclusive=True,
        )

    def _show_report(self, report: BulletinReport | None) -> None:
        if report is not None and report.bulletin.id != self._selected:
            return  # the cursor moved on: its own report is coming
        self.shown = report
        info = self.query_one("#bulletin-info", Static)
        wave = self.query_one("#bulletin-wave", Static)
        tickets = self.query_one("#bulletin-tickets", DataTable)
        title = self.query_one("#bulletin-tickets-title", Static)
        tickets.clear()
        if report is None:
            info.update(Text("No bulletin chosen.", style="dim"))
            wave.update("")
            title.update("")
            return
        now = self.desk.now()
        info.update(report_text(report, now))
        wave.update(wave_text(report.timeline(), now))
        title.update(
            Text(
                f"Linked tickets: {report.tickets} ({report.open_tickets} open)"
                + ("   enter opens one" if report.linked_tickets else ""),
                style="bold",
            )
        )
        for t in report.linked_tickets:
            tickets.add_row(
                number_cell(t.id),
                Text(STATUS_LABELS.get(t.status, t.status)),
                literal(t.customer_name, width=14),
                literal(t.title, width=20),
                key=str(t.id),
            )

    # -- moving and opening ----------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "bulletins-table" or event.row_key.value is None:
            return
        chosen = int(event.row_key.value)
        if chosen != self._selected:
            self._selected = chosen
            self.load_report()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "bulletin-tickets":
            if event.row_key.value:
                self.helpdesk.open_ticket(int(event.row_key.value))
        elif self.query_one("#bulletin-tickets", DataTable).row_count:
            self.query_one("#bulletin-tickets").focus()
        else:
            self.say("No tickets are linked to this bulletin yet.")

    def action_open(self) -> None:
        """Enter: on the list, go to its tickets; on a ticket, open it."""
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        self.on_data_table_row_selected(DataTable.RowSelected(table, table.cursor_row, key))

    def action_reload(self) -> None:
        self.load()

    # -- leads: post, update, resolve, notice ------------------------------------------------------
    def _when_allowed(self, action: str, open_form: Callable[[], Any]) -> None:
        """Ask the desk first (in a worker), so nobody types a whole bulletin to be refused."""
        self.run_desk(
            lambda: self.desk.require_bulletin_right(action),
            lambda _none: open_form(),
            group="bulletin-right",
        )

    def _chosen(self, verb: str) -> Bulletin | None:
        report = self.shown
        if report is None:
            self.say(f"Choose a bulletin to {verb} first.")
            return None
        if not report.bulletin.active:
            self.report(
                f"bulletin {report.bulletin.id} is resolved: it cannot change; "
                "post a new bulletin if the problem is back"
            )
            return None
        return report.bulletin

    def _form(
        self,
        title: str,
        fields: list[forms.Field],
        save: Callable[[dict[str, str]], Any],
        done: Callable[[Any], str],
        hint: str = "",
    ) -> None:
        def closed(result: Any) -> None:
            if result is not None:
                self.say(done(result))
                self.load()

        self.app.push_screen(FormDialog(title, fields, save, hint=hint), closed)

    def action_post(self) -> None:
        self._when_allowed("bulletin.post", self._post_form)

    def _post_form(self) -> None:
        self._form(
            "Post a bulletin: every console shows it at once",
            forms.bulletin_fields(None, self.helpdesk.products, list(self.helpdesk.categories)),
            forms.post_call(self.desk),
            lambda b: f"Bulletin {b.id} posted: every console shows it now",
        )

    def action_update(self) -> None:
        self._when_allowed("bulletin.post", self._update_form)

    def _update_form(self) -> None:
        bulletin = self._chosen("update")
        if bulletin is None:
            return
        fields = forms.bulletin_fields(
            bulletin, self.helpdesk.products, list(self.helpdesk.categories)
        )
        self._form(
            f"Update bulletin {bulletin.id} (version {bulletin.version})",
            fields,
            forms.update_call(self.desk, bulletin, fields),
            lambda b: f"Bulletin {b.id} updated (version {b.version}): every console is told",
            hint="Only what you change is saved. Clear the expected end if it is not known.",
        )

    def action_resolve(self) -> None:
        self._when_allowed("bulletin.resolve", self._resolve_form)

    def _resolve_form(self) -> None:
        bulletin = self._chosen("resolve")
        if bulletin is None:
            return
        report = self.shown
        open_tickets = report.open_tickets if report is not None else None

        def done(count: int) -> str:
            return (
                f"Bulletin {bulletin.id} resolved: {count} linked open "
                f"ticket{'s' if count != 1 else ''} updated"
            )

        self._form(
            f"Resolve bulletin {bulletin.id}: {printable(bulletin.title, single_line=True)}",
            forms.resolve_fields(open_tickets),
            forms.resolve_call(self.desk, bulletin),
            done,
            hint="Each linked open ticket gets an event and a customer update with this note.",
        )

    def action_notice(self) -> None:
        def allowed_products() -> list[Product]:
            self.desk.require_bulletin_right("bulletin.post")
            return self.desk.products()

        def ask(products: list[Product]) -> None:
            ending = [p for p in products if p.end_of_support is not None]
            if not ending:
                self.report(
                    "no catalogue product has an end of support: set one first with "
                    "`helpdesk product end-support KEY DATE`"
                )
                return
            self._form(
                "End-of-support notice for a catalogue product",
                forms.notice_fields(ending, self.desk.today()),
                forms.notice_call(self.desk),
                lambda b: f"Notice {b.id} posted: {b.title}",
                hint="Agents are offered it at intake for customers who call about the product.",
            )

        self.run_desk(allowed_products, ask, group="bulletin-right")

    def system_commands(self) -> Iterator[SystemCommand]:
        """This section's actions in the command palette (ctrl+p)."""
        yield SystemCommand("Bulletins: post", "Announce a known problem (key p)", self.action_post)
        yield SystemCommand(
            "Bulletins: update", "Change the highlighted bulletin (key u)", self.action_update
        )
        yield SystemCommand(
            "Bulletins: resolve",
            "Resolve the highlighted bulletin; tell its tickets' customers (key s)",
            self.action_resolve,
        )
        yield SystemCommand(
            "Bulletins: end-of-support notice",
            "Give notice that a product's support ends (key e)",
            self.action_notice,
        )


def report_text(report: BulletinReport, now: datetime) -> Text:
    """The highlighted bulletin: what to tell, scope, times, state, how many linked."""
    b = report.bulletin
    out = Text()
    out.append(f"Bulletin {b.id} ", style="bold")
    out.append(f" {b.severity.upper()} ", style=SEVERITY_STYLES.get(b.severity, ""))
    out.append(f"  {'end-of-support notice' if b.kind == 'end_of_support' else 'outage'}")
    out.append(f" · version {b.version}", style="dim")
    if b.expired and b.expected_end is not None:
        out.append("\n")
        out.append(" EXPIRED ", style=EXPIRED_STYLE)
        out.append(
            f" past its expected end by {human_age(now - b.expected_end)}: "
            "resolve it (s) or give a new expected end (u)",
            style="bold red",
        )
    out.append("\n")
    out.append(printable(b.title, single_line=True), style="bold")
    out.append("\nTell customers: ", style="bold")
    out.append(printable(b.answer))
    scope = [*b.products, *b.categories]
    if b.keywords:
        scope.append("words: " + ", ".join(b.keywords))
    if scope:
        out.append("\nAffects: ", style="dim")
        out.append(printable("; ".join(scope), single_line=True))
    if b.support_ends:
        out.append(f"\nSupport ends {b.support_ends.isoformat()}", style="bold")
    out.append(f"\nSince {local(b.starts_at, now=now)} (posted by {b.posted_by})", style="dim")
    if b.expected_end:
        out.append(f" · expected end {local(b.expected_end, now=now)}", style="dim")
    out.append(f" · updated {local(b.updated_at, now=now)} by {b.updated_by}", style="dim")
    if b.resolved_at:
        out.append(f"\nResolved {local(b.resolved_at, now=now)} by {b.resolved_by}: ", style="bold")
        out.append(printable(b.resolution))
    out.append(
        f"\nLinked: {report.contacts} contacts, {report.tickets} tickets "
        f"({report.open_tickets} open)",
        style="bold",
    )
    return out
