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
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, practice_events
from confide.services.keys import data_key_of
from confide.services.projection import CHART_SECTIONS
from confide.services.sealing import seal, unseal


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
            reason_enc=seal(data_key_of(ok.client), BreakGlassGrant, "reason_enc", gid, {"reason": reason.strip()}),
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


def break_glass_reviews_pending(*, user: User) -> list[dict]:
    """The privacy officer's pending reviews (the queue above); anyone else is refused
    rather than shown an empty list."""
    _officer_only(user)
    return break_glass_review_queue(user=user)


FINDINGS = {"appropriate": "appropriate: the emergency justified the access",
            "inappropriate": "inappropriate: the access was not justified"}
PRIVACY_OFFICER_ROLE = "practice_admin"


def _officer_only(user: User) -> None:
    if user.role != PRIVACY_OFFICER_ROLE:
        raise Forbidden("only the privacy officer (the practice administrator) reviews break-glass access")


def _grant(user: User, grant_id, *, lock: bool = False) -> BreakGlassGrant:
    gid = access.parse_client_id(grant_id)
    rows = BreakGlassGrant.objects.select_for_update() if lock else BreakGlassGrant.objects
    grant = rows.select_related("user").filter(id=gid, practice_id=user.practice_id).first() if gid else None
    if grant is None:
        raise NotFound()
    return grant


def _at(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def records_touched(grant: BreakGlassGrant) -> list[dict]:
    """What the clinician opened under the grant, from the practice's audit chain: each
    decision of theirs about this client from the grant to its expiry (codes and
    categories, never content), oldest first."""
    ref = access.client_ref_in(grant.practice_id, grant.client_id)
    start, end = _at(grant.granted_at), _at(grant.expires_at)
    events = practice_events(practice_id=grant.practice_id, actor=str(grant.user_id), client_ref=ref,
                             at__gte=start, at__lte=end).order_by("seq")
    return [{"at": e.at, "action": e.action, "purpose": e.purpose, "decision": e.decision,
             "categories": list(e.categories or []),
             "what": (e.detail or {}).get("view") or (e.detail or {}).get("record") or e.action}
            for e in events]


def break_glass_grant_detail(*, user: User, grant_id) -> dict:
    """One grant for the privacy officer's review: who, when, until when, the reason the
    clinician stated and the records they touched. The reason is read through the door
    (INT-PRIVACY-OFFICER-BREAK-GLASS, only while the grant waits for review); a
    reviewed grant shows the recorded finding and note instead (read through the door,
    INT-PRIVACY-OFFICER-BREAK-GLASS-FINDING), never again the reason."""
    _officer_only(user)
    grant = _grant(user, grant_id)
    flags = frozenset({"break_glass_review"}) if grant.reviewed_at is None else frozenset({"break_glass_reviewed"})
    out = {"grant_id": str(grant.id), "clinician": grant.user.full_name, "granted_at": grant.granted_at.isoformat(),
           "expires_at": grant.expires_at.isoformat(), "client_ref": access.client_ref_for(user, grant.client_id),
           "reviewed_at": grant.reviewed_at.isoformat() if grant.reviewed_at else None,
           "reason": None, "finding": None, "finding_words": None, "note": None}
    if grant.reviewed_at is None:
        with access.governed(user=user, client_id=grant.client_id, action="read", purpose="HOPERAT",
                             categories={"fact_of_treatment"}, flags=flags,
                             detail={"view": "break_glass_review", "grant_id": str(grant.id)}) as ok:
            dek = data_key_of(ok.client)
            out["reason"] = (unseal(dek, BreakGlassGrant, "reason_enc", grant.id, grant.reason_enc) or {}).get("reason")
    else:
        with access.governed(user=user, client_id=grant.client_id, action="read", purpose="HOPERAT",
                             categories={"fact_of_treatment"}, flags=flags,
                             detail={"view": "break_glass_finding", "grant_id": str(grant.id)}) as ok:
            review = unseal(data_key_of(ok.client), BreakGlassGrant, "review_enc", grant.id,
                            grant.review_enc) or {}
            out["finding"], out["note"] = review.get("finding"), review.get("note")
            out["finding_words"] = FINDINGS.get(out["finding"])
    out["touched"] = records_touched(grant)
    return out


def break_glass_review(*, user: User, grant_id, finding: str, note: str = "") -> dict:
    """Record the privacy officer's finding on a grant: appropriate or inappropriate,
    with a note (required when inappropriate). Audited; the grant leaves the queue."""
    _officer_only(user)
    if finding not in FINDINGS:
        raise InvalidInput("finding: appropriate or inappropriate")
    if not isinstance(note, str) or len(note) > 1000 or "\r" in note:
        raise InvalidInput("note: at most 1000 characters")
    note = note.strip()
    if finding == "inappropriate" and not note:
        raise InvalidInput("note: say what was inappropriate and what was done about it")
    grant = _grant(user, grant_id)
    flags = frozenset({"break_glass_review"}) if grant.reviewed_at is None else frozenset()
    with access.governed(user=user, client_id=grant.client_id, action="write", purpose="HOPERAT",
                         categories={"fact_of_treatment"}, flags=flags,
                         detail={"record": "break_glass_finding", "grant_id": str(grant.id), "finding": finding}) as ok:
        grant = _grant(user, grant_id, lock=True)
        if grant.reviewed_at is not None:
            raise InvalidInput("review: already reviewed")
        grant.reviewed_at, grant.reviewed_by = datetime.now(timezone.utc), user
        grant.review_enc = seal(data_key_of(ok.client), BreakGlassGrant, "review_enc", grant.id,
                                {"finding": finding, "note": note, "by": user.full_name})
        grant.save(update_fields=["reviewed_at", "reviewed_by", "review_enc"])
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="break_glass.review", purpose="HOPERAT",
                     client_ref=access.client_ref_for(user, grant.client_id), decision=None,
                     detail={"grant_id": str(grant.id), "finding": finding})
    return {"grant_id": str(grant.id), "finding": finding, "reviewed_at": grant.reviewed_at.isoformat()}
