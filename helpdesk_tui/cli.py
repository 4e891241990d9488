"""The ``helpdesk`` command line: thin Typer commands over the :class:`Desk` facade.

Thin on purpose: the console and the CLI must obey the same rules, so a
command only parses its options, calls the facade and renders the result
(renderers live in :mod:`helpdesk_tui.output`). Every refusal is a
:class:`DeskError`; :class:`_RootGroup` turns it into one ``error:`` line on
stderr and the error's exit code, in one place. Textual is imported only
where the console opens, so every other command starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import output
from .desk import (
    Category,
    Contact,
    Customer,
    Desk,
    DeskError,
    InvalidInput,
    StorageProblem,
    Ticket,
    TicketDraft,
    User,
    current_login,
    default_db_path,
)
from .textsafe import printable


class _RootGroup(TyperGroup):
    """The one place where a desk refusal becomes ``error: <message>`` and an exit code."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except DeskError as exc:
            typer.echo(f"error: {printable(str(exc), single_line=True)}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_RootGroup,
    help="Help-desk console and command line over one SQLite file. No command: open the console.",
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=False,
)
user_app = typer.Typer(help="Agents, team leads and admins.", no_args_is_help=True)
customer_app = typer.Typer(
    help="The people and organisations the desk serves.", no_args_is_help=True
)
contact_app = typer.Typer(
    help="The contact log: every interaction, any channel.", no_args_is_help=True
)
ticket_app = typer.Typer(help="Open, inspect and work tickets.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(customer_app, name="customer")
app.add_typer(contact_app, name="contact")
app.add_typer(ticket_app, name="ticket")


class Format(StrEnum):
    table = "table"
    json = "json"


class Export(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Status(StrEnum):
    open = "open"
    closed = "closed"
    all = "all"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="How to print the result.")]
ExportOpt = Annotated[Export, typer.Option("--format", "-f", help="How to print the result.")]
LimitOpt = Annotated[int, typer.Option("--limit", min=0, help="At most N rows; 0 for all.")]
FieldOpt = Annotated[
    list[str] | None,
    typer.Option("--field", help="A category field as KEY=VALUE; repeat for each field."),
]
PriorityOpt = Annotated[str, typer.Option("--priority", help="low, normal, high or urgent.")]
CustomerOpt = Annotated[str, typer.Option("--customer", help="Customer id or exact name.")]
CategoryHelp = "Ticket category: see `helpdesk categories`."
DescriptionOpt = Annotated[str, typer.Option("--description", help="Longer text.")]
NumberArg = Annotated[int, typer.Argument(help="Ticket number.", show_default=False)]


@dataclass(frozen=True)
class _Settings:
    """The root options, handed to every command through ``ctx.obj``."""

    db: Path | None
    login: str | None

    @property
    def path(self) -> Path:
        return self.db if self.db is not None else default_db_path()


def _desk(ctx: typer.Context) -> Desk:
    """Open the file as the acting user; closed when the command's context ends."""
    settings: _Settings = ctx.obj
    desk = Desk.open(settings.path, login=settings.login)
    ctx.call_on_close(desk.close)
    return desk


def _say(message: str) -> None:
    """Plain confirmation lines: never through Rich markup, control characters made visible."""
    typer.echo(printable(message))


def _run_console(desk: Desk) -> None:
    """Open the console; an unknown user is told here, in the terminal, not inside the TUI."""
    desk.actor  # noqa: B018 - raises UnknownUser with the command that adds one
    from .app import HelpdeskApp

    HelpdeskApp(desk).run()


def _fields(items: list[str] | None) -> dict[str, str]:
    """``--field KEY=VALUE`` items to a dict; the desk checks keys against the category."""
    result: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(f"--field {item!r} is not KEY=VALUE (e.g. --field memory='16 GB')")
        if key in result:
            raise InvalidInput(f"--field {key} is given twice")
        result[key] = value
    return result


def _emit(fmt: str, records: Sequence[Any], kind: type, render: Callable[[], Any]) -> None:
    """Print records as JSON, CSV (data as stored) or a Rich table built by ``render``."""
    if fmt == "json":
        typer.echo(output.to_json(records))
    elif fmt == "csv":
        output.write_csv(sys.stdout, kind, records)
    else:
        output.console().print(render())


def _caption(shown: int, total: int) -> str | None:
    return f"{shown:,} of {total:,}: --limit 0 shows all" if shown < total else None


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="The database file (default: $HELPDESK_DB, else helpdesk.db in the user data dir)",
            show_default=False,
        ),
    ] = None,
    as_: Annotated[
        str | None,
        typer.Option("--as", help="Act as this login (default: $HELPDESK_USER, else the OS login)"),
    ] = None,
) -> None:
    """Help-desk console and command line over one SQLite file. No command: open the console."""
    ctx.obj = _Settings(db, as_)
    if ctx.invoked_subcommand is None:
        _run_console(_desk(ctx))


