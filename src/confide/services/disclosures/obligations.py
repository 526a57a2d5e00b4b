"""What is owed after an exception: telling the client (or the minor). Each obligation
stays open and visible until the clinician records how the client was told ("met"),
or why telling would be unsafe or unlawful ("waived"); both are one line, stored
encrypted (issue 3: "the obligation stays open and visible until met").
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from django.db.models import FilteredRelation, Q

from confide.apps.practice.models import User
from confide.apps.records.models import AmendmentRequest, Disclosure, Obligation, RecordRequest
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.directory import listing
from confide.services.keys import data_key_of
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal

CLOSE_STATUSES = ("met", "waived")
PORTAL_ROLES = ("client", "representative")
PRIVACY_OFFICER_ROLE = "practice_admin"


# Disclosures made to keep someone safe: a warning, a police notification, a
# hospitalization, an abuse report. The client's live portal view (Confide's own promise,
# beyond the law) shows one only once the client has been told of it: while the decision
# to tell is open, or was waived because telling would be unsafe, it is held back.
SAFETY_BASES = frozenset({"serious_threat", "child_abuse_report", "adult_abuse_report"})


def held_from_live_view(client_id, practice_id) -> frozenset[uuid.UUID]:
    """The client's safety disclosures the live portal view holds back: those whose
    obligation to tell the client is still open or was waived. Read in the client's
    practice (on Citus, the practice's shard alone)."""
    rows = Obligation.objects.filter(practice_id=practice_id, client_id=client_id, kind="notify_client",
                                     status__in=("open", "waived"), disclosure__isnull=False)
    return frozenset(rows.values_list("disclosure_id", flat=True))


def is_safety_disclosure(entry: dict) -> bool:
    return (entry.get("basis") or {}).get("kind") in SAFETY_BASES


def listable(user: User, client_ids, *, categories, action: str) -> dict[uuid.UUID, str]:
    """The clients among `client_ids` the user may list with `categories`, each with a
    display name; one audit event for the whole list (services.directory.listing)."""
    return {cid: row.name for cid, row in listing(user, sorted(set(client_ids)), categories=categories,
                                                  action=action).items()}


def _with_disclosures(rows, practice_id) -> list[Obligation]:
    """The obligations of `rows`, each with its disclosure (or none) read in the same
    statement: the join names the practice as well, so on Citus the statement reads the
    practice's shard alone."""
    rows = rows.annotate(disclosure_here=FilteredRelation(
        "disclosure", condition=Q(disclosure__practice_id=practice_id))).select_related("disclosure_here")
    out = list(rows)
    for ob in out:  # an obligation without a disclosure is given none
        Obligation.disclosure.field.set_cached_value(ob, getattr(ob, "disclosure_here", None))
    return out


def _disclosure_of(ob: Obligation) -> Disclosure | None:
    """The obligation's disclosure: as loaded with it, else read in its practice."""
    if ob.disclosure_id is None or Obligation.disclosure.is_cached(ob):
        return ob.disclosure
    disclosure = Disclosure.objects.get(practice_id=ob.practice_id, id=ob.disclosure_id)
    Obligation.disclosure.field.set_cached_value(ob, disclosure)
    return disclosure


def _disclosure_summary(dek: bytes, disclosure: Disclosure | None) -> dict | None:
    if disclosure is None:
        return None
    entry = unseal(dek, Disclosure, "entry_enc", disclosure.id, disclosure.entry_enc) or {}
    return {"id": str(disclosure.id), "made_at": disclosure.made_at.isoformat(timespec="seconds"),
            "recipient": entry.get("recipient"), "what": entry.get("description"),
            "basis": (entry.get("basis") or {}).get("kind")}


def _out(dek: bytes, ob: Obligation, today: date, *, reader: User) -> dict:
    detail = unseal(dek, Obligation, "detail_enc", ob.id, ob.detail_enc) or {}
    out = {"id": str(ob.id), "client_id": str(ob.client_id), "kind": ob.kind, "status": ob.status,
           "due_on": ob.due_on.isoformat(), "overdue": ob.status == "open" and ob.due_on < today,
           "created_at": ob.created_at.isoformat(timespec="seconds"),
           "disclosure": _disclosure_summary(dek, _disclosure_of(ob)),
           "item": {"category": detail["category"], "labels": detail.get("labels", [])} if detail.get("item") else None,
           # an accepted amendment's notice (services.disclosures.amendments): to whom, and why them
           "notice": ({k: detail["notice"].get(k) for k in ("to", "why", "accepted_on", "amendment_request_id")}
                      if detail.get("notice") else None),
           "closed_at": ob.closed_at.isoformat(timespec="seconds") if ob.closed_at else None,
           "how_told": detail.get("how_told"), "why_not": detail.get("why_not")}
    if reader.role in PORTAL_ROLES:
        # Why the practice decided telling would be unsafe is the clinician's record.
        out["why_not"] = None
        if out["disclosure"] and (out["disclosure"]["recipient"] or {}).get("kind") == "person_at_risk":
            # Never where the protected person can be found.
            out["disclosure"]["recipient"] = {**out["disclosure"]["recipient"], "address": ""}
    return out


def obligation_list(*, user: User, client_id, include_closed: bool = False) -> list[dict]:
    """The client's obligations, open first (overdue first among them)."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "obligations"}) as ok:
        dek = data_key_of(ok.client)
        rows = Obligation.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
        if not include_closed:
            rows = rows.filter(status="open")
        today = local_today(user.practice_id)
        out = [_out(dek, ob, today, reader=user) for ob in _with_disclosures(rows, ok.client.practice_id)]
        if user.role in PORTAL_ROLES:
            held = held_from_live_view(ok.client.id, ok.client.practice_id)
            out = [o for o in out if not (o["disclosure"] and uuid.UUID(o["disclosure"]["id"]) in held
                                          and o["disclosure"]["basis"] in SAFETY_BASES)]
    return sorted(out, key=lambda o: (o["status"] != "open", not o["overdue"], o["due_on"], o["id"]))


def obligations_open(*, user: User) -> list[dict]:
    """A clinician's dashboard: every open obligation for clients they may list, overdue
    first, each with the client's name. The privacy officer's: the notices still owed of
    the amendments they accepted, each with the client's reference, never the name."""
    if user.role == PRIVACY_OFFICER_ROLE:
        return _officer_notices_open(user)
    candidates = Obligation.objects.filter(practice_id=user.practice_id, status="open").values_list("client_id",
                                                                                                  flat=True)
    names = listable(user, candidates, categories={"disclosures"}, action="obligation.list")
    today = local_today(user.practice_id)
    out = []
    for ob in _with_disclosures(Obligation.objects.filter(practice_id=user.practice_id, client_id__in=list(names),
                                                          status="open"), user.practice_id):
        row = _out(data_key_of(ob), ob, today, reader=user)
        row["client_name"] = names[ob.client_id]
        out.append(row)
    return sorted(out, key=lambda o: (not o["overdue"], o["due_on"], o["client_name"].casefold(), o["id"]))


def obligation_close(*, user: User, client_id, obligation_id, status: str, detail: str) -> dict:
    """Close an open obligation: "met" with how the client was told, or "waived" with
    why telling them would be unsafe or unlawful. One line either way."""
    if status not in CLOSE_STATUSES:
        raise InvalidInput("status: met or waived")
    what = "how the client was told" if status == "met" else "why telling the client would be unsafe or unlawful"
    if not isinstance(detail, str) or not detail.strip() or len(detail) > 500 or "\n" in detail or "\r" in detail:
        raise InvalidInput(f"detail: one line (up to 500 characters) saying {what}")
    oid = access.parse_client_id(obligation_id)
    if oid is None:
        raise InvalidInput("obligation_id: not an id")
    if user.role == PRIVACY_OFFICER_ROLE:
        return _officer_close(user, client_id, oid, status, detail.strip())
    # TREAT, not the caller's default: a client may read what is owed to them, never
    # close it.
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"disclosures"}, detail={"record": "obligation", "status": status}) as ok:
        ob = Obligation.objects.select_for_update().filter(id=oid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
        if ob is None:
            raise NotFound()
        if ob.status != "open":
            raise InvalidInput("obligation: already closed")
        return _close(user, data_key_of(ok.client), ob, status, detail.strip())


def _close(user: User, dek: bytes, ob: Obligation, status: str, detail: str) -> dict:
    """Inside the caller's door: record how the obligation was met, or why waived."""
    body = unseal(dek, Obligation, "detail_enc", ob.id, ob.detail_enc) or {}
    body["how_told" if status == "met" else "why_not"] = detail
    ob.status = status
    ob.closed_at = datetime.now(timezone.utc)
    ob.closed_by = user
    ob.detail_enc = seal(dek, Obligation, "detail_enc", ob.id, body)
    ob.save(update_fields=["status", "closed_at", "closed_by", "detail_enc"])
    return _out(dek, ob, local_today(user.practice_id), reader=user)


# --- the privacy officer: the notices owed of the amendments they accepted ---------------

def _officer_requests(user: User, client_id) -> set[str]:
    """The ids of the client's accepted requests this privacy officer decided (the same
    query whether or not the client exists)."""
    cid = access.parse_client_id(client_id) or uuid.UUID(int=0)
    return {str(r) for r in AmendmentRequest.objects.filter(client_id=cid, practice_id=user.practice_id,
                                                            status="accepted", decided_by=user)
            .values_list("id", flat=True)}


def _notice_flags(user: User, client_id, mine: set[str]) -> frozenset[str]:
    """INT-PRIVACY-OFFICER-AMENDMENT-NOTICE's fact: a notice of an amendment this officer
    accepted is open for the client."""
    cid = access.parse_client_id(client_id) or uuid.UUID(int=0)
    owed = mine and Obligation.objects.filter(client_id=cid, practice_id=user.practice_id,
                                              kind="notify_amendment", status="open").exists()
    return frozenset({"amendment_notice_owed"}) if owed else frozenset()


def _of_mine(dek: bytes, ob: Obligation, mine: set[str]) -> bool:
    detail = unseal(dek, Obligation, "detail_enc", ob.id, ob.detail_enc) or {}
    return ob.kind == "notify_amendment" and (detail.get("notice") or {}).get("amendment_request_id") in mine


def _officer_notices_open(user: User) -> list[dict]:
    clients = set(AmendmentRequest.objects.filter(practice_id=user.practice_id, status="accepted", decided_by=user)
                  .values_list("client_id", flat=True))
    clients &= set(Obligation.objects.filter(practice_id=user.practice_id, kind="notify_amendment", status="open",
                                             client_id__in=list(clients)).values_list("client_id", flat=True))
    today = local_today(user.practice_id)
    out = []
    for client_id in sorted(clients):
        mine = _officer_requests(user, client_id)
        with access.governed(user=user, client_id=client_id, action="read", purpose="HOPERAT",
                             categories={"disclosures"}, flags=_notice_flags(user, client_id, mine),
                             detail={"view": "obligations", "kind": "notify_amendment"}) as ok:
            dek = data_key_of(ok.client)
            ref = access.client_ref_for(user, ok.client.id)
            for ob in Obligation.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id,
                                                kind="notify_amendment", status="open"):
                if _of_mine(dek, ob, mine):
                    out.append({**_out(dek, ob, today, reader=user), "client_name": ref, "client_ref": ref})
    return sorted(out, key=lambda o: (not o["overdue"], o["due_on"], o["client_ref"], o["id"]))


