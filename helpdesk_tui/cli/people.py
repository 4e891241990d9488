"""``helpdesk user``, ``customer`` and ``contact``: who works the desk, who it serves, and
every interaction with them."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output
from ..desk import Contact, Customer, InvalidInput, TicketDraft, User
from .base import (
    CategoryHelp,
    CustomerOpt,
    DescriptionOpt,
    Export,
    ExportOpt,
    FieldOpt,
    Format,
    FormatOpt,
    LimitOpt,
    PriorityOpt,
    _caption,
    _desk,
    _emit,
    _fields,
    _say,
    contact_app,
    customer_app,
    user_app,
)

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
