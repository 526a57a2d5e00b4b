"""The portal's home page in one door call: upcoming appointments in the client's own
time zone, messages waiting, forms to complete, the notice's acknowledgement, the
latest appointment requests, and whether the client (a minor who consented alone)
decides what their parent sees."""

from __future__ import annotations

from datetime import datetime, timezone

from confide.apps.practice.models import Practice, User
from confide.apps.records.models import Appointment, ClientAccount
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.portal import correspondence, forms, notice
from confide.services.portal.common import client_zone, when
from confide.services.sealing import unseal

UPCOMING = 5
HOME_CATEGORIES = frozenset({"appointments", "correspondence", "assessments", "consents", "contact_preferences"})


def portal_home(*, user: User, client_id) -> dict:
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories=HOME_CATEGORIES, detail={"view": "portal_home"}) as ok:
        dek = data_key_of(ok.client)
        zone = client_zone(dek, ok.client)
        practice = Practice.objects.get(pk=ok.client.practice_id)
        now = datetime.now(timezone.utc)
        upcoming = []
        for a in (Appointment.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id,
                                             starts_at__gte=now, cancelled_at__isnull=True)
                  .select_related("clinician").order_by("starts_at", "id")[:UPCOMING]):
            details = unseal(dek, Appointment, "details_enc", a.id, a.details_enc) or {}
            upcoming.append({"when": when(zone, a.starts_at), "minutes": a.minutes, "clinician": a.clinician.full_name,
                             "where": "by video" if details.get("modality") == "telehealth" else
                             (details.get("room") or "at the practice")})
        flags = access.client_flags(ok.client.id, ok.client.practice_id)
        summary = {
            "zone": zone, "practice_zone": practice.timezone, "practice": practice.name, "upcoming": upcoming,
            "unread": correspondence.unread_count(ok.client.id, ok.client.practice_id, to_client=True),
            "forms_due": [{"slug": s, "title": forms.TITLES[forms.FORMS[s]]}
                          for s in forms._due(ok.client.id, ok.client.practice_id, now)],
            "notice": notice._latest(dek, ok.client.id, ok.client.practice_id),
            "notice_version": notice.NOTICE_VERSION,
            "minor_decides": "minor_self_consented" in flags and ClientAccount.objects.filter(
                practice_id=ok.client.practice_id, client_id=ok.client.id, relationship="representative").exists(),
        }
    return summary
