"""Promise 3 (minimum necessary) and promise 5 (psychotherapy notes apart), as a
property: random charts, random bases; no packet ever holds a category its basis does
not allow.

The allowed set is computed here, independently of the engine, from the tables of
RULES.md (1.2 authorizations, 1.2.1 psychotherapy notes, 1.6 164.512, 1.10 access,
2.1/2.5/2.6 Part 2) and the claim profile of the seeds (identity, billing, diagnosis;
medications only where the payer requires them). Every chart record carries a unique
marker word, so a leak is found by looking for the words of categories that were not
allowed in everything that left: the stored packet, and the FHIR bundle with its
attachments decoded. The PDF is rendered from that same packet.
"""

from __future__ import annotations

import base64
import itertools
import json
import tomllib
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from confide.apps.records.models import Disclosure, PsychotherapyNote
from confide.core.errors import NotFound, Refused
from confide.services import charting, intake, scheduling
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from tests.dates import practice_today

ALL = frozenset({
    "identity", "contact", "family_contacts", "fact_of_treatment", "appointments", "attendance", "billing",
    "diagnosis", "medications", "treatment_plan", "progress_summary", "progress_notes", "psychotherapy_notes",
    "assessments", "risk_assessment", "substance_use", "contact_preferences", "consents", "disclosures", "incident",
    "legal", "messages",
})
PN = "psychotherapy_notes"
# What an authorization, an order or the client's own request can reach: everything
# but psychotherapy notes, which need a basis that names them (RULES.md 1.2.1, 1.10).
NOT_PN = ALL - {PN}
RECIPIENT_KINDS = ("client", "representative", "insurer", "provider", "attorney", "court", "agency",
                   "law_enforcement", "person_at_risk", "hospital", "family", "consultant", "other")
PURPOSE_CODES = ("TREAT", "ETREAT", "HPAYMT", "HOPERAT", "PATRQT", "FAMRQT", "HLEGAL", "PUBHLTH", "THREAT")
# RULES.md 1.6.6 THR-1: to whoever can prevent the harm, what they need for it.
THREAT_PROFILE = {
    "person_at_risk": {"identity", "incident"},
    "law_enforcement": {"identity", "contact", "incident"},
    "hospital": {"identity", "contact", "diagnosis", "medications", "risk_assessment", "incident"},
}
REPORT_PROFILE = {"identity", "contact", "incident"}  # 164.512(b)(1)(ii), (c)(1)(i)
CLAIM_PROFILE = {"identity", "billing", "diagnosis"}  # seeds; 164.506, 164.502(b)
PART2_BASES = {"part2_consent", "part2_court_order", "client_request"}  # 2.31, 2.64, own access
# Part 2 exceptions that may name the client without revealing the program (2.12(c)(6), 2.4).
PART2_IDENTITY_BASES = {"serious_threat", "child_abuse_report"}


def allowed_by_law(spec: dict, *, part2: bool, biller: bool = False, author: bool = True) -> set[str]:
    """The categories the basis allows, from the rule tables (not from the engine).
    A biller (no relationship to the client) sends claims, and to a payer the billing
    facts a Part 2 consent names, nothing else (role-based access, 164.514(d)(2)).
    Psychotherapy notes leave only by their author (promise 5)."""
    kind, to, why = spec["kind"], spec["recipient"], spec["purpose"]
    scope, flags = set(spec["scope"] or ()), set(spec["flags"])
    legal = to in ("court", "attorney") and why == "HLEGAL"
    if biller and kind not in ("payer_claim", "part2_consent"):
        out = set()
    elif biller and kind == "part2_consent":
        payer = to == "insurer" and why == "HPAYMT"
        out = scope & {"identity", "billing", "diagnosis", "medications"} if payer else set()
    elif kind == "release":
        out = scope & NOT_PN
    elif kind == "pn_release":
        out = scope & {PN}  # an authorization naming them, disclosed by their author
    elif kind == "part2_consent":
        out = scope & NOT_PN
    elif kind == "court_order":
        out = scope & ALL if legal and "signed_by_judge" in flags else set()
    elif kind == "part2_court_order":
        out = scope & NOT_PN if legal and "signed_by_judge" in flags else set()
    elif kind == "subpoena":
        out = scope & NOT_PN if legal and "assurance_documented" in flags else set()
    elif kind == "payer_claim":
        ok = to == "insurer" and why == "HPAYMT"
        out = (CLAIM_PROFILE | ({"medications"} if "payer_requires_medications" in flags else set())) if ok else set()
    elif kind == "serious_threat":
        purposes = {"THREAT", "ETREAT"} if to == "hospital" else {"THREAT"}
        out = set(THREAT_PROFILE.get(to, set())) if why in purposes else set()
    elif kind in ("child_abuse_report", "adult_abuse_report"):
        out = set(REPORT_PROFILE) if to == "agency" and why == "PUBHLTH" and "reportable" in flags else set()
    elif kind == "client_request":
        out = set(NOT_PN) if to == "client" and why == "PATRQT" else set()
    else:  # crime_admission (RULES.md 1.6.6 THR-3) and anything unknown
        out = set()
    if not author:
        out -= {PN}
    if kind not in PART2_BASES:
        out -= {"substance_use"}
        if part2:
            out &= {"identity", "contact", "incident"} if kind in PART2_IDENTITY_BASES else set()
    return out


