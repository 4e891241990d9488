"""The Bulletins section (issue 6): two consoles on one file, a lead and an agent.

The issue's "done when": a lead posts "Mail server down" in one console, the
agent's console already open on the same file shows it after its poll; the
agent logs three calls about it, each linked with one key; the lead resolves
the bulletin and the three tickets each show the update.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from conftest import as_user
from test_console import SIZE, screen_text, settle, type_text
from textual.widgets import DataTable, Input, RadioSet, Select, TextArea

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import Desk, TicketDraft
from helpdesk_tui.screens.bulletins import BulletinsScreen
from helpdesk_tui.screens.contact import ContactScreen
from helpdesk_tui.screens.form_dialog import FormDialog
from helpdesk_tui.screens.ticket import TicketScreen

FAST = 0.05  # seconds between polls in these tests
ANSWER = "Mail is down since 9:00; we expect it back by noon."
FIX = "The mail server was restarted at 11:40; mail flows again."


async def until(pilot, condition: Callable[[], bool], tries: int = 200) -> bool:
    """Let the console poll until ``condition`` holds (a few polls, ~10 s at worst)."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(FAST)
        await settle(pilot, 1)
    return condition()


def notes(app: HelpdeskApp) -> list[str]:
    return [n.message for n in app._notifications]


def fill(app: HelpdeskApp, **values: str) -> None:
    """Type into the open form dialog's fields (``f-<key>``)."""
    dialog = app.screen
    assert isinstance(dialog, FormDialog)
    for key, value in values.items():
        widget = dialog.query_one(f"#f-{key}")
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value


def tickets_table_numbers(app: HelpdeskApp) -> list[int]:
    table = app.screen.query_one("#bulletin-tickets", DataTable)
    return [int(str(row.value)) for row in table.rows]


async def log_outage_call(pilot, app: HelpdeskApp, summary: str) -> None:
    """An agent on the phone: customer, summary, 'open a ticket', ctrl+t, mailbox, ctrl+s."""
    screen = app.screen
    assert isinstance(screen, ContactScreen)
    await type_text(pilot, "marta")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, summary)
    await settle(pilot)
    assert "Fits this call" in screen_text(app) and "Mail server down" in screen_text(app)
    screen.query_one(RadioSet).query("RadioButton")[2].value = True  # Open a ticket
    await settle(pilot)
    await pilot.press("ctrl+t")  # the one key: link, fill title, category and product
    await settle(pilot)
    assert f"Tell them: {ANSWER}" in screen_text(app)
    await pilot.press("ctrl+s")  # refused once: the e-mail category needs the mailbox
    await settle(pilot)
    assert "Mailbox address is required" in str(screen.query_one("#form-error").render())
    mailbox = screen.query_one("#field-mailbox", Input)
    assert screen.focused is mailbox  # the refusal put the cursor there
    mailbox.value = "marta@example.org"
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert screen.query_one("#summary", Input).value == ""  # saved: cleared for the next call


