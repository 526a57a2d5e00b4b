"""A chart's appointment history, a page at a time: the chart's first screen shows the
newest page (services.projection.appointment_history), older pages come from here."""

from __future__ import annotations

from confide.apps.practice.models import User
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.practice_time import practice_zone
from confide.services.projection import (
    HISTORY_PAGE,
    appointment_history,
    appointment_section,
    parse_appointment_marker,
)


def appointments_page(*, user: User, client_id, before=None, limit: int = HISTORY_PAGE) -> dict:
    """A chart's appointments, oldest first, one page at a time: without `before` the
    newest `limit` that have started and the next `limit` to come; with it (the `next`
    of the page after), the `limit` before. Keyset on (client, start, id): the same
    cost on page 1 and page 50. Each shows its status when the reader may see
    attendance; a reader permitted attendance alone gets `attendance` (day and status)
    instead of `appointments`."""
    if not isinstance(limit, int) or not 1 <= limit <= 100:
        raise InvalidInput("appointments: limit must be between 1 and 100")
    parse_appointment_marker(before)  # a bad marker is refused before anything is read
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"appointments", "attendance"},
                         detail={"view": "appointments", "page": bool(before)}) as ok:
        cats = ok.decision.categories
        rows, nxt = appointment_history(ok.client, limit=limit, before=before)
        section = appointment_section(data_key_of(ok.client), rows, cats, practice_zone(ok.client.practice_id))
        return {**section, "next": nxt}
