"""Business-hour arithmetic for SLA clocks (issue 4): hand calculations, bad input, properties.

Hand-calculated cases use a Mon-Fri office in Madrid in November 2026 (CET, no DST
change): Friday 13, Saturday 14, Monday 16, Tuesday 17, Wednesday 18; and the Spanish
holiday Tuesday 8 December 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk_tui.desk import calendar as calendar_module
from helpdesk_tui.desk.calendar import (
    BusinessCalendar,
    CalendarError,
    add_business_seconds,
    business_seconds,
    is_open,
    next_open,
)

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = 3600.0
WEEKDAYS = range(5)

OFFICE = BusinessCalendar.create(
    "office", "Europe/Madrid", {d: [("09:00", "17:00")] for d in WEEKDAYS}, ["2026-12-08"]
)
LUNCH = BusinessCalendar.create(
    "lunch",
    "Europe/Madrid",
    {d: [("09:00", "13:00"), ("14:00", "18:00")] for d in WEEKDAYS},
    ["2026-12-08"],
)
ALWAYS = BusinessCalendar("24/7", "Europe/Madrid", always_open=True)


def madrid(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=MADRID)


def every_day(zone: str, *hours: tuple[str, str]) -> BusinessCalendar:
    return BusinessCalendar.create("daily", zone, {d: list(hours) for d in range(7)})


def whole_day(tz: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    return datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(1), time(0), tz)


# --- hand calculations -----------------------------------------------------------------


def test_friday_afternoon_four_hour_target_is_due_monday_morning() -> None:
    # 09-17: Fri 16-17 (1 h) + Mon 09-12 (3 h); lunch: Fri 16-18 (2 h) + Mon 09-11 (2 h).
    assert add_business_seconds(OFFICE, madrid(13, 16), 4 * HOUR) == madrid(16, 12)
    assert add_business_seconds(LUNCH, madrid(13, 16), 4 * HOUR) == madrid(16, 11)


def test_due_times_are_aware_utc() -> None:
    due = add_business_seconds(OFFICE, madrid(13, 16), 4 * HOUR)
    assert due is not None and due.tzinfo is UTC and due.hour == 11  # 12:00 CET
    assert next_open(OFFICE, madrid(14, 10)).tzinfo is UTC


def test_ticket_opened_on_saturday_starts_its_clock_monday_at_nine() -> None:
    assert next_open(OFFICE, madrid(14, 10)) == madrid(16, 9)
    assert not is_open(OFFICE, madrid(14, 10))
    assert business_seconds(OFFICE, madrid(14, 10), madrid(16, 9)) == 0
    assert business_seconds(OFFICE, madrid(14, 10), madrid(16, 9, 30)) == 0.5 * HOUR
    assert add_business_seconds(OFFICE, madrid(14, 10), HOUR) == madrid(16, 10)


def test_next_open_is_the_moment_itself_when_open() -> None:
    assert is_open(OFFICE, madrid(16, 9))
    assert next_open(OFFICE, madrid(16, 9, 1)) == madrid(16, 9, 1)
    assert not is_open(OFFICE, madrid(16, 17))  # intervals are [start, end)
    assert next_open(LUNCH, madrid(16, 13, 30)) == madrid(16, 14)


def test_overnight_span_counts_only_the_open_hours() -> None:
    assert business_seconds(OFFICE, madrid(17, 16), madrid(18, 10)) == 2 * HOUR
    # Tue 12-13, 14-18, Wed 09-13, 14-15: the lunch hours and the night do not count.
    assert business_seconds(LUNCH, madrid(17, 12), madrid(18, 15)) == 10 * HOUR


def test_a_span_over_the_holiday_skips_it() -> None:
    # Mon 7 Dec 12-17 (5 h), Tue 8 Dec holiday, Wed 9 Dec 09-12 (3 h).
    assert business_seconds(OFFICE, madrid(7, 12, month=12), madrid(9, 12, month=12)) == 8 * HOUR
    assert not is_open(OFFICE, madrid(8, 10, month=12))
    due = add_business_seconds(OFFICE, madrid(7, 16, month=12), 4 * HOUR)
    assert due == madrid(9, 12, month=12)


def test_a_pause_removes_only_the_business_time_inside_it() -> None:
    weekend_pause = [(madrid(13, 16, 30), madrid(16, 10))]  # starts in hours, ends in hours
    # Fri 09:00 - Mon 17:00 is 16 h; the pause covers Fri 16:30-17:00 and Mon 09:00-10:00.
    assert business_seconds(OFFICE, madrid(13, 9), madrid(16, 17), weekend_pause) == 14.5 * HOUR
    # Fri 16:00-16:30 (0.5 h), paused until Mon 10:00, then 3.5 h more.
    assert add_business_seconds(OFFICE, madrid(13, 16), 4 * HOUR, weekend_pause) == madrid(
        16, 13, 30
    )
    closed_hours_pause = [(madrid(13, 18), madrid(16, 8))]  # starts and ends out of hours
    assert business_seconds(OFFICE, madrid(13, 9), madrid(16, 17), closed_hours_pause) == 16 * HOUR


def test_a_pause_starting_before_the_span_is_clipped() -> None:
    pause = [(madrid(15, 20), madrid(16, 11))]  # Sunday evening to Monday 11:00
    assert business_seconds(OFFICE, madrid(16, 10), madrid(16, 17), pause) == 6 * HOUR
    beyond = [(madrid(16, 16), madrid(20, 12))]  # runs past the end of the span
    assert business_seconds(OFFICE, madrid(16, 10), madrid(16, 17), beyond) == 6 * HOUR


def test_overlapping_pauses_are_counted_once() -> None:
    pauses = [(madrid(16, 10), madrid(16, 12)), (madrid(16, 11), madrid(16, 13))] * 2
    assert business_seconds(OFFICE, madrid(16, 9), madrid(16, 17), pauses) == 5 * HOUR
    assert add_business_seconds(OFFICE, madrid(16, 9), 2 * HOUR, pauses) == madrid(16, 14)


def test_a_pause_with_no_end_stops_the_clock() -> None:
    waiting = [(madrid(16, 10), None)]
    assert add_business_seconds(OFFICE, madrid(16, 9), 4 * HOUR, waiting) is None
    assert add_business_seconds(OFFICE, madrid(16, 9), HOUR, waiting) == madrid(16, 10)
    assert business_seconds(OFFICE, madrid(16, 9), madrid(17, 17), waiting) == HOUR
    assert add_business_seconds(OFFICE, madrid(16, 12), 60, [(madrid(13, 10), None)]) is None


def test_a_zero_target_is_due_at_once() -> None:
    assert add_business_seconds(OFFICE, madrid(14, 10), 0) == madrid(14, 10)
    assert business_seconds(OFFICE, madrid(16, 12), madrid(16, 10)) == 0


def test_always_open_calendar_counts_wall_time_through_a_dst_change() -> None:
    start, end = whole_day(MADRID, date(2026, 3, 29))
    assert business_seconds(ALWAYS, start, end) == 23 * HOUR
    # 24 real hours after 12:00 CEST on the eve of the fall-back, the clock shows 11:00 CET.
    assert add_business_seconds(ALWAYS, madrid(24, 12, month=10), 24 * HOUR) == madrid(
        25, 11, month=10
    )
    assert is_open(ALWAYS, madrid(14, 3)) and next_open(ALWAYS, madrid(14, 3)) == madrid(14, 3)


@pytest.mark.parametrize(
    ("zone", "day", "hours", "expected"),
    [
        (MADRID, date(2026, 3, 29), ("09:00", "17:00"), 8),  # spring forward, 02:00 -> 03:00
        (MADRID, date(2026, 10, 25), ("09:00", "17:00"), 8),  # fall back, 03:00 -> 02:00
        (MADRID, date(2026, 3, 29), ("00:00", "06:00"), 5),  # real elapsed hours
        (MADRID, date(2026, 10, 25), ("00:00", "06:00"), 7),
        (MADRID, date(2026, 3, 29), ("00:00", "24:00"), 23),
        (MADRID, date(2026, 10, 25), ("00:00", "24:00"), 25),
        (MADRID, date(2026, 3, 29), ("02:30", "05:00"), 2),  # 02:30 never shows: opens 03:00
        (MADRID, date(2026, 10, 25), ("02:30", "05:00"), 3.5),  # opens at the first 02:30
        (MADRID, date(2026, 3, 28), ("02:30", "05:00"), 2.5),  # an ordinary day
        (NEW_YORK, date(2026, 3, 8), ("09:00", "17:00"), 8),
        (NEW_YORK, date(2026, 11, 1), ("09:00", "17:00"), 8),
        (NEW_YORK, date(2026, 3, 8), ("00:00", "06:00"), 5),
        (NEW_YORK, date(2026, 11, 1), ("00:00", "06:00"), 7),
        (ZoneInfo("America/Santiago"), date(2026, 9, 6), ("00:00", "06:00"), 5),  # no midnight
        (ZoneInfo("America/Santiago"), date(2026, 9, 5), ("18:00", "24:00"), 6),
        (ZoneInfo("America/Santiago"), date(2026, 4, 4), ("18:00", "24:00"), 7),  # 23h twice
        (ZoneInfo("Australia/Lord_Howe"), date(2026, 10, 4), ("00:00", "06:00"), 5.5),
        (ZoneInfo("Australia/Lord_Howe"), date(2026, 4, 5), ("00:00", "06:00"), 6.5),
    ],
)
def test_daylight_saving_days(zone: ZoneInfo, day: date, hours: tuple, expected: float) -> None:
    cal = every_day(zone.key, hours)
    assert business_seconds(cal, *whole_day(zone, day)) == expected * HOUR


def test_due_time_across_spring_forward() -> None:
    cal = every_day("Europe/Madrid", ("09:00", "17:00"))
    due = add_business_seconds(cal, datetime(2026, 3, 28, 16, tzinfo=MADRID), 2 * HOUR)
    assert due == datetime(2026, 3, 29, 8, tzinfo=UTC)  # 10:00 CEST


def test_times_in_the_gap_and_the_fold_do_not_crash() -> None:
    cal = every_day("Europe/Madrid", ("02:30", "05:00"))
    assert next_open(cal, datetime(2026, 3, 29, 1, 30, tzinfo=MADRID)) == datetime(
        2026, 3, 29, 1, tzinfo=UTC
    )  # the switch to 03:00 CEST
    assert next_open(cal, datetime(2026, 10, 25, 0, tzinfo=MADRID)) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )  # the first 02:30 (CEST)
    for minutes in range(0, 6 * 60, 10):
        for day in (date(2026, 3, 29), date(2026, 10, 25)):
            moment = datetime.combine(day, time(0), UTC) + timedelta(minutes=minutes)
            is_open(cal, moment)
            add_business_seconds(cal, moment, 1800)


def test_any_aware_time_zone_is_accepted_and_naive_times_are_refused() -> None:
    start, end = madrid(16, 9), madrid(16, 17)
    assert business_seconds(OFFICE, start.astimezone(NEW_YORK), end.astimezone(UTC)) == 8 * HOUR
    with pytest.raises(ValueError, match="naive"):
        business_seconds(OFFICE, datetime(2026, 11, 16, 9), end)


def test_long_spans_add_up_day_by_day() -> None:
    # (Speed is the benchmark's business, not a test's.)
    calendar_module._instant.cache_clear()  # the cold path
    year = business_seconds(OFFICE, madrid(1, month=1), datetime(2027, 1, 1, tzinfo=MADRID))
    assert year == 260 * 8 * HOUR  # 261 weekdays in 2026, less the holiday
    # 30 business days from Mon 2 Nov 09:00: 25 to Fri 4 Dec, Mon 7, (holiday), Wed 9 to
    # Fri 11, and the 30th ends on Mon 14 Dec at 18:00.
    due = add_business_seconds(LUNCH, madrid(2, 9), 30 * 8 * HOUR)
    assert due == madrid(14, 18, month=12)


# --- bad input ---------------------------------------------------------------------------

NINE_TO_FIVE = {0: [("09:00", "17:00")]}


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"timezone": ""}, "unknown time zone"),
        ({"weekly": {0: [("09:00", "13:00"), ("12:00", "18:00")]}}, "overlap or are out of order"),
        ({"weekly": {2: [("14:00", "18:00"), ("09:00", "13:00")]}}, "Wednesday intervals 14:00"),
        ({"weekly": {0: [("20:00", "24:00"), ("22:00", "23:00")]}}, "overlap or are out of order"),
        ({"weekly": {0: [("17:00", "09:00")]}}, "Monday interval 17:00-09:00 starts at or after"),
        ({"weekly": {0: [("09:00", "09:00")]}}, "starts at or after its end"),
        ({"weekly": {7: [("09:00", "17:00")]}}, "weekday 7 is outside 0-6"),
        ({"weekly": {-1: [("09:00", "17:00")]}}, "weekday -1 is outside 0-6"),
        ({"weekly": {}}, "empty hours"),
        ({"weekly": {0: [], 3: []}}, "empty hours"),
        ({"weekly": {0: [("9am", "17:00")]}}, "'9am' is not a time of day"),
        ({"weekly": {0: [("24:00", "17:00")]}}, "'24:00' is not a time of day"),
        ({"holidays": ["2026-13-01"]}, "holiday '2026-13-01' is not a date"),
        ({"weekly": {0: "09:00-17:00"}}, "hours of weekday 0 must be \\[start, end\\] pairs"),
        ({"weekly": {0: [(1020, "18:00")]}}, "1020 is not a time of day"),  # YAML 17:00 as 1020
    ],
)
def test_bad_calendars_are_refused_with_a_one_line_message(changes: dict, fragment: str) -> None:
    arguments = {"name": "support", "timezone": "Europe/Madrid", "weekly": NINE_TO_FIVE} | changes
    with pytest.raises(CalendarError, match=fragment) as caught:
        BusinessCalendar.create(**arguments)
    assert "\n" not in str(caught.value) and "calendar 'support'" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_the_dataclass_validates_too() -> None:
    with pytest.raises(CalendarError, match="overlap"):
        BusinessCalendar("x", "UTC", {0: ((time(9), time(12)), (time(11), time(13)))})
    with pytest.raises(CalendarError, match="local times"):
        BusinessCalendar("x", "UTC", {0: (("09:00", "17:00"),)})
    with pytest.raises(CalendarError, match="is not a date"):
        BusinessCalendar("x", "UTC", {0: ((time(9), time(17)),)}, frozenset({"2026-12-08"}))


def test_valid_edge_shapes_are_accepted() -> None:
    midnight = time(0)
    assert BusinessCalendar("x", "UTC", {6: ((midnight, midnight),)})  # a whole Sunday
    assert BusinessCalendar("x", "UTC", {0: ((time(9), time(13)), (time(13), time(0)))})
    assert BusinessCalendar("x", "UTC", always_open=True).always_open  # 24/7 needs no hours
    cal = BusinessCalendar.create("x", "UTC", {1: [(time(9), "24:00")]}, [date(2026, 12, 8)])
    assert cal.weekly == {1: ((time(9), midnight),)} and cal.holidays == {date(2026, 12, 8)}


# --- properties --------------------------------------------------------------------------

ZONES = [
    "UTC",
    "Europe/Madrid",
    "America/New_York",
    "America/Santiago",  # switches at midnight
    "Australia/Lord_Howe",  # switches by 30 minutes
    "Asia/Kolkata",
]
#: Days with a DST change in one of the zones above, so that examples straddle them.
ANCHORS = [
    datetime(2026, m, d, tzinfo=UTC)
    for m, d in [(3, 8), (3, 29), (4, 5), (9, 6), (10, 4), (10, 25), (11, 1)]
]
SPREAD = 14 * 24 * 3600 * 1_000_000  # two weeks either side, in microseconds
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def quarter(n: int) -> time:
    return time((n // 4) % 24, (n % 4) * 15)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    zone = draw(st.sampled_from(ZONES))
    if draw(st.integers(0, 9)) == 0:
        return BusinessCalendar("any", zone, always_open=True)
    weekly = {}
    for day in range(7):
        cuts = sorted(draw(st.lists(st.integers(0, 96), unique=True, max_size=6)))
        pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
        weekly[day] = tuple((quarter(a), quarter(b)) for a, b in pairs)  # 96 = 24:00
    if not any(weekly.values()):
        weekly[draw(st.integers(0, 6))] = ((time(9), time(17)),)
    days = st.dates(min_value=date(2026, 2, 1), max_value=date(2026, 12, 31))
    return BusinessCalendar("any", zone, weekly, draw(st.frozensets(days, max_size=20)))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[BusinessCalendar, list[datetime], list]:
    """A calendar, three sorted moments near one DST change, and some pauses around them."""
    anchor = draw(st.sampled_from(ANCHORS))
    moment = st.integers(-SPREAD, SPREAD).map(lambda us: anchor + timedelta(microseconds=us))
    pause = st.tuples(moment, st.one_of(st.none(), moment))
    moments = sorted(draw(st.lists(moment, min_size=3, max_size=3)))
    return draw(calendars()), moments, draw(st.lists(pause, max_size=4))


@PROPERTY
@given(scenarios())
def test_business_time_is_between_zero_and_wall_time(scenario) -> None:
    cal, (a, _, c), pauses = scenario
    wall = (c - a).total_seconds()
    assert 0 <= business_seconds(cal, a, c, pauses) <= business_seconds(cal, a, c) <= wall
    fewer = pauses[:-1]  # dropping a pause never loses business time
    assert business_seconds(cal, a, c, fewer) >= business_seconds(cal, a, c, pauses)
    assert business_seconds(cal, c, a) == 0


@PROPERTY
@given(scenarios())
def test_business_time_is_additive_over_splits(scenario) -> None:
    cal, (a, b, c), pauses = scenario
    for chosen in ((), pauses):
        whole = business_seconds(cal, a, c, chosen)
        parts = business_seconds(cal, a, b, chosen) + business_seconds(cal, b, c, chosen)
        assert whole == pytest.approx(parts, abs=1e-6)


@PROPERTY
@given(
    scenarios(),
    st.floats(min_value=1e-3, max_value=20 * 24 * 3600),
    st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_due_time_is_the_inverse_of_business_time(scenario, seconds: float, part: float) -> None:
    cal, (start, _, _), pauses = scenario
    due = add_business_seconds(cal, start, seconds, pauses)
    if due is None:
        assert any(end is None for _, end in pauses)
        return
    assert due.tzinfo is UTC and due > start
    assert business_seconds(cal, start, due, pauses) == pytest.approx(seconds, abs=1e-6)
    assert business_seconds(cal, start, due, pauses) >= seconds
    assert business_seconds(cal, start, due - timedelta(microseconds=1), pauses) < seconds
    earlier = min(start + (due - start) * part, due - timedelta(microseconds=1))
    assert business_seconds(cal, start, earlier, pauses) < seconds


@PROPERTY
@given(scenarios())
def test_always_open_is_exactly_wall_time(scenario) -> None:
    cal, (a, b, _), _ = scenario
    always = BusinessCalendar("24/7", cal.timezone, always_open=True)
    assert business_seconds(always, a, b) == (b - a).total_seconds()
    assert add_business_seconds(always, a, (b - a).total_seconds()) == b


@PROPERTY
@given(scenarios())
def test_open_and_next_open_agree_with_business_time(scenario) -> None:
    cal, (moment, _, _), _ = scenario
    tick = timedelta(microseconds=1)
    assert is_open(cal, moment) == (business_seconds(cal, moment, moment + tick) > 0)
    opens = next_open(cal, moment)
    assert opens >= moment and is_open(cal, opens)
    assert business_seconds(cal, moment, opens) == 0
    assert (opens == moment) == is_open(cal, moment)
