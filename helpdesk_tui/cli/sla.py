"""``helpdesk sla``: a ticket's SLA clocks, the plans and calendars, the business-critical flag.

``helpdesk ticket list --sort due --view breached|at-risk`` (in :mod:`.tickets`) is the
queue by due time.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output
from ..output import sla as render
from .base import Format, FormatOpt, NumberArg, _desk, _say, app

sla_app = typer.Typer(
    help="SLA clocks on business-hours calendars: plans, due times, breaches.",
    no_args_is_help=True,
)
app.add_typer(sla_app, name="sla")


@sla_app.command("show")
def sla_show(ctx: typer.Context, number: NumberArg, fmt: FormatOpt = Format.table) -> None:
    """A ticket's clocks: target, elapsed business time, paused time, due and state."""
    report = _desk(ctx).sla(number)
    if fmt is Format.json:
        typer.echo(output.to_json(render.sla_report_data(report)))
        return
    output.console().print(render.sla_report(report))


@sla_app.command("plans")
def sla_plans(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """The SLA plans, the plan each tier and priority gets, and the calendars."""
    desk = _desk(ctx)
    plans, matrix, calendars = desk.sla_plans(), desk.sla_matrix(), desk.calendars()
    if fmt is Format.json:
        typer.echo(output.to_json(render.plans_data(plans, matrix, calendars)))
        return
    output.console().print(render.plans_view(plans, matrix, calendars))


@sla_app.command("critical")
def sla_critical(
    ctx: typer.Context,
    number: NumberArg,
    off: Annotated[bool, typer.Option("--off", help="Clear the flag instead.")] = False,
) -> None:
    """Flag a premium or concierge customer's ticket business-critical (a tighter plan)."""
    ticket = _desk(ctx).set_business_critical(number, not off)
    state = "business-critical" if ticket.business_critical else "not business-critical"
    _say(f"ticket #{ticket.id} {state}, SLA plan {ticket.sla_plan or 'none'}")
