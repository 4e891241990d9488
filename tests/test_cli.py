"""The ``helpdesk`` command line, driven through Typer's CliRunner.

Every command of issue 2 is exercised, and each bad input of issue 2 has a
test that checks the whole contract: a non-zero exit, exactly one ``error:``
line on stderr, no traceback, and nothing changed in the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import sqlite3
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from helpdesk_tui.cli import app
from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk, TicketDraft

TABLES = ("users", "customers", "contacts", "tickets", "events", "categories", "departments")
COMPUTER = (
    "--field 'operating_system=Windows 11' --field 'memory=16 GB' --field machine_name=LT-0423"
)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide, colourless terminal: cells are not truncated and any ESC came from data."""
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


class Cli:
    """Invoke the CLI on one database file, with ``--db`` first like a user would."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(
        self, *args: str, db: Path | str | None = "", env: dict[str, str] | None = None
    ) -> Result:
        """``db=None`` leaves ``--db`` out so that $HELPDESK_DB (or the default) applies."""
        path = self.db if db == "" else db
        argv = ["--db", str(path), *args] if path is not None else list(args)
        return CliRunner().invoke(app, argv, env=env)

    def sh(self, command: str, **kwargs: Any) -> Result:
        """The same, from one shell-quoted line: ``cli.sh("ticket show 1 -f json")``."""
        return self(*shlex.split(command), **kwargs)


@pytest.fixture
def run(db_path: Path) -> Cli:
    """The CLI on the test's (not yet created) database file."""
    return Cli(db_path)


@pytest.fixture
def cli(desk: Desk, run: Cli) -> Cli:
    """The CLI on the initialised desk (users admin/alice/lee, customer 1 Marta Jones)."""
    return run


def ok(result: Result) -> str:
    """The stdout of a command that must have succeeded."""
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def counts(path: Path) -> dict[str, int]:
    """Rows per table: "nothing changed" means these are the same after a refusal."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def assert_refused(result: Result, *, code: int = 1, says: str = "") -> str:
    """The contract for bad input: one ``error:`` line on stderr, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines[0]
    assert "\x1b" not in result.stderr
    assert says in lines[0]
    return lines[0]


def open_ticket(desk: Desk, title: str = "Laptop will not boot") -> int:
    """A computer ticket for customer 1, opened through the facade (not the CLI)."""
    fields = {"operating_system": "Windows 11", "memory": "16 GB", "machine_name": "LT-0423"}
    return desk.open_ticket(1, TicketDraft(title, "computer", fields)).id


# -- setting up --------------------------------------------------------------------------------


