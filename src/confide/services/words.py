"""Words, not codes: how every page, document and message names roles, purposes of use,
information categories, statuses and relationships. Codes (TREAT, no_show,
fact_of_treatment) stay in the data and the API; people read the words here, and
nowhere else defines them.

Two voices: the third person (a packet, the accounting, a clinician's page: "for
treatment") and the client's own ("for your care"), for the portal and what the client
reads about their own record.
"""

from __future__ import annotations

CATEGORY_TITLES = {
    "identity": "Who the client is",
    "contact": "How to reach the client",
    "family_contacts": "Family and emergency contacts",
    "fact_of_treatment": "Care at the practice",
    "appointments": "Appointments",
    "attendance": "Attendance",
    "diagnosis": "Diagnoses",
    "medications": "Medications",
    "treatment_plan": "Treatment plan",
    "progress_summary": "Goals and progress",
    "progress_notes": "Progress notes",
    "psychotherapy_notes": "Psychotherapy notes",
    "assessments": "Questionnaire scores",
    "risk_assessment": "Safety and risk assessments",
    "substance_use": "Substance-use treatment records",
    "billing": "Billing and insurance",
    "contact_preferences": "How the client wants to be contacted",
    "consents": "Releases and agreements",
    "disclosures": "Earlier disclosures",
    "incident": "What happened",
    "legal": "Court papers",
    "messages": "Messages",
    "correspondence": "Secure messages",
}

# What was disclosed, as the accounting describes it (164.528(b)(2)(iii): "a brief
# description of the protected health information disclosed").
CATEGORY_PLAIN = {
    "identity": "name and date of birth",
    "contact": "phone, email and address",
    "family_contacts": "family and emergency contacts",
    "fact_of_treatment": "the fact of being in care, and since when",
    "appointments": "appointment dates and times",
    "attendance": "whether appointments were kept",
    "billing": "billing and insurance details",
    "diagnosis": "diagnoses",
    "medications": "medications",
    "treatment_plan": "the treatment plan and its goals",
    "progress_summary": "broad goals and progress",
    "progress_notes": "session progress notes",
    "psychotherapy_notes": "psychotherapy notes",
    "assessments": "questionnaire scores",
    "risk_assessment": "safety and risk assessments",
    "substance_use": "substance-use treatment records",
    "contact_preferences": "contact preferences",
    "consents": "releases and agreements",
    "disclosures": "the record of earlier disclosures",
    "incident": "the facts of a safety concern or report",
    "legal": "court papers",
    "messages": "messages",
    "correspondence": "secure messages with the clinician",
}

PURPOSE_PLAIN = {
    "TREAT": "for treatment",
    "ETREAT": "for emergency treatment",
    "BTG": "for emergency access",
    "HPAYMT": "for payment of care",
    "HOPERAT": "for running the practice",
    "PATRQT": "at the client's request",
    "FAMRQT": "at a family member's request",
    "PWATRNY": "for the client's personal representative",
    "COC": "to coordinate care",
    "HLEGAL": "for a legal proceeding",
    "PUBHLTH": "for a report that public-health or protective law requires or allows",
    "THREAT": "to prevent a serious threat to someone's health or safety",
}

BASIS_PLAIN = {
    "release": "the client's signed authorization",
    "pn_release": "the client's signed authorization naming psychotherapy notes",
    "part2_consent": "the client's signed consent under 42 CFR Part 2",
    "court_order": "a court order signed by a judge",
    "part2_court_order": "a court order under 42 CFR Part 2",
    "subpoena": "a subpoena, with the assurances the law requires",
    "serious_threat": "the law that allows a warning to prevent a serious threat",
    "crime_admission": "a report of a crime",
    "child_abuse_report": "a mandated report of suspected child abuse or neglect",
    "adult_abuse_report": "a mandated report of suspected abuse of an elder or dependent adult",
    "client_request": "the client's own request for their record",
    "payer_claim": "a claim to the client's health plan",
    "payer_agreement": "a treatment report under the health plan's agreement",
    "ground_rules": "the ground rules agreed at intake",
    "minor_permission": "what the minor allowed",
    "deidentified_consultation": "de-identification under the Safe Harbor method, reviewed by the clinician",
    "disguised_consultation": "consultation between providers or supervision, with identifiers disguised",
}


