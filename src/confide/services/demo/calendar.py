"""The demo's calendar this week: sessions today for each clinician and a weekly
series, all in the practice's local time, so the calendars and the home pages have
something to show whatever day the demo is made. Booked through the same services as
real use (the front desk books the series).

Times stay clear of the sessions the tests and the browser journeys add for today
(Theo Marsh-Calloway at 9 and 11 AM, Dr. Okafor-Brennan at 2 and 3 PM)."""

from __future__ import annotations

from datetime import date, time, timedelta

from confide.services import scheduling


def demo_appointment_type(n: int, appointment: dict) -> str:
    """The neutral label of a demo client's n-th appointment."""
    if n == 0:
        return "First session"
    return "Extended session" if appointment["minutes"] >= 90 else "Session"


# (clinician, client key, hour, minute, room or None for telehealth)
TODAY = (("marsh", "c3", 13, 0, "Room 2"), ("marsh", "c6", 16, 30, None), ("okafor", "c4", 10, 0, "Room 1"),
         ("lindqvist", "c5", 12, 0, "Room 3"))


def demo_calendar(*, staff: dict, client_ids: dict, today: date) -> None:
    for username, key, hour, minute, room in TODAY:
        user = staff[username]
        scheduling.appointment_create(
            user=user, client_id=client_ids[key], starts_at=scheduling.wall_clock(user.practice_id, today,
                                                                                   time(hour, minute)),
            appointment_type="Session", room=room, modality="telehealth" if room is None else "in_person")
    # Booked by the front desk: Lena's weekly evening session from tomorrow, eight weeks.
    desk, marsh = staff["fontaine"], staff["marsh"]
    scheduling.series_create(user=desk, client_id=client_ids["c1"], clinician_id=marsh.pk,
                             first_day=today + timedelta(days=1), at=time(17, 0), count=8,
                             appointment_type="Session", room="Room 2")
