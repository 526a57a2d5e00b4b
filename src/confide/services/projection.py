"""What a reader sees of a chart: the permitted sections of a client's record,
decrypted and shaped. Used by the chart (services.charting), by disclosure packets and
by the guardian view; nothing here asks the PDP, so every caller passes the categories
its decision permitted, and nothing outside them is read from its ciphertext."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from django.db.models import CharField, Q, Value

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
from confide.core.errors import InvalidInput
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


def _rows(model, client: Client, **filters):
    """A client's rows of `model`, named by their practice and client (on Citus, a read
    of the practice's shard alone)."""
    return model.objects.filter(practice_id=client.practice_id, client_id=client.id, **filters).order_by(
        "created_at", "id")


def appointment_status(dek: bytes, appt: Appointment) -> str | None:
    """What happened to a session: cancelled (whoever cancelled it: the front desk
    records a cancellation on the appointment, the clinician also as attendance),
    else the attendance its clinician recorded (None: nothing recorded yet)."""
    if appt.cancelled_at is not None:
        return "cancelled"
    return (unseal(dek, Appointment, "attendance_enc", appt.id, appt.attendance_enc) or {}).get("status")


# A chart's first screen shows this many past appointments (and as many upcoming ones)
# whatever the chart's length; older ones page (`appointments_next`).
HISTORY_PAGE = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def appointment_marker(appt: Appointment) -> str:
    """The page marker of the appointments older than `appt`: its start in microseconds
    since the epoch and its id (safe in an address as it is)."""
    return f"{(appt.starts_at - _EPOCH) // timedelta(microseconds=1)}_{appt.id}"


def parse_appointment_marker(raw) -> tuple[datetime, uuid.UUID] | None:
    if not raw:
        return None
    try:
        micros, _sep, rid = str(raw).partition("_")
        return _EPOCH + timedelta(microseconds=int(micros)), uuid.UUID(rid)
    except (ValueError, OverflowError):
        raise InvalidInput("appointments: the page marker is not valid") from None


def appointment_history(client: Client, *, limit: int = HISTORY_PAGE, before=None,
                        now: datetime | None = None) -> tuple[list[Appointment], str | None]:
    """One page of a chart's appointments, oldest first, and the marker of the older
    ones (None when there are none). The first page (`before` None) is the newest
    `limit` that have started and the next `limit` to come; a later page, the `limit`
    before the marker. Keyset on (client, starts_at, id): page 1 of a 1,000-session
    chart costs what a 10-session chart does."""
    marker = parse_appointment_marker(before)
    rows = _rows(Appointment, client).select_related("clinician")
    if marker is None:
        now = now or datetime.now(timezone.utc)
        past = rows.filter(starts_at__lt=now)
    else:
        past = rows.filter(Q(starts_at__lt=marker[0]) | Q(starts_at=marker[0], id__lt=marker[1]))
    older = list(past.order_by("-starts_at", "-id")[:limit + 1])
    more = len(older) > limit
    older = older[:limit][::-1]
    upcoming = [] if marker is not None else list(rows.filter(starts_at__gte=now).order_by("starts_at", "id")[:limit])
    return older + upcoming, (appointment_marker(older[0]) if more and older else None)


def _attendance(dek: bytes, appts, tz) -> list[dict]:
    out = []
    for a in appts:
        status = appointment_status(dek, a)
        if status and status != "scheduled":
            out.append({"id": str(a.id), "date": a.starts_at.astimezone(tz).date().isoformat(), "status": status})
    return out


def appointment_section(dek: bytes, appts, cats, tz, status: dict | None = None) -> dict:
    """The appointments (with their status when `cats` has attendance), or, attendance
    alone (a managed-care report, a guardian), the day and the status of each session
    that took place or was missed, nothing of the appointment itself. `status`: the
    statuses already decrypted, by appointment id."""
    if "appointments" not in cats:
        return {"attendance": _attendance(dek, appts, tz)} if "attendance" in cats else {}
    items = []
    for a in appts:
        item = {"id": str(a.id), "starts_at": a.starts_at.isoformat(), "minutes": a.minutes,
                "clinician": a.clinician.full_name, **unseal(dek, Appointment, "details_enc", a.id, a.details_enc)}
        if "attendance" in cats:
            item["status"] = (status[a.id] if status is not None else appointment_status(dek, a)) or "scheduled"
        elif a.cancelled_at is not None:
            item["status"] = "cancelled"  # a fact of the calendar: the slot is free
        items.append(item)
    return {"appointments": items}


def attendance_list(dek: bytes, client: Client) -> list[dict]:
    """Each past session's day (in the practice's time zone, as dates of service are)
    and status (attended, cancelled, no show)."""
    return _attendance(dek, _rows(Appointment, client).order_by("starts_at"), practice_zone(client.practice_id))


