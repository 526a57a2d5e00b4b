"""Charting: open a chart, write progress and psychotherapy notes, add structured
records, and keep the care team. Every function goes through the door
(`access.governed`), decrypts only what the decision permits, and audits in the same
transaction (promise 1).

The parts: `notes` (templates, drafts, signing, co-signing, addenda, paged history),
`diagnoses` (ICD-10-CM), `plans` (goals and ratings), `measures` (PHQ-9, GAD-7) and
`tabs` (the chart one tab at a time)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from confide.apps.practice.models import SupervisionLink, User
from confide.apps.records.models import (
    CareTeamMember,
    ProgressNote,
    PsychotherapyNote,
)
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.charting.diagnoses import diagnosis_add, icd10_check, icd10_search  # noqa: F401
from confide.services.charting.history import appointments_page  # noqa: F401
from confide.services.charting.measures import (  # noqa: F401
    INSTRUMENTS,
    measure_record,
    measure_score,
)
from confide.services.charting.notes import (  # noqa: F401
    NOTE_TEMPLATES,
    awaiting_my_cosign,
    body_digest,
    cosign_queue,
    needs_cosign,
    note_addendum_add,
    note_cosign,
    note_draft_save,
    note_draft_start,
    note_get,
    note_return,
    note_sign,
    note_templates_in_use,
    note_templates_set,
    notes_page,
    notes_to_sign,
)
from confide.services.charting.notes import PAGE_SIZE as NOTES_PAGE
from confide.services.charting.plans import treatment_plan_save  # noqa: F401
from confide.services.charting.tabs import TABS, chart_tab  # noqa: F401
from confide.services.disclosures.minors import guardian_view
from confide.services.keys import data_key_of
from confide.services.practice_time import local_today
from confide.services.projection import (
    CHART_SECTIONS,
    HISTORY_PAGE,
    RECORD_KINDS,
    screen_read,
    screen_shape,
)
from confide.services.sealing import seal
from confide.services.topics import check_topics, topics_tag
from confide.services.validation import check_keys, check_past_day, parse_date


def record_add(*, user: User, client_id, kind: str, data: dict) -> uuid.UUID:
    """Add one structured record (diagnosis, medication, plan, ...) to a chart."""
    if kind not in RECORD_KINDS:
        raise InvalidInput(f"unknown record kind {kind!r}")
    model, column, category, allowed, required = RECORD_KINDS[kind]
    check_keys(kind, data, allowed, required)
    if kind == "diagnosis":
        data = {**data, "code": icd10_check(data["code"])[0]}  # only a billable ICD-10-CM code
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={category}, detail={"record": kind}) as ok:
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        model.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                             **{column: seal(dek, model, column, rid, data)})
    return rid


def progress_note_create(*, user: User, client_id, session_date, text: str, note_format: str = "SOAP",
                         topics=None) -> uuid.UUID:
    """A progress note written and signed in one step (an import, the API), optionally
    tagged with topics the practice's promises name. Signed as `notes.note_sign` signs:
    a pre-licensed author's note waits for the supervisor's co-signature."""

    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("progress note: text is empty")
    day = check_past_day("session_date", parse_date("session_date", session_date), local_today(user.practice_id))
    formats = list(user.practice.note_formats or [])
    if note_format not in formats:
        raise InvalidInput(f"format: one of {', '.join(formats)} (the practice's note formats)")
    tags = check_topics(topics)
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"progress_notes"}, detail={"record": "progress_note"}) as ok:
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        cosign = needs_cosign(user)
        if cosign and not SupervisionLink.objects.filter(supervisee=user, practice_id=user.practice_id).exists():
            raise InvalidInput("progress note: the author's notes need a supervisor's co-signature and no "
                               "supervisor is linked")
        body = {"format": note_format, "text": text}
        now = datetime.now(timezone.utc)
        note = ProgressNote.objects.create(
            id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, author=user, session_date=day,
            body_enc=seal(dek, ProgressNote, "body_enc", rid, body),
            status="awaiting_cosign" if cosign else "signed", signed_at=now, updated_at=now,
            signature_enc=seal(dek, ProgressNote, "signature_enc", rid, {
                "signed_by": user.full_name or user.username, "signed_at": now.isoformat(),
                "licence": user.licence, "sha256": body_digest(body)}))
        if tags:
            topics_tag(practice_id=ok.client.practice_id, client_id=ok.client.id, record=note,
                       category="progress_notes", topics=tags)
    return rid


def psychotherapy_note_create(*, user: User, client_id, session_date, text: str) -> uuid.UUID:
    """A psychotherapy note: kept apart, readable by its author only (45 CFR 164.501)."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("psychotherapy note: text is empty")
    day = check_past_day("session_date", parse_date("session_date", session_date), local_today(user.practice_id))
    # The author writes only into a chart they treat: ask for the chart relationship
    # (progress notes) and the note compartment together.
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"psychotherapy_notes", "progress_notes"}, note_author_id=user.pk,
                         detail={"record": "psychotherapy_note"}) as ok:
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        PsychotherapyNote.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                         author=user, session_date=day,
                                         body_enc=seal(dek, PsychotherapyNote, "body_enc", rid, {"text": text}))
    return rid


