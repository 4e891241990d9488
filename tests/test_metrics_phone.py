"""Phone queue and staffing on the hand-made desk of metrics_data.py, worked out by hand.

The phone system's log for Monday 2026-11-23 (UTC):

    call  entered   outcome                       wait   talk
    A     09:00:00  answered, completed by caller   10 s  300 s
    B     09:01:00  abandoned                       45 s
    C     09:02:00  answered, then transferred      30 s  120 s
    D     14:00:00  timed out                      300 s
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pytest
from metrics_data import MON, Data, build

from helpdesk_tui.desk import Desk, erlang


def epoch(hour: int, minute: int = 0, second: int = 0) -> int:
    return int(MON.timestamp()) + hour * 3600 + minute * 60 + second


def queue_log() -> str:
    lines = [
        (epoch(9), "A.1", "NONE", "ENTERQUEUE", "|+1555000"),
        (epoch(9, 0, 10), "A.1", "SIP/alice", "CONNECT", "10|A.2|2"),
        (epoch(9, 5, 10), "A.1", "SIP/alice", "COMPLETECALLER", "10|300|1"),
        (epoch(9, 1), "B.1", "NONE", "ENTERQUEUE", "|+1555001"),
        (epoch(9, 1, 45), "B.1", "NONE", "ABANDON", "1|1|45"),
        (epoch(9, 2), "C.1", "NONE", "ENTERQUEUE", "|+1555002"),
        (epoch(9, 2, 30), "C.1", "SIP/lee", "CONNECT", "30|C.2|1"),
        (epoch(9, 4, 30), "C.1", "SIP/lee", "TRANSFER", "200|from-internal|30|120|1"),
        (epoch(14), "D.1", "NONE", "ENTERQUEUE", "|+1555003"),
        (epoch(14, 5), "D.1", "NONE", "EXITWITHTIMEOUT", "1|1|300"),
    ]
    return "".join(f"{t}|{c}|support|{a}|{e}|{d}\n" for t, c, a, e, d in lines)


@pytest.fixture
def data(desk: Desk, tmp_path: Path) -> Data:
    built = build(desk)
    log = tmp_path / "queue_log"
    log.write_text(queue_log())
    assert desk.import_calls(log).imported == 4
    return built


def test_phone_queue(data: Data) -> None:
    p = data.report(sections=["phone"]).phone
    assert p is not None
    assert (p.offered, p.answered, p.abandoned, p.other_unanswered) == (4, 2, 1, 1)
    assert p.abandon_rate == pytest.approx(1 / 4)
    assert p.asa_seconds == pytest.approx((10 + 30) / 2)
    assert p.longest_wait_seconds == pytest.approx(300)
    assert p.service_level == pytest.approx(1 / 4)  # only A within 20 s
    assert p.average_talk_seconds == pytest.approx((300 + 120) / 2)
    nine, two = p.by_hour[9], p.by_hour[14]
    # Three days in the period: each hour of the day occurs three times.
    assert (nine.offered, nine.answered, nine.abandoned) == (3, 2, 1)
    assert nine.offered_per_day == pytest.approx(1.0)
    assert nine.mean_waiting == pytest.approx((10 + 45 + 30) / (3 * 3600))
    assert nine.longest_wait_seconds == pytest.approx(45)
    assert two.mean_waiting == pytest.approx(300 / (3 * 3600))
    assert sum(h.offered for h in p.by_hour) == 4


def test_a_stricter_answer_target(data: Data) -> None:
    p = data.report(sections=["phone"], target_seconds=30).phone
    assert p is not None and p.service_level == pytest.approx(2 / 4)  # A and C


def test_staffing_with_call_records(data: Data) -> None:
    d = data.lee
    st = d.staffing(d.report_period("2026-11-23", "2026-11-25"))
    assert st.phone_source == "calls"  # calls replace the phone contacts c1, c4, c7
    # Handle times: e-mail c2, c5 600 s; chat c6 60 s; phone c1 300, c4 120, c7 180 -> 200;
    # calls' talk (300 + 120) / 2 = 210. Walk-ins untimed: the mean of those, 267.5 s.
    assert st.aht_by_channel == pytest.approx(
        {"calls": 210.0, "chat": 60.0, "email": 600.0, "phone": 200.0}
    )
    hours = {(h.weekday, h.hour): h for h in st.hours}
    assert len(hours) == 7 * 24
    # Mon 09: e-mail c2 and calls A, B, C: 4 an hour (Monday 09 occurs once);
    # AHT (600 + 3 x 210) / 4 = 307.5 s; load 4 x 307.5 / 3600 Erlangs.
    mon9 = hours[(0, 9)]
    assert mon9.arrivals_per_hour == pytest.approx(4)
    assert mon9.aht_seconds == pytest.approx(307.5)
    assert mon9.load == pytest.approx(4 * 307.5 / 3600)
    # One agent: SL = 1 - A e^(-(1 - A) 20 / 307.5) = 0.673 < 0.8; two: 0.955.
    a = 4 * 307.5 / 3600
    assert erlang.service_level(1, a, 307.5, 20) == pytest.approx(
        1 - a * math.exp(-(1 - a) * 20 / 307.5)
    )
    assert erlang.service_level(1, a, 307.5, 20) == pytest.approx(0.6727, abs=1e-3)
    assert mon9.needed == 2 and mon9.service_level == pytest.approx(0.9552, abs=1e-3)
    assert mon9.worked == 1 and mon9.verdict == "under"  # only alice logged contacts
    # Mon 14: walk-in c3 (267.5 s) and call D (210 s): 2 an hour, AHT 238.75 s;
    # one agent: 1 - 0.1326 e^(-0.8674 x 20 / 238.75) = 0.877: enough, and lee was there.
    mon14 = hours[(0, 14)]
    assert mon14.aht_seconds == pytest.approx(238.75)
    assert (mon14.needed, mon14.worked, mon14.verdict) == (1, 1, "")
    assert mon14.service_level == pytest.approx(0.8767, abs=1e-3)
    # Tue 10: only phone contact c4 (counted by the calls, and there were none): nobody
    # needed, alice worked: one spare agent is not yet "over".
    assert (hours[(1, 10)].needed, hours[(1, 10)].worked, hours[(1, 10)].verdict) == (0, 1, "")
    assert [(h.weekday, h.hour) for h in st.under] == [(0, 9)]
    assert st.over == [] and st.peak_needed == 2
    assert all(h.needed == 0 and h.worked == 0 for k, h in hours.items() if k[0] >= 3)


def test_staffing_from_the_contact_log_alone(desk: Desk) -> None:
    data = build(desk)
    d = data.lee
    st = d.staffing(d.report_period("2026-11-23", "2026-11-25"))
    assert st.phone_source == "contacts"
    mon9 = next(h for h in st.hours if (h.weekday, h.hour) == (0, 9))
    # phone c1 (phone AHT 200 s) and e-mail c2 (600 s): 2 an hour, AHT 400 s, A = 0.2222;
    # one agent: 1 - 0.2222 e^(-0.7778 x 20 / 400) = 0.786 < 0.8; two agents: 0.980.
    assert mon9.arrivals_per_hour == pytest.approx(2) and mon9.aht_seconds == pytest.approx(400)
    assert erlang.service_level(1, 2 * 400 / 3600, 400, 20) == pytest.approx(0.786, abs=1e-3)
    assert mon9.needed == 2 and mon9.verdict == "under"


def test_over_staffed_hours_stand_out(desk: Desk) -> None:
    data = build(desk)
    for login in ("admin", "lee"):  # two more agents log a contact on Mon 09
        desk.clock.set(datetime.fromisoformat("2026-11-23T09:30:00+00:00"))
        who = data.desk if login == "admin" else data.lee
        who.log_contact(channel="chat", customer_id=1, summary="quick question")
    d = data.lee
    st = d.staffing(d.report_period("2026-11-30", "2026-12-06"), target_level=0.5)
    assert st.peak_needed == 0  # nothing that week: no need, nobody worked
    st = d.staffing(d.report_period("2026-11-23", "2026-11-25"), target_level=0.5)
    mon9 = next(h for h in st.hours if (h.weekday, h.hour) == (0, 9))
    assert mon9.worked == 3
    assert mon9.needed == 1 and mon9.verdict == "over"  # 3 agents > 1 needed + 1 spare
