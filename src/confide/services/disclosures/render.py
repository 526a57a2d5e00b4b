"""Rendering a disclosure packet: PDF (weasyprint) and FHIR R4B bundle (fhir.resources)
with DS4P security labels (RULES.md 7.3).

Pure functions of the packet dict built by `services.disclosures`; no database access.
The packet holds only permitted categories already, so nothing here filters: every
resource and every PDF section comes from one section of the packet, and a section
that is not in the packet produces nothing.

Labels (RULES.md 7.3, V for the code lists):
- every resource's `meta.security` holds exactly one confidentiality code and the
  sensitivity and privacy-law codes of the categories it carries (PSY; PSYTHPN +
  HIPAAPsyNotes; SUD + 42CFRPart2; SDV), and NORDSCLCD when the packet may not be
  redisclosed (Part 2 and psychotherapy-note disclosures; RULES.md 2.2 asks for it on
  "every disclosed Part 2 payload": a resource lifted out of the bundle keeps it);
- in a disclosure made under Part 2 (the 2.32 notice is attached), every client
  resource also carries SUD + 42CFRPart2 and is at least restricted (R): records of a
  Part 2 program are labelled by provenance, not by diagnosis code (RULES.md 2);
- the bundle carries the highest confidentiality of its resources, every sensitivity
  and privacy-law code, NORDSCLCD where it applies, and the purpose of use
  (v3-ActReason).

One Provenance resource says who released the packet, when, why (purpose of use and
the basis as text) and under which rules (`policy`, one URN per deciding rule id). It
travels with the data; the practice's own record of the disclosure is the accounting
entry (RULES.md 7.2 maps that onto AuditEvent), which is not sent to the recipient.
"""

from __future__ import annotations

import base64
import html
import json
import re
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from fhir.resources.R4B.bundle import Bundle

from confide.core.policy import CATEGORIES
from confide.services.practice_time import zone
from confide.services.words import (  # noqa: F401
    BASIS_PLAIN,
    CATEGORY_PLAIN,
    CATEGORY_TITLES,
    PURPOSE_PLAIN,
)

CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
CATEGORY_SYSTEM = "urn:confide:category"
RULE_URN = "urn:confide:rule:"
LOINC = "http://loinc.org"
THO = "http://terminology.hl7.org/CodeSystem/"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
_RANK = {"N": 0, "R": 1, "V": 2}
CONFIDENTIALITY_DISPLAY = {"N": "normal", "R": "restricted", "V": "very restricted"}
# Displays as RULES.md 7.3 gives them (HL7); privacy-law codes carry none there.
ACT_DISPLAY = {
    "PSY": "psychiatry disorder information sensitivity",
    "PSYTHPN": "psychotherapy note information sensitivity",
    "SUD": "substance use disorder information sensitivity",
    "SDV": "sexual assault, abuse, or domestic violence information sensitivity",
    "NORDSCLCD": "no redisclosure without consent directive",
}
PART2_CODES = ("SUD", "42CFRPart2")
PART2_NOTICE_KIND = "42 CFR 2.32"

NOTICE_TITLES = {
    PART2_NOTICE_KIND: "Notice required by federal law (42 CFR 2.32)",
    "no redisclosure": "Do not redisclose",
    "consent": "What the client consented to (42 CFR 2.32(b))",
    "disguised": "Identifying details disguised",
    "amendment dispute": "The client disputes this information (45 CFR 164.526(d)(5))",
}


def category_title(cat: str) -> str:
    return CATEGORY_TITLES.get(cat, cat.replace("_", " ").capitalize())


def describe_categories(categories) -> str:
    """One plain line naming what was disclosed."""
    parts = [CATEGORY_PLAIN.get(c, c.replace("_", " ")) for c in categories]
    return "; ".join(parts) if parts else "nothing"


# --- labels -----------------------------------------------------------------------------

def _is_part2(packet: dict) -> bool:
    return any(n.get("kind") == PART2_NOTICE_KIND for n in packet.get("notices", ()))


def _coding(system: str, code: str) -> dict:
    out = {"system": system, "code": code}
    display = CONFIDENTIALITY_DISPLAY.get(code) if system == CONFIDENTIALITY else ACT_DISPLAY.get(code)
    if display:
        out["display"] = display
    return out


