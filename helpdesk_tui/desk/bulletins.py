"""Bulletins (issue 6): known problems announced to every console, and notices.

Leads and admins post, update and resolve; anyone links contacts and tickets
to an active bulletin and answers a caller from it. A ticket's link, and
every change a resolution makes to a linked ticket, is an event written
in the same transaction. Each write to a bulletin takes the next desk-wide
revision, so a console can ask which bulletins changed since it last looked
(:meth:`BulletinMixin.bulletins_changed_since`) once ``PRAGMA data_version``
says something was committed. The rules themselves are pure functions in
:mod:`.bulletin_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..clock import to_stamp
from ..store import StaleVersion, Ticket
from ..store.bulletins import Bulletin
from ..store.catalogue import Product
from ..vocab import CHANNELS, OPEN_STATUSES
from . import bulletin_rules as rules
from . import validate
from .bulletin_rules import HourCount
from .errors import InvalidInput, NotFound, StaleEdit
from .intake import ContactResult
from .permissions import allowed, require

if TYPE_CHECKING:
    from .facade import Desk

__all__ = ["Bulletin", "BulletinLink", "BulletinMixin", "BulletinReport", "HourCount"]

#: Linked tickets a report lists (the counts cover all of them).
REPORT_TICKETS = 200


@dataclass(frozen=True)
class BulletinLink:
    """What a link call did: ``linked`` is False when everything was linked already."""

    bulletin: Bulletin
    contact_id: int | None
    ticket_id: int | None
    linked: bool


@dataclass(frozen=True)
class BulletinReport:
    """The bulletin screen's data: how many contacts and tickets, per hour, and which tickets."""

    bulletin: Bulletin
    contacts: int
    tickets: int
    open_tickets: int
    #: Start of the hour (UTC ISO 8601, ``2026-11-25T09:00:00Z``) -> count.
    contacts_per_hour: dict[str, int]
    tickets_per_hour: dict[str, int]
    #: Linked tickets, open ones first (at most :data:`REPORT_TICKETS`).
    linked_tickets: list[Ticket]

    @property
    def linked_open_tickets(self) -> list[Ticket]:
        return [t for t in self.linked_tickets if t.status in OPEN_STATUSES]

    def timeline(self) -> list[HourCount]:
        """Hour by hour, gaps as zeros: the wave a lead looks at."""
        return rules.timeline(self.contacts_per_hour, self.tickets_per_hour)


