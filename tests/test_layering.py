"""The layers stay honest: the store and the domain never reach for the UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import helpdesk_tui

PACKAGE = Path(helpdesk_tui.__file__).parent
UI_LIBRARIES = ("textual", "rich")


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_store_and_desk_never_import_ui_libraries() -> None:
    files = python_files(PACKAGE / "store") + python_files(PACKAGE / "desk")
    assert len(files) >= 10
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] in UI_LIBRARIES
        )
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_desk_never_imports_sqlite() -> None:
    """The domain never sees a cursor or a sqlite3 exception (a server backend later)."""
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] in ("sqlite3", "sqlite_utils")
        )
        for path in python_files(PACKAGE / "desk")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_the_store_runs_sql() -> None:
    outside = [p for p in python_files(PACKAGE) if (PACKAGE / "store") not in p.parents]
    assert outside, "expected modules outside store/"
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in outside
        if ".execute(" in path.read_text(encoding="utf-8")
        or ".executemany(" in path.read_text(encoding="utf-8")
        or ".executescript(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


SCRIPT = """
import sys
from pathlib import Path

import helpdesk_tui.store
import helpdesk_tui.desk
from helpdesk_tui.desk import Desk, TicketDraft

desk = Desk.open(Path(sys.argv[1]), login="admin")
desk.init()
customer = desk.add_customer("[red]Marta[/red]", email="marta@example.org", tier="concierge")
desk.log_contact(channel="phone", customer_id=customer.id, summary="general question")
result = desk.log_contact(
    channel="email", customer_id=customer.id, summary="laptop", outcome="ticket",
    ticket=TicketDraft("Laptop", "computer",
                       {"operating_system": "Ubuntu", "memory": "8 GB", "machine_name": "LT-1"}),
)
desk.add_note(result.ticket.id, "note")
desk.queue_page()
desk.ticket_view(result.ticket.id)
desk.find_customers("mar")
desk.close()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print("UI:" + ",".join(loaded))
"""


def test_working_a_desk_never_loads_textual_or_rich(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "layering.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "UI:"
