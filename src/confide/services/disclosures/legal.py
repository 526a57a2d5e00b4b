"""Courts and lawyers (issue 3, exception 5): court orders, Part 2 court orders and
subpoenas, held until their basis is complete (RULES.md 1.6.4, 2.5).

- A court order signed by a judge releases exactly what it names (JUD-1): the named
  categories, and, when it names a period, only the dated entries of that period.
- A subpoena without an order is on hold (JUD-2) until either the satisfactory
  assurance of 164.512(e)(1)(iii) (notice) or (iv) (qualified protective order) is
  documented, or the client authorizes: a signed, unexpired, unrevoked release given
  at release time, through which the disclosure then goes (basis `release`, scope =
  what the subpoena names and the release also names). It never releases
  psychotherapy notes (the rules withhold them from every wildcard and subpoena).
- Records of a Part 2 program (the client's `part2_record` flag, or the
  substance_use category) need a Part 2 court order (42 CFR 2.64/2.65) signed by a
  judge: a subpoena with assurances, or a HIPAA order, is refused by the PDP (CO-1,
  S7). A Part 2 order authorizes but does not compel; a subpoena with it compels
  (CO-1): the answer says which.
- A privilege letter declines to produce records absent the individual's written
  authorization or a court order. It neither confirms nor denies that the person
  named is a client, names no one and holds no clinical content, so it discloses no
  health information: it is not an accounting entry (no 164.528 disclosure), but
  generating it is audited and noted on the request.

Every step goes through the door; a disclosure goes only through
`disclosure_packet_build`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import uuid
from datetime import date, datetime, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import LegalRequest, Release
from confide.core.errors import Forbidden, InvalidInput, NotFound, Refused
from confide.core.policy import CATEGORIES
from confide.services import access
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_packet_build,
)
from confide.services.disclosures.releases import release_problem
from confide.services.disclosures.safety import event_id_of, text_field
from confide.services.keys import data_key_of
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal

KINDS = ("court_order", "part2_court_order", "subpoena")
REQUESTER_KINDS = ("court", "attorney")
ASSURANCE_KINDS = ("notice", "qpo")
_RECORD_KEYS = {"requester", "court", "case_number", "judge", "signed_by_judge", "categories", "date_from",
                "date_to", "received_on", "with_subpoena"}
CITATIONS = {
    "court_order": "45 CFR 164.512(e)(1)(i)",
    "part2_court_order": "42 CFR 2.61; 42 CFR 2.64; 42 CFR 2.65",
    "subpoena": "45 CFR 164.512(e)(1)(ii)-(iv)",
}


# --- input checks ----------------------------------------------------------------------

def _day(name: str, raw, *, required: bool = False) -> date | None:
    if raw is None or raw == "":
        if required:
            raise InvalidInput(f"{name}: required")
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw)) if isinstance(raw, str) and len(raw) <= 10 else _bad_day(name)
    except ValueError:
        return _bad_day(name)


def _bad_day(name: str):
    raise InvalidInput(f"{name}: expected a date as YYYY-MM-DD")


def _check_record(kind: str, data, practice_id) -> dict:
    if kind not in KINDS:
        raise InvalidInput(f"kind: must be one of {', '.join(KINDS)}")
    if not isinstance(data, dict):
        raise InvalidInput("legal request: expected an object")
    unknown = set(data) - _RECORD_KEYS
    if unknown:
        raise InvalidInput(f"legal request: unknown field {sorted(unknown)[0]!r}")
    requester = data.get("requester")
    if not isinstance(requester, dict):
        raise InvalidInput("requester: expected an object with name and kind (court or attorney)")
    if set(requester) - {"name", "kind", "address"}:
        raise InvalidInput(f"requester: unknown field {sorted(set(requester) - {'name', 'kind', 'address'})[0]!r}")
    if requester.get("kind") not in REQUESTER_KINDS:
        raise InvalidInput("requester.kind: court or attorney")
    signed = data.get("signed_by_judge", False)
    if type(signed) is not bool:
        raise InvalidInput("signed_by_judge: true or false")
    if kind == "subpoena" and signed:
        raise InvalidInput("signed_by_judge: record an order signed by a judge as a court order, not a subpoena")
    with_subpoena = data.get("with_subpoena", False)
    if type(with_subpoena) is not bool or (with_subpoena and kind != "part2_court_order"):
        raise InvalidInput("with_subpoena: true or false, for a Part 2 court order only")
    categories = data.get("categories")
    if not isinstance(categories, list) or not categories or len(categories) > len(CATEGORIES):
        raise InvalidInput("categories: name each category the request names (an order releases exactly those)")
    for name in categories:
        if not isinstance(name, str) or name not in CATEGORIES:
            raise InvalidInput(f"categories: unknown category (one of {', '.join(sorted(CATEGORIES))})")
    start, end = _day("date_from", data.get("date_from")), _day("date_to", data.get("date_to"))
    if start and end and start > end:
        raise InvalidInput("date_to: before date_from")
    received = _day("received_on", data.get("received_on")) or local_today(practice_id)
    if received > local_today(practice_id):
        raise InvalidInput("received_on: in the future")
    is_order = kind != "subpoena"
    return {
        "kind": kind,
        "requester": {"name": text_field("requester.name", requester.get("name"), required=True, limit=200),
                      "kind": requester["kind"],
                      "address": text_field("requester.address", requester.get("address"), required=False,
                                            limit=400)},
        "court": text_field("court", data.get("court"), required=is_order, limit=200),
        "case_number": text_field("case_number", data.get("case_number"), required=False, limit=100),
        "judge": text_field("judge", data.get("judge"), required=is_order and signed, limit=200),
        "signed_by_judge": signed, "with_subpoena": with_subpoena,
        "categories": sorted(set(categories)),
        "date_from": start.isoformat() if start else None, "date_to": end.isoformat() if end else None,
        "received_on": received.isoformat(),
    }


# --- what the clinician sees -------------------------------------------------------------

def _status_for(body: dict) -> str:
    if body["kind"] == "subpoena":
        return "ready" if body.get("assurances") else "on_hold"
    return "ready" if body["signed_by_judge"] else "on_hold"


def _explain(body: dict, status: str, part2: bool) -> list[str]:
    """Plain lines saying where the request stands and what it needs. No client data."""
    lines = []
    kind = body["kind"]
    if status == "released":
        lines.append("released: the packet and its accounting entry are recorded")
    elif status == "refused":
        lines.append("refused: the rules do not allow this request to release anything (see refusals)")
    elif kind == "subpoena" and status == "on_hold":
        lines.append("on hold: a subpoena without a court order releases nothing until the client authorizes (a "
                     "signed release) or the requester's notice or protective-order assurance is documented "
                     "(45 CFR 164.512(e)(1)(ii)-(iv))")
    elif kind == "subpoena":
        lines.append("ready: satisfactory assurance is documented (45 CFR 164.512(e)(1)(ii)); psychotherapy notes "
                     "are never released on a subpoena")
    elif status == "on_hold" and body.get("promise_conflicts") and _latest_step(body):
        step = _latest_step(body)
        lines.append(f"on hold: the privacy officer took a legal step instead of releasing ({STEPS[step['step']]}, "
                     f"recorded {step['on']}); revisit on {step['revisit_on']}. Nothing was disclosed")
    elif status == "on_hold" and body.get("promise_conflicts"):
        lines.append("on hold for the privacy officer: this order touches what the practice promised never to "
                     f"disclose without the client's authorization ({', '.join(body['promise_conflicts'])}); an order "
                     "is not refused quietly nor obeyed quietly against the promise: the privacy officer decides to "
                     "release under the order or to take a legal step (motion to quash, protective order)")
    elif status == "on_hold":
        lines.append("on hold: the order is not signed by a judge; it releases nothing as an order (record it as a "
                     "subpoena if it is one)")
    else:
        lines.append("ready: an order signed by a judge releases exactly the categories it names"
                     + (" within its period" if body.get("date_from") or body.get("date_to") else ""))
    if status == "released" and any(d["outcome"] == "release" for d in body.get("privacy_officer", [])):
        lines.append("released by the privacy officer under the order despite the practice promise "
                     f"({', '.join(body.get('promise_conflicts', []))}); the accounting entry notes the conflict")
    if part2 and kind != "part2_court_order":
        lines.append("Part 2 records: only a Part 2 court order (42 CFR 2.64/2.65) with a subpoena, or the client's "
                     "specific Part 2 consent, releases them; this request cannot (42 CFR 2.61, RULES.md 2.5)")
    if kind == "part2_court_order":
        lines.append("a Part 2 court order authorizes disclosure but does not compel it; "
                     + ("a subpoena accompanies it, so disclosure is compelled (42 CFR 2.61)" if body["with_subpoena"]
                        else "no subpoena accompanies it: you may disclose, and are not compelled to (42 CFR 2.61)"))
    return lines


def _view(rid, status: str, body: dict, part2: bool) -> dict:
    return {"id": str(rid), "kind": body["kind"], "status": status, "requester": body["requester"],
            "court": body.get("court", ""), "case_number": body.get("case_number", ""),
            "signed_by_judge": body["signed_by_judge"], "categories": body["categories"],
            "date_from": body.get("date_from"), "date_to": body.get("date_to"), "received_on": body["received_on"],
            "part2": part2, "compelled": body["kind"] != "part2_court_order" or body["with_subpoena"],
            "assurances": body.get("assurances", []), "disclosures": body.get("disclosures", []),
            "refusals": body.get("refusals", []), "letters": body.get("letters", []),
            "promise_conflicts": body.get("promise_conflicts", []),
            "privacy_officer": body.get("privacy_officer", []),
            "explanation": _explain(body, status, part2)}


def _part2(client_id, practice_id, body: dict) -> bool:
    return "part2_record" in access.client_flags(client_id, practice_id) or "substance_use" in body["categories"]


# --- services ------------------------------------------------------------------------------

def legal_request_record(*, user: User, client_id, kind: str, data: dict) -> dict:
    """Record a court order, Part 2 court order or subpoena received for a client's
    record. Orders signed by a judge are ready; a subpoena is on hold."""
    body = _check_record(kind, data, user.practice_id)
    body.update({"assurances": [], "disclosures": [], "refusals": [], "letters": []})
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT", categories={"legal"},
                         detail={"record": "legal_request"}) as ok:
        status = _status_for(body)
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        LegalRequest.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, status=status,
                                    recorded_by=user, body_enc=seal(dek, LegalRequest, "body_enc", rid, body))
        part2 = _part2(ok.client.id, ok.client.practice_id, body)
    return _view(rid, status, body, part2)


def legal_requests_list(*, user: User, client_id) -> list[dict]:
    with access.governed(user=user, client_id=client_id, action="read", purpose="TREAT", categories={"legal"},
                         detail={"view": "legal_requests"}) as ok:
        dek = data_key_of(ok.client)
        out = []
        rows = LegalRequest.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
        for row in rows.order_by("created_at", "id"):
            body = unseal(dek, LegalRequest, "body_enc", row.id, row.body_enc)
            out.append(_view(row.id, row.status, body, _part2(ok.client.id, ok.client.practice_id, body)))
    return out


class _Loaded:
    def __init__(self, client_id, row: LegalRequest, body: dict, dek: bytes):
        self.client_id, self.row, self.body, self.dek = client_id, row, body, dek

    def save(self, status: str | None = None) -> None:
        if status is not None:
            self.row.status = status
        self.row.body_enc = seal(self.dek, LegalRequest, "body_enc", self.row.id, self.body)
        self.row.save(update_fields=["status", "body_enc"])


class _request_open:
    """Open one legal request of the client through the door (a write: the caller
    records on it), inside one transaction. A request of another client or none at all:
    NotFound."""

    def __init__(self, *, user: User, client_id, legal_request_id, detail: dict, categories=frozenset({"legal"}),
                 purpose: str = "TREAT"):
        self._rid = event_id_of(legal_request_id)
        self._door = access.governed(user=user, client_id=client_id, action="write", purpose=purpose,
                                     categories=set(categories), detail=detail)

    def __enter__(self) -> _Loaded:
        ok = self._door.__enter__()
        try:
            row = (LegalRequest.objects.select_for_update().filter(id=self._rid, client_id=ok.client.id,
                                                                   practice_id=ok.client.practice_id).first()
                   if self._rid else None)
            if row is None:
                raise NotFound()
            dek = data_key_of(ok.client)
            return _Loaded(ok.client.id, row, unseal(dek, LegalRequest, "body_enc", row.id, row.body_enc), dek)
        except BaseException as exc:
            self._door.__exit__(type(exc), exc, exc.__traceback__)
            raise

    def __exit__(self, exc_type, exc, tb):
        return self._door.__exit__(exc_type, exc, tb)


def _check_assurance(kind: str, details, practice_id) -> dict:
    """The documentation 164.512(e)(1)(iii) (notice) or (iv) (QPO) requires; every
    element must be present or nothing is recorded."""
    if kind not in ASSURANCE_KINDS:
        raise InvalidInput("kind: notice or qpo")
    if not isinstance(details, dict):
        raise InvalidInput("details: expected an object")
    allowed = ({"written_statement", "notice_sent_on", "notice_describes_litigation", "objection_deadline",
                "objections", "document_ref"} if kind == "notice" else
               {"written_statement", "route", "qpo_limits_use_to_litigation", "qpo_requires_return_or_destruction",
                "document_ref"})
    unknown = set(details) - allowed
    if unknown:
        raise InvalidInput(f"details: unknown field {sorted(unknown)[0]!r}")
    if details.get("written_statement") is not True:
        raise InvalidInput("details.written_statement: the requester's written statement is required "
                           "(45 CFR 164.512(e)(1)(ii))")
    out = {"kind": kind, "written_statement": True,
           "document_ref": text_field("details.document_ref", details.get("document_ref"), required=True, limit=200)}
    if kind == "notice":
        sent = _day("details.notice_sent_on", details.get("notice_sent_on"), required=True)
        deadline = _day("details.objection_deadline", details.get("objection_deadline"), required=True)
        if details.get("notice_describes_litigation") is not True:
            raise InvalidInput("details.notice_describes_litigation: the notice must let the client object "
                               "(45 CFR 164.512(e)(1)(iii)(B))")
        if deadline < sent:
            raise InvalidInput("details.objection_deadline: before the notice was sent")
        if deadline >= local_today(practice_id):
            raise InvalidInput("details.objection_deadline: the time to object has not passed "
                               "(45 CFR 164.512(e)(1)(iii)(C))")
        if details.get("objections") not in ("none_filed", "resolved_consistently"):
            raise InvalidInput("details.objections: none_filed or resolved_consistently "
                               "(45 CFR 164.512(e)(1)(iii)(C))")
        out.update({"notice_sent_on": sent.isoformat(), "objection_deadline": deadline.isoformat(),
                    "notice_describes_litigation": True, "objections": details["objections"],
                    "citation": "45 CFR 164.512(e)(1)(iii)"})
    else:
        if details.get("route") not in ("agreed_and_presented", "requested_from_court"):
            raise InvalidInput("details.route: agreed_and_presented or requested_from_court "
                               "(45 CFR 164.512(e)(1)(iv))")
        for key in ("qpo_limits_use_to_litigation", "qpo_requires_return_or_destruction"):
            if details.get(key) is not True:
                raise InvalidInput(f"details.{key}: a qualified protective order must say so (45 CFR 164.512(e)(1)(v))")
        out.update({"route": details["route"], "qpo_limits_use_to_litigation": True,
                    "qpo_requires_return_or_destruction": True, "citation": "45 CFR 164.512(e)(1)(iv),(v)"})
    return out


def legal_request_assurance(*, user: User, client_id, legal_request_id, kind: str, details) -> dict:
    """Document the requester's satisfactory assurance for a subpoena; the request is
    then ready (flag assurance_documented at release)."""
    assurance = _check_assurance(kind, details, user.practice_id)
    with _request_open(user=user, client_id=client_id, legal_request_id=legal_request_id,
                       detail={"record": "legal_request", "step": "assurance"}) as req:
        if req.body["kind"] != "subpoena":
            raise InvalidInput("assurance: only a subpoena needs one (an order is its own basis)")
        if req.row.status in ("released", "refused"):
            raise InvalidInput(f"assurance: the request is already {req.row.status}")
        assurance.update({"recorded_by": user.pk, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        req.body["assurances"].append(assurance)
        req.save(status="ready")
        return _view(req.row.id, "ready", req.body, _part2(req.client_id, req.row.practice_id, req.body))


def _release_basis(req: _Loaded, release_id) -> tuple[Basis, frozenset[str]]:
    """The basis the request's release goes on, and the categories to ask for."""
    body = req.body
    named = frozenset(body["categories"])
    period = ""
    if body.get("date_from") or body.get("date_to"):
        period = f", {body.get('date_from') or '...'} to {body.get('date_to') or '...'}"
    described = (f"{body['kind'].replace('_', ' ').capitalize()} of {body.get('court') or body['requester']['name']}"
                 + (f", case {body['case_number']}" if body.get("case_number") else "") + period)
    if release_id is not None:
        rel_id = event_id_of(release_id)
        release = (Release.objects.filter(id=rel_id, client_id=req.client_id, practice_id=req.row.practice_id).first()
                   if rel_id else None)
        if release is None:
            raise NotFound()
        terms = unseal(req.dek, Release, "body_enc", release.id, release.body_enc) or {}
        # Valid at this use (164.508(b)(2)): signed, complete, unexpired by date or event, unrevoked.
        problem = release_problem(release, terms, datetime.now(timezone.utc))
        if problem is not None:
            raise Refused(f"refused: the release is not valid: {problem}", rule_ids=("US-HIPAA-AUTHORIZATION",))
        # It authorizes disclosure to the recipient it names (164.508(c)(1)(iii)), no one else.
        named_recipient = str((terms.get("recipient") or {}).get("name", "")).strip().casefold()
        if named_recipient != body["requester"]["name"].strip().casefold():
            raise Refused("refused: the release names another recipient, not this requester "
                          "(45 CFR 164.508(c)(1)(iii))",
                          rule_ids=("US-HIPAA-AUTHORIZATION",))
        kind = "part2_consent" if terms.get("kind") in ("part2", "part2_consent") else "release"
        scope = named & frozenset(c for c in terms.get("categories", []) if isinstance(c, str))
        return Basis(kind=kind, citation="45 CFR 164.508(c)" if kind == "release" else "42 CFR 2.31",
                     description=f"{described}: authorized by the client's release", ref=str(req.row.id),
                     scope=scope, topics=frozenset(terms.get("topics") or ()), release_id=release.id,
                     consent_summary=str(terms.get("description", ""))[:1000]), named
    flags = set()
    if body["signed_by_judge"]:
        flags.add("signed_by_judge")
    if body["kind"] == "subpoena" and body.get("assurances"):
        flags.add("assurance_documented")
    return Basis(kind=body["kind"], citation=CITATIONS[body["kind"]], description=described, ref=str(req.row.id),
                 scope=named, flags=frozenset(flags)), named


