"""Plain records the store hands out: no rows, cursors or sqlite types leak."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from ..clock import from_stamp

T = TypeVar("T")


def _when(value: str | None) -> datetime | None:
    return from_stamp(value) if value else None


@dataclass(frozen=True)
class Department:
    name: str
    description: str = ""


@dataclass(frozen=True)
class User:
    login: str
    name: str
    role: str
    level: int
    department: str | None
    active: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> User:
        return cls(
            login=row["login"],
            name=row["name"],
            role=row["role"],
            level=row["level"],
            department=row["department"],
            active=bool(row["active"]),
            created_at=from_stamp(row["created_at"]),
        )


@dataclass(frozen=True)
class CategoryField:
    key: str
    label: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    department: str | None
    fields: tuple[CategoryField, ...] = ()
    position: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Category:
        fields = tuple(
            CategoryField(
                key=f["key"],
                label=f.get("label", f["key"]),
                required=bool(f.get("required", False)),
                help=f.get("help", ""),
                choices=tuple(f.get("choices", ())),
            )
            for f in json.loads(row["fields"])
        )
        return cls(row["key"], row["name"], row["department"], fields, row["position"])


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    email: str
    phone: str
    org: str
    tier: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Customer:
        return cls(
            id=row["id"],
            name=row["name"],
            email=row["email"],
            phone=row["phone"],
            org=row["org"],
            tier=row["tier"],
            created_at=from_stamp(row["created_at"]),
        )


@dataclass(frozen=True)
class Contact:
    id: int
    at: datetime
    started_at: datetime | None
    channel: str
    customer_id: int
    customer_name: str
    agent: str
    summary: str
    outcome: str
    ticket_id: int | None
    entitled: bool | None = None  # None: not checked
    override_reason: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Contact:
        return cls(
            id=row["id"],
            at=from_stamp(row["at"]),
            started_at=_when(row["started_at"]),
            channel=row["channel"],
            customer_id=row["customer_id"],
            customer_name=row.get("customer_name") or "",
            agent=row["agent"],
            summary=row["summary"],
            outcome=row["outcome"],
            ticket_id=row["ticket_id"],
            entitled=None if row.get("entitled") is None else bool(row["entitled"]),
            override_reason=row.get("override_reason"),
        )


@dataclass(frozen=True)
class Ticket:
    id: int
    created_at: datetime
    updated_at: datetime
    created_by: str
    customer_id: int
    customer_name: str
    category: str
    title: str
    description: str
    fields: dict[str, str]
    priority: str
    status: str
    department: str | None
    level: int
    owner: str | None
    resolution: str
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int
    escalations: int = 0
    returns: int = 0
    lead_flag: bool = False
    vendor: str | None = None
    vendor_ref: str | None = None
    vendor_due: str | None = None  # a date as typed (ISO), no time zone
    duplicate_of: int | None = None
    last_update_at: datetime | None = None  # last message to the customer
    product_id: int | None = None
    asset_id: int | None = None
    warranty: str | None = None  # valid / expired / unknown, as seen at intake
    business_critical: bool = False
    sla_plan: str | None = None
    first_response_at: datetime | None = None
    due_at: datetime | None = None  # the next SLA due time (None: no running clock)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Ticket:
        return cls(
            id=row["id"],
            created_at=from_stamp(row["created_at"]),
            updated_at=from_stamp(row["updated_at"]),
            created_by=row["created_by"],
            customer_id=row["customer_id"],
            customer_name=row.get("customer_name") or "",
            category=row["category"],
            title=row["title"],
            description=row["description"],
            fields=json.loads(row["fields"]),
            priority=row["priority"],
            status=row["status"],
            department=row["department"],
            level=row["level"],
            owner=row["owner"],
            resolution=row["resolution"],
            resolved_at=_when(row["resolved_at"]),
            closed_at=_when(row["closed_at"]),
            version=row["version"],
            escalations=row.get("escalations", 0),
            returns=row.get("returns", 0),
            lead_flag=bool(row.get("lead_flag", 0)),
            vendor=row.get("vendor"),
            vendor_ref=row.get("vendor_ref"),
            vendor_due=row.get("vendor_due"),
            duplicate_of=row.get("duplicate_of"),
            last_update_at=_when(row.get("last_update_at")),
            product_id=row.get("product_id"),
            asset_id=row.get("asset_id"),
            warranty=row.get("warranty"),
            business_critical=bool(row.get("business_critical", 0)),
            sla_plan=row.get("sla_plan"),
            first_response_at=_when(row.get("first_response_at")),
            due_at=_when(row.get("due_at")),
        )


@dataclass(frozen=True)
class Event:
    id: int
    ticket_id: int
    at: datetime
    actor: str
    kind: str
    field: str | None
    old_value: str | None
    new_value: str | None
    note: str
    contact_id: int | None
    #: Every field the action changed: {field: [old, new]}.
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        return cls(
            id=row["id"],
            ticket_id=row["ticket_id"],
            at=from_stamp(row["at"]),
            actor=row["actor"],
            kind=row["kind"],
            field=row["field"],
            old_value=row["old_value"],
            new_value=row["new_value"],
            note=row["note"],
            contact_id=row["contact_id"],
            changes=json.loads(row["data"]) if row.get("data") else {},
        )


@dataclass(frozen=True)
class PageKey:
    """Keyset position: the (created_at, id) of a row in index order."""

    created_at: str
    id: int


@dataclass(frozen=True)
class Page(Generic[T]):
    """One window of a long list, with where it sits in the whole."""

    rows: list[T]
    offset: int  # rows before this page
    total: int
    first_key: PageKey | None = None
    last_key: PageKey | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.rows) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0