def labels_for(categories, *, part2: bool = False, no_redisclosure: bool = False) -> list[dict]:
    """Security labels of a resource carrying `categories`: exactly one confidentiality
    code (the highest), then the categories' sensitivity and privacy-law codes."""
    cats = [CATEGORIES[c] for c in categories if c in CATEGORIES]
    level = max((c.confidentiality for c in cats), key=_RANK.get, default="N")
    codes = {code for c in cats for code in c.sensitivity}
    if part2 and cats:
        codes |= set(PART2_CODES)
        level = max(level, "R", key=_RANK.get)
    labels = [_coding(CONFIDENTIALITY, level)]
    labels += [_coding(ACT_CODE, code) for code in sorted(codes)]
    if no_redisclosure:
        labels.append(_coding(ACT_CODE, "NORDSCLCD"))
    return labels


def security_labels(packet: dict) -> list[dict]:
    """The bundle's labels: one confidentiality code (the highest of the categories),
    the sensitivity and privacy-law codes of every category, NORDSCLCD where the packet
    must not be redisclosed, and the purpose of use."""
    labels = labels_for(packet["categories"], part2=_is_part2(packet),
                        no_redisclosure=bool(packet.get("no_redisclosure")))
    labels.append({"system": ACT_REASON, "code": packet["purpose"]})
    return labels


# --- small helpers -------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value) -> str | None:
    """An ISO date (YYYY-MM-DD) or None: values are shown as given, never guessed."""
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def _instant(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_text(value[k])}" for k in _ordered(value)
                         if k != "id" and value[k] not in (None, ""))
    return str(value)


def _items(section) -> list[dict]:
    if isinstance(section, list):
        return [i for i in section if isinstance(i, dict)]
    return [section] if isinstance(section, dict) else []


class _Builder:
    """Collects the bundle's entries with deterministic ids (uuid5 of the packet id),
    so the same packet always renders to the same bundle and no internal record id
    leaves the practice."""

    def __init__(self, packet: dict):
        self.packet = packet
        self.ns = uuid.UUID(packet["id"]) if _is_uuid(packet["id"]) else uuid.uuid5(uuid.NAMESPACE_URL, packet["id"])
        self.part2 = _is_part2(packet)
        self.no_redisclosure = bool(packet.get("no_redisclosure"))
        self.entries: list[dict] = []
        self.subject = {"reference": self.urn("subject"), "type": "Patient"}
        self.practice = {"reference": self.urn("practice"), "display": packet.get("practice", "")}

    def urn(self, name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.ns, name)}"

    def add(self, name: str, resource: dict, categories) -> str:
        """Add a resource carrying `categories` (its labels and category tags); return
        its reference."""
        url = self.urn(name)
        meta = {"security": labels_for(categories, part2=self.part2, no_redisclosure=self.no_redisclosure)}
        if categories:
            meta["tag"] = [{"system": CATEGORY_SYSTEM, "code": c} for c in sorted(categories)]
        resource = {**resource, "id": url.rsplit(":", 1)[1], "meta": meta}
        self.entries.append({"fullUrl": url, "resource": resource})
        return url


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def _narrative(title: str, content) -> dict:
    body = _html_value(content)
    return {"status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p><b>{html.escape(title)}</b></p>{body}</div>'}


# --- FHIR resources, one builder per category ----------------------------------------

def _patient(b: _Builder, identity: dict | None, contact: dict | None) -> None:
    cats = [c for c, v in (("identity", identity), ("contact", contact)) if v]
    if not cats:
        return
    patient: dict = {"resourceType": "Patient"}
    if identity:
        names = []
        if identity.get("legal_name"):
            names.append({"use": "official", "text": str(identity["legal_name"])})
        if identity.get("preferred_name"):
            names.append({"use": "usual", "text": str(identity["preferred_name"])})
        if names:
            patient["name"] = names
        if _date(identity.get("dob")):
            patient["birthDate"] = _date(identity["dob"])
        if identity.get("record_number"):
            patient["identifier"] = [{"system": "urn:confide:record-number", "value": str(identity["record_number"])}]
        if identity.get("pronouns"):
            patient["extension"] = [{"url": "http://hl7.org/fhir/StructureDefinition/individual-pronouns",
                                     "extension": [{"url": "value",
                                                    "valueCodeableConcept": {"text": str(identity["pronouns"])}}]}]
    if contact:
        telecom = [{"system": system, "value": str(contact[key]), "use": "home"}
                   for key, system in (("phone", "phone"), ("email", "email")) if contact.get(key)]
        if telecom:
            patient["telecom"] = telecom
        if contact.get("address"):
            patient["address"] = [{"text": str(contact["address"])}]
    url = b.urn("subject")
    meta = {"security": labels_for(cats, part2=b.part2, no_redisclosure=b.no_redisclosure),
            "tag": [{"system": CATEGORY_SYSTEM, "code": c} for c in sorted(cats)]}
    b.entries.append({"fullUrl": url, "resource": {**patient, "id": url.rsplit(":", 1)[1], "meta": meta}})


def _family_contacts(b: _Builder, section) -> None:
    for n, item in enumerate(_items(section)):
        relationship = [{"text": str(item["relationship"])}] if item.get("relationship") else []
        if item.get("emergency"):
            relationship.append({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C",
                                             "display": "Emergency Contact"}]})
        if item.get("guardian"):
            relationship.append({"text": "guardian"})
        person = {"resourceType": "RelatedPerson", "active": True, "patient": b.subject}
        if item.get("name"):
            person["name"] = [{"text": str(item["name"])}]
        if relationship:
            person["relationship"] = relationship
        telecom = [{"system": s, "value": str(item[s])} for s in ("phone", "email") if item.get(s)]
        if telecom:
            person["telecom"] = telecom
        b.add(f"family_contacts/{n}", person, ["family_contacts"])


