"""Questionnaires and the intake form, completed by the client before a session.

The PHQ-9 and the GAD-7 are scored as the chart's measures (services.charting.measures:
item by item, never a typed total) and kept twice: as an `Assessment` in the chart, and
as the client's `FormResponse`, which waits for the clinician to mark it reviewed. Any
answer above 0 on PHQ-9 item 9 flags the response for the clinician, who sees it first
on their home page; nothing leaves the practice because of it (a flag is not a
disclosure). The client is shown where to find help at once.

The practice's intake form asks what brings the client, what they hope for, current
medications, earlier counseling and anything else; it is kept as written."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import Assessment, CareTeamMember, FormResponse
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.charting.measures import ANSWERS, GAD7, PHQ9, measure_score
from confide.services.directory import listing
from confide.services.keys import client_data_key, data_key_of
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal

# A questionnaire counts as recent for this long; the portal asks again after it.
RECENT = timedelta(days=14)


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    hint: str
    required: bool
    limit: int


INTAKE_QUESTIONS = (
    Question("reason", "What brings you here?", "In your own words; a sentence is enough.", True, 2000),
    Question("hopes", "What would you like to be different?", "", False, 2000),
    Question("medications", "Medications you take now", "Name and dose, if you know it. Leave empty if none.",
             False, 1000),
    Question("earlier_care", "Counseling or similar help before", "When, and whether it helped.", False, 1000),
    Question("anything_else", "Anything else you would like your clinician to know", "", False, 2000),
)

# The forms a client completes, by the slug the pages use.
FORMS = {"phq9": "PHQ-9", "gad7": "GAD-7", "intake": "intake"}
TITLES = {"PHQ-9": "Mood questionnaire (PHQ-9)", "GAD-7": "Worry questionnaire (GAD-7)",
          "intake": "Intake form"}
INSTRUMENTS = {"PHQ-9": PHQ9, "GAD-7": GAD7}


def form_definition(slug: str) -> dict:
    """What a form asks, for its page; NotFound for an unknown slug."""
    kind = FORMS.get(slug)
    if kind is None:
        raise NotFound()
    if kind == "intake":
        return {"slug": slug, "kind": kind, "title": TITLES[kind], "questions": INTAKE_QUESTIONS}
    inst = INSTRUMENTS[kind]
    return {"slug": slug, "kind": kind, "title": TITLES[kind], "question": inst.question, "items": inst.items,
            "answers": ANSWERS}


def _clean_intake(answers) -> dict:
    if not isinstance(answers, dict):
        raise InvalidInput("intake form: expected the answers")
    unknown = set(answers) - {q.key for q in INTAKE_QUESTIONS}
    if unknown:
        raise InvalidInput("intake form: an answer to a question the form does not ask")
    out = {}
    for q in INTAKE_QUESTIONS:
        value = answers.get(q.key) or ""
        if not isinstance(value, str):
            raise InvalidInput(f"{q.label}: expected text")
        value = value.strip()
        if len(value) > q.limit or any(ord(c) < 32 and c not in "\n\r\t" for c in value):
            raise InvalidInput(f"{q.label}: at most {q.limit} characters of text")
        if q.required and not value:
            raise InvalidInput(f"{q.label}: please answer this question")
        out[q.key] = value
    return out


def _kind(dek: bytes, row: FormResponse) -> str:
    return (unseal(dek, FormResponse, "body_enc", row.id, row.body_enc) or {}).get("kind", "")


def _due(client_id, practice_id, now: datetime) -> list[str]:
    """The forms the client has not completed recently (the intake form: ever)."""
    done = {}
    rows = (FormResponse.objects.filter(practice_id=practice_id, client_id=client_id)
            .only("id", "practice_id", "body_enc", "created_at"))
    dek = client_data_key(client_id, rows[0].practice_id) if rows else None
    for row in rows:
        kind, at = _kind(dek, row), row.created_at
        done[kind] = max(done.get(kind, at), at)
    out = []
    for slug, kind in FORMS.items():
        last = done.get(kind)
        if last is None or (kind != "intake" and now - last > RECENT):
            out.append(slug)
    return out


def forms_due(*, user: User, client_id) -> list[dict]:
    """The forms to complete before the next session: each with its title."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"assessments"}, detail={"view": "forms_due"}) as ok:
        slugs = _due(ok.client.id, ok.client.practice_id, datetime.now(timezone.utc))
    return [{"slug": s, "title": TITLES[FORMS[s]]} for s in slugs]


