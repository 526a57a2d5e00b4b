"""Every date a person or a payer reads is the practice's date (Tacoma,
America/Los_Angeles), never UTC's, on both sides of a daylight-saving change: an
evening session is not billed, listed or released as the next day."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from confide.apps.records.models import Disclosure
from confide.services import charting, intake, scheduling
from confide.services.disclosures import accounting
from confide.services.disclosures.packet import Basis, Recipient, disclosure_document, disclosure_packet_build
from confide.services.disclosures.render import packet_html
from confide.services.practice_time import local_to_utc

# Daylight saving ended in Tacoma on Sunday 1 November 2026 (PDT UTC-7, then PST UTC-8).
BEFORE, AFTER = date(2026, 10, 31), date(2026, 11, 3)
EVENING = time(18, 0)


def _client_with_evening_sessions(staff):
    marsh = staff["marsh"]
    cid = intake.client_create(user=marsh, identity={"legal_name": "Dana Testdst", "dob": "1985-05-05"},
                               billing={"payer": "Cascadia Health Plan", "member_id": "CHP-1", "self_pay": False})
    for day in (BEFORE, AFTER):
        scheduling.appointment_create(user=marsh, client_id=cid, clinician_id=marsh.pk, status="attended",
                                      starts_at=local_to_utc(marsh.practice, day, EVENING))
    return cid


def test_evening_sessions_are_dated_by_the_practice_across_the_change(staff):
    cid = _client_with_evening_sessions(staff)
    # in UTC both sessions fall on the next day
    assert local_to_utc(staff["marsh"].practice, BEFORE, EVENING).date() == date(2026, 11, 1)
    chart = charting.chart_open(user=staff["marsh"], client_id=cid)
    assert chart["billing"]["dates_of_service"] == ["2026-10-31", "2026-11-03"]


def test_a_packet_shows_session_times_and_its_date_in_the_practices_zone(staff):
    cid = _client_with_evening_sessions(staff)
    order = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order",
                  scope=frozenset({"appointments"}), flags=frozenset({"signed_by_judge"}))
    out = disclosure_packet_build(user=staff["marsh"], client_id=cid, recipient=Recipient(name="Court", kind="court"),
                                  purpose="HLEGAL", basis=order, categories={"appointments"})
    packet = disclosure_document(user=staff["marsh"], client_id=cid, disclosure_id=out["id"])
    starts = [a["starts_at"] for a in packet["sections"]["appointments"]]
    assert starts == ["2026-10-31T18:00:00-07:00", "2026-11-03T18:00:00-08:00"]
    html = packet_html(packet)
    assert "Sat 31 Oct 2026, 18:00" in html and "Tue 03 Nov 2026, 18:00" in html
    assert "Sun 01 Nov" not in html and "Wed 04 Nov" not in html
    assert packet["made_on"] == accounting_day(packet["made_at"], staff)
    # a period an order names selects by the practice's days
    from confide.services.disclosures.packet import sections_within_period
    kept = sections_within_period(packet["sections"], BEFORE, BEFORE)
    assert [a["starts_at"][:10] for a in kept["appointments"]] == ["2026-10-31"]


def accounting_day(made_at: str, staff) -> str:
    from confide.services.practice_time import local_date

    return local_date(staff["marsh"].practice, datetime.fromisoformat(made_at)).isoformat()


def test_the_accounting_lists_the_practices_day_of_each_disclosure(staff, cid):
    marsh = staff["marsh"]
    order = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order",
                  scope=frozenset({"billing"}), flags=frozenset({"signed_by_judge"}))
    out = disclosure_packet_build(user=marsh, client_id=cid["c1"], recipient=Recipient(name="Court", kind="court"),
                                  purpose="HLEGAL", basis=order, categories={"billing"})
    # made at 10:30 PM on Saturday 31 October in Tacoma: Sunday 05:30 UTC
    Disclosure.objects.filter(id=out["id"]).update(made_at=datetime(2026, 11, 1, 5, 30, tzinfo=timezone.utc))
    listed = accounting.accounting_of_disclosures(user=marsh, client_id=cid["c1"],
                                                  now=datetime(2026, 11, 2, 7, 30, tzinfo=timezone.utc))
    entry = next(e for e in listed["entries"] if e["id"] == out["id"])
    assert entry["day"] == "2026-10-31"
    assert listed["period"]["end"] == "2026-11-01" and listed["generated_on"] == "2026-11-01"
    html = accounting.accounting_html(listed)
    assert "<td>2026-10-31</td>" in html and "prepared 2026-11-01" in html
