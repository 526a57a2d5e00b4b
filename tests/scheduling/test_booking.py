"""Booking through the door: a weekly series across daylight-saving changes, room and
double-booking conflicts (one line, in words, nothing booked), bounds, who may book
whom, cancellation with an encrypted reason, and attendance as claims and the
guardian view read it."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from confide.apps.records.models import Appointment
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import scheduling
from confide.services.charting import chart_open
from confide.services.keys import client_data_key
from confide.services.practice_time import local_today
from confide.services.projection import attendance_list
from confide.services.scheduling import Conflict

TACOMA = ZoneInfo("America/Los_Angeles")
# Daylight saving in 2027 starts Sun 14 Mar and ends Sun 7 Nov (America/Los_Angeles).
BEFORE_SPRING = date(2027, 3, 2)  # a Tuesday
BEFORE_FALL = date(2027, 10, 26)  # a Tuesday


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TACOMA)


def _future_day(days: int = 30) -> date:
    """A weekday (Tuesday) well ahead, away from the demo's own sessions."""
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=(1 - day.weekday()) % 7)


@pytest.mark.parametrize("first_day", [BEFORE_SPRING, BEFORE_FALL], ids=["spring forward", "fall back"])
def test_a_weekly_series_keeps_its_wall_clock_time_across_daylight_saving(staff, cid, first_day):
    desk, marsh = staff["fontaine"], staff["marsh"]
    ids = scheduling.series_create(user=desk, client_id=cid["c1"], clinician_id=marsh.pk, first_day=first_day,
                                   at=time(18, 0), count=4, appointment_type="Session", room="Room 3")
    rows = list(Appointment.objects.filter(id__in=ids).order_by("starts_at"))
    assert len(rows) == 4 and len({r.series_id for r in rows}) == 1 and rows[0].series_id is not None
    local = [_local(r.starts_at) for r in rows]
    assert [d.date() for d in local] == [first_day + timedelta(weeks=i) for i in range(4)]
    assert {(d.hour, d.minute) for d in local} == {(18, 0)}  # 6 PM every week
    utc_hours = [r.starts_at.astimezone(timezone.utc).hour for r in rows]
    assert len(set(utc_hours)) == 2  # ... which is two different UTC hours across the change
    # the calendar shows each on its local Tuesday, at 6:00 PM
    for day in (first_day + timedelta(weeks=i) for i in range(4)):
        week = scheduling.appointments_week(user=desk, day=day, clinician_id=marsh.pk)
        tuesday = week["days"][1]
        assert tuesday["day"] == day and any(s["id"] in map(str, ids) for s in tuesday["sessions"])


def test_a_time_the_clocks_skip_is_refused_not_moved(staff, cid):
    marsh = staff["marsh"]
    with pytest.raises(InvalidInput) as exc:
        scheduling.series_create(user=marsh, client_id=cid["c1"], first_day=date(2027, 3, 7), at=time(2, 30),
                                 count=3)
    assert str(exc.value) == "time: 2:30 AM does not exist on Sun 14 Mar 2027 (the clocks go forward); choose another time"
    assert not Appointment.objects.filter(starts_at__date__gte=date(2027, 3, 6), starts_at__date__lte=date(2027, 3, 22),
                                          clinician=marsh).exists()


def test_double_booking_a_clinician_is_refused_in_words(staff, cid, counts):
    desk, marsh = staff["fontaine"], staff["marsh"]
    day = _future_day()
    scheduling.appointment_create(user=marsh, client_id=cid["c1"], starts_at=scheduling.wall_clock(
        marsh.practice_id, day, time(18, 0)), room="Room 1")
    before = counts()
    with pytest.raises(Conflict) as exc:
        scheduling.appointment_create(user=desk, client_id=cid["c3"], clinician_id=marsh.pk, room="Room 2",
                                      starts_at=scheduling.wall_clock(marsh.practice_id, day, time(18, 30)))
    when = f"{day.strftime('%a')} {day.day} {day.strftime('%b')}" + (f" {day.year}" if day.year != date.today().year else "")
    assert str(exc.value) == f"Theo Marsh-Calloway already has a session then: {when}, 6:00 PM to 6:50 PM"
    assert "\n" not in str(exc.value) and "Lena" not in str(exc.value) and "Varga" not in str(exc.value)
    assert counts() == before


