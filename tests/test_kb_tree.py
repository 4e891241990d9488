"""Knowledge articles as pure data: validation of every bad-input case, deep trees,
edit operations and the walk, without a database."""

from __future__ import annotations

import inspect
import sys
from datetime import UTC, datetime

import pytest

from helpdesk_tui.desk import InvalidInput, NotFound
from helpdesk_tui.desk import knowledge_ops as ops
from helpdesk_tui.desk.knowledge_tree import (
    Article,
    Node,
    Problem,
    Reference,
    check,
    reachable,
    tree_rows,
)
from helpdesk_tui.desk.knowledge_walk import Walk
from helpdesk_tui.desk.transitions import EXTERNAL

REF = Reference(
    categories=frozenset({"printer", "network"}),
    departments=frozenset({"Desktop", "Network"}),
    products=frozenset({"hp_laserjet_m507"}),
)


def small(*nodes: Node, start: str = "q1", **fields: object) -> Article:
    base = Article("printer_test", "Printer test", "printer", start=start, nodes=nodes)
    return Article(**{**base.__dict__, **fields}) if fields else base


GOOD = (
    Node.question("q1", "Is it on?", "q2", "sol_on"),
    Node.question("q2", "Is there a jam?", "sol_jam", "esc"),
    Node.solution("sol_on", "Switch it on", "Press the power button."),
    Node.solution("sol_jam", "Clear the jam", "Open the door and pull the paper out."),
    Node.escalation("esc", "Hardware fault", "Printer name and error code.", 2, "Desktop"),
)


def messages(problems: list[Problem]) -> list[tuple[str | None, str]]:
    return [(p.node, p.message) for p in problems]


def test_a_good_article_has_no_problems() -> None:
    assert check(small(*GOOD), REF) == []


def test_a_cycle_is_named_at_the_branch_that_closes_it() -> None:
    nodes = list(GOOD)
    nodes[1] = Node.question("q2", "Is there a jam?", "sol_jam", "q1")  # no -> back to the start
    found = messages(check(small(*nodes), REF))
    assert found == [
        ("esc", "not reachable from the start: link a branch to it or delete it"),
        ("q2", "the 'no' branch makes a cycle: q1 -> q2 -> q1"),
    ]


def test_a_self_loop_is_a_cycle() -> None:
    nodes = [Node.question("q1", "Again?", "q1", "sol_on"), GOOD[2]]
    assert ("q1", "the 'yes' branch makes a cycle: q1 -> q1") in messages(check(small(*nodes)))


def test_missing_branches_are_named_one_each() -> None:
    nodes = [Node.question("q1", "Is it on?", None, None), *GOOD[2:]]
    found = messages(check(small(*nodes), REF))
    assert ("q1", "the 'yes' branch is missing: link it to a node") in found
    assert ("q1", "the 'no' branch is missing: link it to a node") in found


def test_a_reference_to_an_unknown_node_is_named() -> None:
    nodes = [Node.question("q1", "Is it on?", "q2", "nowhere"), *GOOD[1:]]
    found = messages(check(small(*nodes), REF))
    assert ("q1", "the 'no' branch leads to unknown node 'nowhere'") in found


def test_duplicate_ids_are_named() -> None:
    nodes = [*GOOD, Node.solution("sol_jam", "Another", "Steps.")]
    found = messages(check(small(*nodes), REF))
    assert found == [("sol_jam", "duplicate node id: another node has this id")]


@pytest.mark.parametrize(
    ("node", "message"),
    [
        (Node.question("q2", "  ", "sol_jam", "esc"), "the question is empty"),
        (Node.solution("sol_jam", "", "Steps."), "the solution title is empty"),
        (Node.solution("sol_jam", "Clear it", "\n \t"), "the solution's list of steps is empty"),
        (Node.escalation("esc", "Fault", "", 2), "the list of what to record is empty"),
        (Node.escalation("esc", "", "Name.", 2), "the escalation title is empty"),
    ],
)
def test_empty_texts_are_named(node: Node, message: str) -> None:
    nodes = [node if n.id == node.id else n for n in GOOD]
    assert messages(check(small(*nodes), REF)) == [(node.id, message)]


