"""``helpdesk bulletin``: post, list, show, update, link, answer and resolve bulletins."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output
from ..desk import InvalidInput
from ..desk.bulletins import Bulletin
from ..output import bulletins as render
from .base import CustomerOpt, Format, FormatOpt, LimitOpt, _desk, _emit, _say, app

bulletin_app = typer.Typer(
    help="Known problems and end-of-support notices shown on every console.",
    no_args_is_help=True,
)
app.add_typer(bulletin_app, name="bulletin")

IdArg = Annotated[int, typer.Argument(help="Bulletin id.", show_default=False)]
WhenHelp = "ISO 8601, e.g. 2026-11-28T17:00 (local time unless it names a zone)."
TitleOpt = Annotated[str | None, typer.Option("--title", help="One line shown on every console.")]
AnswerOpt = Annotated[
    str | None, typer.Option("--answer", help="What customers should be told (read out).")
]
ProductOpt = Annotated[
    list[str] | None,
    typer.Option("--product", help="Affected catalogue product (key or id); repeat for more."),
]
CategoryOpt = Annotated[
    list[str] | None, typer.Option("--category", help="Affected ticket category; repeatable.")
]
KeywordOpt = Annotated[
    list[str] | None,
    typer.Option("--keyword", help="A word or phrase callers use; repeatable."),
]
SeverityOpt = Annotated[
    str | None, typer.Option("--severity", help="minor, major or critical.", show_default=False)
]
StartOpt = Annotated[str | None, typer.Option("--start", help=f"Default now. {WhenHelp}")]
UntilOpt = Annotated[str | None, typer.Option("--until", help=f"Expected end. {WhenHelp}")]


@bulletin_app.command("post")
def bulletin_post(
    ctx: typer.Context,
    title: TitleOpt = None,
    answer: AnswerOpt = None,
    product: ProductOpt = None,
    category: CategoryOpt = None,
    keyword: KeywordOpt = None,
    severity: SeverityOpt = None,
    start: StartOpt = None,
    until: UntilOpt = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="outage, or end-of-support (one --product; title and answer written for you).",
        ),
    ] = "outage",
) -> None:
    """Post a bulletin (leads and admins); every open console shows it."""
    posted = _desk(ctx).post_bulletin(
        title=title,
        answer=answer,
        kind=kind,
        products=product or (),
        categories=category or (),
        keywords=keyword or (),
        severity=severity,
        starts_at=start,
        expected_end=until,
    )
    _say(render.bulletin_line(posted, "posted"))


@bulletin_app.command("list")
def bulletin_list(
    ctx: typer.Context,
    active: Annotated[bool, typer.Option("--active", help="Only those in force now.")] = False,
    expired: Annotated[
        bool, typer.Option("--expired", help="Only active ones past their expected end.")
    ] = False,
    limit: LimitOpt = 100,
    fmt: FormatOpt = Format.table,
) -> None:
    """Bulletins: active ones first (most severe first), then past ones."""
    desk = _desk(ctx)
    if expired:
        found = desk.expired_bulletins()
    else:
        found = desk.bulletins(active_only=active, limit=limit or None)
    now = desk.now()
    records = render.bulletin_records(found) if fmt is Format.json else found
    _emit(fmt, records, Bulletin, lambda: render.bulletins_table(found, now))


@bulletin_app.command("show")
def bulletin_show(ctx: typer.Context, bulletin_id: IdArg, fmt: FormatOpt = Format.table) -> None:
    """One bulletin: what to tell customers, contacts and tickets linked per hour, its tickets."""
    desk = _desk(ctx)
    report = desk.bulletin_report(bulletin_id)
    if fmt is Format.json:
        typer.echo(output.to_json(render.bulletin_report_data(report)))
        return
    output.console().print(render.bulletin_view(report, desk.now()))


@bulletin_app.command("update")
def bulletin_update(
    ctx: typer.Context,
    bulletin_id: IdArg,
    title: TitleOpt = None,
    answer: AnswerOpt = None,
    product: ProductOpt = None,
    category: CategoryOpt = None,
    keyword: KeywordOpt = None,
    severity: SeverityOpt = None,
    start: StartOpt = None,
    until: UntilOpt = None,
    clear_until: Annotated[
        bool, typer.Option("--clear-until", help="Remove the expected end.")
    ] = False,
    version: Annotated[
        int | None,
        typer.Option("--version", help="Refuse if the bulletin is no longer at this version."),
    ] = None,
) -> None:
    """Change an active bulletin (leads and admins); a list option replaces the whole list."""
    updated = _desk(ctx).update_bulletin(
        bulletin_id,
        expected_version=version,
        title=title,
        answer=answer,
        products=product,
        categories=category,
        keywords=keyword,
        severity=severity,
        starts_at=start,
        expected_end=until,
        clear_expected_end=clear_until,
    )
    _say(render.bulletin_line(updated, f"updated to version {updated.version}"))


@bulletin_app.command("link")
def bulletin_link(
    ctx: typer.Context,
    bulletin_id: IdArg,
    contact: Annotated[
        int | None, typer.Option("--contact", help="A logged contact (its ticket too).")
    ] = None,
    ticket: Annotated[int | None, typer.Option("--ticket", help="A ticket number.")] = None,
) -> None:
    """Link a contact or a ticket to an active bulletin."""
    if (contact is None) == (ticket is None):
        raise InvalidInput("give exactly one of --contact ID or --ticket NUMBER")
    desk = _desk(ctx)
    if contact is not None:
        done = desk.link_contact_to_bulletin(bulletin_id, contact)
        what = f"contact {contact}" + (f" and ticket #{done.ticket_id}" if done.ticket_id else "")
    else:
        assert ticket is not None
        done = desk.link_ticket_to_bulletin(bulletin_id, ticket)
        what = f"ticket #{ticket}"
    verb = "linked to" if done.linked else "was already linked to"
    _say(f"{what} {verb} bulletin {bulletin_id}")


@bulletin_app.command("answer")
def bulletin_answer(
    ctx: typer.Context,
    bulletin_id: IdArg,
    customer: CustomerOpt,
    channel: Annotated[str, typer.Option("--channel", help="phone, email, walk-in, ...")],
    summary: Annotated[str, typer.Option("--summary", help="Default: the bulletin's title.")] = "",
) -> None:
    """Log a contact answered at first contact from the bulletin, linked to it."""
    desk = _desk(ctx)
    result = desk.answer_from_bulletin(
        bulletin_id,
        channel=channel,
        customer_id=desk.resolve_customer(customer).id,
        summary=summary,
    )
    _say(f"contact {result.contact.id} logged as answered from bulletin {bulletin_id}")
    _say(f"tell the customer: {desk.bulletin(bulletin_id).answer}")


@bulletin_app.command("resolve")
def bulletin_resolve(
    ctx: typer.Context,
    bulletin_id: IdArg,
    note: Annotated[str, typer.Option("--note", help="The fix, sent to linked tickets.")],
    resolve_tickets: Annotated[
        bool, typer.Option("--resolve-tickets", help="Also resolve the linked open tickets.")
    ] = False,
    channel: Annotated[
        str, typer.Option("--channel", help="How the customers are told.")
    ] = "email",
) -> None:
    """Resolve a bulletin (leads and admins): every linked open ticket gets a customer update."""
    touched = _desk(ctx).resolve_bulletin(
        bulletin_id, note, resolve_tickets=resolve_tickets, channel=channel
    )
    done = "updated and resolved" if resolve_tickets else "updated"
    plural = "ticket" if touched == 1 else "tickets"
    _say(f"bulletin {bulletin_id} resolved: {touched} linked open {plural} {done}")
