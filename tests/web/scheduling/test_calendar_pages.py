"""The calendar's pages per role: the front desk books a weekly series, sees it on the
week calendar and cancels one with a reason; a clinician sees only their own sessions
and records attendance; conflicts come back as one line on the form; the administrator
manages rooms and appointment types and sees no calendar; neutral labels only."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from confide.apps.practice.models import AppointmentType, Room
from confide.apps.records.models import Appointment
from confide.services import scheduling
from confide.services.practice_time import local_today
from tests.web.signin import signed_in


def _tuesday(days=35) -> date:
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _booking(staff, cid, day, **over):
    room = Room.objects.get(practice_id=staff["marsh"].practice_id, name="Room 3")
    kind = AppointmentType.objects.get(practice_id=staff["marsh"].practice_id, label="Session")
    return {"client": str(cid["c1"]), "clinician": str(staff["marsh"].pk), "appointment_type": str(kind.id),
            "day": day.isoformat(), "at": "18:00", "minutes": "", "modality": "in_person", "room": str(room.id),
            "weekly": "on", "count": "4", **over}


def test_front_desk_books_a_series_sees_the_week_and_cancels_one(staff, cid):
    web, day = signed_in(staff["fontaine"]), _tuesday()
    assert web.get("/calendar/book/").status_code == 200
    response = web.post("/calendar/book/", _booking(staff, cid, day))
    assert response.status_code == 302, response.content.decode()[:3000]
    week = web.get(response["Location"]).content.decode()
    assert "4 weekly sessions booked" in week and "6:00 PM" in week and "Lena" in week
    assert "Theo Marsh-Calloway" in week and "Session" in week and "(weekly)" in week
    assert "Generalized anxiety" not in week and "F41" not in week
    ids = re.findall(r'href="/calendar/appointments/([0-9a-f-]{36})/"', week)
    first = Appointment.objects.filter(id__in=ids).order_by("starts_at").first()
    page = web.get(f"/calendar/appointments/{first.id}/").content.decode()
    assert "Cancel this session" in page and "Attended" not in page  # attendance is the clinician's
    done = web.post(f"/calendar/appointments/{first.id}/cancel/", {"reason": "Client is travelling that week"})
    assert done.status_code == 302
    after = web.get(done["Location"]).content.decode()
    assert "Session cancelled." in after and "Client is travelling that week" in after
    assert Appointment.objects.get(id=first.id).cancelled_at is not None


def test_a_conflict_is_one_line_on_the_form_and_books_nothing(staff, cid, counts):
    web, day = signed_in(staff["fontaine"]), _tuesday(42)
    assert web.post("/calendar/book/", _booking(staff, cid, day, weekly="", count="")).status_code == 302
    before = counts()
    again = web.post("/calendar/book/", _booking(staff, cid, day, client=str(cid["c3"]), at="18:20"))
    page = again.content.decode()
    assert again.status_code == 400 and "There is a problem" in page
    assert "Theo Marsh-Calloway already has a session then:" in page and "6:00 PM to 6:50 PM" in page
    after = counts()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} in ({}, {"auditlog.AuditEvent": 1})
    assert "Traceback" not in page


def test_form_errors_are_summarised_not_raised(staff, cid):
    web = signed_in(staff["fontaine"])
    page = web.post("/calendar/book/", {**_booking(staff, cid, _tuesday(), count="1"), "day": "not a date"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "give the date as a date" in text and "a series has at least 2 sessions" in text


def test_clinician_sees_own_calendar_and_records_attendance(staff, cid):
    marsh = staff["marsh"]
    today = local_today(marsh.practice_id)
    held = scheduling.appointment_create(user=marsh, client_id=cid["c1"], starts_at=scheduling.wall_clock(
        marsh.practice_id, today - timedelta(days=1), time(7, 0)))
    scheduling.appointment_create(user=staff["okafor"], client_id=cid["c2"], starts_at=scheduling.wall_clock(
        marsh.practice_id, today - timedelta(days=1), time(7, 0)))
    web = signed_in(marsh)
    day = web.get(f"/calendar/?day={(today - timedelta(days=1)).isoformat()}").content.decode()
    assert "7:00 AM" in day and "Lena" in day and "Desmond" not in day and "Okafor" not in day
    assert 'aria-current="page">Calendar<' in day
    assert web.post(f"/calendar/appointments/{held}/attendance/", {"status": "attended"}).status_code == 302
    assert "attended" in web.get(f"/calendar/appointments/{held}/").content.decode()


def test_an_unrelated_appointment_is_not_found_like_nothing(staff, cid):
    other = scheduling.appointment_create(user=staff["okafor"], client_id=cid["c2"], starts_at=scheduling.wall_clock(
        staff["okafor"].practice_id, _tuesday(60), time(9, 0)))
    web = signed_in(staff["marsh"])
    for url in (f"/calendar/appointments/{other}/", "/calendar/appointments/not-an-id/"):
        assert web.get(url).status_code == 404
    assert web.post(f"/calendar/appointments/{other}/cancel/", {"reason": "nope nope"}).status_code == 404


def test_admin_manages_rooms_and_neutral_types_and_has_no_calendar(staff):
    web = signed_in(staff["haddad"])
    assert web.get("/calendar/").status_code == 404 and web.get("/calendar/book/").status_code == 404
    assert web.post("/calendar/rooms/", {"name": "Room 4"}).status_code == 302
    assert "Room 4" in web.get("/calendar/rooms/").content.decode()
    refused = web.post("/calendar/types/", {"label": "Trauma intake", "minutes": "60"})
    assert refused.status_code == 400 and "names a clinical matter" in refused.content.decode()
    assert web.post("/calendar/types/", {"label": "Couple session", "minutes": "80"}).status_code == 302
    for username in ("fontaine", "marsh", "pellham"):
        assert signed_in(staff[username]).get("/calendar/rooms/").status_code == 404


def test_biller_has_no_calendar(staff):
    web = signed_in(staff["pellham"])
    assert web.get("/calendar/").status_code == 404 and web.get("/calendar/week/").status_code == 404


def test_front_desk_home_lists_today_across_clinicians_with_links(staff):
    page = signed_in(staff["fontaine"]).get("/").content.decode()
    assert "Appointments on" in page and 'href="/calendar/book/"' in page
    assert "Signe Lindqvist-Hale" in page and "Dr. Adaeze Okafor-Brennan" in page  # the demo's today


def test_a_practice_without_types_or_rooms_still_books_a_session(staff, cid):
    AppointmentType.objects.filter(practice_id=staff["marsh"].practice_id).update(active=False)
    web = signed_in(staff["marsh"])
    form = web.get(f"/calendar/book/?client={cid['c1']}").content.decode()
    assert "Session (50 min)" in form
    response = web.post("/calendar/book/", {**_booking(staff, cid, _tuesday(70), weekly="", count=""),
                                            "appointment_type": "", "clinician": str(staff["marsh"].pk)})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_booking_form_picks_the_client_by_search_or_a_page_at_a_time(staff, cid):
    """The front desk of a large practice finds the client (any part of the name) or
    pages through the clients; a link chooses one and the form shows them by name. The
    form never lists the whole practice."""
    from confide.services.demo.grow import demo_grow
    from confide.apps.records.models import Client
    from confide.services.directory import PAGE_SIZE

    demo_grow(clients=PAGE_SIZE + 20, batch=100)
    web = signed_in(staff["fontaine"])
    first = web.get("/calendar/book/?day=2027-01-05").content.decode()
    chosen = re.findall(r'href="/calendar/book/\?client=([0-9a-f-]{36})&amp;day=2027-01-05"', first)
    assert len(chosen) == PAGE_SIZE < Client.objects.count() and 'rel="next"' in first
    assert 'name="client"' not in first  # no booking before a client is chosen
    after = re.search(r'href="/calendar/book/\?after=([^"&]+)&amp;day=2027-01-05" rel="next"', first).group(1)
    earlier = web.get(f"/calendar/book/?after={after}&day=2027-01-05").content.decode()
    assert not set(chosen) & set(re.findall(r"\?client=([0-9a-f-]{36})", earlier))
    found = web.get("/calendar/book/?find=Lena").content.decode()
    assert f"?client={cid['c1']}" in found and "Lena" in found
    form = web.get(f"/calendar/book/?client={cid['c1']}&day=2027-01-05").content.decode()
    assert "Client: <strong>Lena</strong>" in form and f'value="{cid["c1"]}"' in form and "Choose another client" in form
    assert 'value="2027-01-05"' in form
    nobody = web.get("/calendar/book/?find=Zzyzxqv").content.decode()
    assert "No client you may see matches." in nobody
    bad = web.get("/calendar/book/?find=" + "x" * 201)
    assert bad.status_code == 200  # the query is cut to 200 characters, as the field allows


def test_a_client_the_user_may_not_list_is_not_chosen(staff, cid, other_practice):
    web = signed_in(staff["marsh"])
    stranger = next(c for c in (cid["c2"], cid["c3"], cid["c4"], cid["c5"])
                    if f"?client={c}" not in web.get("/calendar/book/").content.decode())
    for client in (stranger, other_practice["client_id"], "not-an-id"):
        page = web.get(f"/calendar/book/?client={client}").content.decode()
        assert "Choose the client" in page and 'name="client"' not in page
    refused = web.post("/calendar/book/", _booking(staff, cid, _tuesday(77), client=str(stranger), weekly="",
                                                   count=""))
    assert refused.status_code == 400 and "choose the client" in refused.content.decode()
    assert not Appointment.objects.filter(client_id=stranger, starts_at__date__gte=_tuesday(76)).exists()
