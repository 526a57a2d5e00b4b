"""The client's formal request for an accounting of disclosures (45 CFR 164.528;
RULES.md 1.12).

The client asks (portal or API), or a clinician records a written request. It lands
on the privacy officer's list with its clock from the rules' `accounting_clock` fact:
due 60 days after it was received, extended once by up to 30 days with a written
reason, which the client sees on their request. The privacy officer prepares the
COMPLETE accounting of the six years before the request (safety disclosures the live
portal view holds back included; a protected person's address never; disclosures to an
agency whose suspension is in force left out, 164.528(a)(2)), reviews it, and sends
it: the written accounting (a PDF) then waits in the client's portal, and is kept
(164.528(d)).

Every step goes through the door. The privacy officer reads the client's disclosure
entries only while the client's request is open (INT-PRIVACY-OFFICER-ACCOUNTING, flag
`accounting_requested`), and never the chart.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import date, datetime, timedelta, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import AccountingRequest
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.disclosures import request_clock
from confide.services.disclosures.accounting import (
    YEARS_MAX,
    accounting_html,
    accounting_report,
)
from confide.services.disclosures.render import render_pdf
from confide.services.keys import data_key_of
from confide.services.practice_time import local_today
from confide.services.sealing import client_body, client_body_store, seal, unseal
from confide.services.validation import parse_date

PRIVACY_OFFICER_ROLE = "practice_admin"
STAFF_ROLES = ("clinician", "supervisor")
OPEN = ("open", "prepared")
STATUS_WORDS = {"open": "waiting to be prepared", "prepared": "prepared, waiting to be sent",
                "sent": "sent to the client's portal"}


def clock() -> dict:
    """Days to act, the one extension's days and the look-back (the rules' fact)."""
    return request_clock.clock_fact("accounting_clock",
                                    {"due_days": 60, "extension_days": 30, "lookback_years": YEARS_MAX})


_due = request_clock.due


_body = client_body
_store = client_body_store


def _out(row: AccountingRequest, body: dict, today: date) -> dict:
    due = _due(row)
    is_open = row.status in OPEN
    extension = body.get("extension") or {}
    return {"id": str(row.id), "client_id": str(row.client_id), "status": row.status,
            "status_words": STATUS_WORDS.get(row.status, row.status), "filed_by": body.get("filed_by"),
            "years": body.get("years", YEARS_MAX), "received_on": row.received_on.isoformat(),
            "due_on": row.due_on.isoformat(), "extended_to": row.extended_to.isoformat() if row.extended_to else None,
            "extension_reason": extension.get("reason"), "extension_notice_on": extension.get("notice_on"),
            "prepared_at": row.prepared_at.isoformat(timespec="seconds") if row.prepared_at else None,
            "sent_at": row.sent_at.isoformat(timespec="seconds") if row.sent_at else None,
            "entry_count": body.get("entry_count"), "document_sha256": body.get("document_sha256"),
            "open": is_open, "days_left": (due - today).days if is_open else None,
            "overdue": is_open and due < today}


def _pdf_of(row: AccountingRequest) -> bytes:
    stored = unseal(data_key_of(row), AccountingRequest, "document_enc", row.id, row.document_enc)
    return base64.b64decode(stored["pdf"])


def _officer_only(user: User) -> None:
    if user.role != PRIVACY_OFFICER_ROLE:
        raise Forbidden("only the privacy officer (the practice administrator) prepares and sends an accounting")


def _request_id(raw) -> uuid.UUID:
    rid = access.parse_client_id(raw)
    if rid is None:
        raise NotFound()  # answered as for a request that does not exist
    return rid


def _officer_flags(user: User, client_id) -> frozenset[str]:
    """The fact the officer's rule needs: the client has an open request (the same
    query whether or not the client exists)."""
    cid = access.parse_client_id(client_id) or uuid.UUID(int=0)
    open_ = AccountingRequest.objects.filter(client_id=cid, practice_id=user.practice_id, status__in=OPEN).exists()
    return frozenset({"accounting_requested"}) if open_ else frozenset()


class _officer_open:
    """The privacy officer's door onto one open request of one client."""

    def __init__(self, *, user: User, client_id, request_id, step: str, action: str = "write"):
        _officer_only(user)
        self.rid = _request_id(request_id)
        self.door = access.governed(user=user, client_id=client_id, action=action, purpose="HOPERAT",
                                    categories={"disclosures"}, flags=_officer_flags(user, client_id),
                                    detail={"record": "accounting_request", "step": step})

    def __enter__(self):
        ok = self.door.__enter__()
        try:
            row = AccountingRequest.objects.select_for_update().filter(
                id=self.rid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
            if row is None:
                raise NotFound()
        except BaseException as exc:
            self.door.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return ok, row, _body(row)

    def __exit__(self, exc_type, exc, tb):
        return self.door.__exit__(exc_type, exc, tb)


# --- the client asks ----------------------------------------------------------------------

def accounting_request_create(*, user: User, client_id, years: int = YEARS_MAX, received_on=None) -> dict:
    """File the request: by the client (portal or API), or by a clinician recording a
    written request (`received_on`: the day it arrived; the clock runs from receipt).
    One open request at a time."""
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= YEARS_MAX:
        raise InvalidInput(f"years: give a whole number from 1 to {YEARS_MAX}")
    today = local_today(user.practice_id)
    if received_on in (None, ""):
        received = today
    else:
        if user.role not in STAFF_ROLES:
            raise InvalidInput("received_on: only staff recording a written request give it")
        received = parse_date("received_on", received_on)
        if not today - timedelta(days=365) <= received <= today:
            raise InvalidInput("received_on: a day within the past year")
    filed_by = "client" if user.role == "client" else "staff"
    due_days = int(clock()["due_days"])
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"record": "accounting_request", "step": "filed"}) as ok:
        pending = AccountingRequest.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id,
                                                   status__in=OPEN).first()
        if pending is not None:
            raise InvalidInput(f"request: an accounting request is already open (due {_due(pending).isoformat()})")
        rid = uuid.uuid4()
        body = {"filed_by": filed_by, "years": years}
        row = AccountingRequest.objects.create(
            id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, received_on=received,
            due_on=received + timedelta(days=due_days),
            body_enc=seal(data_key_of(ok.client), AccountingRequest, "body_enc", rid, body))
    return _out(row, body, today)


