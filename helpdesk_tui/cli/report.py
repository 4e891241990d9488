"""``helpdesk report`` and ``helpdesk staffing``: the team lead's figures (issue 7)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .. import output
from ..output import metrics as render
from .base import Export, ExportOpt, _desk, app

DateHelp = "YYYY-MM-DD (a whole local day) or YYYY-MM-DDTHH:MM."
FromOpt = Annotated[
    str | None,
    typer.Option("--from", help=f"Start of the period (default: 30 days ago). {DateHelp}"),
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help=f"End of the period (default: now). {DateHelp}")
]
TargetSecondsOpt = Annotated[
    float, typer.Option("--target-seconds", help="Service level: answer within this many seconds.")
]
TargetLevelOpt = Annotated[
    float, typer.Option("--target-level", help="Service level: this share answered in time.")
]


@app.command("report")
def report(
    ctx: typer.Context,
    sections: Annotated[
        list[str] | None,
        typer.Argument(
            help="contacts, tickets, products, satisfaction, knowledge, bulletins, agents, "
            "phone, staffing (default: all you may see).",
            show_default=False,
        ),
    ] = None,
    start: FromOpt = None,
    end: ToOpt = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Break the figures down by channel, hour, weekday, category, product, agent, "
            "department or level.",
        ),
    ] = None,
    fmt: ExportOpt = Export.table,
    target_seconds: TargetSecondsOpt = 20.0,
) -> None:
    """Contacts, tickets, products, satisfaction, knowledge, bulletins, agents, phone queue."""
    desk = _desk(ctx)
    found = desk.report(
        desk.report_period(start, end),
        sections=sections or (),
        by=by,
        target_seconds=target_seconds,
    )
    if fmt is Export.json:
        typer.echo(output.to_json(render.report_data(found)))
    elif fmt is Export.csv:
        render.write_long_csv(sys.stdout, found)
    else:
        output.console().print(render.report_view(found))


@app.command("staffing")
def staffing(
    ctx: typer.Context,
    target_seconds: TargetSecondsOpt = 20.0,
    target_level: TargetLevelOpt = 0.8,
    start: FromOpt = None,
    end: ToOpt = None,
    fmt: ExportOpt = Export.table,
) -> None:
    """Agents needed per hour of the week (Erlang C) beside the agents who worked."""
    desk = _desk(ctx)
    period = desk.report_period(start, end)
    found = desk.staffing(period, target_seconds=target_seconds, target_level=target_level)
    if fmt is Export.json:
        typer.echo(output.to_json(render.staffing_data(found, period)))
    elif fmt is Export.csv:
        from ..desk.metrics import Report
        from ..output.metrics_tables import sheets

        hours = sheets(Report(period, desk.now(), ("staffing",), staffing=found))[1]
        render.write_sheet(sys.stdout, hours)
    else:
        output.console().print(render.staffing_view(found, period))
