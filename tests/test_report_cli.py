"""``helpdesk report``, ``staffing``, ``calls import`` and ``ticket close --rating``.

On the hand-made desk of metrics_data.py: the command line gives the same numbers as
the desk (worked out by hand in test_metrics.py), in JSON and CSV as documented.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from metrics_data import Data, build
from test_metrics_phone import queue_log
from typer.testing import CliRunner, Result

from helpdesk_tui.cli import app
from helpdesk_tui.desk import Desk, TicketDraft

PERIOD = ["--from", "2026-11-23", "--to", "2026-11-25"]


@pytest.fixture(autouse=True)
def _wide_plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def data(desk: Desk) -> Data:
    return build(desk)


def run(desk: Desk, *args: str, who: str = "lee") -> Result:
    return CliRunner().invoke(app, ["--db", desk.store.path, "--as", who, *args])


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def refused(result: Result, words: str) -> None:
    assert (
        result.exit_code != 0
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert words in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_json_gives_the_hand_worked_figures(data: Data) -> None:
    report = json.loads(ok(run(data.desk, "report", *PERIOD, "--format", "json")))
    assert report["period"]["name"] == "custom"
    assert report["period"]["from"] == "2026-11-23T00:00:00Z"
    assert report["period"]["to"] == "2026-11-26T00:00:00Z"
    assert report["sections"] == [
        "contacts", "tickets", "products", "satisfaction", "knowledge", "bulletins",
        "agents", "phone", "staffing",
    ]  # fmt: skip
    c, t, s = report["contacts"], report["tickets"], report["satisfaction"]
    assert (c["total"], c["walk_ins"], c["complaints"]) == (7, 1, 1)
    assert c["by_channel"]["phone"] == 3 and c["heatmap"][0][9] == 2
    assert c["heatmap_weekdays"][0] == "Mon"
    assert (t["opened"], t["resolved"], t["closed"], t["reopened"]) == (4, 2, 2, 1)
    assert t["resolution"]["median_seconds"] == pytest.approx(123_000)
    assert [b["label"] for b in t["age_buckets"]] == ["<1 d", "1-3 d", "3-7 d", "1-4 w", "older"]
    assert (s["ratings"], s["average"], s["distribution"]["2"]) == (2, 3.5, 1)
    assert s["lowest"][0]["comment"] == "Took too long"
    assert [a["agent"] for a in report["agents"]] == ["alice", "lee"]
    assert len(report["staffing"]["hours"]) == 168


def test_csv_is_one_line_per_value(data: Data) -> None:
    out = ok(run(data.desk, "report", "contacts", "satisfaction", *PERIOD, "-f", "csv"))
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["section", "table", "row", "column", "value"]
    assert ["contacts", "summary", "contacts", "value", "7"] in rows
    assert ["contacts", "by_channel", "walk-in", "contacts", "1"] in rows
    assert ["contacts", "heatmap", "Mon", "09", "2"] in rows
    assert ["satisfaction", "summary", "average", "value", "3.5"] in rows
    assert ["contacts", "summary", "first_contact_resolution", "value", str(2 / 6)] in rows
    assert {r[0] for r in rows[1:]} == {"contacts", "satisfaction"}


def test_table_view_shows_the_charts(data: Data) -> None:
    out = ok(run(data.desk, "report", "contacts", "tickets", *PERIOD))
    assert "Report for 2026-11-23 00:00 to 2026-11-26 00:00" in out
    assert "Peak: Mon 09:00, 2 contacts" in out
    assert "Per day 2026-11-23" in out and "Backlog by age" in out
    assert "First-contact resolution" in out and "33.3%" in out
    assert "25h" not in out and "1d 10h" in out  # resolution median 123,000 s


def test_breakdown(data: Data) -> None:
    report = json.loads(
        ok(run(data.desk, "report", "contacts", *PERIOD, "--by", "channel", "-f", "json"))
    )
    rows = {r["group"]: r for r in report["breakdown"]["rows"]}
    assert rows["phone"]["contacts"] == 3 and rows["email"]["tickets_opened"] == 2


def test_bad_input_is_one_line(data: Data) -> None:
    refused(run(data.desk, "report", "--from", "2026-11-25", "--to", "2026-11-01"), "is after --to")
    refused(run(data.desk, "report", "--from", "soon"), "--from 'soon' is not a date")
    refused(run(data.desk, "report", "--by", "colour"), "unknown breakdown 'colour'")
    refused(run(data.desk, "report", "everything"), "unknown report section 'everything'")
    refused(
        run(data.desk, "report", "agents", who="alice"),
        "only leads and admins may see per-agent figures; alice is an agent",
    )
    refused(run(data.desk, "staffing", "--target-level", "80"), "target level")


def test_an_agent_gets_everything_but_the_agents(data: Data) -> None:
    report = json.loads(ok(run(data.desk, "report", *PERIOD, "-f", "json", who="alice")))
    assert "agents" not in report and "agents" not in report["sections"]


def test_an_empty_period_is_zeros(data: Data) -> None:
    report = json.loads(
        ok(run(data.desk, "report", "--from", "2020-01-01", "--to", "2020-01-07", "-f", "json"))
    )
    assert report["contacts"]["total"] == 0 and report["phone"]["offered"] == 0
    assert report["satisfaction"]["average"] is None


def test_staffing(data: Data, tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_text(queue_log())
    ok(run(data.desk, "calls", "import", str(log)))
    found = json.loads(ok(run(data.desk, "staffing", *PERIOD, "-f", "json")))
    assert found["phone_source"] == "calls" and found["target_seconds"] == 20
    mon9 = next(h for h in found["hours"] if (h["weekday"], h["hour"]) == (0, 9))
    assert (mon9["needed"], mon9["worked"], mon9["verdict"]) == (2, 1, "under")
    table = ok(run(data.desk, "staffing", *PERIOD))
    assert "Mon 09:00" in table and "under-staffed" in table
    rows = list(csv.reader(io.StringIO(ok(run(data.desk, "staffing", *PERIOD, "-f", "csv")))))
    assert rows[0][:3] == ["weekday", "hour", "arrivals_per_hour"] and len(rows) == 169


BROKEN = "1700000100|1.1|support|NONE|ENTERQUEUE||+1|1\nnot a queue_log line\n"


def test_calls_import_reports_broken_lines_and_never_doubles(desk: Desk, tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_text(queue_log() + BROKEN)
    first = run(desk, "calls", "import", str(log))
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"4 new calls imported from {log} (4 read, 0 already there)")
    assert "1 callers were still waiting" in first.stdout
    assert first.stderr.strip().splitlines() == [
        "warning: line 12: expected epoch|callid|queue|agent|event, got 'not a queue_log line'"
    ]
    again = run(desk, "calls", "import", str(log))
    assert again.stdout.startswith("0 new calls imported") and "4 already there" in again.stdout
    refused(run(desk, "calls", "import", str(tmp_path / "nope")), "no file")
    refused(run(desk, "calls", "import", str(log), "--format", "pdf"), "unknown calls format")


def test_close_with_a_rating(desk: Desk) -> None:
    draft = TicketDraft("Printer offline", "general")
    opened = desk.log_contact(
        channel="phone", customer_id=1, summary="s", outcome="ticket", ticket=draft
    ).ticket
    assert opened is not None
    number = opened.id
    desk.resolve(number, "done")
    refused(run(desk, "ticket", "close", str(number), "--rating", "9"), "from 1 to 5")
    refused(run(desk, "ticket", "close", str(number), "--comment", "meh"), "needs a rating")
    assert desk.ticket(number).status == "resolved"
    out = ok(run(desk, "ticket", "close", str(number), "--rating", "4", "--comment", "[b]ok[/b]"))
    assert out.strip() == f"ticket #{number} closed (customer rated it 4 of 5)"
    closed = [e for e in desk.ticket_view(number).events if e.kind == "closed"][-1]
    assert closed.changes["rating"] == 4 and closed.note == "[b]ok[/b]"


def test_marking_a_complaint(desk: Desk) -> None:
    contact = desk.log_contact(channel="phone", customer_id=1, summary="Angry about delay")
    number = contact.contact.id
    out = ok(run(desk, "contact", "reason", str(number), "complaint", who="alice"))
    assert out.strip() == f"contact {number} marked: complaint"
    report = json.loads(ok(run(desk, "report", "contacts", "-f", "json")))
    assert report["contacts"]["complaints"] == 1
    refused(run(desk, "contact", "reason", str(number), "rant"), "unknown contact reason 'rant'")
    refused(run(desk, "contact", "reason", "999", "complaint"), "999")
    out = ok(run(desk, "contact", "reason", str(number), ""))
    assert out.strip() == f"contact {number} marked: no reason (was complaint)"
