"""The pure rules of the service model, and the starter files they judge with.

Expectations are written by hand from the seed (000): basic customers file
fewer case types (general, account, e-mail, printer) by e-mail, portal,
walk-in or social media and are pointed to self-service and the knowledge
base; premium files every case type and gets live chat; concierge also gets
phone support.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpdesk_tui.desk import InvalidInput
from helpdesk_tui.desk.entitlements import (
    Verdict,
    day,
    entitlement,
    product_key,
    support_status,
    support_warning,
    warranty_state,
    warranty_text,
)
from helpdesk_tui.desk.starter import (
    load_catalogue,
    load_categories,
    load_departments,
    load_tiers,
)
from helpdesk_tui.store.catalogue import Tier
from helpdesk_tui.vocab import CHANNELS

CATEGORIES = ("computer", "phone", "network", "email", "printer", "account", "general")
#: The seed, by hand: who may use which channel and file which category.
SEED_CHANNELS = {
    "basic": {"email", "portal", "walk-in", "social"},
    "premium": {"email", "portal", "walk-in", "social", "chat"},
    "concierge": set(CHANNELS),
}
SEED_CATEGORIES = {
    "basic": {"general", "account", "email", "printer"},
    "premium": set(CATEGORIES),
    "concierge": set(CATEGORIES),
}
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def tiers() -> dict[str, Tier]:
    return {t.name: t for t in load_tiers(categories=set(CATEGORIES))}


# -- entitlement, tier x channel x category -----------------------------------------------------


def test_the_starter_tiers_are_the_seeds_three() -> None:
    assert [t.name for t in load_tiers()] == ["basic", "premium", "concierge"]


@pytest.mark.parametrize("tier", ["basic", "premium", "concierge"])
@pytest.mark.parametrize("channel", CHANNELS)
def test_channel_alone_is_judged_before_a_category_is_chosen(
    tiers: dict[str, Tier], tier: str, channel: str
) -> None:
    verdict = entitlement(tiers[tier], channel, None)
    assert verdict.allowed is (channel in SEED_CHANNELS[tier])
    assert verdict.tier == tier
    assert len(verdict.reasons) == (0 if verdict.allowed else 1)
    assert bool(verdict.pointer) is not verdict.allowed


@pytest.mark.parametrize("tier", ["basic", "premium", "concierge"])
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("category", CATEGORIES)
def test_every_tier_channel_and_category(
    tiers: dict[str, Tier], tier: str, channel: str, category: str
) -> None:
    verdict = entitlement(tiers[tier], channel, category)
    channel_ok = channel in SEED_CHANNELS[tier]
    category_ok = category in SEED_CATEGORIES[tier]
    assert verdict.allowed is (channel_ok and category_ok)
    # One reason per violated rule.
    assert len(verdict.reasons) == (not channel_ok) + (not category_ok)


def test_basic_customer_calling_by_phone_gets_the_self_service_pointer(
    tiers: dict[str, Tier],
) -> None:
    verdict = entitlement(tiers["basic"], "phone", "account")
    assert verdict.allowed is False
    assert verdict.reasons == (
        "the basic tier does not include phone support "
        "(it includes: e-mail, self-service portal, walk-in, social media)",
    )
    assert "https://help.example.org" in verdict.pointer
    assert "knowledge base" in verdict.pointer
    assert verdict.summary.startswith("not entitled: the basic tier does not include phone")


def test_basic_customer_emailing_about_the_network_is_not_entitled(
    tiers: dict[str, Tier],
) -> None:
    verdict = entitlement(tiers["basic"], "email", "network", category_names={"network": "Network"})
    assert verdict.allowed is False
    assert len(verdict.reasons) == 1
    assert "does not cover Network cases" in verdict.reasons[0]
    assert verdict.pointer == tiers["basic"].self_service


def test_basic_phone_about_network_breaks_both_rules(tiers: dict[str, Tier]) -> None:
    verdict = entitlement(tiers["basic"], "phone", "network")
    assert [r.split(" (")[0] for r in verdict.reasons] == [
        "the basic tier does not include phone support",
        "the basic tier does not cover network cases",
    ]


def test_premium_chat_allowed_but_not_phone(tiers: dict[str, Tier]) -> None:
    assert entitlement(tiers["premium"], "chat", "network") == Verdict(True, (), "", "premium")
    phone = entitlement(tiers["premium"], "phone", "network")
    assert phone.allowed is False
    assert "concierge" in phone.pointer


def test_concierge_phone_allowed_for_every_category(tiers: dict[str, Tier]) -> None:
    for category in CATEGORIES:
        assert entitlement(tiers["concierge"], "phone", category).allowed


def test_all_covers_a_category_added_later() -> None:
    tier = Tier("gold", channels=("*",), categories=("*",))
    assert entitlement(tier, "phone", "brand_new_category").allowed


def test_an_empty_tier_entitles_to_nothing() -> None:
    verdict = entitlement(Tier("none", self_service="see the portal"), "email", "general")
    assert not verdict.allowed
    assert "(it includes: none)" in verdict.reasons[0]
    assert verdict.pointer == "see the portal"


# -- end of support --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (-400, "ended"),
        (-1, "ended"),  # the last day of support was yesterday
        (0, "ending"),  # today is the last day
        (1, "ending"),
        (90, "ending"),
        (91, "active"),
        (3650, "active"),
    ],
)
def test_support_status_boundaries(offset: int, state: str) -> None:
    assert support_status(TODAY + timedelta(days=offset), TODAY) == (state, offset)


def test_no_end_of_support_is_active_with_no_days_left() -> None:
    assert support_status(None, TODAY) == ("active", None)


def test_support_warnings_read_as_a_sentence() -> None:
    assert (
        support_warning("Windows 10 desktop", date(2025, 10, 14), TODAY)
        == "Support for Windows 10 desktop ended on 2025-10-14"
    )
    assert (
        support_warning("Legacy CRM", date(2027, 1, 15), TODAY)
        == "Support for Legacy CRM ends on 2027-01-15, in 51 days"
    )
    assert support_warning("X", TODAY, TODAY) == f"Support for X ends on {TODAY}, today"
    assert support_warning("X", TODAY + timedelta(days=1), TODAY).endswith("in 1 day")
    assert support_warning("X", TODAY + timedelta(days=91), TODAY) is None
    assert support_warning("X", None, TODAY) is None


# -- warranty --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "state"),
    [
        (None, "unknown"),
        (TODAY - timedelta(days=1), "expired"),
        (TODAY, "valid"),  # the last day covered
        (TODAY + timedelta(days=1), "valid"),
    ],
)
def test_warranty_state(end: date | None, state: str) -> None:
    assert warranty_state(end, TODAY) == state


def test_warranty_text() -> None:
    assert (
        warranty_text("HP LaserJet M507", "CNB1X2", date(2026, 1, 31), TODAY)
        == "Warranty expired for HP LaserJet M507 (CNB1X2) on 2026-01-31"
    )
    assert warranty_text("Phone", "", date(2027, 1, 1), TODAY) == (
        "Warranty valid for Phone until 2027-01-01"
    )
    assert "no warranty end recorded" in warranty_text("Phone", "", None, TODAY)


# -- what users type -------------------------------------------------------------------------


def test_day_parses_iso_dates_only() -> None:
    assert day("2026-11-25", "x") == TODAY
    assert day(TODAY, "x") == TODAY
    assert day(None, "x") is None and day("  ", "x") is None
    for bad in ("2026-13-01", "25/11/2026", "20261125", "2026-W48-3", "soon"):
        with pytest.raises(InvalidInput) as caught:
            day(bad, "end of support", field="end_of_support")
        assert caught.value.field == "end_of_support"
        assert str(caught.value) == f"end of support {bad!r} is not a date: use YYYY-MM-DD"


def test_product_keys() -> None:
    assert product_key(" Win11_Laptop ") == "win11_laptop"
    for bad in ("", "1abc", "has space", "x" * 41, "[red]x"):
        with pytest.raises(InvalidInput) as caught:
            product_key(bad)
        assert caught.value.field == "key"


# -- the starter files -----------------------------------------------------------------------


def test_the_starter_catalogue_loads_against_the_starter_categories() -> None:
    departments = {d.name for d in load_departments()}
    categories = {c.key: c.department for c in load_categories(departments=departments)}
    products = {p.key: p for p in load_catalogue(None, categories, departments)}
    assert len(products) >= 12
    assert products["win10_desktop"].end_of_support == date(2025, 10, 14)
    assert products["legacy_crm"].end_of_support == date(2027, 1, 15)
    assert products["win11_laptop"].end_of_support is None
    for p in products.values():
        assert p.category in categories and p.department in departments
        assert (
            p.support_start is None
            or p.end_of_support is None
            or (p.support_start <= p.end_of_support)
        )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BASIC = "  - {name: basic, channels: [email], categories: [general]}\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("tiers: []\n", "expected a 'tiers:' list"),
        ("tiers:\n  - just text\n", "tier 1: expected a mapping"),
        ("tiers:\n  - {name: Gold, channels: [email]}\n", "tier 1: 'name' must be lower_snake"),
        (
            f"tiers:\n{BASIC}  - {{name: gold, channels: [email, fax], categories: all}}\n",
            "tier 2 (gold): 'channels': unknown channel 'fax'",
        ),
        (
            f"tiers:\n{BASIC}  - {{name: gold, channels: [], categories: all}}\n",
            "tier 2 (gold): 'channels' needs at least one channel",
        ),
        (
            f"tiers:\n{BASIC}  - {{name: gold, channels: all, categories: [general, hardware]}}\n",
            "tier 2 (gold): 'categories': unknown category 'hardware'",
        ),
        (
            f"tiers:\n{BASIC}  - {{name: gold, channels: phone, categories: all}}\n",
            "tier 2 (gold): 'channels' must be a list of channel names or 'all'",
        ),
        (f"tiers:\n{BASIC}{BASIC}", "tier 2: duplicate name 'basic'"),
        (
            "tiers:\n  - {name: gold, channels: all, categories: all}\n",
            "the 'basic' tier is required",
        ),
        (
            f"tiers:\n{BASIC}  - {{name: gold, channels: all, categories: all, "
            "self_service: 42}\n",
            "tier 2 (gold): 'self_service' must be text",
        ),
        ("tiers: [unclosed\n", "cannot read it as YAML"),
    ],
)
def test_bad_tier_files_name_the_file_entry_and_field(
    tmp_path: Path, body: str, message: str
) -> None:
    path = _write(tmp_path, "tiers.yaml", body)
    with pytest.raises(InvalidInput) as caught:
        load_tiers(path, categories=set(CATEGORIES))
    text = str(caught.value)
    assert re.match(rf"{re.escape(str(path))}:\d+: ", text), "file:line: first"
    assert message in text
    assert "\n" not in text


GOOD = "  - {key: laptop, name: Laptop, category: computer}\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("products: {}\n", "expected a 'products:' list"),
        ("products:\n  - [1, 2]\n", "product 1: expected a mapping"),
        ("products:\n  - {key: Bad Key, name: X, category: computer}\n", "product 1: 'key':"),
        (f"products:\n{GOOD}{GOOD}", "product 2: duplicate key 'laptop'"),
        ("products:\n  - {key: x, category: computer}\n", "product 1 (x): 'name' is required"),
        (
            "products:\n  - {key: x, name: X, category: hardware}\n",
            "product 1 (x): 'category': unknown category 'hardware'",
        ),
        (
            "products:\n  - {key: x, name: X, category: computer, department: Nowhere}\n",
            "product 1 (x): 'department': unknown department 'Nowhere'",
        ),
        (
            "products:\n  - {key: x, name: X, category: computer, support_start: 2025-13-01}\n",
            "product 1 (x): 'support_start' '2025-13-01' is not a date: use YYYY-MM-DD",
        ),
        (
            f"products:\n{GOOD}  - {{key: x, name: X, category: computer, "
            "end_of_support: next year}\n",
            "product 2 (x): 'end_of_support' 'next year' is not a date",
        ),
        (
            "products:\n  - {key: x, name: X, category: computer, support_start: 2025-01-01, "
            "end_of_support: 2024-12-31}\n",
            "product 1 (x): 'end_of_support' 2024-12-31 is before 'support_start' 2025-01-01",
        ),
    ],
)
def test_bad_catalogue_files_name_the_file_entry_and_field(
    tmp_path: Path, body: str, message: str
) -> None:
    path = _write(tmp_path, "catalogue.yaml", body)
    with pytest.raises(InvalidInput) as caught:
        load_catalogue(path, {c: "Desktop" for c in CATEGORIES}, {"Desktop", "Network"})
    text = str(caught.value)
    assert re.match(rf"{re.escape(str(path))}:\d+: ", text), "file:line: first"
    assert message in text
    assert "\n" not in text


def test_catalogue_department_defaults_to_the_categorys(tmp_path: Path) -> None:
    path = _write(tmp_path, "catalogue.yaml", "products:\n" + GOOD)
    (spec,) = load_catalogue(path, {"computer": "Desktop"}, {"Desktop"})
    assert spec.department == "Desktop"
    assert spec.support_start is None and spec.end_of_support is None