def legal_request_release(*, user: User, client_id, legal_request_id, release_id=None) -> dict:
    """Release what the request's basis allows to the requester, as one packet with its
    accounting entry and the obligation to tell the client. On hold or refused: the
    PDP's refusal is audited, noted on the request, and answered in plain words."""
    with _request_open(user=user, client_id=client_id, legal_request_id=legal_request_id,
                       categories={"legal", "consents"} if release_id is not None else {"legal"},
                       detail={"record": "legal_request", "step": "load"}) as req:
        if req.row.status in ("released", "refused"):
            raise InvalidInput(f"release: the request is already {req.row.status}")
        basis, named = _release_basis(req, release_id)
        cid, rid, body = req.client_id, req.row.id, dict(req.body)
    requester = body["requester"]
    period = None
    if body.get("date_from") or body.get("date_to"):
        period = (_day("date_from", body.get("date_from")), _day("date_to", body.get("date_to")))
    try:
        summary = disclosure_packet_build(
            user=user, client_id=cid, recipient=Recipient(name=requester["name"], kind=requester["kind"],
                                                          address=requester.get("address", "")),
            purpose="HLEGAL", basis=basis, categories=named, period=period)
    except Refused as refused:
        return _refusal(user, cid, rid, body, basis, refused)
    with _request_open(user=user, client_id=cid, legal_request_id=rid,
                       detail={"record": "legal_request", "step": "released"}) as req:
        req.body["disclosures"].append({"disclosure_id": summary["id"], "basis": basis.kind,
                                        "at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        req.save(status="released")
        part2 = _part2(cid, req.row.practice_id, req.body)
        view = _view(rid, "released", req.body, part2)
    withheld = sorted(named - set(summary["categories"]))
    return {"legal_request": view, "disclosure": summary, "withheld": withheld}


def promise_conflicts(body: dict, refused: Refused) -> list[str]:
    """The practice promises a judge-signed order conflicts with, when they are the only
    rules that refused it (anything else refuses it as before)."""
    if body["kind"] not in ("court_order", "part2_court_order") or not body["signed_by_judge"]:
        return []
    ids = [r for r in refused.rule_ids if not r.startswith("SYS-")]
    if not ids or not all(r.startswith("PRACTICE-PROMISE-") for r in ids):
        return []
    return sorted(ids)


def _refusal(user: User, cid, rid, body: dict, basis: Basis, refused: Refused):
    """Note the refusal on the request and raise it in plain words. A subpoena still
    waiting for its assurance, or an order not signed by a judge, stays on hold; so does
    a request whose client authorization fell short (the request itself is unchanged).
    A complete basis the rules refuse is refused for good (a new basis is a new
    request)."""
    waiting = body["kind"] == "subpoena" and not body.get("assurances")
    unsigned = body["kind"] != "subpoena" and not body["signed_by_judge"]
    authorized = basis.kind in ("release", "part2_consent")
    # A judge's order is compulsory process: a practice promise neither silently
    # refuses it nor is silently broken by it. When promises are all that stand in its
    # way, the request is held for the privacy officer, naming the promises.
    conflicts = promise_conflicts(body, refused)
    with _request_open(user=user, client_id=cid, legal_request_id=rid,
                       detail={"record": "legal_request", "step": "held" if conflicts else "refused"}) as req:
        status = (req.row.status if authorized else "on_hold" if waiting or unsigned or conflicts
                  else "refused")
        req.body["refusals"].append({"rule_ids": list(refused.rule_ids), "basis": basis.kind,
                                     "at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        if conflicts:
            req.body["promise_conflicts"] = conflicts
        req.save(status=status)
        part2 = _part2(cid, req.row.practice_id, req.body)
        lines = _explain(req.body, status, part2)
    if authorized:
        lines.insert(0, "the client's release does not allow this disclosure (it must name what the request names, "
                        "and Part 2 records need a Part 2 consent)")
    rules = "; ".join(refused.rule_ids)
    raise Refused(f"{' '.join(lines)}. Nothing was disclosed ({rules}).", rule_ids=refused.rule_ids)


def privilege_letter(*, user: User, client_id, legal_request_id) -> dict:
    """A PDF letter declining to produce records absent the individual's written
    authorization or a court order, asserting the psychotherapist-patient privilege. It
    neither confirms nor denies that anyone is a client here. Audited and noted on the
    request; not an accounting entry (it discloses no health information)."""
    with _request_open(user=user, client_id=client_id, legal_request_id=legal_request_id,
                       detail={"record": "legal_request", "step": "privilege_letter"}) as req:
        if req.body["kind"] != "subpoena" and req.body["signed_by_judge"]:
            raise Forbidden("privilege letter: an order signed by a judge is answered by release or by a motion, "
                            "not by this letter")
        today = local_today(user.practice_id)
        pdf = render_privilege_letter(practice=user.practice.name, signer=user.full_name, licence=user.licence,
                                      on=today, request=req.body)
        digest = hashlib.sha256(pdf).hexdigest()
        req.body["letters"].append({"sha256": digest, "by": user.pk, "on": today.isoformat()})
        req.save()
        return {"legal_request_id": str(req.row.id), "sha256": digest,
                "pdf_base64": base64.b64encode(pdf).decode(), "disclosure": None,
                "note": "the letter neither confirms nor denies that the person named is a client and holds no "
                        "health information: not an accounting entry; its generation is audited"}


def render_privilege_letter(*, practice: str, signer: str, licence: str, on: date, request: dict) -> bytes:
    from weasyprint import HTML  # heavy import: only when a letter is rendered

    return HTML(string=privilege_letter_html(practice=practice, signer=signer, licence=licence, on=on,
                                             request=request)).write_pdf()


def privilege_letter_html(*, practice: str, signer: str, licence: str, on: date, request: dict) -> str:
    """The letter: to the requester, about their subpoena or order by court and case
    number. It is given the request only, never the client: no client name, no
    clinical content, and the same words for every client (so it says nothing about
    Part 2 or any other program)."""
    e = html.escape
    req = request["requester"]
    what = "subpoena" if request["kind"] == "subpoena" else "order"
    case = " ".join(p for p in (request.get("court", ""), f"case {request['case_number']}" if request.get(
        "case_number") else "") if p)
    parts = [
        f"<p>{e(practice)}<br>{e(on.isoformat())}</p>",
        f"<p>To: {e(req['name'])}" + (f"<br>{e(req['address'])}" if req.get("address") else "") + "</p>",
        f"<p>Re: your {what}" + (f" in {e(case)}" if case else "") + f", received {e(request['received_on'])}</p>",
        "<p>This office can neither confirm nor deny that the person named in your " + what + " is or has been "
        "a client of this practice.</p>",
        "<p>Any records of mental-health treatment, if they exist, are protected by the psychotherapist-patient "
        "privilege and by federal law. Under the HIPAA Privacy Rule (45 CFR 164.512(e)), a subpoena or discovery "
        "request that is not accompanied by an order of a court does not permit disclosure without satisfactory "
        "assurance of notice to the individual or of a qualified protective order, and the privilege may require "
        "more. Some records are protected by other federal confidentiality law that requires a specific court "
        "order.</p>",
        "<p>We therefore assert the privilege on behalf of any person it protects and decline to produce any "
        "records, or to confirm their existence, unless we receive the individual's written authorization or an "
        "order of a court, signed by a judge, that specifically requires the disclosure.</p>",
        f"<p>Sincerely,<br>{e(signer)}" + (f", {e(licence)}" if licence else "") + f"<br>{e(practice)}</p>",
    ]
    style = "<style>body{font-family:serif;font-size:11pt;margin:2cm}</style>"
    return f"<html><head>{style}</head><body>{''.join(parts)}</body></html>"


# --- the privacy officer's decision on a held order ----------------------------------------

# A legal step the privacy officer takes instead of releasing, in plain words.
STEPS = {
    "motion_to_quash": "a motion to quash or modify the order was filed",
    "protective_order_requested": "a protective order was requested from the court",
}
OUTCOMES = ("release", "legal_step")
PRIVACY_OFFICER_ROLE = "practice_admin"


def _latest_step(body: dict) -> dict | None:
    steps = [d for d in body.get("privacy_officer", []) if d.get("outcome") == "legal_step"]
    return steps[-1] if steps else None


def _held_for_officer(row: LegalRequest, body: dict) -> bool:
    return row.status == "on_hold" and bool(body.get("promise_conflicts")) and body["signed_by_judge"]


def _check_decision(outcome, step, revisit_on, note, practice_id) -> dict:
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome: release or legal_step")
    out = {"outcome": outcome, "note": text_field("note", note, required=False, limit=1000)}
    if outcome == "release":
        if step not in (None, "") or revisit_on not in (None, ""):
            raise InvalidInput("step: only a legal step names a step and a date to revisit")
        return out
    if step not in STEPS:
        raise InvalidInput(f"step: one of {', '.join(STEPS)}")
    revisit = _day("revisit_on", revisit_on, required=True)
    if revisit <= local_today(practice_id):
        raise InvalidInput("revisit_on: give a date after today")
    out.update({"step": step, "revisit_on": revisit.isoformat()})
    return out


def _officer_only(user: User) -> None:
    if user.role != PRIVACY_OFFICER_ROLE:
        raise Forbidden("only the privacy officer (the practice administrator) decides an order held for a promise")


def held_legal_requests(*, user: User) -> list[dict]:
    """The privacy officer's list: every judge's order of the practice held because a
    practice promise stands in its way, and those on which a legal step was taken (with
    the date to revisit). Each is opened through the door (INT-PRIVACY-OFFICER-LEGAL:
    the legal request only, never the chart)."""
    _officer_only(user)
    out = []
    rows = (LegalRequest.objects.filter(practice_id=user.practice_id, status="on_hold")
            .order_by("created_at", "id").values_list("client_id", flat=True).distinct())
    for client_id in dict.fromkeys(rows):
        with access.governed(user=user, client_id=client_id, action="read", purpose="HOPERAT",
                             categories={"legal"}, detail={"view": "held_legal_requests"}) as ok:
            dek = data_key_of(ok.client)
            held = LegalRequest.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id,
                                               status="on_hold")
            for row in held.order_by("created_at", "id"):
                body = unseal(dek, LegalRequest, "body_enc", row.id, row.body_enc)
                if _held_for_officer(row, body):
                    view = _view(row.id, row.status, body, _part2(ok.client.id, ok.client.practice_id, body))
                    step = _latest_step(body)
                    view.update({"client_id": str(ok.client.id),
                                 "revisit_on": step["revisit_on"] if step else None})
                    out.append(view)
    return out


def legal_request_decide(*, user: User, client_id, legal_request_id, outcome: str, step: str | None = None,
                         revisit_on=None, note: str | None = None) -> dict:
    """The privacy officer decides a judge's order held for a practice promise: either
    release under the order (the packet goes out through `disclosure_packet_build`, and
    its accounting entry names the promises it was released despite) or the legal step
    taken instead (motion to quash, protective order requested) with a date to revisit,
    the request staying on hold. Audited at the door; the clinician sees the decision on
    the request. The privacy officer never reads the chart: the packet is built and
    stored, and only its summary (categories, not content) comes back. Anyone else is
    turned away at the door (INT-PRIVACY-OFFICER-LEGAL is the admin's alone), as for a
    client that does not exist."""
    decision = _check_decision(outcome, step, revisit_on, note, user.practice_id)
    decision.update({"by": user.full_name, "on": local_today(user.practice_id).isoformat(),
                     "at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    with _request_open(user=user, client_id=client_id, legal_request_id=legal_request_id, purpose="HOPERAT",
                       detail={"record": "legal_request", "step": f"privacy_officer_{outcome}"}) as req:
        if not _held_for_officer(req.row, req.body):
            raise InvalidInput("outcome: this request is not a judge's order held for a practice promise")
        if outcome == "legal_step":
            req.body.setdefault("privacy_officer", []).append(decision)
            req.save(status="on_hold")
            part2 = _part2(req.client_id, req.row.practice_id, req.body)
            return {"legal_request": _view(req.row.id, "on_hold", req.body, part2), "disclosure": None}
        cid, practice_id, rid, body = req.client_id, req.row.practice_id, req.row.id, dict(req.body)
        basis, named = _release_basis(req, None)
    conflicts = ", ".join(body["promise_conflicts"])
    basis = Basis(kind=basis.kind, citation=basis.citation, ref=basis.ref, scope=basis.scope,
                  description=f"{basis.description}; released under the order by the privacy officer despite the "
                              f"practice's promise ({conflicts})",
                  # The client's facts (a Part 2 record) go with the request as for any discloser.
                  flags=basis.flags | {"privacy_officer_release"} | access.client_flags(cid, practice_id))
    period = None
    if body.get("date_from") or body.get("date_to"):
        period = (_day("date_from", body.get("date_from")), _day("date_to", body.get("date_to")))
    requester = body["requester"]
    try:
        summary = disclosure_packet_build(
            user=user, client_id=cid, recipient=Recipient(name=requester["name"], kind=requester["kind"],
                                                          address=requester.get("address", "")),
            purpose="HLEGAL", basis=basis, categories=named, period=period)
    except (Refused, NotFound) as denied:
        rules_ = "; ".join(getattr(denied, "rule_ids", ()) or ())
        raise Refused("refused: the rules do not let this order release anything even after the privacy officer's "
                      "decision (for example Part 2 records need a Part 2 court order). Nothing was disclosed"
                      + (f" ({rules_})" if rules_ else ""), rule_ids=tuple(getattr(denied, "rule_ids", ()) or ()))
    with _request_open(user=user, client_id=cid, legal_request_id=rid, purpose="HOPERAT",
                       detail={"record": "legal_request", "step": "released"}) as req:
        decision["disclosure_id"] = summary["id"]
        req.body.setdefault("privacy_officer", []).append(decision)
        req.body["disclosures"].append({"disclosure_id": summary["id"], "basis": basis.kind, "at": decision["at"]})
        req.save(status="released")
        view = _view(rid, "released", req.body, _part2(cid, req.row.practice_id, req.body))
    return {"legal_request": view, "disclosure": summary, "withheld": sorted(named - set(summary["categories"]))}
