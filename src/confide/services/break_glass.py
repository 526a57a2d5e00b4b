"""Break-glass: emergency access by a licensed clinician with no relationship.

The clinician states a reason; the grant expires (60 minutes by default), is flagged
for the privacy officer's review, and shows in the client's access report.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from django.conf import settings

from confide.apps.practice.models import User
from confide.apps.records.models import BreakGlassGrant
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.keys import client_data_key
from confide.services.projection import CHART_SECTIONS
from confide.services.sealing import seal


def break_glass_open(*, user: User, client_id, reason: str) -> dict:
    """Grant emergency access; NotFound (as for a missing client) when not allowed."""
    if not isinstance(reason, str) or not 10 <= len(reason.strip()) <= 1000:
        raise InvalidInput("break-glass: state the reason in 10 to 1000 characters")
    minutes = settings.CONFIDE["BREAK_GLASS_MINUTES"]
    with access.governed(user=user, client_id=client_id, action="read", purpose="BTG",
                         categories=set(CHART_SECTIONS), assume=frozenset({"break_glass"}),
                         detail={"view": "break_glass_grant", "break_glass": True}) as ok:
        now = datetime.now(timezone.utc)
        gid = uuid.uuid4()
        grant = BreakGlassGrant.objects.create(
            id=gid, practice_id=ok.client.practice_id, client_id=ok.client.id, user=user,
            reason_enc=seal(client_data_key(ok.client.id), BreakGlassGrant, "reason_enc", gid, {"reason": reason.strip()}),
            granted_at=now, expires_at=now + timedelta(minutes=minutes))
    return {"grant_id": str(grant.id), "client_id": str(ok.client.id), "expires_at": grant.expires_at.isoformat()}


def break_glass_review_queue(*, user: User) -> list[dict]:
    """Unreviewed grants for the privacy officer (practice admin): who, when, until
    when, and the client's pseudonymous reference; no client information."""
    if user.role != "practice_admin":
        return []
    rows = BreakGlassGrant.objects.filter(practice_id=user.practice_id, reviewed_at__isnull=True
                                          ).select_related("user").order_by("granted_at")
    return [{"grant_id": str(g.id), "clinician": g.user.full_name, "granted_at": g.granted_at.isoformat(),
             "expires_at": g.expires_at.isoformat(), "client_ref": access.client_ref_for(user, g.client_id)}
            for g in rows]


def break_glass_review(*, user: User, grant_id) -> None:
    if user.role != "practice_admin":
        raise InvalidInput("review: only the privacy officer reviews break-glass grants")
    gid = access.parse_client_id(grant_id)
    with audited_transaction():
        grant = BreakGlassGrant.objects.select_for_update().filter(id=gid, practice_id=user.practice_id).first() if gid else None
        if grant is None:
            raise InvalidInput("review: no such grant")
        grant.reviewed_at, grant.reviewed_by = datetime.now(timezone.utc), user
        grant.save(update_fields=["reviewed_at", "reviewed_by"])
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action="break_glass.review", purpose="HOPERAT",
                     client_ref=access.client_ref_for(user, grant.client_id), decision=None,
                     detail={"grant_id": str(grant.id)})