def test_init_makes_the_current_login_admin_once(run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    first = ok(run("init", db=path))
    assert "departments" in first and "categories" in first
    assert "user admin added as its first admin" in first
    second = ok(run("init", db=path))
    assert "first admin" not in second
    assert counts(path)["users"] == 1


def test_init_without_db_uses_helpdesk_db(run: Cli, tmp_path: Path) -> None:
    ok(run("init", db=None))
    assert (tmp_path / "default.db").exists()


def test_init_by_an_agent_is_forbidden(cli: Cli, db_path: Path) -> None:
    before = counts(db_path)
    assert_refused(cli("--as", "alice", "init"), says="only admins")
    assert counts(db_path) == before


def test_categories_mark_required_fields(cli: Cli) -> None:
    out = ok(cli("categories"))
    assert "operating_system*" in out and "model" in out and "model*" not in out
    data = json.loads(ok(cli("categories", "--format", "json")))
    computer = next(c for c in data if c["key"] == "computer")
    assert {"key": "memory", "label": "Memory size", "required": True}.items() <= next(
        f for f in computer["fields"] if f["key"] == "memory"
    ).items()


# -- users and customers -----------------------------------------------------------------------


def test_user_add_and_list(cli: Cli) -> None:
    out = ok(cli("user", "add", "bob", "--name", "Bob Builder", "--role", "agent", "--level", "2"))
    assert out == "user bob added (agent, level 2)\n"
    assert "Bob Builder" in ok(cli("user", "list"))
    users = json.loads(ok(cli("user", "list", "--format", "json")))
    bob = next(u for u in users if u["login"] == "bob")
    assert bob["level"] == 2 and bob["created_at"].endswith("Z")


def test_user_add_needs_an_admin(cli: Cli, db_path: Path) -> None:
    before = counts(db_path)
    result = cli("--as", "alice", "user", "add", "bob", "--name", "Bob", "--role", "agent")
    assert_refused(result, says="only admins may add users")
    assert counts(db_path) == before


def test_customer_add_and_list(cli: Cli) -> None:
    out = ok(cli("customer", "add", "Ana Lima", "--email", "ana@example.org", "--tier", "premium"))
    assert out == "customer 2 added\n"
    assert "Ana Lima" in ok(cli("customer", "list"))
    found = json.loads(ok(cli("customer", "list", "--search", "ana", "--format", "json")))
    assert [(c["id"], c["tier"]) for c in found] == [(2, "premium")]


# -- contacts ----------------------------------------------------------------------------------


def test_contact_log_answered_at_first_contact(cli: Cli, desk: Desk) -> None:
    out = ok(cli.sh("contact log --channel phone --customer 'Marta Jones' --summary 'Opening?'"))
    assert out == "contact 1 logged\n"
    (contact,) = desk.contacts()
    assert (contact.outcome, contact.ticket_id, contact.agent) == ("answered", None, "admin")


def test_contact_log_opens_a_ticket_with_category_fields(cli: Cli, desk: Desk) -> None:
    out = ok(
        cli.sh(
            "contact log --channel walk-in --customer 1 --summary 'Laptop dead' "
            f"--title 'Laptop will not boot' --category computer {COMPUTER} --priority high"
        )
    )
    assert out == "contact 1 logged: ticket #1 opened\n"
    ticket = desk.ticket(1)
    assert ticket.fields["memory"] == "16 GB" and ticket.priority == "high"
    assert desk.contact(1).ticket_id == 1


def test_contact_log_answered_with_a_ticket_resolved_at_once(cli: Cli, desk: Desk) -> None:
    out = ok(
        cli.sh(
            "contact log --channel chat --customer 1 --summary Reset --outcome answered "
            "--title 'Password reset' --category account --field username=marta "
            "--field system=payroll --resolution 'Reset it with her on the line'"
        )
    )
    assert out == "contact 1 logged: ticket #1 opened and resolved\n"
    assert desk.ticket(1).status == "resolved"


def test_contact_log_adds_to_an_existing_ticket(cli: Cli, desk: Desk) -> None:
    number = open_ticket(desk)
    out = ok(cli.sh(f"contact log --channel email --customer 1 --summary Again --ticket {number}"))
    assert out == f"contact 1 logged, added to ticket #{number}\n"
    kinds = [e.kind for e in desk.ticket_view(number).events]
    assert kinds == ["created", "contact"]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("--outcome ticket", "a new ticket needs a title and a category"),
        ("--outcome existing", "give the ticket number"),
        ("--outcome answered --ticket 1", "--ticket adds the contact"),
        ("--ticket 1 --title x --category general", "drop --ticket"),
        ("--resolution done", "--resolution records a ticket"),
        ("--title Broken --category computer", "Operating system is required"),
        ("--outcome answered --title x --category general", "needs its resolution text"),
    ],
)
def test_contact_log_inconsistent_outcomes_are_refused(
    cli: Cli, desk: Desk, db_path: Path, extra: str, says: str
) -> None:
    open_ticket(desk)
    before = counts(db_path)
    result = cli.sh(f"contact log --channel phone --customer 1 --summary Hi {extra}")
    assert_refused(result, says=says)
    assert counts(db_path) == before


def test_contact_list_formats(cli: Cli, desk: Desk) -> None:
    desk.log_contact(channel="phone", customer_id=1, summary="First, with a comma")
    desk.clock.advance(minutes=5)  # type: ignore[attr-defined]
    desk.log_contact(channel="email", customer_id=1, summary="Second")
    table = ok(cli("contact", "list"))
    assert table.index("Second") < table.index("First, with a comma")  # newest first
    data = json.loads(ok(cli("contact", "list", "--format", "json")))
    assert [c["id"] for c in data] == [2, 1]
    assert data[0]["at"] == "2026-11-25T09:05:00Z"
    rows = ok(cli("contact", "list", "--format", "csv")).splitlines()
    assert rows[0].startswith("id,at,started_at,channel,customer_id,customer_name")
    assert rows[2].startswith('1,2026-11-25T09:00:00Z,,phone,1,Marta Jones,admin,"First, with')
    assert "1 of 2" in ok(cli("contact", "list", "--limit", "1"))


