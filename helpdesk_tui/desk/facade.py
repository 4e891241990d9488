"""The one facade that the CLI and the console both call.

``Desk`` is assembled from small mixins, one per area of the seeds (people,
intake, ticket work); each public method checks the acting user's rights,
validates input, and does its writes in one IMMEDIATE transaction together
with the ticket's events. Store errors come out as :class:`StorageProblem`
with a message a user can act on.
"""

from __future__ import annotations

import functools
import getpass
import inspect
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from ..clock import Clock, to_stamp
from ..store import Category, Department, Store, StoreError, User
from .bulletins import BulletinMixin
from .catalogue import CatalogueMixin
from .config_io import ConfigMixin
from .errors import Forbidden, InvalidInput, NotFound, StorageProblem, UnknownUser
from .intake import IntakeMixin
from .knowledge import KnowledgeMixin
from .maintenance import MaintenanceMixin
from .metrics import MetricsMixin
from .people import PeopleMixin
from .permissions import allowed
from .service_admin import ServiceAdminMixin
from .sla import SlaMixin
from .ticketing import TicketMixin
from .triage import TriageMixin
from .validate import NOT_UTF8

F = TypeVar("F", bound=Callable[..., Any])

#: Where the console looks when neither --db nor $HELPDESK_DB is given.
APP_NAME = "helpdesk-tui"


def default_db_path() -> Path:
    env = os.environ.get("HELPDESK_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "helpdesk.db"


def current_login() -> str:
    """``$HELPDESK_USER`` if set, else the operating-system login."""
    env = os.environ.get("HELPDESK_USER")
    if env:
        return env.strip().lower()
    try:
        return getpass.getuser().lower()  # logins are lower-case on the desk
    except (KeyError, OSError):
        return "unknown"


def _translating(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StoreError as exc:
            raise StorageProblem(str(exc)) from None
        except UnicodeEncodeError:  # undecodable bytes in text no validator saw
            raise InvalidInput(f"the text has bytes that are not UTF-8: {NOT_UTF8}") from None

    return wrapper  # type: ignore[return-value]


def _translate_store_errors(cls: type) -> type:
    """Wrap every public method and property so no store exception reaches a caller."""
    for name in dir(cls):
        if name.startswith("_"):
            continue
        member = inspect.getattr_static(cls, name)
        if inspect.isfunction(member):
            setattr(cls, name, _translating(member))
        elif isinstance(member, property) and member.fget is not None:
            setattr(cls, name, property(_translating(member.fget)))
    return cls


@_translate_store_errors
class Desk(
    PeopleMixin,
    IntakeMixin,
    TicketMixin,
    TriageMixin,
    CatalogueMixin,
    ConfigMixin,
    ServiceAdminMixin,
    SlaMixin,
    BulletinMixin,
    KnowledgeMixin,
    MetricsMixin,  # issue 7: reports, staffing, phone records
    MaintenanceMixin,
):
    """Business rules of the help desk over one store, acting as one user."""

    def __init__(self, store: Store, *, login: str | None = None, clock: Clock | None = None):
        self.store = store
        self.clock = clock or Clock()
        self.login = login or current_login()

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, login: str | None = None, clock: Clock | None = None
    ) -> Desk:
        """Open (creating if needed) the database file and upgrade its schema."""
        path = Path(path) if path is not None else default_db_path()
        if path == default_db_path() and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            store = Store(path)
        except StoreError as exc:
            raise StorageProblem(str(exc)) from None
        return cls(store, login=login, clock=clock)

    # -- time -----------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def _stamp(self) -> str:
        return to_stamp(self.clock.now())

    # -- who is acting ----------------------------------------------------------
    @property
    def actor(self) -> User:
        """The acting user; refuses logins that are not helpdesk users."""
        user = self.store.users.get(self.login)
        if user is None:
            if self.store.users.count() == 0:
                raise UnknownUser(
                    f"this database has no users yet: run `helpdesk init` to make "
                    f"{self.login!r} its first admin"
                )
            raise UnknownUser(
                f"{self.login!r} is not a helpdesk user: an admin can add it with "
                f"`helpdesk user add {self.login} --name NAME --role agent`"
            )
        if not user.active:
            raise Forbidden(f"user {self.login!r} is deactivated: ask an admin")
        return user

    def may(self, action: str) -> bool:
        """May the acting user do ``action`` of ``permissions.RULES``? To show or hide a key."""
        return allowed(self.actor, action)

    # -- reference data -------------------------------------------------------------
    def categories(self) -> list[Category]:
        return self.store.reference.categories()

    def category(self, key: str) -> Category:
        found = self.store.reference.category((key or "").strip().lower())
        if found is None:
            names = ", ".join(c.key for c in self.categories())
            raise NotFound(f"unknown category {key!r}: use one of {names}", field="category")
        return found

    def departments(self) -> list[Department]:
        return self.store.reference.departments()

    def is_demo(self) -> bool:
        return self.store.reference.get_meta("demo") == "1"

    # -- change notification ------------------------------------------------------------
    def data_version(self) -> int:
        """Changes whenever any connection commits; the console polls it."""
        return self.store.data_version()

    def close(self) -> None:
        self.store.close()
