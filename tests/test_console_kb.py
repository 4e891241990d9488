"""Knowledge trees in the console: an agent on the phone finds a tree, walks it with y/n
and ends it by one key (resolve, send to triage, didn't help), from a ticket, from the
contact being logged, or from the Knowledge section."""

from __future__ import annotations

import contextlib

from textual.widgets import Input, OptionList, RadioSet, Select, TextArea
from textual.worker import WorkerCancelled

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.desk import Desk, TicketDraft
from helpdesk_tui.desk.knowledge_tree import Node
from helpdesk_tui.screens.contact import ContactScreen
from helpdesk_tui.screens.form_dialog import FormDialog
from helpdesk_tui.screens.kb_editor import KbEditorScreen
from helpdesk_tui.screens.kb_walk import WalkScreen
from helpdesk_tui.screens.knowledge import KnowledgeScreen
from helpdesk_tui.screens.ticket import TicketScreen

SIZE = (120, 40)
PRINTER = "printer_wont_print"


async def settle(pilot, rounds: int = 3) -> None:
    """Let thread workers (the debounced search too) finish and their results render."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def screen_text(app: HelpdeskApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[ch if ch != " " else "space" for ch in text])


def console(desk: Desk, login: str) -> HelpdeskApp:
    return HelpdeskApp(Desk.open(desk.store.path, login=login, clock=desk.clock), poll_seconds=60)


def printer_ticket(desk: Desk) -> int:
    draft = TicketDraft("Printer on floor 2 prints nothing", "printer", {"printer_name": "PR-2"})
    return desk.open_ticket(1, draft).id


async def open_ticket(pilot, number: int) -> None:
    await pilot.press("#")
    await settle(pilot)
    await pilot.press(*str(number), "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TicketScreen)


async def find_printer_tree(pilot) -> None:
    """On a search screen: type "print", and the printer tree is the first result."""
    assert isinstance(pilot.app.screen, KnowledgeScreen)
    await type_text(pilot, "print")
    await settle(pilot)
    results = pilot.app.screen.query_one("#kb-results", OptionList)
    assert results.get_option_at_index(results.highlighted).id == PRINTER
    assert "Printer will not print" in screen_text(pilot.app)


async def test_agent_finds_the_printer_tree_walks_it_and_resolves_the_ticket(desk: Desk) -> None:
    number = printer_ticket(desk)
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_ticket(pilot, number)
        await pilot.press("w")  # walk a tree: search filtered by the ticket's category
        await settle(pilot)
        await find_printer_tree(pilot)
        assert "Only articles for Printer (ticket #1's category and product)" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WalkScreen)
        shot = screen_text(app)
        assert "Is the printer switched on, with its display lit?" in shot
        assert "No questions answered yet" in shot
        await pilot.press("y")
        await pilot.press("n")  # no error shown... wrong: go back
        assert "Can other people print to this printer?" in screen_text(app)
        assert "How to check: Ask a colleague nearby" in screen_text(app)  # the hint
        await pilot.press("b")
        await pilot.press("y", "y")
        shot = screen_text(app)
        assert "Solution: Clear the paper jam" in shot
        # The path so far: each question with its answer.
        assert "1. Is the printer switched on, with its display lit?  -> yes" in shot
        assert "3. Is it a paper jam?  -> yes" in shot
        assert f"resolve #{number} with this" in shot
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)  # back on the ticket, reloaded
        shot = screen_text(app)
        assert "Resolved" in shot and "Clear the paper jam" in shot
        assert "reached: solution 'Clear the paper jam'" in shot  # the walk event
    ticket = desk.ticket(number)
    assert ticket.status == "resolved"
    assert ticket.resolution.startswith("Clear the paper jam\n1. Open the doors")
    events = desk.ticket_view(number).events
    walk = [e for e in events if e.kind == "walk"]
    assert len(walk) == 1 and walk[0].actor == "alice"
    assert walk[0].note.startswith("Q: Is the printer switched on, with its display lit? -> yes;")
    assert walk[0].note.endswith(
        "Q: Is it a paper jam? -> yes; reached: solution 'Clear the paper jam'"
    )


async def walk_printer(pilot, number: int, answers: str) -> None:
    """From the ticket screen: w, "print", enter, then the answers (y/n keys)."""
    await open_ticket(pilot, number)
    await pilot.press("w")
    await settle(pilot)
    await find_printer_tree(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WalkScreen)
    await pilot.press(*answers)


async def test_escalation_opens_triage_prefilled_with_the_target_and_the_path(desk: Desk) -> None:
    number = printer_ticket(desk)
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await walk_printer(pilot, number, "yynn")  # not a jam, not paper or toner
        shot = screen_text(app)
        assert "Escalate: Printer hardware fault" in shot
        assert "Send to: level 2, Desktop" in shot
        assert "The exact message or error code" in shot  # what to record
        await pilot.press("s")  # not a solution: nothing happens
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#f-action", Select).value == "triage"
        assert dialog.query_one("#f-department", Select).value == "Desktop"
        tried = dialog.query_one("#f-tried", TextArea).text
        assert tried.startswith("Walked knowledge article 'Printer will not print' v1: Q: Is")
        assert tried.endswith("reached: escalation 'Printer hardware fault' (level 2, Desktop)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert "in triage" in screen_text(app)
    ticket = desk.ticket(number)
    assert (ticket.status, ticket.department, ticket.level) == ("triage", "Desktop", 2)
    events = desk.ticket_view(number).events
    assert [e.kind for e in events][-2:] == ["walk", "triage"]
    assert events[-2].changes["outcome"] == "escalated"
    assert events[-1].note == tried


async def test_didnt_help_records_where_the_walk_stopped(desk: Desk) -> None:
    number = printer_ticket(desk)
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await walk_printer(pilot, number, "yn")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert "stopped at: Q: Can other people print to this printer? (didn't help)" in (
            screen_text(app)
        )
        # Leaving with escape asks first; choosing to record is the same "didn't help".
        await pilot.press("w")
        await settle(pilot)
        await find_printer_tree(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the highlighted choice: record where it stopped
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    ticket = desk.ticket(number)
    assert ticket.status == "open"  # giving up changes nothing else
    walks = [e for e in desk.ticket_view(number).events if e.kind == "walk"]
    assert [w.changes["outcome"] for w in walks] == ["abandoned", "abandoned"]
    assert walks[0].changes["end_node"] == "others_print"
    assert walks[1].note.startswith("Q: Is the printer switched on, with its display lit? -> no;")


async def test_leaving_a_walk_before_any_answer_records_nothing(desk: Desk) -> None:
    number = printer_ticket(desk)
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await walk_printer(pilot, number, "")
        await pilot.press("escape")  # the wrong tree: back to the search
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert [e.kind for e in desk.ticket_view(number).events] == ["created"]


async def contact_with_marta(pilot, summary: str) -> ContactScreen:
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ContactScreen)
    await type_text(pilot, "marta")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, summary)
    return screen


async def test_from_a_contact_a_solution_logs_it_answered_at_first_contact(desk: Desk) -> None:
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await contact_with_marta(pilot, "Printer says paper jam")
        await pilot.press("ctrl+k")
        await settle(pilot)
        await find_printer_tree(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y", "y", "y")
        assert "log the contact: answered at first contact" in screen_text(app)
        await pilot.press("s")  # one keystroke
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#summary", Input).value == ""  # cleared for the next call
    [contact] = desk.contacts()
    assert (contact.outcome, contact.ticket_id, contact.summary) == (
        "answered",
        None,
        "Printer says paper jam",
    )
    [stats] = [s for s in desk.kb_stats() if s.key == PRINTER]
    assert (stats.walks, stats.solved) == (1, 1)


async def test_from_a_contact_the_solution_can_resolve_a_ticket_too(desk: Desk) -> None:
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await contact_with_marta(pilot, "Paper jam on PR-2")
        form.query_one(RadioSet).query("RadioButton")[1].value = True  # answered + ticket
        await settle(pilot)
        form.query_one("#category", Select).value = "printer"
        await settle(pilot)
        form.query_one("#field-printer_name", Input).value = "PR-2"
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert "Only articles for the contact's printer" in screen_text(app)
        await find_printer_tree(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y", "y", "y", "s")
        await settle(pilot)
        assert app.screen is form
    [contact] = desk.contacts()
    assert contact.outcome == "answered" and contact.ticket_id is not None
    ticket = desk.ticket(contact.ticket_id)
    assert (ticket.status, ticket.title) == ("resolved", "Paper jam on PR-2")
    assert ticket.resolution.startswith("Clear the paper jam\n")
    kinds = [e.kind for e in desk.ticket_view(ticket.id).events]
    assert "walk" in kinds


async def test_from_a_contact_an_escalation_opens_a_ticket_in_triage(desk: Desk) -> None:
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await contact_with_marta(pilot, "Printer dead on floor 2")
        await pilot.press("ctrl+k")
        await settle(pilot)
        await find_printer_tree(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n", "n")  # will not switch on -> hardware fault
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#f-title", Input).value == "Printer dead on floor 2"
        assert dialog.query_one("#f-department", Select).value == "Desktop"
        dialog.query_one("#f-cf_printer_name", Input).value = "PR-2"  # required by the category
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
    [contact] = desk.contacts()
    assert contact.outcome == "ticket"
    ticket = desk.ticket(contact.ticket_id)
    assert (ticket.status, ticket.department, ticket.category) == ("triage", "Desktop", "printer")
    assert ticket.fields["printer_name"] == "PR-2"
    assert [e.kind for e in desk.ticket_view(ticket.id).events] == ["created", "walk", "triage"]


async def test_walking_from_a_contact_needs_the_customer_first(desk: Desk) -> None:
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert "choose the customer first" in str(app.screen.query_one("#form-error").render())


async def test_knowledge_section_walk_resolves_the_ticket_it_is_asked_for(desk: Desk) -> None:
    number = printer_ticket(desk)
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
        assert "5 Knowledge" in screen_text(app)
        # Any typed text is a valid query, FTS5 syntax included.
        await type_text(pilot, 'C++ "unbalanced NOT (')
        await settle(pilot)
        assert "No article matches" in screen_text(app)
        await pilot.press(*["backspace"] * 30)
        await find_printer_tree(pilot)
        await pilot.press("down")  # into the results
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y", "y", "y", "s")
        await settle(pilot)
        await pilot.press(*str(number), "enter")  # which ticket?
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
    assert desk.ticket(number).status == "resolved"


HOSTILE = "[@click=app.quit]q[/b] \x1b[31mred [0]"


async def test_hostile_node_text_shows_literally(desk: Desk) -> None:
    desk.kb_new_article("hostile", f"Odd {HOSTILE}", "general", tags=["[b]tag"])
    desk.kb_add_node("hostile", Node.question("q1", f"Is it {HOSTILE}?", None, None, HOSTILE))
    desk.kb_add_node(
        "hostile", Node.solution("s1", HOSTILE, f"Steps {HOSTILE}"), parent="q1", branch="yes"
    )
    desk.kb_add_node(
        "hostile", Node.escalation("e1", HOSTILE, HOSTILE, level=2), parent="q1", branch="no"
    )
    desk.kb_publish("hostile")
    shown = "[@click=app.quit]q[/b] ␛[31mred [0]"
    app = console(desk, "admin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await type_text(pilot, "odd")
        await settle(pilot)
        assert f"Odd {shown}" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        shot = screen_text(app)
        assert f"Is it {shown}?" in shot and f"How to check: {shown}" in shot
        await pilot.press("y")
        assert f"Steps {shown}" in screen_text(app)
        await pilot.press("escape", "enter")  # records "didn't help"
        await settle(pilot)
        await pilot.press("ctrl+t")  # the editor shows it literally too
        await settle(pilot)
        assert f"Q: Is it {shown}?" in screen_text(app)
        assert "\x1b" not in screen_text(app)
        assert app.is_running


async def cursor_to(pilot, editor: KbEditorScreen, node_id: str) -> None:
    """Arrow down the tree to a node's line, as an admin would."""
    for _ in range(40):
        spot = editor.tree.spot()
        if spot is not None and spot.node == node_id and not spot.missing:
            return
        await pilot.press("down")
    raise AssertionError(f"{node_id} not reached")


