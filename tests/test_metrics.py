"""Every report figure on a small hand-made desk, worked out by hand below.

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

from datetime import UTC, datetime, timedelta

import pytest
from metrics_data import MON, Data, at, build

from helpdesk_tui.desk import Desk, Forbidden, InvalidInput
from helpdesk_tui.desk.metrics_period import Period


@pytest.fixture
def data(desk: Desk) -> Data:
    return build(desk)


# -- contacts ---------------------------------------------------------------------------------


def test_contact_volume(data: Data) -> None:
    c = data.report(sections=["contacts"]).contacts
    assert c is not None
    assert c.total == 7  # c1..c7; c0 (Friday) is before the period
    assert c.by_channel == {
        "phone": 3, "email": 2, "walk-in": 1, "chat": 1, "portal": 0, "social": 0,
    }  # fmt: skip
    assert c.walk_ins == 1
    assert c.complaints == 1
    assert c.answered_first_contact == 2  # c1, c6
    assert c.tickets_opened == 4  # c2, c3, c5, c7
    assert c.added_to_tickets == 1  # c4
    assert c.answered_without_ticket == 2
    assert c.first_contact_resolution == pytest.approx(2 / 6)
    # heatmap[weekday][hour]: Mon 09 (c1, c2), Mon 14, Tue 10, Tue 15, Wed 08, Wed 10
    cells = {(d, h): n for d, row in enumerate(c.heatmap) for h, n in enumerate(row) if n}
    assert cells == {(0, 9): 2, (0, 14): 1, (1, 10): 1, (1, 15): 1, (2, 8): 1, (2, 10): 1}
    assert c.peak == (0, 9, 2)
    assert [(d.day, d.contacts) for d in c.per_day] == [
        ("2026-11-23", 3), ("2026-11-24", 2), ("2026-11-25", 2),
    ]  # fmt: skip


# -- tickets -----------------------------------------------------------------------------------


def test_ticket_flow_and_backlog(data: Data) -> None:
    t = data.report(sections=["tickets"]).tickets
    assert t is not None
    assert t.opened == 4  # T1, T2, T5, T4
    assert t.resolved == 2  # T1, T2 (T5's resolution was undone by its reopening)
    assert t.closed == 2
    assert t.reopened == 1
    assert t.resolution_rate == pytest.approx(2 / 4)
    # Open now (Wed 12:00): T0 5 d 2 h old, T5 21 h, T4 2 h.
    assert t.backlog == 3
    assert [(b.label, b.tickets) for b in t.age_buckets] == [
        ("<1 d", 2), ("1-3 d", 0), ("3-7 d", 1), ("1-4 w", 0), ("older", 0),
    ]  # fmt: skip
    assert t.first_contact_resolution == pytest.approx(2 / 6)


def test_ticket_speed(data: Data) -> None:
    t = data.report(sections=["tickets"]).tickets
    assert t is not None
    # Resolution: T1 Mon 09:40 -> Tue 11:00 = 25 h 20 m = 91,200 s;
    #             T2 Mon 14:00 -> Wed 09:00 = 43 h = 154,800 s.
    assert t.resolution.count == 2
    assert t.resolution.median_seconds == pytest.approx((91_200 + 154_800) / 2)
    assert t.resolution.p90_seconds == pytest.approx(91_200 + 0.9 * (154_800 - 91_200))
    # First response (tickets opened in the period): T1 told at its resolution (91,200 s),
    # T5 updated after 30 min (1,800 s); T2 and T4 never.
    assert t.first_response.count == 2
    assert t.first_response.median_seconds == pytest.approx((1_800 + 91_200) / 2)
    assert t.first_response.p90_seconds == pytest.approx(1_800 + 0.9 * (91_200 - 1_800))


def test_escalation_and_levels(data: Data) -> None:
    t = data.report(sections=["tickets"]).tickets
    assert t is not None
    assert t.escalated == 1 and t.escalation_rate == pytest.approx(1 / 4)
    # Resolved in the period: T1 and T2, both at level 1 from creation to resolution.
    levels = {lt.level: (lt.tickets, lt.mean_seconds) for lt in t.levels}
    assert levels[1] == (2, pytest.approx((91_200 + 154_800) / 2))
    assert levels[2] == (0, None) and levels[3] == (0, None)


# -- products, satisfaction --------------------------------------------------------------------


def test_products_and_services_most_asked_about(data: Data) -> None:
    p = data.report(sections=["products"]).products
    assert p is not None
    rows = [(r.name, r.tickets, r.resolved, r.time_to_resolve.median_seconds) for r in p.products]
    assert rows == [
        ("Laptop X1", 2, 2, pytest.approx(123_000)),
        ("VPN client", 1, 0, None),
        ("(no product)", 1, 0, None),
    ]
    cats = [(r.name, r.tickets, r.resolved) for r in p.categories]
    assert cats == [("General question", 3, 2), ("Printer", 1, 0)]


def test_satisfaction(data: Data) -> None:
    s = data.report(sections=["satisfaction"]).satisfaction
    assert s is not None
    assert s.ratings == 2
    assert s.average == pytest.approx(3.5)
    assert s.distribution == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert s.low == 1 and s.low_share == pytest.approx(0.5)
    assert [(r.ticket_id, r.rating, r.comment, r.recorded_by) for r in s.lowest] == [
        (data.t1, 2, "Took too long", "alice")
    ]


def test_the_rating_is_part_of_the_close_event(data: Data) -> None:
    closed = [e for e in data.desk.ticket_view(data.t1).events if e.kind == "closed"]
    assert closed[-1].changes["rating"] == 2
    assert closed[-1].changes["comment"] == "Took too long"
    assert closed[-1].note == "Took too long"


@pytest.mark.parametrize(
    ("rating", "comment", "message"),
    [
        (0, "", "from 1 to 5"),
        (6, "", "from 1 to 5"),
        ("four", "", "from 1 to 5"),
        (None, "great", "needs a rating"),
    ],
)
def test_a_bad_rating_closes_nothing(
    data: Data, rating: object, comment: str, message: str
) -> None:
    data.desk.clock.set(at(2, 12, 30))
    data.alice.resolve(data.t4, "Fixed")
    with pytest.raises(InvalidInput, match=message):
        data.alice.close_ticket(data.t4, rating=rating, comment=comment)  # type: ignore[arg-type]
    assert data.desk.ticket(data.t4).status == "resolved"


# -- knowledge, bulletins, agents ----------------------------------------------------------------


def test_knowledge_counts_contacts_answered_without_a_ticket(data: Data) -> None:
    k = data.report(sections=["knowledge"]).knowledge
    assert k is not None
    assert k.walks == 0 and k.solved_rate is None  # no walks: a blank, not an error
    assert k.answered_without_ticket == 2


def test_agents(data: Data) -> None:
    rows = data.report(sections=["agents"]).agents
    assert rows is not None
    # alice: c1 300, c2 600, c4 120, c5 600, c7 180 -> 120 180 300 600 600, median 300.
    # lee: c3 (no start), c6 60. Resolutions recorded: alice T1 and T5 (T5 reopened
    # later: the work still counts), lee T2.
    assert [(a.agent, a.contacts, a.tickets_resolved, a.median_handle_seconds) for a in rows] == [
        ("alice", 5, 2, pytest.approx(300)),
        ("lee", 2, 1, pytest.approx(60)),
    ]


def test_per_agent_figures_are_for_leads_and_admins(data: Data) -> None:
    with pytest.raises(Forbidden, match="only leads and admins may see per-agent figures"):
        data.report(data.alice, sections=["agents"])
    with pytest.raises(Forbidden):
        data.report(data.alice, by="agent")
    everything = data.report(data.alice)
    assert everything.agents is None and "agents" not in everything.sections
    assert data.report(data.lee).agents is not None


# -- breakdown -------------------------------------------------------------------------------


def test_breakdown_by_channel(data: Data) -> None:
    b = data.report(sections=["contacts"], by="channel").breakdown
    assert b is not None and b.dimension == "channel"
    rows = {r.group: r for r in b.rows}
    assert (rows["phone"].contacts, rows["phone"].complaints, rows["phone"].tickets_opened) == (
        3, 1, 1,
    )  # fmt: skip
    # phone: c1 answered, c7 opened a ticket (c4 is a follow-up): 1 / 2
    assert rows["phone"].first_contact_resolution == pytest.approx(0.5)
    # e-mail opened T1 and T5 (and T0, before the period); T1 resolved in the period
    assert (rows["email"].tickets_opened, rows["email"].tickets_resolved) == (2, 1)
    assert rows["email"].backlog == 2  # T0 and T5 came by e-mail and are open
    assert rows["walk-in"].satisfaction == pytest.approx(5.0)
    assert rows["email"].satisfaction == pytest.approx(2.0)


def test_breakdown_by_category_and_level(data: Data) -> None:
    cats = {r.group: r for r in data.report(by="category").breakdown.rows}  # type: ignore[union-attr]
    assert cats["general"].tickets_opened == 3
    assert cats["general"].median_resolution_seconds == pytest.approx(123_000)
    assert cats["general"].backlog == 2  # T0, T4
    assert cats["(none)"].contacts == 2  # the two answered contacts have no ticket
    levels = {r.group: r for r in data.report(by="level").breakdown.rows}  # type: ignore[union-attr]
    assert levels["level 2"].backlog == 1  # T4
    assert levels["level 1"].contacts == 5  # alice's (level 1); lee is level 2


def test_breakdown_by_weekday_and_hour(data: Data) -> None:
    rows = data.report(by="weekday").breakdown.rows  # type: ignore[union-attr]
    assert [(r.group, r.contacts, r.backlog) for r in rows] == [
        ("Mon", 3, 0), ("Tue", 2, 1), ("Wed", 2, 1), ("Fri", 0, 1),  # T5 Tue, T4 Wed, T0 Fri
    ]  # fmt: skip
    hours = {r.group: r.contacts for r in data.report(by="hour").breakdown.rows}  # type: ignore[union-attr]
    assert hours["09:00"] == 2 and hours["10:00"] == 2


# -- periods and bad input ------------------------------------------------------------------------


def test_an_empty_period_gives_zeros_not_errors(data: Data) -> None:
    d = data.lee
    r = d.report(d.report_period("2025-01-01", "2025-01-31"))
    assert r.contacts is not None and r.contacts.total == 0
    assert r.contacts.first_contact_resolution is None
    assert len(r.contacts.per_day) == 31 and all(x.contacts == 0 for x in r.contacts.per_day)
    assert r.tickets is not None and (r.tickets.opened, r.tickets.resolved) == (0, 0)
    assert r.tickets.resolution.median_seconds is None
    assert r.tickets.backlog == 3  # the backlog is "now", whatever the period
    assert r.satisfaction is not None and r.satisfaction.average is None
    assert r.phone is not None and r.phone.offered == 0 and r.phone.service_level is None
    assert r.staffing is not None and r.staffing.peak_needed == 0
    assert r.agents == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-02-30", None, "--from '2026-02-30' is not a date"),
        ("yesterday", None, "--from 'yesterday' is not a date"),
        (None, "25/11/2026", "--to '25/11/2026' is not a date"),
        ("2026-11-25", "2026-11-01", "--from 2026-11-25 is after --to 2026-11-01"),
    ],
)
def test_bad_dates_are_refused(desk: Desk, start: str, end: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        desk.report_period(start, end)


def test_periods(desk: Desk) -> None:
    # now: Wed 2026-11-25 09:00 UTC
    today = desk.preset_period("today")
    assert (today.start, today.end) == (datetime(2026, 11, 25, tzinfo=UTC), desk.now())
    week = desk.preset_period("week")
    assert week.start == MON
    month = desk.preset_period("30d")
    assert month.start == datetime(2026, 10, 27, tzinfo=UTC) and len(month.days()) == 30
    assert desk.report_period() == month
    one_day = desk.report_period("2026-11-24", "2026-11-24")
    assert (one_day.start, one_day.end) == (at(1, 0), at(2, 0))
    moment = desk.report_period("2026-11-24T10:30", None)
    assert moment.start == at(1, 10, 30) and moment.end == desk.now()
    only_end = desk.report_period(None, "2026-11-24")
    assert only_end.end == at(2, 0) and only_end.start == at(2, 0) - timedelta(days=30)


def test_local_days_and_hours_follow_the_zone(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Sofia")  # UTC+2 in November
    time.tzset()
    try:
        p = desk.report_period("2026-11-24", "2026-11-24")
        assert p.start == datetime(2026, 11, 23, 22, tzinfo=UTC)
        desk.clock.set(datetime(2026, 11, 23, 23, 30, tzinfo=UTC))  # Tue 01:30 in Sofia
        desk.log_contact(channel="phone", customer_id=1, summary="late call")
        c = desk.report(p, sections=["contacts"]).contacts
        assert c is not None and c.heatmap[1][1] == 1 and c.per_day[0].day == "2026-11-24"
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_unknown_sections_and_dimensions(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="unknown report section 'calls'"):
        desk.report(sections=["calls"])
    with pytest.raises(InvalidInput, match="unknown breakdown 'colour'"):
        desk.report(by="colour")
    with pytest.raises(InvalidInput, match="target level"):
        desk.report(target_level=80)


def test_period_label_reads_in_local_time() -> None:
    p = Period(MON, at(2, 12), "custom")
    assert p.label == "2026-11-23 00:00 to 2026-11-25 12:00"


def test_percentiles_by_hand() -> None:
    from helpdesk_tui.desk.metrics_stats import counted_percentile, percentile

    # 10 values: the 90th percentile sits at 0.9 x 9 = 8.1: v[8] + 0.1 (v[9] - v[8]).
    values = [1, 2, 3, 4, 5, 6, 7, 8, 10, 20]
    assert percentile(values, 0.9) == pytest.approx(10 + 0.1 * 10)
    assert percentile(values, 0.5) == pytest.approx(5.5)
    assert percentile([], 0.5) is None
    counted = [(1, 2), (4, 1), (9, 3)]  # 1 1 4 9 9 9
    expanded = [1, 1, 4, 9, 9, 9]
    for p in (0, 0.1, 0.25, 0.5, 0.7, 0.9, 1):
        assert counted_percentile(counted, p) == pytest.approx(percentile(expanded, p))
    assert counted_percentile([], 0.5) is None