def _officer_close(user: User, client_id, oid: uuid.UUID, status: str, detail: str) -> dict:
    """The privacy officer closes a notice owed of an amendment they accepted, through
    the door (INT-PRIVACY-OFFICER-AMENDMENT-NOTICE), audited; any other obligation is
    answered as one that does not exist."""
    mine = _officer_requests(user, client_id)
    with access.governed(user=user, client_id=client_id, action="write", purpose="HOPERAT",
                         categories={"disclosures"}, flags=_notice_flags(user, client_id, mine),
                         detail={"record": "obligation", "status": status, "kind": "notify_amendment"}) as ok:
        ob = Obligation.objects.select_for_update().filter(id=oid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
        dek = data_key_of(ok.client)
        if ob is None or not _of_mine(dek, ob, mine):
            raise NotFound()
        if ob.status != "open":
            raise InvalidInput("obligation: already closed")
        return _close(user, dek, ob, status, detail)


def obligations_summary(*, user: User) -> dict:
    """The practice administrator's view of what is owed across the practice: how many
    obligations and record requests are open and overdue, by kind, with no client named
    or counted per client (the administrator sees no client information). Audited."""
    if user.role != "practice_admin":
        raise Forbidden("only the practice administrator sees the practice-wide count")
    today = local_today(user.practice_id)
    with audited_transaction():
        open_rows = Obligation.objects.filter(practice_id=user.practice_id, status="open")
        out = {"obligations": {kind: {"open": open_rows.filter(kind=kind).count(),
                                      "overdue": open_rows.filter(kind=kind, due_on__lt=today).count()}
                               for kind in Obligation.KINDS}}
        requests = RecordRequest.objects.filter(practice_id=user.practice_id, fulfilled_at__isnull=True)
        overdue = sum(1 for due, extended in requests.values_list("due_on", "extended_to")
                      if (extended or due) < today)
        out["record_requests"] = {"open": requests.count(), "overdue": overdue,
                                  "extended": requests.filter(extended_to__isnull=False).count()}
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="obligation.summary", purpose="HOPERAT", client_ref="", decision=None,
                     detail={"view": "obligations.summary"})
    return out