def test_an_escalation_needs_a_target_and_a_known_level_and_department() -> None:
    for node, message in [
        (
            Node.escalation("esc", "Fault", "Name."),
            "an escalation needs a level (2, 3 or external) or a department, or both",
        ),
        (Node.escalation("esc", "Fault", "Name.", 1), "unknown level 1: use 2, 3 or external"),
        (
            Node.escalation("esc", "Fault", "Name.", None, "Plumbing"),
            "unknown department 'Plumbing': use one of Desktop, Network",
        ),
    ]:
        nodes = [node if n.id == "esc" else n for n in GOOD]
        assert ("esc", message) in messages(check(small(*nodes), REF))
    external = [
        Node.escalation("esc", "Vendor", "Case.", EXTERNAL) if n.id == "esc" else n for n in GOOD
    ]
    assert check(small(*external), REF) == []


def test_article_level_problems_have_no_node() -> None:
    article = small(*GOOD, category="kitchen", product="toaster", start="missing")
    found = messages(check(article, REF))
    assert (None, "unknown category 'kitchen': use one of network, printer") in found
    assert (None, "unknown product 'toaster': see `helpdesk product list`") in found
    assert (None, "the start node 'missing' does not exist") in found
    assert messages(check(small(start=None))) == [
        (None, "the article has no nodes: add a question, solution or escalation")
    ]


def test_unreachable_nodes_are_named() -> None:
    nodes = [*GOOD, Node.solution("orphan", "Lost", "Nobody links here.")]
    assert messages(check(small(*nodes), REF)) == [
        ("orphan", "not reachable from the start: link a branch to it or delete it")
    ]


def test_markup_and_control_characters_are_kept_literally_and_are_no_problem() -> None:
    text = "Is [red]this[/red] [@click=app.quit]x[/] on?\x1b[31m\x07"
    nodes = [Node.question("q1", text, "q2", "sol_on"), *GOOD[1:]]
    article = small(*nodes)
    assert check(article, REF) == []
    assert article.node("q1").text == text  # type: ignore[union-attr]


def test_problem_lines_name_the_file_and_node() -> None:
    assert Problem("q2", "the 'no' branch is missing").line("kb/p.yaml") == (
        "kb/p.yaml: node q2: the 'no' branch is missing"
    )
    assert Problem(None, "not valid YAML").line("kb/p.yaml") == "kb/p.yaml: not valid YAML"


def deep(levels: int) -> Article:
    """A chain of ``levels`` questions, each with a solution on its 'no' side."""
    nodes = []
    for i in range(levels):
        nxt = f"q{i + 1}" if i + 1 < levels else "end"
        nodes.append(Node.question(f"q{i}", f"Step {i}?", nxt, f"s{i}"))
        nodes.append(Node.solution(f"s{i}", f"Fix {i}", "Do it."))
    nodes.append(Node.solution("end", "Done", "All checked."))
    return Article("deep", "Deep", "printer", start="q0", nodes=tuple(nodes))


def test_a_500_level_tree_is_validated_and_walked_without_recursion() -> None:
    article = deep(500)
    cyclic = article.with_nodes(
        Node.question("q499", "Step 499?", "q0", "s499") if n.id == "q499" else n
        for n in article.nodes
    )
    limit = sys.getrecursionlimit()
    # Any recursion proportional to the depth would now fail.
    sys.setrecursionlimit(len(inspect.stack()) + 80)
    try:
        problems = check(article, REF)
        cycle = check(cyclic, REF)
        reached = reachable(article)
        rows = tree_rows(article)
        walk = Walk(article, 1, article_id=1, agent="a", started_at=datetime.now(UTC))
        for _ in range(500):
            walk.answer(True)
    finally:
        sys.setrecursionlimit(limit)
    assert problems == []
    assert len(reached) == 1001
    assert max(r.depth for r in rows) == 500
    assert walk.node.id == "end" and len(walk.steps) == 500
    assert [p.node for p in cycle] == ["end", "q499"]  # "end" is no longer reachable
    assert "makes a cycle: q0 -> q1 -> q2 -> q3 -> ... -> q498 -> q499 -> q0" in cycle[1].message