def _zone(client: Client):
    """The practice's zone, from the client's practice when it was loaded with it."""
    return practice_zone(client.practice if Client.practice.is_cached(client) else client.practice_id)


def _records(client: Client, kinds) -> dict[str, list]:
    """The structured records of `kinds` (RECORD_KINDS keys) of one client, in one query
    (a UNION ALL over their tables), each kind oldest first: (id, ciphertext) pairs."""
    parts = []
    for kind in kinds:
        model, column = RECORD_KINDS[kind][:2]
        parts.append(model.objects.filter(practice_id=client.practice_id, client_id=client.id)
                     .annotate(kind=Value(kind, output_field=CharField()))
                     .values_list("id", "created_at", column, "kind"))
    out: dict[str, list] = {kind: [] for kind in kinds}
    if not parts:
        return out
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for rid, created, blob, kind in sorted(query, key=lambda r: (r[1], r[0])):
        out[kind].append((rid, blob))
    return out


def _signed_notes(dek: bytes, notes, addenda_rows=None) -> list[dict]:
    """The notes shaped for a reader, each with its addenda (`addenda_rows`: the
    addenda already read, else read here, in the notes' practice)."""
    if addenda_rows is None:
        addenda_rows = NoteAddendum.objects.filter(
            practice_id=notes[0].practice_id if notes else None, note_id__in=[n.id for n in notes]).select_related(
            "author").order_by("created_at", "id")
    addenda: dict = {}
    for a in addenda_rows:
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
    rows = list(_rows(ProgressNote, client, status="signed").select_related("author")
                .order_by("-session_date", "-id")[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit][::-1]
    marker = f"{rows[0].session_date.isoformat()}_{rows[0].id}" if more and rows else None
    return _signed_notes(dek, rows), marker


def project_chart(user: User, client: Client, dek: bytes, cats: frozenset[str], *, history: int | None = None,
                  before=None, notes: int | None = None) -> dict:
    """Decrypt and shape the permitted sections of a chart. Nothing outside `cats` is
    read from its ciphertext.

    `history` None: the whole record (a packet, a copy). A number: the chart's screen,
    whose appointment history (with the attendance and the dates of service drawn from
    it) is one page (`appointment_history`), `appointments_next` marking the older
    ones; `before`, that marker, asks for the page it marks. `notes` (the screen
    only): the progress notes are the newest page of that many signed ones,
    `progress_notes_next` marking the older (notes_page's `before`).

    The screen's first page (`history` set, no `before`) is read in one statement
    (services.chart_query); the whole record and later pages section by section."""
    if history is not None and before is None:
        return _project_screen(user, client, dek, cats, history=history, notes=notes)
    out: dict = {"id": str(client.id), "categories": sorted(cats)}
    _client_sections(out, client, dek, cats)
    if "fact_of_treatment" in cats and out.get("fact_of_treatment") is not None:
        team = _rows(CareTeamMember, client, ended_at__isnull=True).select_related("staff")
        out["fact_of_treatment"]["care_team"] = [
            {"name": m.staff.full_name, "relationship": m.relationship} for m in team]
    appts: list[Appointment] = []
    if cats & {"billing", "appointments", "attendance"}:
        # One read of the appointments serves the dates of service, the appointments and
        # the attendance.
        if history is None:
            appts = list(_rows(Appointment, client).select_related("clinician").order_by("starts_at", "id"))
        else:
            appts, out["appointments_next"] = appointment_history(client, limit=history, before=before)
    records = _records(client, [kind for kind, spec in RECORD_KINDS.items() if spec[2] in cats])
    _shape(out, client, dek, cats, appts, records, paged=history is not None)
    if "progress_notes" in cats:
        if notes is not None:
            out["progress_notes"], out["progress_notes_next"] = latest_signed_notes(client, dek, notes)
        else:
            # INVARIANT: only signed notes (co-signed where the author needs it) leave a
            # chart's projection, so only they reach a packet; each with its addenda.
            rows = list(_rows(ProgressNote, client, status="signed").select_related("author")
                        .order_by("session_date"))
            out["progress_notes"] = _signed_notes(dek, rows)
    if "psychotherapy_notes" in cats:
        # INVARIANT: only the requesting author's own notes, whatever the decision says.
        out["psychotherapy_notes"] = _psychotherapy(dek, _rows(PsychotherapyNote, client, author=user)
                                                    .order_by("session_date"))
    return out


def _client_sections(out: dict, client: Client, dek: bytes, cats) -> None:
    for cat, column in (("identity", "identity_enc"), ("contact", "contact_enc"),
                        ("fact_of_treatment", "fact_enc"), ("billing", "billing_enc"),
                        ("contact_preferences", "preferences_enc")):
        if cat in cats:
            out[cat] = unseal(dek, Client, column, client.id, getattr(client, column))


def _psychotherapy(dek: bytes, rows) -> list[dict]:
    return [{"id": str(n.id), "session_date": n.session_date.isoformat(),
             **unseal(dek, PsychotherapyNote, "body_enc", n.id, n.body_enc)} for n in rows]


def _shape(out: dict, client: Client, dek: bytes, cats, appts, records: dict[str, list], *, paged: bool) -> None:
    """The sections drawn from the appointments and the structured records."""
    tz = _zone(client) if appts else None
    status = {a.id: appointment_status(dek, a) for a in appts} if cats & {"billing", "attendance"} else {}
    if "billing" in cats:
        billing = out.get("billing") or {}
        billing["dates_of_service"] = [a.starts_at.astimezone(tz).date().isoformat() for a in appts
                                       if status[a.id] == "attended"]
        if paged:
            billing["dates_of_service_more"] = out["appointments_next"] is not None
        out["billing"] = billing
    for kind, rows in records.items():
        model, column = RECORD_KINDS[kind][:2]
        section = [{"id": str(rid), **unseal(dek, model, column, rid, blob)} for rid, blob in rows]
        # a chart has one current plan: the latest
        out[RECORD_KINDS[kind][2]] = (section[-1] if section else None) if kind == "treatment_plan" else section
    if cats & {"appointments", "attendance"}:
        out.update(appointment_section(dek, appts, cats, tz, status))


def _project_screen(user: User, client: Client, dek: bytes, cats: frozenset[str], *, history: int,
                    notes: int | None) -> dict:
    """The chart's first screen: its rows in one statement, shaped as project_chart
    shapes them."""
    read = screen_read(user, client, cats, history=history, notes=notes)
    return screen_shape(user, client, dek, cats, read, history=history, notes=notes)


@dataclass(frozen=True)
class ScreenRead:
    """The ciphertexts of a chart's first screen (screen_read), not yet opened."""
    rows: object  # chart_query.ChartRows
    all_notes: list | None  # every signed note, when the screen has no notes page


def screen_read(user: User, client: Client, cats: frozenset[str], *, history: int, notes: int | None,
                last: bool = False) -> ScreenRead:
    """Read (never decrypt) what the first screen of a chart shows of `cats`: one
    statement. `last`: it is the audited transaction's last statement (chart_open),
    so the audit chain's head is locked in its round trip and the caller opens the
    rows with screen_shape after the commit."""
    from confide.services.chart_query import chart_rows

    care = "fact_of_treatment" in cats and client.fact_enc is not None
    paged = bool(cats & {"billing", "appointments", "attendance"})
    kinds = [(kind, spec[0], spec[1]) for kind, spec in RECORD_KINDS.items() if spec[2] in cats]
    wants_notes = notes is not None and "progress_notes" in cats
    all_notes = None
    if "progress_notes" in cats and not wants_notes:
        # INVARIANT: only signed notes leave a chart's projection, each with its addenda.
        all_notes = list(_rows(ProgressNote, client, status="signed").select_related("author")
                         .order_by("session_date"))
    rows = chart_rows(client.id, client.practice_id, care_team=care, kinds=kinds,
                      appointments=history if paged else None, notes=notes if wants_notes else None,
                      psychotherapy_author=user.pk if "psychotherapy_notes" in cats else None, last=last)
    return ScreenRead(rows=rows, all_notes=all_notes)


def screen_shape(user: User, client: Client, dek: bytes, cats: frozenset[str], read: ScreenRead, *, history: int,
                 notes: int | None) -> dict:
    """Decrypt and shape a screen_read's rows as project_chart shapes the first screen."""
    rows = read.rows
    out: dict = {"id": str(client.id), "categories": sorted(cats)}
    _client_sections(out, client, dek, cats)
    care = "fact_of_treatment" in cats and out.get("fact_of_treatment") is not None
    paged = bool(cats & {"billing", "appointments", "attendance"})
    if care:
        out["fact_of_treatment"]["care_team"] = [{"name": name, "relationship": rel} for name, rel in rows.care_team]
    if paged:
        first = rows.appointments[0] if rows.appointments_more else None
        out["appointments_next"] = appointment_marker(first) if first is not None else None
    _shape(out, client, dek, cats, rows.appointments, rows.records, paged=True)
    if "progress_notes" in cats:
        if read.all_notes is None:
            first = rows.notes[0] if rows.notes_more and rows.notes else None
            out["progress_notes"] = _signed_notes(dek, rows.notes, rows.addenda)
            out["progress_notes_next"] = f"{first.session_date.isoformat()}_{first.id}" if first else None
        else:
            out["progress_notes"] = _signed_notes(dek, read.all_notes)
    if "psychotherapy_notes" in cats:
        # INVARIANT: only the requesting author's own notes, whatever the decision says.
        out["psychotherapy_notes"] = _psychotherapy(dek, rows.psychotherapy)
    return out
