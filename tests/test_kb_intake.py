"""A walk that ends on an escalation while the contact is being logged: one transaction
logs the contact, opens the ticket, records the walk and sends it to triage; and the
editor's first look at an article leaves no draft behind."""

from __future__ import annotations

import pytest
from conftest import as_user

from helpdesk_tui.desk import Desk, Forbidden, InvalidInput, StaleEdit, TicketDraft
from helpdesk_tui.desk.knowledge_tree import Node

PRINTER = "printer_wont_print"


def walk_to_hardware(desk: Desk):
    walk = desk.kb_start_walk(PRINTER)
    for answer in ("n", "n"):  # will not switch on -> "Printer hardware fault", L2 Desktop
        desk.kb_answer(walk, answer)
    return walk


def test_an_escalation_at_first_contact_opens_a_ticket_in_triage(desk: Desk) -> None:
    alice = as_user(desk, "alice")
    walk = walk_to_hardware(alice)
    result = alice.kb_log_contact_escalated(
        walk,
        channel="phone",
        customer_id=1,
        summary="Printer dead",
        ticket=TicketDraft("", "", {"printer_name": "PR-2"}),
    )
    assert result.outcome == "escalated" and result.contact is not None
    ticket = alice.ticket(result.ticket.id)
    assert (ticket.title, ticket.category) == ("Printer hardware fault", "printer")
    assert (ticket.status, ticket.department) == ("triage", "Desktop")
    events = alice.ticket_view(ticket.id).events
    assert [e.kind for e in events] == ["created", "walk", "triage"]
    assert events[2].note == alice.kb_escalation_tried(walk)
    assert events[2].note.startswith("Walked knowledge article 'Printer will not print' v1: Q:")
    assert result.contact.contact.outcome == "ticket"


def test_a_refused_escalation_at_first_contact_writes_nothing_and_may_be_retried(
    desk: Desk,
) -> None:
    walk = walk_to_hardware(desk)
    with pytest.raises(InvalidInput, match="[Pp]rinter name"):
        desk.kb_log_contact_escalated(
            walk, channel="phone", customer_id=1, summary="Printer dead", ticket=TicketDraft("", "")
        )
    assert desk.contacts() == [] and walk.ticket_id is None and walk.contact_id is None
    result = desk.kb_log_contact_escalated(
        walk,
        channel="phone",
        customer_id=1,
        summary="Printer dead",
        ticket=TicketDraft("", "", {"printer_name": "PR-2"}),
    )
    assert result.ticket is not None and len(desk.contacts()) == 1


def test_only_an_escalation_opens_a_ticket_this_way(desk: Desk) -> None:
    walk = desk.kb_start_walk(PRINTER)
    with pytest.raises(InvalidInput, match="not at an escalation"):
        desk.kb_log_contact_escalated(
            walk, channel="phone", customer_id=1, summary="x", ticket=TicketDraft("", "")
        )


def test_looking_at_an_article_in_the_editor_leaves_no_draft(desk: Desk) -> None:
    view = desk.kb_draft_or_published(PRINTER)
    assert (view.revision, view.based_on, view.problems) == (0, 1, ())
    assert not [a for a in desk.kb_articles() if a.key == PRINTER][0].has_draft
    # The first edit from that view makes the draft; a second view of revision 0 is stale.
    node = Node.solution("sol_new", "Restart the printer", "Switch it off and on.")
    edited = desk.kb_add_node(PRINTER, node, expected_revision=0)
    assert edited.revision == 1
    with pytest.raises(StaleEdit):
        desk.kb_add_node(PRINTER, Node.solution("sol_x", "x", "y"), expected_revision=0)
    assert desk.kb_draft_or_published(PRINTER).revision == 1


def test_agents_may_not_open_the_editor(desk: Desk) -> None:
    with pytest.raises(Forbidden, match="edit knowledge articles"):
        as_user(desk, "alice").kb_draft_or_published(PRINTER)