# -- tickets -----------------------------------------------------------------------------------


def test_ticket_new_prints_its_number(cli: Cli, desk: Desk) -> None:
    out = ok(
        cli.sh(
            "ticket new --customer 'Marta Jones' --title 'Printer jams' --category printer "
            "--field printer_name=PR-2"
        )
    )
    assert out == "ticket #1 opened\n"
    assert desk.ticket(1).category == "printer"


def test_ticket_new_links_a_logged_contact(cli: Cli, desk: Desk) -> None:
    contact = desk.log_contact(channel="phone", customer_id=1, summary="Wi-Fi drops").contact
    ok(
        cli.sh(
            "ticket new --customer 1 --title 'Wi-Fi drops' --category network "
            f"--field 'location=B2 floor 3' --contact {contact.id}"
        )
    )
    assert desk.contact(contact.id).ticket_id == 1


def test_ticket_list_is_oldest_first(cli: Cli, desk: Desk, clock: FrozenClock) -> None:
    start = clock.now()
    clock.advance(hours=5)
    newer = open_ticket(desk, "Newer")
    clock.set(start)
    older = open_ticket(desk, "Older")
    clock.set(start.replace(hour=20))
    resolved = open_ticket(desk, "Done")
    desk.resolve(resolved, "Fixed")
    table = ok(cli("ticket", "list"))
    assert table.index("Older") < table.index("Newer") and "Done" not in table
    assert "Age" in table and "Owner" in table
    ids = [t["id"] for t in json.loads(ok(cli("ticket", "list", "--format", "json")))]
    assert ids == [older, newer]
    closed = json.loads(ok(cli("ticket", "list", "--status", "closed", "-f", "json")))
    assert [t["id"] for t in closed] == [resolved]
    every = ok(cli("ticket", "list", "--status", "all", "--format", "csv")).splitlines()
    assert every[0].startswith("id,created_at,") and len(every) == 4
    assert "1 of 2" in ok(cli("ticket", "list", "--limit", "1"))


def test_ticket_show_has_fields_and_timeline(cli: Cli, desk: Desk) -> None:
    number = open_ticket(desk)
    desk.add_note(number, "Customer will bring it in")
    desk.set_priority(number, "urgent")
    out = ok(cli("ticket", "show", str(number)))
    for expected in ["Laptop will not boot", "Marta Jones", "Memory size", "16 GB", "urgent"]:
        assert expected in out
    assert "Timeline" in out and "Customer will bring it in" in out
    assert "priority: normal → urgent" in out
    data = json.loads(ok(cli("ticket", "show", str(number), "--format", "json")))
    assert data["id"] == number and data["created_at"] == "2026-11-25T09:00:00Z"
    assert [e["kind"] for e in data["events"]] == ["created", "note", "changed"]
    assert data["contacts"] == []


def test_ticket_work_from_the_command_line(cli: Cli, desk: Desk) -> None:
    number = str(open_ticket(desk))
    assert ok(cli("ticket", "note", number, "Called back")) == f"note added to ticket #{number}\n"
    assert ok(cli("ticket", "priority", number, "high")) == f"ticket #{number} priority high\n"
    assert ok(cli("ticket", "resolve", number, "--resolution", "Replaced the disk")).endswith(
        "resolved\n"
    )
    assert ok(cli("ticket", "close", number)) == f"ticket #{number} closed\n"
    assert ok(cli("ticket", "reopen", number, "--reason", "Broke again")).endswith("reopened\n")
    events = desk.ticket_view(int(number)).events
    kinds = ["created", "note", "changed", "resolved", "closed", "reopened"]
    assert [e.kind for e in events] == kinds


def test_closing_an_open_ticket_is_refused(cli: Cli, desk: Desk, db_path: Path) -> None:
    number = open_ticket(desk)
    before = counts(db_path)
    assert_refused(cli("ticket", "close", str(number)), says="resolve it first")
    assert counts(db_path) == before


