"""Releases of information: HIPAA authorizations (45 CFR 164.508), authorizations that
name psychotherapy notes (164.508(a)(2)) and Part 2 consents (42 CFR 2.31).

A release is prepared by the client's treating clinician with every core element of
164.508(c)(1) (RULES.md 1.2.2), and for a Part 2 consent those of 2.31(a) (RULES.md
2.1); the required statements of 164.508(c)(2) (RULES.md 1.2.3) are fixed, versioned
text rendered into the document. One that lacks an element is refused with the list of
every missing element. It is then signed by the client, or by a personal representative
where the law makes them one (RULES.md 1.4), with a typed name: the exact PDF rendered
at signing is stored with its SHA-256. A wet-signed PDF may be uploaded instead.
A release is never edited: to change one, revoke it and prepare another.

Every use checks that it is still valid (164.508(b)(2)): signed, not expired by date or
event, not revoked, complete and not compound. Revocation takes effect at once;
disclosures made before it stay in the accounting (Disclosure rows are never deleted).

Every read and write goes through the door (`access.governed`) with category
"consents"; disclosures go through `disclosures.disclosure_packet_build` only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import uuid
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from fhir.resources.R4B.consent import Consent

from confide.apps.practice.models import User
from confide.apps.records.models import Client, Release
from confide.core.errors import InvalidInput, NotFound, Refused
from confide.core.policy import CATEGORIES, RECIPIENTS
from confide.services import access
from confide.services.demo import data as demo_data
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_packet_build,
)
from confide.services.keys import data_key_of
from confide.services.policy import rules
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal
from confide.services.topics import check_topics

KINDS = ("hipaa", "part2", "psychotherapy_notes")
# The basis each kind of release gives a disclosure (confide.core.policy.BASES).
BASIS_KIND = {"hipaa": "release", "psychotherapy_notes": "pn_release", "part2": "part2_consent"}
CITATION = {"hipaa": "45 CFR 164.508", "psychotherapy_notes": "45 CFR 164.508(a)(2)", "part2": "42 CFR 2.31; 42 CFR 2.32"}
TITLE = {
    "hipaa": "Authorization to release health information",
    "psychotherapy_notes": "Authorization to release psychotherapy notes",
    "part2": "Consent to disclose substance use disorder records (42 CFR Part 2)",
}
LABEL = {"hipaa": "Authorization", "psychotherapy_notes": "Psychotherapy-notes authorization",
         "part2": "Part 2 consent"}

# Purpose-of-use codes (HL7 v3-ActReason, RULES.md 7.3) a release may name for the
# disclosures it allows. Emergency, threat and public-health codes belong to the
# exceptions, never to an authorization.
PURPOSE_CODES = frozenset({"PATRQT", "TREAT", "COC", "HPAYMT", "HOPERAT", "PWATRNY", "FAMRQT", "HLEGAL"})
# When the release names none: to a provider, coordination of care; to a health plan,
# payment; otherwise "at the request of the individual" (164.508(c)(1)(iv)).
DEFAULT_PURPOSE = {"provider": "COC", "hospital": "COC", "insurer": "HPAYMT"}

# The elements whose absence makes a release invalid (164.508(c)(1), 2.31(a)), by the
# name the refusal uses. The signature (AUTH-E6, P2C-8, P2C-9) comes at signing.
ELEMENTS = ("description", "categories", "discloser", "recipient", "recipient_kind", "purposes", "expiry")
PART2_ELEMENTS = ("sud_description",)
FIELDS = frozenset({"description", "categories", "discloser", "recipient", "purposes", "expires_on", "expiry_event",
                    "topics", "purpose_of_use", "sud_description"})
RECIPIENT_FIELDS = frozenset({"name", "kind", "address"})

MAX_SIGNED_PDF_BYTES = 5_000_000
AGE_OF_MAJORITY = 18
WET_SIGNED_WITHIN_DAYS = 366

# The required statements (164.508(c)(2), RULES.md 1.2.3 AUTH-S1..S3; 2.31(a) P2C-6,
# P2C-10), as fixed text per version. A release records the version it was prepared
# under, and is always rendered with that version's text. Never edit a published
# version: add a new one and point STATEMENTS_VERSION at it.
STATEMENTS_VERSION = "2026-11-21"
STATEMENTS = {
    "2026-11-21": {
        "hipaa": {
            "S1": ("Your right to revoke. You may revoke (cancel) this authorization at any time, in writing: "
                   "give or send a signed note to {practice}, or use Revoke in your client portal. Revoking stops "
                   "every disclosure from that moment on. It does not undo a disclosure already made in reliance "
                   "on this authorization."),
            "S2": ("You do not have to sign. {practice} will not make your treatment, payment, enrollment in a "
                   "health plan or eligibility for benefits depend on whether you sign this authorization."),
            "S3": ("Information disclosed under this authorization may be disclosed again by the person or "
                   "organization that receives it, and may then no longer be protected by federal privacy law "
                   "(the HIPAA Privacy Rule)."),
        },
        "psychotherapy_notes": {
            "S1": ("Your right to revoke. You may revoke (cancel) this authorization at any time, in writing: "
                   "give or send a signed note to {practice}, or use Revoke in your client portal. Revoking stops "
                   "every disclosure from that moment on. It does not undo a disclosure already made in reliance "
                   "on this authorization."),
            "S2": ("You do not have to sign. Your treatment, payment, enrollment in a health plan and eligibility "
                   "for benefits never depend on whether you sign an authorization for psychotherapy notes. This "
                   "authorization covers psychotherapy notes only and is not combined with any other "
                   "authorization."),
            "S3": ("Psychotherapy notes disclosed under this authorization may be disclosed again by the person or "
                   "organization that receives them, and may then no longer be protected by federal privacy law "
                   "(the HIPAA Privacy Rule)."),
        },
        "part2": {
            "S1": ("Your right to revoke. You may revoke (cancel) this consent at any time, in writing: give or "
                   "send a signed note to {practice}, or use Revoke in your client portal. Revoking stops every "
                   "disclosure from that moment on. It does not undo action already taken in reliance on this "
                   "consent."),
            "S2": ("You do not have to sign. {practice} will not make your treatment, payment, enrollment in a "
                   "health plan or eligibility for benefits depend on whether you sign this consent."),
            "S3": ("These records are protected by federal confidentiality rules (42 CFR part 2). Whoever "
                   "receives them may use and disclose them only as this consent or 42 CFR part 2 allows. A "
                   "recipient that is a HIPAA covered entity or business associate may disclose them again as the "
                   "HIPAA Privacy Rule permits, but never use or disclose them in a civil, criminal, "
                   "administrative or legislative proceeding against you without your written consent or a court "
                   "order under 42 CFR part 2. Each disclosure carries a notice saying so."),
        },
    },
}
STATEMENT_HEADINGS = {"S1": "Revoking", "S2": "Signing is your choice", "S3": "What the recipient may do"}


# --- checking what is submitted ---------------------------------------------------

def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not value or all(isinstance(v, str) and not v.strip() for v in value)
    return False


def missing_elements(kind: str, data: dict) -> list[str]:
    """The names of every required element `data` lacks, sorted."""
    missing = [name for name in ("description", "categories", "discloser", "purposes") if _blank(data.get(name))]
    recipient = data.get("recipient")
    if _blank(recipient) or (isinstance(recipient, dict) and _blank(recipient.get("name"))):
        missing.append("recipient")
    elif isinstance(recipient, dict) and _blank(recipient.get("kind")):
        missing.append("recipient_kind")
    if _blank(data.get("expires_on")) and _blank(data.get("expiry_event")):
        missing.append("expiry")
    if kind == "part2":
        missing += [name for name in PART2_ELEMENTS if _blank(data.get(name))]
    return sorted(missing)


def _text(name: str, value, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{name}: expected text")
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidInput(f"{name}: give 1 to {limit} characters")
    return value


def _date(name: str, value) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value
    try:
        if isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidInput(f"{name}: expected a date as YYYY-MM-DD")


def check_categories(kind: str, value) -> list[str]:
    """A release's categories, checked against the compounding rules: psychotherapy
    notes only in their own authorization, and only alone (164.508(b)(3)(ii)); records
    of a Part 2 program only in a Part 2 consent (2.31)."""
    if not isinstance(value, (list, tuple)) or len(value) > len(CATEGORIES):
        raise InvalidInput("categories: give a list of information categories")
    if not all(isinstance(c, str) and c in CATEGORIES for c in value):
        raise InvalidInput(f"categories: each must be one of {', '.join(sorted(CATEGORIES))}")
    cats = sorted(set(value))
    pn = "psychotherapy_notes"
    if kind == "psychotherapy_notes" and cats != [pn]:
        raise InvalidInput("categories: a psychotherapy-notes release names psychotherapy_notes and nothing else "
                           "(45 CFR 164.508(b)(3)(ii)); prepare a separate release for the rest")
    if kind != "psychotherapy_notes" and pn in cats:
        raise InvalidInput("categories: psychotherapy notes need their own psychotherapy-notes release and cannot "
                           "be combined with other information (45 CFR 164.508(b)(3)(ii))")
    if kind == "hipaa" and "substance_use" in cats:
        raise InvalidInput("categories: substance-use disorder records need a Part 2 consent (42 CFR 2.31)")
    if kind == "part2" and "substance_use" not in cats:
        raise InvalidInput("categories: a Part 2 consent names substance_use, the records it covers (42 CFR 2.31(a))")
    return cats


def check_release(kind, data, *, today: date | None = None) -> dict:
    """Validate a release's elements; return the body to store (without patient name
    and authorship). Raises InvalidInput with one line; never echoes the values."""
    if kind not in KINDS:
        raise InvalidInput(f"kind: must be one of {', '.join(KINDS)}")
    if not isinstance(data, dict):
        raise InvalidInput("release: expected an object")
    if set(data) - FIELDS:
        raise InvalidInput(f"release: unknown field (known: {', '.join(sorted(FIELDS))})")
    missing = missing_elements(kind, data)
    if missing:
        raise InvalidInput(f"release incomplete: missing {', '.join(missing)}")
    today = today or date.today()
    body: dict = {"kind": kind, "description": _text("description", data["description"], 2000),
                  "categories": check_categories(kind, data["categories"]),
                  "discloser": _text("discloser", data["discloser"], 200)}
    recipient = data["recipient"]
    if not isinstance(recipient, dict) or set(recipient) - RECIPIENT_FIELDS:
        raise InvalidInput("recipient: give name, kind and (optionally) address")
    if not isinstance(recipient["kind"], str) or recipient["kind"] not in RECIPIENTS:
        raise InvalidInput(f"recipient: kind must be one of {', '.join(sorted(RECIPIENTS))}")
    address = recipient.get("address")
    body["recipient"] = {"name": _text("recipient.name", recipient["name"], 200), "kind": recipient["kind"],
                         "address": "" if _blank(address) else _text("recipient.address", address, 400)}
    purposes = data["purposes"]
    if not isinstance(purposes, (list, tuple)) or len(purposes) > 10:
        raise InvalidInput("purposes: give a list of 1 to 10 purposes")
    body["purposes"] = [_text("purposes", p, 300) for p in purposes if not (isinstance(p, str) and not p.strip())]
    expires_on = None if _blank(data.get("expires_on")) else _date("expires_on", data["expires_on"])
    if expires_on is not None and expires_on <= today:
        raise InvalidInput("expires_on: must be after today")
    body["expires_on"] = expires_on.isoformat() if expires_on else None
    body["expiry_event"] = None if _blank(data.get("expiry_event")) else _text("expiry_event", data["expiry_event"], 300)
    body["topics"] = check_topics(data.get("topics"))
    purpose = data.get("purpose_of_use")
    if purpose is None:
        purpose = DEFAULT_PURPOSE.get(body["recipient"]["kind"], "PATRQT")
    elif not isinstance(purpose, str) or purpose not in PURPOSE_CODES:
        raise InvalidInput(f"purpose_of_use: must be one of {', '.join(sorted(PURPOSE_CODES))}")
    body["purpose_of_use"] = purpose
    if kind == "part2":
        body["sud_description"] = _text("sud_description", data["sud_description"], 2000)
    elif not _blank(data.get("sud_description")):
        raise InvalidInput("sud_description: only a Part 2 consent describes substance-use records")
    body["statements_version"] = STATEMENTS_VERSION
    return body


# --- reading the stored release ----------------------------------------------------

def _release_id(raw) -> uuid.UUID | None:
    return access.parse_client_id(raw)


def _row(client_id, release_id, *, practice_id, lock: bool = False) -> Release:
    """The client's release, named with its practice (on Citus, a read of the
    practice's shard alone); `lock`: its row locked."""
    if release_id is None:
        raise NotFound()
    rows = Release.objects.filter(id=release_id, client_id=client_id, practice_id=practice_id)
    row = (rows.select_for_update() if lock else rows).first()
    if row is None:
        raise NotFound()
    return row


