"""``helpdesk kb``: knowledge articles (issue 5): import, export and validate files, list,
search, show, walk (a plain-terminal walk for scripts and tests), stats and history.

``kb validate`` prints each problem as ``FILE: node ID: problem`` (``FILE:
problem`` for the file or article itself) and exits 1 when there is any;
``kb import`` prints the same lines and imports nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..desk import Desk, InvalidInput
from ..desk.knowledge_base import InvalidArticle
from ..desk.knowledge_walk import Walk
from ..output import kb as render
from ..textsafe import printable
from .base import Export, ExportOpt, _desk, _emit, _say, app

kb_app = typer.Typer(
    help="Knowledge articles: yes/no decision trees walked with the customer.",
    no_args_is_help=True,
)
app.add_typer(kb_app, name="kb")

ArticleArg = Annotated[str, typer.Argument(help="Article key (its file name without .yaml).")]
PathArg = Annotated[Path, typer.Argument(help="An article file, or a directory of *.yaml files.")]
CategoryOpt = Annotated[
    str | None, typer.Option("--category", help="Only this ticket category's articles.")
]
ProductOpt = Annotated[
    str | None,
    typer.Option("--product", help="Only articles for this product (or for no product)."),
]


def _problem_lines(lines: list[str] | tuple[str, ...], err: bool) -> None:
    for line in lines:
        typer.echo(printable(line, single_line=True), err=err)


@kb_app.command("validate")
def kb_validate(ctx: typer.Context, path: PathArg) -> None:
    """Check article files; each problem on its own line, exit 1 if there is any."""
    files = _desk(ctx).kb_check_files(path)
    lines = [p.line(str(f.path)) for f in files for p in f.problems]
    if lines:
        _problem_lines(lines, err=False)
        raise typer.Exit(1)
    _say(f"{path}: {len(files)} article file{'s' if len(files) != 1 else ''}, no problems")


@kb_app.command("import")
def kb_import(ctx: typer.Context, path: PathArg) -> None:
    """Import article files (admins): all or nothing; each changed article is published."""
    try:
        report = _desk(ctx).kb_import(path)
    except InvalidArticle as exc:
        _problem_lines(exc.lines, err=True)
        count = len(exc.lines)
        raise InvalidInput(
            f"{count} problem{'s' if count != 1 else ''}: nothing was imported"
        ) from None
    _say(
        f"{report.files} article files: {len(report.added)} added, {len(report.updated)} "
        f"updated, {len(report.unchanged)} unchanged"
    )


@kb_app.command("export")
def kb_export(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Directory to write <key>.yaml files into.")],
    drafts: Annotated[
        bool, typer.Option("--drafts", help="Write drafts where there are (admins).")
    ] = False,
) -> None:
    """Write every published article as one YAML file each (the format import reads)."""
    written = _desk(ctx).kb_export(directory, drafts=drafts)
    _say(f"{len(written)} articles written to {directory}")


@kb_app.command("list")
def kb_list(
    ctx: typer.Context,
    category: CategoryOpt = None,
    product: ProductOpt = None,
    drafts: Annotated[
        bool, typer.Option("--drafts", help="Include never-published drafts (admins).")
    ] = False,
    fmt: ExportOpt = Export.table,
) -> None:
    """Articles by title."""
    found = _desk(ctx).kb_articles(category, product, drafts=drafts)
    records = render.article_records(found)
    _emit(fmt, records, render.ARTICLE_COLUMNS, lambda: render.articles_table(found))


@kb_app.command("search")
def kb_search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to look for; any text is fine.")],
    category: CategoryOpt = None,
    product: ProductOpt = None,
    ticket: Annotated[
        int | None, typer.Option("--ticket", help="Filter by this ticket's category and product.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N results.")] = 20,
    fmt: ExportOpt = Export.table,
) -> None:
    """Search titles, tags and node text, best match first."""
    found = _desk(ctx).kb_search(
        text, category=category, product=product, ticket=ticket, limit=limit
    )
    records = render.article_records(found)
    _emit(fmt, records, render.ARTICLE_COLUMNS, lambda: render.articles_table(found))


@kb_app.command("show")
def kb_show(
    ctx: typer.Context,
    article: ArticleArg,
    version: Annotated[int | None, typer.Option("--version", help="An earlier version.")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="The draft, with its problems.")] = False,
) -> None:
    """An article as an indented tree."""
    desk = _desk(ctx)
    shown = desk.kb_draft(article) if draft else desk.kb_article(article, version)
    for line in render.tree_lines(shown):
        _say(line)


@kb_app.command("history")
def kb_history(ctx: typer.Context, article: ArticleArg) -> None:
    """Every published version of an article."""
    from .. import output

    output.console().print(render.history_table(_desk(ctx).kb_history(article)))


@kb_app.command("publish")
def kb_publish(
    ctx: typer.Context,
    article: ArticleArg,
    note: Annotated[str, typer.Option("--note", help="What changed.")] = "",
) -> None:
    """Publish an article's draft (admins); refused with each problem if it has any."""
    try:
        published = _desk(ctx).kb_publish(article, note)
    except InvalidArticle as exc:
        _problem_lines(exc.lines, err=True)
        raise InvalidInput(f"{len(exc.lines)} problem(s): {article} was not published") from None
    _say(f"{published.key} version {published.version} published")