# -- bad input (issue 2) -----------------------------------------------------------------------


LOG = "contact log --channel phone --customer 1"
NEW = "ticket new --customer 1 --title t"


@pytest.mark.parametrize(
    ("command", "says"),
    [
        # unknown customer, ticket, user, category, channel (and other choices)
        ("contact log --channel phone --customer Nobody --summary x", "no customer named 'Nobody'"),
        ("contact log --channel phone --customer 99 --summary x", "no customer with id 99"),
        ("ticket new --customer 42 --title t --category general", "no customer with id 42"),
        ("ticket show 999", "no ticket #999"),
        ("ticket note 999 hello", "no ticket #999"),
        (f"{LOG} --summary x --ticket 999", "no ticket #999"),
        (f"--as nobody {LOG} --summary x", "helpdesk user add nobody"),
        (f"--as nobody {NEW} --category general", "'nobody' is not a helpdesk user"),
        (f"{NEW} --category toaster", "unknown category 'toaster'"),
        ("contact log --channel pigeon --customer 1 --summary x", "unknown channel 'pigeon'"),
        (f"{NEW} --category general --priority asap", "unknown priority 'asap'"),
        ("ticket priority 1 asap", "unknown priority 'asap'"),
        ("user add bob --name Bob --role king", "unknown role 'king'"),
        ("user add bob --name Bob --role agent --level 7", "unknown level"),
        ("user add bob --name Bob --role agent --department Moon", "unknown department 'Moon'"),
        ("user add Bad! --name Bob --role agent", "not a valid login"),
        ("user add alice --name Alice --role agent", "user 'alice' already exists"),
        ("customer add Ann --tier gold", "unknown tier 'gold'"),
        ("customer add Ann --email nope", "'nope' is not an e-mail address"),
        # category fields: required, malformed --field, unknown key
        (
            f"{NEW} --category computer --field 'operating_system=Win 11' --field 'memory=8 GB'",
            "Machine name is required for a Computer ticket",
        ),
        (f"{NEW} --category computer --field memory", "--field 'memory' is not KEY=VALUE"),
        (f"{NEW} --category general --field =x", "--field '=x' is not KEY=VALUE"),
        (f"{NEW} --category general --field a=1 --field a=2", "--field a is given twice"),
        (f"{NEW} --category general --field colour=red", "unknown field 'colour'"),
        # empty text
        (f"{LOG} --summary '   '", "summary is required"),
        ("ticket new --customer 1 --title '' --category general", "title is required"),
        ("customer add ' '", "customer name is required"),
        ("ticket resolve 1 --resolution ''", "resolution is required"),
        ("ticket note 1 ''", "note is required"),
        ("ticket reopen 1 --reason x", "is still open"),
    ],
)
def test_bad_input_is_refused_in_one_line(
    cli: Cli, desk: Desk, db_path: Path, command: str, says: str
) -> None:
    open_ticket(desk)
    before = counts(db_path)
    assert_refused(cli.sh(command), says=says)
    assert counts(db_path) == before


def test_unknown_user_from_the_environment(cli: Cli, db_path: Path) -> None:
    before = counts(db_path)
    result = cli.sh(f"{LOG} --summary x", env={"HELPDESK_USER": "ghost"})
    assert_refused(result, says="`helpdesk user add ghost --name NAME --role agent`")
    assert counts(db_path) == before


