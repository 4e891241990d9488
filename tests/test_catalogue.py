"""Tiers, the catalogue, assets and warranty through the desk, with the frozen clock.

The clock stands at Wednesday 2026-11-25 09:00 UTC (tests/conftest.py), so
the starter catalogue reads: Windows 10 desktop ended (2025-10-14), Legacy
CRM ending (2027-01-15, 51 days), Avaya 9611G ending (2027-02-10, 77 days),
SAP payroll active (2027-12-31).
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import (
    Customer,
    Desk,
    DeskError,
    Forbidden,
    InvalidInput,
    NotFound,
    TicketDraft,
)
from helpdesk_tui.desk.catalogue import IntakeNotes
from helpdesk_tui.desk.entitlements import Verdict

TABLES = ("tiers", "products", "assets", "customers", "contacts", "tickets", "events")
TODAY = T0.date()


def counts(path: Path | str) -> dict[str, int]:
    conn = sqlite3.connect(str(path))
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def tiers_and_products(path: Path | str) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return (
            conn.execute("SELECT * FROM tiers ORDER BY name").fetchall()
            + conn.execute("SELECT * FROM products ORDER BY key").fetchall()
        )
    finally:
        conn.close()


@pytest.fixture
def marta(desk: Desk) -> Customer:
    """Marta on the basic tier: these tests judge its entitlements."""
    return desk.set_customer_tier(desk.resolve_customer("Marta Jones").id, "basic")


@pytest.fixture
def other(desk: Desk) -> Customer:
    return desk.add_customer("Omar Other", tier="premium")


def refused(
    desk: Desk, call, *, field: str | None, says: str = "", kind: type = DeskError
) -> DeskError:
    """The contract for bad input: a one-line message naming the field, nothing written."""
    before = counts(desk.store.path)
    with pytest.raises(kind) as caught:
        call()
    error = caught.value
    assert "\n" not in str(error)
    assert says in str(error), str(error)
    assert error.field == field
    assert counts(desk.store.path) == before
    return error


# -- init ----------------------------------------------------------------------------------


def test_init_loads_tiers_and_the_catalogue_idempotently(desk: Desk) -> None:
    before = counts(desk.store.path)
    snapshot = tiers_and_products(desk.store.path)
    assert before["tiers"] == 3 and before["products"] >= 12
    report = desk.init()
    assert (report.tiers, report.products_added) == (3, 0)
    desk.init()
    assert counts(desk.store.path) == before
    assert tiers_and_products(desk.store.path) == snapshot


def test_init_keeps_an_end_of_support_set_later(desk: Desk) -> None:
    desk.end_support("win11_laptop", "2030-06-30")
    desk.init()
    assert desk.product("win11_laptop").end_of_support == date(2030, 6, 30)


def test_init_by_an_agent_is_still_refused(desk: Desk) -> None:
    agent = as_user(desk, "alice")
    refused(desk, agent.init, field=None, says="only admins may load starter data")


# -- tiers and entitlement -------------------------------------------------------------------


def test_tiers_in_order(desk: Desk) -> None:
    assert [t.name for t in desk.tiers()] == ["basic", "premium", "concierge"]
    assert desk.tier("Premium").channels == ("email", "portal", "walk-in", "social", "chat")
    assert desk.tier("concierge").all_channels
    with pytest.raises(NotFound) as caught:
        desk.tier("gold")
    assert caught.value.field == "tier"
    assert "basic, premium, concierge" in str(caught.value)


def test_entitlement_for_the_customers_tier(desk: Desk, marta: Customer) -> None:
    assert marta.tier == "basic"
    phone = desk.entitlement_for(marta.id, "phone")
    assert not phone.allowed and "phone support" in phone.reasons[0]
    assert desk.entitlement_for(marta.id, "email") == Verdict(True, (), "", "basic")
    network = desk.entitlement_for(marta.id, "email", "network")
    assert not network.allowed
    # Category names as the desk knows them, not bare keys.
    assert "does not cover Network cases" in network.reasons[0]
    assert "General question" in network.reasons[0]
    assert desk.entitlement_for(marta.id, " EMAIL ", "Printer").allowed


def test_entitlement_follows_a_tier_change(desk: Desk, marta: Customer) -> None:
    lead = as_user(desk, "lee")
    assert lead.set_customer_tier(marta.id, "premium").tier == "premium"
    assert desk.entitlement_for(marta.id, "chat", "network").allowed
    assert not desk.entitlement_for(marta.id, "phone", "network").allowed
    desk.set_customer_tier(marta.id, "concierge")
    assert desk.entitlement_for(marta.id, "phone", "network").allowed
    assert desk.customer(marta.id).tier == "concierge"


def test_entitlement_bad_input(desk: Desk, marta: Customer) -> None:
    refused(desk, lambda: desk.entitlement_for(marta.id, "fax"), field="channel", says="fax")
    refused(desk, lambda: desk.entitlement_for(marta.id, "email", "hardware"), field="category")
    refused(desk, lambda: desk.entitlement_for(999, "email"), field="customer")


def test_set_tier_is_for_leads_and_admins_and_known_tiers(desk: Desk, marta: Customer) -> None:
    agent = as_user(desk, "alice")
    refused(
        desk,
        lambda: agent.set_customer_tier(marta.id, "premium"),
        field=None,
        says="only admins or leads may change a customer's tier",
        kind=Forbidden,
    )
    refused(desk, lambda: desk.set_customer_tier(marta.id, "gold"), field="tier", says="gold")
    refused(desk, lambda: desk.set_customer_tier(999, "premium"), field="customer")
    assert desk.customer(marta.id).tier == "basic"


def test_a_customer_on_an_undefined_tier_is_told_how_to_mend_it(desk: Desk) -> None:
    desk.store.catalogue.set_customer_tier(1, "legacy")
    with pytest.raises(NotFound) as caught:
        desk.entitlement_for(1, "email")
    assert "tier 'legacy' is not defined" in str(caught.value)
    assert "set-tier" in str(caught.value)


# -- the catalogue ---------------------------------------------------------------------------


def test_starter_products_and_their_support_status(desk: Desk) -> None:
    status = {p.key: desk.support_status(p) for p in desk.products()}
    assert status["win10_desktop"] == ("ended", (date(2025, 10, 14) - TODAY).days)
    assert status["legacy_crm"] == ("ending", 51)
    assert status["avaya_9611g"] == ("ending", 77)
    assert status["sap_payroll"].state == "active"
    assert status["win11_laptop"] == ("active", None)


@pytest.mark.parametrize(
    ("offset", "state"), [(-1, "ended"), (0, "ending"), (90, "ending"), (91, "active")]
)
def test_support_status_boundaries_with_the_desks_clock(
    desk: Desk, offset: int, state: str
) -> None:
    end = TODAY + timedelta(days=offset)
    product = desk.add_product("edge", "Edge case", "general", end_of_support=end)
    assert desk.support_status(product) == (state, offset)


def test_support_status_moves_with_the_clock(desk: Desk, clock: FrozenClock) -> None:
    crm = desk.product("legacy_crm")
    clock.set(T0 + timedelta(days=51))
    assert desk.support_status(crm) == ("ending", 0)
    clock.advance(days=1)
    assert desk.support_status(crm) == ("ended", -1)
    assert desk.support_status(crm, date(2026, 1, 1)).state == "active"


def test_add_product_and_find_it_by_key_or_id(desk: Desk) -> None:
    product = desk.add_product(
        "Dell_U2723", "Dell U2723QE monitor", "computer", support_start="2023-01-01"
    )
    assert product.key == "dell_u2723"
    assert product.department == "Desktop"  # the category's
    assert product.support_start == date(2023, 1, 1) and product.end_of_support is None
    assert desk.product(product.id) == product
    assert desk.product(f"#{product.id}") == product
    assert desk.product(str(product.id)) == product
    assert desk.product("DELL_U2723") == product
    named = desk.add_product("wifi6", "Wi-Fi 6 AP", "network", department="Facilities")
    assert named.department == "Facilities"


def test_literal_markup_in_product_names_is_stored_as_typed(desk: Desk) -> None:
    name = "[bold]Fancy[/bold] [@click=app.quit]x [0]"
    assert desk.add_product("fancy", name, "general").name == name


@pytest.mark.parametrize(
    ("kwargs", "field", "says"),
    [
        ({"key": "bad key"}, "key", "is not valid"),
        ({"key": "win10_desktop"}, "key", "product 'win10_desktop' already exists"),
        ({"name": "  "}, "name", "product name is required"),
        ({"name": "x" * 201}, "name", "the limit is 200"),
        ({"category": "hardware"}, "category", "unknown category 'hardware'"),
        ({"department": "Nowhere"}, "department", "unknown department 'Nowhere'"),
        ({"support_start": "2026-02-30"}, "support_start", "is not a date: use YYYY-MM-DD"),
        ({"end_of_support": "31/12/2027"}, "end_of_support", "is not a date"),
        (
            {"support_start": "2026-01-01", "end_of_support": "2025-12-31"},
            "end_of_support",
            "end of support 2025-12-31 is before the support start 2026-01-01",
        ),
    ],
)
def test_add_product_bad_input(desk: Desk, kwargs: dict, field: str, says: str) -> None:
    args = {"key": "new_thing", "name": "New thing", "category": "general", **kwargs}
    refused(desk, lambda: desk.add_product(**args), field=field, says=says)


def test_catalogue_edits_are_for_admins(desk: Desk) -> None:
    for login in ("alice", "lee"):
        other_desk = as_user(desk, login)
        refused(
            desk,
            lambda d=other_desk: d.add_product("x", "X", "general"),
            field=None,
            says="only admins may change the product catalogue",
            kind=Forbidden,
        )
        refused(
            desk,
            lambda d=other_desk: d.end_support("win11_laptop", "2030-01-01"),
            field=None,
            kind=Forbidden,
        )
    assert desk.product("win11_laptop").end_of_support is None


def test_end_support(desk: Desk) -> None:
    ended = desk.end_support("win11_laptop", "2027-01-31")
    assert ended.end_of_support == date(2027, 1, 31)
    assert desk.support_status(ended) == ("ending", 67)
    # A past date records a support that already ended.
    assert desk.support_status(desk.end_support(ended.id, date(2026, 1, 1))).state == "ended"


def test_end_support_bad_input(desk: Desk) -> None:
    refused(desk, lambda: desk.end_support("nope", "2030-01-01"), field="product", says="nope")
    refused(desk, lambda: desk.end_support("win11_laptop", ""), field="end_of_support")
    refused(desk, lambda: desk.end_support("win11_laptop", "tomorrow"), field="end_of_support")
    refused(
        desk,
        lambda: desk.end_support("win11_laptop", "2020-01-01"),
        field="end_of_support",
        says="before the support start 2021-10-05",
    )


def test_support_ending_soon_counts_customers_and_open_tickets(
    desk: Desk, marta: Customer, other: Customer
) -> None:
    desk.add_asset(marta.id, "legacy_crm", "CRM-1")
    desk.add_asset(marta.id, "legacy_crm", "CRM-2")
    desk.add_asset(other.id, "legacy_crm", "CRM-3")
    draft = TicketDraft(
        "CRM slow", "account", {"username": "m", "system": "CRM"}, product="legacy_crm"
    )
    open_one = desk.open_ticket(marta.id, draft)
    done = desk.open_ticket(other.id, draft)
    desk.resolve(done.id, "Cleared the cache")
    assert open_one.product_id == desk.product("legacy_crm").id
    notices = as_user(desk, "lee").support_ending_soon()
    assert [(n.product.key, n.days_left, n.customers, n.open_tickets) for n in notices] == [
        ("legacy_crm", 51, 2, 1),
        ("avaya_9611g", 77, 0, 0),
    ]
    assert notices[0].notice.startswith("Support for Legacy CRM ends on 2027-01-15.")
    assert [n.product.key for n in desk.support_ending_soon(60)] == ["legacy_crm"]
    assert desk.support_ending_soon(0) == []


def test_support_ending_soon_is_for_leads(desk: Desk) -> None:
    with pytest.raises(Forbidden):
        as_user(desk, "alice").support_ending_soon()
    with pytest.raises(InvalidInput):
        desk.support_ending_soon(-1)


# -- assets and warranty ---------------------------------------------------------------------


def test_assets_and_their_warranty(desk: Desk, marta: Customer, other: Customer) -> None:
    valid = desk.add_asset(marta.id, "win11_laptop", "LT-0423", "2025-06-01", "2028-05-31")
    expired = desk.add_asset(marta.id, "hp_laserjet_m507", "CNB1X2", "2022-01-10", "2025-01-09")
    unknown = desk.add_asset(marta.id, "cisco_8845")
    today_last = desk.add_asset(other.id, "cisco_8845", "FCH1", warranty_end=TODAY)
    assert [desk.warranty(a) for a in (valid, expired, unknown, today_last)] == [
        "valid",
        "expired",
        "unknown",
        "valid",
    ]
    assert valid.customer_name == "Marta Jones"
    assert (valid.product_key, valid.product_name) == ("win11_laptop", "Windows 11 laptop")
    assert valid.purchase_date == date(2025, 6, 1)
    assert [a.id for a in desk.assets(marta.id)] == [valid.id, expired.id, unknown.id]
    assert len(desk.assets()) == 4
    assert desk.warranty(today_last, TODAY + timedelta(days=1)) == "expired"


def test_the_same_serial_for_another_product_is_fine(desk: Desk, marta: Customer) -> None:
    desk.add_asset(marta.id, "win11_laptop", "SN-1")
    desk.add_asset(marta.id, "macbook_pro", "SN-1")
    desk.add_asset(marta.id, "win11_laptop")  # no serial: never a duplicate
    desk.add_asset(marta.id, "win11_laptop")


@pytest.mark.parametrize(
    ("kwargs", "field", "says"),
    [
        ({"customer_id": 999}, "customer", "no customer with id 999"),
        ({"product": "toaster"}, "product", "unknown product 'toaster'"),
        ({"serial": "DUP-1"}, "serial", "a Windows 11 laptop with serial 'DUP-1' is already"),
        ({"serial": "x" * 201}, "serial", "the limit is 200"),
        ({"purchase_date": "yesterday"}, "purchase_date", "is not a date"),
        ({"warranty_end": "2027-02-29"}, "warranty_end", "is not a date"),
        ({"purchase_date": "2026-11-26"}, "purchase_date", "is in the future"),
        (
            {"purchase_date": "2026-01-10", "warranty_end": "2026-01-09"},
            "warranty_end",
            "warranty end 2026-01-09 is before the purchase date 2026-01-10",
        ),
    ],
)
def test_add_asset_bad_input(
    desk: Desk, marta: Customer, kwargs: dict, field: str, says: str
) -> None:
    desk.add_asset(marta.id, "win11_laptop", "DUP-1")
    args = {"customer_id": marta.id, "product": "win11_laptop", "serial": "NEW-1", **kwargs}
    refused(desk, lambda: desk.add_asset(**args), field=field, says=says)


def test_assets_of_an_unknown_customer(desk: Desk) -> None:
    with pytest.raises(NotFound):
        desk.assets(999)
    with pytest.raises(NotFound):
        desk.asset(999)


# -- at intake: the ticket records product, asset and warranty ----------------------------------


def test_log_contact_records_product_asset_and_warranty(desk: Desk, marta: Customer) -> None:
    laptop = desk.add_asset(marta.id, "win10_desktop", "PC-77", "2020-01-02", "2023-01-01")
    result = desk.log_contact(
        channel="email",
        customer_id=marta.id,
        summary="Desktop will not boot",
        outcome="ticket",
        ticket=TicketDraft(
            "Desktop will not boot", "general", asset_id=laptop.id, business_critical=True
        ),
    )
    ticket = result.ticket
    assert ticket is not None
    product = desk.product("win10_desktop")
    assert (ticket.product_id, ticket.asset_id, ticket.warranty) == (
        product.id,
        laptop.id,
        "expired",
    )
    assert ticket.business_critical is True
    created = desk.store.events.for_ticket(ticket.id)[0]
    assert created.kind == "created"
    assert created.changes["product_id"] == [None, product.id]
    assert created.changes["asset_id"] == [None, laptop.id]
    assert created.changes["warranty"] == [None, "expired"]
    assert created.changes["business_critical"] == [None, 1]


def test_a_product_without_an_asset(desk: Desk, marta: Customer) -> None:
    ticket = desk.open_ticket(
        marta.id, TicketDraft("VPN drops", "general", product="globalprotect_vpn")
    )
    assert ticket.product_id == desk.product("globalprotect_vpn").id
    assert (ticket.asset_id, ticket.warranty, ticket.business_critical) == (None, None, False)
    changes = desk.store.events.for_ticket(ticket.id)[0].changes
    assert changes["product_id"] == [None, ticket.product_id]
    assert "asset_id" not in changes and "warranty" not in changes
    assert "business_critical" not in changes


def test_no_product_no_service_columns(desk: Desk, marta: Customer) -> None:
    ticket = desk.open_ticket(marta.id, TicketDraft("Question", "general"))
    assert (ticket.product_id, ticket.asset_id, ticket.warranty) == (None, None, None)
    assert desk._prepare_service(TicketDraft("Q", "general", product=""), marta.id) == {}


def test_the_warranty_verdict_is_the_one_seen_at_intake(
    desk: Desk, marta: Customer, clock: FrozenClock
) -> None:
    asset = desk.add_asset(marta.id, "win11_laptop", "LT-1", warranty_end=TODAY)
    ticket = desk.open_ticket(marta.id, TicketDraft("Fan noise", "general", asset_id=asset.id))
    assert ticket.warranty == "valid"
    clock.advance(days=1)
    assert desk.ticket(ticket.id).warranty == "valid"  # recorded, not recomputed
    assert desk.warranty(asset) == "expired"


def test_an_asset_of_another_customer_is_refused(
    desk: Desk, marta: Customer, other: Customer
) -> None:
    theirs = desk.add_asset(other.id, "win11_laptop", "THEIRS")
    draft = TicketDraft("Broken", "general", asset_id=theirs.id)
    refused(
        desk,
        lambda: desk.log_contact(
            channel="email", customer_id=marta.id, summary="x", outcome="ticket", ticket=draft
        ),
        field="asset_id",
        says=f"asset {theirs.id} belongs to another customer",
    )


def test_an_asset_that_is_not_the_named_product_is_refused(desk: Desk, marta: Customer) -> None:
    mine = desk.add_asset(marta.id, "win11_laptop", "MINE")
    draft = TicketDraft("Broken", "general", product="macbook_pro", asset_id=mine.id)
    refused(
        desk,
        lambda: desk.open_ticket(marta.id, draft),
        field="product",
        says="is a Windows 11 laptop, not a MacBook Pro",
    )
    same = TicketDraft("Broken", "general", product="win11_laptop", asset_id=mine.id)
    assert desk.open_ticket(marta.id, same).asset_id == mine.id


def test_unknown_product_or_asset_on_a_draft(desk: Desk, marta: Customer) -> None:
    for draft, field in (
        (TicketDraft("x", "general", product="toaster"), "product"),
        (TicketDraft("x", "general", asset_id=999), "asset_id"),
    ):
        refused(
            desk,
            lambda d=draft: desk.log_contact(
                channel="email", customer_id=marta.id, summary="x", outcome="ticket", ticket=d
            ),
            field=field,
        )


def test_intake_notes(desk: Desk, marta: Customer) -> None:
    pc = desk.add_asset(marta.id, "win10_desktop", "PC-1", warranty_end="2024-01-01")
    crm = desk.add_asset(marta.id, "legacy_crm")
    notes = desk.intake_notes(marta.id, "phone", "computer", asset_id=pc.id)
    assert isinstance(notes, IntakeNotes)
    assert notes.tier == "basic"
    assert not notes.entitlement.allowed and len(notes.entitlement.reasons) == 2
    assert notes.product == desk.product("win10_desktop")
    assert notes.support_warning == "Support for Windows 10 desktop ended on 2025-10-14"
    assert notes.support == ("ended", (date(2025, 10, 14) - TODAY).days)
    assert (notes.warranty, notes.warranty_text) == (
        "expired",
        "Warranty expired for Windows 10 desktop (PC-1) on 2024-01-01",
    )
    assert [a.id for a in notes.assets] == [pc.id, crm.id]

    ending = desk.intake_notes(marta.id, "email", product="legacy_crm", asset_id=crm.id)
    assert ending.entitlement.allowed
    assert ending.support_warning == "Support for Legacy CRM ends on 2027-01-15, in 51 days"
    assert ending.warranty == "unknown"

    quiet = desk.intake_notes(marta.id, "email", product="win11_laptop")
    assert (quiet.support_warning, quiet.asset, quiet.warranty, quiet.warranty_text) == (
        None,
        None,
        None,
        None,
    )
    bare = desk.intake_notes(marta.id, "portal")
    assert (bare.product, bare.support, bare.entitlement.allowed) == (None, None, True)


def test_intake_notes_refuse_another_customers_asset(
    desk: Desk, marta: Customer, other: Customer
) -> None:
    theirs = desk.add_asset(other.id, "win11_laptop")
    with pytest.raises(InvalidInput) as caught:
        desk.intake_notes(marta.id, "email", asset_id=theirs.id)
    assert caught.value.field == "asset_id"


def test_entitlement_check_for_intake(desk: Desk, marta: Customer) -> None:
    """The hook the lead wires into log_contact: not entitled needs a reason to open a ticket."""
    assert desk._entitlement_check(marta.id, "email", "account", None, opens_ticket=True) == {
        "entitled": 1,
        "override_reason": None,
    }
    assert desk._entitlement_check(marta.id, "phone", None, None, opens_ticket=False) == {
        "entitled": 0,
        "override_reason": None,
    }
    with pytest.raises(InvalidInput) as caught:
        desk._entitlement_check(marta.id, "email", "network", "  ", opens_ticket=True)
    assert caught.value.field == "override_reason"
    assert "does not cover Network cases" in str(caught.value)
    assert "https://help.example.org" in str(caught.value)
    assert desk._entitlement_check(
        marta.id, "email", "network", "outage affects payroll", opens_ticket=True
    ) == {"entitled": 0, "override_reason": "outage affects payroll"}