async def test_mail_server_down_from_post_to_resolve_across_two_consoles(desk: Desk) -> None:
    lee, alice = as_user(desk, "lee"), as_user(desk, "alice")
    lead_app = HelpdeskApp(lee, poll_seconds=FAST)
    agent_app = HelpdeskApp(alice, poll_seconds=FAST)
    async with (
        lead_app.run_test(size=SIZE) as lead,
        agent_app.run_test(size=SIZE) as agent,
    ):
        await settle(agent)
        assert "No active bulletins" in screen_text(agent_app)
        # The lead posts from the Bulletins section (key 4, then p).
        await lead.press("4")
        await settle(lead)
        assert isinstance(lead_app.screen, BulletinsScreen)
        await lead.press("p")
        await settle(lead)
        fill(
            lead_app,
            title="Mail server down",
            answer=ANSWER,
            severity="critical",
            products="office365",
            categories="email",
            keywords="outlook, e-mail",
            expected_end="2026-11-25 12:00",
        )
        await lead.press("ctrl+s")
        await settle(lead)
        [bulletin] = desk.bulletins()
        assert bulletin.title == "Mail server down" and bulletin.posted_by == "lee"
        assert bulletin.keywords == ("outlook", "e-mail") and bulletin.severity == "critical"
        # The agent's console, open all along on the same file, shows it after its poll.
        assert await until(agent, lambda: "Mail server down" in screen_text(agent_app))
        assert "CRITICAL" in screen_text(agent_app) and ANSWER in screen_text(agent_app)
        assert any(
            "Bulletin posted: Mail server down" in m and ANSWER in m for m in notes(agent_app)
        )
        # The agent logs three calls about it, each linked with one key.
        await agent.press("2")
        await settle(agent)
        for summary in ("outlook dead", "no e-mail", "outlook"):
            await log_outage_call(agent, agent_app, summary)
        report = desk.bulletin_report(bulletin.id)
        assert (report.contacts, report.tickets, report.open_tickets) == (3, 3, 3)
        numbers = sorted(t.id for t in report.linked_tickets)
        for n in numbers:
            ticket = desk.ticket(n)
            assert ticket.title == "Mail server down" and ticket.category == "email"
            assert [e.kind for e in desk.ticket_view(n).events][-1] == "bulletin"
        # The lead's Bulletins screen follows: counts, the wave, the linked tickets.
        assert await until(lead, lambda: sorted(tickets_table_numbers(lead_app)) == numbers)
        shown = screen_text(lead_app)
        assert "Linked: 3 contacts, 3 tickets (3 open)" in shown
        assert "09:00 ███" in shown  # the wave: every call in the 09:00 hour
        # The lead resolves it; each linked open ticket is told.
        await lead.press("s")
        await settle(lead)
        fill(lead_app, note=FIX)
        await lead.press("ctrl+s")
        await settle(lead)
        assert "Bulletin 1 resolved: 3 linked open tickets updated" in notes(lead_app)
        assert desk.bulletin(bulletin.id).status == "resolved"
        assert await until(agent, lambda: "No active bulletins" in screen_text(agent_app))
        assert any(
            m == f"Bulletin resolved: Mail server down\nFixed: {FIX}" for m in notes(agent_app)
        )
        # The three tickets each show the update, in the agent's console.
        for n in numbers:
            agent_app.open_ticket(n)
            await settle(agent)
            assert isinstance(agent_app.screen, TicketScreen)
            timeline = screen_text(agent_app)
            assert f"E-mail: {FIX}" in timeline
            assert "bulletin 1 resolved: Mail server down" in timeline
            assert desk.ticket(n).status == "open"  # told, not resolved: the lead chose so
            await agent.press("escape")
            await settle(agent)
    lee.close()
    alice.close()


async def test_an_agent_sees_the_section_but_may_not_post_or_resolve(desk: Desk) -> None:
    desk.post_bulletin(title="VPN flaky", answer="Use the web portal meanwhile.")
    alice = as_user(desk, "alice")
    app = HelpdeskApp(alice, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, BulletinsScreen)
        assert "VPN flaky" in screen_text(app)
        for key in ("p", "u", "e"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, BulletinsScreen)  # no form to type in vain
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, BulletinsScreen)
    said = notes(app)
    assert said.count("only leads or admins may post or update bulletins; alice is an agent") == 3
    assert "only leads or admins may resolve bulletins; alice is an agent" in said
    assert [b.version for b in desk.bulletins()] == [1]
    alice.close()