@kb_app.command("from-ticket")
def kb_from_ticket(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="A resolved ticket.", show_default=False)],
    article: Annotated[
        str | None, typer.Option("--article", help="Add to this article's draft.")
    ] = None,
    attach: Annotated[
        str | None, typer.Option("--attach", help="Link from NODE:yes or NODE:no.")
    ] = None,
) -> None:
    """Turn a resolved ticket's resolution into a draft solution node (admins)."""
    link = None
    if attach is not None:
        node, sep, branch = attach.partition(":")
        if not sep:
            raise InvalidInput(f"--attach {attach!r} is not NODE:yes or NODE:no")
        link = (node.strip(), branch.strip())
    draft = _desk(ctx).kb_draft_from_ticket(number, article, attach=link)
    _say(f"draft of {draft.key} has the solution from ticket #{number}; publish it when ready")
    for problem in draft.problems:
        _say(problem.line(draft.key))


@kb_app.command("stats")
def kb_stats(
    ctx: typer.Context,
    article: Annotated[str | None, typer.Argument(help="One article, node by node.")] = None,
    fmt: ExportOpt = Export.table,
) -> None:
    """Walks per article (solved, escalated, gave up); with ARTICLE, per node."""
    desk = _desk(ctx)
    if article is not None:
        nodes = desk.kb_node_stats(article)
        records = render.node_records(nodes)
        _emit(fmt, records, render.NODE_COLUMNS, lambda: render.node_stats_table(nodes))
        return
    stats = desk.kb_stats()
    _emit(fmt, render.stats_records(stats), render.STATS_COLUMNS, lambda: render.stats_table(stats))
    if fmt is Export.table and desk.may("kb.edit"):
        from .. import output

        give_ups = desk.kb_give_ups()
        if give_ups:
            out = render.node_stats_table(give_ups, article=True)
            out.title = "Where walks give up most"
            output.console().print(out)


@kb_app.command("walk")
def kb_walk(
    ctx: typer.Context,
    article: ArticleArg,
    ticket: Annotated[
        int | None,
        typer.Option(
            "--ticket",
            help="Record the walk on this ticket: a solution resolves it, an escalation sends "
            "it to triage (or up a level), stopping early records 'didn't help'.",
        ),
    ] = None,
    contact: Annotated[
        int | None, typer.Option("--contact", help="The logged contact this walk was for.")
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Walk the draft; nothing is recorded (admins).")
    ] = False,
) -> None:
    """Walk an article, reading one answer a line from stdin: y, n, b (back) or q (stop)."""
    if preview and ticket is not None:
        raise InvalidInput("a preview records nothing: drop --ticket or --preview")
    desk = _desk(ctx)
    walk = desk.kb_start_walk(article, ticket=ticket, contact=contact, preview=preview)
    version = "draft preview" if preview else f"version {walk.version}"
    _say(f"{walk.article.title} ({walk.article.key}, {version})")
    finished = _answer_lines(desk, walk)
    for line in render.end_lines(walk.node) if finished else []:
        _say(line)
    if not finished:
        result = desk.kb_abandon(walk)
    elif ticket is None:
        result = desk.kb_record_walk(walk)
    elif walk.outcome == "solved":
        result = desk.kb_resolve_with_solution(walk)
    else:
        plan = desk.kb_escalation_plan(walk)
        result = desk.kb_escalate(walk, plan)
    _say(f"Path: {result.path}")
    _say(f"Outcome: {result.outcome}" + ("" if result.walk_id else " (preview, not recorded)"))
    if result.ticket is not None:
        t = result.ticket
        _say(f"ticket #{t.id}: {t.status}, level {t.level}, {t.department or '-'}")


def _answer_lines(desk: Desk, walk: Walk) -> bool:
    """Ask until the walk reaches a solution or escalation (True) or input stops (False)."""
    stream = sys.stdin
    echo = not stream.isatty()
    while not walk.finished:
        for line in render.question_lines(walk.node, len(walk.steps) + 1):
            _say(line)
        typer.echo("   [y]es [n]o [b]ack [q]uit? ", nl=False)
        raw = stream.readline()
        if not raw:
            typer.echo("")
            return False
        answer = raw.strip().lower()
        if echo:
            typer.echo(printable(answer, single_line=True))
        if answer in ("q", "quit"):
            return False
        try:
            if answer in ("b", "back"):
                desk.kb_back(walk)
            elif answer:
                desk.kb_answer(walk, answer)
        except InvalidInput as exc:
            _say(f"   {exc}")
    return True
