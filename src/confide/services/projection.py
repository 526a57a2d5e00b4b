"""What a reader sees of a chart: the permitted sections of a client's record,
decrypted and shaped. Used by the chart (services.charting), by disclosure packets and
by the guardian view; nothing here asks the PDP, so every caller passes the categories
its decision permitted, and nothing outside them is read from its ciphertext."""

from __future__ import annotations

from confide.apps.practice.models import User
from confide.apps.records.models import (
    Appointment,
    Assessment,
    CareTeamMember,
    Client,
    Contact,
    Diagnosis,
    Medication,
    NoteAddendum,
    ProgressNote,
    PsychotherapyNote,
    RiskAssessment,
    TreatmentPlan,
)
from confide.services.practice_time import practice_zone
from confide.services.sealing import unseal

# What each structured record holds, by kind: model, encrypted column, category, keys.
RECORD_KINDS: dict[str, tuple] = {
    "contact": (Contact, "data_enc", "family_contacts",
                {"name", "relationship", "phone", "email", "emergency", "guardian"}, {"name", "relationship"}),
    "diagnosis": (Diagnosis, "body_enc", "diagnosis", {"code", "description", "since"}, {"code", "description"}),
    "medication": (Medication, "body_enc", "medications", {"name", "dose", "prescriber"}, {"name"}),
    "treatment_plan": (TreatmentPlan, "body_enc", "treatment_plan", {"summary", "goals"}, {"summary", "goals"}),
    "assessment": (Assessment, "body_enc", "assessments", {"instrument", "score", "date"}, {"instrument", "score"}),
    "risk_assessment": (RiskAssessment, "body_enc", "risk_assessment",
                        {"level", "summary", "safety_plan", "date"}, {"level", "summary"}),
}

# What a chart shows: the categories `project_chart` has a section for. Only these are
# asked of the PDP, so the audit log records what was actually released (minimum
# necessary); psychotherapy notes are asked for separately, by their author only.
CHART_SECTIONS = frozenset({
    "identity", "contact", "family_contacts", "fact_of_treatment", "appointments", "attendance", "billing",
    "diagnosis", "medications", "treatment_plan", "progress_notes", "assessments", "risk_assessment",
    "contact_preferences",
})


def _rows(model, client_id, **filters):
    return model.objects.filter(client_id=client_id, **filters).order_by("created_at", "id")


def appointment_status(dek: bytes, appt: Appointment) -> str | None:
    """What happened to a session: cancelled (whoever cancelled it: the front desk
    records a cancellation on the appointment, the clinician also as attendance),
    else the attendance its clinician recorded (None: nothing recorded yet)."""
    if appt.cancelled_at is not None:
        return "cancelled"
    return (unseal(dek, Appointment, "attendance_enc", appt.id, appt.attendance_enc) or {}).get("status")


def attendance_list(dek: bytes, client: Client) -> list[dict]:
    """Each past session's day (in the practice's time zone, as dates of service are)
    and status (attended, cancelled, no show)."""
    tz = practice_zone(client.practice_id)
    out = []
    for a in _rows(Appointment, client.id).order_by("starts_at"):
        status = appointment_status(dek, a)
        if status and status != "scheduled":
            out.append({"id": str(a.id), "date": a.starts_at.astimezone(tz).date().isoformat(), "status": status})
    return out


def _signed_notes(dek: bytes, notes) -> list[dict]:
    addenda: dict = {}
    for a in NoteAddendum.objects.filter(note_id__in=[n.id for n in notes]).select_related("author").order_by(
            "created_at", "id"):
        addenda.setdefault(a.note_id, []).append(
            {"author": a.author.full_name, "at": a.created_at.isoformat(),
             **(unseal(dek, NoteAddendum, "body_enc", a.id, a.body_enc) or {})})
    return [
        {"id": str(n.id), "session_date": n.session_date.isoformat(), "author": n.author.full_name,
         **{k: v for k, v in unseal(dek, ProgressNote, "body_enc", n.id, n.body_enc).items() if k != "sections"},
         **({"addenda": addenda[n.id]} if n.id in addenda else {})}
        for n in notes]


