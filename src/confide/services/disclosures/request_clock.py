"""A client's request on a clock (a copy of the record, 45 CFR 164.524(b)(2); an
accounting of disclosures, 164.528(c); an amendment, 164.526(b)(2)): the day it is due,
and the one extension with its written reason and expected date.

Each request's own service (record_requests, accounting_requests, amendments) keeps its
door, its states and its words; what they share is here.
"""

from __future__ import annotations

from datetime import date, timedelta

from confide.core.errors import InvalidInput
from confide.services.policy import rules


def clock_fact(kind: str, defaults: dict) -> dict:
    """The rules' fact of `kind` (days to act, the extension's days, ...) over `defaults`."""
    fact = rules().fact(kind, "US")
    return {**defaults, **(dict(fact.data) if fact is not None else {})}


def due(row) -> date:
    """The day the request is due: the extended day once extended."""
    return row.extended_to or row.due_on


def extension_checked(reason, days, limit: int, *, why: str) -> int:
    """The reason (one line, up to 500 characters) and the days (1 to `limit`), or a
    one-line error naming the field; `why` words what the reason tells."""
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500 or "\n" in reason or "\r" in reason:
        raise InvalidInput(f"reason: one line (up to 500 characters) {why}")
    if type(days) is not int or not 1 <= days <= limit:
        raise InvalidInput(f"days: 1 to {limit}")
    return days


def extend(row, body: dict, *, today: date, days: int, reason: str, once: str, too_late: str) -> None:
    """Extend once, before the first clock runs out: `row.extended_to` and the body's
    `extension` (the reason, the day of the notice, the expected day). `once` and
    `too_late` are the refusals in the request's own words."""
    if row.extended_to is not None:
        raise InvalidInput(f"request: {once}")
    if today > row.due_on:
        raise InvalidInput(f"request: {too_late}")
    row.extended_to = row.due_on + timedelta(days=days)
    body["extension"] = {"reason": reason, "notice_on": today.isoformat(),
                         "expected_by": row.extended_to.isoformat()}
