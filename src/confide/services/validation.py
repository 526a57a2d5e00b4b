"""Checks every service applies to what comes from outside: the shape of a JSON object
(known keys, required keys) and dates. Each failure is one line of `InvalidInput` that
names the field, never its value."""

from __future__ import annotations

from datetime import date, timedelta

from confide.core.errors import InvalidInput


def check_keys(kind: str, data, allowed: set, required: set) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput(f"{kind}: expected an object")
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput(f"{kind}: unknown field {sorted(unknown)[0]!r}")
    missing = required - set(data)
    if missing:
        raise InvalidInput(f"{kind}: missing field {sorted(missing)[0]!r}")
    return data


def parse_date(kind: str, raw) -> date:
    """A date from outside (YYYY-MM-DD); one-line InvalidInput otherwise."""
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput(f"{kind}: expected a date as YYYY-MM-DD") from None


# Sane bounds for dates a person types (a slip of the year, a zero timestamp): each
# refusal is one line naming the field and the range, never the value.
EARLIEST_DAY = date(1900, 1, 1)


def check_past_day(kind: str, day: date, today: date) -> date:
    """A day something happened (a session, a note): not after tomorrow (a note written
    just past midnight, or across a time-zone line), not before 1900."""
    if not EARLIEST_DAY <= day <= today + timedelta(days=1):
        raise InvalidInput(f"{kind}: a date from {EARLIEST_DAY.isoformat()} to tomorrow")
    return day

