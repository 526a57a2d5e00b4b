"""The client's request to amend their record (45 CFR 164.526; RULES.md 1.11).

The client asks (portal or API): what to change, why, which record if they know, and
the people they want told of an accepted amendment. The request is on a clock from the
rules' `amendment_clock` fact: acted on within 60 days of receipt, extended once by up
to 30 days with a written reason the client sees on their request.

The treating clinician or the privacy officer decides:
- accept: the amendment is recorded as an amendment entry kept with the request (and,
  when the treating clinician names a signed note, appended to it as an addendum through
  the charting service); the people the client named are recorded as owed a notice;
- deny, in writing, on an allowed ground only (164.526(a)(2)): not created by the
  practice, not part of the record, not open to the client's access, accurate and
  complete; with an explanation, naming the disputed note when there is one. The client
  may then file a statement of disagreement, which is kept with the request
  (164.526(d)(1)(iii), (d)(4)); the decider may prepare a written rebuttal, which the
  client sees on their request (164.526(d)(3)). The client may instead ask that the
  request and the denial go with later disclosures (164.526(d)(1)(iii)(B)).

Accepted, the notices owed (164.526(c)(3)) become obligations on the dashboards with
their clock: one to each person the client named or the decider added, and one to each
recipient of an earlier disclosure that carried the amended note.

Denied, the dispute travels (164.526(d)(5)): every later disclosure packet holding the
disputed note (or, when no note was named, the client's notes) carries the request, the
denial, the disagreement and the rebuttal, as long as a disagreement was filed or the
client asked for the request and denial to go along (`disputed_notices`).

Every step goes through the door and is audited. The privacy officer reads and writes
a request only while the client has one open (INT-PRIVACY-OFFICER-AMENDMENT, flag
`amendment_requested`), or while a client's statement of disagreement waits for the
rebuttal (INT-PRIVACY-OFFICER-AMENDMENT-REBUTTAL, flag `amendment_disagreement_pending`,
kept on the request from the statement until the rebuttal is filed or the decider
declines to rebut), never the chart.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import AmendmentRequest, CareTeamMember, Disclosure, Obligation, ProgressNote
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.disclosures import request_clock
from confide.services.keys import data_key_of
from confide.services.practice_time import local_today
from confide.services.sealing import client_body, client_body_store, seal, unseal

PRIVACY_OFFICER_ROLE = "practice_admin"
DECIDER_ROLES = ("clinician", "supervisor", PRIVACY_OFFICER_ROLE)
MAX_TEXT = 4000
MAX_NOTIFY = 10
# 164.526(a)(2): the only grounds on which a request may be denied.
DENIAL_GROUNDS = {
    "not_created": "the information was not created by this practice (45 CFR 164.526(a)(2)(i))",
    "not_in_record": "the information is not part of your record (45 CFR 164.526(a)(2)(ii))",
    "not_accessible": "the information is not open to your access (45 CFR 164.526(a)(2)(iii))",
    "accurate_complete": "the record is accurate and complete (45 CFR 164.526(a)(2)(iv))",
}
STATUS_WORDS = {"open": "waiting for a decision", "accepted": "accepted: your record was amended",
                "denied": "denied in writing"}


def clock() -> dict:
    """Days to act, the one extension's days and the days to give an accepted
    amendment's notices (the rules' fact)."""
    return request_clock.clock_fact("amendment_clock", {"due_days": 60, "extension_days": 30, "notice_days": 30})


_due = request_clock.due


_body = client_body
_store = client_body_store


def _text(name: str, value, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{name}: give text")
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{name}: is empty")
    if len(value) > limit:
        raise InvalidInput(f"{name}: at most {limit} characters")
    return value


def _names(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace("\r", "").split("\n")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput("notify: a list of the people to be told (one name per line)")
    out = [" ".join(v.split()) for v in value if v.strip()]
    if len(out) > MAX_NOTIFY or any(len(v) > 200 for v in out):
        raise InvalidInput(f"notify: at most {MAX_NOTIFY} people, each up to 200 characters")
    return out


def _out(row: AmendmentRequest, body: dict, today: date) -> dict:
    due = _due(row)
    is_open = row.status == "open"
    extension = body.get("extension") or {}
    decision = body.get("decision") or {}
    return {"id": str(row.id), "client_id": str(row.client_id), "status": row.status,
            "status_words": STATUS_WORDS.get(row.status, row.status), "filed_by": body.get("filed_by"),
            "change": body.get("change", ""), "reason": body.get("reason", ""), "record": body.get("record", ""),
            "notify": body.get("notify", []), "received_on": row.received_on.isoformat(),
            "due_on": row.due_on.isoformat(), "extended_to": row.extended_to.isoformat() if row.extended_to else None,
            "extension_reason": extension.get("reason"), "extension_notice_on": extension.get("notice_on"),
            "decided_at": row.decided_at.isoformat(timespec="seconds") if row.decided_at else None,
            "decision": decision or None, "disagreement": body.get("disagreement"),
            "rebuttal": body.get("rebuttal"), "goes_with_disclosures": _travels(row, body),
            "notices": _notices(row, body), "open": is_open,
            "days_left": (due - today).days if is_open else None, "overdue": is_open and due < today,
            "may_disagree": row.status == "denied" and not body.get("disagreement"),
            "may_rebut": (row.status == "denied" and bool(body.get("disagreement")) and not body.get("rebuttal")
                          and not body.get("rebuttal_declined")),
            "rebuttal_declined": body.get("rebuttal_declined"),
            "may_ask_to_include": (row.status == "denied" and not body.get("disagreement")
                                   and not body.get("include_with_disclosures"))}


def _notices(row: AmendmentRequest, body: dict) -> list[dict]:
    """The notices owed for an accepted amendment, each with its obligation's status
    now (owed, given, or not given with the reason recorded on the obligation)."""
    notices = body.get("notices", [])
    ids = [n["obligation_id"] for n in notices if n.get("obligation_id")]
    status = (dict(Obligation.objects.filter(practice_id=row.practice_id, client_id=row.client_id, id__in=ids)
                   .values_list("id", "status")) if ids else {})
    words = {"open": "owed", "met": "given", "waived": "not given"}
    out = []
    for n in notices:
        oid = n.get("obligation_id")
        live = status.get(uuid.UUID(oid)) if oid else None
        out.append({**n, "status": words.get(live, n.get("status", "owed"))})
    return out


def _travels(row: AmendmentRequest, body: dict) -> bool:
    """Whether the dispute goes with later disclosures (164.526(d)(5)(i), (ii))."""
    return row.status == "denied" and bool(body.get("disagreement") or body.get("include_with_disclosures"))


def _request_id(raw) -> uuid.UUID:
    rid = access.parse_client_id(raw)
    if rid is None:
        raise NotFound()  # answered as for a request that does not exist
    return rid


def _flags(user: User, client_id, request_id: uuid.UUID | None = None) -> frozenset[str]:
    """The facts the officer's rules need: the client has an open request; a statement
    of disagreement waits for the rebuttal (on this request when one is named, else on
    any of the client's). The same queries whether or not the client exists."""
    if user.role != PRIVACY_OFFICER_ROLE:
        return frozenset()
    cid = access.parse_client_id(client_id) or uuid.UUID(int=0)
    rows = AmendmentRequest.objects.filter(client_id=cid, practice_id=user.practice_id)
    flags = set()
    if rows.filter(status="open").exists():
        flags.add("amendment_requested")
    pending = rows.filter(id=request_id) if request_id is not None else rows
    if pending.filter(status="denied", disagreement_pending=True).exists():
        flags.add("amendment_disagreement_pending")
    return frozenset(flags)


def _purpose(user: User) -> str:
    return "HOPERAT" if user.role == PRIVACY_OFFICER_ROLE else access.default_purpose(user)


class _decider_door:
    """The treating clinician's or the privacy officer's door onto one request."""

    def __init__(self, *, user: User, client_id, request_id, step: str, action: str = "write"):
        if user.role not in DECIDER_ROLES:
            raise Forbidden("only the treating clinician or the privacy officer decides an amendment request")
        self.user = user
        self.rid = _request_id(request_id)
        self.door = access.governed(user=user, client_id=client_id, action=action, purpose=_purpose(user),
                                    categories={"disclosures"}, flags=_flags(user, client_id, self.rid),
                                    detail={"record": "amendment_request", "step": step,
                                            "request_id": str(self.rid)})

    def __enter__(self):
        ok = self.door.__enter__()
        try:
            row = AmendmentRequest.objects.select_for_update().filter(id=self.rid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
            if row is None:
                raise NotFound()
            if self.user.role != PRIVACY_OFFICER_ROLE and not _is_treating(self.user, ok.client.id):
                raise Forbidden("only the treating clinician or the privacy officer decides an amendment request")
        except BaseException as exc:
            self.door.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return ok, row, _body(row)

    def __exit__(self, exc_type, exc, tb):
        return self.door.__exit__(exc_type, exc, tb)


def _is_treating(user: User, client_id) -> bool:
    return CareTeamMember.objects.filter(practice_id=user.practice_id, client_id=client_id, staff=user,
                                         ended_at__isnull=True, relationship="treating").exists()


# --- the client asks ----------------------------------------------------------------------

def amendment_request_create(*, user: User, client_id, change: str, reason: str, record: str = "",
                             notify=None) -> dict:
    """The client files a request to amend their record (or their clinician records a
    written one that arrived): what to change, why, which record if they know, and whom
    to tell if it is accepted."""
    change = _text("change", change)
    reason = _text("reason", reason)
    record = _text("record", record, required=False, limit=300)
    names = _names(notify)
    today = local_today(user.practice_id)
    due_days = int(clock()["due_days"])
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"record": "amendment_request", "step": "filed"}) as ok:
        if user.role not in ("client", "clinician", "supervisor"):  # after the door: unknown answers not found
            raise Forbidden("the client files an amendment request, or their clinician records a written one")
        rid = uuid.uuid4()
        body = {"filed_by": "client" if user.role == "client" else "staff", "change": change, "reason": reason, "record": record, "notify": names}
        row = AmendmentRequest.objects.create(
            id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, received_on=today,
            due_on=today + timedelta(days=due_days),
            body_enc=seal(data_key_of(ok.client), AmendmentRequest, "body_enc", rid, body))
    return _out(row, body, today)