async def test_admin_adds_a_branch_fixes_the_missing_no_and_publishes(desk: Desk) -> None:
    app = console(desk, "admin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await find_printer_tree(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, KbEditorScreen)
        assert "no changes yet" in screen_text(app) and "Problems: 0" in screen_text(app)
        await cursor_to(pilot, editor, "supplies")
        # A new question between "out of paper or toner? -> no" and the hardware escalation.
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # a question
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one(
            "#f-text", TextArea
        ).text = "Does the display say the toner is not recognised?"
        dialog.query_one("#f-link", Select).value = "supplies|no"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        assert editor.tree.spot().node == "q"  # the new node is selected
        # Its yes branch: a new solution (the form offers q's first missing branch).
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "enter")  # a solution
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#f-link", Select).value == "q|yes"
        dialog.query_one("#f-text", Input).value = "Reseat the toner cartridge"
        dialog.query_one("#f-steps", TextArea).text = "1. Open the front door.\n2. Reseat it."
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Validation catches the missing "no" branch, and publishing is refused.
        shot = screen_text(app)
        assert "node q: the 'no' branch is missing" in shot
        assert "1 problem" in shot
        await pilot.press("u")
        await settle(pilot)
        assert any("not published" in n.message for n in app._notifications)
        assert desk.kb_article(PRINTER).version == 1
        await pilot.press("enter")  # on the problem: jumps to its node
        assert editor.tree.spot().node == "q"
        await pilot.press("l")  # re-link a branch of q: which one?
        await settle(pilot)
        await pilot.press("down", "enter")  # the no branch
        await settle(pilot)
        targets = app.screen.query_one(OptionList)
        ids = [targets.get_option_at_index(i).id for i in range(targets.option_count)]
        targets.highlighted = ids.index("esc_printer_hw")
        await pilot.press("enter")
        await settle(pilot)
        assert "no problems: ready to publish" in screen_text(app)
        await pilot.press("w")  # preview the draft as an agent would walk it
        await settle(pilot)
        await pilot.press("y", "y", "n", "n", "y")
        assert "Solution: Reseat the toner cartridge" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        app.screen.query_one("#f-note", Input).value = "Toner not recognised"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
    article = desk.kb_article(PRINTER)
    assert article.version == 2 and article.note == "Toner not recognised"
    index = article.article.index()
    assert index["supplies"].no == "q"
    assert (index["q"].yes, index["q"].no) == ("sol", "esc_printer_hw")
    assert [v.version for v in desk.kb_history(PRINTER)] == [1, 2]


