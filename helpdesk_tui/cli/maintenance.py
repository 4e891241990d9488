"""``helpdesk backup DEST`` and ``helpdesk check``: looking after the shared file.

``check`` prints every check, clean ones too, so a clean report is visibly
complete; it exits 1 when any check found a problem (for cron and scripts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import output
from .base import Format, FormatOpt, _desk, _say, app


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:,} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    return f"{count:,} bytes"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@app.command("backup")
def backup(
    ctx: typer.Context,
    dest: Annotated[
        Path, typer.Argument(help="The copy to write (a new file).", show_default=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace DEST if it exists.")] = False,
) -> None:
    """Copy the database while others keep working, then verify the copy (admins)."""
    report = _desk(ctx).backup(dest, force=force)
    _say(
        f"backup written to {report.path} ({_size(report.bytes)}: "
        f"{_count(report.tickets, 'ticket')}, {_count(report.contacts, 'contact')}); "
        f"integrity check of the copy: {report.integrity}"
    )


@app.command("check")
def check(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Integrity, foreign keys, full-text indexes and the desk's own rules; exit 1 on problems."""
    report = _desk(ctx).check()
    if fmt == Format.json:
        typer.echo(
            output.to_json(
                {
                    "path": report.path,
                    "ok": report.ok,
                    "problems": report.problems,
                    "checks": [
                        {
                            "name": r.name,
                            "about": r.about,
                            "ok": r.ok,
                            "count": r.count,
                            "problems": list(r.problems),
                        }
                        for r in report.results
                    ],
                }
            )
        )
    else:
        for r in report.results:
            verdict = "ok" if r.ok else _count(r.count, "problem")
            _say(f"{verdict:>14}  {r.about}")
            for line in r.problems:
                _say(f"{'':>16}- {line}")
            if r.count > len(r.problems):
                _say(f"{'':>16}- and {r.count - len(r.problems):,} more")
        if report.ok:
            _say(f"{report.path}: all {len(report.results)} checks passed")
        else:
            _say(
                f"{report.path}: {_count(report.problems, 'problem')} found: "
                "see README, Backups, checks and restore"
            )
    if not report.ok:
        raise typer.Exit(1)
