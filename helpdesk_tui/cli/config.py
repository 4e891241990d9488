"""``helpdesk config``: the service model as YAML files that admins keep in git (issue 4).

``export DIR`` writes departments, categories, tiers, the catalogue, calendars and
SLA plans as six readable files; ``import DIR|FILE`` validates every one of them
against the others and the desk's records first, then writes all or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..desk.config_io import ImportReport, noun
from .base import _desk, _say, app

config_app = typer.Typer(
    help="The service model (tiers, catalogue, calendars, SLA plans...) as YAML files.",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")

_PLURAL = {"category": "categories"}


@config_app.command("export")
def config_export(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(help="Directory to write into (created if needed).", show_default=False),
    ],
) -> None:
    """Write the service model as six YAML files (admins); existing files are replaced."""
    written = _desk(ctx).export_config(directory)
    _say(f"exported to {directory}: {', '.join(p.name for p in written)}")


@config_app.command("import")
def config_import(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            help="A directory written by export (its six files, by name), or one YAML file.",
            show_default=False,
        ),
    ],
    check: Annotated[
        bool, typer.Option("--check", help="Validate and show what would change; write nothing.")
    ] = False,
) -> None:
    """Make the service model match the files (admins): validated first, all or nothing."""
    report = _desk(ctx).import_config(source, check=check)
    for line in describe(report, check=check):
        _say(line)


def describe(report: ImportReport, *, check: bool = False) -> list[str]:
    """What the import read and changed, one line per part that changed."""
    lines = [f"read {', '.join(p.name for p in report.files)}"]
    if report.skipped:
        skipped = ", ".join(p.name for p in report.skipped)
        lines.append(f"not read (not service model files): {skipped}")
    for kind, changes in report.changes.items():
        if not changes:
            continue
        name = noun(kind)
        many = _PLURAL.get(name, name + "s")
        parts = [
            f"{verb} {', '.join(names)}"
            for verb, names in (
                ("added", changes.added),
                ("changed", changes.changed),
                ("removed", changes.removed),
            )
            if names
        ]
        lines.append(f"{many}: {'; '.join(parts)}")
    if report.matrix_changed:
        lines.append("SLA matrix: changed (tier x priority -> plan)")
    if not report.changed:
        lines.append("no changes: the database already matches")
    elif check:
        lines.append("checked: nothing written (run without --check to import)")
    return lines
