"""Billing fixtures: attended sessions of the demo's clients, in the practice's days."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from confide.services import scheduling
from tests.dates import practice_today

CASCADIA = "Cascadia Health Plan"


def attended_session(user, client_id, days_ago: int, *, hour: int = 7, appointment_type="Session", room="Room 3"):
    """A past session of `user` with the client, recorded as attended (7 AM: clear of
    the demo's own sessions)."""
    day = practice_today() - timedelta(days=days_ago)
    return scheduling.appointment_create(
        user=user, client_id=client_id, starts_at=scheduling.wall_clock(user.practice_id, day, time(hour, 0)),
        appointment_type=appointment_type, room=room, status="attended")


@pytest.fixture
def lena_sessions(staff, cid):
    """Two attended sessions of Lena (c1) with Theo Marsh-Calloway this week or last,
    not yet charged: yesterday (in person) and two days ago (first session type)."""
    marsh = staff["marsh"]
    return [attended_session(marsh, cid["c1"], 1), attended_session(marsh, cid["c1"], 2, appointment_type="Extended session",
                                                                      room=None)]