def care_team_assign(*, user: User, client_id, staff_id) -> None:
    """A treating clinician adds a colleague as treating clinician."""
    staff = User.objects.filter(pk=staff_id, practice_id=user.practice_id, role__in=("clinician", "supervisor")).first()
    if staff is None:
        raise InvalidInput("care team: unknown clinician")
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"fact_of_treatment"}, detail={"record": "care_team"}) as ok:
        CareTeamMember.objects.get_or_create(practice_id=ok.client.practice_id, client_id=ok.client.id, staff=staff,
                                             relationship="treating")


def chart_open(*, user: User, client_id, purpose: str | None = None) -> dict:
    """Open a chart: PDP -> load -> audit, in one transaction; then decrypt -> project.
    The read (one statement, services.chart_query) is the transaction's last, and takes
    the audit chain's head lock in its round trip; its rows are opened only after the
    commit, so nothing of the chart is decrypted before the read is on record.

    Returns only the sections the decision permits. Psychotherapy notes are asked for
    only when the user wrote some for this client, and only theirs are returned.
    Progress notes: the newest page of signed ones, with `progress_notes_next` (the
    `before` marker of notes_page) when there are older ones; appointments likewise
    (the newest past ones and the next to come, `appointments_next` for
    appointments_page), so the first screen costs the same for 10 sessions or 1,000.
    """
    if user.role == "representative":
        # A parent or guardian sees the guardian view: broad goals and progress plus what
        # the ground rules (or the minor) allow, never the chart (DESIGN.md promise 7).
        return guardian_view(user=user, client_id=client_id)
    purpose = purpose or access.default_purpose(user)
    # Whether the user wrote process notes here is the user's own metadata, read by the
    # door's one query (the same for any id): if so, theirs are asked for too.
    with access.governed(user=user, client_id=client_id, action="read", purpose=purpose,
                         categories=set(CHART_SECTIONS), author_notes=True, detail={"view": "chart"},
                         whole_client=True) as ok:
        client = ok.client
        cats = frozenset(ok.decision.categories)
        # The first screen of the history, whatever the chart's length; older notes
        # page through notes_page with `progress_notes_next` as `before`, older
        # appointments through appointments_page with `appointments_next`. Its read is
        # the transaction's last statement: the audit chain's head is locked in the same
        # round trip.
        read = screen_read(user, client, cats, history=HISTORY_PAGE, notes=NOTES_PAGE, last=True)
    # The read is on record (committed) before anything of it is decrypted.
    return screen_shape(user, client, data_key_of(client), cats, read, history=HISTORY_PAGE, notes=NOTES_PAGE)