class BulletinMixin:
    # -- reading ---------------------------------------------------------------------------
    def bulletin(self: Desk, bulletin_id: int) -> Bulletin:
        found = self.store.bulletins.get(bulletin_id)
        if found is None:
            raise NotFound(
                f"no bulletin {bulletin_id}: see `helpdesk bulletin list`", field="bulletin"
            )
        return rules.flagged(found, self.now())

    def bulletins(
        self: Desk, active_only: bool = False, limit: int | None = None
    ) -> list[Bulletin]:
        """Active ones first (most severe first), then past ones, newest first.

        ``active_only``: the bulletins in force now (active and started): the banner's list.
        """
        now = self.now()
        found = self.store.bulletins.list(
            active_only=active_only, started_by=to_stamp(now), limit=limit
        )
        return [rules.flagged(b, now) for b in found]

    def expired_bulletins(self: Desk) -> list[Bulletin]:
        """Active bulletins past their expected end: shown to leads to resolve or extend."""
        return [b for b in self.bulletins(active_only=True) if b.expired]

    def may_manage_bulletins(self: Desk) -> bool:
        """Whether the acting user may post, update and resolve (the console's keys)."""
        return allowed(self.actor, "bulletin.post")

    def bulletins_for_ticket(self: Desk, number: int) -> list[Bulletin]:
        ticket = self.ticket(number)
        now = self.now()
        return [rules.flagged(b, now) for b in self.store.bulletins.for_ticket(ticket.id)]

    def bulletin_revision(self: Desk) -> int:
        """The desk-wide bulletin revision now: a console's starting token."""
        return self.store.bulletins.revision()

    def bulletins_changed_since(self: Desk, token: int | None) -> tuple[int, list[Bulletin]]:
        """Bulletins posted, updated or resolved after ``token``, and the token for next time.

        ``None`` starts watching: the current token and no bulletins. Each
        bulletin appears once per change (its ``change`` says posted, updated or
        resolved), oldest change first.
        """
        current = self.store.bulletins.revision()
        if token is None or token >= current:
            return current, []  # (a token above current: the file was restored; restart)
        now = self.now()
        changed = self.store.bulletins.changed_since(token)
        return current, [rules.flagged(b, now) for b in changed]

    def bulletin_report(self: Desk, bulletin_id: int) -> BulletinReport:
        with self.store.session.lock:
            bulletin = self.bulletin(bulletin_id)
            counts = self.store.bulletins.counts(bulletin.id)
            tickets = self.store.bulletins.tickets(bulletin.id, REPORT_TICKETS)
        return BulletinReport(
            bulletin,
            counts.contacts,
            counts.tickets,
            counts.open_tickets,
            {rules.hour_start(h): n for h, n in counts.contacts_per_hour.items()},
            {rules.hour_start(h): n for h, n in counts.tickets_per_hour.items()},
            tickets,
        )

    # -- intake ------------------------------------------------------------------------------
    def matching_bulletins(
        self: Desk, category: str | None = None, product: str | int | None = None, text: str = ""
    ) -> list[Bulletin]:
        """Active bulletins that fit a contact being logged, most severe first.

        ``product`` (a key or id) and ``category`` must exist; ``text`` is any
        text (the summary as typed). A product's category counts as the
        category when none is given.
        """
        key = None
        if product is not None and str(product).strip():
            found = self.product(product)
            key = found.key
            category = category or found.category
        category_key = self.category(category).key if category else None
        return rules.matching(
            self.bulletins(active_only=True),
            now=self.now(),
            category=category_key,
            product=key,
            text=text or "",
        )

    def link_contact_to_bulletin(self: Desk, bulletin_id: int, contact_id: int) -> BulletinLink:
        """Link a contact (and its ticket, unless closed) to an active bulletin; idempotent."""
        with self.store.transaction():
            bulletin = self._active_bulletin(bulletin_id)
            contact = self.contact(contact_id)
            linked = self.store.bulletins.link_contact(
                bulletin.id, contact.id, self._stamp(), self.actor.login
            )
            ticket_id = contact.ticket_id
            if ticket_id is not None:
                if self.ticket(ticket_id).status == "closed":
                    ticket_id = None
                else:
                    linked = self._link_ticket_in_tx(bulletin, ticket_id) or linked
        return BulletinLink(self.bulletin(bulletin.id), contact.id, ticket_id, linked)

    def link_ticket_to_bulletin(self: Desk, bulletin_id: int, number: int) -> BulletinLink:
        """Link a ticket to an active bulletin with a 'bulletin' event; idempotent."""
        with self.store.transaction():
            bulletin = self._active_bulletin(bulletin_id)
            linked = self._link_ticket_in_tx(bulletin, number)
        return BulletinLink(self.bulletin(bulletin.id), None, number, linked)

    def answer_from_bulletin(
        self: Desk,
        bulletin_id: int,
        *,
        channel: str,
        customer_id: int,
        summary: str = "",
        started_at: datetime | None = None,
    ) -> ContactResult:
        """Log a contact answered at first contact from the bulletin, linked to it: one step.

        An empty summary becomes the bulletin's title.
        """
        with self.store.transaction():
            bulletin = self._active_bulletin(bulletin_id)
            result = self.log_contact(
                channel=channel,
                customer_id=customer_id,
                summary=summary if (summary or "").strip() else bulletin.title,
                outcome="answered",
                started_at=started_at,
            )
            self.store.bulletins.link_contact(
                bulletin.id, result.contact.id, self._stamp(), self.actor.login
            )
        return result

    def intake_bulletins(
        self: Desk,
        customer_id: int | None = None,
        category: str | None = None,
        product: str | int | None = None,
        text: str = "",
    ) -> list[Bulletin]:
        """The bulletins to offer while a contact is logged, best first.

        Those that fit the product, category or summary (:meth:`matching_bulletins`)
        come first; then those naming a product the customer owns (an asset),
        since a caller who owns the broken thing is likely calling about it.
        """
        offered = self.matching_bulletins(category=category, product=product, text=text)
        if customer_id is None:
            return offered
        owned = {a.product_key for a in self.store.catalogue.assets(customer_id)}
        if not owned:
            return offered
        seen = {b.id for b in offered}
        now = self.now()
        for key in sorted(owned):
            for found in rules.matching(self.bulletins(active_only=True), now=now, product=key):
                if found.id not in seen:
                    seen.add(found.id)
                    offered.append(found)
        return offered

    def log_contact_with_bulletin(self: Desk, bulletin_id: int, **contact: Any) -> ContactResult:
        """Log a contact (any outcome, as :meth:`log_contact`) linked to an active bulletin.

        The contact and its ticket, if it has one that is not closed, are linked
        in the same transaction as the contact itself: a bulletin resolved
        meanwhile refuses the whole call and nothing is logged, so the agent can
        save again without the link.
        """
        with self.store.transaction():
            bulletin = self._active_bulletin(bulletin_id)
            result = self.log_contact(**contact)
            link = self.link_contact_to_bulletin(bulletin.id, result.contact.id)
        ticket = self.store.tickets.get(link.ticket_id) if link.ticket_id else result.ticket
        return ContactResult(self.contact(result.contact.id), ticket)

    def bulletin_link_totals(self: Desk, bulletin_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """Bulletin id -> (contacts, tickets) linked: the counts of the bulletin list."""
        return self.store.bulletins.link_totals(list(bulletin_ids))

    def require_bulletin_right(self: Desk, action: str = "bulletin.post") -> None:
        """Refuse, with the rule's message, a user who may not post (or resolve) bulletins.

        The console asks before opening a form, so an agent is not refused only
        after typing a whole bulletin; the saving call checks again.
        """
        if action not in ("bulletin.post", "bulletin.resolve"):
            raise InvalidInput(f"unknown bulletin right {action!r}")
        require(self.actor, action)

    # -- leads: post, update, resolve -----------------------------------------------------------
    def post_bulletin(
        self: Desk,
        *,
        title: str | None = None,
        answer: str | None = None,
        kind: str = "outage",
        products: Iterable[str | int] = (),
        categories: Iterable[str] = (),
        keywords: Iterable[str] = (),
        severity: str | None = None,
        starts_at: datetime | str | None = None,
        expected_end: datetime | str | None = None,
    ) -> Bulletin:
        """Post a bulletin (leads and admins); every console sees it at its next poll.

        An ``end_of_support`` notice names one catalogue product with an end of
        support; its title and answer are written from the product unless given.
        """
        require(self.actor, "bulletin.post")
        chosen_kind = rules.kind(kind)
        now = self.now()
        start = rules.moment(starts_at, "start", field="starts_at") or now
        end = rules.moment(expected_end, "expected end", field="expected_end")
        values = self._bulletin_lists(products, categories, keywords)
        support_ends = None
        if chosen_kind == "end_of_support":
            product = self._notice_product(values["products"])
            assert product.end_of_support is not None
            support_ends = product.end_of_support
            auto_title, auto_answer = rules.end_of_support_text(
                product.name, support_ends, self.today()
            )
            title = title if (title or "").strip() else auto_title
            answer = answer if (answer or "").strip() else auto_answer
        values["title"] = validate.text(title, "title", field="title")
        values["answer"] = _answer(answer)
        rules.check_window(start, end)
        _future_end(end, now)
        stamp = to_stamp(now)
        login = self.actor.login
        values.update(
            kind=chosen_kind,
            severity=rules.severity(severity, chosen_kind),
            starts_at=to_stamp(start),
            expected_end=to_stamp(end) if end else None,
            support_ends=support_ends,
            status="active",
            posted_at=stamp,
            posted_by=login,
            updated_at=stamp,
            updated_by=login,
        )
        with self.store.transaction():
            require(self.actor, "bulletin.post")
            bulletin_id = self.store.bulletins.insert(values)
        return self.bulletin(bulletin_id)

    def update_bulletin(
        self: Desk,
        bulletin_id: int,
        *,
        expected_version: int | None = None,
        title: str | None = None,
        answer: str | None = None,
        products: Iterable[str | int] | None = None,
        categories: Iterable[str] | None = None,
        keywords: Iterable[str] | None = None,
        severity: str | None = None,
        starts_at: datetime | str | None = None,
        expected_end: datetime | str | None = None,
        clear_expected_end: bool = False,
    ) -> Bulletin:
        """Change what is given (None: unchanged) on an active bulletin (leads and admins).

        With ``expected_version`` (the version the lead was looking at), a
        bulletin another lead changed meanwhile is refused and nothing is saved.
        """
        require(self.actor, "bulletin.post")
        if clear_expected_end and expected_end is not None:
            raise InvalidInput(
                "give a new expected end or clear it, not both", field="expected_end"
            )
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = validate.text(title, "title", field="title")
        if answer is not None:
            changes["answer"] = _answer(answer)
        lists = self._bulletin_lists(products or (), categories or (), keywords or ())
        for name, given in (("products", products), ("categories", categories)):
            if given is not None:
                changes[name] = lists[name]
        if keywords is not None:
            changes["keywords"] = lists["keywords"]
        start = rules.moment(starts_at, "start", field="starts_at")
        end = rules.moment(expected_end, "expected end", field="expected_end")
        _future_end(end, self.now())
        with self.store.transaction():
            bulletin = self._bulletin_for_change(bulletin_id, expected_version)
            if severity is not None:
                changes["severity"] = rules.severity(severity, bulletin.kind)
            if bulletin.kind == "end_of_support" and "products" in changes:
                product = self._notice_product(changes["products"])
                changes["support_ends"] = product.end_of_support
            if start is not None:
                changes["starts_at"] = to_stamp(start)
            if end is not None or clear_expected_end:
                changes["expected_end"] = to_stamp(end) if end else None
            new_end = end if end is not None or clear_expected_end else bulletin.expected_end
            rules.check_window(start or bulletin.starts_at, new_end)
            if not changes:
                raise InvalidInput("nothing to change: give at least one new value")
            changes.update(updated_at=self._stamp(), updated_by=self.actor.login)
            self._store_bulletin_change(bulletin, changes)
        return self.bulletin(bulletin_id)

    def resolve_bulletin(
        self: Desk,
        bulletin_id: int,
        note: str,
        resolve_tickets: bool = False,
        *,
        channel: str = "email",
        expected_version: int | None = None,
    ) -> int:
        """Record the resolution and tell every linked open ticket's customer; return how many.

        Each linked open ticket gets a 'bulletin_resolved' event and a
        'customer_update' (by ``channel``, with the note), and with
        ``resolve_tickets`` is resolved with the note as its resolution. All in
        one transaction: one refusal and nothing is written.
        """
        require(self.actor, "bulletin.resolve")
        note = validate.text(note, "resolution note", limit=validate.LONG_TEXT_MAX, field="note")
        channel = validate.choice(channel, "channel", CHANNELS, field="channel")
        with self.store.transaction():
            bulletin = self._bulletin_for_change(bulletin_id, expected_version)
            now = self._stamp()
            login = self.actor.login
            self._store_bulletin_change(
                bulletin,
                {
                    "status": "resolved",
                    "resolution": note,
                    "resolved_at": now,
                    "resolved_by": login,
                    "updated_at": now,
                    "updated_by": login,
                },
            )
            numbers = self.store.bulletins.open_ticket_ids(bulletin.id)
            for number in numbers:
                self._write(
                    self._authorised(number, "bulletin"),
                    None,
                    {},
                    "bulletin_resolved",
                    field="bulletin",
                    new=str(bulletin.id),
                    note=f"bulletin {bulletin.id} resolved: {bulletin.title}",
                )
                self._write(
                    self._authorised(number, "update_customer"),
                    None,
                    {"last_update_at": self._stamp()},
                    "customer_update",
                    note=note,
                    new=channel,
                    field="channel",
                    extra={"bulletin": bulletin.id},
                )
                if resolve_tickets:
                    self._resolve_in_tx(number, None, note, note=f"bulletin {bulletin.id}")
        return len(numbers)

    # -- inside ----------------------------------------------------------------------------------
    def _active_bulletin(
        self: Desk, bulletin_id: int, hint: str = "link to an active bulletin"
    ) -> Bulletin:
        bulletin = self.bulletin(bulletin_id)
        if not bulletin.active:
            raise InvalidInput(f"bulletin {bulletin.id} is resolved: {hint}", field="bulletin")
        return bulletin

    def _bulletin_for_change(self: Desk, bulletin_id: int, expected: int | None) -> Bulletin:
        bulletin = self._active_bulletin(
            bulletin_id, "it cannot change; post a new bulletin if the problem is back"
        )
        if expected is not None and expected != bulletin.version:
            raise self._stale_bulletin(bulletin)
        return bulletin

    def _store_bulletin_change(self: Desk, bulletin: Bulletin, changes: dict[str, Any]) -> None:
        try:
            self.store.bulletins.update(bulletin.id, bulletin.version, changes)
        except StaleVersion:
            raise self._stale_bulletin(self.bulletin(bulletin.id)) from None

    def _stale_bulletin(self: Desk, current: Bulletin) -> StaleEdit:
        return StaleEdit(
            f"bulletin {current.id} was changed by {current.updated_by} since you opened it "
            f"(now version {current.version}); nothing was saved: reload and try again "
            "(your text is kept)"
        )

    def _link_ticket_in_tx(self: Desk, bulletin: Bulletin, number: int) -> bool:
        ticket = self._authorised(number, "bulletin")
        if not self.store.bulletins.link_ticket(
            bulletin.id, ticket.id, self._stamp(), self.actor.login
        ):
            return False
        self._write(
            ticket,
            None,
            {},
            "bulletin",
            field="bulletin",
            new=str(bulletin.id),
            note=bulletin.title,
        )
        return True

    def _bulletin_lists(
        self: Desk,
        products: Iterable[str | int],
        categories: Iterable[str],
        keywords: Iterable[str],
    ) -> dict[str, Any]:
        """Catalogue keys and category keys checked against the desk; keywords cleaned."""
        product_keys: list[str] = []
        for given in products:
            key = self.product(given).key
            if key not in product_keys:
                product_keys.append(key)
        category_keys: list[str] = []
        for given in categories:
            key = self.category(given).key
            if key not in category_keys:
                category_keys.append(key)
        return {
            "products": product_keys,
            "categories": category_keys,
            "keywords": list(rules.keywords(keywords)),
        }

    def _notice_product(self: Desk, keys: list[str]) -> Product:
        if len(keys) != 1:
            raise InvalidInput(
                "an end-of-support notice is about one catalogue product: give exactly one "
                "--product",
                field="products",
            )
        product = self.product(keys[0])
        if product.end_of_support is None:
            raise InvalidInput(
                f"product {product.key} has no end of support: set it first with "
                f"`helpdesk product end-support {product.key} DATE`",
                field="products",
            )
        return product


def _answer(value: str | None) -> str:
    return validate.text(
        value,
        "the answer for customers",
        limit=validate.SUMMARY_MAX,
        field="answer",
    )


def _future_end(end: datetime | None, now: datetime) -> None:
    if end is not None and end <= now:
        raise InvalidInput(
            "the expected end is already past: give a later --until, or resolve the bulletin",
            field="expected_end",
        )
