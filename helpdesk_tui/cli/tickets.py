"""``helpdesk ticket``: open, list, show, note, prioritise, resolve, close and reopen."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output
from ..desk import InvalidInput, TicketDraft
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
    NumberArg,
    PriorityOpt,
    Status,
    View,
    _caption,
    _desk,
    _emit,
    _fields,
    _say,
    ticket_app,
)

ViewHelp = (
    "A queue view of open tickets: all, mine, department (yours), triage, courtesy-due "
    "(owing the customer an update) or escalated (flagged for the lead)."
)


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
    view: Annotated[View | None, typer.Option("--view", help=ViewHelp)] = None,
    limit: LimitOpt = 100,
    fmt: ExportOpt = Export.table,
) -> None:
    """Tickets, oldest first: the order the desk works them in."""
    if view is not None and status is not Status.open:
        raise InvalidInput(f"--view lists open tickets: drop --status {status.value}")
    desk = _desk(ctx)
    queue = view.value if view is not None else "all"
    if status is Status.open and limit:
        page = desk.queue_page(queue, limit)  # keyset read on the open-queue index
        found, total = page.rows, page.total
    elif status is Status.open:
        found = desk.queue(queue)
        total = len(found)
    else:
        found = desk.tickets(status.value, limit or None)
        total = len(found)
        found = found[:limit] if limit else found
    now = desk.now()
    caption = _caption(len(found), total)
    _emit(
        fmt,
        output.ticket_records(found, now) if fmt is not Export.table else found,
        output.TICKET_COLUMNS,
        lambda: output.tickets_table(found, now, caption),
    )


@ticket_app.command("show")
def ticket_show(
    ctx: typer.Context,
    number: NumberArg,
    fmt: FormatOpt = Format.table,
) -> None:
    """One ticket: its fields, where it is now, its journey, every event, and its contacts."""
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
    told_via: Annotated[
        str | None,
        typer.Option(
            "--told-via",
            help="How the customer was told: phone, email, walk-in, chat, portal or social.",
        ),
    ] = None,
) -> None:
    """Resolve a ticket with the solution given to the customer."""
    ticket = _desk(ctx).resolve(number, resolution, told_via=told_via)
    told = f" (customer told by {output.channel_label(told_via)})" if told_via else ""
    _say(f"ticket #{ticket.id} resolved{told}")


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
