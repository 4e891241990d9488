"""The console never freezes while another console holds the database's write lock.

Database work runs in thread workers: a save that waits for the lock waits in
its worker, and the agent can meanwhile move between sections; when the
other console lets go, the save completes and every screen shows it.
"""

from __future__ import annotations

import contextlib
import sqlite3

from test_console import SIZE, screen_text, settle, type_text

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.desk import Desk
from helpdesk_tui.screens.contact import ContactScreen
from helpdesk_tui.screens.contacts import ContactLogScreen
from helpdesk_tui.screens.queue import QueueScreen


def committed(desk: Desk) -> int:
    """Contacts in the file, read by a connection of its own (reads never wait in WAL)."""
    with contextlib.closing(sqlite3.connect(desk.store.path)) as conn:
        return conn.execute("SELECT count(*) FROM contacts").fetchone()[0]


async def test_a_save_waiting_for_the_lock_leaves_the_console_usable(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=0.05)
    other = sqlite3.connect(desk.store.path, isolation_level=None)  # another console
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await settle(pilot)
            await type_text(pilot, "marta")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            await type_text(pilot, "Printer offline again")

            other.execute("BEGIN IMMEDIATE")  # the other console is writing
            await pilot.press("ctrl+s")  # the save waits for the lock, in its worker
            for _ in range(5):
                await pilot.pause()
            assert committed(desk) == 0  # still waiting

            # The agent moves on (the section keys' action: the cursor is in a text box,
            # where "1" is typed): the UI thread answers while the save still waits.
            await app.run_action("section('queue')")
            await pilot.pause()
            assert isinstance(app.screen, QueueScreen)
            await pilot.press("3")
            await pilot.pause()
            assert isinstance(app.screen, ContactLogScreen)
            await pilot.press("2")
            await pilot.pause()
            assert isinstance(app.screen, ContactScreen)
            assert committed(desk) == 0  # and the save is still waiting

            other.execute("COMMIT")  # the other console is done
            await settle(pilot)
            await app.run_action("section('contacts')")
            await settle(pilot)
            assert committed(desk) == 1
            assert "Printer offline again" in screen_text(app)  # the log shows it
            assert app.is_running
    finally:
        with contextlib.suppress(sqlite3.Error):
            other.execute("ROLLBACK")
        other.close()
