"""Obvious bad input is refused in one line and changes nothing: a note dated years
ahead or before 1900, an appointment at the epoch or years out, a note format the
practice does not use (its list is the practice's own)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from confide.apps.practice.models import Practice
from confide.apps.records.models import Appointment, ProgressNote
from confide.core.errors import InvalidInput
from confide.services import charting, scheduling
from tests.dates import practice_today

API = "/api/v1"


def _post(client, path, body):
    return client.post(API + path, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("day, ok", [
    (practice_today() + timedelta(days=5 * 365), False),
    (date(1899, 12, 31), False),
    (practice_today() + timedelta(days=1), True),  # the practice's tomorrow: just past midnight elsewhere
    (date(1950, 6, 1), True),
])
def test_session_dates_have_sane_bounds(staff, cid, day, ok):
    before = ProgressNote.objects.count()
    if ok:
        charting.progress_note_create(user=staff["marsh"], client_id=cid["c1"], session_date=day, text="Note.")
        assert ProgressNote.objects.count() == before + 1
        return
    with pytest.raises(InvalidInput) as err:
        charting.progress_note_create(user=staff["marsh"], client_id=cid["c1"], session_date=day, text="Note.")
    assert str(err.value) == "session_date: a date from 1900-01-01 to tomorrow"
    with pytest.raises(InvalidInput):
        charting.psychotherapy_note_create(user=staff["marsh"], client_id=cid["c1"], session_date=day, text="N.")
    assert ProgressNote.objects.count() == before


def test_note_formats_come_from_the_practices_list(staff, cid):
    marsh = staff["marsh"]
    with pytest.raises(InvalidInput) as err:
        charting.progress_note_create(user=marsh, client_id=cid["c1"], session_date=date.today(), text="Note.",
                                      note_format="HAIKU")
    assert str(err.value) == "format: one of SOAP, DAP, BIRP, narrative (the practice's note formats)"
    Practice.objects.filter(id=marsh.practice_id).update(note_formats=["GIRP"])
    marsh.refresh_from_db()
    marsh.practice.refresh_from_db()
    charting.progress_note_create(user=marsh, client_id=cid["c1"], session_date=date.today(), text="Note.",
                                  note_format="GIRP")
    with pytest.raises(InvalidInput):
        charting.progress_note_create(user=marsh, client_id=cid["c1"], session_date=date.today(), text="Note.",
                                      note_format="SOAP")


@pytest.mark.parametrize("starts_at", [
    datetime(1970, 1, 1, tzinfo=timezone.utc),
    datetime.now(timezone.utc) + timedelta(days=3 * 365),
    datetime.now(timezone.utc) - timedelta(days=11 * 365),
])
def test_appointments_fall_within_two_years_of_today(staff, cid, starts_at):
    before = Appointment.objects.count()
    with pytest.raises(InvalidInput) as err:
        scheduling.appointment_create(user=staff["marsh"], client_id=cid["c1"], clinician_id=staff["marsh"].pk,
                                      starts_at=starts_at)
    assert str(err.value) == "starts_at: within two years of today"
    assert Appointment.objects.count() == before


def test_over_the_api_each_refusal_is_one_line_and_writes_nothing(staff, cid, api_client, counts):
    web = api_client(staff["marsh"])
    before = counts()
    cases = [
        (f"/clients/{cid['c1']}/appointments", {"clinician_id": staff["marsh"].pk, "starts_at": 0}),
        (f"/clients/{cid['c1']}/progress-notes", {"session_date": (date.today() + timedelta(days=1826)).isoformat(),
                                                  "text": "Note."}),
        (f"/clients/{cid['c1']}/progress-notes", {"session_date": date.today().isoformat(), "text": "Note.",
                                                  "format": "HAIKU"}),
    ]
    for path, body in cases:
        response = _post(web, path, body)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        answer = response.json()
        assert answer["error"] == "invalid_input" and "\n" not in answer["message"], answer
    assert counts() == before