def amendment_request_list(*, user: User, client_id) -> list[dict]:
    """The client's amendment requests with their clocks and decisions (the client, their
    clinicians; the privacy officer while one is open)."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=_purpose(user),
                         categories={"disclosures"}, flags=_flags(user, client_id),
                         detail={"view": "amendment_requests"}) as ok:
        today = local_today(user.practice_id)
        rows = (AmendmentRequest.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
                .order_by("-received_on", "-created_at"))
        return [_out(r, _body(r), today) for r in rows]


def amendment_request_get(*, user: User, client_id, request_id) -> dict:
    """One request, for the client or a decider (through the door, audited)."""
    if user.role in DECIDER_ROLES:
        with _decider_door(user=user, client_id=client_id, request_id=request_id, step="read",
                           action="read") as (ok, row, body):
            return _out(row, body, local_today(user.practice_id))
    rid = _request_id(request_id)
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "amendment_request",
                                                             "request_id": str(rid)}) as ok:
        row = AmendmentRequest.objects.filter(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id).first()
        if row is None:
            raise NotFound()
        return _out(row, _body(row), local_today(user.practice_id))


def amendment_disagreement_file(*, user: User, client_id, request_id, statement: str) -> dict:
    """After a denial, the client files a statement of disagreement (164.526(d)(1)(iii));
    it is kept with the request and goes with any later disclosure of the information."""
    if user.role != "client":
        raise Forbidden("the client files their own statement of disagreement")
    statement = _text("statement", statement)
    rid = _request_id(request_id)
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"record": "amendment_request", "step": "disagreement",
                                                             "request_id": str(rid)}) as ok:
        row = AmendmentRequest.objects.select_for_update().filter(id=rid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
        if row is None:
            raise NotFound()
        if row.status != "denied":
            raise InvalidInput("statement: a statement of disagreement follows a denial")
        body = _body(row)
        if body.get("disagreement"):
            raise InvalidInput("statement: already filed")
        body["disagreement"] = {"text": statement, "filed_on": local_today(user.practice_id).isoformat()}
        row.disagreement_pending = True
        _store(row, body, "disagreement_pending")
        return _out(row, body, local_today(user.practice_id))


# --- the treating clinician or the privacy officer ---------------------------------------

def amendment_requests_open(*, user: User, include_decided_days: int = 30) -> list[dict]:
    """The decider's list: the open requests (the privacy officer: the practice's; a
    clinician: their treating clients'), overdue first, then those decided in the last
    `include_decided_days`. Each names the client by the practice's reference; one audit
    event."""
    if user.role not in DECIDER_ROLES:
        raise Forbidden("only the treating clinician or the privacy officer sees amendment requests")
    today = local_today(user.practice_id)
    since = datetime.now(timezone.utc) - timedelta(days=include_decided_days)
    rows = AmendmentRequest.objects.filter(practice_id=user.practice_id)
    if user.role != PRIVACY_OFFICER_ROLE:
        mine = CareTeamMember.objects.filter(practice_id=user.practice_id, staff=user, ended_at__isnull=True,
                                             relationship="treating").values_list("client_id", flat=True)
        rows = rows.filter(client_id__in=list(mine))
    rows = (list(rows.filter(status="open")) + list(rows.filter(disagreement_pending=True))
            + list(rows.exclude(status="open").filter(disagreement_pending=False, decided_at__gte=since)))
    out = []
    for row in rows:
        due = _due(row)
        is_open = row.status == "open"
        out.append({"id": str(row.id), "client_id": str(row.client_id),
                    "client_ref": access.client_ref_for(user, row.client_id), "status": row.status,
                    "status_words": STATUS_WORDS.get(row.status, row.status),
                    "received_on": row.received_on.isoformat(), "due_on": due.isoformat(),
                    "extended": row.extended_to is not None, "open": is_open,
                    "awaiting_rebuttal": row.disagreement_pending,
                    "days_left": (due - today).days if is_open else None, "overdue": is_open and due < today})
    with audited_transaction():
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="amendment_request.list", purpose=_purpose(user), detail={"count": len(out)})
    return sorted(out, key=lambda r: (not r["open"], not r["overdue"], r["due_on"], r["id"]))


def amendment_request_extend(*, user: User, client_id, request_id, reason: str, days: int | None = None) -> dict:
    """Extend the clock once, by up to 30 days, before it runs out, with the written
    reason and the expected date, which the client sees on their request."""
    limit = int(clock()["extension_days"])
    days = request_clock.extension_checked(reason, limit if days is None else days, limit,
                                           why="telling the client why more time is needed")
    with _decider_door(user=user, client_id=client_id, request_id=request_id, step="extended") as (ok, row, body):
        today = local_today(user.practice_id)
        if row.status != "open":
            raise InvalidInput("request: already decided")
        request_clock.extend(row, body, today=today, days=days, reason=" ".join(reason.split()),
                             once="already extended once (45 CFR 164.526(b)(2)(ii))",
                             too_late="an extension must be given before the 60 days run out")
        body["extension"]["by"] = user.full_name
        _store(row, body, "extended_to")
        return _out(row, body, today)


def amendment_request_accept(*, user: User, client_id, request_id, amendment: str = "", note_id=None,
                             notify_more=None) -> dict:
    """Accept: the amendment entry is kept with the request (the client's wording unless
    the decider words it); when the treating clinician names a signed note, it is
    appended to that note as an addendum. The people the client named (and any others
    the decider knows have relied on the information) are recorded as owed a notice."""
    amendment = _text("amendment", amendment, required=False)
    more = _names(notify_more)
    with _decider_door(user=user, client_id=client_id, request_id=request_id, step="accepted") as (ok, row, body):
        if row.status != "open":
            raise InvalidInput("request: already decided")
        text = amendment or body.get("change", "")
        addendum_id = None
        if note_id not in (None, ""):
            if user.role == PRIVACY_OFFICER_ROLE:
                raise InvalidInput("note_id: the treating clinician appends the amendment to a note")
            from confide.apps.records.models import ProgressNote
            from confide.services.charting.notes import note_addendum_add
            nid = access.parse_client_id(note_id)
            if nid is None or not ProgressNote.objects.filter(id=nid, practice_id=ok.client.practice_id,
                                                              client_id=ok.client.id).exists():
                raise InvalidInput("note_id: no such note in this client's chart")
            addendum_id = note_addendum_add(user=user, note_id=nid,
                                            text=f"Amendment at the client's request of "
                                                 f"{row.received_on.isoformat()}: {text}")
        now = datetime.now(timezone.utc)
        today = local_today(user.practice_id)
        row.status, row.decided_at, row.decided_by = "accepted", now, user
        body["decision"] = {"outcome": "accepted", "by": user.full_name, "on": today.isoformat(),
                            "amendment": text, "note_id": str(nid) if addendum_id else None,
                            "addendum_id": str(addendum_id) if addendum_id else None}
        named = [(p, "named by the client" if p in body.get("notify", []) else "known to have relied on it")
                 for p in dict.fromkeys([*body.get("notify", []), *more])]
        received = _recipients_of_note(ok.client, nid) if addendum_id else []
        people, seen = [], set()
        for person, why in [*named, *received]:
            if person.casefold() not in seen:
                seen.add(person.casefold())
                people.append((person, why))
        due = today + timedelta(days=int(clock()["notice_days"]))
        body["notices"] = [_notice_owed(ok.client, row, person, why, today, due) for person, why in people]
        _store(row, body, "status", "decided_at", "decided_by")
        return _out(row, body, today)


def _recipients_of_note(client, note_id) -> list[tuple[str, str]]:
    """The recipients of the client's earlier disclosures whose packet carried the
    note (164.526(c)(3)(ii): those the practice knows have the information), each with
    the day it left, oldest first."""
    dek = data_key_of(client)
    out = []
    for d in Disclosure.objects.filter(practice_id=client.practice_id, client_id=client.id).order_by("made_at", "id"):
        packet = unseal(dek, Disclosure, "packet_enc", d.id, d.packet_enc) or {}
        notes = (packet.get("sections") or {}).get("progress_notes") or []
        recipient = packet.get("recipient") or {}
        if recipient.get("kind") == "client":  # the client's own copy: they asked for the amendment
            continue
        if any(isinstance(n, dict) and n.get("id") == str(note_id) for n in notes):
            name = recipient.get("name")
            if name:
                out.append((name, f"received the note on {packet.get('made_on') or d.made_at.date().isoformat()}"))
    return out


def _notice_owed(client, row: AmendmentRequest, person: str, why: str, today: date, due: date) -> dict:
    """One notice of an accepted amendment, owed as an obligation with its clock (it
    shows on the dashboards until given, or not given with the reason)."""
    oid = uuid.uuid4()
    dek = data_key_of(client)
    Obligation.objects.create(id=oid, practice_id=client.practice_id, client_id=client.id, kind="notify_amendment",
                              due_on=due, detail_enc=seal(dek, Obligation, "detail_enc", oid, {
                                  "notice": {"to": person, "why": why, "amendment_request_id": str(row.id),
                                             "accepted_on": today.isoformat()}}))
    return {"to": person, "why": why, "status": "owed", "since": today.isoformat(), "due_on": due.isoformat(),
            "obligation_id": str(oid)}


def amendment_request_deny(*, user: User, client_id, request_id, ground: str, explanation: str,
                           note_id=None) -> dict:
    """Deny in writing on an allowed ground with an explanation, naming the disputed
    note when there is one; the client sees the ground, the explanation and their right
    to file a statement of disagreement."""
    if ground not in DENIAL_GROUNDS:
        raise InvalidInput(f"ground: one of {', '.join(DENIAL_GROUNDS)}")
    explanation = _text("explanation", explanation, limit=2000)
    with _decider_door(user=user, client_id=client_id, request_id=request_id, step="denied") as (ok, row, body):
        if row.status != "open":
            raise InvalidInput("request: already decided")
        disputed = None
        if note_id not in (None, ""):
            disputed = access.parse_client_id(note_id)
            if disputed is None or not ProgressNote.objects.filter(id=disputed, practice_id=ok.client.practice_id,
                                                                   client_id=ok.client.id).exists():
                raise InvalidInput("note_id: no such note in this client's chart")
        today = local_today(user.practice_id)
        row.status, row.decided_at, row.decided_by = "denied", datetime.now(timezone.utc), user
        body["decision"] = {"outcome": "denied", "by": user.full_name, "on": today.isoformat(),
                            "ground": ground, "ground_words": DENIAL_GROUNDS[ground], "explanation": explanation,
                            "note_id": str(disputed) if disputed else None}
        _store(row, body, "status", "decided_at", "decided_by")
        return _out(row, body, today)


def amendment_rebuttal_file(*, user: User, client_id, request_id, text: str) -> dict:
    """After the client's statement of disagreement, the decider may prepare a written
    rebuttal (164.526(d)(3)); the client sees it on their request, and it goes with
    later disclosures of the disputed information."""
    text = _text("rebuttal", text, limit=2000)
    with _decider_door(user=user, client_id=client_id, request_id=request_id, step="rebuttal") as (ok, row, body):
        _awaiting_rebuttal(row, body)
        today = local_today(user.practice_id)
        body["rebuttal"] = {"text": text, "by": user.full_name, "on": today.isoformat()}
        row.disagreement_pending = False
        _store(row, body, "disagreement_pending")
        return _out(row, body, today)


def amendment_rebuttal_decline(*, user: User, client_id, request_id) -> dict:
    """The decider declines to rebut the client's statement of disagreement: the
    statement stands alone with the denial, and the request no longer waits (nor opens
    it to the privacy officer)."""
    with _decider_door(user=user, client_id=client_id, request_id=request_id,
                       step="rebuttal_declined") as (ok, row, body):
        _awaiting_rebuttal(row, body)
        today = local_today(user.practice_id)
        body["rebuttal_declined"] = {"by": user.full_name, "on": today.isoformat()}
        row.disagreement_pending = False
        _store(row, body, "disagreement_pending")
        return _out(row, body, today)


def _awaiting_rebuttal(row: AmendmentRequest, body: dict) -> None:
    if row.status != "denied" or not body.get("disagreement"):
        raise InvalidInput("rebuttal: follows the client's statement of disagreement")
    if body.get("rebuttal"):
        raise InvalidInput("rebuttal: already prepared")
    if body.get("rebuttal_declined"):
        raise InvalidInput("rebuttal: already declined")


def amendment_include_with_disclosures(*, user: User, client_id, request_id) -> dict:
    """Without a statement of disagreement, the client may ask that their request and
    the denial go with every later disclosure of the information (164.526(d)(5)(ii))."""
    if user.role != "client":
        raise Forbidden("the client asks for their request and the denial to go with disclosures")
    rid = _request_id(request_id)
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"record": "amendment_request", "step": "include",
                                                             "request_id": str(rid)}) as ok:
        row = AmendmentRequest.objects.select_for_update().filter(id=rid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
        if row is None:
            raise NotFound()
        if row.status != "denied":
            raise InvalidInput("request: this follows a denial")
        body = _body(row)
        if not body.get("include_with_disclosures"):
            body["include_with_disclosures"] = {"asked_on": local_today(user.practice_id).isoformat()}
            _store(row, body)
        return _out(row, body, local_today(user.practice_id))


# --- the dispute travels with later disclosures ---------------------------------------

NOTICE_KIND = "amendment dispute"


def dispute_text(row: AmendmentRequest, body: dict) -> str:
    """The request, the denial, the disagreement and the rebuttal, in one paragraph
    (what a later recipient of the disputed information reads)."""
    decision = body.get("decision") or {}
    parts = [f"On {row.received_on.isoformat()} the client asked to amend their record: {body.get('change', '')} "
             f"Their reason: {body.get('reason', '')}",
             f"The practice denied the request on {decision.get('on', '')}, because "
             f"{decision.get('ground_words', '')}: {decision.get('explanation', '')}"]
    if body.get("disagreement"):
        d = body["disagreement"]
        parts.append(f"The client's statement of disagreement ({d.get('filed_on', '')}): {d.get('text', '')}")
    if body.get("rebuttal"):
        r = body["rebuttal"]
        parts.append(f"The practice's rebuttal ({r.get('on', '')}): {r.get('text', '')}")
    return " ".join(" ".join(p.split()) for p in parts)


def disputed_notices(client_id, dek: bytes, sections: dict, *, practice_id) -> list[dict]:
    """The notices a packet of `sections` must carry (164.526(d)(5)): for each denied
    request whose dispute travels, when the packet holds the disputed note (or any of
    the client's notes, when the denial named none). Inside the caller's door; `practice_id`:
    the client's practice, which the read names."""
    notes = sections.get("progress_notes") or []
    if not notes:
        return []
    ids = {n.get("id") for n in notes if isinstance(n, dict)}
    out = []
    rows = AmendmentRequest.objects.filter(practice_id=practice_id, client_id=client_id, status="denied")
    for row in rows.order_by("received_on", "id"):
        body = unseal(dek, AmendmentRequest, "body_enc", row.id, row.body_enc) or {}
        if not _travels(row, body):
            continue
        disputed = (body.get("decision") or {}).get("note_id")
        if disputed is None or disputed in ids:
            out.append({"kind": NOTICE_KIND, "text": dispute_text(row, body), "amendment_request_id": str(row.id)})
    return out