def _body(row: Release) -> dict:
    return unseal(data_key_of(row), Release, "body_enc", row.id, row.body_enc) or {}


def _signature(row: Release) -> dict | None:
    return unseal(data_key_of(row), Release, "signature_enc", row.id, row.signature_enc)


def _lifecycle(row: Release) -> dict:
    """Revocation and expiry-event records (kept in `revocation_enc`)."""
    return unseal(data_key_of(row), Release, "revocation_enc", row.id, row.revocation_enc) or {}


def _local_date(row: Release, now: datetime) -> date:
    return now.astimezone(ZoneInfo(row.practice.timezone)).date()


def release_problem(row: Release, body: dict, now: datetime) -> str | None:
    """Why the release cannot be relied on at `now` (164.508(b)(2); 2.31(c)), or None."""
    kind = body.get("kind")
    if kind not in KINDS:
        return "its kind is unknown"
    missing = missing_elements(kind, body)
    if missing:
        return f"incomplete: missing {', '.join(missing)} (45 CFR 164.508(b)(2)(ii))"
    try:
        check_categories(kind, body["categories"])
    except InvalidInput:
        return "it combines what may not be combined (45 CFR 164.508(b)(3))"
    if row.signed_at is None or row.signed_at > now:
        return "not signed (45 CFR 164.508(c)(1)(vi))"
    if row.revoked_at is not None and row.revoked_at <= now:
        return "revoked (45 CFR 164.508(b)(5))"
    if body.get("expires_on") and date.fromisoformat(body["expires_on"]) < _local_date(row, now):
        return "expired on its date (45 CFR 164.508(b)(2)(i))"
    if row.expired_at is not None and row.expired_at <= now:
        return "expired: its expiry event occurred (45 CFR 164.508(b)(2)(i))"
    return None