async def test_editor_history_and_looking_leaves_no_draft(desk: Desk) -> None:
    app = console(desk, "admin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await find_printer_tree(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert "Versions of printer_wont_print" in screen_text(app)
        assert "v1" in screen_text(app) and "starter" in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
    [printer] = [a for a in desk.kb_articles() if a.key == PRINTER]
    assert not printer.has_draft


async def test_an_agent_is_refused_from_the_tree_editor(desk: Desk) -> None:
    app = console(desk, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await find_printer_tree(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
        refusals = [n.message for n in app._notifications if "edit knowledge articles" in n.message]
        assert len(refusals) == 2
    [printer] = [a for a in desk.kb_articles() if a.key == PRINTER]
    assert not printer.has_draft


async def test_editor_details_delete_start_and_a_colleagues_edit(desk: Desk) -> None:
    app = console(desk, "admin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await find_printer_tree(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, KbEditorScreen)
        await pilot.press("t")  # title, category, product, tags
        await settle(pilot)
        app.screen.query_one("#f-title", Input).value = "Printer will not print at all"
        app.screen.query_one("#f-tags", Input).value = "printer, toner"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Draft of Printer will not print at all" in screen_text(app)
        await cursor_to(pilot, editor, "sol_jam")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("down", "enter")  # "Delete it"
        await settle(pilot)
        assert "node paper_jam: the 'yes' branch is missing" in screen_text(app)
        await cursor_to(pilot, editor, "display_message")
        await pilot.press("s")  # walks now start here: powered and power_on are unreachable
        await settle(pilot)
        assert "Not reachable from the start" in screen_text(app)
        assert "node powered: not reachable from the start" in screen_text(app)
        # A colleague edits the same draft meanwhile: the next edit here is refused.
        other = Desk.open(desk.store.path, login="admin", clock=desk.clock)
        other.kb_set_details(PRINTER, tags=["printing"])
        other.close()
        await pilot.press("s")  # make display_message the start again: stale
        await settle(pilot)
        assert any(
            "was changed by admin since you opened it" in n.message for n in app._notifications
        )
        await pilot.press("r")  # reload, then it works
        await settle(pilot)
        assert "printing" in screen_text(app) or editor.draft.article.tags == ("printing",)
    draft = desk.kb_draft(PRINTER)
    assert draft.article.title == "Printer will not print at all"
    assert draft.article.start == "display_message" and draft.article.node("sol_jam") is None
    assert desk.kb_article(PRINTER).version == 1  # nothing published
