"""Article files: the YAML format, its canonical form (byte-identical round trips of every
starter file), refusals of bad files, and import (all or nothing) and export through the desk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import as_user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk_tui.desk import Desk, Forbidden, InvalidInput
from helpdesk_tui.desk.knowledge_base import InvalidArticle
from helpdesk_tui.desk.knowledge_files import (
    MAX_FILE_BYTES,
    emit_article,
    parse_article,
    read_article,
    starter_dir,
)
from helpdesk_tui.desk.knowledge_tree import Article, Node

STARTERS = sorted(starter_dir().glob("*.yaml"))

GOOD = """\
title: Toner low
category: printer
tags: [printer, toner]
start: q1
nodes:
  - id: q1
    question: Is the toner light on?
    if_yes: swap
    if_no: call

  - id: swap
    solution: Swap the toner
    steps: |-
      1. Open the front door.
      2. Swap the cartridge.

  - id: call
    escalate: Printer fault
    level: 2
    department: Desktop
    record: The error on the display.
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_there_are_at_least_ten_starter_trees_of_6_to_25_nodes() -> None:
    assert len(STARTERS) >= 10
    for path in STARTERS:
        article, problems = parse_article(path.read_text(encoding="utf-8"), path.stem)
        assert problems == [] and article is not None, path.name
        kinds = {n.kind for n in article.nodes}
        assert 6 <= len(article.nodes) <= 25 and kinds == {"question", "solution", "escalation"}


@pytest.mark.parametrize("path", STARTERS, ids=lambda p: p.name)
def test_every_starter_file_round_trips_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    article, _ = parse_article(text, path.stem)
    assert article is not None
    assert emit_article(article) == text


def test_the_format_reads_as_documented() -> None:
    article, problems = parse_article(GOOD, "toner_low")
    assert problems == []
    assert article == Article(
        "toner_low",
        "Toner low",
        "printer",
        None,
        ("printer", "toner"),
        "q1",
        (
            Node.question("q1", "Is the toner light on?", "swap", "call"),
            Node.solution(
                "swap", "Swap the toner", "1. Open the front door.\n2. Swap the cartridge."
            ),
            Node.escalation("call", "Printer fault", "The error on the display.", 2, "Desktop"),
        ),
    )
    assert emit_article(article) == GOOD


TEXT = (
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, question=TEXT, steps=TEXT, tag=TEXT)
def test_any_text_survives_emit_and_parse(title: str, question: str, steps: str, tag: str) -> None:
    """Markup, quotes, control characters, 'yes', '#', ': ' and newlines all come back."""
    article = Article(
        "any",
        title,
        "printer",
        tags=(tag,),
        start="q",
        nodes=(
            Node.question("q", question, "s", "s", hint=steps),
            Node.solution("s", title, steps),
        ),
    )
    text = emit_article(article)
    parsed, problems = parse_article(text, "any")
    assert problems == [] and parsed == article
    assert emit_article(parsed) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: [unclosed\n", "not valid YAML: "),
        ("- just\n- a list\n", "expected a mapping with title, category, start and nodes"),
        ("title: x\ntitle: y\n", "not valid YAML: the key 'title' is given twice (line 2"),
        ("title: x\nauthor: me\nnodes: []\n", "unknown key 'author'"),
        ("title: yes\nnodes: []\n", "'title' must be text, got True (put it in quotes)"),
        ("title: x\nnodes: {a: 1}\n", "'nodes' must be a list of questions"),
        ("title: x\nnodes:\n  - question: Is it?\n", "node number 1 has no id"),
        ("title: x\nnodes:\n  - 42\n", "node number 1 must be a mapping"),
        ("title: x\ntags: printer\nnodes: []\n", "'tags' must be a list of words"),
        ("title: x\n" + "[" * 5000 + "\n", "not valid YAML"),
    ],
)
def test_shape_problems_are_named(text: str, message: str) -> None:
    _, problems = parse_article(text, "bad")
    assert any(p.message.startswith(message) or message in p.message for p in problems), problems


def test_node_shape_problems_name_the_node() -> None:
    text = GOOD.replace("    if_no: call\n", "    if_no: call\n    steps: nope\n").replace(
        "    level: 2\n", "    level: four\n"
    )
    _, problems = parse_article(text, "toner_low")
    assert [(p.node, p.message) for p in problems] == [
        ("q1", "a question has no 'steps' (its keys: id, question, hint, if_yes, if_no)"),
        ("call", "unknown level 'four': use 2, 3 or external"),
    ]
    both = GOOD.replace("    solution: Swap the toner\n", "    solution: Swap\n    question: Or?\n")
    _, problems = parse_article(both, "toner_low")
    assert problems[0].node == "swap" and "exactly one of" in problems[0].message


