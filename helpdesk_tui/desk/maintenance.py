"""Looking after the file: ``helpdesk check`` and ``helpdesk backup`` behind the facade.

The checks and the copy are SQL and file work, so they live in
``store/maintenance.py``; this mixin adds the rules (who may) and turns a
refused destination into a message about the option the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..store import maintenance
from ..store.maintenance import BackupReport, CheckResult
from .errors import InvalidInput
from .permissions import require

if TYPE_CHECKING:
    from .facade import Desk

__all__ = ["BackupReport", "CheckReport", "CheckResult", "MaintenanceMixin"]


@dataclass(frozen=True)
class CheckReport:
    """Every check that ran on the file, clean ones included (a report shows both)."""

    path: str
    results: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def problems(self) -> int:
        return sum(r.count for r in self.results)


class MaintenanceMixin:
    def check(self: Desk) -> CheckReport:
        """Integrity, foreign keys, full-text indexes and the desk's own invariants."""
        require(self.actor, "file.check")
        return CheckReport(self.store.path, tuple(maintenance.run_checks(self.store.session)))

    def backup(self: Desk, dest: str | Path, *, force: bool = False) -> BackupReport:
        """A consistent copy taken while others write, verified before it is put in place."""
        require(self.actor, "file.backup")
        text = str(dest).strip()
        if not text:
            raise InvalidInput("give the backup file to write, e.g. helpdesk-2026-11-25.db")
        try:
            return maintenance.backup(self.store.session, Path(text).expanduser(), force=force)
        except maintenance.BackupRefused as exc:
            raise InvalidInput(str(exc), field="dest") from None
