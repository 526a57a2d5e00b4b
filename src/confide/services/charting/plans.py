"""Treatment plans: a summary and goals, each with a target date and a progress rating
(0 not started to 4 achieved). Each save keeps a new version; the chart shows the
latest, so earlier ratings stay in the record."""

from __future__ import annotations

import uuid

from confide.apps.practice.models import User
from confide.apps.records.models import TreatmentPlan
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.sealing import seal
from confide.services.validation import parse_date

PROGRESS = ((0, "not started"), (1, "a little"), (2, "some"), (3, "most of the way"), (4, "achieved"))
MAX_GOALS = 12


def _goal(n: int, raw) -> dict:
    if not isinstance(raw, dict):
        raise InvalidInput(f"goal {n}: expected an object")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > 500:
        raise InvalidInput(f"goal {n}: describe it in 1 to 500 characters")
    progress = raw.get("progress", 0)
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 4:
        raise InvalidInput(f"goal {n}: progress is rated 0 to 4")
    target = raw.get("target")
    goal = {"text": text.strip(), "progress": progress,
            "target": parse_date(f"goal {n}", target).isoformat() if target else None}
    return goal


def treatment_plan_save(*, user: User, client_id, summary: str, goals) -> dict:
    """A new version of the plan: the summary and every goal with its rating."""
    if not isinstance(summary, str) or not summary.strip() or len(summary) > 4000:
        raise InvalidInput("plan: the summary needs 1 to 4000 characters")
    if not isinstance(goals, (list, tuple)) or not goals:
        raise InvalidInput("plan: give at least one goal")
    if len(goals) > MAX_GOALS:
        raise InvalidInput(f"plan: at most {MAX_GOALS} goals")
    clean = [_goal(n, g) for n, g in enumerate(goals, 1)]
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"treatment_plan"}, detail={"record": "treatment_plan"}) as ok:
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        body = {"summary": summary.strip(), "goals": clean}
        TreatmentPlan.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                     body_enc=seal(dek, TreatmentPlan, "body_enc", rid, body))
    return {"id": str(rid), **body}
