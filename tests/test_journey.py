"""The journey replayed from events with a moved clock, and the "where is it now" line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk, Ticket, TicketDraft
from helpdesk_tui.desk.journey import Leg, where_is_it

H = timedelta(hours=1)


@pytest.fixture
def team(desk: Desk) -> Iterator[dict[str, Desk]]:
    desk.add_user("bob", "Bob Specialist", "agent", 2, "Network")
    desk.add_user("carol", "Carol Expert", "agent", 3, "Network")
    consoles = {login: as_user(desk, login) for login in ("alice", "lee", "bob", "carol")}
    yield consoles
    for console in consoles.values():
        console.close()


def open_ticket(d: Desk, title: str = "No network in room 2.14") -> Ticket:
    customer = d.resolve_customer("Marta Jones")
    return d.open_ticket(customer.id, TicketDraft(title, "network", {"location": "B2 2.14"}))


def where(d: Desk, number: int) -> str:
    return d.ticket_view(number).where


def test_the_whole_journey_with_time_at_each_level_and_department(
    team: dict[str, Desk], clock: FrozenClock
) -> None:
    alice, bob, carol = team["alice"], team["bob"], team["carol"]
    # T0, Wednesday 09:00: Alice at the front line opens it.
    n = open_ticket(alice).id
    assert where(alice, n) == (
        "With Service Desk, level 1 since today at 09:00. No update sent to the customer yet."
    )

    clock.advance(hours=1)  # 10:00: she could not solve it
    alice.send_to_triage(n, "rebooted the laptop and the switch port")
    assert where(alice, n) == (
        "With Network, level 2, in triage since today at 10:00. No update sent to the customer yet."
    )

    clock.advance(hours=2)  # 12:00: Bob takes it
    bob.take(n)
    assert where(alice, n) == (
        "With Network, level 2, owned by Bob Specialist since today at 12:00. "
        "No update sent to the customer yet."
    )
    # Read out on the phone the next day, the same line names the weekday.
    view = alice.ticket_view(n)
    next_day = where_is_it(
        view.ticket,
        view.journey,
        view.events,
        T0 + timedelta(days=1),
        {u.login: u for u in alice.users()},
    )
    assert next_day.startswith("With Network, level 2, owned by Bob Specialist since Wed at 12:00.")

    clock.advance(minutes=30)  # 12:30: Bob tells the customer
    bob.update_customer(n, "email", "We are looking at the switch in your building.")
    assert where(alice, n) == (
        "With Network, level 2, owned by Bob Specialist since today at 12:00. "
        "Last update to the customer today at 12:30 by E-mail."
    )

    clock.advance(hours=2, minutes=30)  # 15:00: up to level 3
    bob.escalate(n, "the switch itself misbehaves", "checked the VLAN and the port")
    assert where(alice, n) == (
        "With Network, level 3, in triage since today at 15:00. "
        "Last update to the customer today at 12:30 by E-mail."
    )

    clock.advance(hours=4)  # 19:00: Carol (level 3) takes it
    carol.take(n)
    assert where(alice, n).startswith(
        "With Network, level 3, owned by Carol Expert since today at 19:00."
    )

    clock.advance(hours=5)  # Thursday 00:00: back down to level 2
    carol.deescalate(n, "a configuration fix level 2 can apply")
    assert where(alice, n) == (
        "With Network, level 2, in triage since today at 00:00. "
        "Last update to the customer on Wed at 12:30 by E-mail."
    )

    clock.advance(hours=6)  # 06:00: returned to the front line with the solution
    bob.return_to_front_line(n, "apply the saved config to port 14")
    assert where(alice, n).startswith("With Service Desk, level 1 since today at 06:00.")

    clock.advance(hours=1)  # 07:00: Alice resolves it and tells the customer by phone
    alice.resolve(n, "port 14 reconfigured", told_via="phone")
    assert where(alice, n) == (
        "Resolved today at 07:00, awaiting closure. "
        "Last update to the customer today at 07:00 by Phone."
    )

    clock.advance(hours=5)  # time after resolution is not time with anyone
    journey = alice.journey(n)
    assert journey.by_level == {1: 2 * H, 2: 11 * H, 3: 9 * H}
    assert journey.by_department == {"Service Desk": 2 * H, "Network": 20 * H}
    assert (journey.escalations, journey.returns) == (1, 2)

    wed = T0
    assert journey.legs == [
        Leg(wed, wed + 1 * H, "open", "Service Desk", 1, None),
        Leg(wed + 1 * H, wed + 3 * H, "triage", "Network", 2, None),
        Leg(wed + 3 * H, wed + 6 * H, "open", "Network", 2, "bob"),
        Leg(wed + 6 * H, wed + 10 * H, "triage", "Network", 3, None),
        Leg(wed + 10 * H, wed + 15 * H, "open", "Network", 3, "carol"),
        Leg(wed + 15 * H, wed + 21 * H, "triage", "Network", 2, None),
        Leg(wed + 21 * H, wed + 22 * H, "open", "Service Desk", 1, None),
        Leg(wed + 22 * H, None, "resolved", "Service Desk", 1, None),
    ]
    assert [leg.duration(clock.now()) for leg in journey.legs] == [
        1 * H,
        2 * H,
        3 * H,
        4 * H,
        5 * H,
        6 * H,
        1 * H,
        5 * H,
    ]

    kinds = [e.kind for e in alice.ticket_view(n).events]
    assert kinds == [
        "created",
        "triage",
        "taken",
        "customer_update",
        "escalated",
        "taken",
        "deescalated",
        "returned",
        "resolved",
    ]


def test_time_while_resolved_does_not_count_after_a_reopen(
    team: dict[str, Desk], clock: FrozenClock
) -> None:
    alice = team["alice"]
    n = open_ticket(alice).id
    clock.advance(hours=1)
    alice.resolve(n, "cable reseated")
    clock.advance(hours=4)
    alice.reopen_ticket(n, "dropped again")
    clock.advance(hours=2)
    journey = alice.journey(n)
    assert journey.by_level == {1: 3 * H}
    assert journey.by_department == {"Service Desk": 3 * H}
    assert [leg.status for leg in journey.legs] == ["open", "resolved", "open"]
    assert where(alice, n).startswith("With Service Desk, level 1 since today at 14:00.")


def test_journey_of_an_open_ticket_counts_up_to_now(
    team: dict[str, Desk], clock: FrozenClock
) -> None:
    alice = team["alice"]
    n = open_ticket(alice).id
    clock.advance(minutes=45)
    alice.send_to_triage(n, "rebooted")
    clock.advance(hours=3)
    journey = alice.journey(n)
    assert journey.by_level == {1: timedelta(minutes=45), 2: 3 * H}
    assert journey.by_department == {"Service Desk": timedelta(minutes=45), "Network": 3 * H}
    assert journey.legs[-1].end is None


def test_waiting_for_the_customer_line(team: dict[str, Desk], clock: FrozenClock) -> None:
    alice = team["alice"]
    n = open_ticket(alice).id
    clock.advance(hours=2)
    alice.request_info(n, "Which socket?")
    assert where(alice, n) == (
        "Waiting for the customer's answer since today at 11:00. "
        "No update sent to the customer yet."
    )


def test_external_vendor_line_names_vendor_case_and_promised_date(
    team: dict[str, Desk], clock: FrozenClock
) -> None:
    alice, bob, carol = team["alice"], team["bob"], team["carol"]
    n = open_ticket(alice).id
    clock.advance(minutes=30)
    alice.send_to_triage(n, "rebooted")
    clock.advance(minutes=30)
    bob.escalate(n, "switch fault", "checked the VLAN")
    clock.advance(hours=2)
    carol.escalate(
        n,
        "hardware fault in the switch",
        "swapped the module",
        vendor="Cisco TAC",
        vendor_ref="SR 4711-22",
        vendor_due="2026-11-27",
    )
    clock.advance(hours=3)
    assert where(alice, n) == (
        "With the external vendor Cisco TAC (case SR 4711-22) since today at 12:00, "
        "promised by 2026-11-27. No update sent to the customer yet."
    )
    journey = alice.journey(n)
    half = timedelta(minutes=30)
    assert journey.by_level == {1: half, 2: half, 3: 2 * H, 4: 3 * H}
    assert journey.by_department == {"Service Desk": half, "Network": half + 5 * H}
    assert journey.escalations == 2
    assert journey.legs[-1].status == "waiting_vendor"


def test_duplicate_line_names_the_surviving_ticket_and_both_histories_remain(
    team: dict[str, Desk], clock: FrozenClock
) -> None:
    alice = team["alice"]
    survivor = open_ticket(alice, "Floor 2 network down").id
    alice.add_note(survivor, "whole floor affected")
    clock.advance(minutes=10)
    dup = open_ticket(alice, "No network in room 2.14").id
    alice.add_note(dup, "customer in room 2.14")
    clock.advance(minutes=5)
    alice.link_duplicate(dup, survivor)

    assert where(alice, dup) == (
        f"Closed today at 09:15 as a duplicate of #{survivor}. No update sent to the customer yet."
    )
    dup_view, surv_view = alice.ticket_view(dup), alice.ticket_view(survivor)
    assert [e.kind for e in dup_view.events] == ["created", "note", "duplicate"]
    assert [e.kind for e in surv_view.events] == ["created", "note", "linked"]
    assert dup_view.events[1].note == "customer in room 2.14"
    assert dup_view.links == [(survivor, "duplicate_of")]
    assert surv_view.links == [(dup, "duplicated_by")]
    assert surv_view.where.startswith("With Service Desk, level 1 since today at 09:00.")
    assert dup_view.journey.legs[-1].status == "closed"
    assert dup_view.journey.by_level == {1: timedelta(minutes=5)}


def test_a_reopened_duplicate_is_no_longer_called_a_duplicate(
    team: dict[str, Desk], clock: FrozenClock
) -> None:
    alice, lee = team["alice"], team["lee"]
    survivor = open_ticket(alice, "Floor 2 network down").id
    dup = open_ticket(alice, "Printer in 2.14 offline").id
    alice.link_duplicate(dup, survivor)
    clock.advance(hours=1)
    reopened = lee.reopen_ticket(dup, "not the same problem after all")
    assert reopened.duplicate_of is None
    clock.advance(hours=1)
    alice.resolve(dup, "restarted the print spooler")
    alice.close_ticket(dup)
    assert where(alice, dup) == "Closed today at 11:00. No update sent to the customer yet."
