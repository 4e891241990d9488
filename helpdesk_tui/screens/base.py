"""What every screen shares: the desk, thread-worker calls, literal notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from ..desk import Desk, DeskError

if TYPE_CHECKING:
    from ..app import HelpdeskApp

T = TypeVar("T")


class DeskCalls:
    """Mixin for screens: run a Desk call off the UI thread, then render its result.

    The UI thread never touches SQLite, so a console waiting on another
    console's write lock stays responsive. A DeskError becomes a
    notification (or the ``failed`` callback, e.g. to mark a field).
    """

    @property
    def desk(self) -> Desk:
        return self.helpdesk.desk

    @property
    def helpdesk(self) -> HelpdeskApp:
        return self.app  # type: ignore[attr-defined, return-value]

    def run_desk(
        self,
        call: Callable[[], T],
        done: Callable[[T], Any],
        *,
        failed: Callable[[DeskError], Any] | None = None,
        group: str = "desk",
        exclusive: bool = False,
    ) -> Worker[None]:
        app = self.app  # type: ignore[attr-defined]

        def job() -> None:
            try:
                result = call()
            except DeskError as exc:
                app.call_from_thread(failed or self.report, exc)
                return
            app.call_from_thread(done, result)

        return self.run_worker(job, thread=True, group=group, exclusive=exclusive)  # type: ignore[attr-defined]

    def report(self, error: DeskError | str) -> None:
        """Show a refusal as a one-line error notification, literally."""
        self.app.notify(str(error), severity="error", markup=False, timeout=8)  # type: ignore[attr-defined]

    def say(self, message: str) -> None:
        self.app.notify(message, markup=False)  # type: ignore[attr-defined]


class DeskScreen(DeskCalls, Screen[None]):
    """A full screen of the console."""


class DeskModal(DeskCalls, ModalScreen[T]):
    """A dialog over a screen; dismisses with its result."""
