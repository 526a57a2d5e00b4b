"""Measures: the PHQ-9 and the GAD-7, entered item by item and scored here (never a
typed total). Each answer is 0 (not at all) to 3 (nearly every day) for the last two
weeks. Severity bands: Kroenke, Spitzer and Williams 2001 (PHQ-9); Spitzer et al. 2006
(GAD-7). Any answer above 0 on PHQ-9 item 9 (thoughts of being better off dead or of
self-harm) is flagged to the clinician with the score."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from confide.apps.practice.models import User
from confide.apps.records.models import Assessment
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.sealing import seal
from confide.services.validation import parse_date

ANSWERS = ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day"))


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    question: str
    items: tuple[str, ...]
    bands: tuple[tuple[int, str], ...]  # (lowest score, severity), ascending

    @property
    def max_score(self) -> int:
        return 3 * len(self.items)

    def severity(self, score: int) -> str:
        word = self.bands[0][1]
        for low, name in self.bands:
            if score >= low:
                word = name
        return word


PHQ9 = Instrument(
    "PHQ-9", "PHQ-9 (depression)",
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    ("Little interest or pleasure in doing things",
     "Feeling down, depressed, or hopeless",
     "Trouble falling or staying asleep, or sleeping too much",
     "Feeling tired or having little energy",
     "Poor appetite or overeating",
     "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
     "Trouble concentrating on things, such as reading the newspaper or watching television",
     "Moving or speaking so slowly that other people could have noticed; or the opposite, being so fidgety "
     "or restless that you have been moving around a lot more than usual",
     "Thoughts that you would be better off dead, or of hurting yourself in some way"),
    ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately severe"), (20, "severe")))

GAD7 = Instrument(
    "GAD-7", "GAD-7 (anxiety)",
    "Over the last 2 weeks, how often have you been bothered by the following problems?",
    ("Feeling nervous, anxious, or on edge",
     "Not being able to stop or control worrying",
     "Worrying too much about different things",
     "Trouble relaxing",
     "Being so restless that it is hard to sit still",
     "Becoming easily annoyed or irritable",
     "Feeling afraid, as if something awful might happen"),
    ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")))

INSTRUMENTS = {i.key: i for i in (PHQ9, GAD7)}
# Route-safe slugs (phq9, gad7) for pages.
SLUGS = {"phq9": "PHQ-9", "gad7": "GAD-7"}


def measure_score(instrument: str, answers) -> dict:
    """Score a completed questionnaire: every item answered 0-3. Returns the score,
    the severity word and, for the PHQ-9, whether item 9 needs the clinician's attention."""
    inst = INSTRUMENTS.get(instrument)
    if inst is None:
        raise InvalidInput(f"measure: instrument must be one of {', '.join(INSTRUMENTS)}")
    if not isinstance(answers, (list, tuple)) or len(answers) != len(inst.items):
        raise InvalidInput(f"measure: {inst.key} needs an answer to each of its {len(inst.items)} items")
    for n, a in enumerate(answers, 1):
        if isinstance(a, bool) or not isinstance(a, int) or not 0 <= a <= 3:
            raise InvalidInput(f"measure: item {n} must be answered 0 to 3")
    score = sum(answers)
    out = {"instrument": inst.key, "items": list(answers), "score": score, "max": inst.max_score,
           "severity": inst.severity(score), "flag": None}
    if inst is PHQ9 and answers[8] > 0:
        out["flag"] = "item9"
    return out


def measure_record(*, user: User, client_id, instrument: str, answers, on=None) -> dict:
    """Score and keep a questionnaire in the chart (category assessments)."""
    scored = measure_score(instrument, answers)
    day = parse_date("measure", on) if on else date.today()
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"assessments"}, detail={"record": "assessment", "instrument": instrument}) as ok:
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        body = {**scored, "date": day.isoformat()}
        Assessment.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                  body_enc=seal(dek, Assessment, "body_enc", rid, body))
    return {"id": str(rid), **body}