def latest_signed_notes(client: Client, dek: bytes, limit: int) -> tuple[list[dict], str | None]:
    """The chart's newest `limit` signed notes (oldest of them first, as the whole
    projection orders them) and the marker of the notes before them (None when there
    are none): what the chart's first screen shows whatever the chart's length (keyset
    on session date and id, the notes index)."""
    rows = list(ProgressNote.objects.filter(client_id=client.id, status="signed").select_related("author")
                .order_by("-session_date", "-id")[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit][::-1]
    marker = f"{rows[0].session_date.isoformat()}_{rows[0].id}" if more and rows else None
    return _signed_notes(dek, rows), marker


def project_chart(user: User, client: Client, dek: bytes, cats: frozenset[str]) -> dict:
    """Decrypt and shape the permitted sections of a chart. Nothing outside `cats` is
    read from its ciphertext."""
    out: dict = {"id": str(client.id), "categories": sorted(cats)}
    for cat, column in (("identity", "identity_enc"), ("contact", "contact_enc"),
                        ("fact_of_treatment", "fact_enc"), ("billing", "billing_enc"),
                        ("contact_preferences", "preferences_enc")):
        if cat in cats:
            out[cat] = unseal(dek, Client, column, client.id, getattr(client, column))
    if "fact_of_treatment" in cats and out.get("fact_of_treatment") is not None:
        team = CareTeamMember.objects.filter(client_id=client.id, ended_at__isnull=True).select_related("staff")
        out["fact_of_treatment"]["care_team"] = [
            {"name": m.staff.full_name, "relationship": m.relationship} for m in team]
    if "billing" in cats:
        billing = out.get("billing") or {}
        attended, tz = [], practice_zone(client.practice_id)
        for appt in _rows(Appointment, client.id).order_by("starts_at"):
            if appointment_status(dek, appt) == "attended":
                attended.append(appt.starts_at.astimezone(tz).date().isoformat())
        billing["dates_of_service"] = attended
        out["billing"] = billing
    for kind, (model, column, cat, _allowed, _required) in RECORD_KINDS.items():
        if cat in cats:
            section = [{"id": str(r.id), **unseal(dek, model, column, r.id, getattr(r, column))}
                       for r in _rows(model, client.id)]
            # a chart has one current plan: the latest
            out[cat] = (section[-1] if section else None) if kind == "treatment_plan" else section
    if "appointments" in cats:
        appts = []
        for a in _rows(Appointment, client.id).select_related("clinician").order_by("starts_at"):
            item = {"id": str(a.id), "starts_at": a.starts_at.isoformat(), "minutes": a.minutes,
                    "clinician": a.clinician.full_name,
                    **unseal(dek, Appointment, "details_enc", a.id, a.details_enc)}
            if "attendance" in cats:
                item["status"] = appointment_status(dek, a) or "scheduled"
            elif a.cancelled_at is not None:
                item["status"] = "cancelled"  # a fact of the calendar: the slot is free
            appts.append(item)
        out["appointments"] = appts
    elif "attendance" in cats:
        # Attendance alone (a managed-care report, a guardian): the day and the status of
        # each session that took place or was missed, nothing of the appointment itself.
        out["attendance"] = attendance_list(dek, client)
    if "progress_notes" in cats:
        # INVARIANT: only signed notes (co-signed where the author needs it) leave a
        # chart's projection, so only they reach a packet; each with its addenda.
        notes = list(_rows(ProgressNote, client.id, status="signed").select_related("author").order_by("session_date"))
        out["progress_notes"] = _signed_notes(dek, notes)
    if "psychotherapy_notes" in cats:
        # INVARIANT: only the requesting author's own notes, whatever the decision says.
        out["psychotherapy_notes"] = [
            {"id": str(n.id), "session_date": n.session_date.isoformat(),
             **unseal(dek, PsychotherapyNote, "body_enc", n.id, n.body_enc)}
            for n in _rows(PsychotherapyNote, client.id, author=user).order_by("session_date")]
    return out
