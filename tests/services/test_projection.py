"""What a reader sees of a chart: dates of service and attendance are the practice's
calendar days, not UTC's (a 5:30 PM Tacoma session is the next day in UTC in winter)."""

from __future__ import annotations

from datetime import date, time

from confide.services import charting, scheduling
from confide.services.practice_time import local_to_utc


def test_dates_of_service_are_practice_local(staff, cid):
    marsh = staff["marsh"]
    day = date(2026, 1, 13)
    evening = local_to_utc(marsh.practice_id, day, time(17, 30))
    assert evening.date() == date(2026, 1, 14)  # UTC already says Wednesday
    scheduling.appointment_create(user=marsh, client_id=cid["c1"], clinician_id=marsh.pk, starts_at=evening,
                                  status="attended")
    billing = charting.chart_open(user=staff["pellham"], client_id=cid["c1"])["billing"]
    assert "2026-01-13" in billing["dates_of_service"] and "2026-01-14" not in billing["dates_of_service"]