def _fact_of_treatment(b: _Builder, section) -> None:
    fact = section if isinstance(section, dict) else {}
    team = [m for m in fact.get("care_team") or [] if isinstance(m, dict)]
    team_ref = None
    if team:
        team_ref = b.add("fact_of_treatment/team", {
            "resourceType": "CareTeam", "status": "active", "subject": b.subject,
            "participant": [{"member": {"display": str(m.get("name", ""))},
                             "role": [{"text": str(m.get("relationship", ""))}]} for m in team],
        }, ["fact_of_treatment"])
    episode = {"resourceType": "EpisodeOfCare", "patient": b.subject, "managingOrganization": b.practice,
               "status": "active" if fact.get("status", "active") == "active" else "finished"}
    if _date(fact.get("admitted_on")):
        episode["period"] = {"start": _date(fact["admitted_on"])}
    if fact.get("program"):
        episode["type"] = [{"text": str(fact["program"])}]
    if team_ref:
        episode["team"] = [{"reference": team_ref}]
    b.add("fact_of_treatment/episode", episode, ["fact_of_treatment"])


APPOINTMENT_STATUS = {"scheduled": "booked", "attended": "fulfilled", "cancelled": "cancelled", "no_show": "noshow"}


def _appointments(b: _Builder, section) -> None:
    for n, item in enumerate(_items(section)):
        cats = ["appointments"] + (["attendance"] if "status" in item else [])
        appt: dict = {"resourceType": "Appointment",
                      # Without the attendance category the schedule says only that it was booked.
                      "status": APPOINTMENT_STATUS.get(item.get("status"), "booked"),
                      "participant": [{"actor": b.subject, "status": "accepted"}]}
        start = _instant(item.get("starts_at"))
        if start is not None:
            appt["start"] = start.isoformat()
            if isinstance(item.get("minutes"), int) and item["minutes"] > 0:
                appt["minutesDuration"] = item["minutes"]
                appt["end"] = (start + timedelta(minutes=item["minutes"])).isoformat()
        if item.get("label"):
            appt["description"] = str(item["label"])
        if item.get("clinician"):
            appt["participant"].append({"actor": {"display": str(item["clinician"])}, "status": "accepted"})
        if item.get("room"):
            appt["participant"].append({"actor": {"display": str(item["room"]), "type": "Location"},
                                        "status": "accepted"})
        b.add(f"appointments/{n}", appt, cats)


def _attendance(b: _Builder, section) -> None:
    """Attendance on its own (without the schedule): one Encounter per session kept or
    missed."""
    for n, item in enumerate(_items(section)):
        status = item.get("status")
        encounter = {"resourceType": "Encounter", "subject": b.subject,
                     "status": "finished" if status == "attended" else "cancelled",
                     "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"}}
        when = _instant(item.get("starts_at"))
        day = _date(item.get("date"))
        if when is not None:
            encounter["period"] = {"start": when.isoformat()}
        elif day:
            encounter["period"] = {"start": day}
        if status in ("no_show", "cancelled"):
            encounter["reasonCode"] = [{"text": "did not attend" if status == "no_show" else "cancelled"}]
        b.add(f"attendance/{n}", encounter, ["attendance"])


def _money(value) -> dict | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return {"value": float(amount), "currency": "USD"} if amount.is_finite() else None


