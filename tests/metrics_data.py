"""The hand-made desk the metrics tests work their figures out on (see test_metrics.py).

The desk (times UTC; the tests run with TZ=UTC, so local = UTC). Period: --from
2026-11-23 (Mon) --to 2026-11-25 (Wed) = [Mon 00:00, Thu 00:00); "now" is Wed 12:00.

Before the period: Fri 20 10:00 alice, e-mail -> ticket T0 (general), still open.

    contact  when          channel  agent  handled  outcome
    c1       Mon 09:10     phone    alice  300 s    answered
    c2       Mon 09:40     email    alice  600 s    ticket T1 (general, product laptop)
    c3       Mon 14:00     walk-in  lee    -        ticket T2 (general, product laptop)
    c4       Tue 10:00     phone    alice  120 s    existing T1, a complaint
    c5       Tue 15:00     email    alice  600 s    ticket T5 (printer)
    c6       Wed 08:00     chat     lee    60 s     answered
    c7       Wed 10:00     phone    alice  180 s    ticket T4 (general, product vpn)

    T1 resolved Tue 11:00 by alice (customer told by phone), closed Tue 12:00, rating 2
    T2 resolved Wed 09:00 by lee (not told), closed Wed 09:30, rating 5
    T5 customer update Tue 15:30; resolved Tue 16:00; reopened Wed 11:00 (open again)
    T4 escalated to level 2 Wed 10:30
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from conftest import as_user

from helpdesk_tui.desk import Desk, TicketDraft

MON = datetime(2026, 11, 23, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Day 0 = Monday 2026-11-23."""
    return MON + timedelta(days=day, hours=hour, minutes=minute)


@dataclass
class Data:
    desk: Desk
    alice: Desk
    lee: Desk
    t0: int
    t1: int
    t2: int
    t4: int
    t5: int

    def report(self, who: Desk | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        d = who or self.lee
        return d.report(d.report_period("2026-11-23", "2026-11-25"), **kwargs)


def _contact(d: Desk, channel: str, minutes: float | None, **kwargs: object) -> int:
    now = d.now()
    started = now - timedelta(minutes=minutes) if minutes is not None else None
    result = d.log_contact(
        channel=channel, customer_id=1, summary=f"{channel} contact", started_at=started, **kwargs
    )
    return result.ticket.id if result.ticket else result.contact.id


def build(desk: Desk) -> Data:
    clock = desk.clock
    desk.add_product("laptop", "Laptop X1", "general")
    desk.add_product("vpn", "VPN client", "general")
    alice, lee = as_user(desk, "alice"), as_user(desk, "lee")
    general = TicketDraft("Cannot log in", "general")

    clock.set(datetime(2026, 11, 20, 10, tzinfo=UTC))
    t0 = _contact(alice, "email", 5, outcome="ticket", ticket=general)
    clock.set(at(0, 9, 10))
    _contact(alice, "phone", 5)
    clock.set(at(0, 9, 40))
    t1 = _contact(
        alice,
        "email",
        10,
        outcome="ticket",
        ticket=TicketDraft("Laptop slow", "general", product="laptop"),
    )
    clock.set(at(0, 14))
    t2 = _contact(
        lee,
        "walk-in",
        None,
        outcome="ticket",
        ticket=TicketDraft("Laptop fan", "general", product="laptop"),
    )
    clock.set(at(1, 10))
    c4 = alice.log_contact(
        channel="phone", customer_id=1, summary="Still slow!", outcome="existing",
        existing_ticket=t1, started_at=at(1, 9, 58),
    ).contact.id  # fmt: skip
    desk.store.session.execute("UPDATE contacts SET reason = 'complaint' WHERE id = ?", [c4])
    clock.set(at(1, 11))
    alice.resolve(t1, "Replaced the disk", told_via="phone")
    clock.set(at(1, 12))
    alice.close_ticket(t1, rating=2, comment="Took too long")
    clock.set(at(1, 15))
    t5 = _contact(
        alice, "email", 10, outcome="ticket",
        ticket=TicketDraft("Printer jam", "printer", fields={"printer_name": "PR-1"}),
    )  # fmt: skip
    clock.set(at(1, 15, 30))
    alice.update_customer(t5, "email", "Looking at it")
    clock.set(at(1, 16))
    alice.resolve(t5, "Cleared the jam")
    clock.set(at(2, 8))
    _contact(lee, "chat", 1)
    clock.set(at(2, 9))
    lee.resolve(t2, "Cleaned the fan")
    clock.set(at(2, 9, 30))
    lee.close_ticket(t2, rating=5)
    clock.set(at(2, 10))
    t4 = _contact(
        alice,
        "phone",
        3,
        outcome="ticket",
        ticket=TicketDraft("VPN drops", "general", product="vpn"),
    )
    clock.set(at(2, 10, 30))
    alice.escalate(t4, "needs network team", "reinstalled the client")
    clock.set(at(2, 11))
    alice.reopen_ticket(t5, "Jammed again")
    clock.set(at(2, 12))
    return Data(desk, alice, lee, t0, t1, t2, t4, t5)