def test_tree_rows_show_shared_nodes_once_and_unreachable_ones_last() -> None:
    nodes = [
        Node.question("q1", "A?", "q2", "q3"),
        Node.question("q2", "B?", "done", "done"),
        Node.question("q3", "C?", "done", "done"),
        Node.solution("done", "Done", "Ok."),
        Node.solution("lost", "Lost", "Ok."),
    ]
    rows = tree_rows(small(*nodes))
    assert [(r.node.id, r.depth, r.branch, r.repeat, r.reachable) for r in rows] == [
        ("q1", 0, None, False, True),
        ("q2", 1, "yes", False, True),
        ("done", 2, "yes", False, True),
        ("done", 2, "no", True, True),
        ("q3", 1, "no", False, True),
        ("done", 2, "yes", True, True),
        ("done", 2, "no", True, True),
        ("lost", 0, None, False, False),
    ]


def test_edit_operations() -> None:
    article = Article("a", "A", "printer")
    article = ops.add_node(article, Node.question("q1", "On?", None, None))
    assert article.start == "q1"
    article = ops.add_node(article, Node.solution("on", "Switch on", "Press it."), "q1", "n")
    assert article.node("q1").no == "on"  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="already exists"):
        ops.add_node(article, Node.solution("on", "Again", "x"))
    with pytest.raises(NotFound, match="no node 'ghost'"):
        ops.link(article, "q1", "yes", "ghost")
    with pytest.raises(InvalidInput, match="only questions have branches"):
        ops.link(article, "on", "yes", "q1")
    with pytest.raises(InvalidInput, match="unknown branch"):
        ops.link(article, "q1", "maybe", "on")
    with pytest.raises(InvalidInput, match="node id 'Bad Id'"):
        ops.add_node(article, Node.solution("Bad Id", "x", "y"))
    article = ops.link(article, "q1", "yes", "on")
    article = ops.delete_node(article, "on")
    assert article.node("q1").yes is None and article.node("q1").no is None  # type: ignore
    article = ops.delete_node(article, "q1")
    assert article.start is None and article.nodes == ()
    assert ops.free_id(small(*GOOD), "Sol Jam!") == "sol_jam_2"


def test_walk_answers_back_and_path_text() -> None:
    walk = Walk(small(*GOOD), 3, article_id=1, agent="a", started_at=datetime.now(UTC))
    assert walk.node.id == "q1" and not walk.finished
    with pytest.raises(InvalidInput, match="already at the first question"):
        walk.back()
    walk.answer("y")
    walk.answer("NO")
    assert walk.node.id == "esc" and walk.finished and walk.outcome == "escalated"
    with pytest.raises(InvalidInput, match="nothing left to answer"):
        walk.answer("y")
    assert walk.path_text() == (
        "Q: Is it on? -> yes; Q: Is there a jam? -> no; "
        "reached: escalation 'Hardware fault' (level 2, Desktop)"
    )
    walk.back()
    walk.answer(True)
    assert walk.path() == [("q1", "yes"), ("q2", "yes"), ("sol_jam", None)]
    assert walk.path_text("abandoned").endswith(
        "stopped at: solution 'Clear the jam' (didn't help)"
    )
    with pytest.raises(InvalidInput, match="not yes or no"):
        Walk(small(*GOOD), 1, article_id=1, agent="a", started_at=datetime.now(UTC)).answer("x")
