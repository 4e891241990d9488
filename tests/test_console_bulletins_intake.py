"""Bulletins at intake, in the console (issue 6): offered as the agent types, one key links.

While an agent logs a contact, active bulletins that fit the customer's
product or category or the summary's words are offered; ctrl+t links the
contact (and its ticket) to the offered one and shows the answer to give;
ctrl+s then saves it, answered at first contact unless the agent chose
otherwise.
"""

from __future__ import annotations

from conftest import as_user
from test_console import SIZE, screen_text, settle, type_text
from test_console_bulletins import FAST, notes, until
from textual.widgets import Input, RadioSet, Select

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.desk import Desk
from helpdesk_tui.screens.contact import ContactScreen
from helpdesk_tui.widgets.bulletin_offer import BulletinOffer

ANSWER = "Mail is down; back by noon."


def post_mail_outage(d: Desk, **extra: object) -> int:
    values: dict = {
        "title": "Mail server down",
        "answer": ANSWER,
        "products": ["office365"],
        "keywords": ["outlook"],
    }
    values.update(extra)
    return d.post_bulletin(**values).id


async def start_call(pilot, app: HelpdeskApp) -> ContactScreen:
    await pilot.press("2")
    await settle(pilot)
    await type_text(pilot, "marta")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ContactScreen)
    return screen


async def test_offered_as_the_agent_types_and_answered_in_one_step(desk: Desk) -> None:
    bulletin = post_mail_outage(desk)
    alice = as_user(desk, "alice")
    app = HelpdeskApp(alice, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app)
        offer = screen.query_one(BulletinOffer)
        assert not offer.display  # nothing typed that fits yet
        await type_text(pilot, "my outl")
        await settle(pilot)
        assert not offer.display
        await type_text(pilot, "ook is stuck")  # the keyword is complete: offered live
        await settle(pilot)
        assert offer.display
        assert "Fits this call: MAJOR  bulletin 1: Mail server down" in screen_text(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert f"Tell them: {ANSWER}" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Contact 1 logged; linked to bulletin 1" in notes(app)
        assert not offer.display  # the form is clear for the next call
    [contact] = desk.contacts()
    assert contact.outcome == "answered" and contact.ticket_id is None
    assert contact.summary == "my outlook is stuck" and contact.agent == "alice"
    assert desk.bulletin_report(bulletin).contacts == 1
    alice.close()


async def test_a_customer_who_owns_the_product_is_offered_it_before_a_word(desk: Desk) -> None:
    desk.add_asset(1, "office365", "O365-MARTA")
    post_mail_outage(desk, keywords=[])
    alice = as_user(desk, "alice")
    app = HelpdeskApp(alice, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await start_call(pilot, app)
        assert "Fits this call: MAJOR  bulletin 1: Mail server down" in screen_text(app)
        await pilot.press("ctrl+t")  # the summary is empty: the bulletin's title fills it
        await settle(pilot)
        assert app.screen.query_one("#summary", Input).value == "Mail server down"
        await pilot.press("ctrl+s")
        await settle(pilot)
    [contact] = desk.contacts()
    assert contact.summary == "Mail server down" and contact.outcome == "answered"
    alice.close()


async def test_the_key_moves_to_the_next_offer_then_unlinks(desk: Desk) -> None:
    first = post_mail_outage(desk, severity="critical")
    second = desk.post_bulletin(
        title="Outlook add-in crashes", answer="Disable the add-in.", keywords=["outlook"]
    ).id
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app)
        await pilot.press("ctrl+t")  # nothing fits yet
        await settle(pilot)
        assert notes(app)[-1].startswith("No active bulletin fits this contact")
        await type_text(pilot, "outlook")
        await settle(pilot)
        offer = screen.query_one(BulletinOffer)
        assert [b.id for b in offer.offers] == [first, second]  # most severe first
        assert "also MAJOR  bulletin 2: Outlook add-in crashes" in screen_text(app)
        await pilot.press("ctrl+t")
        assert offer.linked is not None and offer.linked.id == first
        await pilot.press("ctrl+t")
        assert offer.linked is not None and offer.linked.id == second
        await settle(pilot)
        assert "Tell them: Disable the add-in." in screen_text(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert offer.linked is None and notes(app)[-1] == "Bulletin link removed"
        await pilot.press("ctrl+s")  # saved without a link
        await settle(pilot)
    assert desk.bulletin_link_totals([first, second]) == {}
    assert len(desk.contacts()) == 1


async def test_answered_with_a_resolved_ticket_takes_the_answer_as_resolution(
    desk: Desk,
) -> None:
    bulletin = post_mail_outage(desk, products=[], categories=["general"])
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app)
        await type_text(pilot, "is the mail server down")
        await settle(pilot)
        screen.query_one(RadioSet).query("RadioButton")[1].value = True
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.query_one("#resolution", Input).value == ANSWER
        assert screen.query_one("#title", Input).value == "Mail server down"
        assert screen.query_one("#category", Select).value == "general"
        await pilot.press("ctrl+s")
        await settle(pilot)
    [contact] = desk.contacts()
    assert contact.ticket_id is not None
    ticket = desk.ticket(contact.ticket_id)
    assert ticket.status == "resolved" and ticket.resolution == ANSWER
    assert desk.bulletin_report(bulletin).tickets == 1


async def test_a_bulletin_resolved_meanwhile_refuses_the_save_and_keeps_the_form(
    desk: Desk,
) -> None:
    bulletin = post_mail_outage(desk)
    alice = as_user(desk, "alice")
    app = HelpdeskApp(alice, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app)
        await type_text(pilot, "outlook")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        desk.resolve_bulletin(bulletin, "fixed")  # the lead, in another console
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(screen.query_one("#form-error").render())
        assert "bulletin 1 is resolved" in error
        assert screen.query_one("#summary", Input).value == "outlook"  # kept
        assert desk.contacts() == []
        await pilot.press("ctrl+t")  # unlink, and save it plain
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert len(desk.contacts()) == 1
    alice.close()


async def test_a_bulletin_posted_while_the_agent_types_is_offered_at_once(desk: Desk) -> None:
    alice = as_user(desk, "alice")
    app = HelpdeskApp(alice, poll_seconds=FAST)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app)
        await type_text(pilot, "outlook")
        await settle(pilot)
        offer = screen.query_one(BulletinOffer)
        assert not offer.display
        post_mail_outage(desk)  # the lead posts from another console
        assert await until(pilot, lambda: bool(offer.display))
        assert "Mail server down" in screen_text(app)
    alice.close()
