"""The Admin section's dialogs: one :class:`FormDialog` per edit, saved through the facade.

Each builder takes what the form starts from (the selected tier, product, plan or
calendar, and the view for the choices) and returns a dialog whose save calls one
desk method in a thread worker; a refusal keeps the dialog open and marks the field
the desk named (the field keys are the desk's field names).
"""

from __future__ import annotations

from typing import Any

from ..desk import Desk
from ..desk.config_docs import duration
from ..desk.service_admin import AdminView
from ..desk.sla_data import DAYS, PAUSABLE
from ..store.catalogue import ALL
from ..vocab import CHANNELS, PRIORITIES
from .form_dialog import Field, FormDialog

#: The choice that stands for "none" in a Select (which cannot hold an empty value).
NONE = "-"
CRITICAL = "critical"


def _names(values: tuple[str, ...]) -> str:
    return "all" if ALL in values else ", ".join(values)


def _or_none(value: str) -> str | None:
    return None if value in ("", NONE) else value


def tier_form(desk: Desk, view: AdminView, name: str) -> FormDialog:
    tier = next(t for t in view.tiers if t.name == name)
    keys = ", ".join(c.key for c in view.categories)
    fields = [
        Field(
            "channels",
            "Channels",
            initial=_names(tier.channels),
            placeholder="all, or e.g. email, chat",
        ),
        Field(
            "categories",
            "Case categories",
            initial=_names(tier.categories),
            placeholder=f"all, or some of: {keys}",
        ),
        Field("description", "Description", initial=tier.description),
        Field(
            "self_service",
            "Pointer for a customer who is not entitled",
            "text",
            initial=tier.self_service,
        ),
    ]
    return FormDialog(
        f"Tier {tier.name}: what it entitles to",
        fields,
        lambda v: desk.update_tier(name, **v),
        hint=f"Channels: all, or some of {', '.join(CHANNELS)}. Categories: all, or keys.",
    )


def _product_fields(view: AdminView, product: Any = None) -> list[Field]:
    categories = tuple((c.key, c.name) for c in view.categories)
    departments = ((NONE, "(the category's department)"), *((d, d) for d in view.departments))
    day = "YYYY-MM-DD"
    return [
        Field("name", "Name", initial=product.name if product else ""),
        Field("category", "Category", "choice", categories, product.category if product else ""),
        Field(
            "department",
            "Department (takes its level-2 work)",
            "choice",
            departments,
            (product.department if product and product.department else NONE),
        ),
        Field(
            "support_start",
            "Support start",
            initial=str(product.support_start or "") if product else "",
            placeholder=day,
        ),
        Field(
            "end_of_support",
            "End of support (the last day; empty while open-ended)",
            initial=str(product.end_of_support or "") if product else "",
            placeholder=day,
        ),
    ]


def _product_values(v: dict[str, str]) -> dict[str, Any]:
    return {**v, "department": _or_none(v["department"])}


def new_product_form(desk: Desk, view: AdminView) -> FormDialog:
    fields = [
        Field("key", "Key", placeholder="lower-case letters, digits, _ and -: e.g. win11_laptop"),
        *_product_fields(view),
    ]
    return FormDialog(
        "New product in the catalogue",
        fields,
        lambda v: desk.add_product(**_product_values(v)),
    )


def product_form(desk: Desk, view: AdminView, key: str) -> FormDialog:
    product = next(p for p, _ in view.products if p.key == key)
    return FormDialog(
        f"Product {product.key}",
        _product_fields(view, product),
        lambda v: desk.edit_product(key, **_product_values(v)),
    )


def end_support_form(desk: Desk, view: AdminView, key: str) -> FormDialog:
    product = next(p for p, _ in view.products if p.key == key)
    fields = [
        Field(
            "end_of_support",
            "Last day of support",
            initial=str(product.end_of_support or ""),
            placeholder="YYYY-MM-DD (a past day records support that already ended)",
        )
    ]
    return FormDialog(
        f"End of support for {product.name}",
        fields,
        lambda v: desk.end_support(key, v["end_of_support"]),
        hint="Within 90 days it shows as ending soon; at intake agents are warned.",
    )