# --- strategies ------------------------------------------------------------------------

RECORD_KINDS = ("contact", "diagnosis", "medication", "treatment_plan", "assessment", "risk_assessment")
scopes = st.one_of(st.none(), st.frozensets(st.sampled_from(sorted(ALL))))


def _spec(kind, recipients, purposes, flag_names=(), scope=False):
    return st.fixed_dictionaries({
        "kind": st.just(kind),
        "recipient": st.sampled_from(recipients),
        "purpose": st.sampled_from(purposes),
        "flags": st.frozensets(st.sampled_from(flag_names)) if flag_names else st.just(frozenset()),
        "scope": scopes if scope else st.just(None),
    })


# Mostly the proper recipient and purpose, sometimes any: a wrong one must release nothing more.
def _mostly(proper):
    return tuple(proper) * 6 + RECIPIENT_KINDS


def _mostly_purpose(proper):
    return tuple(proper) * 6 + PURPOSE_CODES


bases = st.one_of(
    _spec("release", RECIPIENT_KINDS, PURPOSE_CODES, scope=True),
    _spec("pn_release", RECIPIENT_KINDS, PURPOSE_CODES, scope=True),
    _spec("part2_consent", RECIPIENT_KINDS, PURPOSE_CODES, scope=True),
    _spec("court_order", _mostly(["court", "attorney"]), _mostly_purpose(["HLEGAL"]), ("signed_by_judge",), True),
    _spec("part2_court_order", _mostly(["court", "attorney"]), _mostly_purpose(["HLEGAL"]), ("signed_by_judge",), True),
    _spec("subpoena", _mostly(["attorney", "court"]), _mostly_purpose(["HLEGAL"]), ("assurance_documented",), True),
    _spec("payer_claim", _mostly(["insurer"]), _mostly_purpose(["HPAYMT"]), ("payer_requires_medications",)),
    _spec("serious_threat", _mostly(["person_at_risk", "law_enforcement", "hospital"]),
          _mostly_purpose(["THREAT", "ETREAT"])),
    _spec("child_abuse_report", _mostly(["agency"]), _mostly_purpose(["PUBHLTH"]), ("reportable",)),
    _spec("adult_abuse_report", _mostly(["agency"]), _mostly_purpose(["PUBHLTH"]), ("reportable",)),
    _spec("client_request", _mostly(["client"]), _mostly_purpose(["PATRQT"])),
    _spec("crime_admission", ("law_enforcement",), ("THREAT", "HLEGAL")),
)

charts = st.fixed_dictionaries({
    "part2": st.booleans(),
    "insured": st.booleans(),
    "with_contact": st.booleans(),
    "records": st.frozensets(st.sampled_from(RECORD_KINDS)),
    "progress_notes": st.integers(0, 2),
    "pn_author": st.integers(0, 2),
    "pn_colleague": st.integers(0, 1),
    "appointments": st.lists(st.sampled_from(["scheduled", "attended", "cancelled", "no_show"]), max_size=2),
})

disclosures = st.lists(st.fixed_dictionaries({
    "basis": bases,
    "by": st.sampled_from(["author", "author", "colleague", "biller"]),
    "requested": st.one_of(st.just(ALL), st.just(ALL), st.frozensets(st.sampled_from(sorted(ALL)), min_size=1)),
    "incident": st.booleans(),
}), min_size=1, max_size=3)