def release_status(row: Release, body: dict, now: datetime) -> str:
    """draft, active, revoked, expired or rejected (defective)."""
    if row.revoked_at is not None and row.revoked_at <= now:
        return "revoked"
    problem = release_problem(row, body, now)
    if problem is None:
        return "active"
    if problem.startswith("not signed"):
        return "draft"
    if problem.startswith("expired"):
        return "expired"
    return "rejected"


def _consent_summary(row: Release, body: dict) -> str:
    """42 CFR 2.32(b): a clear explanation of the consent's scope, for the recipient."""
    cats = ", ".join(c.replace("_", " ") for c in body["categories"])
    ends = _ends(body)
    return (f"The patient signed a written consent under 42 CFR part 2 on {_local_date(row, row.signed_at).isoformat()}. "
            f"It permits {body['discloser']} to disclose {cats} ({body['sud_description']}) to "
            f"{body['recipient']['name']} for: {'; '.join(body['purposes'])}. It ends {ends}, and the patient may "
            f"revoke it in writing at any time. It permits nothing else.")


def _ends(body: dict) -> str:
    parts = []
    if body.get("expires_on"):
        parts.append(f"on {body['expires_on']}")
    if body.get("expiry_event"):
        parts.append(f"when this happens: {body['expiry_event']}")
    return " or ".join(parts) + (", whichever comes first" if len(parts) == 2 else "")


def release_basis(release: Release, now: datetime | None = None, *, body: dict | None = None) -> Basis:
    """The basis a disclosure under this release rests on, checked at this use
    (164.508(b)(2)): raises Refused naming why when the release is not valid now.
    Call it only after the door permitted reading the release."""
    now = now or datetime.now(timezone.utc)
    body = _body(release) if body is None else body
    problem = release_problem(release, body, now)
    if problem:
        raise Refused(f"release not valid: {problem}")
    kind = body["kind"]
    return Basis(
        kind=BASIS_KIND[kind], citation=CITATION[kind],
        description=f"{LABEL[kind]} signed {_local_date(release, release.signed_at).isoformat()}",
        ref=str(release.id), scope=frozenset(body["categories"]), topics=frozenset(body.get("topics") or ()),
        release_id=release.id,
        consent_summary=_consent_summary(release, body) if kind == "part2" else "",
    )


# --- the door, with a clear answer to a parent who is not the signer -----------------