def test_db_in_a_missing_directory(run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "desk.db"
    assert_refused(run("init", db=path), code=2, says="does not exist")
    assert not path.parent.exists()


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root may write to a read-only directory, so there is nothing to refuse",
)
def test_db_in_a_read_only_directory(run: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert_refused(run("init", db=folder / "desk.db"), code=2, says="read-only")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_db_that_is_not_sqlite(run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    garbage = b"\x00\xffthis is not a database\n" * 100
    path.write_bytes(garbage)
    assert_refused(run("ticket", "list", db=path), code=2, says="not a SQLite file")
    assert path.read_bytes() == garbage


def test_db_from_a_newer_version(run: Cli, desk: Desk, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('helpdesk', '9999_future', '2030-01-01T00:00:00Z')"
        )
    before = counts(db_path)
    result = run("contact", "log", "--channel", "phone", "--customer", "1", "--summary", "x")
    assert_refused(result, code=2, says="newer version")
    assert counts(db_path) == before


@pytest.mark.parametrize(
    "command",
    [
        f"{LOG} --summary BIG",
        "ticket new --customer 1 --title BIG --category general",
        "ticket new --customer 1 --title t --category phone --field extension=BIG",
        "ticket note 1 BIG",
        "ticket resolve 1 --resolution BIG",
        "customer add BIG",
    ],
)
def test_100_kb_of_text_is_refused(cli: Cli, desk: Desk, db_path: Path, command: str) -> None:
    open_ticket(desk)
    before = counts(db_path)
    args = [a.replace("BIG", "x" * 100_000) for a in shlex.split(command)]
    line = assert_refused(cli(*args), says="the limit is")
    assert len(line) < 200
    assert counts(db_path) == before


MARKUP = ["[red]x[/red]", "[@click=app.quit]q", "[/bar]", "[0]"]


def test_rich_markup_is_stored_and_shown_literally(cli: Cli, desk: Desk) -> None:
    name, title = "[red]x[/red] [@click=app.quit]q", " ".join(MARKUP)
    ok(cli("customer", "add", name, "--tier", "concierge"))
    ok(
        cli(
            *shlex.split("contact log --channel phone --customer 2 --category general"),
            "--summary",
            title,
            "--title",
            title,
        )
    )
    assert desk.customer(2).name == name and desk.ticket(1).title == title
    assert name in ok(cli("customer", "list"))
    for args in (["contact", "list"], ["ticket", "list"], ["ticket", "show", "1"]):
        out = ok(cli(*args))
        assert name in out and title in out, args
    assert json.loads(ok(cli("ticket", "show", "1", "-f", "json")))["title"] == title


def test_control_characters_are_stored_but_never_sent_raw(cli: Cli, desk: Desk) -> None:
    nasty = "Red \x1b[31malert\x1b[0m bell\x07 csi\x9b2J"
    ok(cli("customer", "add", nasty, "--tier", "concierge"))
    ok(
        cli(
            *shlex.split("contact log --channel phone --customer 2 --category general"),
            "--summary",
            nasty,
            "--title",
            nasty,
        )
    )
    ok(cli("ticket", "note", "1", "line one\nline two " + nasty))
    assert desk.customer(2).name == nasty and desk.ticket(1).title == nasty
    assert desk.contact(1).summary == nasty
    for command in ["customer list", "contact list", "ticket list", "ticket show 1"]:
        for fmt in ["table", "json"]:
            out = ok(cli.sh(f"{command} --format {fmt}"))
            assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out, command
    assert "Red ␛[31malert␛[0m bell␇" in ok(cli("ticket", "list"))
    shown = json.loads(ok(cli("ticket", "show", "1", "-f", "json")))
    assert shown["title"] == nasty  # JSON escapes it and gives it back exactly


def test_error_messages_never_carry_raw_control_characters(cli: Cli) -> None:
    line = assert_refused(
        cli("contact", "log", "--channel", "phone", "--customer", "\x1b[2Jx", "--summary", "x")
    )
    assert "no customer named" in line


def test_long_text_is_clipped_and_narrow_terminals_work(cli: Cli, desk: Desk) -> None:
    title = "A very long title " + "word " * 30 + "THE-END"
    open_ticket(desk, title[:200])
    wide = ok(cli("ticket", "list"))
    assert "…" in wide and "THE-END" not in wide
    for columns in ("40", "12"):
        narrow = cli("ticket", "list", env={"COLUMNS": columns})
        assert ok(narrow)
        ok(cli("ticket", "show", "1", env={"COLUMNS": columns}))


def test_usage_errors_keep_typer_behaviour(cli: Cli) -> None:
    assert cli("ticket", "list", "--format", "xml").exit_code == 2
    assert cli("ticket", "show", "abc").exit_code == 2
    assert cli("ticket", "frobnicate").exit_code == 2


# -- the console and the demo ------------------------------------------------------------------


@pytest.fixture
def fake_console(monkeypatch: pytest.MonkeyPatch) -> list[Desk]:
    """Stand in for helpdesk_tui.app so the test needs no terminal; records who it opened."""
    opened: list[Desk] = []

    class HelpdeskApp:
        def __init__(self, desk: Desk) -> None:
            self.desk = desk

        def run(self) -> None:
            opened.append(self.desk)

    module = types.ModuleType("helpdesk_tui.app")
    module.HelpdeskApp = HelpdeskApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "helpdesk_tui.app", module)
    return opened


def test_no_command_opens_the_console(cli: Cli, fake_console: list[Desk]) -> None:
    ok(cli("--as", "alice"))
    assert [d.login for d in fake_console] == ["alice"]


def test_unknown_user_is_told_before_the_console_opens(cli: Cli, fake_console: list[Desk]) -> None:
    assert_refused(cli("--as", "nobody"), says="helpdesk user add nobody --name NAME")
    assert fake_console == []


def test_empty_database_says_to_run_init(run: Cli, fake_console: list[Desk]) -> None:
    assert_refused(run(), says="run `helpdesk init`")
    assert fake_console == []


def test_demo_wiring(
    run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_console: list[Desk]
) -> None:
    """The demo command's progress, report and console, with a stand-in generator."""
    calls: list[dict[str, Any]] = []

    def build_demo(
        path: Path, *, tickets: int, seed: int, login: str, progress: Any, articles: int
    ) -> Any:
        calls.append(
            {"path": path, "tickets": tickets, "seed": seed, "login": login, "articles": articles}
        )
        for done in range(3):
            progress("tickets", done + 1, 3)
        desk = Desk.open(path, login=login)
        desk.init()
        desk.close()
        return types.SimpleNamespace(
            path=path, tickets=3, contacts=5, customers=2, articles=4, walks=6, bulletins=1,
            seconds=1.5,
        )  # fmt: skip

    module = types.ModuleType("helpdesk_tui.desk.demo")
    module.build_demo = build_demo  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "helpdesk_tui.desk.demo", module)
    out = ok(run("demo", "--tickets", "3", "--seed", "9", "--articles", "4", db=None))
    path = tmp_path / "demo.db"
    assert calls == [{"path": path, "tickets": 3, "seed": 9, "login": "admin", "articles": 4}]
    assert "3 tickets, 5 contacts, 2 customers, 4 generated articles, 6 knowledge walks" in out
    assert "1 bulletin in 1.5s" in out
    assert [d.store.path for d in fake_console] == [str(tmp_path / "demo.db")]