# --- the chart -------------------------------------------------------------------------

class Markers:
    """A unique word per category and record, to look for in what left."""

    def __init__(self):
        self.categories: dict[str, set[str]] = {}  # word -> the categories that may carry it
        self.pn_by_author: dict[int, list[str]] = {}

    def new(self, category: str) -> str:
        word = f"Mk{category.replace('_', '').capitalize()}{uuid.uuid4().hex[:10]}"
        self.categories[word] = {category}
        return word

    def goal(self) -> str:
        """A plan's goal: the broad progress summary is drawn from the goals too."""
        word = self.new("treatment_plan")
        self.categories[word].add("progress_summary")
        return word


_SLOTS = itertools.count(1)
# Far from the demo's sessions (which sit around today), on the hour.
_BASE = datetime.now(timezone.utc).replace(minute=3, second=0, microsecond=0) - timedelta(days=200)


def make_chart(staff, chart: dict, marks: Markers):
    author, colleague = staff["marsh"], staff["okafor"]
    identity = {"legal_name": f"Testa {marks.new('identity')}", "dob": "1990-01-02", "pronouns": "they/them",
                "record_number": f"HL-{uuid.uuid4().hex[:6]}"}
    contact = {"email": f"{marks.new('contact')}@example.com", "address": f"1 {marks.new('contact')} Street"} \
        if chart["with_contact"] else None
    billing = {"payer": marks.new("billing"), "member_id": marks.new("billing"), "self_pay": False} \
        if chart["insured"] else {"self_pay": True}
    cid = intake.client_create(user=author, identity=identity, contact=contact, billing=billing,
                                fact={"program": "sud" if chart["part2"] else "outpatient"})
    charting.care_team_assign(user=author, client_id=cid, staff_id=colleague.pk)
    today = practice_today()
    data = {
        "contact": lambda: {"name": f"Kin {marks.new('family_contacts')}", "relationship": "sister"},
        "diagnosis": lambda: {"code": "F41.1", "description": marks.new("diagnosis")},
        "medication": lambda: {"name": marks.new("medications"), "dose": "10 mg"},
        "treatment_plan": lambda: {"summary": marks.new("treatment_plan"),
                                   "goals": [{"text": marks.goal(), "progress": 1}]},
        "assessment": lambda: {"instrument": marks.new("assessments"), "score": 7},
        "risk_assessment": lambda: {"level": "low", "summary": marks.new("risk_assessment")},
    }
    for kind in sorted(chart["records"]):
        charting.record_add(user=author, client_id=cid, kind=kind, data=data[kind]())
    for n in range(chart["progress_notes"]):
        charting.progress_note_create(user=author, client_id=cid, session_date=today - timedelta(days=n),
                                     text=f"Session. {marks.new('progress_notes')}")
    for user, count in ((author, chart["pn_author"]), (colleague, chart["pn_colleague"])):
        for n in range(count):
            word = f"MkPn{uuid.uuid4().hex[:10]}"
            marks.pn_by_author.setdefault(user.pk, []).append(word)
            charting.psychotherapy_note_create(user=user, client_id=cid, session_date=today - timedelta(days=n),
                                              text=f"Impressions. {word}")
    for status in chart["appointments"]:
        # Each session an hour of its own (the calendar refuses a clinician's overlaps,
        # and the examples share the database): past ones for attendance, upcoming ones
        # when scheduled.
        slot = next(_SLOTS)
        starts = (_BASE - timedelta(hours=slot)) if status != "scheduled" else (_BASE + timedelta(hours=slot))
        scheduling.appointment_create(user=author, client_id=cid, clinician_id=author.pk, starts_at=starts,
                                      label=marks.new("appointments"), status=status)
    return cid


# --- what left ------------------------------------------------------------------------

# Which categories a resource type can carry (the mapping of services/packets.py,
# restated): a tag outside it, or a client resource without tags, fails.
TYPE_CATEGORIES = {
    "Patient": {"identity", "contact"}, "RelatedPerson": {"family_contacts"},
    "CareTeam": {"fact_of_treatment"}, "EpisodeOfCare": {"fact_of_treatment"},
    "Appointment": {"appointments", "attendance"}, "Encounter": {"attendance"},
    "Coverage": {"billing"}, "Claim": {"billing"}, "Condition": {"diagnosis"},
    "MedicationStatement": {"medications"}, "CarePlan": {"treatment_plan", "progress_summary"},
    "Goal": {"treatment_plan", "progress_summary"}, "DocumentReference": {"progress_notes", PN},
    "Observation": {"assessments", "risk_assessment"}, "Basic": ALL,
}
ENVELOPE = {"Organization", "Provenance"}