def accounting_request_list(*, user: User, client_id) -> list[dict]:
    """The client's accounting requests with their clocks (the client, their clinicians)."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "accounting_requests"}) as ok:
        today = local_today(user.practice_id)
        rows = AccountingRequest.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id).order_by(
            "-received_on", "-created_at")
        return [_out(r, _body(r), today) for r in rows]


def accounting_document(*, user: User, client_id, request_id) -> bytes:
    """The written accounting (PDF): the client once it was sent; the privacy officer
    while reviewing it before it goes."""
    rid = _request_id(request_id)
    if user.role == PRIVACY_OFFICER_ROLE:
        with _officer_open(user=user, client_id=client_id, request_id=rid, step="document_read",
                           action="read") as (ok, row, body):
            document = row.document_enc
            if document is None:
                raise InvalidInput("request: not prepared yet")
            return _pdf_of(row)
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "accounting_document",
                                                             "request_id": str(rid)}) as ok:
        row = AccountingRequest.objects.filter(id=rid, client_id=ok.client.id,
                                               practice_id=ok.client.practice_id).first()
        # The client sees only what was sent to them; a draft is the officer's.
        if row is None or row.document_enc is None or (user.role == "client" and row.status != "sent"):
            raise NotFound()
        return _pdf_of(row)


# --- the privacy officer ------------------------------------------------------------------

def accounting_requests_open(*, user: User, include_sent_days: int = 30) -> list[dict]:
    """The privacy officer's list: every request of the practice waiting to be prepared
    or sent, overdue first, then those sent in the last `include_sent_days`. Each names
    the client by the practice's pseudonymous reference, not by name; one audit event."""
    _officer_only(user)
    today = local_today(user.practice_id)
    since = datetime.now(timezone.utc) - timedelta(days=include_sent_days)
    rows = list(AccountingRequest.objects.filter(practice_id=user.practice_id, status__in=OPEN)) + list(
        AccountingRequest.objects.filter(practice_id=user.practice_id, status="sent", sent_at__gte=since))
    out = []
    for row in rows:
        due = _due(row)
        out.append({"id": str(row.id), "client_id": str(row.client_id),
                    "client_ref": access.client_ref_for(user, row.client_id), "status": row.status,
                    "status_words": STATUS_WORDS.get(row.status, row.status),
                    "received_on": row.received_on.isoformat(), "due_on": due.isoformat(),
                    "extended": row.extended_to is not None, "open": row.status in OPEN,
                    "days_left": (due - today).days if row.status in OPEN else None,
                    "overdue": row.status in OPEN and due < today,
                    "sent_at": row.sent_at.isoformat(timespec="seconds") if row.sent_at else None})
    with audited_transaction():
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="accounting_request.list", purpose="HOPERAT", detail={"count": len(out)})
    return sorted(out, key=lambda r: (not r["open"], not r["overdue"], r["due_on"], r["id"]))