def _billing(b: _Builder, section, conditions: list[str]) -> None:
    billing = section if isinstance(section, dict) else {}
    coverage_ref = None
    if billing.get("payer") or billing.get("member_id"):
        coverage = {"resourceType": "Coverage", "status": "active", "beneficiary": b.subject,
                    "payor": [{"display": str(billing.get("payer") or "health plan")}]}
        if billing.get("member_id"):
            coverage["subscriberId"] = str(billing["member_id"])
        if billing.get("group"):
            coverage["class"] = [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                                                       "code": "group"}]},
                                  "value": str(billing["group"])}]
        coverage_ref = b.add("billing/coverage", coverage, ["billing"])
    services = [s for s in billing.get("services") or [] if isinstance(s, dict)]
    if services and coverage_ref:
        items, total = [], Decimal(0)
        for n, service in enumerate(services, start=1):
            item: dict = {"sequence": n, "productOrService": (
                {"coding": [{"system": CPT, "code": str(service["cpt"])}]} if service.get("cpt")
                else {"text": "billed service"})}
            if _date(service.get("date_of_service")):
                item["servicedDate"] = _date(service["date_of_service"])
            if isinstance(service.get("units"), int) and service["units"] > 0:
                item["quantity"] = {"value": service["units"]}
            price = _money(service.get("fee"))
            if price:
                item["unitPrice"] = price
                total += Decimal(str(service.get("fee")))
            if service.get("provider"):
                item["extension"] = [{"url": "urn:confide:rendering-provider", "valueString": str(service["provider"])}]
            items.append(item)
        claim = {"resourceType": "Claim", "status": "active", "use": "claim",
                 "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type",
                                      "code": "professional"}]},
                 "patient": b.subject, "created": b.packet["made_at"], "provider": b.practice,
                 "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority",
                                          "code": "normal"}]},
                 "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": coverage_ref}}],
                 "item": items, "total": {"value": float(total), "currency": "USD"}}
        # Diagnosis codes go on a claim by reference to the Condition resources, which
        # exist only when the diagnosis category was disclosed.
        if conditions:
            claim["diagnosis"] = [{"sequence": n, "diagnosisReference": {"reference": ref}}
                                  for n, ref in enumerate(conditions, start=1)]
        b.add("billing/claim", claim, ["billing"])
        return
    summary = {k: v for k, v in billing.items() if k not in ("payer", "member_id", "group")}
    if summary or not coverage_ref:
        b.add("billing/account", {"resourceType": "Basic", "subject": b.subject,
                                  "code": {"coding": [{"system": CATEGORY_SYSTEM, "code": "billing"}],
                                           "text": category_title("billing")},
                                  "text": _narrative(category_title("billing"), summary)}, ["billing"])