async def test_an_expired_bulletin_is_flagged_to_the_lead(desk: Desk, clock: FrozenClock) -> None:
    desk.post_bulletin(
        title="Printers offline", answer="Print to the 2nd floor.", expected_end="2026-11-25T10:00Z"
    )
    lee, alice = as_user(desk, "lee"), as_user(desk, "alice")
    lead_app = HelpdeskApp(lee, poll_seconds=FAST)
    agent_app = HelpdeskApp(alice, poll_seconds=FAST)
    async with (
        lead_app.run_test(size=SIZE) as lead,
        agent_app.run_test(size=SIZE) as agent,
    ):
        await lead.press("4")
        await settle(lead)
        await settle(agent)
        assert "EXPIRED" not in screen_text(lead_app)
        clock.advance(minutes=90)  # 10:30: past the expected end, nobody resolved it
        assert await until(lead, lambda: "EXPIRED" in screen_text(lead_app))
        shown = screen_text(lead_app)
        assert "1 active (1 past expected end: resolve or extend)" in shown  # the list title
        assert "4: resolve or extend" in shown  # the bar, for a lead
        assert "past its expected end by 30m" in shown  # the detail
        table = lead_app.screen.query_one("#bulletins-table", DataTable)
        assert str(table.get_row_at(0)[1]) == "EXPIRED"
        expired_notes = [m for m in notes(lead_app) if "passed its expected end" in m]
        assert len(expired_notes) == 1 and "Printers offline" in expired_notes[0]
        # The agent's bar marks it too, but the lead is the one told to act.
        assert await until(agent, lambda: "EXPIRED" in screen_text(agent_app))
        assert not any("passed its expected end" in m for m in notes(agent_app))
        # Extended by the lead: no longer expired; expiring again tells again.
        await lead.press("u")
        await settle(lead)
        fill(lead_app, expected_end="2026-11-25 11:00")
        await lead.press("ctrl+s")
        await settle(lead)
        assert desk.bulletin(1).expected_end == datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
        assert await until(lead, lambda: "EXPIRED" not in screen_text(lead_app))
        clock.advance(minutes=45)
        assert await until(
            lead, lambda: sum("passed its expected end" in m for m in notes(lead_app)) == 2
        )
    lee.close()
    alice.close()


HOSTILE_TITLE = "[@click=app.quit]Mail[/b] \x1b[31mdown [0]"
HOSTILE_ANSWER = "[b]We know[/b] [@click=app.bell]x \x1b]0;pwned\x07"


async def test_hostile_bulletin_text_renders_literally_everywhere(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=FAST)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lead = as_user(desk, "lee")  # posted from another console: a notification here
        lead.post_bulletin(title=HOSTILE_TITLE, answer=HOSTILE_ANSWER, keywords=["mail"])
        lead.close()
        title = "[@click=app.quit]Mail[/b] ␛[31mdown [0]"
        answer = "[b]We know[/b] [@click=app.bell]x ␛]0;pwned␇"
        assert await until(pilot, lambda: title in screen_text(app))
        assert answer in screen_text(app)  # the bar
        note = next(m for m in notes(app) if "Bulletin posted" in m)
        assert title in note and answer in note and "\x1b" not in note
        await pilot.click("BulletinBar", offset=(20, 0))  # a link would have quit the app
        await settle(pilot)
        assert app.is_running
        await pilot.press("4")
        await settle(pilot)
        shown = screen_text(app)
        assert title in shown and "Tell customers: [b]We know[/b] [@click=app.bell]x" in shown
        assert "␛]0;pwned␇" in shown and "\x1b" not in shown
        await pilot.click("#bulletins-table", offset=(50, 1))
        await pilot.click("#bulletin-info", offset=(5, 2))
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, BulletinsScreen)
        # At intake the offer shows it literally too.
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("tab", "tab")  # to the summary
        await type_text(pilot, "mail")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        shown = screen_text(app)
        assert f"Tell them: {answer}" in shown and "\x1b" not in shown
        assert app.is_running