@contextmanager
def _door(user: User, client_id, *, action: str, purpose: str, detail: dict):
    """access.governed on the "consents" category. A parent whose child consented to
    the care alone under state law is denied by US-HIPAA-AUTH-REPRESENTATIVE; they know
    the client exists, so they are told why instead of "not found"."""
    try:
        with access.governed(user=user, client_id=client_id, action=action, purpose=purpose,
                             categories={"consents"}, detail=detail) as ok:
            yield ok
    except NotFound:
        if user.role == "representative":
            cid = access.parse_client_id(client_id)
            rels = access.relationships_of(user, cid, datetime.now(timezone.utc))
            if (cid is not None and "representative" in rels
                    and "minor_self_consented" in access.client_flags(cid, user.practice_id)):
                raise Refused("US-HIPAA-AUTH-REPRESENTATIVE: the minor consented to this care alone under state "
                              "law, so the minor, not the parent, reads and signs their releases "
                              "(45 CFR 164.502(g)(3)(i)(A))", rule_ids=("US-HIPAA-AUTH-REPRESENTATIVE",)) from None
        raise


# --- prepare, list, read --------------------------------------------------------------

def release_create(*, user: User, client_id, kind: str, data: dict) -> uuid.UUID:
    """The treating clinician prepares a release (a draft until signed)."""
    body = check_release(kind, data)
    # The document names the client (P2C-1): the legal name, read through the door.
    with access.governed(user=user, client_id=client_id, action="read", purpose="TREAT", categories={"identity"},
                         detail={"view": "release.create"}) as ok:
        client = Client.objects.get(id=ok.client.id, practice_id=ok.client.practice_id)
        identity = unseal(data_key_of(client), Client, "identity_enc", client.id, client.identity_enc) or {}
    with access.governed(user=user, client_id=client.id, action="write", purpose="TREAT", categories={"consents"},
                         detail={"record": "release", "kind": kind}) as ok:
        now = datetime.now(timezone.utc)
        body = {**body, "patient_name": identity.get("legal_name", ""),
                "created_at": now.isoformat(timespec="seconds"),
                "created_by": {"id": user.pk, "name": user.full_name, "licence": user.licence}}
        rid = uuid.uuid4()
        Release.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, created_by=user,
                               body_enc=seal(data_key_of(ok.client), Release, "body_enc", rid, body))
    return rid


def _view(row: Release, body: dict, now: datetime, *, full: bool) -> dict:
    signature = _signature(row) if row.signature_enc is not None else None
    out = {"id": str(row.id), "kind": body.get("kind"), "status": release_status(row, body, now),
           "recipient": body.get("recipient"), "categories": body.get("categories", []),
           "expires_on": body.get("expires_on"), "expiry_event": body.get("expiry_event"),
           "created_at": row.created_at.isoformat(timespec="seconds"),
           "signed_at": row.signed_at.isoformat(timespec="seconds") if row.signed_at else None,
           "revoked_at": row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else None,
           "expired_at": row.expired_at.isoformat(timespec="seconds") if row.expired_at else None}
    lifecycle = _lifecycle(row) if row.revocation_enc is not None else {}
    out["sent_at"] = (lifecycle.get("sent") or {}).get("at")
    if full:
        out.update({k: body.get(k) for k in ("description", "discloser", "purposes", "purpose_of_use", "topics",
                                             "sud_description", "statements_version", "patient_name")})
        known = body.get("kind") in KINDS and body.get("statements_version") in STATEMENTS
        out["statements"] = _statements(body, row.practice.name) if known else None
        out["problem"] = release_problem(row, body, now)
        out["signature"] = ({k: signature.get(k) for k in ("signer", "role", "representative_authority", "method",
                                                             "document_sha256", "signed_on")}
                            if signature else None)
        out["revocation"] = lifecycle.get("revocation")
        out["expiry_event_recorded"] = lifecycle.get("expiry_event")
    return out


def release_list(*, user: User, client_id) -> list[dict]:
    """The client's releases, newest first (to the client, their representative where
    the rules allow, and their clinicians)."""
    with _door(user, client_id, action="read", purpose=access.default_purpose(user),
               detail={"view": "release.list"}) as ok:
        now = datetime.now(timezone.utc)
        rows = (Release.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
                .select_related("practice").order_by("-created_at", "id"))
        return [_view(r, _body(r), now, full=False) for r in rows]


def release_get(*, user: User, client_id, release_id) -> dict:
    with _door(user, client_id, action="read", purpose=access.default_purpose(user),
               detail={"view": "release"}) as ok:
        row = _row(ok.client.id, _release_id(release_id), practice_id=ok.client.practice_id)
        return _view(row, _body(row), datetime.now(timezone.utc), full=True)


def release_document(*, user: User, client_id, release_id) -> tuple[bytes, str]:
    """The signed document exactly as signed or uploaded (a PDF, or a scanned image),
    with its content type; a draft is rendered now."""
    data = release_pdf(user=user, client_id=client_id, release_id=release_id)
    return data, document_type(data) or "application/pdf"


def release_pdf(*, user: User, client_id, release_id) -> bytes:
    """The signed document exactly as signed (or uploaded); a draft is rendered now."""
    with _door(user, client_id, action="read", purpose=access.default_purpose(user),
               detail={"view": "release.pdf"}) as ok:
        row = _row(ok.client.id, _release_id(release_id), practice_id=ok.client.practice_id)
        if row.document_enc is not None:
            stored = unseal(data_key_of(row), Release, "document_enc", row.id, row.document_enc)
            return base64.b64decode(stored["pdf"])
        return render_release_pdf(_body(row), practice_name=row.practice.name, release_id=row.id)


# --- signing --------------------------------------------------------------------------

