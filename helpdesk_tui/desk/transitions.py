"""The ticket lifecycle as one explicit table: (status, action) -> status, and who may.

Seed 002's journey: the front line sends what it cannot solve to triage;
level 2 asks the customer for more, transfers to another department, takes
ownership, or returns it to the front line with a solution; the hardest go
up the ladder to level 3 and an external vendor. Any pair missing from
:data:`TABLE` is forbidden, and the refusal says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..store import Ticket, User
from ..vocab import OPEN_STATUSES, STATUS_LABELS
from .errors import Forbidden
from .permissions import RULES, allowed

#: Level 4 is the external vendor or consultant, past level 3 (seed 003).
EXTERNAL = 4
LEVEL_NAMES = {1: "level 1", 2: "level 2", 3: "level 3", EXTERNAL: "external vendor"}


@dataclass(frozen=True)
class Who:
    """A rule about the acting user: a predicate and the words for a refusal."""

    label: str
    test: Callable[[User, Ticket], bool]


def _rule(action: str) -> Who:
    """The role x level part of a rule comes from the one table in ``permissions.py``."""
    return Who(RULES[action].label, lambda user, ticket: allowed(user, action))


def _oversees(user: User) -> bool:
    return allowed(user, "ticket.oversee")


ANYONE = _rule("ticket.work")
SPECIALIST = _rule("ticket.triage")
TAKER = _rule("ticket.take")
LEAD = _rule("ticket.assign")
REOPENER = _rule("ticket.reopen_closed")
AT_ITS_LEVEL = Who(
    f"agents at the ticket's level or above, {RULES['ticket.oversee'].label}",
    lambda user, ticket: (
        allowed(user, "ticket.escalate")
        and (user.level >= min(ticket.level, 3) or _oversees(user))
    ),
)
OWNER_OR_LEAD = Who(
    f"its owner, {RULES['ticket.oversee'].label}",
    lambda user, ticket: ticket.owner == user.login or _oversees(user),
)

#: Actions that change status (or may), by the status they start from.
#: ``None`` as the new status keeps the current one. Two targets depend on
#: the ticket and are set by the action itself: a customer's answer returns
#: the ticket to the status it had when the question was asked, and
#: de-escalating to level 1 hands it back to the front line as "open".
TABLE: dict[tuple[str, str], tuple[str | None, Who]] = {
    ("open", "triage"): ("triage", ANYONE),
    ("open", "request_info"): ("waiting_customer", ANYONE),
    ("triage", "request_info"): ("waiting_customer", SPECIALIST),
    ("waiting_customer", "customer_answered"): (None, ANYONE),
    ("open", "transfer"): ("triage", SPECIALIST),
    ("triage", "transfer"): ("triage", SPECIALIST),
    ("waiting_customer", "transfer"): ("triage", SPECIALIST),
    ("open", "take"): (None, ANYONE),
    ("triage", "take"): ("open", TAKER),
    ("waiting_customer", "take"): (None, ANYONE),
    ("waiting_vendor", "take"): (None, AT_ITS_LEVEL),
    ("open", "assign"): (None, LEAD),
    ("triage", "assign"): ("open", LEAD),
    ("waiting_customer", "assign"): (None, LEAD),
    ("waiting_vendor", "assign"): (None, LEAD),
    ("open", "release"): (None, OWNER_OR_LEAD),
    ("triage", "release"): (None, OWNER_OR_LEAD),
    ("waiting_customer", "release"): (None, OWNER_OR_LEAD),
    ("waiting_vendor", "release"): (None, OWNER_OR_LEAD),
    ("open", "escalate"): ("triage", AT_ITS_LEVEL),
    ("triage", "escalate"): ("triage", AT_ITS_LEVEL),
    ("waiting_customer", "escalate"): ("triage", AT_ITS_LEVEL),
    ("open", "escalate_external"): ("waiting_vendor", AT_ITS_LEVEL),
    ("triage", "escalate_external"): ("waiting_vendor", AT_ITS_LEVEL),
    ("open", "deescalate"): ("triage", AT_ITS_LEVEL),
    ("triage", "deescalate"): ("triage", AT_ITS_LEVEL),
    ("waiting_vendor", "deescalate"): ("triage", AT_ITS_LEVEL),
    ("open", "return"): ("open", SPECIALIST),
    ("triage", "return"): ("open", SPECIALIST),
    ("open", "resolve"): ("resolved", ANYONE),
    ("triage", "resolve"): ("resolved", ANYONE),
    ("waiting_customer", "resolve"): ("resolved", ANYONE),
    ("waiting_vendor", "resolve"): ("resolved", ANYONE),
    ("resolved", "close"): ("closed", ANYONE),
    ("resolved", "reopen"): ("open", ANYONE),
    ("closed", "reopen"): ("open", REOPENER),
    ("open", "duplicate"): ("closed", ANYONE),
    ("triage", "duplicate"): ("closed", ANYONE),
    ("waiting_customer", "duplicate"): ("closed", ANYONE),
    ("waiting_vendor", "duplicate"): ("closed", ANYONE),
    ("resolved", "duplicate"): ("closed", ANYONE),
}

#: Actions that never change status, allowed on any ticket that is not closed.
ANY_OPEN_OR_RESOLVED = (*OPEN_STATUSES, "resolved")
EDITS: dict[str, Who] = {
    "note": ANYONE,
    "priority": ANYONE,
    "update_customer": ANYONE,
    "relate": ANYONE,
    "contact": ANYONE,
    "walk": ANYONE,  # issue 5: a knowledge walk recorded on the ticket
    "bulletin": ANYONE,
}

ACTION_WORDS = {
    "triage": "send to triage",
    "request_info": "ask the customer for information on",
    "customer_answered": "record the customer's answer on",
    "transfer": "transfer",
    "take": "take ownership of",
    "assign": "assign",
    "release": "release",
    "escalate": "escalate",
    "escalate_external": "escalate to an external vendor",
    "deescalate": "de-escalate",
    "return": "return to the front line",
    "resolve": "resolve",
    "close": "close",
    "reopen": "reopen",
    "duplicate": "mark as a duplicate",
    "note": "add a note to",
    "priority": "change the priority of",
    "update_customer": "record a customer update on",
    "relate": "link",
    "contact": "add a contact to",
    "walk": "record a knowledge walk on",
    "bulletin": "link a bulletin to",
}

HINTS = {
    "close": "resolve it first",
    "resolve": "it is not open",
    "reopen": "it is still open",
}


def check(user: User, ticket: Ticket, action: str) -> str | None:
    """Authorise ``action``; return the new status (None: unchanged) or raise Forbidden."""
    if action in EDITS:
        if ticket.status not in ANY_OPEN_OR_RESOLVED:
            raise Forbidden(
                f"ticket #{ticket.id} is {STATUS_LABELS[ticket.status]}: cannot "
                f"{ACTION_WORDS[action]} it (a lead can reopen it)"
            )
        who = EDITS[action]
        new_status = None
    else:
        rule = TABLE.get((ticket.status, action))
        if rule is None:
            hint = HINTS.get(action, "")
            raise Forbidden(
                f"cannot {ACTION_WORDS.get(action, action)} ticket #{ticket.id} while it is "
                f"{STATUS_LABELS[ticket.status]}" + (f": {hint}" if hint else "")
            )
        new_status, who = rule
    if not user.active or not who.test(user, ticket):
        raise Forbidden(
            f"only {who.label} may {ACTION_WORDS.get(action, action)} ticket #{ticket.id} "
            f"while it is {STATUS_LABELS[ticket.status]} at {LEVEL_NAMES.get(ticket.level)}; "
            f"{user.login} is a level {user.level} {user.role}"
        )
    return new_status


def _applies(action: str, user: User, ticket: Ticket) -> bool:
    """Conditions beyond the table that the actions themselves check."""
    if action == "escalate":
        return ticket.level < 3
    if action == "escalate_external":
        return ticket.level == 3
    if action == "deescalate":
        return ticket.level > 1
    if action == "take":
        return ticket.owner is None
    if action == "release":
        return ticket.owner is not None
    if action == "return":
        return ticket.level > 1
    return action not in ("customer_answered", "contact", "relate")


def allowed_actions(user: User, ticket: Ticket) -> list[str]:
    """What this user may do to this ticket now: drives the console's key hints."""
    result = []
    for action in list(ACTION_WORDS):
        if not _applies(action, user, ticket):
            continue
        try:
            check(user, ticket, action)
        except Forbidden:
            continue
        result.append(action)
    return result