def _diagnosis(b: _Builder, section) -> list[str]:
    refs = []
    for n, item in enumerate(_items(section)):
        code: dict = {}
        if item.get("code"):
            code["coding"] = [{"system": ICD10CM, "code": str(item["code"])}]
            if item.get("description"):
                code["coding"][0]["display"] = str(item["description"])
        if item.get("description"):
            code["text"] = str(item["description"])
        condition = {"resourceType": "Condition", "subject": b.subject, "code": code or {"text": "diagnosis"},
                     "clinicalStatus": {"coding": [{"system": THO + "condition-clinical",
                                                    "code": "active"}]},
                     "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                               "code": "encounter-diagnosis"}]}]}
        if _date(item.get("since")):
            condition["onsetDateTime"] = _date(item["since"])
        refs.append(b.add(f"diagnosis/{n}", condition, ["diagnosis"]))
    return refs


def _medications(b: _Builder, section) -> None:
    for n, item in enumerate(_items(section)):
        statement = {"resourceType": "MedicationStatement", "status": "active", "subject": b.subject,
                     "medicationCodeableConcept": {"text": str(item.get("name") or "medication")}}
        if item.get("dose"):
            statement["dosage"] = [{"text": str(item["dose"])}]
        if item.get("prescriber"):
            statement["informationSource"] = {"display": str(item["prescriber"])}
        b.add(f"medications/{n}", statement, ["medications"])


def _goals(b: _Builder, cat: str, goals) -> list[dict]:
    refs = []
    for n, goal in enumerate(g for g in goals or [] if isinstance(g, dict)):
        text = goal.get("text") or goal.get("goal") or "goal"
        resource = {"resourceType": "Goal", "lifecycleStatus": "active", "subject": b.subject,
                    "description": {"text": str(text)}}
        if goal.get("progress") is not None:
            resource["achievementStatus"] = {"text": f"progress rating {goal['progress']}"}
        if _date(goal.get("target")):
            resource["target"] = [{"dueDate": _date(goal["target"])}]
        refs.append({"reference": b.add(f"{cat}/goal/{n}", resource, [cat])})
    return refs


def _care_plan(b: _Builder, cat: str, section) -> None:
    plan = section if isinstance(section, dict) else {}
    resource = {"resourceType": "CarePlan", "status": "active", "intent": "plan", "subject": b.subject,
                "title": category_title(cat)}
    if plan.get("summary"):
        resource["description"] = str(plan["summary"])
    goals = _goals(b, cat, plan.get("goals"))
    if goals:
        resource["goal"] = goals
    b.add(f"{cat}/plan", resource, [cat])


def _document(b: _Builder, cat: str, section) -> None:
    """A note as a DocumentReference: the text as an attachment, its labels on the
    resource and in `securityLabel` (RULES.md 7.3)."""
    labels = labels_for([cat], part2=b.part2, no_redisclosure=b.no_redisclosure)
    for n, note in enumerate(_items(section)):
        if cat == "psychotherapy_notes":
            kind = {"text": "Psychotherapy note (45 CFR 164.501)"}
            # Only their author discloses psychotherapy notes (US-HIPAA-PN-AUTHORIZED).
            author = (b.packet.get("made_by") or {}).get("name")
        else:
            kind = {"coding": [{"system": LOINC, "code": "11506-3", "display": "Progress note"}],
                    "text": "Progress note"}
            author = note.get("author")
        day = _date(note.get("session_date"))
        attachment = {"contentType": "text/plain; charset=utf-8",
                      "data": base64.b64encode(str(note.get("text", "")).encode("utf-8")).decode("ascii"),
                      "title": f"{kind['text']}{', ' + day if day else ''}"}
        if day:
            attachment["creation"] = day
        doc = {"resourceType": "DocumentReference", "status": "current", "docStatus": "final", "type": kind,
               "subject": b.subject, "date": b.packet["made_at"], "securityLabel": [{"coding": [c]} for c in labels],
               "content": [{"attachment": attachment}]}
        if author:
            doc["author"] = [{"display": str(author)}]
        if note.get("format"):
            doc["description"] = f"{note['format']} note"
        if day:
            doc["context"] = {"period": {"start": day}}
        b.add(f"{cat}/{n}", doc, [cat])


# LOINC total scores of common instruments (else the instrument's name alone).
INSTRUMENT_LOINC = {"PHQ-9": "44261-6", "GAD-7": "70274-6"}


def _observations(b: _Builder, cat: str, section) -> None:
    for n, item in enumerate(_items(section)):
        obs: dict = {"resourceType": "Observation", "status": "final", "subject": b.subject}
        if cat == "assessments":
            name = str(item.get("instrument") or "questionnaire")
            obs["category"] = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                            "code": "survey"}]}]
            obs["code"] = {"text": name}
            if name.upper() in INSTRUMENT_LOINC:
                obs["code"]["coding"] = [{"system": LOINC, "code": INSTRUMENT_LOINC[name.upper()]}]
            score = item.get("score")
            if isinstance(score, int) and not isinstance(score, bool):
                obs["valueInteger"] = score
            elif score is not None:
                obs["valueString"] = str(score)
        else:
            obs["code"] = {"text": "Suicide and violence risk assessment"}
            if item.get("level") is not None:
                obs["valueCodeableConcept"] = {"text": str(item["level"])}
            notes = [f"{_label(k)}: {_text(item[k])}" for k in ("summary", "safety_plan") if item.get(k)]
            if notes:
                obs["note"] = [{"text": t} for t in notes]
        if _date(item.get("date")):
            obs["effectiveDateTime"] = _date(item["date"])
        b.add(f"{cat}/{n}", obs, [cat])


def _basic(b: _Builder, cat: str, section) -> None:
    """A category with no closer FHIR resource (an incident, contact preferences, ...):
    a Basic resource whose narrative holds the content."""
    b.add(f"{cat}/basic", {"resourceType": "Basic", "subject": b.subject, "created": b.packet["made_at"][:10],
                           "code": {"coding": [{"system": CATEGORY_SYSTEM, "code": cat}], "text": category_title(cat)},
                           "text": _narrative(category_title(cat), section)}, [cat])


