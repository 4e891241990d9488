"""``helpdesk kb`` through Typer's CliRunner: validate's exit codes and line format for every
bad-input case, import all or nothing, the plain-terminal walk, search, export, stats."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from helpdesk_tui.cli import app
from helpdesk_tui.desk import Desk, TicketDraft
from helpdesk_tui.desk.knowledge_files import MAX_FILE_BYTES, starter_dir

GOOD = """\
title: Toner low
category: printer
start: q1
nodes:
  - id: q1
    question: Is the toner light on?
    if_yes: swap
    if_no: call

  - id: swap
    solution: Swap the toner
    steps: Open the front door and swap the cartridge.

  - id: call
    escalate: Printer fault
    level: 2
    department: Desktop
    record: The error on the display.
"""

#: Each bad-input case of issue 5 and the line ``kb validate`` prints for it.
BAD = {
    "cyclic.yaml": (
        GOOD.replace("if_no: call", "if_no: q1"),
        [
            "node call: not reachable from the start: link a branch to it or delete it",
            "node q1: the 'no' branch makes a cycle: q1 -> q1",
        ],
    ),
    "missing_branch.yaml": (
        GOOD.replace("    if_no: call\n", ""),
        [
            "node q1: the 'no' branch is missing: link it to a node",
            "node call: not reachable from the start: link a branch to it or delete it",
        ],
    ),
    "unknown_node.yaml": (
        GOOD.replace("if_no: call", "if_no: nowhere"),
        [
            "node q1: the 'no' branch leads to unknown node 'nowhere'",
            "node call: not reachable from the start: link a branch to it or delete it",
        ],
    ),
    "duplicate_ids.yaml": (
        GOOD.replace("  - id: call", "  - id: swap"),
        [
            "node q1: the 'no' branch leads to unknown node 'call'",
            "node swap: duplicate node id: another node has this id",
        ],
    ),
    "empty_text.yaml": (
        GOOD.replace("question: Is the toner light on?", "question: ''"),
        ["node q1: the question is empty"],
    ),
    "not_yaml.yaml": (
        "title: [unclosed\nnodes: {\n",
        ["not valid YAML: "],
    ),
}


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def cli(db: Path, *args: str, input: str | None = None, login: str = "admin") -> Result:
    return CliRunner().invoke(app, ["--db", str(db), "--as", login, *args], input=input)


def test_validate_accepts_the_starter_files(db_path: Path) -> None:
    done = cli(db_path, "kb", "validate", str(starter_dir()))
    assert done.exit_code == 0, done.output
    assert done.stdout.strip().endswith("article files, no problems")


@pytest.mark.parametrize("name", sorted(BAD))
def test_validate_names_each_problem_as_file_node_problem(db_path: Path, tmp_path: Path, name):
    text, expected = BAD[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = cli(db_path, "kb", "validate", str(path))
    assert done.exit_code == 1
    lines = done.stdout.splitlines()
    assert len(lines) == len(expected)
    for line, want in zip(lines, expected, strict=True):
        assert line.startswith(f"{path}: {want}"), line
    assert "Traceback" not in done.output


def test_validate_a_directory_with_huge_and_non_utf8_files(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "huge.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    (tmp_path / "latin.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    done = cli(db_path, "kb", "validate", str(tmp_path))
    assert done.exit_code == 1
    assert done.stdout.splitlines() == [
        f"{tmp_path / 'huge.yaml'}: the file is 1,048,577 bytes; the limit is 1,048,576",
        f"{tmp_path / 'latin.yaml'}: not UTF-8 text (byte 0xe9 at 10)",
    ]


def test_import_is_all_or_nothing_and_admin_only(desk: Desk, db_path: Path, tmp_path: Path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "toner_low.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "zz_cyclic.yaml").write_text(BAD["cyclic.yaml"][0], encoding="utf-8")
    done = cli(db_path, "kb", "import", str(folder))
    assert done.exit_code == 1
    assert done.stderr.splitlines() == [
        f"{folder / 'zz_cyclic.yaml'}: node call: not reachable from the start: link a branch "
        "to it or delete it",
        f"{folder / 'zz_cyclic.yaml'}: node q1: the 'no' branch makes a cycle: q1 -> q1",
        "error: 2 problems: nothing was imported",
    ]
    assert "toner_low" not in [a.key for a in desk.kb_articles()]
    (folder / "zz_cyclic.yaml").unlink()
    refused = cli(db_path, "kb", "import", str(folder), login="alice")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "error: only admins may edit knowledge articles; alice is an agent"
    )
    done = cli(db_path, "kb", "import", str(folder))
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "1 article files: 1 added, 0 updated, 0 unchanged"


def test_walk_reads_answers_from_stdin_and_gives_up_at_the_end(desk: Desk, db_path: Path):
    done = cli(db_path, "kb", "walk", "printer_wont_print", input="y\nn\n", login="alice")
    assert done.exit_code == 0, done.output
    out = done.stdout
    assert "1. Is the printer switched on, with its display lit?" in out
    assert "2. Does the printer's display show an error or a warning" in out
    assert "3. Can other people print to this printer?" in out
    assert out.strip().splitlines()[-2:] == [
        "Path: Q: Is the printer switched on, with its display lit? -> yes; Q: Does the "
        "printer's display show an error or a warning (paper jam, out of paper, toner, door "
        "open)? -> no; stopped at: Q: Can other people print to this printer? (didn't help)",
        "Outcome: abandoned",
    ]
    assert desk.kb_article_stats("printer_wont_print").abandoned == 1


def test_walk_with_a_ticket_resolves_it_and_goes_back_on_b(desk: Desk, db_path: Path) -> None:
    number = desk.open_ticket(1, TicketDraft("Jam", "printer", {"printer_name": "P-1"})).id
    done = cli(
        db_path, "kb", "walk", "printer_wont_print", "--ticket", str(number),
        input="maybe\nb\ny\nn\nb\ny\ny\n", login="alice",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "answer 'maybe' is not yes or no" in done.stdout
    assert "already at the first question" in done.stdout
    assert "Solution: Clear the paper jam" in done.stdout
    assert "Outcome: solved" in done.stdout
    assert f"ticket #{number}: resolved" in done.stdout
    ticket = desk.ticket(number)
    assert ticket.status == "resolved" and ticket.resolution.startswith("Clear the paper jam")
    walked = [e for e in desk.store.events.for_ticket(number) if e.kind == "walk"]
    assert len(walked) == 1 and walked[0].actor == "alice"


def test_walk_with_a_ticket_to_an_escalation_sends_it_to_triage(desk: Desk, db_path: Path):
    number = desk.open_ticket(1, TicketDraft("Jam", "printer", {"printer_name": "P-1"})).id
    done = cli(db_path, "kb", "walk", "printer_wont_print", "--ticket", str(number), input="n\nn\n")
    assert done.exit_code == 0, done.output
    assert "Escalation: Printer hardware fault (level 2, Desktop)" in done.stdout
    assert f"ticket #{number}: triage, level 2, Desktop" in done.stdout


def test_unknown_articles_and_bad_options_are_one_error_line(desk: Desk, db_path: Path) -> None:
    done = cli(db_path, "kb", "walk", "nope", input="y\n")
    assert done.exit_code == 1
    assert done.stderr.strip() == "error: no knowledge article 'nope': see `helpdesk kb list`"
    done = cli(db_path, "kb", "walk", "printer_wont_print", "--preview", "--ticket", "1")
    assert done.stderr.strip().startswith("error: a preview records nothing")


def test_search_list_show_stats_and_export(desk: Desk, db_path: Path, tmp_path: Path) -> None:
    found = cli(db_path, "kb", "search", "print", "-f", "json")
    assert found.exit_code == 0 and '"key": "printer_wont_print"' in found.stdout
    for typed in ("C++", '"', "NOT", ""):
        assert cli(db_path, "kb", "search", typed).exit_code == 0, typed
    phone = cli(db_path, "kb", "list", "--category", "phone", "-f", "csv")
    assert phone.stdout.splitlines()[0].startswith("key,title,category")
    assert len(phone.stdout.splitlines()) == 3
    shown = cli(db_path, "kb", "show", "printer_wont_print")
    assert "    yes -> [display_message] Q: Does the printer's display" in shown.stdout
    cli(db_path, "kb", "walk", "printer_wont_print", input="y\ny\ny\n")
    stats = cli(db_path, "kb", "stats", "-f", "json")
    assert '"walks": 1' in stats.stdout and '"solved": 1' in stats.stdout
    nodes = cli(db_path, "kb", "stats", "printer_wont_print", "-f", "csv")
    assert "sol_jam,solution,Clear the paper jam,1,1,0,0" in nodes.stdout
    done = cli(db_path, "kb", "export", str(tmp_path / "out"))
    assert done.exit_code == 0
    for path in starter_dir().glob("*.yaml"):
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes()