def _age(dob: str | None, today: date) -> int | None:
    try:
        born = date.fromisoformat(dob) if dob else None
    except (TypeError, ValueError):
        return None
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def check_signer(client: Client, signer_role: str, today: date) -> None:
    """Who signs for this client (RULES.md 1.4): an adult signs for themselves; a minor
    signs alone only where they consented to the care alone under state law (Washington:
    13 and over, RCW 71.34.530), and then the parent is not the personal representative
    (PR-3a); otherwise the parent or guardian signs. A policy-information read of the
    client's date of birth and consent fact, made only after the door permitted the
    signing; nothing of either leaves this function."""
    dek = data_key_of(client)
    identity = unseal(dek, Client, "identity_enc", client.id, client.identity_enc) or {}
    fact = unseal(dek, Client, "fact_enc", client.id, client.fact_enc) or {}
    age = _age(identity.get("dob"), today)
    if age is None or age >= AGE_OF_MAJORITY:
        return
    jurisdiction = client.practice.jurisdiction
    statute = rules().fact("minor_consent", jurisdiction)
    min_age = statute.data.get("min_age") if statute else None
    alone = fact.get("minor_consent") == "self" and min_age is not None and age >= min_age
    if signer_role == "representative" and alone:
        raise Refused(f"the minor consented to this care alone under state law ({statute.citation}); only the minor "
                      "signs, not the parent (45 CFR 164.502(g)(3)(i)(A))", rule_ids=(statute.id,))
    if signer_role == "client" and not alone:
        raise Refused("a minor who did not consent to this care alone under state law does not sign; the parent "
                      "or guardian signs as personal representative (45 CFR 164.502(g)(3)(i))")


def _signable(row: Release, body: dict, now: datetime) -> None:
    if row.signed_at is not None:
        raise InvalidInput("release: already signed; a signed release is never signed again or changed")
    if row.revoked_at is not None:
        raise InvalidInput("release: revoked; prepare a new one")
    if row.expired_at is not None or (body.get("expires_on")
                                      and date.fromisoformat(body["expires_on"]) < _local_date(row, now)):
        raise InvalidInput("release: expired; prepare a new one")


def _signer_role(user: User) -> str:
    if user.role == "client":
        return "client"
    if user.role == "representative":
        return "representative"
    raise InvalidInput("signing: only the client or their personal representative signs here; "
                       "staff upload a wet-signed copy")


def _authority(signer_role: str, value) -> str | None:
    if signer_role == "representative":
        if _blank(value):
            raise InvalidInput("representative_authority: a personal representative describes their authority to "
                               "act for the client (45 CFR 164.508(c)(1)(vi))")
        return _text("representative_authority", value, 500)
    if not _blank(value):
        raise InvalidInput("representative_authority: only a personal representative gives one")
    return None


def _store_signature(row: Release, signature: dict, pdf: bytes, signed_at: datetime) -> None:
    dek = data_key_of(row)
    signature = {**signature, "document_sha256": hashlib.sha256(pdf).hexdigest()}
    row.signature_enc = seal(dek, Release, "signature_enc", row.id, signature)
    row.document_enc = seal(dek, Release, "document_enc", row.id, {"pdf": base64.b64encode(pdf).decode("ascii")})
    row.signed_at = signed_at
    row.save(update_fields=["signature_enc", "document_enc", "signed_at"])


def release_sign(*, user: User, client_id, release_id, typed_name, representative_authority=None) -> dict:
    """The client (or their personal representative) signs with a typed name. The PDF
    rendered at this moment, signature included, is stored with its SHA-256."""
    signer_role = _signer_role(user)
    typed_name = _text("typed_name", typed_name, 200)
    authority = _authority(signer_role, representative_authority)
    rid = _release_id(release_id)
    with _door(user, client_id, action="write", purpose=access.default_purpose(user),
               detail={"record": "release.sign"}) as ok:
        row = _row(ok.client.id, rid, lock=True, practice_id=ok.client.practice_id)
        now = datetime.now(timezone.utc)
        body = _body(row)
        _signable(row, body, now)
        client = Client.objects.select_related("practice").get(id=ok.client.id, practice_id=ok.client.practice_id)
        check_signer(client, signer_role, _local_date(row, now))
        signature = {"signer": typed_name, "signer_user_id": user.pk, "role": signer_role,
                     "representative_authority": authority, "method": "typed",
                     "signed_on": _local_date(row, now).isoformat(), "signed_at": now.isoformat(timespec="seconds")}
        pdf = render_release_pdf(body, practice_name=row.practice.name, release_id=row.id, signature=signature)
        _store_signature(row, signature, pdf, now)
        return {"id": str(row.id), "signed_at": now.isoformat(timespec="seconds"),
                "document_sha256": hashlib.sha256(pdf).hexdigest()}


# A wet-signed copy is a PDF or a scan of the paper (PNG or JPEG), by its first bytes.
DOCUMENT_TYPES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def document_type(data: bytes) -> str | None:
    return next((kind for magic, kind in DOCUMENT_TYPES if data.startswith(magic)), None)


def decode_pdf(pdf_base64) -> bytes:
    if not isinstance(pdf_base64, str) or len(pdf_base64) > (MAX_SIGNED_PDF_BYTES * 4) // 3 + 8:
        raise InvalidInput(f"pdf_base64: give a base64-encoded PDF of at most {MAX_SIGNED_PDF_BYTES} bytes")
    try:
        pdf = base64.b64decode("".join(pdf_base64.split()), validate=True)  # line breaks allowed
    except (binascii.Error, ValueError):
        raise InvalidInput("pdf_base64: not valid base64") from None
    if document_type(pdf) is None:
        raise InvalidInput("pdf_base64: not a PDF (a PDF starts with %PDF-) or a scanned image (PNG or JPEG)")
    if len(pdf) > MAX_SIGNED_PDF_BYTES:
        raise InvalidInput(f"pdf_base64: larger than {MAX_SIGNED_PDF_BYTES} bytes")
    return pdf


