"""Every disclosure: one function builds the packet, through the one door.

`disclosure_packet_build` takes a client, a recipient, a purpose and a basis (a
release, a rule of law, an order), asks the PDP with action "disclose", and builds a
packet holding only the categories the decision permits (promise 3). The packet is
rendered to PDF and to a FHIR R4B bundle with DS4P labels, stored encrypted, and
written as the client's accounting entry (45 CFR 164.528(b)). Obligations the decision
carries (tell the client, tell the minor) become open `Obligation` rows.

The workflows (releases, insurers, minors, threats, abuse reports, courts, the
client's own request) each establish their basis and call this function; none of them
builds a packet any other way.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from confide.apps.practice.models import User
from confide.apps.records.models import (
    Charge,
    Client,
    Disclosure,
    Obligation,
    PsychotherapyNote,
    TreatmentPlan,
)
from confide.core.errors import InvalidInput, NotFound
from confide.core.policy import BASES, RECIPIENTS
from confide.services import access
from confide.services.disclosures import amendments, preview
from confide.services.disclosures.render import packet_fhir_bundle, render_packet_pdf
from confide.services.keys import data_key_of
from confide.services.policy import rules
from confide.services.practice_time import local_date, local_today, practice_zone
from confide.services.projection import attendance_list, project_chart
from confide.services.sealing import seal, unseal
from confide.services.topics import topics_touching

# How long the clinician has to tell the client after an exception (an obligation
# stays open and visible past this date until met or waived with a reason).
NOTIFY_WITHIN_DAYS = 14

# The 42 CFR 2.32(a) notice (RULES.md 2.2): the short statement, and the long one.
PART2_NOTICE_SHORT = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
PART2_NOTICE_LONG = (
    "This record, which has been disclosed to you, is protected by federal confidentiality rules "
    "(42 CFR part 2). These rules prohibit you from using or disclosing this record, or testimony that "
    "describes the information contained in this record, in any civil, criminal, administrative, or "
    "legislative proceedings by any Federal, State, or local authority, against the patient, unless authorized "
    "by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in "
    "accordance with 42 CFR 2.64 or 2.65. In addition, the Federal rules prohibit you from making any other use "
    "or disclosure of this record unless at least one of the following applies: further use or disclosure is "
    "expressly permitted by the written consent of the individual whose information is being disclosed in this "
    "record or as otherwise permitted by 42 CFR part 2."
)
# 164.508(c)(2)(iii) as the recipient should read it on a packet released under an
# authorization naming psychotherapy notes.
# On a packet whose identifiers were disguised (a consultation, DESIGN.md promise 12).
DISGUISED_NOTICE = ("Names and other identifying details in these notes were removed or replaced by invented ones, "
                    "and the clinician reviewed the text before it was shared. Do not try to identify the person it "
                    "describes, and do not pass it on.")
NO_REDISCLOSURE_NOTICE = ("This information is disclosed under the client's authorization. Do not redisclose it "
                          "without the client's further written authorization.")


@dataclass(frozen=True)
class Recipient:
    name: str
    kind: str  # one of RECIPIENTS
    address: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "address": self.address}


@dataclass(frozen=True)
class Basis:
    """By what right a disclosure is made.

    `kind`: one of BASES. `citation`: the law or the document. `description`: one line
    for the accounting ("Authorization signed 2026-11-02", "Order of the Pierce County
    Superior Court, case ..."). `ref`: the id of the release, legal request, safety
    event or record request behind it. `scope`: the categories the basis names (None
    when it names none). `topics`: the practice-promise topics it names. `flags`: facts
    the workflow established (see confide.core.policy.FLAGS).
    """

    kind: str
    citation: str
    description: str
    ref: str = ""
    scope: frozenset[str] | None = None
    topics: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    release_id: uuid.UUID | None = None
    consent_summary: str = ""  # 42 CFR 2.32(b): a copy or explanation of the consent
    extra: dict = field(default_factory=dict, compare=False, hash=False)


# --- the packet --------------------------------------------------------------------

def _progress_summary(dek: bytes, client: Client) -> dict | None:
    """Broad goals and progress: the goals of the current plan and their ratings,
    without the plan's clinical summary."""
    plan = (TreatmentPlan.objects.filter(practice_id=client.practice_id, client_id=client.id)
            .order_by("created_at", "id").last())
    if plan is None:
        return None
    body = unseal(dek, TreatmentPlan, "body_enc", plan.id, plan.body_enc) or {}
    return {"goals": [{"goal": g.get("text", ""), "progress": g.get("progress")} for g in body.get("goals", [])]}


def _payer_charges(dek: bytes, client: Client) -> list[dict]:
    """Billed services a health plan may see: never one paid in full with a
    restriction requested (45 CFR 164.522(a)(1)(vi))."""
    return [{k: body.get(k) for k in ("date_of_service", "cpt", "fee", "units", "provider", "place_of_service")
             if k != "place_of_service" or body.get(k)}
            for _charge, body in _charges(dek, client) if not _restricted(body)]


def _charges(dek: bytes, client: Client):
    charges = Charge.objects.filter(practice_id=client.practice_id, client_id=client.id).order_by("created_at", "id")
    for charge in charges:
        yield charge, unseal(dek, Charge, "body_enc", charge.id, charge.body_enc) or {}


def _restricted(body: dict) -> bool:
    return bool(body.get("paid_in_full") and body.get("restrict_payer"))


def _restricted_sessions(dek: bytes, client: Client) -> tuple[set[str], set[str]]:
    """Appointment ids and days of services paid in full with a restriction: nothing
    about them (attendance included) reaches a health plan."""
    ids, days = set(), set()
    for charge, body in _charges(dek, client):
        if _restricted(body):
            if charge.appointment_id:
                ids.add(str(charge.appointment_id))
            if body.get("date_of_service"):
                days.add(body["date_of_service"])
    return ids, days


def packet_sections(user: User, client: Client, dek: bytes, permitted: frozenset[str], *, recipient: Recipient,
                    incident: dict | None = None) -> dict:
    """The content of each permitted category, and nothing else."""
    chart = project_chart(user, client, dek, permitted)
    sections = {cat: chart[cat] for cat in permitted if cat in chart}
    if "progress_summary" in permitted:
        sections["progress_summary"] = _progress_summary(dek, client)
    if "attendance" in permitted:
        # Listed as its own category (the accounting says it left), also when the
        # appointments carry their status.
        sections["attendance"] = attendance_list(dek, client)
    if sections.get("appointments") and "attendance" not in permitted:
        # The chart shows a cancellation as a fact of the calendar; outside the practice,
        # that a session did not happen is attendance. Without that category a packet
        # lists the sessions booked, not the ones called off.
        sections["appointments"] = [a for a in sections["appointments"] if "status" not in a]
    if sections.get("appointments"):
        # Times a person or a payer reads are the practice's wall-clock times.
        tz = practice_zone(client.practice_id)
        sections["appointments"] = [
            {**a, "starts_at": datetime.fromisoformat(a["starts_at"]).astimezone(tz).isoformat()}
            if a.get("starts_at") else a for a in sections["appointments"]]
    if "incident" in permitted and incident is not None:
        sections["incident"] = incident
    if "billing" in sections and recipient.kind == "insurer":
        billing = dict(sections["billing"] or {})
        billing.pop("self_pay", None)
        billing.pop("restrict_payer", None)
        billing["services"] = _payer_charges(dek, client)
        # Dates of service are those of the services the plan may see.
        billing["dates_of_service"] = sorted({s["date_of_service"] for s in billing["services"]
                                              if s.get("date_of_service")})
        sections["billing"] = billing
    if "attendance" in sections and recipient.kind == "insurer":
        ids, days = _restricted_sessions(dek, client)
        sections["attendance"] = [a for a in sections["attendance"] if a["id"] not in ids and a["date"] not in days]
    return {cat: sections[cat] for cat in sorted(sections) if sections[cat] not in (None, [], {})}


# The date each dated entry of a section carries (RULES.md 1.6.4 JUD-1: an order that
# names a period releases only that period's entries).
# A diagnosis's "since" is its onset, not an entry date: diagnoses count as undated.
_DATED_FIELDS = ("session_date", "starts_at", "date", "date_of_service")


def _entry_day(entry) -> date | None:
    if not isinstance(entry, dict):
        return None
    for key in _DATED_FIELDS:
        raw = entry.get(key)
        if isinstance(raw, str) and raw:
            try:
                return date.fromisoformat(raw[:10])
            except ValueError:
                return None
    return None


def sections_by_profile(sections: dict, profile) -> dict:
    """Only the fields the basis's profile names, category by category (rules/*.toml
    [[profile]], each field with its reason); a category it does not name leaves
    nothing. List entries keep their id (a packet's own reference, not an identifier of
    the client). The profile's `help` joins the incident when the profile lists it."""
    allows = profile.allows()
    out = {}
    for cat, content in sections.items():
        fields = allows.get(cat)
        if not fields:
            continue
        if isinstance(content, dict):
            kept = {k: v for k, v in content.items() if k in fields}
            if cat == "incident" and "help" in fields and profile.help:
                kept["help"] = profile.help
            out[cat] = kept
        elif isinstance(content, list):
            out[cat] = [{k: v for k, v in e.items() if k in fields or k == "id"} if isinstance(e, dict) else e
                        for e in content]
    return {cat: out[cat] for cat in out if out[cat] not in (None, [], {})}


def sections_within_period(sections: dict, start: date | None, end: date | None) -> dict:
    """Keep only dated entries from `start` to `end` (inclusive) in list sections, and
    billing's services and dates of service. Undated entries (a medication list, the
    current plan, identity) are kept: the period cannot select among them."""
    def inside(day: date | None) -> bool:
        return day is None or ((start is None or day >= start) and (end is None or day <= end))

    out = {}
    for cat, content in sections.items():
        if isinstance(content, list):
            content = [e for e in content if inside(_entry_day(e))]
        elif cat == "billing" and isinstance(content, dict):
            content = dict(content)
            if isinstance(content.get("services"), list):
                content["services"] = [s for s in content["services"] if inside(_entry_day(s))]
            if isinstance(content.get("dates_of_service"), list):
                content["dates_of_service"] = [d for d in content["dates_of_service"]
                                               if inside(_entry_day({"date": d}))]
        out[cat] = content
    return {cat: out[cat] for cat in out if out[cat] not in (None, [], {})}


def _check(recipient: Recipient, purpose: str, basis: Basis) -> None:
    if recipient.kind not in RECIPIENTS:
        raise InvalidInput(f"recipient: kind must be one of {', '.join(sorted(RECIPIENTS))}")
    if not isinstance(recipient.name, str) or not recipient.name.strip() or len(recipient.name) > 200:
        raise InvalidInput("recipient: name is required (up to 200 characters)")
    if basis.kind not in BASES:
        raise InvalidInput(f"basis: kind must be one of {', '.join(sorted(BASES))}")


def disclosure_packet_build(*, user: User, client_id, recipient: Recipient, purpose: str, basis: Basis,
                            categories, incident: dict | None = None, incident_id=None,
                            period: tuple[date | None, date | None] | None = None,
                            deidentified: dict | None = None,
                            on_recorded: Callable[[uuid.UUID], None] | None = None) -> dict:
    """Ask the PDP, build the minimum-necessary packet, store it with its accounting
    entry and obligations, all in one transaction. Returns a summary of what left.

    `period` (start, end), either end open: the basis names a period (an order for
    "billing records 2023"), so dated entries outside it are left out.

    `deidentified`: content already disguised by the caller and reviewed by the
    clinician (a consultation packet, services.consultation), by category. When the
    decision carries the `deidentify` obligation the packet holds this content, for
    the permitted categories, and nothing read from the chart; such a decision without
    it, or this content under a decision without that obligation, is refused and
    nothing is written.

    `on_recorded(disclosure_id)`: the caller's own bookkeeping (marking a draft sent),
    run in the same transaction once the disclosure row exists; if it raises, nothing
    is disclosed.

    A denial to a caller who treats the client raises `Refused` naming the rules (for
    example the practice promise that blocks it); to anyone else, `NotFound`.
    """
    _check(recipient, purpose, basis)
    if deidentified is not None and (not isinstance(deidentified, dict) or not deidentified):
        raise InvalidInput("deidentified: give the disguised content by category")
    wanted = frozenset(categories)
    cid = access.parse_client_id(client_id)
    # The same queries run for any id, existing or not (existence is secret, timing
    # included); tags are keyed digests, so nothing is decrypted before the decision.
    topics = topics_touching(user.practice_id, cid or uuid.UUID(int=0), wanted, incident_id=incident_id)
    # Only their author discloses psychotherapy notes (promise 5): the request names the
    # caller as the author only when the caller wrote notes for this client, so anyone
    # else is refused rather than sent an empty section.
    wrote = "psychotherapy_notes" in wanted and PsychotherapyNote.objects.filter(
        practice_id=user.practice_id, client_id=cid or uuid.UUID(int=0), author=user).exists()
    pn_author = user.pk if wrote else None
    with access.governed(user=user, client_id=cid, action="disclose", purpose=purpose, categories=wanted,
                         note_author_id=pn_author, recipient=recipient.kind, basis=basis.kind, scope=basis.scope,
                         flags=basis.flags, topics=topics, basis_topics=basis.topics,
                         detail={"view": "disclosure.preview" if preview.active() == "preview" else "disclosure"}
                         ) as ok:
        decision = ok.decision
        client = Client.objects.get(id=ok.client.id, practice_id=ok.client.practice_id)
        dek = data_key_of(client)
        if "deidentify" in decision.obligations:
            # Fail closed: only the disguised content the clinician reviewed leaves,
            # never a section read from the chart.
            if deidentified is None:
                raise InvalidInput("basis: this disclosure leaves only as disguised text; give it")
            sections = {cat: deidentified[cat] for cat in sorted(decision.categories)
                        if deidentified.get(cat) not in (None, [], {})}
        elif deidentified is not None:
            raise InvalidInput("deidentified: this basis does not disclose disguised text")
        else:
            sections = packet_sections(user, client, dek, decision.categories, recipient=recipient,
                                       incident=incident)
            profile = rules().profile(basis.kind, recipient.kind)
            if profile is not None:
                sections = sections_by_profile(sections, profile)
        if period is not None:
            sections = sections_within_period(sections, *period)
        now = datetime.now(timezone.utc)
        accountable = "accountable" in decision.obligations
        notices = []
        if "attach_redisclosure_notice" in decision.obligations:
            notices.append({"kind": "42 CFR 2.32", "text": PART2_NOTICE_LONG})
        elif "psychotherapy_notes" in sections:
            notices.append({"kind": "no redisclosure", "text": NO_REDISCLOSURE_NOTICE})
        if "deidentify" in decision.obligations:
            notices.append({"kind": "disguised", "text": DISGUISED_NOTICE})
        if "attach_consent_copy" in decision.obligations and basis.consent_summary:
            notices.append({"kind": "consent", "text": basis.consent_summary})
        if "deidentify" not in decision.obligations:
            # 45 CFR 164.526(d)(5): a disputed note leaves with the client's request, the
            # denial, their disagreement and any rebuttal.
            notices.extend(amendments.disputed_notices(client.id, dek, sections, practice_id=client.practice_id))
        did = uuid.uuid4()
        packet = {
            "id": str(did),
            "made_at": now.isoformat(timespec="seconds"),
            "made_on": local_date(client.practice_id, now).isoformat(),  # the practice's date
            "timezone": str(practice_zone(client.practice_id)),
            "practice": user.practice.name,
            "made_by": {"name": user.full_name, "licence": user.licence},
            "client_id": str(client.id),
            "deidentified": "deidentify" in decision.obligations,
            "recipient": recipient.as_dict(),
            "purpose": purpose,
            "basis": {"kind": basis.kind, "citation": basis.citation, "description": basis.description,
                      "ref": basis.ref},
            "period": ([d.isoformat() if d else None for d in period] if period is not None else None),
            "categories": sorted(sections),
            "sections": sections,
            "notices": notices,
            "no_redisclosure": bool(notices and notices[0]["kind"] in ("42 CFR 2.32", "no redisclosure")),
            "rule_ids": list(decision.rule_ids),
            "decision_id": decision.decision_id,
        }
        # Under a preview, stop here: the door's audit event of the look commits, and
        # nothing else is written; under a confirmation, leave only what was previewed.
        shown = preview.checkpoint(dek, user.pk, packet)
        if shown is not None:
            previewed = shown
        else:
            previewed = None
            recorded = _record(user, client, dek, decision, packet, recipient, purpose, basis, accountable,
                               on_recorded, now=now)
    if previewed is not None:
        raise previewed
    did, obligations = recorded
    return {"id": str(did), "categories": packet["categories"], "accountable": accountable,
            "obligations": obligations, "rule_ids": packet["rule_ids"], "notices": [n["kind"] for n in notices]}


def _record(user: User, client: Client, dek: bytes, decision, packet: dict, recipient: Recipient, purpose: str,
            basis: Basis, accountable: bool, on_recorded, *, now: datetime) -> tuple[uuid.UUID, list[dict]]:
    """Render and store the packet, its accounting entry and its obligations (inside
    the door's transaction)."""
    did = uuid.UUID(packet["id"])
    pdf = render_packet_pdf(packet)
    bundle = packet_fhir_bundle(packet)
    entry = {
        "recipient": recipient.as_dict(),
        "description": ", ".join(c.replace("_", " ") for c in packet["categories"]) or "nothing",
        "categories": packet["categories"],
        "purpose": purpose,
        "basis": packet["basis"],
        "rule_ids": packet["rule_ids"],
        "decision_id": decision.decision_id,
        "made_by": user.full_name,
    }
    Disclosure.objects.create(
        id=did, practice_id=client.practice_id, client_id=client.id, made_at=now, made_by=user,
        accountable=accountable, release_id=basis.release_id,
        entry_enc=seal(dek, Disclosure, "entry_enc", did, entry),
        packet_enc=seal(dek, Disclosure, "packet_enc", did, packet),
        pdf_enc=seal(dek, Disclosure, "pdf_enc", did, {"pdf": base64.b64encode(pdf).decode()}),
        fhir_enc=seal(dek, Disclosure, "fhir_enc", did, bundle),
    )
    if on_recorded is not None:
        on_recorded(did)
    obligations = []
    for kind in ("notify_client", "notify_minor"):
        if kind in decision.obligations:
            ob = Obligation.objects.create(practice_id=client.practice_id, client_id=client.id, kind=kind,
                                           disclosure_id=did,
                                           due_on=local_today(user.practice_id) + timedelta(NOTIFY_WITHIN_DAYS))
            obligations.append({"id": str(ob.id), "kind": kind, "due_on": ob.due_on.isoformat()})
    return did, obligations


def _is_claim(packet: dict) -> bool:
    """A packet sent to a health plan for payment (a claim), and nothing else."""
    return packet.get("purpose") == "HPAYMT" and (packet.get("recipient") or {}).get("kind") == "insurer"


def disclosure_document(*, user: User, client_id, disclosure_id, fmt: str = "json"):
    """A stored packet, as JSON, PDF bytes or the FHIR bundle (dict)."""
    if fmt not in ("json", "pdf", "fhir"):
        raise InvalidInput("format must be json, pdf or fhir")
    did = access.parse_client_id(disclosure_id)
    # A claim is a billing document: whoever may read the client's billing (the biller,
    # for every client of the practice) reads back the claims sent for payment; the
    # rest of the disclosures need the disclosures category.
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures", "billing"}, detail={"view": "disclosure", "format": fmt}) as ok:
        row = (Disclosure.objects.filter(id=did, practice_id=ok.client.practice_id, client_id=ok.client.id).first()
               if did else None)
        if row is None:
            raise NotFound()
        dek = data_key_of(row)
        if "disclosures" not in ok.decision.categories and not _is_claim(
                unseal(dek, Disclosure, "packet_enc", row.id, row.packet_enc)):
            raise NotFound()
        if fmt == "pdf":
            return base64.b64decode(unseal(dek, Disclosure, "pdf_enc", row.id, row.pdf_enc)["pdf"])
        if fmt == "fhir":
            return unseal(dek, Disclosure, "fhir_enc", row.id, row.fhir_enc)
        return unseal(dek, Disclosure, "packet_enc", row.id, row.packet_enc)
