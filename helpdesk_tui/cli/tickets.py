"""``helpdesk ticket``: open, list, show, note, prioritise, resolve, close and reopen."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from .. import output
from ..desk import InvalidInput, TicketDraft
from ..desk.sla import SLA_VIEWS
from ..output import sla as sla_output
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
    "(owing the customer an update), escalated (flagged for the lead), breached (an SLA "
    "clock past due) or at-risk (under a quarter of an SLA target left)."
)


class Sort(StrEnum):
    """Queue order: oldest first, or soonest SLA due time first (issue 4)."""

    age = "age"
    due = "due"


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
    sort: Annotated[
        Sort | None,
        typer.Option(
            "--sort",
            help="Open tickets oldest first (age) or soonest due first (due). Default: age, "
            "but due for the breached and at-risk views.",
            show_default=False,
        ),
    ] = None,
    limit: LimitOpt = 100,
    fmt: ExportOpt = Export.table,
) -> None:
    """Tickets, oldest first (the order the desk works them in) or by SLA due time."""
    if view is not None and status is not Status.open:
        raise InvalidInput(f"--view lists open tickets: drop --status {status.value}")
    if sort is not None and status is not Status.open:
        raise InvalidInput(f"--sort lists open tickets: drop --status {status.value}")
    desk = _desk(ctx)
    queue = view.value if view is not None else "all"
    order = sort.value if sort is not None else None  # None: the view's own order
    if status is Status.open and limit:
        # keyset read on the open-queue index, or on the due index for --sort due
        page = desk.queue_page(queue, limit, sort=order)
        found, total = page.rows, page.total
    elif status is Status.open:
        found = desk.queue(queue, sort=order)
        total = len(found)
    else:
        found = desk.tickets(status.value, limit or None)
        total = len(found)
        found = found[:limit] if limit else found
    now = desk.now()
    caption = _caption(len(found), total)
    # issue 4: the SLA state from the stored due times, and each plan's courtesy interval
    states, intervals = desk.sla_states(found, now), desk.courtesy_intervals()

    def render() -> Any:
        if sort is Sort.due or queue in SLA_VIEWS:  # the queue with its due and state columns
            return sla_output.due_tickets_table(found, now, states, intervals, caption)
        return output.tickets_table(found, now, caption)

    records: list[Any] = found
    if fmt is not Export.table:
        plain = output.ticket_records(found, now)
        records = sla_output.sla_ticket_records(plain, found, states, intervals, now)
    _emit(fmt, records, (*output.TICKET_COLUMNS, *sla_output.SLA_LIST_EXTRA), render)


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
def ticket_close(
    ctx: typer.Context,
    number: NumberArg,
    rating: Annotated[
        int | None,
        typer.Option("--rating", help="Customer satisfaction, 1 (very dissatisfied) to 5."),
    ] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", help="What the customer said (needs --rating).")
    ] = None,
) -> None:
    """Close a resolved ticket, with the customer's satisfaction rating if they gave one."""
    ticket = _desk(ctx).close_ticket(number, rating=rating, comment=comment)
    rated = f" (customer rated it {rating} of 5)" if rating is not None else ""
    _say(f"ticket #{ticket.id} closed{rated}")


@ticket_app.command("reopen")
def ticket_reopen(
    ctx: typer.Context,
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it goes back to the queue.")],
) -> None:
    """Put a resolved (or, for leads and admins, closed) ticket back in the queue."""
    ticket = _desk(ctx).reopen_ticket(number, reason)
    _say(f"ticket #{ticket.id} reopened")