def test_bad_files_are_refused_with_one_line_naming_the_file(tmp_path: Path) -> None:
    huge = write(tmp_path, "huge.yaml", "title: x\n" + "#" * MAX_FILE_BYTES)
    latin = write(tmp_path, "latin.yaml", "title: caf\xe9\n".encode("latin-1"))
    control = write(tmp_path, "control.yaml", "title: bell \x07 here\n")
    for path, start in [
        (huge, "the file is 1,048,585 bytes; the limit is 1,048,576"),
        (latin, "not UTF-8 text (byte 0xe9 at 10)"),
        (control, "not valid YAML: unacceptable character #x0007"),
    ]:
        found = read_article(path)
        assert found.article is None
        (problem,) = found.problems
        assert problem.line(str(path)).startswith(f"{path}: {start}")


# -- through the desk --------------------------------------------------------------------------


def counts(path: Path | str) -> tuple[int, int]:
    conn = sqlite3.connect(str(path))
    try:
        return (
            conn.execute("SELECT count(*) FROM kb_articles").fetchone()[0],
            conn.execute("SELECT count(*) FROM kb_versions").fetchone()[0],
        )
    finally:
        conn.close()


def test_init_publishes_the_starters_once(desk: Desk) -> None:
    assert counts(desk.store.path) == (len(STARTERS), len(STARTERS))
    assert desk.init().knowledge == 0
    assert counts(desk.store.path) == (len(STARTERS), len(STARTERS))
    assert {v.source for v in desk.kb_history("printer_wont_print")} == {"starter"}


def test_init_keeps_an_admins_published_edits(desk: Desk) -> None:
    desk.kb_set_details("slow_computer", title="PC is slow")
    desk.kb_publish("slow_computer")
    assert desk.init().knowledge == 0
    assert desk.kb_article("slow_computer").article.title == "PC is slow"


def test_export_after_import_gives_the_same_bytes(desk: Desk, tmp_path: Path) -> None:
    written = desk.kb_export(tmp_path / "out")
    assert sorted(p.name for p in written) == [p.name for p in STARTERS]
    for path in STARTERS:
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes()
    report = desk.kb_import(tmp_path / "out")
    assert (len(report.unchanged), report.added, report.updated) == (len(STARTERS), [], [])


def test_import_adds_and_updates(desk: Desk, tmp_path: Path) -> None:
    write(tmp_path / "kb", "toner_low.yaml", GOOD)
    changed = STARTERS[0].read_text(encoding="utf-8").replace("title: ", "title: New ", 1)
    write(tmp_path / "kb", STARTERS[0].name, changed)
    report = desk.kb_import(tmp_path / "kb")
    assert (report.added, report.updated) == (["toner_low"], [STARTERS[0].stem])
    assert desk.kb_article(STARTERS[0].stem).version == 2
    assert desk.kb_article("toner_low").article.nodes[1].steps.startswith("1. Open")


def test_importing_a_directory_is_all_or_nothing(desk: Desk, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    write(folder, "a_good.yaml", GOOD)
    write(folder, "b_cyclic.yaml", GOOD.replace("if_no: call", "if_no: q1"))
    write(folder, "c_broken.yaml", "title: [oops\n")
    write(folder, "d_dupe.yaml", GOOD + "\n  - id: swap\n    solution: Again\n    steps: x\n")
    before = counts(desk.store.path)
    with pytest.raises(InvalidArticle) as caught:
        desk.kb_import(folder)
    assert counts(desk.store.path) == before
    lines = caught.value.lines
    assert f"{folder / 'b_cyclic.yaml'}: node q1: the 'no' branch makes a cycle: q1 -> q1" in lines
    assert any(line.startswith(f"{folder / 'c_broken.yaml'}: not valid YAML") for line in lines)
    assert f"{folder / 'd_dupe.yaml'}: node swap: duplicate node id: another node has this id" in (
        lines
    )
    assert not any("a_good" in line for line in lines)
    assert str(caught.value).startswith(f"{len(lines)} problems, nothing was imported: ")


def test_import_checks_names_against_the_desk(desk: Desk, tmp_path: Path) -> None:
    text = GOOD.replace("category: printer", "category: kitchen").replace(
        "department: Desktop", "department: Plumbing"
    )
    with pytest.raises(InvalidArticle) as caught:
        desk.kb_import(write(tmp_path, "toner_low.yaml", text))
    assert [line.split(": ", 1)[1] for line in caught.value.lines] == [
        "unknown category 'kitchen': use one of account, computer, email, general, network, "
        "phone, printer",
        "node call: unknown department 'Plumbing': use one of Accounts, Desktop, Facilities, "
        "Network, Service Desk, Telephony",
    ]


def test_only_admins_import_and_missing_paths_are_one_line(desk: Desk, tmp_path: Path) -> None:
    path = write(tmp_path, "toner_low.yaml", GOOD)
    with pytest.raises(Forbidden, match="only admins may edit knowledge articles"):
        as_user(desk, "alice").kb_import(path)
    with pytest.raises(Exception, match="no such file or directory"):
        desk.kb_import(tmp_path / "missing")
    with pytest.raises(InvalidInput, match="no .yaml article files"):
        desk.kb_import(write(tmp_path / "empty", "notes.txt", "x").parent)