# The client's own voice: why someone opened their record.
PURPOSE_TO_CLIENT = {
    "TREAT": "for your care",
    "ETREAT": "for emergency care",
    "BTG": "for emergency access",
    "HPAYMT": "for billing and payment",
    "HOPERAT": "for running the practice",
    "PATRQT": "at your request",
    "FAMRQT": "at a family member's request",
    "PWATRNY": "for your personal representative",
    "COC": "to coordinate your care",
    "HLEGAL": "for a legal proceeding",
    "PUBHLTH": "for a report the law requires or allows",
    "THREAT": "to prevent a serious threat to someone's health or safety",
}

ROLES = {
    "clinician": "clinician",
    "supervisor": "supervising clinician",
    "biller": "biller",
    "front_desk": "front desk",
    "practice_admin": "practice administrator",
    "client": "client",
    "representative": "personal representative",
}

# How the person who opened a record stands to the client ("your clinician").
RELATIONSHIPS = {
    "treating": "treating clinician",
    "supervising": "supervisor",
    "self": "the client",
    "representative": "personal representative",
    "break_glass": "emergency access",
}

# What someone did, as an access report says it.
ACTIONS = {
    "read": "opened the record",
    "write": "added to the record",
    "list": "saw the name in a list",
    "disclose": "shared information outside the practice",
    "client.create": "created the record",
    "client.list": "saw the name in a list",
    "client.search": "found the name in a search",
    "obligation.list": "saw what is owed to the client",
    "record_request.list": "saw the record requests",
    "break_glass.review": "reviewed an emergency access",
    "document.request": "asked for a document to be prepared",
}

STATUSES = {
    # appointments
    "scheduled": "scheduled",
    "attended": "attended",
    "cancelled": "cancelled",
    "no_show": "did not attend",
    # clients
    "active": "active",
    "discharged": "discharged",
    "inactive": "inactive",
    # obligations, requests, releases
    "open": "open",
    "met": "done",
    "waived": "not told, with a reason",
    "fulfilled": "sent",
    "signed": "signed",
    "unsigned": "not signed yet",
    "draft": "draft, not sent",
    "released": "released",
    "revoked": "revoked",
    "expired": "expired",
    "held": "on hold",
}


def _plain(code) -> str:
    return str(code or "").replace("_", " ")


def role_word(code) -> str:
    return ROLES.get(code, _plain(code))


def purpose_word(code, *, to_client: bool = False) -> str:
    table = PURPOSE_TO_CLIENT if to_client else PURPOSE_PLAIN
    return table.get(code, _plain(code))


def category_word(code) -> str:
    """A category as a heading ("Questionnaire scores")."""
    return CATEGORY_TITLES.get(code, _plain(code).capitalize())


def category_phrase(code) -> str:
    """A category inside a sentence ("questionnaire scores")."""
    return CATEGORY_PLAIN.get(code, _plain(code))


def relationship_word(code) -> str:
    return RELATIONSHIPS.get(code, _plain(code))


def action_word(code) -> str:
    return ACTIONS.get(code, _plain(code))


def status_word(code) -> str:
    return STATUSES.get(code, _plain(code))


def basis_word(code) -> str:
    return BASIS_PLAIN.get(code, _plain(code))


# A progress note's state, as the clinician reads it (a note waiting for the
# supervisor's co-signature counts as unsigned).
NOTE_STATUSES = {
    "draft": "draft",
    "returned": "returned for changes",
    "awaiting_cosign": "unsigned: waiting for co-signature",
    "signed": "signed",
}
# A treatment goal's progress rating, 0 to 4.
PROGRESS_RATINGS = {0: "not started", 1: "a little", 2: "some", 3: "most of the way", 4: "achieved"}


def note_status_word(code) -> str:
    return NOTE_STATUSES.get(code, _plain(code))


def progress_word(rating) -> str:
    try:
        return PROGRESS_RATINGS.get(int(rating), "")
    except (TypeError, ValueError):
        return ""


# A release's kind (services.disclosures.releases.KINDS), inside a sentence.
RELEASE_KINDS = {"hipaa": "authorization", "part2": "Part 2 consent",
                 "psychotherapy_notes": "psychotherapy-notes authorization"}


def release_kind(code) -> str:
    return RELEASE_KINDS.get(code, _plain(code))
