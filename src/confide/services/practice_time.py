"""Times as people and payers see them: in the practice's time zone, in words.

Everything stored is UTC. Every date or time a person reads (a chart, a calendar, a
claim's date of service, the access report, a reminder) is the practice's local one,
formatted here and nowhere else, so a 6 PM Tuesday session in Tacoma is "Tue 8 Dec,
6:00 PM" and a Tuesday date of service, whatever UTC says.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from confide.apps.practice.models import Practice

DEFAULT_TZ = "America/Los_Angeles"


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for a time-zone name; the default zone for an unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def practice_zone(practice) -> ZoneInfo:
    """The practice's zone, from a Practice, its id, or a time-zone name."""
    if isinstance(practice, Practice):
        return zone(practice.timezone)
    if isinstance(practice, str) and "/" in practice:
        return zone(practice)
    name = Practice.objects.filter(id=practice).values_list("timezone", flat=True).first()
    return zone(name or DEFAULT_TZ)


def local(practice, moment: datetime) -> datetime:
    """An aware UTC datetime as the practice's wall-clock time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(practice_zone(practice))


def local_date(practice, moment: datetime) -> date:
    """The practice's calendar date of a moment (a date of service, a due date)."""
    return local(practice, moment).date()


def local_today(practice) -> date:
    return local(practice, datetime.now(timezone.utc)).date()


def local_to_utc(practice, day: date, at: time) -> datetime:
    """A wall-clock time on a day in the practice's zone, as an aware UTC datetime.
    Across a daylight-saving change the zone decides (fold=0: the first of a repeated hour)."""
    return datetime.combine(day, at, tzinfo=practice_zone(practice)).astimezone(timezone.utc)


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def human_time(practice, moment: datetime) -> str:
    """'6:00 PM'."""
    return _clock(local(practice, moment))


def human_date(day: date, *, year: bool | None = None) -> str:
    """'Tue 8 Dec' (with the year when it is not this year, or when asked)."""
    text = f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"
    if year or (year is None and day.year != date.today().year):
        text += f" {day.year}"
    return text


def human_datetime(practice, moment: datetime, *, year: bool | None = None) -> str:
    """'Tue 8 Dec, 6:00 PM' in the practice's zone."""
    at = local(practice, moment)
    return f"{human_date(at.date(), year=year)}, {_clock(at)}"
