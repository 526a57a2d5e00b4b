"""The notice of privacy practices and the limits of confidentiality (45 CFR 164.520;
RULES.md 1.9), in plain language: the client reads and acknowledges them in the portal
(164.520(c)(2)(ii): a good-faith effort to obtain a written acknowledgement), and the
acknowledgement is kept with the version and the time. The clinician sees whether the
current version was acknowledged.

A new version of the text gets a new `NOTICE_VERSION`; an acknowledgement of an older
version shows as such, and the portal asks again."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime, timezone

from confide.apps.practice.models import Practice, User
from confide.apps.records.models import NoticeAcknowledgement
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.portal.common import client_zone, when
from confide.services.sealing import seal, unseal

NOTICE_VERSION = "2026-12-01"  # the date this text was published

PRIVACY_PRACTICES = (
    ("What we keep", (
        "We keep a record of your care: who you are, how to reach you, your appointments, what we talk about "
        "in general terms, questionnaires you fill in, and what you agree to. It is encrypted, and every time "
        "someone opens it, that is written down where you can see it.",)),
    ("Who sees it", (
        "Your clinician, and their supervisor if they have one, for your care. The front desk sees your name, "
        "how to reach you and your appointments, nothing about what you talk about. Billing sees what a bill "
        "needs. Nobody else in the practice opens your record.",)),
    ("What we share without asking you", (
        "To get paid by your health plan, if you use one: the least the plan needs. If you pay for a visit "
        "yourself and ask us not to tell your health plan, we do not.",
        "Where the law requires it: see the limits of confidentiality below.")),
    ("What we never share without your written permission", (
        "Anything else, to anyone else: an employer, a school, a lawyer, family. Psychotherapy notes (a "
        "clinician's separate private notes) are never shared without a permission that names them.",)),
    ("Your rights", (
        "You may see and get a copy of your record; ask us to correct it; ask for a list of everyone we shared "
        "it with; ask us to contact you only in a certain way or at another address, without saying why; ask "
        "us to limit what we share; and take back a permission you gave, in writing, at any time. "
        "You may complain to us or to the U.S. Department of Health and Human Services; we never hold a "
        "complaint against you.",)),
)

LIMITS_OF_CONFIDENTIALITY = (
    ("Safety", (
        "If you tell us you intend to seriously harm someone, or yourself, we may have to act to keep people "
        "safe: warn the person at risk, call emergency services, or arrange care. We share only what that "
        "needs, and we tell you unless doing so would put someone at risk.",)),
    ("Abuse and neglect", (
        "If we learn that a child, an elder or a dependent adult is being abused or neglected, the law requires "
        "us to report it to the agency that protects them.",)),
    ("Courts", (
        "A judge's order can require us to share part of your record. A subpoena from a lawyer alone is not "
        "enough: we hold it until the law's conditions are met, and we tell you.",)),
    ("Minors", (
        "If you are under 18, what your parent or guardian sees depends on the law of the state and on what was "
        "agreed when you started. Where the law lets you consent to your own care, you decide what they see.",)),
)


def notice_text(practice: Practice | None = None) -> dict:
    """The notice as shown, with its version and the SHA-256 of its words."""
    body = {"version": NOTICE_VERSION, "privacy": PRIVACY_PRACTICES, "limits": LIMITS_OF_CONFIDENTIALITY}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
    return {**body, "practice": practice.name if practice else "", "sha256": digest}


def _latest(dek: bytes, client_id, practice_id) -> dict | None:
    row = (NoticeAcknowledgement.objects.filter(practice_id=practice_id, client_id=client_id)
           .order_by("-acknowledged_at", "-id").first())
    if row is None:
        return None
    body = unseal(dek, NoticeAcknowledgement, "body_enc", row.id, row.body_enc) or {}
    version = row.version.isoformat()
    return {"version": version, "at": row.acknowledged_at, "current": version == NOTICE_VERSION,
            "sha256": body.get("sha256"), "by_client": body.get("role") == "client"}


def notice_status(*, user: User, client_id) -> dict | None:
    """The latest acknowledgement (version, time, whether it is of the current notice),
    or None when the client never acknowledged one in the portal."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"consents"}, detail={"view": "notice_acknowledgement"}) as ok:
        dek = data_key_of(ok.client)
        status = _latest(dek, ok.client.id, ok.client.practice_id)
        if status is not None:
            status["when"] = when(client_zone(dek, ok.client) if user.role == "client" else
                                  Practice.objects.get(pk=ok.client.practice_id).timezone, status["at"])
    return status


def notice_acknowledge(*, user: User, client_id, version: str) -> dict:
    """The client acknowledges the notice they read: `version` must be the current one
    (a page left open across a new version asks again)."""
    if version != NOTICE_VERSION:
        raise InvalidInput("notice: a newer version was published; please read it again")
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"consents"}, detail={"record": "notice_acknowledgement",
                                                         "version": NOTICE_VERSION}) as ok:
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        body = {"by": user.pk, "role": user.role, "sha256": notice_text()["sha256"], "how": "portal"}
        NoticeAcknowledgement.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                             version=date.fromisoformat(NOTICE_VERSION), acknowledged_at=datetime.now(timezone.utc),
                                             body_enc=seal(dek, NoticeAcknowledgement, "body_enc", rid, body))
        return _latest(dek, ok.client.id, ok.client.practice_id)
