"""Who may do what: one table, enforced by the facade for CLI and console alike.

Hiding a key in the console is a convenience; this table is the rule.
"""

from __future__ import annotations

from ..store import User
from .errors import Forbidden

#: action -> roles allowed. Every active user may do anything not listed.
ROLE_RULES: dict[str, tuple[str, ...]] = {
    "user.add": ("admin",),
    "catalogue.load": ("admin",),
    # issue 4: the catalogue, tiers and end-of-support notices
    "catalogue.edit": ("admin",),
    "customer.tier": ("admin", "lead"),
    "support.notice": ("admin", "lead"),
    "bulletin.post": ("lead", "admin"),
    "bulletin.resolve": ("lead", "admin"),
    "kb.edit": ("admin",),  # issue 5: knowledge articles
}

ACTION_WORDS: dict[str, str] = {
    "user.add": "add users",
    "catalogue.load": "load starter data",
    "catalogue.edit": "change the product catalogue",
    "customer.tier": "change a customer's tier",
    "support.notice": "list products whose support ends soon",
    "bulletin.post": "post or update bulletins",
    "bulletin.resolve": "resolve bulletins",
    "kb.edit": "edit knowledge articles",
}


def allowed(user: User, action: str) -> bool:
    roles = ROLE_RULES.get(action)
    return user.active and (roles is None or user.role in roles)


def require(user: User, action: str) -> None:
    if not user.active:
        raise Forbidden(f"user {user.login!r} is deactivated; ask an admin")
    roles = ROLE_RULES.get(action)
    if roles is not None and user.role not in roles:
        raise Forbidden(
            f"only {' or '.join(r + 's' for r in roles)} may {ACTION_WORDS.get(action, action)}; "
            f"{user.login} is {'an' if user.role[0] in 'aeiou' else 'a'} {user.role}"
        )
