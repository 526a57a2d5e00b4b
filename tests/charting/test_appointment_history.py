"""A chart's appointment history comes a page at a time: the first screen shows the
newest past sessions and the next to come whatever the chart's length, and older
sessions page by keyset (services.charting.history)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from confide.apps.practice.models import User
from confide.apps.records.models import Appointment, CareTeamMember, Client
from confide.core.errors import InvalidInput, NotFound
from confide.services import charting
from confide.services.demo.grow import demo_grow
from confide.services.keys import client_data_key
from confide.services.projection import HISTORY_PAGE
from confide.services.sealing import seal


def _grown(sessions: int) -> tuple[Client, User]:
    """One more demo client with `sessions` past sessions (the bulk path), and its clinician."""
    before = set(Client.objects.values_list("id", flat=True))
    demo_grow(clients=len(before) + 1, batch=1, notes=(sessions, sessions))
    client = Client.objects.exclude(id__in=before).get()
    return client, CareTeamMember.objects.get(client=client).staff


def _upcoming(client: Client, clinician: User, days: int) -> Appointment:
    rid = uuid.uuid4()
    return Appointment.objects.create(
        id=rid, practice_id=client.practice_id, client=client, clinician=clinician,
        starts_at=datetime.now(timezone.utc) + timedelta(days=days), minutes=50,
        details_enc=seal(client_data_key(client.id), Appointment, "details_enc", rid,
                         {"label": "Session", "room": "", "modality": "telehealth"}))


def test_the_first_screen_shows_the_newest_page_and_older_pages_follow(db, demo):
    client, clinician = _grown(HISTORY_PAGE + 7)
    soon = _upcoming(client, clinician, 3)
    chart = charting.chart_open(user=clinician, client_id=client.id)
    past = list(Appointment.objects.filter(client=client, starts_at__lt=datetime.now(timezone.utc))
                .order_by("starts_at", "id").values_list("id", flat=True))
    shown = [a["id"] for a in chart["appointments"]]
    # the newest HISTORY_PAGE past sessions, oldest first, then the one to come
    assert shown == [str(i) for i in past[-HISTORY_PAGE:]] + [str(soon.id)]
    assert chart["appointments_next"] and chart["billing"]["dates_of_service_more"] is True
    assert len(chart["billing"]["dates_of_service"]) == HISTORY_PAGE  # every demo session was attended
    older = charting.appointments_page(user=clinician, client_id=client.id, before=chart["appointments_next"])
    assert [a["id"] for a in older["appointments"]] == [str(i) for i in past[:-HISTORY_PAGE]]
    assert older["next"] is None and all(a["status"] == "attended" for a in older["appointments"])


def test_pages_walk_the_whole_history_once(db, demo):
    client, clinician = _grown(7)
    seen, before = [], None
    while True:
        page = charting.appointments_page(user=clinician, client_id=client.id, before=before, limit=2)
        assert len(page["appointments"]) <= 2
        seen = [a["id"] for a in page["appointments"]] + seen
        before = page["next"]
        if before is None:
            break
    everything = Appointment.objects.filter(client=client).order_by("starts_at", "id")
    assert seen == [str(a.id) for a in everything]


def test_a_chart_opens_with_the_same_queries_for_three_sessions_or_fifty(db, demo):
    counts = []
    for sessions in (3, 50):
        client, clinician = _grown(sessions)
        charting.chart_open(user=clinician, client_id=client.id)  # keys and rules warm
        with CaptureQueriesContext(connection) as queries:
            chart = charting.chart_open(user=clinician, client_id=client.id)
        assert len(chart["appointments"]) == min(sessions, HISTORY_PAGE)
        assert len(chart["progress_notes"]) == min(sessions, charting.NOTES_PAGE)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_a_bad_marker_is_one_line_and_reads_nothing(db, demo):
    client, clinician = _grown(2)
    for bad in ("garbage", "12_not-a-uuid", "9" * 40 + "_00000000-0000-0000-0000-000000000000"):
        with pytest.raises(InvalidInput, match="appointments: the page marker is not valid"):
            charting.appointments_page(user=clinician, client_id=client.id, before=bad)
        with pytest.raises(InvalidInput):
            charting.chart_tab(user=clinician, client_id=client.id, tab="appointments", before=bad)
    with pytest.raises(InvalidInput):
        charting.appointments_page(user=clinician, client_id=client.id, limit=0)


def test_a_clinician_with_no_relationship_sees_no_history(db, demo, staff):
    client, clinician = _grown(2)
    stranger = next(u for u in User.objects.filter(practice_id=client.practice_id, role="clinician")
                    if u.pk != clinician.pk and not CareTeamMember.objects.filter(client=client, staff=u).exists())
    with pytest.raises(NotFound):
        charting.appointments_page(user=stranger, client_id=client.id)
    with pytest.raises(NotFound):
        charting.appointments_page(user=clinician, client_id="not-a-client")