def release_upload_signed(*, user: User, client_id, release_id, pdf_base64, signer_name, signer_role,
                          representative_authority=None, signed_on=None) -> dict:
    """Staff upload the wet-signed paper release: method "wet", hash of the uploaded
    bytes. `signed_on` is the date on the paper (today by default, within the last year)."""
    pdf = decode_pdf(pdf_base64)
    signer_name = _text("signer_name", signer_name, 200)
    if signer_role not in ("client", "representative"):
        raise InvalidInput("signer_role: must be client or representative")
    authority = _authority(signer_role, representative_authority)
    today = local_today(user.practice_id)
    day = today if signed_on is None else _date("signed_on", signed_on)
    if day > today or day < today - timedelta(days=WET_SIGNED_WITHIN_DAYS):
        raise InvalidInput("signed_on: the date on the paper, not in the future and within the last year")
    rid = _release_id(release_id)
    with _door(user, client_id, action="write", purpose="TREAT", detail={"record": "release.upload"}) as ok:
        row = _row(ok.client.id, rid, lock=True, practice_id=ok.client.practice_id)
        now = datetime.now(timezone.utc)
        body = _body(row)
        _signable(row, body, now)
        if body.get("expires_on") and date.fromisoformat(body["expires_on"]) < day:
            raise InvalidInput("signed_on: after the release's expiry date")
        client = Client.objects.select_related("practice").get(id=ok.client.id, practice_id=ok.client.practice_id)
        check_signer(client, signer_role, day)
        signed_at = now if day >= _local_date(row, now) else datetime.combine(day, time(12, 0), tzinfo=timezone.utc)
        signature = {"signer": signer_name, "role": signer_role, "representative_authority": authority,
                     "method": "wet", "signed_on": day.isoformat(), "received_at": now.isoformat(timespec="seconds"),
                     "recorded_by": {"id": user.pk, "name": user.full_name}}
        _store_signature(row, signature, pdf, signed_at)
        return {"id": str(row.id), "signed_at": signed_at.isoformat(timespec="seconds"),
                "document_sha256": hashlib.sha256(pdf).hexdigest()}


def release_send(*, user: User, client_id, release_id) -> dict:
    """Put a draft in front of the client (or their representative) in the portal, to
    read and sign: recorded on the release, audited. Sending twice is harmless."""
    rid = _release_id(release_id)
    with _door(user, client_id, action="write", purpose="TREAT", detail={"record": "release.send"}) as ok:
        row = _row(ok.client.id, rid, lock=True, practice_id=ok.client.practice_id)
        now = datetime.now(timezone.utc)
        _signable(row, _body(row), now)
        lifecycle = _lifecycle(row)
        lifecycle.setdefault("sent", {"by_user_id": user.pk, "at": now.isoformat(timespec="seconds")})
        row.revocation_enc = seal(data_key_of(row), Release, "revocation_enc", row.id, lifecycle)
        row.save(update_fields=["revocation_enc"])
        return {"id": str(row.id), "sent_at": lifecycle["sent"]["at"]}


# --- revocation and expiry events -----------------------------------------------------

def release_revoke(*, user: User, client_id, release_id, how) -> dict:
    """Revoke at once: by the client (or representative) in the portal, or by staff
    recording a written revocation (`how`: how it arrived). Disclosures made before stay
    in the accounting."""
    how = _text("how", how, 500)
    rid = _release_id(release_id)
    with _door(user, client_id, action="write", purpose=access.default_purpose(user),
               detail={"record": "release.revoke"}) as ok:
        row = _row(ok.client.id, rid, lock=True, practice_id=ok.client.practice_id)
        if row.revoked_at is not None:
            raise InvalidInput("release: already revoked")
        now = datetime.now(timezone.utc)
        lifecycle = _lifecycle(row)
        lifecycle["revocation"] = {"how": how, "by_role": user.role, "by_user_id": user.pk,
                                   "at": now.isoformat(timespec="seconds")}
        row.revoked_at = now
        row.revocation_enc = seal(data_key_of(row), Release, "revocation_enc", row.id, lifecycle)
        row.save(update_fields=["revoked_at", "revocation_enc"])
        return {"id": str(row.id), "revoked_at": now.isoformat(timespec="seconds")}


def release_expire_event(*, user: User, client_id, release_id, occurred_on, note: str = "") -> dict:
    """Record that the release's expiry event occurred: from now on it permits nothing."""
    day = _date("occurred_on", occurred_on)
    if day > local_today(user.practice_id):
        raise InvalidInput("occurred_on: not in the future")
    note = "" if _blank(note) else _text("note", note, 500)
    rid = _release_id(release_id)
    with _door(user, client_id, action="write", purpose=access.default_purpose(user),
               detail={"record": "release.expire_event"}) as ok:
        row = _row(ok.client.id, rid, lock=True, practice_id=ok.client.practice_id)
        if not _body(row).get("expiry_event"):
            raise InvalidInput("release: it names no expiry event (it ends on its date)")
        if row.expired_at is not None:
            raise InvalidInput("release: its expiry event is already recorded")
        now = datetime.now(timezone.utc)
        lifecycle = _lifecycle(row)
        lifecycle["expiry_event"] = {"occurred_on": day.isoformat(), "note": note, "by_role": user.role,
                                     "by_user_id": user.pk, "at": now.isoformat(timespec="seconds")}
        row.expired_at = now
        row.revocation_enc = seal(data_key_of(row), Release, "revocation_enc", row.id, lifecycle)
        row.save(update_fields=["expired_at", "revocation_enc"])
        return {"id": str(row.id), "expired_at": now.isoformat(timespec="seconds")}


# --- disclosing -------------------------------------------------------------------------

