"""Triage decisions, transfers, ownership, the escalation ladder, links and their events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import (
    Desk,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleEdit,
    Ticket,
    TicketDraft,
)

VENDOR = {"vendor": "Cisco TAC", "vendor_ref": "SR 4711", "vendor_due": "2026-12-02"}


@pytest.fixture
def team(desk: Desk) -> Iterator[dict[str, Desk]]:
    """alice (L1 front line) and lee (lead) come from conftest; specialists are added."""
    desk.add_user("bob", "Bob Specialist", "agent", 2, "Network")
    desk.add_user("carol", "Carol Expert", "agent", 3, "Network")
    desk.add_user("dana", "Dana Desktop", "agent", 2, "Desktop")
    consoles = {login: as_user(desk, login) for login in ("alice", "lee", "bob", "carol", "dana")}
    yield consoles
    for console in consoles.values():
        console.close()


def open_ticket(
    d: Desk, title: str = "No network in room 2.14", priority: str = "normal"
) -> Ticket:
    customer = d.resolve_customer("Marta Jones")
    return d.open_ticket(
        customer.id, TicketDraft(title, "network", {"location": "B2 2.14"}, priority=priority)
    )


def in_triage(team: dict[str, Desk], priority: str = "normal") -> Ticket:
    """Alice could not solve it: triage routes it to Network, level 2."""
    ticket = open_ticket(team["alice"], priority=priority)
    return team["alice"].send_to_triage(ticket.id, "rebooted the laptop")


def at_level_3(team: dict[str, Desk], priority: str = "normal") -> Ticket:
    ticket = in_triage(team, priority)
    return team["bob"].escalate(ticket.id, "switch fault", "checked the VLAN")


def state(d: Desk, number: int) -> tuple[Ticket, int, list]:
    view = d.ticket_view(number)
    return view.ticket, len(view.events), view.links


def log_answer(d: Desk, number: int, summary: str = "It is socket B7") -> None:
    customer = d.resolve_customer("Marta Jones")
    d.log_contact(
        channel="phone",
        customer_id=customer.id,
        summary=summary,
        outcome="existing",
        existing_ticket=number,
    )


# -- sending to triage ----------------------------------------------------------------------------


def test_send_to_triage_routes_to_the_categorys_department_at_level_2(
    team: dict[str, Desk],
) -> None:
    ticket = open_ticket(team["alice"])
    assert (ticket.department, ticket.level) == ("Service Desk", 1)
    moved = team["alice"].send_to_triage(ticket.id, "rebooted the laptop")
    assert (moved.status, moved.department, moved.level, moved.owner) == (
        "triage",
        "Network",
        2,
        None,
    )
    event = team["alice"].ticket_view(ticket.id).events[-1]
    assert event.kind == "triage"
    assert event.note == "rebooted the laptop"
    assert event.changes == {
        "status": ["open", "triage"],
        "department": ["Service Desk", "Network"],
        "level": [1, 2],
    }
    assert [t.id for t in team["bob"].queue("triage")] == [ticket.id]


def test_send_to_triage_to_a_named_department(team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    moved = team["alice"].send_to_triage(ticket.id, "it is the desk phone", department="telephony")
    assert moved.department == "Telephony"


def test_send_to_triage_needs_what_was_tried(team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    with pytest.raises(InvalidInput) as refused:
        team["alice"].send_to_triage(ticket.id, "   ")
    assert refused.value.field == "tried"
    assert team["alice"].ticket(ticket.id).status == "open"


# -- asking the customer --------------------------------------------------------------------------


def test_the_customers_answer_returns_an_unowned_ticket_to_triage(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    asked = team["bob"].request_info(ticket.id, "Which socket is it plugged into?")
    assert asked.status == "waiting_customer"
    assert team["bob"].ticket_view(ticket.id).events[-1].note == "Which socket is it plugged into?"
    assert team["bob"].queue("triage") == []

    log_answer(team["alice"], ticket.id)
    answered = team["alice"].ticket(ticket.id)
    assert (answered.status, answered.owner, answered.level) == ("triage", None, 2)
    event = team["alice"].ticket_view(ticket.id).events[-1]
    assert event.kind == "contact"
    assert event.note == "It is socket B7"
    assert event.changes == {"status": ["waiting_customer", "triage"]}
    assert [t.id for t in team["bob"].queue("triage")] == [ticket.id]


def test_the_customers_answer_returns_an_owned_ticket_to_its_owner(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    team["bob"].take(ticket.id)
    team["bob"].request_info(ticket.id, "Which socket?")
    log_answer(team["alice"], ticket.id)
    answered = team["alice"].ticket(ticket.id)
    assert (answered.status, answered.owner) == ("open", "bob")
    assert [t.id for t in team["bob"].queue("mine")] == [ticket.id]
    assert team["bob"].queue("triage") == []


def test_a_contact_on_a_closed_ticket_is_refused(team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    team["alice"].resolve(ticket.id, "fixed")
    team["alice"].close_ticket(ticket.id)
    before = state(team["alice"], ticket.id)
    with pytest.raises(Forbidden, match="closed"):
        log_answer(team["alice"], ticket.id)
    assert state(team["alice"], ticket.id) == before


# -- transfers ------------------------------------------------------------------------------------


def test_transfer_to_the_same_department_is_refused(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    before = state(team["bob"], ticket.id)
    with pytest.raises(InvalidInput, match="already with Network") as refused:
        team["bob"].transfer(ticket.id, "network", "wrong queue")
    assert refused.value.field == "department"
    assert state(team["bob"], ticket.id) == before


def test_transfer_to_an_unknown_department_is_refused(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    with pytest.raises(NotFound, match="unknown department 'Plumbing'") as refused:
        team["bob"].transfer(ticket.id, "Plumbing", "leak")
    assert refused.value.field == "department"
    assert team["bob"].ticket(ticket.id).version == ticket.version


def test_transfer_clears_the_owner_and_puts_it_in_triage(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    team["bob"].take(ticket.id)
    moved = team["bob"].transfer(ticket.id, "Desktop", "it is the laptop's network card")
    assert (moved.status, moved.department, moved.owner, moved.level) == (
        "triage",
        "Desktop",
        None,
        2,
    )
    event = team["bob"].ticket_view(ticket.id).events[-1]
    assert (event.kind, event.note) == ("transferred", "it is the laptop's network card")
    assert event.changes == {
        "status": ["open", "triage"],
        "department": ["Network", "Desktop"],
        "owner": ["bob", None],
    }
    assert [t.id for t in team["dana"].queue("department")] == [ticket.id]
    assert team["bob"].queue("department") == []
    assert team["bob"].queue("mine") == []


def test_level_1_agent_cannot_transfer(team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    with pytest.raises(Forbidden, match="only level 2 or 3 specialists, leads and admins"):
        team["alice"].transfer(ticket.id, "Desktop", "laptop")


# -- ownership ------------------------------------------------------------------------------------


def test_take_puts_it_in_my_tickets_and_out_of_triage(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    taken = team["bob"].take(ticket.id)
    assert (taken.status, taken.owner) == ("open", "bob")
    event = team["bob"].ticket_view(ticket.id).events[-1]
    assert event.kind == "taken"
    assert event.changes == {"owner": [None, "bob"], "status": ["triage", "open"]}
    assert [t.id for t in team["bob"].queue("mine")] == [ticket.id]
    assert team["bob"].queue("triage") == []


def test_take_is_idempotent_for_the_owner(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    team["bob"].take(ticket.id)
    before = state(team["bob"], ticket.id)
    again = team["bob"].take(ticket.id)
    assert again.owner == "bob"
    assert state(team["bob"], ticket.id) == before


def test_take_of_someone_elses_ticket_names_the_owner(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    team["bob"].take(ticket.id)
    before = state(team["bob"], ticket.id)
    with pytest.raises(Forbidden, match="already owned by bob"):
        team["carol"].take(ticket.id)
    assert state(team["bob"], ticket.id) == before


def test_assign_to_an_unknown_user_is_refused(team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    with pytest.raises(NotFound, match="no user 'zed'"):
        team["lee"].assign(ticket.id, "zed")
    assert team["lee"].ticket(ticket.id).version == ticket.version


def test_assign_to_a_deactivated_user_is_refused(desk: Desk, team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    # No facade call deactivates a user yet; the store column is the switch.
    desk.store.session.execute("UPDATE users SET active = 0 WHERE login = 'dana'")
    before = state(desk, ticket.id)
    with pytest.raises(InvalidInput, match="'dana' is deactivated") as refused:
        team["lee"].assign(ticket.id, "dana")
    assert refused.value.field == "owner"
    assert state(desk, ticket.id) == before


def test_assign_and_release(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    assigned = team["lee"].assign(ticket.id, "bob", note="you know this switch")
    assert (assigned.owner, assigned.status) == ("bob", "open")
    event = team["lee"].ticket_view(ticket.id).events[-1]
    assert (event.kind, event.actor, event.note) == ("assigned", "lee", "you know this switch")
    assert event.changes == {"owner": [None, "bob"], "status": ["triage", "open"]}

    before = state(team["lee"], ticket.id)
    team["lee"].assign(ticket.id, "bob")  # already theirs: nothing to record
    assert state(team["lee"], ticket.id) == before

    released = team["bob"].release(ticket.id, "on leave tomorrow")
    assert (released.owner, released.status) == (None, "open")
    event = team["bob"].ticket_view(ticket.id).events[-1]
    assert (event.kind, event.changes) == ("released", {"owner": ["bob", None]})


def test_release_of_an_unowned_ticket_is_refused(team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    with pytest.raises(InvalidInput, match="no owner to release"):
        team["lee"].release(ticket.id)


def test_only_the_owner_or_a_lead_releases(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    team["bob"].take(ticket.id)
    with pytest.raises(Forbidden, match="only its owner, leads and admins may release"):
        team["carol"].release(ticket.id)
    assert team["lee"].release(ticket.id).owner is None


# -- the escalation ladder ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "flagged"), [("low", False), ("normal", False), ("high", True), ("urgent", True)]
)
def test_escalating_high_and_urgent_tickets_flags_them_for_the_lead(
    team: dict[str, Desk], priority: str, flagged: bool
) -> None:
    ticket = open_ticket(team["alice"], priority=priority)
    escalated = team["alice"].escalate(ticket.id, "beyond the front line", "rebooted")
    assert escalated.lead_flag is flagged
    assert ([t.id for t in team["lee"].queue("escalated")] == [ticket.id]) is flagged
    event = team["alice"].ticket_view(ticket.id).events[-1]
    assert event.kind == "escalated"
    assert (event.field, event.old_value, event.new_value) == ("level", "1", "2")
    expected = {
        "level": [1, 2],
        "department": ["Service Desk", "Network"],
        "status": ["open", "triage"],
    }
    if flagged:
        expected["lead_flag"] = [0, 1]
    assert event.changes == expected
    assert event.note == "beyond the front line\nTried: rebooted"


def test_escalate_climbs_the_ladder_and_counts(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    team["bob"].take(ticket.id)
    up = team["bob"].escalate(ticket.id, "switch fault", "checked the VLAN")
    assert (up.level, up.status, up.owner, up.department, up.escalations) == (
        3,
        "triage",
        None,
        "Network",
        1,
    )
    out = team["carol"].escalate(ticket.id, "hardware", "swapped the module", **VENDOR)
    assert (out.level, out.status, out.escalations) == (4, "waiting_vendor", 2)
    assert (out.vendor, out.vendor_ref, out.vendor_due) == ("Cisco TAC", "SR 4711", "2026-12-02")
    assert team["carol"].ticket_view(ticket.id).events[-1].changes == {
        "level": [3, 4],
        "vendor": [None, "Cisco TAC"],
        "vendor_ref": [None, "SR 4711"],
        "vendor_due": [None, "2026-12-02"],
        "status": ["triage", "waiting_vendor"],
    }


@pytest.mark.parametrize(
    ("missing", "field"),
    [("vendor", "vendor"), ("vendor_ref", "vendor_ref"), ("vendor_due", "vendor_due")],
)
def test_external_escalation_needs_vendor_reference_and_date(
    team: dict[str, Desk], missing: str, field: str
) -> None:
    ticket = at_level_3(team)
    before = state(team["carol"], ticket.id)
    args = {**VENDOR, missing: None}
    with pytest.raises(InvalidInput) as refused:
        team["carol"].escalate(ticket.id, "hardware", "swapped", **args)
    assert refused.value.field == field
    args = {**VENDOR, missing: "  "}
    with pytest.raises(InvalidInput) as refused:
        team["carol"].escalate(ticket.id, "hardware", "swapped", **args)
    assert refused.value.field == field
    assert state(team["carol"], ticket.id) == before


@pytest.mark.parametrize("due", ["next week", "2026-13-01", "02/12/2026", "2026-11-24"])
def test_external_escalation_refuses_a_bad_or_past_date(team: dict[str, Desk], due: str) -> None:
    ticket = at_level_3(team)
    before = state(team["carol"], ticket.id)
    with pytest.raises(InvalidInput) as refused:
        team["carol"].escalate(ticket.id, "hardware", "swapped", **{**VENDOR, "vendor_due": due})
    assert refused.value.field == "vendor_due"
    assert state(team["carol"], ticket.id) == before


def test_external_escalation_accepts_today(team: dict[str, Desk]) -> None:
    ticket = at_level_3(team)
    today = T0.date().isoformat()
    out = team["carol"].escalate(
        ticket.id, "hardware", "swapped", **{**VENDOR, "vendor_due": today}
    )
    assert out.vendor_due == today


@pytest.mark.parametrize("level", [1, 2])
def test_vendor_fields_are_refused_below_level_3(team: dict[str, Desk], level: int) -> None:
    ticket = open_ticket(team["alice"]) if level == 1 else in_triage(team)
    before = state(team["lee"], ticket.id)
    with pytest.raises(InvalidInput, match="only when escalating past level 3") as refused:
        team["lee"].escalate(ticket.id, "hardware", "swapped", vendor="Cisco TAC")
    assert refused.value.field == "vendor"
    assert state(team["lee"], ticket.id) == before


def test_nothing_is_past_the_external_vendor(team: dict[str, Desk]) -> None:
    ticket = at_level_3(team)
    team["carol"].escalate(ticket.id, "hardware", "swapped", **VENDOR)
    before = state(team["lee"], ticket.id)
    with pytest.raises(Forbidden, match="already with an external vendor"):
        team["lee"].escalate(ticket.id, "still broken", "waited", **VENDOR)
    assert state(team["lee"], ticket.id) == before


def test_deescalate_at_level_1_is_refused(team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    before = state(team["lee"], ticket.id)
    with pytest.raises(Forbidden, match="already at level 1"):
        team["lee"].deescalate(ticket.id, "easy")
    assert state(team["lee"], ticket.id) == before


def test_deescalate_from_the_vendor_back_to_level_3(team: dict[str, Desk]) -> None:
    ticket = at_level_3(team)
    team["carol"].escalate(ticket.id, "hardware", "swapped", **VENDOR)
    back = team["carol"].deescalate(ticket.id, "vendor says it is configuration")
    assert (back.level, back.status, back.returns, back.owner) == (3, "triage", 1, None)
    event = team["carol"].ticket_view(ticket.id).events[-1]
    assert event.kind == "deescalated"
    assert event.changes == {"level": [4, 3], "status": ["waiting_vendor", "triage"]}


def test_deescalating_to_level_1_hands_it_back_to_the_front_line(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    team["bob"].take(ticket.id)
    down = team["bob"].deescalate(ticket.id, "a front-line fix")
    assert (down.level, down.status, down.owner, down.returns) == (1, "open", None, 1)
    assert down.department == "Service Desk"
    assert [t.id for t in team["alice"].queue("department")] == [ticket.id]


# -- return to the front line ---------------------------------------------------------------------


def test_return_to_front_line(team: dict[str, Desk]) -> None:
    ticket = at_level_3(team)
    team["carol"].take(ticket.id)
    back = team["carol"].return_to_front_line(ticket.id, "tell them to use socket B8")
    assert (back.level, back.department, back.owner, back.status, back.returns) == (
        1,
        "Service Desk",
        None,
        "open",
        1,
    )
    event = team["carol"].ticket_view(ticket.id).events[-1]
    assert (event.kind, event.note) == ("returned", "tell them to use socket B8")
    assert event.changes == {
        "level": [3, 1],
        "owner": ["carol", None],
        "department": ["Network", "Service Desk"],
    }
    assert [t.id for t in team["alice"].queue("department")] == [ticket.id]


def test_level_1_agent_cannot_return_to_the_front_line(team: dict[str, Desk]) -> None:
    ticket = in_triage(team)
    with pytest.raises(Forbidden, match="only level 2 or 3 specialists"):
        team["alice"].return_to_front_line(ticket.id, "try again")


def test_return_of_a_ticket_already_with_the_front_line_is_refused(
    team: dict[str, Desk],
) -> None:
    ticket = open_ticket(team["alice"])
    before = state(team["lee"], ticket.id)
    with pytest.raises(Forbidden, match="already with the front line"):
        team["lee"].return_to_front_line(ticket.id, "nothing to return")
    assert state(team["lee"], ticket.id) == before


# -- links ----------------------------------------------------------------------------------------


def test_link_related_writes_an_event_on_both_and_lists_both_ways(team: dict[str, Desk]) -> None:
    a = open_ticket(team["alice"], "Wi-Fi drops on floor 2")
    b = open_ticket(team["alice"], "VPN drops on floor 2")
    team["alice"].link_related(a.id, b.id)
    view_a, view_b = team["alice"].ticket_view(a.id), team["alice"].ticket_view(b.id)
    assert view_a.links == [(b.id, "related")]
    assert view_b.links == [(a.id, "related")]
    for view, other in ((view_a, b), (view_b, a)):
        event = view.events[-1]
        assert (event.kind, event.field, event.new_value) == ("linked", "related", str(other.id))
        assert event.note == f"related to #{other.id}"
        assert view.ticket.version == 2
        assert view.ticket.status == "open"


def test_link_related_refuses_itself_and_closed_tickets(team: dict[str, Desk]) -> None:
    a = open_ticket(team["alice"])
    closed = open_ticket(team["alice"], "old")
    team["alice"].resolve(closed.id, "done")
    team["alice"].close_ticket(closed.id)
    with pytest.raises(InvalidInput, match="itself"):
        team["alice"].link_related(a.id, a.id)
    with pytest.raises(Forbidden, match="closed"):
        team["alice"].link_related(a.id, closed.id)
    assert state(team["alice"], a.id)[1:] == (1, [])
    assert state(team["alice"], closed.id)[2] == []


def test_link_duplicate_closes_the_duplicate_pointing_to_the_survivor(
    team: dict[str, Desk], clock: FrozenClock
) -> None:
    survivor = open_ticket(team["alice"], "Floor 2 network down")
    clock.advance(minutes=10)
    dup = open_ticket(team["alice"], "No network in room 2.14")
    closed = team["alice"].link_duplicate(dup.id, survivor.id)
    assert (closed.status, closed.duplicate_of) == ("closed", survivor.id)
    assert closed.closed_at == T0 + timedelta(minutes=10)
    dup_view, surv_view = team["alice"].ticket_view(dup.id), team["alice"].ticket_view(survivor.id)
    assert dup_view.links == [(survivor.id, "duplicate_of")]
    assert surv_view.links == [(dup.id, "duplicated_by")]
    assert [e.kind for e in dup_view.events] == ["created", "duplicate"]
    assert [e.kind for e in surv_view.events] == ["created", "linked"]
    assert dup_view.events[-1].changes == {
        "status": ["open", "closed"],
        "duplicate_of": [None, survivor.id],
    }
    assert surv_view.events[-1].note == f"#{dup.id} closed as a duplicate of this ticket"
    assert surv_view.ticket.status == "open"
    assert [t.id for t in team["alice"].queue()] == [survivor.id]


def test_link_duplicate_refuses_itself_and_a_closed_survivor(team: dict[str, Desk]) -> None:
    a = open_ticket(team["alice"])
    old = open_ticket(team["alice"], "old")
    team["alice"].resolve(old.id, "done")
    team["alice"].close_ticket(old.id)
    before = state(team["alice"], a.id), state(team["alice"], old.id)
    with pytest.raises(InvalidInput, match="itself"):
        team["alice"].link_duplicate(a.id, a.id)
    with pytest.raises(Forbidden, match=f"#{old.id} is closed"):
        team["alice"].link_duplicate(a.id, old.id)
    with pytest.raises(NotFound):
        team["alice"].link_duplicate(a.id, 9999)
    assert (state(team["alice"], a.id), state(team["alice"], old.id)) == before


# -- stale edits and literal text -----------------------------------------------------------------

STALE_ACTIONS = {
    "send_to_triage": lambda d, n, v: d.send_to_triage(n, "tried", expected_version=v),
    "request_info": lambda d, n, v: d.request_info(n, "which socket?", expected_version=v),
    "escalate": lambda d, n, v: d.escalate(n, "why", "tried", expected_version=v),
    "resolve": lambda d, n, v: d.resolve(n, "fixed", expected_version=v),
}


@pytest.mark.parametrize("action", STALE_ACTIONS)
def test_stale_expected_version_is_refused_and_nothing_changes(
    team: dict[str, Desk], action: str
) -> None:
    ticket = open_ticket(team["alice"])
    seen = ticket.version
    team["lee"].set_priority(ticket.id, "high")  # another console changed it meanwhile
    before = state(team["alice"], ticket.id)
    with pytest.raises(StaleEdit, match="lee changed"):
        STALE_ACTIONS[action](team["alice"], ticket.id, seen)
    assert state(team["alice"], ticket.id) == before


@pytest.mark.parametrize("action", ["transfer", "deescalate", "return"])
def test_stale_version_on_specialist_actions(team: dict[str, Desk], action: str) -> None:
    ticket = in_triage(team)
    seen = ticket.version
    team["lee"].add_note(ticket.id, "customer called again")
    before = state(team["bob"], ticket.id)
    with pytest.raises(StaleEdit, match="nothing was saved"):
        if action == "transfer":
            team["bob"].transfer(ticket.id, "Desktop", "laptop", expected_version=seen)
        elif action == "deescalate":
            team["bob"].deescalate(ticket.id, "easy", expected_version=seen)
        else:
            team["bob"].return_to_front_line(ticket.id, "do X", expected_version=seen)
    assert state(team["bob"], ticket.id) == before


def test_markup_in_reasons_is_stored_literally(team: dict[str, Desk]) -> None:
    ticket = open_ticket(team["alice"])
    tricky = "[bold red]urgent[/] <b>now</b> $(rm -rf) \\[x]"
    team["alice"].send_to_triage(ticket.id, tricky)
    team["bob"].transfer(ticket.id, "Desktop", tricky)
    team["dana"].escalate(ticket.id, tricky, tricky)
    team["lee"].update_customer(ticket.id, "email", tricky)
    notes = [e.note for e in team["lee"].ticket_view(ticket.id).events[1:]]
    assert notes == [tricky, tricky, f"{tricky}\nTried: {tricky}", tricky]
