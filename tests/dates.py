"""Days as the demo practice counts them. Dates a person or a payer sees are the
practice's days (its time zone), not UTC's: in Tacoma UTC's date is tomorrow from 4 PM
(5 PM in winter), so a test comparing with `date.today()` fails every evening. Read from
the demo's data, not the database, so module constants and collection can use it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from confide.services.demo import data as demo_data

ZONE = ZoneInfo(demo_data.PRACTICE["timezone"])


def practice_today() -> date:
    return datetime.now(ZONE).date()