def test_a_room_is_not_booked_twice_and_telehealth_takes_none(staff, cid):
    marsh, okafor = staff["marsh"], staff["okafor"]
    day = _future_day(40)
    scheduling.appointment_create(user=marsh, client_id=cid["c1"], room="Room 3", minutes=60,
                                  starts_at=scheduling.wall_clock(marsh.practice_id, day, time(10, 0)))
    with pytest.raises(Conflict, match=r"^Room 3 is booked then: .*, 10:00 AM to 11:00 AM$"):
        scheduling.appointment_create(user=okafor, client_id=cid["c2"], room="Room 3",
                                      starts_at=scheduling.wall_clock(okafor.practice_id, day, time(10, 50)))
    # back to back is not a conflict; telehealth at the same time needs no room
    scheduling.appointment_create(user=okafor, client_id=cid["c2"], room="Room 3",
                                  starts_at=scheduling.wall_clock(okafor.practice_id, day, time(11, 0)))
    scheduling.appointment_create(user=okafor, client_id=cid["c4"], modality="telehealth",
                                  starts_at=scheduling.wall_clock(okafor.practice_id, day, time(12, 0)))
    with pytest.raises(InvalidInput, match="^room: a telehealth session takes no room$"):
        scheduling.appointment_create(user=okafor, client_id=cid["c4"], modality="telehealth", room="Room 1",
                                      starts_at=scheduling.wall_clock(okafor.practice_id, day, time(13, 0)))


def test_one_conflict_refuses_the_whole_series_and_names_the_week(staff, cid, counts):
    desk, marsh = staff["fontaine"], staff["marsh"]
    first = _future_day(50)
    third = first + timedelta(weeks=2)
    scheduling.appointment_create(user=marsh, client_id=cid["c3"], room="Room 1",
                                  starts_at=scheduling.wall_clock(marsh.practice_id, third, time(8, 30)))
    before = counts()
    with pytest.raises(Conflict) as exc:
        scheduling.series_create(user=desk, client_id=cid["c1"], clinician_id=marsh.pk, first_day=first,
                                 at=time(8, 0), count=6, room="Room 2")
    assert f"{third.day} {third.strftime('%b')}" in str(exc.value) and "8:30 AM to 9:20 AM" in str(exc.value)
    assert counts() == before  # nothing booked, not even the first two weeks


def test_a_cancelled_session_frees_its_slot(staff, cid):
    marsh = staff["marsh"]
    day = _future_day(60)
    at = scheduling.wall_clock(marsh.practice_id, day, time(15, 0))
    first = scheduling.appointment_create(user=marsh, client_id=cid["c1"], starts_at=at, room="Room 1")
    scheduling.appointment_cancel(user=staff["fontaine"], appointment_id=first, reason="Client has a work trip")
    scheduling.appointment_create(user=marsh, client_id=cid["c3"], starts_at=at, room="Room 1")


@pytest.mark.parametrize("kwargs,message", [
    ({"minutes": 4}, "minutes: a whole number from 5 to 480"),
    ({"minutes": 481}, "minutes: a whole number from 5 to 480"),
    ({"minutes": True}, "minutes: a whole number from 5 to 480"),
    ({"starts_at": datetime(2026, 12, 8, 18, 0)}, "starts_at: a date and time with its time zone"),
    ({"starts_at": datetime.now(timezone.utc) + timedelta(days=800)}, "starts_at: within two years of today"),
    ({"room": "Broom closet"}, "room: no such room in this practice"),
    ({"appointment_type": "Nope"}, "appointment type: no such type in this practice"),
    ({"modality": "carrier pigeon"}, "modality: in person or telehealth"),
    ({"label": "Trauma follow-up"}, None),
    ({"status": "maybe"}, "status: one of scheduled, attended, cancelled, no_show"),
])
def test_bad_bookings_are_refused_in_one_line_and_change_nothing(staff, cid, counts, kwargs, message):
    args = {"user": staff["marsh"], "client_id": cid["c1"],
            "starts_at": datetime.now(timezone.utc) + timedelta(days=70), **kwargs}
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        scheduling.appointment_create(**args)
    if message:
        assert str(exc.value) == message
    else:
        assert str(exc.value).startswith('label: "trauma" names a clinical matter')
    assert "\n" not in str(exc.value) and counts() == before


@pytest.mark.parametrize("count", [0, 1, 53, "4"])
def test_a_series_has_two_to_fifty_two_sessions(staff, cid, count):
    with pytest.raises(InvalidInput, match="^count: a weekly series has 2 to 52 sessions$"):
        scheduling.series_create(user=staff["marsh"], client_id=cid["c1"], first_day=_future_day(), at=time(9, 0),
                                 count=count)


# --- who may book whom ------------------------------------------------------------------