def packet_fhir_bundle(packet: dict) -> dict:
    """A collection Bundle of R4B resources, one family per disclosed category, each
    resource labelled (see the module docstring), validated by fhir.resources."""
    sections = packet["sections"]
    b = _Builder(packet)
    b.entries.append({"fullUrl": b.urn("practice"), "resource": {
        "resourceType": "Organization", "id": b.urn("practice").rsplit(":", 1)[1], "name": packet.get("practice", ""),
        # The practice itself is not client information.
        "meta": {"security": [_coding(CONFIDENTIALITY, "N")]}}})
    _patient(b, sections.get("identity"), sections.get("contact"))
    conditions = _diagnosis(b, sections["diagnosis"]) if "diagnosis" in sections else []
    for cat in sorted(sections):
        content = sections[cat]
        if cat in ("identity", "contact", "diagnosis"):
            continue
        if cat == "family_contacts":
            _family_contacts(b, content)
        elif cat == "fact_of_treatment":
            _fact_of_treatment(b, content)
        elif cat == "appointments":
            _appointments(b, content)
        elif cat == "attendance" and isinstance(content, list):
            if "appointments" not in sections:  # else each Appointment's status says it
                _attendance(b, content)
        elif cat == "billing":
            _billing(b, content, conditions)
        elif cat == "medications":
            _medications(b, content)
        elif cat in ("treatment_plan", "progress_summary"):
            _care_plan(b, cat, content)
        elif cat in ("progress_notes", "psychotherapy_notes"):
            _document(b, cat, content)
        elif cat in ("assessments", "risk_assessment"):
            _observations(b, cat, content)
        else:
            _basic(b, cat, content)
    targets = [{"reference": e["fullUrl"]} for e in b.entries if e["resource"]["resourceType"] != "Organization"]
    if targets:
        basis = packet["basis"]
        reason_text = "; ".join(t for t in (basis.get("description"), basis.get("citation")) if t)
        provenance = {
            "resourceType": "Provenance", "target": targets, "recorded": packet["made_at"],
            "agent": [{"type": {"coding": [{"system": THO + "provenance-participant-type",
                                            "code": "author"}]},
                       "who": {"display": str((packet.get("made_by") or {}).get("name") or packet.get("practice", ""))},
                       "onBehalfOf": b.practice}],
            "reason": [{"coding": [{"system": ACT_REASON, "code": packet["purpose"]}],
                        **({"text": reason_text} if reason_text else {})}],
            "policy": [RULE_URN + rid for rid in packet.get("rule_ids", ())],
        }
        if not provenance["policy"]:
            del provenance["policy"]
        url = b.urn("provenance")
        b.entries.append({"fullUrl": url, "resource": {
            **provenance, "id": url.rsplit(":", 1)[1],
            # It names what was released: labelled like the bundle, purpose aside.
            "meta": {"security": labels_for(packet["categories"], part2=b.part2, no_redisclosure=b.no_redisclosure)}}})
    bundle = Bundle.model_validate({
        "resourceType": "Bundle", "type": "collection", "id": packet["id"], "timestamp": packet["made_at"],
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{b.ns}"},
        "meta": {"security": security_labels(packet)}, "entry": b.entries,
    })
    return json.loads(bundle.model_dump_json())


def bundle_categories(resource: dict) -> set[str]:
    """The Confide categories a bundle resource says it carries (its category tags)."""
    return {t["code"] for t in (resource.get("meta") or {}).get("tag", []) if t.get("system") == CATEGORY_SYSTEM}


# --- PDF --------------------------------------------------------------------------------

# Labels of the fields a section may hold, in the order a reader expects them (a
# section's keys are shown in this order whatever order the stored JSON has, so the
# same packet always renders the same).
FIELD_LABELS = {
    "legal_name": "Legal name", "preferred_name": "Preferred name", "dob": "Date of birth", "pronouns": "Pronouns",
    "record_number": "Record number", "email": "Email", "phone": "Phone", "address": "Address",
    "name": "Name", "relationship": "Relationship", "emergency": "Emergency contact", "guardian": "Guardian",
    "starts_at": "When", "minutes": "Minutes", "clinician": "Clinician", "label": "Label", "room": "Room",
    "status": "Status", "program": "Program", "admitted_on": "In care since", "minor_consent": "Minor's consent",
    "care_team": "Care team", "payer": "Health plan", "member_id": "Member id", "group": "Group",
    "self_pay": "Pays privately", "dates_of_service": "Dates of service", "services": "Services billed",
    "date_of_service": "Date of service", "cpt": "Procedure code", "fee": "Fee", "units": "Units",
    "provider": "Provider", "code": "Code", "description": "Description", "since": "Since", "dose": "Dose",
    "prescriber": "Prescriber", "summary": "Summary", "goals": "Goals", "text": "Goal", "goal": "Goal",
    "progress": "Progress rating", "target": "Target date", "instrument": "Questionnaire", "score": "Score",
    "date": "Date", "level": "Level", "safety_plan": "Safety plan", "session_date": "Session date",
    "author": "Author", "format": "Format",
}
_FIELD_ORDER = {key: n for n, key in enumerate(FIELD_LABELS)}


