"""Admin edits of the service model through the facade (what the Admin section calls).

Each edit is refused with the form field named, changes nothing when refused, and
only admins may make it; what it saves is what ``helpdesk config export`` then writes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from conftest import as_user

from helpdesk_tui.desk import Desk, DeskError, Forbidden

EDITS: dict[str, Callable[[Desk], Any]] = {
    "tier": lambda d: d.update_tier("basic", channels="email, chat", categories="all"),
    "plan": lambda d: d.update_plan(
        "basic-low",
        calendar="office",
        first_response="8h",
        courtesy="24h",
        resolution="40h",
        pause_statuses="waiting_customer",
    ),
    "matrix": lambda d: d.set_matrix_plan("basic", "urgent", "basic-high"),
    "hours": lambda d: d.update_calendar(
        "office", timezone="Europe/Madrid", hours={"monday": "09:00-17:00"}
    ),
    "holiday": lambda d: d.add_holiday("office", "2026-12-24"),
    "unholiday": lambda d: d.remove_holiday("office", "2026-12-25"),
    "product": lambda d: d.edit_product("macbook_pro", name="MacBook", category="computer"),
    "view": lambda d: d.admin_view(),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("login", ["alice", "lee"])
def test_only_admins_may_edit(desk: Desk, edit: str, login: str) -> None:
    before = desk.config_texts()
    other = as_user(desk, login)
    try:
        with pytest.raises(Forbidden, match=f"^only admins may .*; {login} is an? "):
            EDITS[edit](other)
    finally:
        other.close()
    assert desk.config_texts() == before
    EDITS[edit](desk)  # and an admin may


BAD: list[tuple[str, Callable[[Desk], Any], str, str]] = [
    (
        "unknown channel",
        lambda d: d.update_tier("basic", channels="email, fax", categories="all"),
        "channels",
        "unknown channel 'fax'",
    ),
    (
        "no channel",
        lambda d: d.update_tier("basic", channels=" ", categories="all"),
        "channels",
        "needs at least one channel",
    ),
    (
        "unknown category",
        lambda d: d.update_tier("basic", channels="all", categories="general, hardware"),
        "categories",
        "unknown category 'hardware'",
    ),
    (
        "unknown tier",
        lambda d: d.update_tier("gold", channels="all", categories="all"),
        "tier",
        "unknown tier",
    ),
    (
        "bad duration",
        lambda d: d.update_plan(
            "basic-low",
            calendar="office",
            first_response="soon",
            courtesy="24h",
            resolution="40h",
            pause_statuses="",
        ),
        "first_response",
        "'soon' is not a duration",
    ),
    (
        "first response longer than resolution",
        lambda d: d.update_plan(
            "basic-low",
            calendar="office",
            first_response="50h",
            courtesy="24h",
            resolution="40h",
            pause_statuses="",
        ),
        "first_response",
        "longer than the resolution target",
    ),
    (
        "pause status",
        lambda d: d.update_plan(
            "basic-low",
            calendar="office",
            first_response="8h",
            courtesy="24h",
            resolution="40h",
            pause_statuses="lunch",
        ),
        "pause_statuses",
        "pause statuses are triage, waiting_customer, waiting_vendor",
    ),
    (
        "unknown calendar",
        lambda d: d.update_plan(
            "basic-low",
            calendar="ofice",
            first_response="8h",
            courtesy="24h",
            resolution="40h",
            pause_statuses="",
        ),
        "calendar",
        "unknown calendar 'ofice'",
    ),
    (
        "unknown plan",
        lambda d: d.set_matrix_plan("basic", "urgent", "fastest"),
        "sla_plan",
        "unknown SLA plan 'fastest'",
    ),
    (
        "no plan for an ordinary cell",
        lambda d: d.set_matrix_plan("basic", "urgent", ""),
        "plan",
        "every priority of a tier needs a plan",
    ),
    (
        "overlapping hours",
        lambda d: d.update_calendar(
            "office",
            timezone="Europe/Madrid",
            hours={"tuesday": "08:00-13:00, 12:00-18:00"},
        ),
        "tuesday",
        "Tuesday intervals 08:00-13:00 and 12:00-18:00 overlap",
    ),
    (
        "not an interval",
        lambda d: d.update_calendar("office", timezone="Europe/Madrid", hours={"monday": "9 to 5"}),
        "monday",
        "'9 to 5' is not an interval",
    ),
    (
        "empty hours",
        lambda d: d.update_calendar("office", timezone="Europe/Madrid", hours={}),
        "hours",
        "empty hours",
    ),
    (
        "unknown time zone",
        lambda d: d.update_calendar(
            "office", timezone="Europe/Madird", hours={"monday": "09:00-17:00"}
        ),
        "timezone",
        "unknown time zone 'Europe/Madird'",
    ),
    (
        "hours on a 24/7 calendar",
        lambda d: d.update_calendar("24x7", timezone="UTC", hours={"monday": "09:00-17:00"}),
        "monday",
        "open 24/7",
    ),
    (
        "holiday not a date",
        lambda d: d.add_holiday("office", "24/12/2026"),
        "holiday",
        "is not a date",
    ),
    (
        "holiday twice",
        lambda d: d.add_holiday("office", "2026-12-25"),
        "holiday",
        "already a holiday",
    ),
    (
        "not a holiday",
        lambda d: d.remove_holiday("office", "2026-12-24"),
        "holiday",
        "is not a holiday",
    ),
    (
        "end before start",
        lambda d: d.edit_product(
            "macbook_pro",
            name="MacBook",
            category="computer",
            support_start="2021-10-26",
            end_of_support="2020-01-01",
        ),
        "end_of_support",
        "is before the support start",
    ),
    (
        "unknown department",
        lambda d: d.edit_product(
            "macbook_pro", name="MacBook", category="computer", department="Kitchen"
        ),
        "department",
        "unknown department 'Kitchen'",
    ),
    (
        "product name",
        lambda d: d.edit_product("macbook_pro", name=" ", category="computer"),
        "name",
        "product name is required",
    ),
]


@pytest.mark.parametrize(("case", "call", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_the_field_and_changes_nothing(
    desk: Desk, case: str, call: Callable[[Desk], Any], field: str, words: str
) -> None:
    before = desk.config_texts()
    with pytest.raises(DeskError) as refused:
        call(desk)
    assert refused.value.field == field, (case, refused.value)
    assert words in str(refused.value)
    assert "\n" not in str(refused.value)
    assert desk.config_texts() == before


def test_edits_are_saved_and_exported(desk: Desk) -> None:
    desk.update_tier(
        "basic", channels="email chat", categories="general", description="Entry level"
    )
    assert desk.tier("basic").channels == ("email", "chat")
    assert desk.tier("basic").categories == ("general",)
    plan = desk.update_plan(
        "basic-low",
        calendar="extended",
        first_response="90",
        courtesy="48h",
        resolution="100h",
        pause_statuses="waiting_customer, triage",
    )
    assert (plan.calendar, plan.first_response_minutes) == ("extended", 90)
    assert plan.pause_statuses == ("waiting_customer", "triage")
    desk.set_matrix_plan("basic", "urgent", "basic-urgent", business_critical=True)
    assert desk.store.sla.plan_for("basic", "urgent", True) == "basic-urgent"
    assert desk.store.sla.has_critical_plans("basic")
    desk.set_matrix_plan("basic", "urgent", "", business_critical=True)
    assert not desk.store.sla.has_critical_plans("basic")
    spec = desk.update_calendar(
        "office",
        timezone="Europe/Madrid",
        hours={d: "08:00-14:00; 15:00-18:00" for d in ("monday", "tuesday", "wednesday")},
    )
    assert spec.weekly == {n: (("08:00", "14:00"), ("15:00", "18:00")) for n in range(3)}
    desk.add_holiday("office", date(2026, 12, 24))
    desk.remove_holiday("office", "2026-12-25")
    holidays = desk.calendar("office").holidays
    assert date(2026, 12, 24) in holidays and date(2026, 12, 25) not in holidays
    product = desk.edit_product(
        "macbook_pro",
        name="MacBook Pro",
        category="computer",
        department="Network",
        support_start="2021-10-26",
        end_of_support="2027-03-01",
    )
    assert (product.department, product.end_of_support) == ("Network", date(2027, 3, 1))

    texts = desk.config_texts()
    assert "description: Entry level" in texts["tiers.yaml"]
    assert "mon-wed: ['08:00-14:00', '15:00-18:00']" in texts["calendars.yaml"]
    assert "first_response: 1h30m" in texts["sla.yaml"]
    assert "end_of_support: 2027-03-01" in texts["catalogue.yaml"]


def test_the_admin_view_has_every_tab(desk: Desk) -> None:
    marta = desk.resolve_customer("Marta Jones")
    desk.add_asset(marta.id, "legacy_crm", "CRM-1", warranty_end="2025-01-01")
    view = desk.admin_view()
    assert [t.name for t in view.tiers] == ["basic", "premium", "concierge"]
    states = {p.key: s.state for p, s in view.products}
    assert (states["win10_desktop"], states["legacy_crm"], states["win11_laptop"]) == (
        "ended",
        "ending",
        "active",
    )
    assert [n.product.key for n in view.ending] == ["legacy_crm", "avaya_9611g"]
    assert view.ending[0].customers == 1
    assert [a.serial for a in view.assets] == ["CRM-1"]
    assert {c.name for c in view.calendars} == {"office", "extended", "24x7"}
    assert len(view.plans) == 12 and len(view.matrix) == 20
    assert view.today == date(2026, 11, 25)