def accounting_request_extend(*, user: User, client_id, request_id, reason: str, days: int | None = None) -> dict:
    """Extend the clock once, by up to 30 days, before it runs out, with the written
    reason and the expected date, which the client sees on their request."""
    limit = int(clock()["extension_days"])
    days = request_clock.extension_checked(reason, limit if days is None else days, limit,
                                           why="telling the client why more time is needed")
    with _officer_open(user=user, client_id=client_id, request_id=request_id, step="extended") as (ok, row, body):
        today = local_today(user.practice_id)
        if row.status not in OPEN:
            raise InvalidInput("request: already sent")
        request_clock.extend(row, body, today=today, days=days, reason=" ".join(reason.split()),
                             once="already extended once (45 CFR 164.528(c)(1)(ii))",
                             too_late="an extension must be given before the 60 days run out")
        body["extension"]["by"] = user.full_name
        _store(row, body, "extended_to")
        return _out(row, body, today)


def accounting_request_prepare(*, user: User, client_id, request_id, now: datetime | None = None) -> dict:
    """Prepare the complete accounting for the request (again, if the officer wants it
    fresh before sending) and store it as a PDF. Returns the request and the accounting,
    for review."""
    with _officer_open(user=user, client_id=client_id, request_id=request_id, step="prepared") as (ok, row, body):
        if row.status not in OPEN:
            raise InvalidInput("request: already sent")
        moment = now or datetime.now(timezone.utc)
        report = accounting_report(practice=user.practice, client=ok.client, years=body.get("years", YEARS_MAX),
                                   now=moment, mode="formal")
        report["request"] = {"id": str(row.id), "received_on": row.received_on.isoformat(),
                             "prepared_by": user.full_name}
        pdf = render_pdf(accounting_html(report))
        dek = data_key_of(ok.client)
        row.document_enc = seal(dek, AccountingRequest, "document_enc", row.id,
                                {"pdf": base64.b64encode(pdf).decode("ascii")})
        row.status, row.prepared_at = "prepared", moment
        body.update({"accounting": report, "entry_count": len(report["entries"]),
                     "document_sha256": hashlib.sha256(pdf).hexdigest(), "prepared_by": user.full_name})
        _store(row, body, "document_enc", "status", "prepared_at")
        return {"request": _out(row, body, local_today(user.practice_id)), "accounting": report}


def accounting_request_review(*, user: User, client_id, request_id, step: str = "reviewed") -> dict:
    """The prepared accounting: for the privacy officer to read before sending, and for
    the client's clinicians (who see the accounting anyway). The client reads what was
    sent, as the PDF. `step`: what the officer's read is for, as the audit records it."""
    if user.role == PRIVACY_OFFICER_ROLE:
        with _officer_open(user=user, client_id=client_id, request_id=request_id, step=step,
                           action="read") as (ok, row, body):
            return {"request": _out(row, body, local_today(user.practice_id)), "accounting": body.get("accounting")}
    rid = _request_id(request_id)
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "accounting_request_review",
                                                             "request_id": str(rid)}) as ok:
        row = AccountingRequest.objects.filter(id=rid, client_id=ok.client.id,
                                               practice_id=ok.client.practice_id).first()
        if row is None or (user.role in ("client", "representative") and row.status != "sent"):
            raise NotFound()
        body = _body(row)
        return {"request": _out(row, body, local_today(user.practice_id)), "accounting": body.get("accounting")}


def accounting_request_send(*, user: User, client_id, request_id) -> dict:
    """Send the reviewed accounting to the client's portal: the request is met."""
    with _officer_open(user=user, client_id=client_id, request_id=request_id, step="sent") as (ok, row, body):
        if row.status != "prepared":
            raise InvalidInput("request: prepare and review the accounting before sending it"
                               if row.status == "open" else "request: already sent")
        row.status, row.sent_at = "sent", datetime.now(timezone.utc)
        body["sent_by"] = user.full_name
        _store(row, body, "status", "sent_at")
        return _out(row, body, local_today(user.practice_id))
