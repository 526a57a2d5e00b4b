"""What the practice runs under, for its administrator to read: the practice's own
details, the note templates in use, and the rule packs and promises in force with
their citations and verification marks (RULES.md 0.1). Read-only: the rules change
by editing the rule packs, which are reviewed like code. No client information."""

from __future__ import annotations

from collections import Counter

from confide.apps.practice.models import Practice, User
from confide.core.errors import Forbidden
from confide.services import jurisdiction
from confide.services.messages import practice_sender
from confide.services.policy import rules

MARKS = {
    "V": "verified against the primary text",
    "V2": "verified from a secondary source",
    "P": "partly verified",
    "K": "from established knowledge; re-check",
    "U": "unverified: shipped disabled",
}
# The note templates progress notes are written from (services.charting).
NOTE_FORMATS = (
    ("SOAP", "Subjective, Objective, Assessment, Plan"),
    ("DAP", "Data, Assessment, Plan"),
    ("BIRP", "Behaviour, Intervention, Response, Plan"),
    ("free", "Free text"),
)


def _mark(ver: str) -> dict:
    return {"code": ver, "meaning": MARKS.get(ver, "unknown mark"), "verified": ver in ("V", "V2")}


def settings_overview(*, user: User) -> dict:
    """The settings hub's content. The practice administrator only."""
    if user.role != "practice_admin" or user.practice_id is None:
        raise Forbidden("only the practice administrator opens the settings")
    practice = Practice.objects.get(pk=user.practice_id)
    rule_set = rules()
    counts = Counter(r.pack_id for r in rule_set.rules if r.enabled)
    disabled = Counter(r.pack_id for r in rule_set.rules if not r.enabled)
    packs = [{"id": p.id, "title": p.title, "jurisdiction": p.jurisdiction, "version": p.version,
              "source": p.source, "rules": counts.get(p.id, 0), "disabled": disabled.get(p.id, 0)}
             for p in rule_set.packs
             if p.jurisdiction in ("US", "practice") or p.jurisdiction == practice.jurisdiction
             or counts.get(p.id) or disabled.get(p.id)]
    promises = [{"id": r.id, "explanation": r.explanation, "citation": r.citation, "mark": _mark(r.ver),
                 "topics": sorted(r.when.topics or ())} for r in rule_set.promises()]
    state_rows = [{**row, "mark": _mark(row["ver"])} for row in jurisdiction.facts_table(
        jurisdiction=practice.jurisdiction)]
    return {
        "practice": {"name": practice.name, "sender": practice_sender(practice), "callback_phone": practice.callback_phone,
                     "timezone": practice.timezone, "jurisdiction": practice.jurisdiction},
        "note_formats": [{"code": code, "sections": sections} for code, sections in NOTE_FORMATS],
        "packs": packs, "promises": promises, "state_rules": state_rows,
        "rules_version": rule_set.version,
        "marks": [{"code": code, "meaning": meaning} for code, meaning in MARKS.items()],
    }