@app.command()
def init(ctx: typer.Context) -> None:
    """Create or upgrade the database and load starter data; safe to run again."""
    report = _desk(ctx).init()
    _say(
        f"database {ctx.obj.path} ready: {report.departments} departments, "
        f"{report.categories} categories"
    )
    if report.created_admin:
        _say(f"user {report.created_admin} added as its first admin")


@app.command()
def demo(
    ctx: typer.Context,
    tickets: Annotated[int, typer.Option("--tickets", min=0, help="Tickets of history.")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data.")] = 1,
    no_open: Annotated[bool, typer.Option("--no-open", help="Build it, do not open it.")] = False,
) -> None:
    """Build a demo database (default: demo.db beside the default database) and open it."""
    from .desk.demo import build_demo

    settings: _Settings = ctx.obj
    path = settings.db if settings.db is not None else default_db_path().with_name("demo.db")
    if settings.db is None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageProblem(f"cannot create {path.parent}: {exc.strerror}") from None
    login = settings.login or current_login()
    with output.progress_bar() as progress:
        report = build_demo(path, tickets=tickets, seed=seed, login=login, progress=progress)
    _say(
        f"demo database {report.path}: {report.tickets:,} tickets, {report.contacts:,} contacts, "
        f"{report.customers:,} customers in {report.seconds:.1f}s"
    )
    if not no_open:
        desk = Desk.open(report.path, login=login)
        ctx.call_on_close(desk.close)
        _run_console(desk)


@app.command()
def categories(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Ticket categories and the system details each one asks for (* = required)."""
    found = _desk(ctx).categories()
    _emit(fmt, found, Category, lambda: output.categories_table(found))


# -- users -------------------------------------------------------------------------------------


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help="Their login, e.g. as the OS knows them.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    role: Annotated[str, typer.Option("--role", help="agent, lead or admin.")],
    level: Annotated[int, typer.Option("--level", help="Support level 1, 2 or 3.")] = 1,
    department: Annotated[str | None, typer.Option("--department")] = None,
) -> None:
    """Add an agent, team lead or admin (admins only)."""
    user = _desk(ctx).add_user(login, name, role, level, department)
    _say(f"user {user.login} added ({user.role}, level {user.level})")


@user_app.command("list")
def user_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Every user, by login."""
    users = _desk(ctx).users()
    _emit(fmt, users, User, lambda: output.users_table(users))


# -- customers ---------------------------------------------------------------------------------


@customer_app.command("add")
def customer_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name.")],
    email: Annotated[str, typer.Option("--email")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
    org: Annotated[str, typer.Option("--org", help="Organisation.")] = "",
    tier: Annotated[str, typer.Option("--tier", help="basic, premium or concierge.")] = "basic",
) -> None:
    """Add a customer; prints the id to log contacts and tickets against."""
    customer = _desk(ctx).add_customer(name, email, phone, org, tier)
    _say(f"customer {customer.id} added")


@customer_app.command("list")
def customer_list(
    ctx: typer.Context,
    search: Annotated[str, typer.Option("--search", help="Name, e-mail, phone or org.")] = "",
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N rows.")] = 50,
    fmt: FormatOpt = Format.table,
) -> None:
    """Customers matching --search (best first), else the newest ones."""
    found = _desk(ctx).find_customers(search, limit)
    _emit(fmt, found, Customer, lambda: output.customers_table(found))


# -- contacts ----------------------------------------------------------------------------------


@contact_app.command("log")
def contact_log(
    ctx: typer.Context,
    channel: Annotated[
        str, typer.Option("--channel", help="phone, email, walk-in, chat, portal or social.")
    ],
    customer: CustomerOpt,
    summary: Annotated[str, typer.Option("--summary", help="What the customer wanted.")],
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            help="answered, ticket or existing (default: existing with --ticket, ticket with "
            "--title and no --resolution, else answered)",
        ),
    ] = None,
    ticket: Annotated[
        int | None, typer.Option("--ticket", help="Add the contact to this ticket.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of a new ticket.")] = None,
    category: Annotated[str | None, typer.Option("--category", help=CategoryHelp)] = None,
    field: FieldOpt = None,
    priority: PriorityOpt = "normal",
    description: DescriptionOpt = "",
    resolution: Annotated[
        str | None,
        typer.Option("--resolution", help="With --title/--category: open and resolve at once."),
    ] = None,
) -> None:
    """Log one contact (every contact, even a general question) and its outcome."""
    wants_ticket = title is not None or category is not None or bool(field)
    if outcome is None:
        outcome = "existing" if ticket is not None else "answered"
        if ticket is None and wants_ticket and resolution is None:
            outcome = "ticket"
    if ticket is not None and outcome != "existing":
        raise InvalidInput("--ticket adds the contact to a ticket: use it with --outcome existing")
    if wants_ticket and outcome == "existing":
        raise InvalidInput("--title/--category open a new ticket: drop them, or drop --ticket")
    if resolution is not None and not wants_ticket:
        raise InvalidInput("--resolution records a ticket: give --title and --category too")
    draft = (
        TicketDraft(title or "", category or "", _fields(field), priority, description)
        if wants_ticket
        else None
    )
    desk = _desk(ctx)
    result = desk.log_contact(
        channel=channel,
        customer_id=desk.resolve_customer(customer).id,
        summary=summary,
        outcome=outcome,
        ticket=draft,
        existing_ticket=ticket,
        resolution=resolution,
    )
    done = f"contact {result.contact.id} logged"
    if result.ticket is not None:
        t = result.ticket
        if result.contact.outcome == "existing":
            done += f", added to ticket #{t.id}"
        elif t.status == "resolved":
            done += f": ticket #{t.id} opened and resolved"
        else:
            done += f": ticket #{t.id} opened"
    _say(done)