async def test_resolve_can_resolve_the_linked_tickets_and_reports_how_many(desk: Desk) -> None:
    posted = desk.post_bulletin(title="Wi-Fi down", answer="Use a cable.", categories=["network"])
    for n in range(2):
        result = desk.log_contact(
            channel="phone",
            customer_id=1,
            summary=f"no wifi {n}",
            outcome="ticket",
            ticket=TicketDraft("No Wi-Fi", "network", {"location": "B2"}),
        )
        assert result.contact.ticket_id is not None
        desk.link_contact_to_bulletin(posted.id, result.contact.id)
    lee = as_user(desk, "lee")
    app = HelpdeskApp(lee, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert "2 open" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert "2 linked open ticket(s)" in screen_text(app)
        await pilot.press("ctrl+s")  # no note: refused, the dialog stays
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#f-note").has_class("-invalid")
        fill(app, note="Access point replaced.", resolve_tickets="yes")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Bulletin 1 resolved: 2 linked open tickets updated" in notes(app)
        shown = screen_text(app)
        assert "resolved" in shown and "Resolved 09:00 by lee: Access point replaced." in shown
        await pilot.press("s")  # a resolved bulletin cannot be resolved again
        await settle(pilot)
        assert isinstance(app.screen, BulletinsScreen)
    assert [t.status for t in desk.tickets("all")] == ["resolved", "resolved"]
    assert any("bulletin 1 is resolved" in m for m in notes(app))
    lee.close()


async def test_enter_goes_to_the_linked_tickets_and_opens_one(desk: Desk) -> None:
    posted = desk.post_bulletin(title="Phones dead", answer="Call back later.")
    result = desk.log_contact(
        channel="phone",
        customer_id=1,
        summary="desk phone silent",
        outcome="ticket",
        ticket=TicketDraft("Phone silent", "phone", {"extension": "4417"}),
    )
    desk.link_contact_to_bulletin(posted.id, result.contact.id)
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert "Phone silent" in screen_text(app)
        await pilot.press("enter")  # from the list into its tickets
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#bulletin-tickets")
        await pilot.press("enter")  # opens the ticket
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen) and app.screen.number == result.ticket.id
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BulletinsScreen)


async def test_update_saves_only_what_changed_and_refuses_a_stale_version(desk: Desk) -> None:
    posted = desk.post_bulletin(
        title="Payroll slow", answer="Try after 14:00.", products=["sap_payroll"]
    )
    lee = as_user(desk, "lee")
    app = HelpdeskApp(lee, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.query_one("#f-products", Input).value == "sap_payroll"
        desk.update_bulletin(posted.id, severity="critical")  # another lead, meanwhile
        fill(app, answer="Try after 15:00.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)  # refused once, typed text kept
        assert "was changed by admin" in str(app.screen.query_one("#dialog-error").render())
        assert app.screen.query_one("#f-answer", TextArea).text == "Try after 15:00."
        await pilot.press("ctrl+s")  # saved deliberately over the newer version
        await settle(pilot)
        assert isinstance(app.screen, BulletinsScreen)
    now = desk.bulletin(posted.id)
    assert now.answer == "Try after 15:00." and now.severity == "critical"  # theirs kept
    assert now.products == ("sap_payroll",) and now.version == 3
    lee.close()


async def test_bad_input_in_the_post_form_names_the_field_and_posts_nothing(desk: Desk) -> None:
    lee = as_user(desk, "lee")
    app = HelpdeskApp(lee, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        fill(app, title="Mail down", answer="Later.", products="office365, toaster")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "unknown product 'toaster'" in str(app.screen.query_one("#dialog-error").render())
        assert app.screen.query_one("#f-products").has_class("-invalid")
        fill(app, products="office365", expected_end="2026-11-25 08:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not after the start" in str(app.screen.query_one("#dialog-error").render())
        assert app.screen.query_one("#f-expected_end").has_class("-invalid")
    assert desk.bulletins() == []
    lee.close()


async def test_end_of_support_notice_for_a_catalogue_product(desk: Desk) -> None:
    lee = as_user(desk, "lee")
    app = HelpdeskApp(lee, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        offered = [value for _label, value in app.screen.query_one("#f-product")._options]
        assert "avaya_9611g" in offered and "win10_desktop" in offered  # both have an end
        assert "office365" not in offered  # no end of support: no notice to give
        fill(app, product="avaya_9611g")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [notice] = desk.bulletins()
        assert notice.kind == "end_of_support" and notice.products == ("avaya_9611g",)
        assert notice.support_ends is not None and notice.support_ends.isoformat() == "2027-02-10"
        assert any(m.startswith(f"Notice {notice.id} posted: End of support") for m in notes(app))
        shown = screen_text(app)
        assert "notice" in shown and "Support ends 2027-02-10" in shown
    lee.close()
