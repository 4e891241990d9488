"""Bulletins at intake and on the console's list, in the domain (issue 6).

Logging a contact linked to a bulletin in one transaction, the offer that
includes a product the customer owns, the list's link totals, asking for a
bulletin right before a form, and the pure renderers (bar, wave, expiry).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk, Forbidden, InvalidInput, TicketDraft
from helpdesk_tui.desk import bulletin_rules as rules
from helpdesk_tui.desk.bulletin_rules import HourCount
from helpdesk_tui.widgets.bulletin_bar import bar_text
from helpdesk_tui.widgets.bulletin_offer import offer_text
from helpdesk_tui.widgets.bulletin_watch import ExpiryWatch
from helpdesk_tui.widgets.bulletin_wave import wave_text

MAILBOX = {"mailbox": "marta@example.org"}


def mail_outage(d: Desk, **extra: object) -> int:
    values: dict = {
        "title": "Mail server down",
        "answer": "Mail is down; back by noon.",
        "products": ["office365"],
        "keywords": ["outlook"],
    }
    values.update(extra)
    return d.post_bulletin(**values).id


def test_a_contact_and_its_new_ticket_are_linked_in_the_same_step(desk: Desk) -> None:
    bulletin = mail_outage(desk)
    alice = as_user(desk, "alice")
    result = alice.log_contact_with_bulletin(
        bulletin,
        channel="phone",
        customer_id=1,
        summary="outlook will not start",
        outcome="ticket",
        ticket=TicketDraft("Outlook down", "email", MAILBOX),
    )
    assert result.ticket is not None
    report = desk.bulletin_report(bulletin)
    assert (report.contacts, report.tickets) == (1, 1)
    events = desk.ticket_view(result.ticket.id).events
    assert [e.kind for e in events] == ["created", "bulletin"]
    assert events[-1].actor == "alice" and events[-1].note == "Mail server down"
    assert result.ticket.version == desk.ticket(result.ticket.id).version  # read after the link
    alice.close()


def test_answered_at_first_contact_is_linked_without_a_ticket(desk: Desk) -> None:
    bulletin = mail_outage(desk)
    result = desk.log_contact_with_bulletin(
        bulletin, channel="chat", customer_id=1, summary="Mail server down"
    )
    assert result.ticket is None and result.contact.outcome == "answered"
    assert desk.bulletin_report(bulletin).contacts == 1
    assert desk.tickets("all") == []


def test_a_contact_added_to_an_existing_ticket_links_that_ticket(desk: Desk) -> None:
    bulletin = mail_outage(desk)
    first = desk.log_contact(
        channel="phone",
        customer_id=1,
        summary="outlook",
        outcome="ticket",
        ticket=TicketDraft("Outlook down", "email", MAILBOX),
    )
    assert first.ticket is not None
    desk.log_contact_with_bulletin(
        bulletin,
        channel="email",
        customer_id=1,
        summary="still no mail",
        outcome="existing",
        existing_ticket=first.ticket.id,
    )
    report = desk.bulletin_report(bulletin)
    assert (report.contacts, report.tickets) == (1, 1)
    assert [t.id for t in report.linked_tickets] == [first.ticket.id]


def test_a_resolved_bulletin_refuses_the_whole_contact(desk: Desk) -> None:
    bulletin = mail_outage(desk)
    desk.resolve_bulletin(bulletin, "fixed")
    with pytest.raises(InvalidInput, match="bulletin 1 is resolved"):
        desk.log_contact_with_bulletin(
            bulletin, channel="phone", customer_id=1, summary="outlook again"
        )
    assert desk.contacts() == []  # nothing logged: the agent saves again without the link


def test_a_refused_contact_writes_no_link(desk: Desk) -> None:
    bulletin = mail_outage(desk)
    with pytest.raises(InvalidInput):
        desk.log_contact_with_bulletin(bulletin, channel="phone", customer_id=1, summary=" ")
    assert desk.bulletin_report(bulletin).contacts == 0 and desk.contacts() == []


def test_intake_offers_bulletins_for_a_product_the_customer_owns(desk: Desk) -> None:
    mail = mail_outage(desk, keywords=[])
    vpn = desk.post_bulletin(
        title="VPN gateway down", answer="Use the office Wi-Fi.", products=["globalprotect_vpn"]
    ).id
    assert desk.intake_bulletins(1, text="my screen is black") == []
    desk.add_asset(1, "globalprotect_vpn", "VPN-1")
    assert [b.id for b in desk.intake_bulletins(1, text="my screen is black")] == [vpn]
    # What the agent typed or chose comes first; what the customer owns after.
    offered = desk.intake_bulletins(1, product="office365", text="my screen is black")
    assert [b.id for b in offered] == [mail, vpn]
    assert desk.intake_bulletins(None, text="my screen is black") == []


def test_link_totals_count_contacts_and_tickets_per_bulletin(desk: Desk) -> None:
    mail = mail_outage(desk)
    other = desk.post_bulletin(title="Printers", answer="Use floor 2.").id
    desk.log_contact_with_bulletin(mail, channel="phone", customer_id=1, summary="a")
    desk.log_contact_with_bulletin(
        mail,
        channel="phone",
        customer_id=1,
        summary="b",
        outcome="ticket",
        ticket=TicketDraft("Mail", "email", MAILBOX),
    )
    assert desk.bulletin_link_totals([mail, other]) == {mail: (2, 1)}
    assert desk.bulletin_link_totals([]) == {}


def test_asking_for_a_bulletin_right_names_the_rule(desk: Desk) -> None:
    alice, lee = as_user(desk, "alice"), as_user(desk, "lee")
    with pytest.raises(Forbidden, match="only leads or admins may post or update bulletins"):
        alice.require_bulletin_right()
    with pytest.raises(Forbidden, match="only leads or admins may resolve bulletins; alice"):
        alice.require_bulletin_right("bulletin.resolve")
    lee.require_bulletin_right()
    lee.require_bulletin_right("bulletin.resolve")
    with pytest.raises(InvalidInput):
        lee.require_bulletin_right("ticket.assign")
    alice.close()
    lee.close()


# -- what the console draws ------------------------------------------------------------------


def test_the_bar_marks_an_expired_bulletin_and_tells_a_lead_what_to_do(
    desk: Desk, clock: FrozenClock
) -> None:
    mail_outage(desk, expected_end="2026-11-25T10:00Z", severity="critical")
    desk.post_bulletin(title="Printers", answer="Use floor 2.", severity="minor")
    clock.advance(hours=2)
    active = desk.bulletins(active_only=True)
    agent_line = bar_text(active).plain
    assert agent_line.startswith(" CRITICAL   EXPIRED  Mail server down")
    assert "Tell them: Mail is down; back by noon." in agent_line
    assert "(+1 more bulletins)" in agent_line
    assert "(+1 more bulletins; 4: resolve or extend)" in bar_text(active, lead=True).plain
    assert bar_text([]).plain == "No active bulletins"


def test_the_expiry_watch_tells_once_per_expected_end(desk: Desk, clock: FrozenClock) -> None:
    bulletin = mail_outage(desk, expected_end="2026-11-25T10:00Z")
    watch = ExpiryWatch()
    assert watch.newly_expired(desk.bulletins(active_only=True)) == []
    clock.advance(hours=2)
    assert [b.id for b in watch.newly_expired(desk.bulletins(active_only=True))] == [bulletin]
    assert watch.newly_expired(desk.bulletins(active_only=True)) == []  # told already
    desk.update_bulletin(bulletin, expected_end="2026-11-25T11:30Z")
    clock.advance(hours=1)
    assert [b.id for b in watch.newly_expired(desk.bulletins(active_only=True))] == [bulletin]


def test_the_wave_draws_the_latest_hours_scaled_to_the_busiest() -> None:
    now = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    hours = [HourCount(f"2026-11-25T{h:02d}:00:00Z", n, n // 2) for h, n in ((9, 8), (10, 4))]
    text = wave_text(hours, now).plain
    assert "09:00 ████████████████████████    8 / 4" in text
    assert "10:00 ████████████                4 / 2" in text
    assert "busiest 09:00: 8 contacts, 4 tickets" in text
    many = [
        HourCount((now - timedelta(hours=h)).strftime("%Y-%m-%dT%H:00:00Z"), 1, 0)
        for h in range(20, 0, -1)
    ]
    assert "(8 earlier hours not shown)" in wave_text(many, now).plain
    assert "nothing linked yet" in wave_text([], now).plain


def test_the_offer_lists_the_first_and_others_or_shows_the_answer(desk: Desk) -> None:
    mail_outage(desk)
    desk.post_bulletin(title="Outlook add-in broken", answer="Disable it.", keywords=["outlook"])
    offers = desk.intake_bulletins(1, text="outlook")
    shown = offer_text(offers, None).plain
    assert "Fits this call:" in shown and "ctrl+t links it" in shown and "also" in shown
    linked = offer_text(offers, offers[0]).plain
    assert "✓ Linked to" in linked and "(ctrl+t: next of 1 more / unlink)" in linked
    assert f"Tell them: {offers[0].answer}" in linked
    assert offer_text([], None).plain == ""


def test_flags_are_computed_for_the_clock_not_stored(desk: Desk, clock: FrozenClock) -> None:
    bulletin = desk.bulletin(mail_outage(desk, expected_end="2026-11-25T10:00Z"))
    assert not bulletin.expired
    later = clock.now() + timedelta(hours=2)
    assert rules.flagged(bulletin, later).expired
