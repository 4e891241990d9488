"""Walking starter trees with a customer on the line: resolving with a solution, escalating
with a pre-filled plan, giving up, keeping the version walked, first contact, and the
statistics the walks leave behind."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import as_user

from helpdesk_tui.desk import Desk, Forbidden, InvalidInput, StaleEdit, TicketDraft
from helpdesk_tui.desk.knowledge_tree import Node

PRINTER = "printer_wont_print"
JAM = ("y", "y", "y")  # on, shows an error, a paper jam -> "Clear the paper jam"
HARDWARE = ("y", "y", "n", "n")  # ... not a jam, not paper or toner -> Desktop, level 2
GIVE_UP = ("y", "n")  # on, no error shown -> "Can other people print?" ... and stop


def printer_ticket(desk: Desk) -> int:
    draft = TicketDraft("Printer on floor 2 prints nothing", "printer", {"printer_name": "PR-2"})
    return desk.open_ticket(1, draft).id


def walk_to(desk: Desk, answers: tuple[str, ...], **where: int | None):
    walk = desk.kb_start_walk(PRINTER, **where)
    for answer in answers:
        desk.kb_answer(walk, answer)
    return walk


def rows(desk: Desk, sql: str) -> list[tuple]:
    conn = sqlite3.connect(desk.store.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_an_agent_walks_to_a_solution_and_resolves_the_ticket_in_one_go(desk: Desk) -> None:
    number = printer_ticket(desk)
    alice = as_user(desk, "alice")
    before = alice.ticket(number)
    events_before = len(alice.store.events.for_ticket(number))
    walk = walk_to(alice, JAM, ticket=number)
    assert walk.finished and walk.node.text == "Clear the paper jam"

    result = alice.kb_resolve_with_solution(walk, expected_version=before.version)

    ticket = alice.ticket(number)
    assert (ticket.status, ticket.version) == ("resolved", before.version + 2)
    assert ticket.resolution == walk.node.resolution
    assert ticket.resolution.startswith("Clear the paper jam\n1. Open the doors")
    events = alice.store.events.for_ticket(number)
    assert [e.kind for e in events[events_before:]] == ["walk", "resolved"]
    walked = events[events_before]
    assert walked.actor == "alice"
    assert walked.note == (
        "Q: Is the printer switched on, with its display lit? -> yes; "
        "Q: Does the printer's display show an error or a warning (paper jam, out of paper, "
        "toner, door open)? -> yes; Q: Is it a paper jam? -> yes; "
        "reached: solution 'Clear the paper jam'"
    )
    assert walked.note == result.path
    assert walked.changes == {
        "article": PRINTER,
        "version": 1,
        "outcome": "solved",
        "end_node": "sol_jam",
        "walk": result.walk_id,
    }
    assert rows(
        desk, "SELECT version, agent, ticket_id, outcome, end_node, steps FROM kb_walks"
    ) == [(1, "alice", number, "solved", "sol_jam", 3)]
    assert rows(desk, "SELECT node, answer FROM kb_walk_nodes ORDER BY position") == [
        ("powered", "yes"),
        ("display_message", "yes"),
        ("paper_jam", "yes"),
        ("sol_jam", None),
    ]


def test_a_refused_resolve_writes_neither_the_walk_nor_its_event(desk: Desk) -> None:
    number = printer_ticket(desk)
    walk = walk_to(desk, JAM, ticket=number)
    desk.resolve(number, "Fixed it another way")  # meanwhile, from another screen
    version, events = desk.ticket(number).version, len(desk.store.events.for_ticket(number))
    with pytest.raises(Forbidden, match="cannot resolve ticket"):
        desk.kb_resolve_with_solution(walk)
    assert desk.ticket(number).version == version
    assert len(desk.store.events.for_ticket(number)) == events
    assert rows(desk, "SELECT count(*) FROM kb_walks") == [(0,)]


def test_a_stale_ticket_version_is_refused_and_nothing_written(desk: Desk) -> None:
    number = printer_ticket(desk)
    seen = desk.ticket(number).version
    desk.add_note(number, "customer called again")
    walk = walk_to(desk, JAM, ticket=number)
    with pytest.raises(StaleEdit):
        desk.kb_resolve_with_solution(walk, expected_version=seen)
    assert desk.ticket(number).status == "open"
    assert rows(desk, "SELECT count(*) FROM kb_walks") == [(0,)]


def test_an_escalation_pre_fills_triage_with_target_and_path(desk: Desk) -> None:
    number = printer_ticket(desk)
    alice = as_user(desk, "alice")
    walk = walk_to(alice, HARDWARE, ticket=number)
    plan = alice.kb_escalation_plan(walk)
    assert (plan.action, plan.ticket_id, plan.department, plan.level) == (
        "triage",
        number,
        "Desktop",
        2,
    )
    assert plan.tried == (
        "Walked knowledge article 'Printer will not print' v1: "
        "Q: Is the printer switched on, with its display lit? -> yes; "
        "Q: Does the printer's display show an error or a warning (paper jam, out of paper, "
        "toner, door open)? -> yes; Q: Is it a paper jam? -> no; "
        "Q: Is it out of paper or out of toner? -> no; "
        "reached: escalation 'Printer hardware fault' (level 2, Desktop)"
    )
    assert plan.record.startswith("Printer name (label on the front)")
    edited = replace(plan, tried=plan.tried + "\nError 49.4C02 on the display.")
    result = alice.kb_escalate(walk, edited)
    ticket = result.ticket
    assert ticket is not None
    assert (ticket.status, ticket.level, ticket.department) == ("triage", 2, "Desktop")
    kinds = [(e.kind, e.note) for e in alice.store.events.for_ticket(number)][-2:]
    assert kinds == [("walk", result.path), ("triage", edited.tried)]
    assert rows(desk, "SELECT outcome, end_node FROM kb_walks") == [("escalated", "esc_printer_hw")]


def test_a_specialist_escalates_one_level_when_the_article_says_level_3(desk: Desk) -> None:
    draft = TicketDraft("VPN down", "network", {"location": "home"})
    number = desk.open_ticket(1, draft).id
    desk.send_to_triage(number, "front line: cannot connect")  # now level 2
    walk = desk.kb_start_walk("vpn_wont_connect", ticket=number)
    desk.kb_answer(walk, "y")  # other remote workers report it down
    plan = desk.kb_escalation_plan(walk)
    assert (plan.action, plan.level, plan.department) == ("escalate", 3, "Network")
    assert plan.reason.startswith("VPN down for several users (level 3, Network), as knowledge")
    ticket = desk.kb_escalate(walk).ticket
    assert ticket is not None and ticket.level == 3
    note = desk.store.events.for_ticket(number)[-1].note
    assert note == f"{plan.reason}\nTried: {plan.tried}"


def test_giving_up_records_where_the_walk_stopped(desk: Desk) -> None:
    number = printer_ticket(desk)
    before = desk.ticket(number)
    walk = walk_to(desk, GIVE_UP, ticket=number)
    result = desk.kb_abandon(walk, "customer had to go")
    after = desk.ticket(number)
    assert (after.status, after.version) == ("open", before.version + 1)
    event = desk.store.events.for_ticket(number)[-1]
    assert event.kind == "walk" and event.changes["outcome"] == "abandoned"
    assert event.note.endswith(
        "stopped at: Q: Can other people print to this printer? (didn't help)"
        "\nNote: customer had to go"
    )
    assert result.outcome == "abandoned"
    assert rows(desk, "SELECT outcome, end_node, steps FROM kb_walks") == [
        ("abandoned", "others_print", 2)
    ]


def test_a_walk_keeps_its_version_while_an_admin_publishes_a_new_one(desk: Desk) -> None:
    number = printer_ticket(desk)
    alice = as_user(desk, "alice")
    walk = alice.kb_start_walk(PRINTER, ticket=number)
    alice.kb_answer(walk, "y")
    jam = desk.kb_article(PRINTER).article.node("sol_jam")
    assert jam is not None
    desk.kb_update_node(PRINTER, replace(jam, text="Clear the jam (new wording)"))
    assert desk.kb_publish(PRINTER, "new wording").version == 2
    for answer in ("y", "y"):
        alice.kb_answer(walk, answer)
    assert walk.version == 1 and walk.node.text == "Clear the paper jam"
    result = alice.kb_resolve_with_solution(walk)
    assert result.ticket is not None
    assert result.ticket.resolution.startswith("Clear the paper jam\n")
    assert alice.store.events.for_ticket(number)[-2].changes["version"] == 1
    assert rows(desk, "SELECT version FROM kb_walks") == [(1,)]
    fresh = alice.kb_start_walk(PRINTER)
    assert fresh.version == 2


def test_first_contact_logs_the_contact_and_a_resolved_ticket_with_the_walk(desk: Desk) -> None:
    alice = as_user(desk, "alice")
    walk = walk_to(alice, JAM)
    with pytest.raises(InvalidInput, match="Printer name is required"):
        alice.kb_log_contact_solved(
            walk, channel="phone", customer_id=1, summary="jam", ticket=TicketDraft("J", "printer")
        )
    assert (walk.contact_id, walk.ticket_id) == (None, None)  # nothing logged: try again
    result = alice.kb_log_contact_solved(
        walk,
        channel="phone",
        customer_id=1,
        summary="paper jam on floor 2",
        ticket=TicketDraft("Paper jam", "printer", {"printer_name": "PR-2"}),
    )
    assert result.contact is not None and result.ticket is not None
    assert result.contact.contact.outcome == "answered"
    assert result.contact.contact.ticket_id == result.ticket.id
    assert result.ticket.status == "resolved"
    assert result.ticket.resolution == walk.node.resolution
    kinds = [e.kind for e in alice.store.events.for_ticket(result.ticket.id)]
    assert kinds == ["created", "resolved", "walk"]
    assert rows(desk, "SELECT contact_id, ticket_id, outcome FROM kb_walks") == [
        (result.contact.contact.id, result.ticket.id, "solved")
    ]
    # A general question answered from a tree: the contact only.
    plain = alice.kb_log_contact_solved(
        walk_to(alice, JAM), channel="email", customer_id=1, summary="how to clear a jam"
    )
    assert plain.ticket is None and plain.contact is not None
    assert rows(desk, "SELECT count(*) FROM kb_walks WHERE ticket_id IS NULL") == [(1,)]


def test_walks_without_a_ticket_are_recorded_for_the_statistics(desk: Desk) -> None:
    result = desk.kb_record_walk(walk_to(desk, JAM))
    assert (result.outcome, result.ticket) == ("solved", None)
    with pytest.raises(InvalidInput, match="can end solved or abandoned"):
        desk.kb_record_walk(walk_to(desk, JAM), "escalated")
    with pytest.raises(InvalidInput, match="this walk is not on a ticket"):
        desk.kb_resolve_with_solution(walk_to(desk, JAM))
    with pytest.raises(InvalidInput, match="not at a solution"):
        desk.kb_resolve_with_solution(walk_to(desk, GIVE_UP))


def test_walks_on_closed_tickets_are_refused(desk: Desk) -> None:
    number = printer_ticket(desk)
    desk.resolve(number, "done")
    desk.close_ticket(number)
    with pytest.raises(Forbidden, match="cannot record a knowledge walk on it"):
        desk.kb_start_walk(PRINTER, ticket=number)


def test_a_preview_walks_the_draft_and_records_nothing(desk: Desk) -> None:
    desk.kb_add_node(PRINTER, Node.question("door", "Is a door open?", None, None))
    desk.kb_link(PRINTER, "powered", "yes", "door")
    walk = desk.kb_start_walk(PRINTER, preview=True)
    desk.kb_answer(walk, "y")
    assert walk.node.id == "door" and walk.version is None
    with pytest.raises(InvalidInput, match="the 'yes' branch of node door is not linked yet"):
        desk.kb_answer(walk, "y")
    assert desk.kb_abandon(walk).walk_id is None
    assert rows(desk, "SELECT count(*) FROM kb_walks") == [(0,)]
    with pytest.raises(Forbidden):
        as_user(desk, "alice").kb_start_walk(PRINTER, preview=True)


def test_statistics_per_article_and_node(desk: Desk) -> None:
    alice = as_user(desk, "alice")
    for answers in (JAM, JAM, GIVE_UP, HARDWARE, GIVE_UP, GIVE_UP):
        walk = walk_to(alice, answers)
        alice.kb_record_walk(walk)
    stats = alice.kb_article_stats(PRINTER)
    assert (stats.walks, stats.solved, stats.escalated, stats.abandoned) == (6, 2, 1, 3)
    assert stats.solved_share == pytest.approx(2 / 6)
    assert alice.kb_stats()[0].key == PRINTER
    nodes = {s.node_id: s for s in alice.kb_node_stats(PRINTER)}
    assert (nodes["powered"].reached, nodes["powered"].depth) == (6, 0)
    assert (nodes["paper_jam"].reached, nodes["sol_jam"].solved) == (3, 2)
    assert (nodes["others_print"].abandoned, nodes["others_print"].gave_up_share) == (3, 1.0)
    assert nodes["esc_printer_hw"].escalated == 1
    assert nodes["power_on"].reached == 0
    top = desk.kb_give_ups()
    assert (top[0].article, top[0].node_id, top[0].abandoned, top[0].reached) == (
        PRINTER,
        "others_print",
        3,
        3,
    )
    assert top[0].label == "Q: Can other people print to this printer?"
    with pytest.raises(Forbidden):
        alice.kb_give_ups()


def test_walk_records_survive_reopening_the_file(desk: Desk, db_path: Path) -> None:
    desk.kb_record_walk(walk_to(desk, JAM))
    again = Desk.open(db_path, login="admin", clock=desk.clock)
    try:
        assert again.kb_article_stats(PRINTER).solved == 1
    finally:
        again.close()
