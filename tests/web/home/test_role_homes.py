"""Each role's home: today's sessions in the practice's time zone, the front desk's
day across clinicians, the biller's work, the administrator's queue and staff."""

from __future__ import annotations

from datetime import time, timedelta

from confide.services import scheduling
from confide.services.practice_time import local_to_utc, local_today
from tests.web.signin import signed_in


def _session_today(staff, cid, username="marsh", client="c1", at=time(11, 0)):
    user = staff[username]
    starts = local_to_utc(user.practice_id, local_today(user.practice_id), at)
    return scheduling.appointment_create(user=user, client_id=cid[client], clinician_id=user.pk, starts_at=starts,
                                         room="Room 2")


def test_clinician_sees_todays_sessions_in_local_time(staff, cid):
    _session_today(staff, cid, at=time(11, 0))
    page = signed_in(staff["marsh"]).get("/").content.decode()
    assert "Sessions on" in page and "11:00 AM" in page and "Lena" in page
    assert f'href="/clients/{cid["c1"]}/"' in page


def test_a_session_tomorrow_is_not_today(staff, cid):
    user = staff["marsh"]
    tomorrow = local_to_utc(user.practice_id, local_today(user.practice_id) + timedelta(days=1), time(11, 0))
    scheduling.appointment_create(user=user, client_id=cid["c1"], clinician_id=user.pk, starts_at=tomorrow)
    day = scheduling.appointments_day(user=user, day=local_today(user.practice_id))
    assert all(s["starts_at"] != tomorrow for s in day)


def test_the_day_is_the_practices_not_utc(staff, cid):
    """23:30 in Tacoma is the next day in UTC: it still belongs to the local day."""
    user = staff["marsh"]
    today = local_today(user.practice_id)
    late = local_to_utc(user.practice_id, today, time(23, 30))
    scheduling.appointment_create(user=user, client_id=cid["c1"], clinician_id=user.pk, starts_at=late)
    assert late.date() != today  # UTC already says tomorrow (Tacoma is UTC-7 or UTC-8)
    assert any(s["starts_at"] == late for s in scheduling.appointments_day(user=user, day=today))
    assert not any(s["starts_at"] == late
                   for s in scheduling.appointments_day(user=user, day=today + timedelta(days=1)))


def test_clinician_sees_no_one_elses_sessions(staff, cid):
    _session_today(staff, cid, username="okafor", client="c2")
    day = scheduling.appointments_day(user=staff["marsh"], day=local_today(staff["marsh"].practice_id))
    assert all(s["client_id"] != str(cid["c2"]) for s in day)


def test_front_desk_day_across_clinicians_with_neutral_labels(staff, cid):
    _session_today(staff, cid, "marsh", "c1", time(9, 0))
    _session_today(staff, cid, "okafor", "c2", time(14, 0))
    page = signed_in(staff["fontaine"]).get("/").content.decode()
    assert staff["marsh"].full_name in page and staff["okafor"].full_name in page
    assert "9:00 AM" in page and "2:00 PM" in page
    assert "Generalized anxiety" not in page
    assert "/front-desk/" in page


def test_biller_home_is_billing(staff):
    page = signed_in(staff["pellham"]).get("/").content.decode()
    assert "Payer agreements" in page and 'aria-current="page">Billing<' in page


def test_admin_home_has_review_queue_and_staff_not_clients(staff, cid):
    page = signed_in(staff["haddad"]).get("/").content.decode()
    assert "Emergency access to review" in page and "Staff" in page
    assert staff["okafor"].full_name in page and staff["pellham"].full_name in page
    assert "Lena" not in page and "Elena" not in page


def test_supervisor_and_clinician_nav(staff):
    page = signed_in(staff["marsh"]).get("/").content.decode()
    assert 'href="/clients/"' in page and 'href="/obligations/"' in page
    assert 'href="/review/"' not in page