@contact_app.command("list")
def contact_list(ctx: typer.Context, limit: LimitOpt = 100, fmt: ExportOpt = Export.table) -> None:
    """The contact log, newest first."""
    desk = _desk(ctx)
    caption = None
    if limit:
        page = desk.contacts_page(limit)
        found, caption = page.rows, _caption(len(page.rows), page.total)
    else:
        found = desk.contacts()
    _emit(fmt, found, Contact, lambda: output.contacts_table(found, desk.now(), caption))


# -- tickets -----------------------------------------------------------------------------------


@ticket_app.command("new")
def ticket_new(
    ctx: typer.Context,
    customer: CustomerOpt,
    title: Annotated[str, typer.Option("--title")],
    category: Annotated[str, typer.Option("--category", help=CategoryHelp)],
    field: FieldOpt = None,
    priority: PriorityOpt = "normal",
    description: DescriptionOpt = "",
    contact: Annotated[
        int | None, typer.Option("--contact", help="Link this logged contact to the ticket.")
    ] = None,
) -> None:
    """Open a ticket with the system details its category asks for."""
    desk = _desk(ctx)
    draft = TicketDraft(title, category, _fields(field), priority, description)
    opened = desk.open_ticket(desk.resolve_customer(customer).id, draft, contact)
    _say(f"ticket #{opened.id} opened")


@ticket_app.command("list")
def ticket_list(
    ctx: typer.Context,
    status: Annotated[Status, typer.Option("--status", help="Which tickets.")] = Status.open,
    limit: LimitOpt = 100,
    fmt: ExportOpt = Export.table,
) -> None:
    """Tickets, oldest first: the order the desk works them in."""
    desk = _desk(ctx)
    if status is Status.open and limit:
        page = desk.queue_page("all", limit)  # keyset read on the open-queue index
        found, total = page.rows, page.total
    else:
        found = desk.tickets(status.value, limit or None)
        total = len(found)
        found = found[:limit] if limit else found
    caption = _caption(len(found), total)
    _emit(fmt, found, Ticket, lambda: output.tickets_table(found, desk.now(), caption))


@ticket_app.command("show")
def ticket_show(
    ctx: typer.Context,
    number: NumberArg,
    fmt: FormatOpt = Format.table,
) -> None:
    """One ticket: its fields, the timeline of every event, and its contacts."""
    desk = _desk(ctx)
    view = desk.ticket_view(number)
    if fmt is Format.json:
        typer.echo(output.to_json(output.ticket_view_data(view)))
        return
    category = {c.key: c for c in desk.categories()}.get(view.ticket.category)
    output.console().print(output.ticket_view(view, category, desk.now()))


@ticket_app.command("note")
def ticket_note(
    ctx: typer.Context,
    number: NumberArg,
    text: Annotated[str, typer.Argument(help="The note.")],
) -> None:
    """Add a note to the ticket's timeline."""
    ticket = _desk(ctx).add_note(number, text)
    _say(f"note added to ticket #{ticket.id}")


@ticket_app.command("priority")
def ticket_priority(
    ctx: typer.Context,
    number: NumberArg,
    priority: Annotated[str, typer.Argument(help="low, normal, high or urgent.")],
) -> None:
    """Change a ticket's priority."""
    ticket = _desk(ctx).set_priority(number, priority)
    _say(f"ticket #{ticket.id} priority {ticket.priority}")


@ticket_app.command("resolve")
def ticket_resolve(
    ctx: typer.Context,
    number: NumberArg,
    resolution: Annotated[
        str, typer.Option("--resolution", help="The solution given to the customer.")
    ],
) -> None:
    """Resolve a ticket with the solution given to the customer."""
    ticket = _desk(ctx).resolve(number, resolution)
    _say(f"ticket #{ticket.id} resolved")


@ticket_app.command("close")
def ticket_close(ctx: typer.Context, number: NumberArg) -> None:
    """Close a resolved ticket."""
    ticket = _desk(ctx).close_ticket(number)
    _say(f"ticket #{ticket.id} closed")


@ticket_app.command("reopen")
def ticket_reopen(
    ctx: typer.Context,
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it goes back to the queue.")],
) -> None:
    """Put a resolved (or, for leads and admins, closed) ticket back in the queue."""
    ticket = _desk(ctx).reopen_ticket(number, reason)
    _say(f"ticket #{ticket.id} reopened")


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``helpdesk`` and ``python -m helpdesk_tui``."""
    app(args=argv, prog_name="helpdesk")
