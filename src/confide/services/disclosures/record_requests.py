"""The client's own request for their record (45 CFR 164.524; issue 3, exception 6).

Everything except psychotherapy notes (the rules exclude them: RULES.md 1.10 ACC-1,
S1), with the 30-day clock: due 30 days after the request was received, extended once
by up to 30 more days with a written notice, given within the first 30, of the reason
and the expected date (ACC-5).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import RecordRequest
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.core.policy import CATEGORIES
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.disclosures import request_clock
from confide.services.disclosures.access_denials import denied_categories
from confide.services.disclosures.obligations import listable
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_packet_build,
)
from confide.services.keys import data_key_of
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal
from confide.services.validation import parse_date

DUE_DAYS = 30  # ACC-5 (164.524(b)(2))
MAX_EXTENSION_DAYS = 30
FORMATS = ("pdf", "fhir", "paper")
DELIVERIES = ("portal", "email", "mail", "pickup")
STAFF_ROLES = ("clinician", "supervisor")


_due = request_clock.due


def _out(row: RecordRequest, body: dict, today: date) -> dict:
    due = _due(row)
    return {"id": str(row.id), "client_id": str(row.client_id), "format": body.get("format"),
            "filed_by": body.get("filed_by"), "received_on": row.received_on.isoformat(),
            "due_on": row.due_on.isoformat(), "extended_to": row.extended_to.isoformat() if row.extended_to else None,
            "extension_reason": (body.get("extension") or {}).get("reason"),
            "fulfilled_at": row.fulfilled_at.isoformat(timespec="seconds") if row.fulfilled_at else None,
            "disclosure_id": body.get("disclosure_id"), "open": row.fulfilled_at is None,
            "days_left": (due - today).days if row.fulfilled_at is None else None,
            "overdue": row.fulfilled_at is None and due < today,
            "withheld": sorted(denied_categories(body))}


def _body(row: RecordRequest) -> dict:
    return unseal(data_key_of(row), RecordRequest, "body_enc", row.id, row.body_enc) or {}


def record_request_create(*, user: User, client_id, format: str = "pdf", received_on=None) -> dict:
    """File the request: by the client (portal or API), or by staff recording a written
    request (`received_on`: the day it arrived, when that was earlier; the clock runs
    from receipt)."""
    if format not in FORMATS:
        raise InvalidInput(f"format: one of {', '.join(FORMATS)}")
    today = local_today(user.practice_id)
    if received_on is None:
        received = today
    else:
        if user.role not in STAFF_ROLES:
            raise InvalidInput("received_on: only staff recording a written request give it")
        received = parse_date("received_on", received_on)
        if not today - timedelta(days=365) <= received <= today:
            raise InvalidInput("received_on: a day within the past year")
    filed_by = "client" if user.role == "client" else "staff"
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"record": "record_request"}) as ok:
        rid = uuid.uuid4()
        body = {"format": format, "filed_by": filed_by}
        row = RecordRequest.objects.create(
            id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, received_on=received,
            due_on=received + timedelta(days=DUE_DAYS),
            body_enc=seal(data_key_of(ok.client), RecordRequest, "body_enc", rid, body))
    return _out(row, body, today)


def record_request_list(*, user: User, client_id) -> list[dict]:
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "record_requests"}) as ok:
        today = local_today(user.practice_id)
        rows = RecordRequest.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id).order_by(
            "-received_on", "id")
        return [_out(r, _body(r), today) for r in rows]


def record_request_extend(*, user: User, client_id, request_id, reason: str, days: int = MAX_EXTENSION_DAYS) -> dict:
    """Extend the clock once, by up to 30 days, within the first 30 days, recording the
    reason and the written notice (its day and the expected completion date)."""
    days = request_clock.extension_checked(reason, days, MAX_EXTENSION_DAYS, why="saying why more time is needed")
    rid = access.parse_client_id(request_id)
    if rid is None:
        raise InvalidInput("request_id: not an id")
    # TREAT: staff act on the request; the client who filed it may not extend it.
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"disclosures"}, detail={"record": "record_request_extend"}) as ok:
        row = RecordRequest.objects.select_for_update().filter(id=rid, client_id=ok.client.id,
                                                               practice_id=ok.client.practice_id).first()
        if row is None:
            raise NotFound()
        today = local_today(user.practice_id)
        if row.fulfilled_at is not None:
            raise InvalidInput("request: already fulfilled")
        body = _body(row)
        request_clock.extend(row, body, today=today, days=days, reason=reason.strip(),
                             once="already extended once (45 CFR 164.524(b)(2))",
                             too_late="an extension must be given within the first 30 days")
        row.body_enc = seal(data_key_of(row), RecordRequest, "body_enc", row.id, body)
        row.save(update_fields=["extended_to", "body_enc"])
        return _out(row, body, today)


def record_request_fulfil(*, user: User, client_id, request_id, delivery: str = "portal") -> dict:
    """Give the client their record: a packet of every category through
    `disclosure_packet_build` (basis client_request, purpose PATRQT); the rules leave
    out psychotherapy notes. Then mark the request fulfilled."""
    if delivery not in DELIVERIES:
        raise InvalidInput(f"delivery: one of {', '.join(DELIVERIES)}")
    rid = access.parse_client_id(request_id)
    if rid is None:
        raise InvalidInput("request_id: not an id")
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"disclosures"}, detail={"record": "record_request_fulfil"}) as ok:
        row = RecordRequest.objects.filter(id=rid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
        cid = ok.client.id
    if row is None:
        raise NotFound()
    if row.fulfilled_at is not None:
        raise InvalidInput("request: already fulfilled")
    # Only a denial on the grounds of 164.524(a)(1)-(3) withholds anything; the rest is
    # given (ACC-9). No practice promise applies to the client's own record.
    withheld = denied_categories(_body(row))
    basis = Basis(kind="client_request", citation="45 CFR 164.524",
                  description=f"The client's own request received {row.received_on.isoformat()}", ref=str(row.id))
    packet = disclosure_packet_build(user=user, client_id=cid, recipient=Recipient(name="the client", kind="client"),
                                     purpose="PATRQT", basis=basis, categories=frozenset(CATEGORIES) - withheld)
    with access.governed(user=user, client_id=cid, action="write", purpose="TREAT", categories={"disclosures"},
                         detail={"record": "record_request_fulfilled"}) as ok:
        row = RecordRequest.objects.select_for_update().get(id=rid, client_id=ok.client.id,
                                                            practice_id=ok.client.practice_id)
        body = _body(row)
        body.update({"disclosure_id": packet["id"], "delivery": delivery})
        row.fulfilled_at = datetime.now(timezone.utc)
        row.body_enc = seal(data_key_of(row), RecordRequest, "body_enc", row.id, body)
        row.save(update_fields=["fulfilled_at", "body_enc"])
        out = _out(row, body, local_today(user.practice_id))
    return {"request": out, "disclosure": packet}


def give_withheld(*, user: User, client_id, request_id, categories: frozenset[str]) -> dict:
    """What a reviewer's overturned denial releases after the request was fulfilled:
    a packet of the categories that were withheld, noted on the request."""
    basis = Basis(kind="client_request", citation="45 CFR 164.524(a)(4)",
                  description="The client's own request: what was withheld, given after review", ref=str(request_id))
    packet = disclosure_packet_build(user=user, client_id=client_id,
                                     recipient=Recipient(name="the client", kind="client"), purpose="PATRQT",
                                     basis=basis, categories=categories)
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT", categories={"disclosures"},
                         detail={"record": "record_request_after_review"}) as ok:
        row = RecordRequest.objects.select_for_update().get(id=request_id, client_id=ok.client.id,
                                                            practice_id=ok.client.practice_id)
        body = _body(row)
        body["after_review_disclosure_id"] = packet["id"]
        row.body_enc = seal(data_key_of(row), RecordRequest, "body_enc", row.id, body)
        row.save(update_fields=["body_enc"])
    return packet


def record_requests_open(*, user: User) -> list[dict]:
    """The practice's open clock, for the clients this user may list: every open
    request with its due day, overdue first."""
    candidates = RecordRequest.objects.filter(practice_id=user.practice_id, fulfilled_at__isnull=True
                                              ).values_list("client_id", flat=True)
    names = listable(user, candidates, categories={"disclosures"}, action="record_request.list")
    today = local_today(user.practice_id)
    out = []
    for row in RecordRequest.objects.filter(practice_id=user.practice_id, client_id__in=list(names),
                                            fulfilled_at__isnull=True):
        item = _out(row, _body(row), today)
        item["client_name"] = names[row.client_id]
        out.append(item)
    return sorted(out, key=lambda r: (not r["overdue"], r["days_left"], r["client_name"].casefold(), r["id"]))


def record_requests_overdue(*, user: User) -> list[dict]:
    """Open requests past their due day (or their extended day)."""
    return [r for r in record_requests_open(user=user) if r["overdue"]]


def record_requests_clock(*, user: User) -> list[dict]:
    """The privacy officer's view of the practice's open requests for a copy of the
    record on their 30-day clock: the dates only, each client by the practice's
    reference (the officer does not read the record or the request). One audit event."""
    if user.role != "practice_admin":
        raise Forbidden("only the privacy officer (the practice administrator) watches every request's clock")
    today = local_today(user.practice_id)
    out = []
    for row in RecordRequest.objects.filter(practice_id=user.practice_id, fulfilled_at__isnull=True):
        due = _due(row)
        out.append({"id": str(row.id), "client_ref": access.client_ref_for(user, row.client_id),
                    "received_on": row.received_on.isoformat(), "due_on": due.isoformat(),
                    "extended": row.extended_to is not None, "days_left": (due - today).days,
                    "overdue": due < today})
    with audited_transaction():
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="record_request.clock", purpose="HOPERAT", detail={"count": len(out)})
    return sorted(out, key=lambda r: (not r["overdue"], r["due_on"], r["id"]))
