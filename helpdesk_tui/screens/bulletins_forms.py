"""The Bulletins section's dialogs: what a lead types to post, update, resolve or give notice.

Each builds :class:`~.form_dialog.Field` lists and turns the typed values
into one facade call. Lists (products, categories, keywords) are typed
comma-separated; times as ``2026-11-25 17:00`` (local) like the CLI. The
desk decides what is acceptable; a refusal names a field, which the
dialog marks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..desk import Desk, DeskError
from ..desk.bulletin_rules import SEVERITIES
from ..desk.bulletins import Bulletin
from ..desk.errors import StaleEdit
from ..store.catalogue import Product
from ..vocab import CHANNEL_LABELS, CHANNELS
from .form_dialog import Field

TIME_HINT = "e.g. 2026-11-25 17:00 (local time)"
#: The desk's field names -> this dialog's field keys.
FIELD_ALIASES = {"product": "products", "category": "categories"}
SEVERITY_CHOICES = tuple((s, s) for s in SEVERITIES)


def split_list(text: str) -> list[str]:
    """``"office365, outlook web"`` -> ``["office365", "outlook web"]`` (blanks dropped)."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def local_text(moment: datetime | None) -> str:
    """A stored time as a lead would type it back: ``2026-11-25 17:00`` local."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def _aliased(call: Callable[[], Any], aliases: dict[str, str] = FIELD_ALIASES) -> Any:
    """Run a desk call; a refusal names this dialog's field (``products``, not ``product``)."""
    try:
        return call()
    except DeskError as exc:
        exc.field = aliases.get(exc.field or "", exc.field)
        raise


# -- post and update -----------------------------------------------------------------------------


def bulletin_fields(
    bulletin: Bulletin | None, products: list[tuple[str, str]], categories: list[str]
) -> list[Field]:
    """The post form, filled with ``bulletin``'s values to update it."""
    b = bulletin
    sample_products = ", ".join(key for key, _name in products[:3])
    return [
        Field("title", "Title * (one line shown on every console)", initial=b.title if b else ""),
        Field(
            "answer",
            "What customers should be told * (the answer agents read out)",
            "text",
            initial=b.answer if b else "",
        ),
        Field("severity", "Severity", "choice", SEVERITY_CHOICES, b.severity if b else "major"),
        Field(
            "products",
            "Affected products (catalogue keys, comma-separated)",
            initial=", ".join(b.products) if b else "",
            placeholder=f"e.g. {sample_products}" if sample_products else "",
        ),
        Field(
            "categories",
            "Affected categories (comma-separated)",
            initial=", ".join(b.categories) if b else "",
            placeholder=", ".join(categories),
        ),
        Field(
            "keywords",
            "Words callers use (comma-separated; matched in the contact's summary)",
            initial=", ".join(b.keywords) if b else "",
            placeholder="e.g. outlook, e-mail, cannot send",
        ),
        Field(
            "starts_at",
            "Start (empty: now)",
            initial=local_text(b.starts_at) if b else "",
            placeholder=TIME_HINT,
        ),
        Field(
            "expected_end",
            "Expected end (empty: not known yet)",
            initial=local_text(b.expected_end) if b else "",
            placeholder=TIME_HINT,
        ),
    ]


def post_call(desk: Desk) -> Callable[[dict[str, str]], Bulletin]:
    def save(values: dict[str, str]) -> Bulletin:
        return _aliased(
            lambda: desk.post_bulletin(
                title=values["title"],
                answer=values["answer"],
                severity=values["severity"],
                products=split_list(values["products"]),
                categories=split_list(values["categories"]),
                keywords=split_list(values["keywords"]),
                starts_at=values["starts_at"] or None,
                expected_end=values["expected_end"] or None,
            )
        )

    return save


def update_call(desk: Desk, bulletin: Bulletin, initial: list[Field]) -> Callable[[dict], Bulletin]:
    """Save only what the lead changed, against the version they saw.

    A bulletin another lead changed meanwhile is refused once (with who and
    what version); saving again after that refusal is a deliberate overwrite.
    """
    before = {f.key: f.initial for f in initial}
    holder = {"version": bulletin.version}

    def save(values: dict[str, str]) -> Bulletin:
        changed = {k: v for k, v in values.items() if v.strip() != before.get(k, "").strip()}
        args: dict[str, Any] = {}
        for key in ("title", "answer", "severity"):
            if key in changed:
                args[key] = changed[key]
        for key in ("products", "categories", "keywords"):
            if key in changed:
                args[key] = split_list(changed[key])
        if "starts_at" in changed and changed["starts_at"].strip():
            args["starts_at"] = changed["starts_at"]
        if "expected_end" in changed:
            if changed["expected_end"].strip():
                args["expected_end"] = changed["expected_end"]
            else:
                args["clear_expected_end"] = True
        try:
            return _aliased(
                lambda: desk.update_bulletin(
                    bulletin.id, expected_version=holder["version"], **args
                )
            )
        except StaleEdit:
            holder["version"] = desk.bulletin(bulletin.id).version
            raise

    return save


# -- resolve -----------------------------------------------------------------------------------


def resolve_fields(open_tickets: int | None) -> list[Field]:
    count = "the linked open tickets" if open_tickets is None else f"{open_tickets} linked open"
    return [
        Field("note", "Resolution: what was fixed (sent to customers as an update)", "text"),
        Field(
            "resolve_tickets",
            f"What happens to {count} ticket(s)",
            "choice",
            (
                ("no", "Tell each customer; keep the tickets open"),
                ("yes", "Tell each customer and resolve the tickets"),
            ),
            "no",
        ),
        Field(
            "channel",
            "How the customers are told",
            "choice",
            tuple((c, CHANNEL_LABELS[c]) for c in CHANNELS),
            "email",
        ),
    ]


def resolve_call(desk: Desk, bulletin: Bulletin) -> Callable[[dict[str, str]], int]:
    def save(values: dict[str, str]) -> int:
        return desk.resolve_bulletin(
            bulletin.id,
            values["note"],
            values["resolve_tickets"] == "yes",
            channel=values["channel"],
            expected_version=bulletin.version,
        )

    return save


# -- end-of-support notice ------------------------------------------------------------------------


def notice_fields(products: list[Product], today: date) -> list[Field]:
    """Products that have an end of support (the caller keeps only those)."""
    choices = tuple(
        (
            p.key,
            f"{p.name} ({p.key}): support "
            f"{'ended' if p.end_of_support and p.end_of_support < today else 'ends'} "
            f"{p.end_of_support.isoformat() if p.end_of_support else '-'}",
        )
        for p in products
    )
    return [
        Field("product", "Catalogue product (those with an end of support)", "choice", choices),
        Field("severity", "Severity", "choice", SEVERITY_CHOICES, "minor"),
        Field("title", "Title (empty: written from the product and its last day)"),
        Field("answer", "What customers should be told (empty: written for you)", "text"),
        Field(
            "expected_end",
            "Show until (empty: until resolved)",
            placeholder=TIME_HINT,
        ),
    ]


def notice_call(desk: Desk) -> Callable[[dict[str, str]], Bulletin]:
    def save(values: dict[str, str]) -> Bulletin:
        return _aliased(
            lambda: desk.post_bulletin(
                kind="end_of_support",
                products=[values["product"]],
                severity=values["severity"],
                title=values["title"] or None,
                answer=values["answer"] or None,
                expected_end=values["expected_end"] or None,
            ),
            {"products": "product"},
        )

    return save
