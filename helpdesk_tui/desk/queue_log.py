"""Reading the phone system's call records: Asterisk ``queue_log`` and a plain CSV.

Asterisk (the most common open-source PBX) writes one line per queue event::

    epoch|callid|queue|agent|EVENT|data1|data2|...

A call's leg in a queue starts with ``ENTERQUEUE`` (data: url, caller id) and ends with
one of: ``CONNECT`` (data: holdtime, bridged channel, ringtime) followed by
``COMPLETECALLER``/``COMPLETEAGENT`` (holdtime, calltime, position) or a transfer
(``TRANSFER``, ``BLINDTRANSFER``, ``ATTENDEDTRANSFER``: holdtime and calltime are their
last data fields but one and two); ``ABANDON`` (position, original position, waittime);
``EXITWITHTIMEOUT`` (position, original position, waittime); ``EXITWITHKEY`` (key,
position, original position, waittime); ``EXITEMPTY`` (position, original position,
waittime). Agent and queue events (``AGENTLOGIN``, ``PAUSE``, ``QUEUESTART``...) are known
and not calls; any other event name is skipped and counted.

One :class:`CallRecord` per leg. Its entry time is the ``ENTERQUEUE`` time, or, when the
file starts mid-call, the end event's time less the wait (and talk) it reports, so the
same call read from two overlapping files gets the same key. Broken lines (too few
fields, a time or a number that does not parse) are reported with their line numbers;
the good lines are still read. Pure: text in, records out.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .metrics_period import parse_moment

OUTCOMES: tuple[str, ...] = ("answered", "abandoned", "timeout", "exit_key", "exit_empty")
FORMATS: tuple[str, ...] = ("asterisk", "csv")

_TRANSFERS = frozenset({"TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"})
_COMPLETE = frozenset({"COMPLETECALLER", "COMPLETEAGENT"})
_EXITS = {
    "ABANDON": ("abandoned", 2),
    "EXITWITHTIMEOUT": ("timeout", 2),
    "EXITWITHKEY": ("exit_key", 3),
    "EXITEMPTY": ("exit_empty", 2),
}
#: Events that belong to a call but do not start or end its leg.
_CALL_NOISE = frozenset({"RINGNOANSWER", "RINGCANCELED", "DID", "INFO", "ENTERQUEUE_URL"})
#: Events about agents and queues, not calls.
_NOT_CALLS = frozenset(
    {
        "QUEUESTART",
        "CONFIGRELOAD",
        "AGENTLOGIN",
        "AGENTLOGOFF",
        "AGENTCALLBACKLOGIN",
        "AGENTCALLBACKLOGOFF",
        "ADDMEMBER",
        "REMOVEMEMBER",
        "PAUSE",
        "UNPAUSE",
        "PAUSEALL",
        "UNPAUSEALL",
        "AGENTDUMP",
        "SYSCOMPAT",
        "PENALTY",
        "RINGINUSE",
    }
)
#: Shown at most this many problems; the rest are counted.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class CallRecord:
    """One call's leg in one queue."""

    call_id: str
    queue: str
    entered_at: datetime
    outcome: str  # one of OUTCOMES
    wait_seconds: float
    talk_seconds: float | None = None
    agent: str = ""
    caller: str = ""
    transferred: bool = False


@dataclass
class ParseResult:
    """What a file held: the calls, the broken lines, what was skipped."""

    calls: list[CallRecord] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, what)
    problem_count: int = 0
    unknown_events: dict[str, int] = field(default_factory=dict)
    still_waiting: int = 0  # entered the queue, no end in the file: not imported
    lines: int = 0

    def problem(self, line: int, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))

    @property
    def unknown_count(self) -> int:
        return sum(self.unknown_events.values())


@dataclass
class _Leg:
    entered: datetime | None = None
    caller: str = ""
    answered: datetime | None = None
    wait: float | None = None
    agent: str = ""


def _number(text: str) -> float:
    value = float(text)
    if value < 0 or not math.isfinite(value):
        raise ValueError(text)
    return value


def _field(data: list[str], index: int) -> str | None:
    return data[index] if -len(data) <= index < len(data) and data[index] != "" else None


