"""Checks every service applies to what comes from outside: the shape of a JSON object
(known keys, required keys) and dates. Each failure is one line of `InvalidInput` that
names the field, never its value."""

from __future__ import annotations

from datetime import date

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
