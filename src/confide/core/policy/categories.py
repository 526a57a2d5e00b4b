"""Information categories: what a piece of client information is.

Every stored client field belongs to exactly one category (see
`confide.core.policy.fieldmap`). Categories carry HL7 DS4P sensitivity labels and a
confidentiality code (RULES.md 7.3).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    sensitivity: tuple[str, ...]  # HL7 v3-ActCode sensitivity / privacy-law codes
    confidentiality: str  # HL7 v3-Confidentiality: N, R or V
    clinical: bool  # clinical content (never shown to front desk)
    # INVARIANT: a category with wildcard=False is granted only by a rule that names it.
    wildcard: bool = True


_ALL = (
    Category("identity", "legal and preferred name, date of birth, pronouns, record number", (), "N", False),
    Category("contact", "the client's phone, email, postal addresses", (), "N", False),
    Category("family_contacts", "family members and emergency contacts", (), "N", False),
    Category("fact_of_treatment", "that the person is a client of the practice, and since when", ("PSY",), "R", False),
    Category("appointments", "scheduled appointments: time, length, room, neutral label", (), "N", False),
    Category("attendance", "whether the client attended, cancelled or did not show", (), "N", False),
    Category("billing", "insurance, member id, fees, dates of service, payment status", (), "N", False),
    Category("diagnosis", "ICD-10 diagnosis codes and their descriptions", ("PSY",), "R", True),
    Category("medications", "medications and doses", ("PSY",), "R", True),
    Category("treatment_plan", "treatment plan, goals and their progress ratings", ("PSY",), "R", True),
    Category("progress_summary", "broad goals and progress, as a summary", ("PSY",), "R", True),
    Category("progress_notes", "session progress notes", ("PSY",), "R", True),
    Category("psychotherapy_notes", "the author's separate psychotherapy notes (45 CFR 164.501)",
             ("PSYTHPN", "HIPAAPsyNotes"), "V", True, wildcard=False),
    Category("assessments", "scored instruments (PHQ-9, GAD-7, ...)", ("PSY",), "R", True),
    Category("risk_assessment", "suicide and violence risk assessments, safety plans", ("PSY",), "R", True),
    Category("substance_use", "records of a 42 CFR Part 2 program", ("SUD", "42CFRPart2"), "R", True),
    Category("contact_preferences", "which channels may be used and how much they may say", (), "N", False),
    Category("consents", "releases, Part 2 consents, ground rules and restrictions the client agreed to",
             (), "R", False),
    Category("disclosures", "what was disclosed to whom, when and on what basis (the accounting)", (), "R", False),
    Category("incident", "facts of a safety event or abuse report, written for a disclosure", ("SDV",), "R", True),
    Category("legal", "court orders, subpoenas and the assurances documented for them", (), "R", False),
    Category("messages", "reminders and messages sent or refused, and to which channel", (), "N", False),
    Category("correspondence", "secure messages between the client and their clinician, in the portal",
             ("PSY",), "R", True),
)

CATEGORIES: dict[str, Category] = {c.name: c for c in _ALL}
WILDCARD_CATEGORIES: frozenset[str] = frozenset(c.name for c in _ALL if c.wildcard)


def category(name: str) -> Category:
    """Return the category called `name`; KeyError if there is none."""
    return CATEGORIES[name]
