"""Admins edit knowledge articles through the facade: drafts, nodes, validation before
publish, history, learning from resolved tickets; everyone else is refused."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from conftest import as_user

from helpdesk_tui.desk import Desk, Forbidden, InvalidInput, NotFound, StaleEdit, TicketDraft
from helpdesk_tui.desk.knowledge_base import InvalidArticle
from helpdesk_tui.desk.knowledge_tree import Node

PRINTER = "printer_wont_print"


def problems(version) -> list[tuple[str | None, str]]:
    return [(p.node, p.message) for p in version.problems]


def test_admin_adds_a_branch_validation_catches_the_missing_no_then_publishes(desk: Desk) -> None:
    draft = desk.kb_draft(PRINTER)
    assert (draft.is_draft, draft.based_on, draft.problems) == (True, 1, ())
    door = Node.question("door_open", "Is a door or tray open?", None, None, hint="Look.")
    draft = desk.kb_add_node(PRINTER, door, parent="supplies", branch="no")
    assert desk.kb_draft(PRINTER).article.node("supplies").no == "door_open"  # type: ignore
    close = Node.solution("sol_door", "Close the door", "Push every door and tray shut.")
    draft = desk.kb_add_node(PRINTER, close, parent="door_open", branch="yes")
    assert problems(draft) == [("door_open", "the 'no' branch is missing: link it to a node")]
    assert draft.problems_at("door_open") == ["the 'no' branch is missing: link it to a node"]

    with pytest.raises(InvalidArticle) as refused:
        desk.kb_publish(PRINTER)
    assert refused.value.lines == (
        "printer_wont_print: node door_open: the 'no' branch is missing: link it to a node",
    )
    assert desk.kb_article(PRINTER).version == 1  # nothing published

    fixed = desk.kb_link(PRINTER, "door_open", "no", "esc_printer_hw")
    assert fixed.problems == ()
    published = desk.kb_publish(PRINTER, "door check added", expected_revision=fixed.revision)
    assert (published.version, published.source, published.note) == (
        2,
        "editor",
        "door check added",
    )
    assert [v.version for v in desk.kb_history(PRINTER)] == [1, 2]
    assert desk.kb_article(PRINTER, 1).article.node("door_open") is None
    assert not desk.kb_articles()[0].has_draft


def test_every_edit_is_for_admins_only(desk: Desk) -> None:
    number = desk.open_ticket(1, TicketDraft("Jam", "printer", {"printer_name": "P"})).id
    desk.resolve(number, "Cleared the jam")
    node = Node.solution("x", "X", "Y")
    for login in ("alice", "lee"):
        other = as_user(desk, login)
        for attempt in (
            lambda d: d.kb_draft(PRINTER),
            lambda d: d.kb_new_article("toner", "Toner", "printer"),
            lambda d: d.kb_add_node(PRINTER, node),
            lambda d: d.kb_update_node(PRINTER, node),
            lambda d: d.kb_delete_node(PRINTER, "sol_jam"),
            lambda d: d.kb_link(PRINTER, "powered", "yes", "sol_jam"),
            lambda d: d.kb_set_start(PRINTER, "sol_jam"),
            lambda d: d.kb_set_details(PRINTER, title="Mine"),
            lambda d: d.kb_validate(PRINTER),
            lambda d: d.kb_publish(PRINTER),
            lambda d: d.kb_discard_draft(PRINTER),
            lambda d: d.kb_draft_from_ticket(number),
            lambda d: d.kb_articles(drafts=True),
        ):
            with pytest.raises(Forbidden, match="only admins may edit knowledge articles"):
                attempt(other)
    assert desk.kb_articles(drafts=True)[0].has_draft is False


def test_a_new_article_from_nothing(desk: Desk) -> None:
    draft = desk.kb_new_article("toner_low", "Toner low", "printer", "hp_laserjet_m507", ["toner"])
    assert problems(draft) == [
        (None, "the article has no nodes: add a question, solution or escalation")
    ]
    desk.kb_add_node("toner_low", Node.question("light", "Is the toner light on?", None, None))
    desk.kb_add_node(
        "toner_low", Node.solution("swap", "Swap it", "1. Open."), parent="light", branch="y"
    )
    desk.kb_add_node(
        "toner_low",
        Node.escalation("call", "Printer fault", "The error.", 2, "Desktop"),
        parent="light",
        branch="n",
    )
    published = desk.kb_publish("toner_low")
    assert (published.version, published.article.start, published.article.tags) == (
        1,
        "light",
        ("toner",),
    )
    assert [a.key for a in desk.kb_search("toner low")][0] == "toner_low"
    with pytest.raises(InvalidInput, match="already exists"):
        desk.kb_new_article("toner_low", "Again", "printer")
    with pytest.raises(InvalidInput, match="must be lower-case letters"):
        desk.kb_new_article("Toner Low!", "x", "printer")
    with pytest.raises(NotFound, match="unknown category 'kitchen'"):
        desk.kb_new_article("kettle", "Kettle", "kitchen")
    with pytest.raises(NotFound, match="unknown product 'toaster'"):
        desk.kb_new_article("toast", "Toast", "general", "toaster")


def test_deleting_a_node_unlinks_the_branches_to_it(desk: Desk) -> None:
    draft = desk.kb_delete_node(PRINTER, "sol_jam")
    assert problems(draft) == [("paper_jam", "the 'yes' branch is missing: link it to a node")]
    desk.kb_discard_draft(PRINTER)
    assert desk.kb_draft(PRINTER).problems == ()  # a fresh draft from version 1


def test_editing_text_and_details_keeps_markup_literally(desk: Desk) -> None:
    jam = desk.kb_draft(PRINTER).article.node("sol_jam")
    assert jam is not None
    text = "Clear [bold]the[/bold] jam \x1b[31m"
    desk.kb_update_node(PRINTER, replace(jam, text=text))
    draft = desk.kb_set_details(PRINTER, title="Printing [red]fails[/red]", tags=["a", " a ", "b"])
    assert draft.article.title == "Printing [red]fails[/red]" and draft.article.tags == ("a", "b")
    desk.kb_publish(PRINTER)
    assert desk.kb_article(PRINTER).article.node("sol_jam").text == text  # type: ignore
    assert desk.kb_search("fails")[0].title == "Printing [red]fails[/red]"


def test_a_draft_changed_by_another_admin_is_not_overwritten(desk: Desk) -> None:
    desk.add_user("ada", "Ada Admin", "admin", 3)
    mine = desk.kb_draft(PRINTER)
    as_user(desk, "ada").kb_set_start(PRINTER, "paper_jam")
    with pytest.raises(StaleEdit, match="changed by ada"):
        desk.kb_set_start(PRINTER, "powered", expected_revision=mine.revision)
    with pytest.raises(StaleEdit):
        desk.kb_publish(PRINTER, expected_revision=mine.revision)
    assert desk.kb_draft(PRINTER).article.start == "paper_jam"


def test_published_versions_cannot_be_changed_even_in_sql(desk: Desk) -> None:
    conn = sqlite3.connect(desk.store.path)
    try:
        for sql in ("UPDATE kb_versions SET title = 'x'", "DELETE FROM kb_versions"):
            with pytest.raises(sqlite3.IntegrityError, match="immutable"):
                conn.execute(sql)
    finally:
        conn.close()


def test_a_resolved_tickets_resolution_becomes_a_draft_solution(desk: Desk) -> None:
    draft = TicketDraft("Printer prints blank pages", "printer", {"printer_name": "PR-9"})
    number = desk.open_ticket(1, draft).id
    with pytest.raises(InvalidInput, match="has no resolution yet"):
        desk.kb_draft_from_ticket(number)
    desk.resolve(number, "Removed the toner's orange seal\n1. Open the front door.\n2. Pull it.")

    new = desk.kb_draft_from_ticket(number)
    assert (new.key, new.article.title, new.article.category) == (
        "printer_prints_blank_pages",
        "Printer prints blank pages",
        "printer",
    )
    (node,) = new.article.nodes
    assert (node.id, node.kind, node.text) == (
        f"ticket_{number}",
        "solution",
        "Removed the toner's orange seal",
    )
    assert node.steps.endswith("2. Pull it.") and new.problems == ()
    assert desk.kb_draft_from_ticket(number).key == "printer_prints_blank_pages_2"

    added = desk.kb_draft_from_ticket(number, PRINTER, attach=("supplies", "no"))
    assert added.article.node("supplies").no == f"ticket_{number}"  # type: ignore[union-attr]
    assert added.problems == ()  # the old target is still reached from power_on
    again = desk.kb_draft_from_ticket(number, PRINTER)
    assert again.article.nodes[-1].id == f"ticket_{number}_2"
    assert problems(again) == [
        (f"ticket_{number}_2", "not reachable from the start: link a branch to it or delete it")
    ]