def form_submit(*, user: User, client_id, slug: str, answers) -> dict:
    """Keep a completed form. Returns what the client is told: the form's title and,
    for a PHQ-9 with item 9 above 0, `help` (the page shows where to find help now)."""
    kind = FORMS.get(slug)
    if kind is None:
        raise InvalidInput(f"form: one of {', '.join(FORMS)}")
    scored = measure_score(kind, answers) if kind in INSTRUMENTS else None
    intake = _clean_intake(answers) if kind == "intake" else None
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"assessments"}, detail={"record": "form_response", "form": kind}) as ok:
        dek = data_key_of(ok.client)
        assessment_id = None
        if scored is not None:
            assessment_id = uuid.uuid4()
            body = {**scored, "date": local_today(ok.client.practice_id).isoformat(), "source": "client"}
            Assessment.objects.create(id=assessment_id, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                      body_enc=seal(dek, Assessment, "body_enc", assessment_id, body))
        rid = uuid.uuid4()
        body = {"kind": kind, **(scored or {}), **({"answers": intake} if intake is not None else {})}
        FormResponse.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                    assessment_id=assessment_id,
                                    body_enc=seal(dek, FormResponse, "body_enc", rid, body))
    return {"id": str(rid), "title": TITLES[kind], "help": bool(scored and scored.get("flag"))}


def _view(dek: bytes, row: FormResponse) -> dict:
    body = unseal(dek, FormResponse, "body_enc", row.id, row.body_enc) or {}
    kind = body.get("kind", "")
    view = {"id": str(row.id), "client_id": str(row.client_id), "kind": kind, "title": TITLES.get(kind, kind),
            "at": row.created_at, "reviewed_at": row.reviewed_at, "flag": body.get("flag"),
            "score": body.get("score"), "max": body.get("max"), "severity": body.get("severity")}
    if kind in INSTRUMENTS:
        inst = INSTRUMENTS[kind]
        words = dict(ANSWERS)
        view["items"] = [{"n": n, "text": text, "answer": words.get(a, ""), "value": a, "flagged": kind == "PHQ-9"
                          and n == 9 and a > 0} for n, (text, a) in enumerate(zip(inst.items, body.get("items", [])), 1)]
    else:
        answers = body.get("answers") or {}
        view["answers"] = [{"label": q.label, "text": answers.get(q.key, "")} for q in INTAKE_QUESTIONS]
    return view


def forms_to_review(*, user: User) -> list[dict]:
    """Forms clients completed that the clinician has not reviewed, for the clients the
    PDP lets them see; flagged ones first."""
    if user.role not in ("clinician", "supervisor"):
        return []
    rows = _unreviewed_for(user)
    listed = listing(user, {r.client_id for r in rows}, categories={"assessments"}, action="forms.to_review")
    out = []
    for row in rows:
        client = listed.get(row.client_id)
        if client is None:
            continue
        view = _view(data_key_of(row), row)
        out.append({**view, "client_name": client.name})
    return sorted(out, key=lambda v: (v["flag"] is None, v["at"]))


def _unreviewed_for(user: User) -> list[FormResponse]:
    treated = CareTeamMember.objects.filter(practice_id=user.practice_id, staff=user, ended_at__isnull=True
                                            ).values("client_id")
    return list(FormResponse.objects.filter(practice_id=user.practice_id, reviewed_at__isnull=True,
                                            client_id__in=treated).order_by("created_at", "id"))


def _response(user: User, response_id) -> FormResponse | None:
    rid = access.parse_client_id(response_id)
    return FormResponse.objects.filter(id=rid, practice_id=user.practice_id).first() if rid else None


def form_response_get(*, user: User, response_id) -> dict:
    """One completed form, as the clinician reads it (answers item by item)."""
    row = _response(user, response_id)
    with access.governed(user=user, client_id=row.client_id if row else None, action="read",
                         purpose=access.default_purpose(user), categories={"assessments"},
                         detail={"view": "form_response"}) as ok:
        return _view(data_key_of(ok.client), row)


def form_review(*, user: User, response_id) -> None:
    """The clinician marks a completed form reviewed (it leaves their list)."""
    if user.role not in ("clinician", "supervisor"):
        raise NotFound()
    row = _response(user, response_id)
    with access.governed(user=user, client_id=row.client_id if row else None, action="write", purpose="TREAT",
                         categories={"assessments"}, detail={"record": "form_review"}):
        FormResponse.objects.filter(practice_id=row.practice_id, id=row.id, reviewed_at__isnull=True).update(
            reviewed_at=datetime.now(timezone.utc), reviewed_by=user)


def forms_of_client(*, user: User, client_id) -> list[dict]:
    """Every form the client completed, newest first (the chart, and the client)."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"assessments"}, detail={"view": "form_responses"}) as ok:
        dek = data_key_of(ok.client)
        rows = FormResponse.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
        return [_view(dek, r) for r in rows.order_by("-created_at", "-id")]
