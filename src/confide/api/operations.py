"""JSON API operations: one class per operation, each calling one service.

Every route that names a client answers a caller with no relationship exactly as it
answers for a client id that does not exist (the services raise the same NotFound).
"""

from __future__ import annotations

from ninja import Status

from confide.api import schemas as s
from confide.core.errors import InvalidInput
from confide.services import (
    break_glass,
    charting,
    directory,
    intake,
    reports,
    scheduling,
)

# 403: a disclosure the rules refuse, to a caller who may know the client exists
# (`Refused`, naming the rules), or an action their role may not take (`Forbidden`).
# 405: a path another operation owns under another method (GET .../consultations/release
# is the release's path, not a draft called "release").
COMMON = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 405: s.ErrorOut, 413: s.ErrorOut,
          415: s.ErrorOut, 422: s.ErrorOut}


class Operation:
    method = "GET"
    path = ""
    summary = ""
    status = 200
    output = None
    # A body whose sections are what the decision permits (a chart, a guardian view)
    # leaves out the sections it does not hold rather than answering them as null.
    exclude_unset = False

    @classmethod
    def responses(cls) -> dict:
        return {cls.status: cls.output, **COMMON}


class MeApi(Operation):
    path = "/me"
    summary = "The signed-in user"
    output = s.MeOut

    @staticmethod
    def handle(request):
        from confide.services.accounts import login_of

        u = request.auth
        return {"username": login_of(u), "role": u.role, "full_name": u.full_name}


class ClientListApi(Operation):
    path = "/clients"
    summary = ("Clients the caller may list, newest intake first, a page at a time: pass `next` back as "
               "`after` for the following page")
    output = s.ClientPageOut

    @staticmethod
    def handle(request, after: str | None = None, limit: int = directory.PAGE_SIZE):
        return directory.client_page(user=request.auth, after=after, limit=limit)


class ClientSearchApi(Operation):
    path = "/clients/search"
    summary = "Exact-match search by name, email or phone, among related clients only"
    output = list[s.ClientRowOut]

    @staticmethod
    def handle(request, q: str):
        return directory.client_search(user=request.auth, query=q)


class ClientCreateApi(Operation):
    method = "POST"
    path = "/clients"
    summary = "Create a client (the creating clinician becomes treating clinician)"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, payload: s.ClientCreateIn):
        identity = payload.identity.model_dump(exclude_none=True, mode="json")
        contact = payload.contact.model_dump(exclude_none=True, mode="json") if payload.contact else None
        return Status(201, {"id": str(intake.client_create(user=request.auth, identity=identity, contact=contact))})


class ChartOpenApi(Operation):
    path = "/clients/{client_id}"
    summary = "Open a chart: only the sections the policy permits"
    output = s.ChartOut
    exclude_unset = True

    @staticmethod
    def handle(request, client_id: str):
        return charting.chart_open(user=request.auth, client_id=client_id)


class ProgressNoteCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/progress-notes"
    summary = "Write a progress note"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, client_id: str, payload: s.ProgressNoteIn):
        rid = charting.progress_note_create(user=request.auth, client_id=client_id, session_date=payload.session_date,
                                           text=payload.text, note_format=payload.format, topics=payload.topics)
        return Status(201, {"id": str(rid)})


class PsychotherapyNoteCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/psychotherapy-notes"
    summary = "Write a psychotherapy note (kept apart; only its author reads it)"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, client_id: str, payload: s.PsychotherapyNoteIn):
        rid = charting.psychotherapy_note_create(user=request.auth, client_id=client_id,
                                                session_date=payload.session_date, text=payload.text)
        return Status(201, {"id": str(rid)})


class RecordAddApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/records"
    summary = "Add a diagnosis, medication, plan, assessment, risk assessment or contact"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, client_id: str, payload: s.RecordIn):
        rid = charting.record_add(user=request.auth, client_id=client_id, kind=payload.kind, data=payload.data)
        return Status(201, {"id": str(rid)})


class AppointmentCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/appointments"
    summary = "Schedule an appointment (neutral label)"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, client_id: str, payload: s.AppointmentIn):
        if payload.starts_at.tzinfo is None:
            raise InvalidInput("starts_at: give a time zone offset")
        rid = scheduling.appointment_create(user=request.auth, client_id=client_id, clinician_id=payload.clinician_id,
                                            starts_at=payload.starts_at, minutes=payload.minutes, room=payload.room,
                                            appointment_type=payload.appointment_type, modality=payload.modality)
        return Status(201, {"id": str(rid)})

    @classmethod
    def responses(cls) -> dict:
        return {**super().responses(), 409: s.ErrorOut}  # a clinician or room already booked then


class BreakGlassOpenApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/break-glass"
    summary = "Emergency access with a stated reason; expires and is reviewed"
    status = 201
    output = s.BreakGlassOut

    @staticmethod
    def handle(request, client_id: str, payload: s.BreakGlassIn):
        return Status(201, break_glass.break_glass_open(user=request.auth, client_id=client_id, reason=payload.reason))


class AccessReportApi(Operation):
    path = "/clients/{client_id}/access-report"
    summary = "Who opened this client's record, when, and why"
    output = list[s.AccessEntryOut]

    @staticmethod
    def handle(request, client_id: str):
        return reports.access_report(user=request.auth, client_id=client_id)


class MyAccessReportApi(Operation):
    path = "/me/access-report"
    summary = "The signed-in client's own access report"
    output = list[s.AccessEntryOut]

    @staticmethod
    def handle(request):
        return reports.access_report(user=request.auth, client_id=reports.my_client_id(request.auth))


OPERATIONS = (MeApi, ClientListApi, ClientSearchApi, ClientCreateApi, ChartOpenApi, ProgressNoteCreateApi,
              PsychotherapyNoteCreateApi, RecordAddApi, AppointmentCreateApi, BreakGlassOpenApi, AccessReportApi,
              MyAccessReportApi)