def test_a_clinician_books_their_own_clients_with_themselves_only(staff, cid):
    marsh, okafor = staff["marsh"], staff["okafor"]
    at = scheduling.wall_clock(marsh.practice_id, _future_day(80), time(9, 0))
    assert scheduling.appointment_create(user=marsh, client_id=cid["c1"], starts_at=at)
    with pytest.raises(Forbidden, match="a clinician books their own sessions"):
        scheduling.appointment_create(user=marsh, client_id=cid["c1"], clinician_id=okafor.pk, starts_at=at)
    with pytest.raises(NotFound):  # a colleague's client: as if there were no such client
        scheduling.appointment_create(user=marsh, client_id=cid["c2"], starts_at=at)
    with pytest.raises(NotFound):  # a supervisor reads a supervisee's client's record, books nothing
        scheduling.appointment_create(user=okafor, client_id=cid["c5"], starts_at=at)


def test_the_front_desk_books_a_client_only_with_their_own_clinician(staff, cid):
    desk, marsh, okafor = staff["fontaine"], staff["marsh"], staff["okafor"]
    at = scheduling.wall_clock(marsh.practice_id, _future_day(90), time(9, 0))
    assert scheduling.appointment_create(user=desk, client_id=cid["c1"], clinician_id=marsh.pk, starts_at=at)
    with pytest.raises(InvalidInput, match="^clinician: Dr. Adaeze Okafor-Brennan is not on this client's care team"):
        scheduling.appointment_create(user=desk, client_id=cid["c1"], clinician_id=okafor.pk, starts_at=at)
    with pytest.raises(InvalidInput, match="^clinician: no such clinician in this practice$"):
        scheduling.appointment_create(user=desk, client_id=cid["c1"], clinician_id=staff["pellham"].pk, starts_at=at)


@pytest.mark.parametrize("username", ["pellham", "haddad"])
def test_billers_and_the_administrator_book_nothing(staff, cid, username, counts):
    before = counts()
    with pytest.raises(NotFound):  # the door refuses a write of theirs, as for no such client
        scheduling.appointment_create(user=staff[username], client_id=cid["c1"], clinician_id=staff["marsh"].pk,
                                      starts_at=datetime.now(timezone.utc) + timedelta(days=3))
    after = counts()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {"auditlog.AuditEvent": 1}


def test_another_practices_clinician_gets_not_found(cid, other_practice):
    with pytest.raises(NotFound):
        scheduling.appointment_create(user=other_practice["clinician"], client_id=cid["c1"],
                                      starts_at=datetime.now(timezone.utc) + timedelta(days=3))


# --- cancel, reschedule, attendance ------------------------------------------------------

def test_the_front_desk_cancels_with_a_reason_kept_encrypted(staff, cid):
    desk, marsh = staff["fontaine"], staff["marsh"]
    at = scheduling.wall_clock(marsh.practice_id, _future_day(100), time(13, 0))
    rid = scheduling.appointment_create(user=desk, client_id=cid["c1"], clinician_id=marsh.pk, starts_at=at)
    reason = "Called: car broke down on Pacific Avenue"
    scheduling.appointment_cancel(user=desk, appointment_id=rid, reason=reason)
    row = Appointment.objects.get(id=rid)
    assert row.cancelled_at is not None and reason.encode() not in bytes(row.cancellation_enc)
    seen = scheduling.appointment_get(user=marsh, appointment_id=rid)
    assert seen["status"] == "cancelled" and seen["cancellation"]["reason"] == reason
    assert seen["cancellation"]["by"] == "Rosalie Fontaine-Ibarra"
    with pytest.raises(InvalidInput, match="^appointment: it is already cancelled$"):
        scheduling.appointment_cancel(user=desk, appointment_id=rid, reason="again")
    with pytest.raises(InvalidInput, match="^reason: say why it is cancelled"):
        scheduling.appointment_cancel(user=desk, appointment_id=rid, reason="  ")


def test_cancelling_one_and_the_rest_of_a_series(staff, cid):
    desk, marsh = staff["fontaine"], staff["marsh"]
    ids = scheduling.series_create(user=desk, client_id=cid["c1"], clinician_id=marsh.pk, first_day=_future_day(110),
                                   at=time(7, 0), count=5)
    scheduling.appointment_cancel(user=desk, appointment_id=ids[1], reason="Holiday")
    assert scheduling.series_cancel(user=desk, appointment_id=ids[3], reason="Moving away") == 2
    cancelled = set(Appointment.objects.filter(id__in=ids, cancelled_at__isnull=False).values_list("id", flat=True))
    assert cancelled == {ids[1], ids[3], ids[4]}


