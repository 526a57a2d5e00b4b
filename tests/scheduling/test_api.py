"""The scheduling operations over HTTP: a weekly series, a 409 naming the conflict in
one line, the calendar with practice-local wording, cancel and attendance, rooms and
appointment types, and the role answers."""

from __future__ import annotations

from datetime import date, timedelta

API = "/api/v1"


def _tuesday(days=45) -> date:
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def test_front_desk_books_a_series_reads_the_calendar_and_cancels(staff, cid, api_client):
    desk = api_client(staff["fontaine"])
    first = _tuesday()
    body = {"clinician_id": staff["marsh"].pk, "first_day": first.isoformat(), "time": "18:00", "count": 3,
            "room": "Room 3", "appointment_type": "Session"}
    made = desk.post(f"{API}/clients/{cid['c1']}/appointment-series", body, content_type="application/json")
    assert made.status_code == 201, made.content
    ids = made.json()["ids"]
    assert len(ids) == 3
    again = desk.post(f"{API}/clients/{cid['c3']}/appointment-series", {**body, "time": "18:30"},
                      content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"
    assert again.json()["message"].startswith("Theo Marsh-Calloway already has a session then: ")
    assert again.json()["message"].endswith(", 6:00 PM to 6:50 PM")
    week = desk.get(f"{API}/calendar", {"day": first.isoformat(), "days": 7, "clinician_id": staff["marsh"].pk})
    assert week.status_code == 200
    mine = [a for a in week.json() if a["id"] in ids]
    assert len(mine) == 1 and mine[0]["when"].endswith("6:00 PM to 6:50 PM") and mine[0]["label"] == "Session"
    assert mine[0]["status"] is None  # attendance is not the front desk's to read
    cancelled = desk.post(f"{API}/appointments/{ids[1]}/cancel", {"reason": "Holiday", "rest_of_series": True},
                          content_type="application/json")
    assert cancelled.status_code == 200 and cancelled.json() == {"cancelled": 2}
    got = api_client(staff["marsh"]).get(f"{API}/appointments/{ids[2]}").json()
    assert got["status"] == "cancelled" and got["cancellation_reason"] == "Holiday"
    attendance = desk.post(f"{API}/appointments/{ids[0]}/attendance", {"status": "attended"},
                           content_type="application/json")
    assert attendance.status_code == 403


def test_an_unrelated_appointment_answers_404_like_nothing(staff, cid, api_client):
    desk = api_client(staff["fontaine"])
    body = {"clinician_id": staff["okafor"].pk, "first_day": _tuesday(60).isoformat(), "time": "07:30", "count": 2}
    ids = desk.post(f"{API}/clients/{cid['c2']}/appointment-series", body, content_type="application/json").json()["ids"]
    marsh = api_client(staff["marsh"])
    answers = {(r.status_code, r.content) for r in (marsh.get(f"{API}/appointments/{ids[0]}"),
                                                    marsh.get(f"{API}/appointments/00000000-0000-0000-0000-000000000000"),
                                                    marsh.get(f"{API}/appointments/nope"))}
    assert answers == {(404, b'{"error": "not_found", "message": "not found"}')}


def test_rooms_and_types_are_the_administrators(staff, api_client):
    admin, marsh = api_client(staff["haddad"]), api_client(staff["marsh"])
    assert admin.post(f"{API}/rooms", {"name": "Garden room"}, content_type="application/json").status_code == 201
    assert "Garden room" in [r["name"] for r in marsh.get(f"{API}/rooms").json()]
    assert marsh.post(f"{API}/rooms", {"name": "Mine"}, content_type="application/json").status_code == 403
    refused = admin.post(f"{API}/appointment-types", {"label": "Suboxone check", "minutes": 20},
                         content_type="application/json")
    assert refused.status_code == 400 and "names a clinical matter" in refused.json()["message"]
    assert admin.post(f"{API}/appointment-types", {"label": "Check-in", "minutes": 20},
                      content_type="application/json").status_code == 201


def test_bad_calendar_queries_are_one_line(staff, api_client):
    desk = api_client(staff["fontaine"])
    for query in ({"day": "2026-12-08", "days": 0}, {"day": "0001-01-01"}, {"day": "2026-12-08", "clinician_id": 10**12}):
        response = desk.get(f"{API}/calendar", query)
        assert response.status_code in (200, 400, 422) and "\n" not in response.content.decode()
    assert desk.get(f"{API}/calendar", {"day": "0001-01-01"}).status_code == 400
