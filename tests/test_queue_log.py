"""The phone system's call records: Asterisk queue_log and plain CSV, and importing them.

The queue_log lines follow Asterisk's documented layout
(epoch|callid|queue|agent|event|data...), as a 13+ system writes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import as_user

from helpdesk_tui.desk import Desk, InvalidInput, NotFound
from helpdesk_tui.desk.queue_log import parse_asterisk, parse_csv

QUEUE_LOG = """\
1700000000|NONE|NONE|NONE|QUEUESTART|
1700000100|1700000100.1|support|NONE|ENTERQUEUE||+15550100|1
1700000110|1700000100.1|support|PJSIP/1001|CONNECT|10|1700000110.2|3
1700000410|1700000100.1|support|PJSIP/1001|COMPLETECALLER|10|300|1
1700000200|1700000200.3|support|NONE|ENTERQUEUE||+15550101|1
1700000245|1700000200.3|support|NONE|ABANDON|1|1|45
1700000300|1700000300.5|support|NONE|ENTERQUEUE||+15550102|2
1700000305|1700000300.5|support|PJSIP/1002|RINGNOANSWER|5000
1700000330|1700000300.5|support|PJSIP/1003|CONNECT|30|1700000330.6|2
1700000450|1700000300.5|support|PJSIP/1003|BLINDTRANSFER|2000|from-internal|30|120|2
1700000500|1700000500.7|sales|NONE|ENTERQUEUE||+15550103|1
1700000800|1700000500.7|sales|NONE|EXITWITHTIMEOUT|1|1|300
1700000600|1700000600.8|sales|NONE|ENTERQUEUE||+15550104|1
1700000612|1700000600.8|sales|NONE|EXITWITHKEY|5|1|1|12
1700000700|NONE|support|PJSIP/1001|ADDMEMBER|
1700000701|NONE|support|PJSIP/1001|PAUSE|Lunch
garbage line here
1700000x00|1.2|support|NONE|ENTERQUEUE||x|1
1700000900|1700000900.10|support|NONE|SOMETHINGNEW|a|b
1700000950|1700000950.11|support|PJSIP/1001|CONNECT|abc|x|1
1700001000|1700001000.12|support|NONE|ENTERQUEUE||+15550105|1
1700000999|1700000990.13|support|PJSIP/1002|COMPLETEAGENT|9|61|1
"""


def when(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def test_asterisk_calls_read_by_hand() -> None:
    result = parse_asterisk(QUEUE_LOG.splitlines(keepends=True))
    legs = {c.call_id: c for c in result.calls}
    assert set(legs) == {
        "1700000100.1", "1700000200.3", "1700000300.5", "1700000500.7", "1700000600.8",
        "1700000990.13",
    }  # fmt: skip
    answered = legs["1700000100.1"]
    assert (answered.outcome, answered.wait_seconds, answered.talk_seconds) == ("answered", 10, 300)
    assert (answered.agent, answered.caller, answered.queue) == (
        "PJSIP/1001",
        "+15550100",
        "support",
    )
    assert answered.entered_at == when(1700000100)
    abandoned = legs["1700000200.3"]
    assert (abandoned.outcome, abandoned.wait_seconds, abandoned.talk_seconds) == (
        "abandoned",
        45,
        None,
    )
    moved = legs["1700000300.5"]
    assert (moved.outcome, moved.wait_seconds, moved.talk_seconds, moved.transferred) == (
        "answered", 30, 120, True,
    )  # fmt: skip
    assert moved.agent == "PJSIP/1003"
    assert (legs["1700000500.7"].outcome, legs["1700000500.7"].wait_seconds) == ("timeout", 300)
    assert (legs["1700000600.8"].outcome, legs["1700000600.8"].wait_seconds) == ("exit_key", 12)
    # The file began mid-call: entered = 999 - 9 (wait) - 61 (talk).
    mid = legs["1700000990.13"]
    assert mid.entered_at == when(1700000929) and (mid.wait_seconds, mid.talk_seconds) == (9, 61)
    # Broken lines, with their numbers; the unknown event counted; one caller still waiting.
    assert result.problems == [
        (17, "expected epoch|callid|queue|agent|event, got 'garbage line here'"),
        (18, "the time '1700000x00' is not a Unix epoch"),
        (20, "CONNECT of call 1700000950.11: a number does not parse"),
    ]
    assert result.unknown_events == {"SOMETHINGNEW": 1}
    assert result.still_waiting == 1
    assert result.lines == 22


def test_a_connected_call_at_the_end_of_the_file_counts_as_answered() -> None:
    result = parse_asterisk(
        [
            "1700000100|9.1|support|NONE|ENTERQUEUE||+1|1\n",
            "1700000104|9.1|support|SIP/7|CONNECT|4|9.2|1\n",
        ]
    )
    [call] = result.calls
    assert (call.outcome, call.wait_seconds, call.talk_seconds, call.agent) == (
        "answered", 4, None, "SIP/7",
    )  # fmt: skip


def test_an_abandon_without_wait_or_entry_is_a_problem() -> None:
    result = parse_asterisk(["1700000245|5.5|support|NONE|ABANDON|1\n"])
    assert result.calls == [] and result.problems == [(1, "ABANDON of call 5.5 gives no wait time")]


CSV = """\
call_id,queue,entered_at,outcome,wait_seconds,talk_seconds,agent,caller,transferred
a1,support,2026-11-23T09:00:00Z,answered,12,240,alice,+1555,no
a2,support,2026-11-23T09:05:00Z,abandoned,50,,,,
a3,support,not a time,answered,1,1,,,
a4,support,1700000000,answered,-3,1,,,
a5,support,2026-11-23T10:00:00+01:00,timeout,300,,,,yes
a6,support,2026-11-23T10:00:00Z,hung-up,1,,,,
"""


def test_csv_calls() -> None:
    result = parse_csv(CSV.splitlines(keepends=True))
    assert [(c.call_id, c.outcome, c.wait_seconds, c.talk_seconds) for c in result.calls] == [
        ("a1", "answered", 12, 240),
        ("a5", "timeout", 300, None),
        ("a2", "abandoned", 50, None),
    ]
    a5 = next(c for c in result.calls if c.call_id == "a5")
    assert a5.entered_at == datetime(2026, 11, 23, 9, tzinfo=UTC) and a5.transferred
    assert [n for n, _ in result.problems] == [4, 5, 7]
    assert "not ISO 8601" in result.problems[0][1]
    assert "wait_seconds '-3'" in result.problems[1][1]
    assert "outcome 'hung-up'" in result.problems[2][1]


def test_csv_without_the_required_columns() -> None:
    result = parse_csv(["id,when\n", "1,2\n"])
    assert result.calls == [] and result.problems[0][0] == 1
    assert "lacks call_id, entered_at, outcome" in result.problems[0][1]


# -- importing ------------------------------------------------------------------------------


def test_import_twice_does_not_double(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "queue_log"
    path.write_text(QUEUE_LOG)
    first = desk.import_calls(path)
    assert (first.read, first.imported, first.already_there) == (6, 6, 0)
    assert [n for n, _ in first.problems] == [17, 18, 20] and first.problem_count == 3
    assert first.unknown_events == {"SOMETHINGNEW": 1} and first.still_waiting == 1
    again = desk.import_calls(path)
    assert (again.read, again.imported, again.already_there) == (6, 0, 6)
    assert desk.calls_count() == 6
    # A later, longer log (the waiting caller was answered) adds only what is new.
    path.write_text(
        QUEUE_LOG
        + "1700001020|1700001000.12|support|PJSIP/1001|CONNECT|20|x.1|1\n"
        + "1700001080|1700001000.12|support|PJSIP/1001|COMPLETEAGENT|20|60|1\n"
    )
    later = desk.import_calls(path)
    assert (later.read, later.imported, later.already_there) == (7, 1, 6)
    assert desk.calls_count() == 7


def test_import_csv(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(CSV)
    done = desk.import_calls(path, "csv")
    assert (done.imported, done.problem_count) == (3, 3)


def test_import_refusals(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no file"):
        desk.import_calls(tmp_path / "missing.log")
    with pytest.raises(InvalidInput, match="is a folder"):
        desk.import_calls(tmp_path)
    with pytest.raises(InvalidInput, match="unknown calls format 'xml'"):
        desk.import_calls(tmp_path, "xml")
    assert desk.calls_count() == 0


def test_any_user_may_import_calls(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "queue_log"
    path.write_text(QUEUE_LOG)
    assert as_user(desk, "alice").import_calls(path).imported == 6