def _ordered(keys) -> list:
    return sorted(keys, key=lambda k: (_FIELD_ORDER.get(k, len(_FIELD_ORDER)), str(k)))


def _label(key) -> str:
    return FIELD_LABELS.get(key, str(key).replace("_", " ").capitalize())


def _when(value, tz: str | None = None) -> str:
    """A moment as people read it: in the practice's zone when the packet names it
    (otherwise in the offset it carries)."""
    moment = _instant(value)
    if moment is None:
        return _text(value)
    if tz:
        moment = moment.astimezone(zone(tz))
    offset = moment.utcoffset()
    label = "UTC" if not offset else moment.strftime("UTC%z")
    return f"{moment.strftime('%a %d %b %Y, %H:%M')} {label}"


def _cell(key, value) -> str:
    if key == "starts_at":
        return html.escape(_when(value))
    if isinstance(value, (dict, list)) and value:
        return _html_value(value)
    return html.escape(_text(value)) or "&mdash;"


def _html_value(value) -> str:
    """Plain HTML for any section content: a list of facts for an object, a table for a
    list of objects, a paragraph for text. Internal record ids are left out."""
    if isinstance(value, dict):
        rows = [(k, value[k]) for k in _ordered(value) if k != "id" and value[k] not in (None, "", [], {})]
        if not rows:
            return "<p class='muted'>Nothing recorded.</p>"
        return "<table class='facts'>" + "".join(
            f"<tr><th>{html.escape(_label(k))}</th><td>{_cell(k, v)}</td></tr>" for k, v in rows) + "</table>"
    if isinstance(value, list):
        if not value:
            return "<p class='muted'>Nothing recorded.</p>"
        if all(isinstance(v, dict) for v in value):
            keys = _ordered({k for item in value for k in item if k != "id"})
            head = "".join(f"<th>{html.escape(_label(k))}</th>" for k in keys)
            body = "".join("<tr>" + "".join(f"<td>{_cell(k, item.get(k))}</td>" for k in keys) + "</tr>"
                           for item in value)
            return f"<table class='grid'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        return "<ul>" + "".join(f"<li>{html.escape(_text(v))}</li>" for v in value) + "</ul>"
    return f"<p>{html.escape(_text(value))}</p>"


def _notes_html(cat: str, notes, made_by: str) -> str:
    out = []
    for note in _items(notes):
        if note.get("label"):  # a disguised note is labelled, not dated
            meta = [str(note["label"])]
        else:
            meta = [f"Session of {note['session_date']}" if note.get("session_date") else "Session"]
        author = note.get("author") or (made_by if cat == "psychotherapy_notes" else "")
        if author:
            meta.append(f"written by {author}")
        if note.get("format"):
            meta.append(f"{note['format']} format")
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in str(note.get("text", "")).split("\n") if p.strip())
        out.append(f"<div class='note'><p class='note-head'>{html.escape(', '.join(meta))}</p>{paragraphs}</div>")
    return "".join(out) or "<p class='muted'>Nothing recorded.</p>"


def _section_html(cat: str, content, packet: dict) -> str:
    made_by = (packet.get("made_by") or {}).get("name", "")
    if cat in ("progress_notes", "psychotherapy_notes"):
        return _notes_html(cat, content, made_by)
    if cat == "treatment_plan" and isinstance(content, dict):
        summary = f"<p>{html.escape(str(content['summary']))}</p>" if content.get("summary") else ""
        goals = content.get("goals") or []
        return summary + (f"<h3>Goals</h3>{_html_value(goals)}" if goals else "")
    if cat == "progress_summary" and isinstance(content, dict):
        return _html_value(content.get("goals") or [])
    return _html_value(content)


