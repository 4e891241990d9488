"""``helpdesk product``, ``asset``, ``tier``, ``entitlement`` and ``customer set-tier``:
the catalogue and end of support, assets and warranty, tiers and entitlements."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output
from ..output import catalogue as render
from .base import (
    Export,
    ExportOpt,
    Format,
    FormatOpt,
    _desk,
    _emit,
    _say,
    app,
    customer_app,
)

#: ``helpdesk entitlement`` exits with this when the customer is not entitled
#: (0: entitled; 1 and 2 stay the usual errors, printed as one ``error:`` line).
NOT_ENTITLED_EXIT = 3

product_app = typer.Typer(
    help="The catalogue of supported products and services, and end of support.",
    no_args_is_help=True,
)
asset_app = typer.Typer(help="Customers' assets and their warranty.", no_args_is_help=True)
tier_app = typer.Typer(help="Customer tiers and what each entitles to.", no_args_is_help=True)
app.add_typer(product_app, name="product")
app.add_typer(asset_app, name="asset")
app.add_typer(tier_app, name="tier")

DateHelp = "YYYY-MM-DD"


# -- products ----------------------------------------------------------------------------------


@product_app.command("add")
def product_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Short key, e.g. win11_laptop.")],
    name: Annotated[str, typer.Option("--name", help="Name shown to agents.")],
    category: Annotated[str, typer.Option("--category", help="See `helpdesk categories`.")],
    department: Annotated[
        str | None, typer.Option("--department", help="Owner for level 2 (default: category's).")
    ] = None,
    support_start: Annotated[str | None, typer.Option("--support-start", help=DateHelp)] = None,
    end_of_support: Annotated[
        str | None, typer.Option("--end-of-support", help=f"Last day of support, {DateHelp}.")
    ] = None,
) -> None:
    """Add a product or service to the catalogue (admins only)."""
    desk = _desk(ctx)
    product = desk.add_product(key, name, category, department, support_start, end_of_support)
    state, _ = desk.support_status(product)
    _say(f"product {product.key} added ({state})")


@product_app.command("list")
def product_list(
    ctx: typer.Context,
    ending: Annotated[
        bool,
        typer.Option(
            "--ending", help="Only support ending soon, with customers and open tickets (leads)."
        ),
    ] = False,
    days: Annotated[int, typer.Option("--days", min=0, help="With --ending: window.")] = 90,
    fmt: ExportOpt = Export.table,
) -> None:
    """The catalogue with each product's support status: active, ending (90 days) or ended."""
    desk = _desk(ctx)
    if ending:
        notices = render.notice_records(desk.support_ending_soon(days))
        _emit(fmt, notices, render.NOTICE_COLUMNS, lambda: render.notices_table(notices, days))
        return
    records = render.product_records(desk.products(), desk.support_status)
    _emit(fmt, records, render.PRODUCT_COLUMNS, lambda: render.products_table(records))


@product_app.command("end-support")
def product_end_support(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Product key or id.")],
    date: Annotated[str, typer.Option("--date", help=f"Last day of support, {DateHelp}.")],
) -> None:
    """Set the last day of a product's support (admins only)."""
    desk = _desk(ctx)
    product = desk.end_support(key, date)
    state, _ = desk.support_status(product)
    _say(f"support for {product.name} ends on {product.end_of_support} ({state})")


# -- assets ------------------------------------------------------------------------------------


@asset_app.command("add")
def asset_add(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", help="Customer id or exact name.")],
    product: Annotated[str, typer.Option("--product", help="Product key or id.")],
    serial: Annotated[str, typer.Option("--serial", help="Serial number or asset tag.")] = "",
    purchased: Annotated[str | None, typer.Option("--purchased", help=DateHelp)] = None,
    warranty_end: Annotated[
        str | None, typer.Option("--warranty-end", help=f"Last day covered, {DateHelp}.")
    ] = None,
) -> None:
    """Record an asset a customer owns; prints its id to name on tickets."""
    desk = _desk(ctx)
    owner = desk.resolve_customer(customer)
    asset = desk.add_asset(owner.id, product, serial, purchased, warranty_end)
    _say(f"asset {asset.id} added: warranty {desk.warranty(asset)}")


@asset_app.command("list")
def asset_list(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Customer id or exact name.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most N rows; 0 for all.")] = 100,
    fmt: ExportOpt = Export.table,
) -> None:
    """Assets with their warranty today: valid, expired or unknown."""
    desk = _desk(ctx)
    owner = desk.resolve_customer(customer).id if customer is not None else None
    records = render.asset_records(desk.assets(owner, limit or None), desk.warranty)
    _emit(fmt, records, render.ASSET_COLUMNS, lambda: render.assets_table(records))


# -- tiers and entitlement ---------------------------------------------------------------------


@customer_app.command("set-tier")
def customer_set_tier(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer id or exact name.")],
    tier: Annotated[str, typer.Argument(help="See `helpdesk tier list`.")],
) -> None:
    """Move a customer to another tier (leads and admins)."""
    desk = _desk(ctx)
    changed = desk.set_customer_tier(desk.resolve_customer(customer).id, tier)
    _say(f"customer {changed.id} ({changed.name}) is now {changed.tier}")


@tier_app.command("list")
def tier_list(ctx: typer.Context, fmt: ExportOpt = Export.table) -> None:
    """Each tier's channels and case categories, and the self-service pointer."""
    desk = _desk(ctx)
    tiers = desk.tiers()
    records = render.tier_records(tiers, [c.key for c in desk.categories()])
    _emit(fmt, records, render.TIER_COLUMNS, lambda: render.tiers_table(tiers))


@app.command("entitlement")
def entitlement(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer id or exact name.")],
    channel: Annotated[
        str, typer.Option("--channel", help="phone, email, walk-in, chat, portal or social.")
    ],
    category: Annotated[
        str | None, typer.Option("--category", help="Case category (default: channel only).")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Is the customer's tier entitled to this channel (and category)?

    Exit status 0 when entitled, 3 when not (the reasons and the self-service
    pointer to give are printed); 1 or 2 with one ``error:`` line on bad input.
    """
    desk = _desk(ctx)
    who = desk.resolve_customer(customer)
    verdict = desk.entitlement_for(who.id, channel, category)
    if fmt == "json":
        typer.echo(output.to_json({"customer_id": who.id, **output.plain(verdict)}))
    else:
        for line in render.verdict_lines(verdict, f"customer {who.id} ({who.name})"):
            _say(line)
    if not verdict.allowed:
        raise typer.Exit(NOT_ENTITLED_EXIT)