def _bundle_text(bundle: dict) -> str:
    """The bundle as text, with every attachment decoded."""
    parts = [json.dumps(bundle)]
    for entry in bundle.get("entry", []):
        for content in entry["resource"].get("content", []):
            data = content.get("attachment", {}).get("data")
            if data:
                parts.append(base64.b64decode(data).decode("utf-8"))
    return "\n".join(parts)


def check_bundle(bundle: dict, allowed: set[str]) -> None:
    security = [c["code"] for c in bundle["meta"]["security"] if c["system"].endswith("v3-Confidentiality")]
    assert len(security) == 1
    for entry in bundle.get("entry", []):
        resource = entry["resource"]
        rtype = resource["resourceType"]
        tags = {t["code"] for t in resource["meta"].get("tag", []) if t["system"] == "urn:confide:category"}
        conf = [c for c in resource["meta"]["security"] if c["system"].endswith("v3-Confidentiality")]
        assert len(conf) == 1, (rtype, resource["meta"])
        if rtype in ENVELOPE:
            assert not tags, rtype
            continue
        assert tags and tags <= TYPE_CATEGORIES[rtype], (rtype, tags)
        assert tags <= allowed, (rtype, tags, allowed)
        codes = {c["code"] for c in resource["meta"]["security"]}
        if rtype == "Patient":
            assert ("telecom" not in resource and "address" not in resource) or "contact" in allowed
            assert ("name" not in resource and "birthDate" not in resource) or "identity" in allowed
        if rtype == "Appointment" and resource["status"] != "booked":
            assert "attendance" in allowed
        if "PSYTHPN" in codes or "HIPAAPsyNotes" in codes:
            assert PN in allowed and tags == {PN}
            assert conf[0]["code"] == "V"
        if rtype == "DocumentReference" and tags == {PN}:
            assert {c["code"] for label in resource["securityLabel"] for c in label["coding"]} >= {
                "V", "PSYTHPN", "HIPAAPsyNotes"}


def _profiles() -> dict[tuple[str, str], dict[str, set[str]]]:
    """The packet profiles, read from the rule packs' TOML here (not through the
    engine's parser): (basis, recipient) -> category -> the fields that may leave."""
    out = {}
    for path in sorted(RULES_DIR.glob("*.toml")):
        for profile in tomllib.loads(path.read_text()).get("profile", []):
            if profile.get("enabled", True):
                out[(profile["basis"], profile["recipient"])] = {
                    cat: {f["field"] for f in items} for cat, items in profile["fields"].items()}
    return out


RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
PROFILES = _profiles()


def check_profile(packet: dict, spec: dict) -> None:
    """A packet on a basis with a profile holds only the fields it names."""
    profile = PROFILES.get((spec["kind"], spec["recipient"]))
    if profile is None:
        return
    for cat, content in packet["sections"].items():
        fields = profile.get(cat, set())
        assert fields, (spec, cat)
        entries = [content] if isinstance(content, dict) else content
        for entry in entries:
            assert set(entry) <= fields | {"id"}, (spec, cat, set(entry) - fields)


def check_no_leak(text: str, marks: Markers, allowed: set[str], discloser_pk: int) -> None:
    for word, categories in marks.categories.items():
        if PN not in categories and not categories & allowed:
            assert word not in text, (categories, word, allowed)
    for author_pk, words in marks.pn_by_author.items():
        if PN not in allowed or author_pk != discloser_pk:
            leaked = [w for w in words if w in text]
            assert not leaked, ("psychotherapy notes", author_pk, discloser_pk, allowed)


FULL_CHART = {"part2": False, "insured": True, "with_contact": True, "records": frozenset(RECORD_KINDS),
              "progress_notes": 1, "pn_author": 1, "pn_colleague": 1, "appointments": ["attended", "no_show"]}