PDF_STYLE = """
@page { size: Letter; margin: 2cm 2cm 2.4cm 2cm;
  @top-right { content: "Confidential"; font: 8pt sans-serif; color: #7a1f1f; }
  @bottom-left { content: "Disclosure __ID__"; font: 8pt sans-serif; color: #444; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #444; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #111; }
h1 { font-size: 16pt; margin: 0 0 2pt 0; } h2 { font-size: 12pt; margin: 16pt 0 4pt 0;
  border-bottom: 1px solid #999; padding-bottom: 2pt; } h3 { font-size: 10.5pt; margin: 8pt 0 2pt 0; }
.sub { color: #444; margin: 0 0 10pt 0; }
.notice { border: 2pt solid #7a1f1f; background: #fbf1f1; padding: 6pt 8pt; margin: 8pt 0; }
.notice h2 { border: 0; margin: 0 0 3pt 0; color: #7a1f1f; font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin: 2pt 0 6pt 0; }
th, td { text-align: left; vertical-align: top; padding: 2pt 4pt; border-bottom: 0.5pt solid #ccc; }
table.facts th { width: 32%; font-weight: normal; color: #444; }
table.grid th { background: #eee; }
.note { margin: 6pt 0 10pt 0; page-break-inside: avoid; } .note-head { font-weight: bold; margin: 0; }
.muted { color: #666; }
"""


def reading_order(categories) -> list[str]:
    """Categories in the order a reader expects (who, care, clinical, notes, money)."""
    order = list(CATEGORY_TITLES)
    return sorted(categories, key=lambda c: (order.index(c) if c in order else len(order), c))


def packet_html(packet: dict) -> str:
    """The packet as one HTML document: the notices first, then who, to whom, when,
    why and on what basis, then one plainly titled section per category. The page
    footer names the disclosure id."""
    e = html.escape
    recipient, basis = packet["recipient"], packet["basis"]
    made_by = packet.get("made_by") or {}
    parts = [f"<h1>Health information shared by {e(packet['practice'])}</h1>",
             "<p class='sub'>This document holds only the information listed below, and nothing else from the "
             "client's record.</p>"]
    for notice in packet.get("notices", ()):
        title = NOTICE_TITLES.get(notice.get("kind"), str(notice.get("kind", "Notice")))
        parts.append(f"<div class='notice'><h2>{e(title)}</h2><p>{e(notice.get('text', ''))}</p></div>")
    sender = e(packet["practice"]) + (f", by {e(made_by['name'])}" if made_by.get("name") else "")
    if made_by.get("licence"):
        sender += f" ({e(made_by['licence'])})"
    to = e(recipient["name"]) + (f"<br>{e(recipient['address'])}" if recipient.get("address") else "")
    why = PURPOSE_PLAIN.get(packet["purpose"], packet["purpose"])
    on_basis = BASIS_PLAIN.get(basis.get("kind"), basis.get("kind", ""))
    basis_detail = "; ".join(x for x in (basis.get("description"), basis.get("citation")) if x)
    cats = reading_order(packet["sections"])
    included = "".join(f"<li>{e(category_title(c))}</li>" for c in cats) or "<li>nothing</li>"
    parts.append(
        "<table class='facts'>"
        f"<tr><th>From</th><td>{sender}</td></tr>"
        f"<tr><th>To</th><td>{to}</td></tr>"
        f"<tr><th>Date</th><td>{e(_when(packet['made_at'], packet.get('timezone')))}</td></tr>"
        f"<tr><th>Why</th><td>{e(why.capitalize())}</td></tr>"
        f"<tr><th>On what basis</th><td>{e(on_basis.capitalize())}"
        f"{'<br>' + e(basis_detail) if basis_detail else ''}</td></tr>"
        f"<tr><th>What is included</th><td><ul>{included}</ul></td></tr>"
        "</table>")
    for cat in cats:
        parts.append(f"<h2>{e(category_title(cat))}</h2>{_section_html(cat, packet['sections'][cat], packet)}")
    style = PDF_STYLE.replace("__ID__", re.sub(r"[^0-9A-Za-z-]", "", str(packet["id"])))
    return (f"<html lang='en'><head><meta charset='utf-8'><title>Disclosure {e(str(packet['id']))}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")


def render_pdf(document: str) -> bytes:
    from weasyprint import HTML  # heavy import: only when a document is rendered

    return HTML(string=document).write_pdf()


def render_packet_pdf(packet: dict) -> bytes:
    """The packet as a readable PDF (see `packet_html`)."""
    return render_pdf(packet_html(packet))
