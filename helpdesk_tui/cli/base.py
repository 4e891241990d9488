"""What every command shares: the Typer apps, the one error handler, options, helpers.

Every refusal is a :class:`DeskError`; :class:`_RootGroup` turns it into one
``error:`` line on stderr and the error's exit code, in one place. Textual is
imported only where the console opens, so every other command starts fast.
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

from .. import output
from ..desk import (
    QUEUE_VIEWS,
    Category,
    Desk,
    DeskError,
    InvalidInput,
    StorageProblem,
    current_login,
    default_db_path,
)
from ..textsafe import printable


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


#: The desk's queue views (``courtesy-due`` and all), as the choices of ``--view``.
View = StrEnum("View", [(name.replace("-", "_"), name) for name in QUEUE_VIEWS])  # type: ignore[misc]

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
    from ..app import HelpdeskApp

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


def _emit(
    fmt: str,
    records: Sequence[Any],
    kind: type | Sequence[str],
    render: Callable[[], Any],
) -> None:
    """Print records as JSON, CSV (data as stored) or a Rich table built by ``render``.

    ``kind`` is the record type, or the CSV column names when records are dicts.
    """
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
            readable=False,  # the store says why it cannot read it, in one line
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
    desk = _desk(ctx)
    report = desk.init()
    _say(f"database {ctx.obj.path} ready")
    products, articles = len(desk.products()), len(desk.kb_articles())
    _say(
        f"loaded: {_count(report.departments, 'department')}, "
        f"{_count(report.categories, 'category', 'categories')}, "
        f"{_count(report.tiers, 'tier')}, "
        f"{_count(products, 'product')} ({report.products_added} new), "
        f"{_count(report.calendars, 'calendar')}, {_count(report.sla_plans, 'SLA plan')}, "
        f"{_count(articles, 'knowledge article')} ({report.knowledge} published now)"
    )
    if report.created_admin:
        _say(f"user {report.created_admin} added as its first admin")


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


@app.command()
def demo(
    ctx: typer.Context,
    tickets: Annotated[int, typer.Option("--tickets", min=0, help="Tickets of history.")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data.")] = 1,
    no_open: Annotated[bool, typer.Option("--no-open", help="Build it, do not open it.")] = False,
    articles: Annotated[
        int, typer.Option("--articles", min=0, help="Generated knowledge articles.")
    ] = 0,
) -> None:
    """Build a demo database (default: demo.db beside the default database) and open it."""
    from ..desk.demo import build_demo

    settings: _Settings = ctx.obj
    path = settings.db if settings.db is not None else default_db_path().with_name("demo.db")
    if settings.db is None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageProblem(f"cannot create {path.parent}: {exc.strerror}") from None
    login = settings.login or current_login()
    with output.progress_bar() as progress:
        report = build_demo(
            path, tickets=tickets, seed=seed, login=login, progress=progress, articles=articles
        )
    _say(
        f"demo database {report.path}: {report.tickets:,} tickets, {report.contacts:,} contacts, "
        f"{report.customers:,} customers, {_count(report.articles, 'generated article')}, "
        f"{_count(report.walks, 'knowledge walk')}, {_count(report.bulletins, 'bulletin')} "
        f"in {report.seconds:.1f}s"
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


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``helpdesk`` and ``python -m helpdesk_tui``."""
    app(args=argv, prog_name="helpdesk")
