"""Who may do what: ONE table of role x level x action, enforced by the facade.

The CLI and the console both call the facade, and every public method that
does something only some users may do calls :func:`require` with an action
of :data:`RULES`; the ticket lifecycle (``transitions.py``) asks the same
table for the role and level part of its rules and adds only what depends on
the ticket itself (its owner, its level). Hiding a key in the console is a
convenience; this table is the rule, and every refusal names it: who may,
what, and what the acting user is.

The grid, by the issue: agents log contacts, open and work tickets, walk
knowledge trees and escalate; level 2 and 3 specialists also make triage
decisions and take ownership from triage; leads also assign, post and
resolve bulletins, see agent metrics and reopen closed tickets; admins also
manage users, knowledge trees, the catalogue, tiers and SLA plans.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..store import User
from ..vocab import LEVELS, ROLES
from .errors import Forbidden

EVERYONE: tuple[str, ...] = ROLES
LEADS: tuple[str, ...] = ("lead", "admin")
ADMINS: tuple[str, ...] = ("admin",)


@dataclass(frozen=True)
class Rule:
    """Who may do one action: these roles at any level, or anyone at ``min_level`` and up."""

    words: str  #: what the action is, for refusals: "assign tickets"
    roles: tuple[str, ...]  #: roles allowed whatever their level
    min_level: int | None = None  #: any role at this level or above is allowed too
    who: str = ""  #: who may, for refusals; derived from ``roles`` when empty

    def permits(self, role: str, level: int) -> bool:
        return role in self.roles or (self.min_level is not None and level >= self.min_level)

    @property
    def label(self) -> str:
        return self.who or " or ".join(r + "s" for r in self.roles)


_SPECIALISTS = "level 2 or 3 specialists, leads and admins"

#: The one permission table. An action missing here is a programming error
#: (:func:`require` raises KeyError), never a silent "anyone may".
RULES: dict[str, Rule] = {
    # -- agents: every active user -----------------------------------------------------------
    "contact.log": Rule("log contacts", EVERYONE),
    "customer.add": Rule("add customers and their assets", EVERYONE),
    "ticket.open": Rule("open tickets", EVERYONE),
    "ticket.work": Rule("work tickets", EVERYONE, who="any agent"),
    "ticket.escalate": Rule("escalate tickets", EVERYONE),
    "kb.walk": Rule("walk knowledge trees", EVERYONE),
    "file.check": Rule("check the database file", EVERYONE),
    # -- level 2 and 3 specialists (and leads, admins) ---------------------------------------
    "ticket.triage": Rule("make triage decisions", LEADS, min_level=2, who=_SPECIALISTS),
    "ticket.take": Rule("take ownership from triage", LEADS, min_level=2, who=_SPECIALISTS),
    # -- leads (and admins) -------------------------------------------------------------------
    "ticket.assign": Rule("assign tickets", LEADS, who="leads and admins"),
    "ticket.oversee": Rule(
        "release others' tickets and act above their level", LEADS, who="leads and admins"
    ),
    "ticket.reopen_closed": Rule("reopen closed tickets", LEADS, who="leads and admins"),
    "bulletin.post": Rule("post or update bulletins", ("lead", "admin")),
    "bulletin.resolve": Rule("resolve bulletins", ("lead", "admin")),
    "customer.tier": Rule("change a customer's tier", ("admin", "lead")),
    "support.notice": Rule("list products whose support ends soon", ("admin", "lead")),
    "metrics.agents": Rule("see per-agent figures", LEADS, who="leads and admins"),  # issue 7
    # -- admins -------------------------------------------------------------------------------
    "user.add": Rule("add users", ADMINS),
    "kb.edit": Rule("edit knowledge articles", ADMINS),
    "catalogue.edit": Rule("change the product catalogue", ADMINS),
    # issue 4: tiers, calendars and SLA plans in the console; `helpdesk config export/import`
    "service.admin": Rule("administer the service model", ADMINS),
    # departments, categories, tiers, the catalogue, calendars and SLA plans (data/*.yaml)
    "catalogue.load": Rule("load starter data", ADMINS),
    # a copy holds every customer's data: taken by an admin (or a job run as one)
    "file.backup": Rule("back up the database", ADMINS),
}


def grid() -> Iterator[tuple[str, int, str, bool]]:
    """Every (role, level, action, allowed) cell of the table: what the tests walk."""
    for action, rule in RULES.items():
        for role in ROLES:
            for level in LEVELS:
                yield role, level, action, rule.permits(role, level)


def allowed(user: User, action: str) -> bool:
    """May this user do it? For showing or hiding a key; the facade still calls require."""
    return user.active and RULES[action].permits(user.role, user.level)


def require(user: User, action: str) -> None:
    """Refuse with a message that names the rule, the action and what the user is."""
    if not user.active:
        raise Forbidden(f"user {user.login!r} is deactivated; ask an admin")
    rule = RULES[action]
    if not rule.permits(user.role, user.level):
        raise Forbidden(refusal(user, rule))


def refusal(user: User, rule: Rule) -> str:
    what = f"a level {user.level} {user.role}" if rule.min_level else _article(user.role)
    return f"only {rule.label} may {rule.words}; {user.login} is {what}"


def _article(role: str) -> str:
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"