def _step(kind, recipient, purpose, flags=(), scope=None, by="author", incident=True):
    return {"basis": {"kind": kind, "recipient": recipient, "purpose": purpose, "flags": frozenset(flags),
                      "scope": scope}, "by": by, "requested": ALL, "incident": incident}


@pytest.mark.slow
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                                  HealthCheck.too_slow])
@given(chart=charts, plan=disclosures)
# Found by this test: a signed order naming psychotherapy notes released them to a
# family member for treatment (US-HIPAA-PN-ORDER had no recipient or purpose).
@example(chart=FULL_CHART, plan=[_step("court_order", "family", "TREAT", {"signed_by_judge"}, frozenset({PN})),
                                 _step("court_order", "court", "HLEGAL", {"signed_by_judge"}, ALL),
                                 _step("pn_release", "provider", "TREAT", (), ALL, by="colleague")])
# RULES.md 9 S6, S7, S8 on a Part 2 program's chart: subpoena never; a warning names the
# client and the threat only; a claim needs a Part 2 consent, whoever sends it (found by
# this test: the Part 2 flag was not looked up for a biller, who has no relationship).
@example(chart={**FULL_CHART, "part2": True},
         plan=[_step("subpoena", "attorney", "HLEGAL", {"assurance_documented"}, ALL),
               _step("serious_threat", "hospital", "THREAT"),
               _step("payer_claim", "insurer", "HPAYMT", {"payer_requires_medications"}, by="biller")])
# Found by this test: a release of the schedule without attendance carried a cancelled
# session as cancelled (the chart's calendar fact), which says the client did not come.
@example(chart={**FULL_CHART, "appointments": ["cancelled", "scheduled"]},
         plan=[_step("release", "client", "PATRQT", (), frozenset({"identity", "appointments"}))])
def test_no_packet_holds_a_category_its_basis_does_not_allow(staff, chart, plan):
    marks = Markers()
    cid = make_chart(staff, chart, marks)
    for step in plan:
        spec = step["basis"]
        user = staff[{"author": "marsh", "colleague": "okafor", "biller": "pellham"}[step["by"]]]
        # Whoever discloses is the author of their own psychotherapy notes, if they wrote any.
        wrote = {"author": chart["pn_author"], "colleague": chart["pn_colleague"], "biller": 0}[step["by"]] > 0
        allowed = allowed_by_law(spec, part2=chart["part2"], biller=step["by"] == "biller", author=wrote)
        requested = set(step["requested"])
        incident = {"summary": marks.new("incident"), "person_at_risk": "a neighbour"} if step["incident"] else None
        basis = Basis(kind=spec["kind"], citation="test", description="test basis",
                      scope=frozenset(spec["scope"]) if spec["scope"] is not None else None,
                      flags=frozenset(spec["flags"]))
        recipient = Recipient(name="Test Recipient", kind=spec["recipient"])
        before = Disclosure.objects.filter(client_id=cid).count()
        try:
            out = disclosure_packet_build(user=user, client_id=cid, recipient=recipient, purpose=spec["purpose"],
                                          basis=basis, categories=requested, incident=incident)
        except (Refused, NotFound):
            assert Disclosure.objects.filter(client_id=cid).count() == before
            # Not vacuous: a basis that allows something requested is not refused.
            assert not (allowed & requested), (spec, allowed & requested)
            continue
        assert set(out["categories"]) <= allowed & requested, (spec, out["categories"], allowed)
        packet = disclosure_document(user=user, client_id=cid, disclosure_id=out["id"])
        bundle = disclosure_document(user=user, client_id=cid, disclosure_id=out["id"], fmt="fhir")
        assert set(packet["sections"]) <= allowed and set(packet["categories"]) <= allowed
        check_bundle(bundle, allowed)
        check_profile(packet, spec)
        check_no_leak(json.dumps(packet) + "\n" + _bundle_text(bundle), marks, allowed, user.pk)
        if PN in packet["sections"]:
            # Only under a basis that names them, and only their author's own notes.
            assert spec["kind"] in ("pn_release", "court_order") and PN in (spec["scope"] or ())
            ids = {n["id"] for n in packet["sections"][PN]}
            assert ids <= {str(i) for i in PsychotherapyNote.objects.filter(client_id=cid, author=user)
                           .values_list("id", flat=True)}
            assert "NORDSCLCD" in {c["code"] for c in bundle["meta"]["security"]}