def asset_form(desk: Desk, view: AdminView) -> FormDialog:
    products = tuple((p.key, p.name) for p, _ in view.products)
    day = "YYYY-MM-DD"
    fields = [
        Field("customer", "Customer (id or exact name)", placeholder="e.g. 1 or Marta Jones"),
        Field("product", "Product", "choice", products),
        Field("serial", "Serial number"),
        Field("purchase_date", "Purchase date", placeholder=day),
        Field("warranty_end", "Warranty end (the last day covered)", placeholder=day),
    ]

    def save(v: dict[str, str]) -> Any:
        customer = desk.resolve_customer(v["customer"])
        return desk.add_asset(
            customer.id, v["product"], v["serial"], v["purchase_date"], v["warranty_end"]
        )

    return FormDialog("Add an asset to a customer", fields, save)


def plan_form(desk: Desk, view: AdminView, name: str) -> FormDialog:
    plan = next(p for p in view.plans if p.name == name)
    calendars = tuple((c.name, c.name) for c in view.calendars)
    fields = [
        Field("calendar", "Business-hours calendar", "choice", calendars, plan.calendar),
        Field(
            "first_response", "First response target", initial=duration(plan.first_response_minutes)
        ),
        Field(
            "courtesy",
            "Courtesy update every (wall-clock)",
            initial=duration(plan.courtesy_minutes),
        ),
        Field("resolution", "Resolution target", initial=duration(plan.resolution_minutes)),
        Field(
            "pause_statuses",
            "Clocks pause while the ticket is",
            initial=", ".join(plan.pause_statuses),
            placeholder=f"some of {', '.join(PAUSABLE)}; empty: never pause",
        ),
    ]
    return FormDialog(
        f"SLA plan {plan.name}",
        fields,
        lambda v: desk.update_plan(name, **v),
        hint="Targets in business time on the calendar: e.g. 30m, 8h, 1h30m.",
    )


def matrix_form(desk: Desk, view: AdminView, tier: str | None) -> FormDialog:
    tiers = tuple((t.name, t.name) for t in view.tiers)
    plans = tuple((p.name, p.name) for p in view.plans)
    kinds = (("ordinary", "every ticket of the priority"), (CRITICAL, "business-critical ones"))
    fields = [
        Field("tier", "Tier", "choice", tiers, tier or ""),
        Field("priority", "Priority", "choice", tuple((p, p) for p in PRIORITIES), "normal"),
        Field("kind", "Tickets", "choice", kinds, "ordinary"),
        Field(
            "plan",
            "Plan",
            "choice",
            ((NONE, "(none: business-critical uses the ordinary row)"), *plans),
            plans[0][0] if plans else NONE,
        ),
    ]

    def save(v: dict[str, str]) -> Any:
        return desk.set_matrix_plan(
            v["tier"],
            v["priority"],
            _or_none(v["plan"]) or "",
            business_critical=v["kind"] == CRITICAL,
        )

    return FormDialog("Which plan a ticket gets", fields, save)


def calendar_form(desk: Desk, view: AdminView, name: str) -> FormDialog:
    cal = next(c for c in view.calendars if c.name == name)
    fields = [
        Field("timezone", "Time zone (IANA)", initial=cal.timezone, placeholder="Europe/Madrid")
    ]
    if not cal.always_open:
        for n, day in enumerate(DAYS):
            spans = ", ".join(f"{a}-{b}" for a, b in cal.weekly.get(n, ()))
            fields.append(Field(day, day.title(), initial=spans, placeholder="closed"))

    def save(v: dict[str, str]) -> Any:
        return desk.update_calendar(
            name, timezone=v["timezone"], hours={d: v.get(d, "") for d in DAYS}
        )

    hint = "Local hours, e.g. 08:00-12:00, 13:00-17:00; 24:00 ends at midnight; empty: closed."
    if cal.always_open:
        hint = "Open 24/7: only its time zone applies."
    return FormDialog(f"Calendar {cal.name}", fields, save, hint=hint)


def holiday_form(desk: Desk, name: str) -> FormDialog:
    fields = [Field("holiday", "Holiday (a local date with no hours)", placeholder="YYYY-MM-DD")]
    return FormDialog(
        f"Add a holiday to {name}", fields, lambda v: desk.add_holiday(name, v["holiday"])
    )


def remove_holiday_form(desk: Desk, view: AdminView, name: str) -> FormDialog | None:
    cal = next(c for c in view.calendars if c.name == name)
    if not cal.holidays:
        return None
    choices = tuple((h, h) for h in cal.holidays)
    fields = [Field("holiday", "Holiday to remove", "choice", choices)]
    return FormDialog(
        f"Remove a holiday of {name}", fields, lambda v: desk.remove_holiday(name, v["holiday"])
    )
