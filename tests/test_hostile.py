"""Hostile and broken input: stored and shown literally, or refused with a message.

- Property tests (hypothesis) push arbitrary unicode, control characters, ANSI
  escape sequences, Rich markup, lone surrogates (bytes that were not UTF-8),
  1 MB strings and empty strings through the facade: customers, contacts,
  tickets, notes and every search box. Each call either stores the text
  exactly (as read back) or raises a DeskError; nothing else ever escapes.
- The console renders hostile text: what reaches the terminal is checked
  segment by segment (no control character, markup shown, not run).
- The CLI shows it literally, and refuses argv bytes that are not UTF-8 in one line.
- Import files (knowledge articles, the service model, phone-system calls)
  that are huge, truncated or not UTF-8: a message, non-zero exit, nothing changed.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpdesk_tui.cli import app
from helpdesk_tui.desk import Desk, DeskError, TicketDraft
from helpdesk_tui.output.base import cell
from helpdesk_tui.textsafe import printable

MARKUP = [
    "[/x]",
    "[@click=app.quit]",
    "[0]",
    "[bold red]loud",
    "[/]",
    "[link=file:///etc/passwd]x[/link]",
    "[@click=app.bell]ring[/]",
    "\\[escaped]",
]
ESCAPES = [
    "\x1b[31m",
    "\x1b[2J",
    "\x1b[H",
    "\x1b]0;window title\x07",
    "\x1b]8;;http://example.org\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m",  # a one-byte CSI
    "\x07",
    "\r",
    "\x00",
    "\x08\x08",
    "\u202eevil",  # right-to-left override
    "\u200b",  # zero width space
    "e\u0301",  # a combining accent
    "\U0001f600",
    "\udcff",  # what Python makes of a byte that is not UTF-8
]
BIG = ["x" * 1_000_000, "é" * 300_000, ("[b]" + "\x1b[1m") * 100_000]

#: Anything a keyboard, a paste or a broken terminal can produce.
hostile = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, exclude_categories=())),  # surrogates too
    st.lists(st.sampled_from(MARKUP + ESCAPES) | st.text(max_size=4), max_size=8).map("".join),
    st.sampled_from(["", " ", "\n", "\t \r\n", *MARKUP, *ESCAPES]),
)
huge_or_hostile = st.one_of(hostile, st.sampled_from(BIG))

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def stored_or_refused(call):
    """Run a facade call: its result, or None when refused with a DeskError (and a message)."""
    try:
        return call()
    except DeskError as exc:
        assert str(exc).strip(), "a refusal without a message"
        assert "\n" not in str(exc).strip() or len(str(exc)) < 2000
        return None


def shown(text: str) -> str:
    """What a one-line cell shows: no control character at all."""
    rendered = cell(text).plain
    assert not _CONTROL.search(rendered), repr(rendered[:80])
    return rendered


# -- through the facade ---------------------------------------------------------------------------


@SETTINGS
@given(name=huge_or_hostile, org=hostile)
def test_customers(desk: Desk, name: str, org: str) -> None:
    added = stored_or_refused(lambda: desk.add_customer(name, org=org))
    if added is not None:
        again = desk.customer(added.id)
        assert (again.name, again.org) == (name.strip(), org.strip())
        assert shown(again.name) == printable(again.name, single_line=True)


@SETTINGS
@given(summary=huge_or_hostile)
def test_contacts(desk: Desk, summary: str) -> None:
    logged = stored_or_refused(
        lambda: desk.log_contact(channel="phone", customer_id=1, summary=summary)
    )
    if logged is not None:
        assert desk.contact(logged.contact.id).summary == summary.strip()
        shown(desk.contact(logged.contact.id).summary)


@SETTINGS
@given(title=huge_or_hostile, description=hostile, note=huge_or_hostile)
def test_tickets_and_notes(desk: Desk, title: str, description: str, note: str) -> None:
    ticket = stored_or_refused(
        lambda: desk.open_ticket(1, TicketDraft(title, "general", description=description))
    )
    if ticket is None:
        return
    view = desk.ticket_view(ticket.id)
    assert (view.ticket.title, view.ticket.description) == (title.strip(), description.strip())
    noted = stored_or_refused(lambda: desk.add_note(ticket.id, note))
    if noted is not None:
        assert desk.ticket_view(ticket.id).events[-1].note == note.strip()


@SETTINGS
@given(query=huge_or_hostile)
def test_any_typed_text_is_a_valid_search(desk: Desk, query: str) -> None:
    """Search boxes never refuse: whatever was typed finds something or nothing."""
    assert isinstance(desk.find_customers(query), list)
    assert isinstance(desk.kb_search(query), list)
    assert isinstance(desk.matching_bulletins(text=query), list)


def test_hostile_text_is_findable_by_its_words(desk: Desk) -> None:
    added = desk.add_customer("[@click=app.quit]Ñoño\x1b[31m O'Brien-Smith")
    for typed in ("ñoño", "Ñoñ", "o'brien", "brien smith", "[@click", "\x1b[31m ñoño"):
        assert added.id in [c.id for c in desk.find_customers(typed)], typed


# -- through the CLI ------------------------------------------------------------------------------

SAMPLES = ["[@click=app.quit]q[/b][0]", "\x1b[2J\x1b[31mred\x07", "[/x] \x9b31m", "\u202eevil"]


def test_the_cli_shows_hostile_text_literally(desk: Desk, db_path: Path) -> None:
    for text in SAMPLES:
        desk.add_customer(text)
        number = desk.open_ticket(1, TicketDraft(text, "general", description=text)).id
        desk.add_note(number, text)
    for argv in (["customer", "list"], ["ticket", "list"], ["ticket", "show", "1"]):
        result = CliRunner().invoke(app, ["--db", str(db_path), *argv], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert not _CONTROL.search(result.stdout.replace("\n", "")), argv
        assert "[@click=app.quit]q[/b][0]" in result.stdout, argv


def test_argv_bytes_that_are_not_utf8_are_refused_in_one_line(desk: Desk, db_path: Path) -> None:
    before = len(desk.find_customers("", limit=1000))
    result = subprocess.run(
        [sys.executable, "-m", "helpdesk_tui", "--db", str(db_path), "customer", "add"]
        + [b"Caf\xe9 L\xf6we"],  # typed in a Latin-1 terminal
        capture_output=True,
        env={"HELPDESK_USER": "admin", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert "not UTF-8" in lines[0]
    assert len(desk.find_customers("", limit=1000)) == before


# -- in the console -------------------------------------------------------------------------------


def terminal_segments(app) -> list[str]:
    """The text of every segment the screen sends to the terminal."""
    strips = app.screen._compositor.render_strips()
    return [segment.text for strip in strips for segment in strip]


def assert_terminal_safe(app) -> str:
    segments = terminal_segments(app)
    bad = [s for s in segments if _CONTROL.search(s)]
    assert bad == [], bad[:5]
    return "".join(segments)


async def test_the_console_renders_hostile_text_without_running_it(desk: Desk) -> None:
    from test_console import SIZE, settle

    from helpdesk_tui.app import HelpdeskApp
    from helpdesk_tui.screens.ticket import TicketScreen

    name = "[@click=app.quit]Q[/b]\x1b[2J"
    title = "[/x] [0] \x1b]0;pwned\x07 \x9b31m [bold]big"
    customer = desk.add_customer(name, tier="concierge")
    result = desk.log_contact(
        channel="phone",
        customer_id=customer.id,
        summary="[@click=app.bell]\x1b[31mred\r\x08",
        outcome="ticket",
        ticket=TicketDraft(title, "general", description="line\x1b[1A\x1b[2Kup\n[/]"),
    )
    number = result.ticket.id
    desk.add_note(number, "[link=file:///etc/passwd]x[/link]\x00\x7f")
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = assert_terminal_safe(app)
        assert "[@click=app.q" in queue  # the cell is narrow: shown clipped, still literal
        assert "[/x] [0] ␛]0;pwned␇" in queue
        await pilot.click("#queue-table", offset=(60, 1))  # a link would quit the app
        await settle(pilot)
        assert app.is_running

        app.push_screen(TicketScreen(number))
        await settle(pilot)
        ticket = assert_terminal_safe(app)
        assert "[/x] [0]" in ticket and "␛]0;pwned␇" in ticket
        assert "[link=file:///etc/passwd]x[/link]␀␡" in ticket
        assert "line␛[1A␛[2Kup" in ticket

        await pilot.press("escape")
        await pilot.press("3")  # the contact log
        await settle(pilot)
        log = assert_terminal_safe(app)
        assert "[@click=app.bell]␛[31mred" in log
        assert app.is_running


async def test_the_customer_search_box_takes_any_text(desk: Desk) -> None:
    from test_console import SIZE, settle
    from textual.widgets import Input

    from helpdesk_tui.app import HelpdeskApp

    desk.add_customer("[red]Marta[/red] \x1b[31mJones", tier="concierge")
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # a new contact: the customer search box has the focus
        await settle(pilot)
        box = app.screen.query_one("#customer-search", Input)
        for typed in ["[/x]", "[@click=app.quit]", "[0]", '"unbalanced', "NOT AND (", "x" * 5000,
                      "Mar\x1b[31m", "\x9b\x07", "Marta", "[red]Mar"]:  # fmt: skip
            box.value = ""
            box.insert_text_at_cursor(typed)  # what typing or pasting does
            await settle(pilot)
            assert box.value == ("" if _CONTROL.search(typed) else typed)  # controls refused
            assert_terminal_safe(app)
            assert app.is_running
        assert "[red]Marta[/red] ␛[31mJones" in assert_terminal_safe(app)  # the match, literal


# -- import files ---------------------------------------------------------------------------------


def counts(path: Path) -> dict[str, int]:
    tables = ("kb_articles", "kb_versions", "tiers", "products", "sla_plans", "calls")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables if t in names
        }


def broken_files(folder: Path, good: bytes) -> dict[str, Path]:
    files = {
        "huge": folder / "huge.yaml",
        "truncated": folder / "truncated.yaml",
        "latin-1": folder / "latin1.yaml",
        "binary": folder / "binary.yaml",
        "empty": folder / "empty.yaml",
    }
    files["huge"].write_bytes(good + b"#" * 3_000_000)
    files["truncated"].write_bytes(good[: len(good) // 2])
    files["latin-1"].write_bytes(good.replace(b"\n", " caf\xe9\n".encode("latin-1"), 1))
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["empty"].write_bytes(b"")
    return files


def refused(result) -> list[str]:
    """Non-zero exit, no traceback, every stderr line one message, the last an error."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = result.stderr.splitlines()
    assert lines and lines[-1].startswith("error: "), result.stderr
    assert all(len(line) < 400 for line in lines), lines
    assert not any(_CONTROL.search(line) for line in lines)
    return lines