def test_reschedule_checks_conflicts_but_not_against_itself(staff, cid):
    desk, marsh = staff["fontaine"], staff["marsh"]
    day = _future_day(120)
    a = scheduling.appointment_create(user=desk, client_id=cid["c1"], clinician_id=marsh.pk, room="Room 1",
                                      starts_at=scheduling.wall_clock(marsh.practice_id, day, time(9, 0)))
    scheduling.appointment_create(user=desk, client_id=cid["c3"], clinician_id=marsh.pk, room="Room 1",
                                  starts_at=scheduling.wall_clock(marsh.practice_id, day, time(11, 0)))
    scheduling.appointment_reschedule(user=desk, appointment_id=a,
                                      starts_at=scheduling.wall_clock(marsh.practice_id, day, time(9, 30)))
    with pytest.raises(Conflict, match="^Theo Marsh-Calloway already has a session then"):
        scheduling.appointment_reschedule(user=desk, appointment_id=a,
                                          starts_at=scheduling.wall_clock(marsh.practice_id, day, time(10, 30)))
    assert _local(Appointment.objects.get(id=a).starts_at).time() == time(9, 30)
    with pytest.raises(NotFound):  # not okafor's client
        scheduling.appointment_reschedule(user=staff["okafor"], appointment_id=a, starts_at=datetime.now(timezone.utc))


def test_attendance_is_the_clinicians_and_is_what_claims_and_the_guardian_read(staff, cid):
    marsh, desk = staff["marsh"], staff["fontaine"]
    today = local_today(marsh.practice_id)
    held = scheduling.wall_clock(marsh.practice_id, today - timedelta(days=2), time(7, 0))
    rid = scheduling.appointment_create(user=desk, client_id=cid["c3"], clinician_id=marsh.pk, starts_at=held)
    with pytest.raises(Forbidden, match="^attendance: the session's clinician records attended or no show$"):
        scheduling.attendance_record(user=desk, appointment_id=rid, status="attended")
    scheduling.attendance_record(user=marsh, appointment_id=rid, status="attended")
    day = (today - timedelta(days=2)).isoformat()
    chart = chart_open(user=marsh, client_id=cid["c3"])
    assert day in chart["billing"]["dates_of_service"]  # what a claim's date of service comes from
    client = Appointment.objects.get(id=rid).client
    assert {"id": str(rid), "date": day, "status": "attended"} in attendance_list(client_data_key(client.id), client)
    # June's mother sees what June allows: her attendance, this session included
    view = chart_open(user=staff["acastellanos"], client_id=cid["c3"])
    assert any(a["date"] == day and a["status"] == "attended" for a in view["attendance"])
    future = scheduling.appointment_create(user=marsh, client_id=cid["c3"], starts_at=scheduling.wall_clock(
        marsh.practice_id, today + timedelta(days=9), time(7, 0)))
    with pytest.raises(InvalidInput, match="record attendance once it has begun$"):
        scheduling.attendance_record(user=marsh, appointment_id=future, status="no_show")


def test_a_front_desk_cancellation_reaches_attendance_readers(staff, cid):
    marsh, desk = staff["marsh"], staff["fontaine"]
    at = scheduling.wall_clock(marsh.practice_id, _future_day(5), time(7, 0))
    rid = scheduling.appointment_create(user=desk, client_id=cid["c3"], clinician_id=marsh.pk, starts_at=at)
    scheduling.appointment_cancel(user=desk, appointment_id=rid, reason="Family emergency")
    client = Appointment.objects.get(id=rid).client
    assert any(a["id"] == str(rid) and a["status"] == "cancelled"
               for a in attendance_list(client_data_key(client.id), client))


def test_an_appointment_of_an_unrelated_client_answers_as_nothing(staff, cid):
    okafor_session = scheduling.appointment_create(
        user=staff["okafor"], client_id=cid["c2"],
        starts_at=scheduling.wall_clock(staff["okafor"].practice_id, _future_day(130), time(9, 0)))
    answers = []
    for appointment_id in (okafor_session, uuid.uuid4(), "not-an-id"):
        for call in (lambda a: scheduling.appointment_get(user=staff["marsh"], appointment_id=a),
                     lambda a: scheduling.appointment_cancel(user=staff["marsh"], appointment_id=a, reason="nope"),
                     lambda a: scheduling.attendance_record(user=staff["marsh"], appointment_id=a, status="attended")):
            with pytest.raises(NotFound) as exc:
                call(appointment_id)
            answers.append(str(exc.value))
    assert set(answers) == {"not found"}
