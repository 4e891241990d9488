"""The console's Admin section (key 7): an admin at the keyboard; an agent is refused."""

from __future__ import annotations

from datetime import date

from conftest import as_user
from test_console import screen_text, settle
from textual.widgets import DataTable, Input, Select, TabbedContent, TextArea

from helpdesk_tui.app import HelpdeskApp
from helpdesk_tui.desk import Desk
from helpdesk_tui.screens.admin import AdminScreen
from helpdesk_tui.screens.form_dialog import FormDialog

SIZE = (120, 40)


def dialog_of(app: HelpdeskApp) -> FormDialog:
    assert isinstance(app.screen, FormDialog), type(app.screen)
    return app.screen


def put(dialog: FormDialog, **values: str) -> None:
    for key, value in values.items():
        widget = dialog.query_one(f"#f-{key}")
        if isinstance(widget, TextArea):
            widget.text = value
        else:
            assert isinstance(widget, Input | Select)
            widget.value = value


def cursor_to(table: DataTable, key: str) -> None:
    keys = [row.value for row in table.rows]
    table.move_cursor(row=keys.index(key), animate=False)


async def open_admin(pilot, tab: str = "tiers") -> AdminScreen:
    await pilot.press("7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AdminScreen)
    while screen.query_one(TabbedContent).active != tab:
        await pilot.press("right_square_bracket")
        await settle(pilot)
    return screen


async def test_an_admin_adds_a_product_and_sets_its_end_of_support(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, "catalogue")
        await pilot.press("a")
        await settle(pilot)
        dialog = dialog_of(app)
        put(dialog, key="Bad Key", name="Dell XPS 13", category="computer")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # refused: the dialog stays with the key marked
        assert dialog.query_one("#f-key", Input).has_class("-invalid")
        assert "is not valid" in str(dialog.query_one("#dialog-error").render())
        put(dialog, key="dell_xps13", support_start="2024-03-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
        product = desk.product("dell_xps13")
        assert (product.name, product.department) == ("Dell XPS 13", "Desktop")

        products = screen.query_one("#admin-products", DataTable)
        cursor_to(products, "dell_xps13")
        products.focus()
        await pilot.press("x")
        await settle(pilot)
        dialog = dialog_of(app)
        put(dialog, end_of_support="2024-02-01")  # before its support start: refused
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.query_one("#f-end_of_support", Input).has_class("-invalid")
        put(dialog, end_of_support="2027-01-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert desk.product("dell_xps13").end_of_support == date(2027, 1, 31)
        text = screen_text(app)
        assert "ending in 67 d" in text  # from 2026-11-25
        ending = screen.query_one("#admin-ending", DataTable)
        assert "dell_xps13" in [row.value for row in ending.rows]


async def test_an_admin_edits_a_tiers_channels(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, "tiers")
        tiers = screen.query_one("#admin-tiers", DataTable)
        cursor_to(tiers, "basic")
        tiers.focus()
        await pilot.press("enter")
        await settle(pilot)
        dialog = dialog_of(app)
        assert dialog.query_one("#f-channels", Input).value == "email, portal, walk-in, social"
        put(dialog, channels="email, fax")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.query_one("#f-channels", Input).has_class("-invalid")
        assert "unknown channel 'fax'" in str(dialog.query_one("#dialog-error").render())
        assert desk.tier("basic").channels == ("email", "portal", "walk-in", "social")
        put(dialog, channels="email, chat")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
    assert desk.tier("basic").channels == ("email", "chat")
    verdict = desk.entitlement_for(1, "chat")
    assert verdict.allowed


async def test_an_admin_adds_a_holiday(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, "calendars")
        calendars = screen.query_one("#admin-calendars", DataTable)
        cursor_to(calendars, "office")
        calendars.focus()
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        dialog = dialog_of(app)
        put(dialog, holiday="2026-12-25")  # already one
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "already a holiday of office" in str(dialog.query_one("#dialog-error").render())
        put(dialog, holiday="2026-12-24")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
        assert "2026-12-24" in screen_text(app)
    assert date(2026, 12, 24) in desk.calendar("office").holidays


async def test_an_admin_edits_weekly_hours_and_a_plan(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot, "calendars")
        calendars = screen.query_one("#admin-calendars", DataTable)
        cursor_to(calendars, "office")
        calendars.focus()
        await pilot.press("e")
        await settle(pilot)
        dialog = dialog_of(app)
        assert dialog.query_one("#f-friday", Input).value == "08:00-18:00"
        put(dialog, friday="08:00-13:00, 12:00-15:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.query_one("#f-friday", Input).has_class("-invalid")
        assert "overlap" in str(dialog.query_one("#dialog-error").render())
        put(dialog, friday="08:00-14:00", saturday="10:00-12:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "mon-thu 08:00-18:00; fri 08:00-14:00; sat 10:00-12:00" in screen_text(app)

        await pilot.press("left_square_bracket")  # SLA plans
        await settle(pilot)
        plans = screen.query_one("#admin-plans", DataTable)
        cursor_to(plans, "basic-high")
        plans.focus()
        await pilot.press("e")
        await settle(pilot)
        dialog = dialog_of(app)
        put(dialog, first_response="soon")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.query_one("#f-first_response", Input).has_class("-invalid")
        put(dialog, first_response="3h", pause_statuses="waiting_customer")
        await pilot.press("ctrl+s")
        await settle(pilot)
    plan = desk.sla_plan("basic-high")
    assert (plan.first_response_minutes, plan.pause_statuses) == (180, ("waiting_customer",))
    assert desk.calendar("office").weekly[5] and len(desk.calendar("office").weekly[4]) == 1


async def test_an_admin_adds_an_asset_to_a_customer(desk: Desk) -> None:
    app = HelpdeskApp(desk, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(pilot, "assets")
        await pilot.press("a")
        await settle(pilot)
        dialog = dialog_of(app)
        put(dialog, customer="Nobody Here", product="macbook_pro", serial="C02X1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.query_one("#f-customer", Input).has_class("-invalid")
        put(dialog, customer="Marta Jones", warranty_end="2025-01-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "Marta Jones" in text and "C02X1" in text and "expired" in text
    (asset,) = desk.assets(1)
    assert (asset.product_key, asset.serial) == ("macbook_pro", "C02X1")


async def test_an_agent_is_refused_with_the_rule(desk: Desk) -> None:
    alice = as_user(desk, "alice")
    app = HelpdeskApp(alice, poll_seconds=60)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("7")
            await settle(pilot)
            assert isinstance(app.screen, AdminScreen)
            text = screen_text(app)
            assert "only admins may administer the service model; alice is an agent" in text
            assert not app.screen.query_one(TabbedContent).display
            for key in ("e", "a", "right_square_bracket", "h"):
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, AdminScreen)  # no dialog opens
    finally:
        alice.close()