def test_demo_builds_a_small_database(run: Cli, tmp_path: Path, fake_console: list[Desk]) -> None:
    pytest.importorskip("helpdesk_tui.desk.demo", reason="the demo generator is not written yet")
    path = tmp_path / "small-demo.db"
    out = ok(run("demo", "--tickets", "50", "--seed", "3", "--no-open", db=path))
    assert str(path) in out and "50 tickets" in out
    assert fake_console == []
    assert counts(path)["tickets"] == 50


# -- as a program ------------------------------------------------------------------------------


def _python(*args: str, env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_python_m_helpdesk_tui_help(tmp_path: Path) -> None:
    done = _python("-m", "helpdesk_tui", "--help", env_extra={})
    assert done.returncode == 0, done.stderr
    assert "helpdesk" in done.stdout and "ticket" in done.stdout


def test_cli_commands_do_not_import_textual(desk: Desk, db_path: Path) -> None:
    """Commands that need no console must start fast: Textual stays out of sys.modules."""
    desk.close()
    script = f"""
import sys
from helpdesk_tui.cli import main

DB = {str(db_path)!r}
for args in (
    ["init"],
    ["user", "list"],
    ["customer", "list", "--format", "json"],
    ["ticket", "new", "--customer", "1", "--title", "t", "--category", "general"],
    ["contact", "log", "--channel", "phone", "--customer", "1", "--summary", "s"],
    ["ticket", "list"],
    ["ticket", "show", "1"],
    ["contact", "list", "--format", "csv"],
    ["categories"],
):
    try:
        main(["--db", DB, *args])
    except SystemExit as exit:
        assert exit.code in (0, None), (args, exit.code)
assert "textual" not in sys.modules, "textual was imported"
print("no textual")
"""
    done = _python("-c", script, env_extra={"HELPDESK_USER": "admin"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("no textual")
