"""A ticket's journey on the command line (issue 3): triage, transfers, ownership, the
escalation ladder, customer updates and links.

Each command prints the ticket's new state and the one line that says where it is
now; each refusal is one ``error:`` line. Text options the desk needs are checked
here rather than by Typer, so a missing one is that one line too, not a usage box.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output
from ..desk import Desk, InvalidInput, Ticket
from .base import NumberArg, _desk, _say, ticket_app


def _needs(value: str | None, option: str, what: str) -> str:
    if value is None:
        raise InvalidInput(f"{option} is required: {what}")
    return value


def _done(desk: Desk, ticket: Ticket) -> None:
    """The ticket's new state, then where it is now (what to read out to the customer)."""
    _say(output.ticket_state(ticket))
    _say(desk.ticket_view(ticket.id).where)


def _text_opt(name: str, text: str) -> object:
    return typer.Option(name, help=f"{text} (required).", show_default=False)


TriedOpt = Annotated[str | None, _text_opt("--tried", "What was tried so far")]
ReasonOpt = Annotated[str | None, _text_opt("--reason", "Why")]
NoteOpt = Annotated[str, typer.Option("--note", help="A note for the timeline.")]
DepartmentHelp = "Desktop, Network, Telephony, Accounts, Facilities, Service Desk, ..."


@ticket_app.command("triage")
def ticket_triage(
    ctx: typer.Context,
    number: NumberArg,
    tried: TriedOpt = None,
    department: Annotated[
        str | None,
        typer.Option(
            "--department",
            help=f"Route to this department ({DepartmentHelp}); default: "
            "the category's department.",
        ),
    ] = None,
) -> None:
    """The front line could not solve it: send it to triage (level 2) with what was tried."""
    tried = _needs(tried, "--tried", "say what the front line tried")
    desk = _desk(ctx)
    _done(desk, desk.send_to_triage(number, tried, department))


@ticket_app.command("request-info")
def ticket_request_info(
    ctx: typer.Context,
    number: NumberArg,
    question: Annotated[str | None, _text_opt("--question", "What the customer is asked")] = None,
) -> None:
    """Wait on the customer; a contact logged against the ticket brings it back."""
    question = _needs(question, "--question", "say what the customer is asked")
    desk = _desk(ctx)
    _done(desk, desk.request_info(number, question))


@ticket_app.command("transfer")
def ticket_transfer(
    ctx: typer.Context,
    number: NumberArg,
    department: Annotated[str | None, _text_opt("--department", DepartmentHelp)] = None,
    reason: ReasonOpt = None,
) -> None:
    """Hand the ticket to another department's triage."""
    department = _needs(department, "--department", "name the department to transfer to")
    reason = _needs(reason, "--reason", "say why it goes there")
    desk = _desk(ctx)
    _done(desk, desk.transfer(number, department, reason))


@ticket_app.command("take")
def ticket_take(ctx: typer.Context, number: NumberArg) -> None:
    """Take ownership; if someone else has it, you are told who."""
    desk = _desk(ctx)
    _done(desk, desk.take(number))


@ticket_app.command("assign")
def ticket_assign(
    ctx: typer.Context,
    number: NumberArg,
    to: Annotated[str | None, _text_opt("--to", "The login of the new owner")] = None,
    note: NoteOpt = "",
) -> None:
    """Give the ticket to someone (leads and admins)."""
    to = _needs(to, "--to", "give the login of the new owner")
    desk = _desk(ctx)
    _done(desk, desk.assign(number, to, note))


@ticket_app.command("release")
def ticket_release(ctx: typer.Context, number: NumberArg, note: NoteOpt = "") -> None:
    """Give up ownership (its owner, leads and admins)."""
    desk = _desk(ctx)
    _done(desk, desk.release(number, note))


@ticket_app.command("escalate")
def ticket_escalate(
    ctx: typer.Context,
    number: NumberArg,
    reason: ReasonOpt = None,
    tried: TriedOpt = None,
    vendor: Annotated[
        str | None, typer.Option("--vendor", help="Past level 3: the vendor or consultant.")
    ] = None,
    vendor_ref: Annotated[
        str | None, typer.Option("--vendor-ref", help="Past level 3: the vendor's case reference.")
    ] = None,
    vendor_due: Annotated[
        str | None,
        typer.Option(
            "--vendor-due", help="Past level 3: the date the vendor promised (YYYY-MM-DD)."
        ),
    ] = None,
) -> None:
    """One step up the ladder: level 1 -> 2 -> 3 -> external vendor."""
    reason = _needs(reason, "--reason", "say why it needs the next level")
    tried = _needs(tried, "--tried", "say what was tried at this level")
    desk = _desk(ctx)
    ticket = desk.escalate(
        number, reason, tried, vendor=vendor, vendor_ref=vendor_ref, vendor_due=vendor_due
    )
    _done(desk, ticket)


@ticket_app.command("deescalate")
def ticket_deescalate(ctx: typer.Context, number: NumberArg, reason: ReasonOpt = None) -> None:
    """One step down the ladder (counted as a return)."""
    reason = _needs(reason, "--reason", "say why it goes back down")
    desk = _desk(ctx)
    _done(desk, desk.deescalate(number, reason))


@ticket_app.command("return")
def ticket_return(
    ctx: typer.Context,
    number: NumberArg,
    solution: Annotated[
        str | None, _text_opt("--solution", "The proposed solution for the front line")
    ] = None,
) -> None:
    """Back to the front line with a proposed solution, to follow up and close."""
    solution = _needs(solution, "--solution", "give the proposed solution")
    desk = _desk(ctx)
    _done(desk, desk.return_to_front_line(number, solution))


@ticket_app.command("update-customer")
def ticket_update_customer(
    ctx: typer.Context,
    number: NumberArg,
    channel: Annotated[
        str | None, _text_opt("--channel", "phone, email, walk-in, chat, portal or social")
    ] = None,
    message: Annotated[str | None, _text_opt("--message", "What the customer was told")] = None,
) -> None:
    """Record a message sent to the customer; it resets the courtesy-update clock."""
    channel = _needs(channel, "--channel", "say how the customer was told")
    message = _needs(message, "--message", "say what the customer was told")
    desk = _desk(ctx)
    _done(desk, desk.update_customer(number, channel, message))


@ticket_app.command("link")
def ticket_link(
    ctx: typer.Context,
    number: NumberArg,
    duplicate_of: Annotated[
        int | None,
        typer.Option(
            "--duplicate-of",
            metavar="NUMBER",
            help="Close this ticket as a duplicate of that one (both keep their history).",
        ),
    ] = None,
    related_to: Annotated[
        int | None,
        typer.Option("--related-to", metavar="NUMBER", help="Mark the two tickets as related."),
    ] = None,
) -> None:
    """Link a ticket to another: give exactly one of --duplicate-of and --related-to."""
    if (duplicate_of is None) == (related_to is None):
        raise InvalidInput("give exactly one of --duplicate-of NUMBER and --related-to NUMBER")
    desk = _desk(ctx)
    if duplicate_of is not None:
        ticket = desk.link_duplicate(number, duplicate_of)
    else:
        assert related_to is not None
        ticket = desk.link_related(number, related_to)
    _done(desk, ticket)
