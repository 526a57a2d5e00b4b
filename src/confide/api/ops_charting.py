"""Charting: notes (drafts, signing, co-signing, addenda, paged history), ICD-10-CM
diagnoses, treatment plans and scored questionnaires. Each operation calls one service
in services.charting; a note id names its client, so a note the caller may not touch
answers as a note that does not exist."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Status

from confide.api import schemas as s
from confide.api.operations import Operation
from confide.services import charting


class NoteDraftIn(s.Strict):
    template: Literal["SOAP", "DAP", "BIRP", "free"]
    session_date: date | None = None
    sections: dict[str, str] = Field(default_factory=dict, max_length=8)


class NoteSaveIn(s.Strict):
    note_id: str = Field(max_length=64)
    sections: dict[str, str] = Field(max_length=8)
    session_date: date | None = None


class NoteRefIn(s.Strict):
    note_id: str = Field(max_length=64)


class NoteReturnIn(NoteRefIn):
    comment: str = Field(min_length=1, max_length=2000)


class AddendumIn(NoteRefIn):
    text: str = Field(min_length=1, max_length=20000)


class DiagnosisIn(s.Strict):
    code: str = Field(min_length=1, max_length=10)
    since: date | None = None


class GoalIn(s.Strict):
    text: str = Field(min_length=1, max_length=500)
    progress: int = Field(default=0, ge=0, le=4)
    target: date | None = None


class PlanIn(s.Strict):
    summary: str = Field(min_length=1, max_length=4000)
    goals: list[GoalIn] = Field(min_length=1, max_length=12)


class MeasureIn(s.Strict):
    instrument: Literal["PHQ-9", "GAD-7"]
    answers: list[int] = Field(min_length=7, max_length=9)
    on: date | None = None


class NotesPageApi(Operation):
    path = "/clients/{client_id}/notes"
    summary = "The chart's progress notes, newest first, a page at a time (`next` marks the following page)"
    output = dict

    @staticmethod
    def handle(request, client_id: str, before: str | None = None, limit: int = 20):
        return charting.notes_page(user=request.auth, client_id=client_id, before=before, limit=limit)


class AppointmentsPageApi(Operation):
    path = "/clients/{client_id}/appointments"
    summary = ("The chart's appointments, a page at a time: the newest past ones and the next to come, then "
               "older ones (`next` marks the following page; the chart's `appointments_next` the second)")
    output = dict

    @staticmethod
    def handle(request, client_id: str, before: str | None = None, limit: int = 20):
        return charting.appointments_page(user=request.auth, client_id=client_id, before=before, limit=limit)


class NoteDraftStartApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/notes"
    summary = "Start a draft progress note from one of the practice's templates"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, client_id: str, payload: NoteDraftIn):
        rid = charting.note_draft_start(user=request.auth, client_id=client_id, template=payload.template,
                                        session_date=payload.session_date, sections=payload.sections)
        return Status(201, {"id": str(rid)})


class NoteDraftSaveApi(Operation):
    method = "POST"
    path = "/notes/save"
    summary = "Save the author's draft (a signed note is refused: add an addendum)"
    output = dict

    @staticmethod
    def handle(request, payload: NoteSaveIn):
        return charting.note_draft_save(user=request.auth, note_id=payload.note_id, sections=payload.sections,
                                        session_date=payload.session_date)


class NoteSignApi(Operation):
    method = "POST"
    path = "/notes/sign"
    summary = "Sign and lock a note (a pre-licensed author's note then waits for the co-signature)"
    output = dict

    @staticmethod
    def handle(request, payload: NoteRefIn):
        return {"status": charting.note_sign(user=request.auth, note_id=payload.note_id)}


class NoteCosignApi(Operation):
    method = "POST"
    path = "/notes/cosign"
    summary = "Co-sign a supervisee's note"
    output = dict

    @staticmethod
    def handle(request, payload: NoteRefIn):
        return {"status": charting.note_cosign(user=request.auth, note_id=payload.note_id)}


class NoteReturnApi(Operation):
    method = "POST"
    path = "/notes/return"
    summary = "Return a supervisee's note to its author with a comment"
    output = dict

    @staticmethod
    def handle(request, payload: NoteReturnIn):
        return {"status": charting.note_return(user=request.auth, note_id=payload.note_id, comment=payload.comment)}


class NoteAddendumApi(Operation):
    method = "POST"
    path = "/notes/addendum"
    summary = "Add an addendum (author and time) to a signed note"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, payload: AddendumIn):
        rid = charting.note_addendum_add(user=request.auth, note_id=payload.note_id, text=payload.text)
        return Status(201, {"id": str(rid)})


class NotesToSignApi(Operation):
    path = "/notes/to-sign"
    summary = "The caller's notes not yet signed"
    output = list[dict]

    @staticmethod
    def handle(request):
        return charting.notes_to_sign(user=request.auth)


class CosignQueueApi(Operation):
    path = "/notes/cosign-queue"
    summary = "Notes of the caller's supervisees waiting for the co-signature"
    output = list[dict]

    @staticmethod
    def handle(request):
        return charting.cosign_queue(user=request.auth)


class Icd10SearchApi(Operation):
    path = "/icd10"
    summary = "Billable ICD-10-CM codes by code or by words"
    output = list[dict]

    @staticmethod
    def handle(request, q: str):
        return charting.icd10_search(q)


class DiagnosisAddApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/diagnoses"
    summary = "Add a diagnosis by its ICD-10-CM code (the description is the code set's)"
    status = 201
    output = dict

    @staticmethod
    def handle(request, client_id: str, payload: DiagnosisIn):
        return Status(201, charting.diagnosis_add(user=request.auth, client_id=client_id, code=payload.code,
                                                  since=payload.since))


class TreatmentPlanSaveApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/treatment-plan"
    summary = "Save a new version of the treatment plan, its goals and their progress ratings"
    status = 201
    output = dict

    @staticmethod
    def handle(request, client_id: str, payload: PlanIn):
        goals = [g.model_dump(mode="json") for g in payload.goals]
        return Status(201, charting.treatment_plan_save(user=request.auth, client_id=client_id,
                                                        summary=payload.summary, goals=goals))


class MeasureRecordApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/measures"
    summary = "Score a PHQ-9 or GAD-7 from its items and keep it (severity; PHQ-9 item 9 flagged)"
    status = 201
    output = dict

    @staticmethod
    def handle(request, client_id: str, payload: MeasureIn):
        return Status(201, charting.measure_record(user=request.auth, client_id=client_id,
                                                   instrument=payload.instrument, answers=payload.answers,
                                                   on=payload.on))


OPERATIONS = (NotesPageApi, AppointmentsPageApi, NoteDraftStartApi, NoteDraftSaveApi, NoteSignApi, NoteCosignApi, NoteReturnApi,
              NoteAddendumApi, NotesToSignApi, CosignQueueApi, Icd10SearchApi, DiagnosisAddApi,
              TreatmentPlanSaveApi, MeasureRecordApi)
