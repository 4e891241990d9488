"""Database files that cannot be used: each is one line, a non-zero exit, nothing changed.

Every case is tried through a CLI command and through the console's own
entry (``helpdesk`` with no command), which must refuse in the terminal
before any screen is drawn. "Nothing changed" means the file's bytes and
its directory's listing are the same afterwards (no -wal or -shm left).

Permission cases need an ordinary user: run as root (as in some CI
containers), the test forks, drops to ``nobody`` and runs the CLI there.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpdesk_tui.cli import app
from helpdesk_tui.desk import Desk

ENTRIES = {"cli": ["ticket", "list"], "console": []}


def invoke(path: Path, entry: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", str(path), "--as", "admin", *ENTRIES[entry]])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of the folder and, for files, their bytes."""
    return {p.name: (p.read_bytes() if p.is_file() else None) for p in sorted(folder.iterdir())}


def refused_in_one_line(outcome: tuple[int, str, str], says: str, code: int = 2) -> str:
    exit_code, stdout, stderr = outcome
    assert exit_code == code, outcome
    assert stdout == "", outcome
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    assert says in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def real_db(tmp_path: Path) -> Path:
    """A closed helpdesk database with some data, alone in its folder (no -wal)."""
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "desk.db"
    desk = Desk.open(path, login="admin")
    desk.init()
    customer = desk.add_customer("Marta Jones", tier="concierge")
    for n in range(30):
        desk.log_contact(channel="phone", customer_id=customer.id, summary=f"call {n}")
    desk.close()
    assert sorted(p.name for p in folder.iterdir()) == ["desk.db"]
    return path


def truncate(path: Path) -> str:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(size // 3)
    return "damaged"


def scribble(path: Path) -> str:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page, len(data), page):  # every page but the first: all tables
        data[start : start + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))
    return "damaged"


def newer(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('helpdesk', '9999_future', '2030-01-01T00:00:00Z')"
        )
        conn.commit()
    return "newer version"


def garbage(path: Path) -> str:
    path.write_bytes(b"name,email\nMarta,marta@example.org\n" * 100)
    return "not a SQLite file"


def other_program(path: Path) -> str:
    path.unlink()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        conn.commit()
    return "another program"


def empty_directory(path: Path) -> str:
    path.unlink()
    path.mkdir()
    return "is a directory"


@pytest.mark.parametrize("entry", sorted(ENTRIES))
@pytest.mark.parametrize(
    "spoil", [truncate, scribble, newer, garbage, other_program, empty_directory]
)
def test_a_file_that_cannot_be_used_is_refused_and_left_alone(
    real_db: Path, spoil: Callable[[Path], str], entry: str
) -> None:
    says = spoil(real_db)
    before = snapshot(real_db.parent)
    refused_in_one_line(invoke(real_db, entry), says)
    assert snapshot(real_db.parent) == before


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_a_missing_directory_is_refused_and_not_created(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "no" / "such" / "desk.db"
    refused_in_one_line(invoke(path, entry), "does not exist")
    assert not (tmp_path / "no").exists()


# -- permissions, as an ordinary user ------------------------------------------------------------

NOBODY = 65534


def as_ordinary_user(func: Callable[[], Any]) -> Any:
    """Run ``func`` as an ordinary user: directly, or (as root) in a fork that drops to nobody."""
    if os.geteuid() != 0:
        return func()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            payload = pickle.dumps(("ok", func()))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            payload = pickle.dumps(("error", repr(exc)))
            code = 1
        with os.fdopen(write, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as incoming:
        data = incoming.read()
    os.waitpid(pid, 0)
    status, value = pickle.loads(data)
    assert status == "ok", value
    return value


@pytest.fixture
def shared_folder(real_db: Path) -> Iterator[Path]:
    """A folder an ordinary user can reach (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="helpdesk-files-"))
    folder.chmod(0o777)
    shutil.copy2(real_db, folder / "desk.db")
    (folder / "desk.db").chmod(0o666)
    yield folder
    for p in folder.rglob("*"):
        with contextlib.suppress(OSError):
            p.chmod(0o700 if p.is_dir() else 0o600)
    shutil.rmtree(folder, ignore_errors=True)


def _lock(folder: Path, how: str) -> None:
    path = folder / "desk.db"
    if how == "unreadable":
        path.chmod(0o000)
    elif how == "read-only file":
        path.chmod(0o444)
    elif how == "read-only folder":
        path.chmod(0o444)
        folder.chmod(0o555)


@pytest.mark.parametrize("entry", sorted(ENTRIES))
@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("unreadable", "cannot read"),
        ("read-only file", "read-only for you"),
        ("read-only folder", "read-only for you"),
    ],
)
def test_a_file_the_user_may_not_write_is_refused_clearly(
    shared_folder: Path, how: str, says: str, entry: str
) -> None:
    path = shared_folder / "desk.db"
    _lock(shared_folder, how)
    before = snapshot(shared_folder) if how != "unreadable" else None
    outcome = as_ordinary_user(lambda: invoke(path, entry))
    line = refused_in_one_line(outcome, says)
    assert str(path) in line
    shared_folder.chmod(0o777)
    if before is not None:
        assert snapshot(shared_folder) == before
    assert sorted(p.name for p in shared_folder.iterdir()) == ["desk.db"]


def test_a_new_database_is_for_owner_and_group_only_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    old = os.umask(0)
    try:
        desk = Desk.open(path, login="admin")
        desk.init()
        modes = {
            p.name: stat.S_IMODE(p.stat().st_mode)
            for p in tmp_path.iterdir()
            if p.name.startswith("team.db")
        }
        desk.close()
    finally:
        os.umask(old)
    assert modes["team.db"] == 0o660
    assert set(modes) >= {"team.db", "team.db-wal", "team.db-shm"}
    assert all(mode & 0o007 == 0 for mode in modes.values()), modes


def test_an_existing_file_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    Desk.open(path, login="admin").close()
    path.chmod(0o600)
    Desk.open(path, login="admin").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