def release_disclose(*, user: User, client_id, release_id, categories=None) -> dict:
    """Make the disclosure the release allows, to the recipient it names, for the
    purpose it names (purpose_of_use: PATRQT "at the request of the individual" unless
    the release names another, COC to a provider, HPAYMT to a health plan), through
    `disclosure_packet_build`. `categories` narrows it to some of what the release names
    (all of them by default). The release is checked at this use."""
    if categories is not None:
        if not isinstance(categories, (list, tuple)) or not categories or not all(
                isinstance(c, str) and c in CATEGORIES for c in categories):
            raise InvalidInput("categories: give a non-empty list of information categories")
    rid = _release_id(release_id)
    refusal = None
    with _door(user, client_id, action="read", purpose="TREAT", detail={"view": "release.disclose"}) as ok:
        cid = ok.client.id
        row = _row(cid, rid, practice_id=ok.client.practice_id)
        body = _body(row)
        try:
            basis = release_basis(row, datetime.now(timezone.utc), body=body)
        except Refused as exc:
            refusal = exc  # raised after the door's audit row is committed
    if refusal is not None:
        raise refusal
    wanted = set(body["categories"]) if categories is None else set(categories)
    outside = sorted(wanted - set(body["categories"]))
    if outside:
        raise InvalidInput(f"categories: the release does not name {', '.join(outside)}")
    recipient = Recipient(**body["recipient"])
    summary = disclosure_packet_build(user=user, client_id=cid, recipient=recipient, purpose=body["purpose_of_use"],
                                      basis=basis, categories=wanted)
    return {**summary, "release_id": str(row.id), "recipient": recipient.as_dict(), "purpose": body["purpose_of_use"]}


# --- FHIR --------------------------------------------------------------------------------

CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_POLICY = "http://terminology.hl7.org/CodeSystem/consentpolicycodes"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
LOINC = "http://loinc.org"
EXT = "https://confide.example/fhir/StructureDefinition/"
FHIR_STATUS = {"draft": "draft", "active": "active", "revoked": "inactive", "expired": "inactive",
               "rejected": "rejected"}


def consent_resource(row: Release, body: dict, signature: dict | None, now: datetime) -> dict:
    """A FHIR R4B Consent for a release (RULES.md 7.1)."""
    kind = body["kind"]
    status = release_status(row, body, now)
    cats = [CATEGORIES[c] for c in body["categories"] if c in CATEGORIES]
    rank = {"N": 0, "R": 1, "V": 2}
    labels = [{"system": CONFIDENTIALITY, "code": max((c.confidentiality for c in cats), key=rank.get, default="N")}]
    labels += [{"system": ACT_CODE, "code": code} for code in sorted({s for c in cats for s in c.sensitivity})]
    if kind == "part2":
        labels.append({"system": ACT_CODE, "code": "NORDSCLCD"})
    provision = {
        "type": "permit",
        "actor": [{"role": {"coding": [{"system": PARTICIPATION, "code": "CST", "display": "custodian"}]},
                   "reference": {"display": body["discloser"]}},
                  {"role": {"coding": [{"system": PARTICIPATION, "code": "IRCP", "display": "information recipient"}]},
                   "reference": {"display": body["recipient"]["name"]}}],
        "action": [{"coding": [{"system": CONSENT_ACTION, "code": "disclose"}]}],
        "securityLabel": labels,
        "purpose": [{"system": ACT_REASON, "code": body["purpose_of_use"]}],
        "code": [{"coding": [{"system": "urn:confide:category", "code": c}], "text": c.replace("_", " ")}
                 for c in body["categories"]],
    }
    if body.get("expires_on"):
        provision["period"] = {"end": body["expires_on"]}
    extensions = [{"url": EXT + "statements-version", "valueString": body.get("statements_version", "")}]
    if body.get("expiry_event"):
        extensions.append({"url": EXT + "expiry-event", "valueString": body["expiry_event"]})
    if row.expired_at:
        extensions.append({"url": EXT + "expiry-event-recorded", "valueDateTime": row.expired_at.isoformat()})
    if row.revoked_at:
        extensions.append({"url": EXT + "revoked", "valueDateTime": row.revoked_at.isoformat()})
    resource = {
        "resourceType": "Consent", "id": str(row.id), "status": FHIR_STATUS[status],
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": LOINC, "code": "64292-6", "display": "Release of information consent"}]}],
        "patient": {"reference": f"Patient/{row.client_id}", "display": body.get("patient_name", "")},
        "organization": [{"display": row.practice.name}],
        "policyRule": {"coding": [{"system": CONSENT_POLICY, "code": "cfr-part2" if kind == "part2" else "hipaa-auth"}]},
        "provision": provision,
        "extension": extensions,
    }
    if signature:
        resource["dateTime"] = row.signed_at.isoformat()
        if signature.get("role") == "representative":
            resource["performer"] = [{"display": f"{signature['signer']} (personal representative: "
                                                 f"{signature.get('representative_authority') or ''})"}]
        else:
            resource["performer"] = [{"reference": f"Patient/{row.client_id}", "display": signature["signer"]}]
        resource["sourceAttachment"] = {
            "contentType": "application/pdf", "title": f"{TITLE[kind]} ({signature['method']}-signed)",
            "creation": row.signed_at.isoformat(),
            "extension": [{"url": EXT + "document-sha256", "valueString": signature["document_sha256"]}],
        }
    return json.loads(Consent(**resource).model_dump_json())


def release_fhir(*, user: User, client_id, release_id) -> dict:
    with _door(user, client_id, action="read", purpose=access.default_purpose(user),
               detail={"view": "release.fhir"}) as ok:
        row = _row(ok.client.id, _release_id(release_id), practice_id=ok.client.practice_id)
        body = _body(row)
        signature = _signature(row) if row.signature_enc is not None else None
        return consent_resource(row, body, signature, datetime.now(timezone.utc))


# --- rendering ----------------------------------------------------------------------------

def _statements(body: dict, practice_name: str) -> dict:
    texts = STATEMENTS[body.get("statements_version", STATEMENTS_VERSION)][body["kind"]]
    return {sid: text.format(practice=practice_name) for sid, text in texts.items()}


