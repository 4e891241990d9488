"""``helpdesk calls import`` (the phone system's call records) and ``helpdesk contact reason``
(complaints), for the team lead's report (issue 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..output import metrics as render
from .base import _desk, _say, app, contact_app

calls_app = typer.Typer(help="Phone-queue records from the phone system.", no_args_is_help=True)
app.add_typer(calls_app, name="calls")


@calls_app.command("import")
def calls_import(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="An Asterisk queue_log, or a CSV.", show_default=False)
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="asterisk (queue_log) or csv.")
    ] = "asterisk",
) -> None:
    """Import calls; broken lines are reported by number, a second import adds nothing."""
    done = _desk(ctx).import_calls(path, fmt)
    for line in render.problem_lines(done):
        typer.echo(f"warning: {line}", err=True)
    for line in render.import_lines(done):
        _say(line)


@contact_app.command("reason")
def contact_reason(
    ctx: typer.Context,
    contact: Annotated[int, typer.Argument(help="Contact id.", show_default=False)],
    reason: Annotated[
        str,
        typer.Argument(help="complaint, question, problem or request; '' clears it."),
    ],
) -> None:
    """Mark why a contact came in: complaints are counted by `helpdesk report`."""
    before = _desk(ctx).set_contact_reason(contact, reason)
    now = reason.strip().lower() or "no reason"
    was = f" (was {before})" if before else ""
    _say(f"contact {contact} marked: {now}{was}")
