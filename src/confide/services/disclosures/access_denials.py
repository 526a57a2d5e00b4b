"""Denying part of a client's access to their own record (45 CFR 164.524(a), RULES.md
1.10 ACC-1 to ACC-4, ACC-9).

The client's right of access is theirs: no practice promise withholds anything from
them (contract promise 13). What may be withheld is only what one of the grounds below
covers, chosen by a clinician, and the rest is given (ACC-9):

- unreviewable (ACC-1, ACC-2): information compiled for a legal proceeding; information
  obtained from someone other than a health care provider under a promise of
  confidentiality, where access would reveal the source. (Psychotherapy notes are never
  part of the packet: the rules leave them out, S1.)
- reviewable (ACC-3), only on the judgement of a licensed professional: access is
  reasonably likely to endanger the life or physical safety of the client or another
  person; the information refers to another person and access is reasonably likely to
  cause them substantial harm; the request comes from a personal representative and
  access is reasonably likely to cause substantial harm.

A reviewable denial is reviewed by a licensed professional who took no part in it
(ACC-4; the reviewer reaches the record through the door, on the care team) and the
practice follows the reviewer's decision: overturned, the denied part is given. Every
denial carries a written, plain-language letter stating the basis, the review rights
and how to complain (ACC-9). The denial lives on the record request (sealed under the
client's key); every step goes through the door and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from confide.apps.practice.models import User
from confide.apps.records.models import RecordRequest
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.core.policy import CATEGORIES
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal
from confide.services.words import category_word


@dataclass(frozen=True)
class Ground:
    code: str
    reviewable: bool
    citation: str
    words: str  # the plain-language basis the letter states


GROUNDS: dict[str, Ground] = {g.code: g for g in (
    Ground("legal_proceeding", False, "45 CFR 164.524(a)(1)(ii)",
           "it was put together for a court or other legal proceeding, which the law does not require us to give"),
    Ground("confidential_source", False, "45 CFR 164.524(a)(2)(v)",
           "it came from someone outside health care who was promised confidentiality, and giving it to you "
           "would likely reveal who that person is"),
    Ground("endangers_life", True, "45 CFR 164.524(a)(3)(i)",
           "a licensed professional judged that giving it to you is reasonably likely to endanger your life or "
           "physical safety, or someone else's"),
    Ground("harm_to_other_person", True, "45 CFR 164.524(a)(3)(ii)",
           "it is about another person, and a licensed professional judged that giving it is reasonably likely "
           "to cause that person substantial harm"),
    Ground("representative_harm", True, "45 CFR 164.524(a)(3)(iii)",
           "the request was made by a personal representative, and a licensed professional judged that giving it "
           "is reasonably likely to cause substantial harm to the client or another person"),
)}
OUTCOMES = ("upheld", "overturned")
DECIDING_ROLES = ("clinician", "supervisor")
# Categories a denial may cover: what the client's packet would otherwise hold.
DENIABLE = frozenset(CATEGORIES) - {"psychotherapy_notes"}


def _one_line(name: str, raw, limit: int = 500) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > limit or "\n" in raw or "\r" in raw:
        raise InvalidInput(f"{name}: one line (up to {limit} characters)")
    return raw.strip()


def denied_categories(body: dict) -> frozenset[str]:
    """What a request's denial still withholds: nothing once a reviewer overturned it."""
    denial = body.get("denial")
    if not denial or (denial.get("review") or {}).get("outcome") == "overturned":
        return frozenset()
    return frozenset(denial["categories"])


def denial_letter(practice_name: str, denial: dict) -> str:
    """The written denial in plain language (ACC-9): what is withheld and why, the review
    right when there is one, that everything else is given, and how to complain."""
    ground = GROUNDS[denial["ground"]]
    what = ", ".join(category_word(c) for c in denial["categories"])
    lines = [
        f"{practice_name} is giving you your record, except: {what}.",
        f"We are not giving you that part because {ground.words} ({ground.citation}).",
    ]
    if ground.reviewable:
        lines.append("You may ask for this decision to be reviewed. A licensed professional who took no part in it "
                     "will review it, and we will follow their decision. To ask, tell us in writing or through "
                     "the portal.")
    else:
        lines.append("The law does not give a right to have this decision reviewed.")
    lines.append("Everything else in your record is given to you.")
    lines.append(f"If you think we are wrong, you may complain to {practice_name}'s privacy officer, or to the U.S. "
                 "Department of Health and Human Services, Office for Civil Rights (www.hhs.gov/ocr/complaints). "
                 "No one may hold a complaint against you.")
    return "\n".join(lines)


def _view(practice_name: str, denial: dict) -> dict:
    out = {k: denial[k] for k in ("ground", "categories", "reviewable", "citation", "decided_on", "reason")}
    out["review"] = denial.get("review")
    out["letter"] = denial_letter(practice_name, denial)
    return out


