"""How times and ages read on screen: local time, and ages like "3d 4h"."""

from __future__ import annotations

from datetime import datetime, timedelta


def human_age(delta: timedelta) -> str:
    """Two most significant units: "3d 4h", "3h 12m", "12m", "<1m"."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return "<1m"
    minutes, _ = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days >= 7:
        weeks, days = divmod(days, 7)
        return f"{weeks}w {days}d" if days else f"{weeks}w"
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"


def local(moment: datetime | None, *, now: datetime | None = None) -> str:
    """Local time: "14:10" today, "Tue 14:10" within a week, else the date."""
    if moment is None:
        return ""
    here = moment.astimezone()
    if now is not None:
        today = now.astimezone().date()
        if here.date() == today:
            return here.strftime("%H:%M")
        if timedelta(0) <= (today - here.date()) < timedelta(days=7):
            return here.strftime("%a %H:%M")
    return here.strftime("%Y-%m-%d %H:%M")


def when(moment: datetime | None, *, now: datetime) -> str:
    """A time in a sentence: "today at 14:10", "on Tue at 14:10", "on 2026-11-03 at 14:10"."""
    if moment is None:
        return "at an unknown time"
    here, today = moment.astimezone(), now.astimezone().date()
    clock = here.strftime("%H:%M")
    if here.date() == today:
        return f"today at {clock}"
    if timedelta(0) <= (today - here.date()) < timedelta(days=7):
        return f"on {here.strftime('%a')} at {clock}"
    return f"on {here.strftime('%Y-%m-%d')} at {clock}"