def parse_asterisk(lines: Iterable[str]) -> ParseResult:
    """Read queue_log lines (any iterable of text lines) into call legs."""
    result = ParseResult()
    legs: dict[tuple[str, str], _Leg] = {}
    for number, raw in enumerate(lines, 1):
        result.lines = number
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        parts = line.split("|")
        if len(parts) < 5:
            result.problem(number, f"expected epoch|callid|queue|agent|event, got {line[:60]!r}")
            continue
        stamp, call_id, queue, agent, event = (p.strip() for p in parts[:5])
        data = [p.strip() for p in parts[5:]]
        try:
            at = datetime.fromtimestamp(_number(stamp), UTC)
        except (ValueError, OverflowError, OSError):
            result.problem(number, f"the time {stamp[:30]!r} is not a Unix epoch")
            continue
        event = event.upper()
        if event in _NOT_CALLS or event in _CALL_NOISE:
            continue
        key = (call_id, queue)
        try:
            if event == "ENTERQUEUE":
                legs[key] = _Leg(entered=at, caller=_field(data, 1) or "")
            elif event == "CONNECT":
                hold = _number(data[0]) if data and data[0] else None
                leg = legs.setdefault(key, _Leg())
                leg.wait = hold if hold is not None else leg.wait
                leg.answered, leg.agent = at, agent
                if leg.entered is None and leg.wait is not None:
                    leg.entered = at - timedelta(seconds=leg.wait)
            elif event in _COMPLETE or event in _TRANSFERS:
                _finish(result, legs.pop(key, _Leg()), key, at, agent, event, data)
            elif event in _EXITS:
                outcome, wait_at = _EXITS[event]
                leg = legs.pop(key, _Leg())
                wait_text = _field(data, wait_at)
                wait = _number(wait_text) if wait_text is not None else None
                entered = leg.entered
                if wait is None and entered is not None:
                    wait = (at - entered).total_seconds()
                if wait is None:
                    result.problem(number, f"{event} of call {call_id} gives no wait time")
                    continue
                if entered is None:
                    entered = at - timedelta(seconds=wait)
                result.calls.append(
                    CallRecord(call_id, queue, entered, outcome, wait, caller=leg.caller)
                )
            else:
                result.unknown_events[event] = result.unknown_events.get(event, 0) + 1
        except (ValueError, IndexError):
            result.problem(number, f"{event} of call {call_id}: a number does not parse")
        except _Broken as exc:
            result.problem(number, str(exc))
    for (call_id, queue), leg in legs.items():
        if leg.answered is not None and leg.entered is not None:
            # Connected when the file ends: answered, talk time not known yet.
            result.calls.append(
                CallRecord(
                    call_id,
                    queue,
                    leg.entered,
                    "answered",
                    leg.wait or 0.0,
                    None,
                    leg.agent,
                    leg.caller,
                )  # fmt: skip
            )
        else:
            result.still_waiting += 1
    result.calls.sort(key=lambda c: (c.entered_at, c.call_id, c.queue))
    return result


class _Broken(Exception):
    """A line that is well formed but cannot end a call."""


def _finish(
    result: ParseResult,
    leg: _Leg,
    key: tuple[str, str],
    at: datetime,
    agent: str,
    event: str,
    data: list[str],
) -> None:
    """An answered call ends: completed by either side, or transferred."""
    if len(data) < 3:
        raise _Broken(f"{event} of call {key[0]} needs holdtime and calltime")
    hold, talk = _number(data[-3]), _number(data[-2])
    if event in _COMPLETE:
        hold, talk = _number(data[0]), _number(data[1])
    wait = leg.wait if leg.wait is not None else hold
    entered = leg.entered or at - timedelta(seconds=hold + talk)
    result.calls.append(
        CallRecord(
            key[0],
            key[1],
            entered,
            "answered",
            wait,
            talk,
            leg.agent or agent,
            leg.caller,
            transferred=event in _TRANSFERS,
        )  # fmt: skip
    )


# -- plain CSV -----------------------------------------------------------------------------

CSV_COLUMNS: tuple[str, ...] = (
    "call_id",
    "queue",
    "entered_at",
    "outcome",
    "wait_seconds",
    "talk_seconds",
    "agent",
    "caller",
    "transferred",
)
_CSV_REQUIRED = ("call_id", "entered_at", "outcome")
_TRUE = {"1", "yes", "true", "y"}
_FALSE = {"", "0", "no", "false", "n"}


def parse_csv(lines: Iterable[str]) -> ParseResult:
    """A CSV with a header row naming (some of) :data:`CSV_COLUMNS`.

    ``call_id``, ``entered_at`` (ISO 8601, local time unless it names a zone, or
    epoch seconds) and ``outcome`` are required; the rest default to empty or zero.
    """
    result = ParseResult()
    reader = csv.reader(lines)
    header: list[str] | None = None
    for row in reader:
        number = reader.line_num
        result.lines = number
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            missing = [c for c in _CSV_REQUIRED if c not in header]
            if missing:
                result.problem(
                    number,
                    f"the header lacks {', '.join(missing)} (columns: {', '.join(CSV_COLUMNS)})",
                )
                return result
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        try:
            result.calls.append(_csv_call(values))
        except ValueError as exc:
            result.problem(number, str(exc))
    result.calls.sort(key=lambda c: (c.entered_at, c.call_id, c.queue))
    return result


def _csv_call(values: dict[str, str]) -> CallRecord:
    call_id = values.get("call_id", "")
    if not call_id:
        raise ValueError("call_id is empty")
    entered = parse_moment(values.get("entered_at", ""))
    if entered is None:
        raise ValueError(
            f"entered_at {values.get('entered_at', '')!r} is not ISO 8601 or epoch seconds"
        )
    outcome = values.get("outcome", "").lower().replace("-", "_")
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome {values.get('outcome')!r}: use one of {', '.join(OUTCOMES)}")
    numbers: dict[str, float | None] = {}
    for name in ("wait_seconds", "talk_seconds"):
        text = values.get(name, "")
        try:
            numbers[name] = _number(text) if text else None
        except ValueError:
            raise ValueError(f"{name} {text!r} is not a number of seconds") from None
    flag = values.get("transferred", "").lower()
    if flag not in _TRUE | _FALSE:
        raise ValueError(f"transferred {flag!r}: use yes or no")
    return CallRecord(
        call_id=call_id,
        queue=values.get("queue", ""),
        entered_at=entered,
        outcome=outcome,
        wait_seconds=numbers["wait_seconds"] or 0.0,
        talk_seconds=numbers["talk_seconds"],
        agent=values.get("agent", ""),
        caller=values.get("caller", ""),
        transferred=flag in _TRUE,
    )


def parse(lines: Iterable[str], fmt: str) -> ParseResult:
    return parse_csv(lines) if fmt == "csv" else parse_asterisk(lines)