def _load(ok, request_id) -> tuple[RecordRequest, dict]:
    rid = access.parse_client_id(request_id)
    row = (RecordRequest.objects.select_for_update().filter(id=rid, client_id=ok.client.id,
                                                            practice_id=ok.client.practice_id).first()
           if rid else None)
    if row is None:
        raise NotFound()
    body = unseal(data_key_of(row), RecordRequest, "body_enc", row.id, row.body_enc) or {}
    return row, body


def _store(row: RecordRequest, body: dict) -> None:
    row.body_enc = seal(data_key_of(row), RecordRequest, "body_enc", row.id, body)
    row.save(update_fields=["body_enc"])


def access_denial_record(*, user: User, client_id, request_id, ground: str, categories, reason: str) -> dict:
    """Withhold `categories` of the client's record from their request on `ground`,
    before it is fulfilled. A reviewable ground needs a licensed professional's
    judgement. Returns the denial with its letter."""
    if ground not in GROUNDS:
        raise InvalidInput(f"ground: one of {', '.join(GROUNDS)} (45 CFR 164.524(a)(1)-(3))")
    spec = GROUNDS[ground]
    if (not isinstance(categories, (list, tuple, set, frozenset)) or not categories
            or not all(isinstance(c, str) and c in DENIABLE for c in categories)):
        raise InvalidInput("categories: name the categories withheld (psychotherapy notes are never given)")
    why = _one_line("reason", reason)
    if user.role not in DECIDING_ROLES:
        raise Forbidden("denial: a clinician decides what is withheld")
    if spec.reviewable and not user.licensed:
        raise Forbidden("denial: this ground needs the judgement of a licensed professional (45 CFR 164.524(a)(3))")
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"disclosures"}, detail={"record": "access_denial", "ground": ground}) as ok:
        row, body = _load(ok, request_id)
        if row.fulfilled_at is not None:
            raise InvalidInput("request: already fulfilled")
        if body.get("denial"):
            raise InvalidInput("request: a denial is already recorded")
        body["denial"] = {"ground": ground, "categories": sorted(set(categories)), "reviewable": spec.reviewable,
                          "citation": spec.citation, "decided_by": user.pk,
                          "decided_on": local_today(ok.client.practice_id).isoformat(),
                          "reason": why, "review": None}
        _store(row, body)
        return _view(user.practice.name, body["denial"])


def access_denial_review(*, user: User, client_id, request_id, outcome: str, reason: str) -> dict:
    """The review of a reviewable denial (ACC-4) by a licensed professional who took no
    part in it; the practice follows it. Overturned after the request was fulfilled, the
    withheld part is given as a packet of its own."""
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome: upheld or overturned")
    why = _one_line("reason", reason)
    if user.role not in DECIDING_ROLES or not user.licensed:
        raise Forbidden("review: a licensed professional reviews a denial (45 CFR 164.524(a)(4))")
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"disclosures"}, detail={"record": "access_denial_review",
                                                             "outcome": outcome}) as ok:
        row, body = _load(ok, request_id)
        denial = body.get("denial")
        if not denial:
            raise InvalidInput("request: no denial to review")
        if not denial["reviewable"]:
            raise InvalidInput("review: this ground is not reviewable (45 CFR 164.524(a)(1)-(2))")
        if denial.get("review"):
            raise InvalidInput("review: already reviewed")
        if denial["decided_by"] == user.pk:
            raise Forbidden("review: the reviewer must not have taken part in the denial (45 CFR 164.524(a)(4))")
        withheld = frozenset(denial["categories"])
        denial["review"] = {"outcome": outcome, "by": user.pk, "reason": why,
                            "on": local_today(ok.client.practice_id).isoformat()}
        _store(row, body)
        cid, fulfilled = ok.client.id, row.fulfilled_at is not None
        view = _view(user.practice.name, denial)
    view["disclosure"] = None
    if outcome == "overturned" and fulfilled:
        from confide.services.disclosures.record_requests import give_withheld

        view["disclosure"] = give_withheld(user=user, client_id=cid, request_id=row.id, categories=withheld)
    return view


def access_denial_of(*, user: User, client_id, request_id) -> dict | None:
    """The denial on a request (the client reads their own letter), or None."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "access_denial"}) as ok:
        rid = access.parse_client_id(request_id)
        row = (RecordRequest.objects.filter(id=rid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
               if rid else None)
        if row is None:
            raise NotFound()
        body = unseal(data_key_of(row), RecordRequest, "body_enc", row.id, row.body_enc) or {}
        return _view(user.practice.name, body["denial"]) if body.get("denial") else None