def release_html(body: dict, *, practice_name: str, release_id, signature: dict | None = None) -> str:
    """The release document in plain language: every element and statement."""
    e = html.escape
    kind = body["kind"]
    recipient = body["recipient"]
    cats = "".join(f"<li>{e(CATEGORIES[c].name.replace('_', ' ').capitalize())}: {e(CATEGORIES[c].description)}</li>"
                   for c in body["categories"] if c in CATEGORIES)
    parts = [f"<h1>{e(TITLE[kind])}</h1>",
             f"<p class='who'>Client: <strong>{e(body.get('patient_name', ''))}</strong></p>",
             "<h2>1. What information</h2>", f"<p>{e(body['description'])}</p>", f"<ul>{cats}</ul>"]
    if kind == "part2":
        parts.append(f"<p>Substance use disorder information covered: {e(body['sud_description'])}</p>")
    if body.get("topics"):
        parts.append("<p>This release also names these topics, which we otherwise never disclose: "
                     f"{e(', '.join(t.replace('_', ' ') for t in body['topics']))}.</p>")
    address = f", {e(recipient['address'])}" if recipient.get("address") else ""
    parts += ["<h2>2. Who may disclose it</h2>", f"<p>{e(body['discloser'])}</p>",
              "<h2>3. Who may receive it</h2>",
              f"<p>{e(recipient['name'])} ({e(recipient['kind'].replace('_', ' '))}){address}</p>",
              "<h2>4. Why</h2>", "<ul>" + "".join(f"<li>{e(p)}</li>" for p in body["purposes"]) + "</ul>",
              "<h2>5. When this ends</h2>", f"<p>This {'consent' if kind == 'part2' else 'authorization'} ends "
              f"{e(_ends(body))}.</p>", "<h2>6. Your rights</h2>"]
    for sid, text in _statements(body, practice_name).items():
        parts.append(f"<p><strong>{e(STATEMENT_HEADINGS[sid])}.</strong> {e(text)}</p>")
    parts.append("<h2>7. Signature</h2>")
    if signature is None:
        parts.append("<p class='draft'>DRAFT: not signed. Signature: ______________________ Date: __________</p>"
                     "<p>If you sign as a personal representative, describe your authority to act for the client: "
                     "______________________</p>")
    else:
        how = {"typed": "typed name, signed electronically in the Confide portal",
               "wet": "signed on paper"}.get(signature.get("method"), "")
        parts.append(f"<p>Signed by <strong>{e(signature['signer'])}</strong> "
                     f"({'personal representative' if signature['role'] == 'representative' else 'the client'}) "
                     f"on {e(signature.get('signed_on', ''))} ({e(how)}).</p>")
        if signature.get("representative_authority"):
            parts.append(f"<p>Authority to act for the client: {e(signature['representative_authority'])}</p>")
    parts.append(f"<p class='foot'>{e(practice_name)} · release {e(str(release_id))} · statements version "
                 f"{e(body.get('statements_version', ''))} · {e(CITATION[kind])}</p>")
    style = ("<style>body{font-family:sans-serif;font-size:11pt;line-height:1.35} h1{font-size:16pt} "
             "h2{font-size:12pt;margin-top:12pt} .draft{border:1px dashed #000;padding:4pt} "
             ".foot{font-size:8pt;color:#444;margin-top:18pt}</style>")
    return f"<html><head><meta charset='utf-8'>{style}</head><body>{''.join(parts)}</body></html>"


def render_release_pdf(body: dict, *, practice_name: str, release_id, signature: dict | None = None) -> bytes:
    from weasyprint import HTML  # heavy import: only when a release is rendered

    return HTML(string=release_html(body, practice_name=practice_name, release_id=release_id,
                                    signature=signature)).write_pdf()


# --- demo -----------------------------------------------------------------------------------

def demo_part2_consent(*, staff: dict, client_ids: dict, today: date | None = None) -> uuid.UUID:
    """c4's Part 2 consent (demo_data `part2`): prepared by his clinician and recorded as
    signed on paper, to Tideline Recovery Medicine, through the services above."""
    today = today or date.today()
    client = next(c for c in demo_data.CLIENTS if c["key"] == "c4")
    consent = client["part2"]
    clinician = staff[client["care_team"][0]["staff"]]
    cid = client_ids["c4"]
    not_to = ", ".join(consent["not_permitted_to"])
    rid = release_create(user=clinician, client_id=cid, kind="part2", data={
        "description": ("My diagnosis, medications, treatment plan and attendance in counseling, for my prescriber. "
                        f"Not to anyone else (not to: {not_to})."),
        "categories": ["identity", "diagnosis", "medications", "treatment_plan", "attendance", "substance_use"],
        "discloser": demo_data.PRACTICE["name"],
        "recipient": {"name": "Tideline Recovery Medicine", "kind": "provider",
                      "address": "Office-based opioid treatment, Tacoma, WA"},
        "purposes": [consent["purpose"]],
        "purpose_of_use": "COC",
        "expires_on": (today + timedelta(days=consent["consent_expires_days_from_today"])).isoformat(),
        "sud_description": ("My opioid use disorder diagnosis, my buprenorphine treatment and my attendance and "
                            "progress in relapse-prevention counseling"),
    })
    with access.governed(user=clinician, client_id=cid, action="read", purpose="TREAT", categories={"consents"},
                         detail={"view": "release.demo"}) as ok:
        row = _row(ok.client.id, rid, practice_id=ok.client.practice_id)
        body = _body(row)
    signed_on = today + timedelta(days=consent["consent_signed_days_from_today"])
    paper = render_release_pdf(body, practice_name=demo_data.PRACTICE["name"], release_id=rid,
                               signature={"signer": client["legal_name"], "role": "client", "method": "wet",
                                          "signed_on": signed_on.isoformat()})
    release_upload_signed(user=clinician, client_id=cid, release_id=rid,
                          pdf_base64=base64.b64encode(paper).decode("ascii"), signer_name=client["legal_name"],
                          signer_role="client", signed_on=signed_on)
    return rid