@pytest.mark.parametrize("kind", ["huge", "truncated", "latin-1", "binary", "empty"])
@pytest.mark.parametrize("command", ["kb", "config"])
def test_broken_import_files_are_refused_and_change_nothing(
    desk: Desk, db_path: Path, tmp_path: Path, command: str, kind: str
) -> None:
    if command == "kb":
        good = desk.kb_export(tmp_path / "kb")[0].read_bytes()
    else:
        good = (desk.export_config(tmp_path / "model")[0]).read_bytes()
    bad = broken_files(tmp_path, good)[kind]
    before = counts(db_path)
    result = CliRunner().invoke(app, ["--db", str(db_path), command, "import", str(bad)])
    lines = refused(result)
    # one line per problem, each naming the file, then the refusal
    assert all(line.startswith((str(bad), "error: ")) for line in lines), lines
    assert counts(db_path) == before


@pytest.mark.parametrize("kind", ["huge", "latin-1", "binary", "empty"])
def test_broken_call_logs_change_nothing_and_say_so_briefly(
    desk: Desk, db_path: Path, tmp_path: Path, kind: str
) -> None:
    good = b"1764061200|1764061200.1|support|NONE|ENTERQUEUE||+15550100|1\n"
    bad = broken_files(tmp_path, good)[kind]
    before = counts(db_path)
    result = CliRunner().invoke(app, ["--db", str(db_path), "calls", "import", str(bad)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    # broken lines are listed by number, a bounded few however big the file is
    assert len(lines) <= 50, f"{len(lines)} lines of warnings"
    assert all(line.startswith("warning: ") for line in lines), lines[:3]
    assert not any(_CONTROL.search(line) for line in lines)
    assert "0 new calls imported" in result.stdout
    assert counts(db_path) == before
