"""Client records: create, list, search, open a chart, add to a chart.

Every function here goes through the door (`access.governed`, `access.authorize_new_client`) before it loads or stores client
information, decrypts only what the decision permits, and audits in the same
transaction (promise 1).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from django.db import transaction

from confide.apps.practice.models import Practice, SupervisionLink, User
from confide.apps.records.models import (
    Appointment,
    Assessment,
    BlindIndex,
    BreakGlassGrant,
    CareTeamMember,
    Client,
    ClientAccount,
    ClientKey,
    Contact,
    Diagnosis,
    Medication,
    ProgressNote,
    PsychotherapyNote,
    RiskAssessment,
    TreatmentPlan,
)
from confide.core.crypto import blind_index, normalize
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append
from confide.services.keys import client_data_key, client_key_new, client_key_store, practice_index_key
from confide.services.messages import PREFERENCE_KEYS, preferences_check
from confide.services.sealing import seal, unseal
from confide.services.topics import check_topics, topics_tag

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

IDENTITY_KEYS = {"legal_name", "preferred_name", "dob", "pronouns", "record_number"}
CONTACT_KEYS = {"email", "phone", "address"}
FACT_KEYS = {"status", "program", "admitted_on", "minor_consent"}
BILLING_KEYS = {"payer", "member_id", "group", "self_pay"}


def _check_keys(kind: str, data, allowed: set, required: set) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput(f"{kind}: expected an object")
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput(f"{kind}: unknown field {sorted(unknown)[0]!r}")
    missing = required - set(data)
    if missing:
        raise InvalidInput(f"{kind}: missing field {sorted(missing)[0]!r}")
    return data


INDEXED = (("identity", "legal_name", "name"), ("identity", "preferred_name", "name"),
           ("contact", "email", "email"), ("contact", "phone", "phone"))


def _check_indexable(identity: dict, contact: dict | None) -> None:
    """Every indexed value must leave something to index (a phone needs digits, a
    name letters), or the client could never be found by it."""
    for section, field, kind in INDEXED:
        value = (identity if section == "identity" else contact or {}).get(field)
        if value is not None and (not isinstance(value, str) or not normalize(kind, value)):
            raise InvalidInput(f"{section}.{field}: nothing in it can be searched for")


def _index_values(client_id, practice_id, identity: dict, contact: dict | None) -> list[BlindIndex]:
    key = practice_index_key(practice_id)
    rows = []
    for kind, value in (("name", identity.get("legal_name")), ("name", identity.get("preferred_name")),
                        ("email", (contact or {}).get("email")), ("phone", (contact or {}).get("phone"))):
        if value:
            rows.append(BlindIndex(practice_id=practice_id, client_id=client_id, kind=kind,
                                   digest=blind_index(key, kind, value)))
    return rows


def client_create(*, user: User, identity: dict, contact: dict | None = None, fact: dict | None = None,
                  billing: dict | None = None, preferences: dict | None = None) -> uuid.UUID:
    """Create a client in the user's practice. A clinician creating a client becomes its
    treating clinician."""
    _check_keys("identity", identity, IDENTITY_KEYS, {"legal_name"})
    for name, value, keys in (("contact", contact, CONTACT_KEYS), ("fact", fact, FACT_KEYS),
                              ("billing", billing, BILLING_KEYS), ("preferences", preferences, PREFERENCE_KEYS)):
        if value is not None:
            _check_keys(name, value, keys, set())
    if preferences is not None:
        preferences = preferences_check(preferences)  # the vocabulary of services.messages
    _check_indexable(identity, contact)
    categories = {"identity", "fact_of_treatment"} | {c for c, v in (
        ("contact", contact), ("billing", billing), ("contact_preferences", preferences)) if v is not None}
    cid = uuid.uuid4()
    with transaction.atomic(durable=True):
        decision = access.authorize_new_client(user=user, client_id=cid, purpose=access.default_purpose(user),
                                               categories=categories)
        if decision.permitted:
            _client_insert(user, cid, identity, contact, fact, billing, preferences)
    if not decision.permitted:
        raise NotFound()  # after the commit: the denial stays in the audit log
    return cid


def _client_insert(user, cid, identity, contact, fact, billing, preferences) -> None:
    """Insert the client row, its wrapped data key, blind indexes and care team."""
    dek = client_key_new()
    fact = {"status": "active", "admitted_on": date.today().isoformat(), **(fact or {})}
    client = Client.objects.create(
        id=cid, practice_id=user.practice_id,
        identity_enc=seal(dek, Client, "identity_enc", cid, identity),
        contact_enc=seal(dek, Client, "contact_enc", cid, contact),
        fact_enc=seal(dek, Client, "fact_enc", cid, fact),
        billing_enc=seal(dek, Client, "billing_enc", cid, billing),
        preferences_enc=seal(dek, Client, "preferences_enc", cid, preferences),
    )
    client_key_store(client, dek)
    BlindIndex.objects.bulk_create(_index_values(client.id, user.practice_id, identity, contact))
    if user.role in ("clinician", "supervisor"):
        CareTeamMember.objects.create(practice_id=user.practice_id, client_id=client.id, staff=user,
                                      relationship="treating")


def parse_date(kind: str, raw) -> date:
    """A date from outside (YYYY-MM-DD); one-line InvalidInput otherwise."""
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput(f"{kind}: expected a date as YYYY-MM-DD") from None


def record_add(*, user: User, client_id, kind: str, data: dict) -> uuid.UUID:
    """Add one structured record (diagnosis, medication, plan, ...) to a chart."""
    if kind not in RECORD_KINDS:
        raise InvalidInput(f"unknown record kind {kind!r}")
    model, column, category, allowed, required = RECORD_KINDS[kind]
    _check_keys(kind, data, allowed, required)
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={category}, detail={"record": kind}) as ok:
        dek = client_data_key(ok.client.id)
        rid = uuid.uuid4()
        model.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                             **{column: seal(dek, model, column, rid, data)})
    return rid


def progress_note_create(*, user: User, client_id, session_date, text: str, note_format: str = "SOAP",
                         topics=None) -> uuid.UUID:
    """A progress note, optionally tagged with topics the practice's promises name."""

    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("progress note: text is empty")
    day = parse_date("progress note", session_date)
    tags = check_topics(topics)
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"progress_notes"}, detail={"record": "progress_note"}) as ok:
        dek = client_data_key(ok.client.id)
        rid = uuid.uuid4()
        note = ProgressNote.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                           author=user, session_date=day,
                                           body_enc=seal(dek, ProgressNote, "body_enc", rid,
                                                         {"format": note_format, "text": text}))
        if tags:
            topics_tag(practice_id=ok.client.practice_id, client_id=ok.client.id, record=note,
                       category="progress_notes", topics=tags)
    return rid


def psychotherapy_note_create(*, user: User, client_id, session_date, text: str) -> uuid.UUID:
    """A psychotherapy note: kept apart, readable by its author only (45 CFR 164.501)."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("psychotherapy note: text is empty")
    day = parse_date("psychotherapy note", session_date)
    # The author writes only into a chart they treat: ask for the chart relationship
    # (progress notes) and the note compartment together.
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"psychotherapy_notes", "progress_notes"}, note_author_id=user.pk,
                         detail={"record": "psychotherapy_note"}) as ok:
        dek = client_data_key(ok.client.id)
        rid = uuid.uuid4()
        PsychotherapyNote.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                         author=user, session_date=day,
                                         body_enc=seal(dek, PsychotherapyNote, "body_enc", rid, {"text": text}))
    return rid


APPOINTMENT_STATUSES = ("scheduled", "attended", "cancelled", "no_show")


def appointment_create(*, user: User, client_id, clinician_id, starts_at: datetime, minutes: int = 50,
                       label: str = "Appointment", room: str = "", status: str = "scheduled") -> uuid.UUID:
    if status not in APPOINTMENT_STATUSES:
        raise InvalidInput(f"appointment: status must be one of {', '.join(APPOINTMENT_STATUSES)}")
    if not isinstance(minutes, int) or not 5 <= minutes <= 480:
        raise InvalidInput("appointment: minutes must be between 5 and 480")
    clinician = User.objects.filter(pk=clinician_id, practice_id=user.practice_id,
                                    role__in=("clinician", "supervisor")).first()
    if clinician is None:
        raise InvalidInput("appointment: unknown clinician")
    categories = {"appointments"} | ({"attendance"} if status != "scheduled" else set())
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories=categories, detail={"record": "appointment"}) as ok:
        dek = client_data_key(ok.client.id)
        rid = uuid.uuid4()
        Appointment.objects.create(
            id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, clinician=clinician,
            starts_at=starts_at, minutes=minutes,
            details_enc=seal(dek, Appointment, "details_enc", rid, {"label": label, "room": room}),
            attendance_enc=seal(dek, Appointment, "attendance_enc", rid, {"status": status}),
        )
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


def client_account_link(*, user: User, client_id, account: User, relationship: str) -> None:
    """Link a portal login to a client as the client (self) or a personal representative."""
    if relationship not in ("self", "representative"):
        raise InvalidInput("account: relationship must be self or representative")
    if account.practice_id != user.practice_id or account.role not in ("client", "representative"):
        raise InvalidInput("account: not a portal account of this practice")
    with access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                         categories={"identity", "family_contacts"}, detail={"record": "account"}) as ok:
        ClientAccount.objects.create(practice_id=ok.client.practice_id, client_id=ok.client.id, user=account,
                                     relationship=relationship)


# --- reads -----------------------------------------------------------------------

def _candidate_ids(user: User) -> list[uuid.UUID]:
    """Clients the user might list: a superset; the PDP decides each."""
    if user.role in ("biller", "front_desk"):
        return list(Client.objects.filter(practice_id=user.practice_id).values_list("id", flat=True))
    if user.role in ("clinician", "supervisor"):
        staff = [user.pk, *SupervisionLink.objects.filter(supervisor=user).values_list("supervisee_id", flat=True)]
        ids = set(CareTeamMember.objects.filter(staff_id__in=staff, ended_at__isnull=True,
                                                practice_id=user.practice_id).values_list("client_id", flat=True))
        ids |= set(BreakGlassGrant.objects.filter(user=user, expires_at__gt=datetime.now(timezone.utc))
                   .values_list("client_id", flat=True))
        return sorted(ids)
    if user.role in ("client", "representative"):
        return list(ClientAccount.objects.filter(user=user).values_list("client_id", flat=True))
    return []


def _display(dek: bytes, client: Client) -> dict:
    identity = unseal(dek, Client, "identity_enc", client.id, client.identity_enc) or {}
    return {"id": str(client.id), "name": identity.get("preferred_name") or identity.get("legal_name", ""),
            "legal_name": identity.get("legal_name", ""), "dob": identity.get("dob")}


def _listing(user: User, ids, action: str, detail: dict) -> list[dict]:
    purpose = access.default_purpose(user)
    with transaction.atomic(durable=True):
        decisions = access.decide_for_list(user=user, client_ids=ids, purpose=purpose, categories={"identity"})
        allowed = [cid for cid, d in decisions if d.permitted and "identity" in d.categories]
        # A shredded client (data key deleted) has nothing left to show.
        keyed = set(ClientKey.objects.filter(client_id__in=allowed).values_list("client_id", flat=True))
        allowed = [cid for cid in allowed if cid in keyed]
        refs = [access.client_ref_for(user, cid) for cid in allowed]
        audit_append(actor_id=str(user.pk), actor_role=user.role, action=action, purpose=purpose, client_ref="",
                     decision=None, categories=("identity",) if allowed else (),
                     detail={**detail, "count": len(allowed), "client_refs": refs})
        rows = Client.objects.filter(id__in=allowed).only("id", "identity_enc")
        out = [_display(client_data_key(c.id), c) for c in rows]
    return sorted(out, key=lambda r: (r["name"].casefold(), r["id"]))


def client_list(*, user: User) -> list[dict]:
    """The clients this user has a relationship with (and only those)."""
    return _listing(user, _candidate_ids(user), "client.list", {})


def client_search(*, user: User, query: str) -> list[dict]:
    """Exact-match search (name, email or phone) through blind indexes, limited to
    clients the user may list. A query that matches an unrelated client answers
    exactly as one that matches nobody."""
    if not isinstance(query, str) or not query.strip() or len(query) > 200:
        raise InvalidInput("search: give 1 to 200 characters")
    key = practice_index_key(user.practice_id)
    digests = set()
    for kind in ("name", "email", "phone"):
        try:
            digests.add((kind, blind_index(key, kind, query)))
        except ValueError:
            continue
    matched = set()
    for kind, digest in digests:
        matched |= set(BlindIndex.objects.filter(practice_id=user.practice_id, kind=kind, digest=digest)
                       .values_list("client_id", flat=True))
    candidates = [cid for cid in _candidate_ids(user) if cid in matched]
    return _listing(user, candidates, "client.search", {})


# What a chart shows: the categories `project_chart` has a section for. Only these are
# asked of the PDP, so the audit log records what was actually released (minimum
# necessary); psychotherapy notes are asked for separately, by their author only.
CHART_SECTIONS = frozenset({
    "identity", "contact", "family_contacts", "fact_of_treatment", "appointments", "attendance", "billing",
    "diagnosis", "medications", "treatment_plan", "progress_notes", "assessments", "risk_assessment",
    "contact_preferences",
})


def chart_open(*, user: User, client_id, purpose: str | None = None) -> dict:
    """Open a chart: PDP -> load -> decrypt -> project -> audit, in one transaction.

    Returns only the sections the decision permits. Psychotherapy notes are asked for
    only when the user wrote some for this client, and only theirs are returned.
    """
    if user.role == "representative":
        # A parent or guardian sees the guardian view: broad goals and progress plus what
        # the ground rules (or the minor) allow, never the chart (DESIGN.md promise 7).
        from confide.services.disclosures.minors import guardian_view  # minors builds on this module

        return guardian_view(user=user, client_id=client_id)
    purpose = purpose or access.default_purpose(user)
    cid = access.parse_client_id(client_id)
    # Whether the user wrote process notes here is the user's own metadata; the same
    # query runs for any id.
    wrote_notes = PsychotherapyNote.objects.filter(client_id=cid or uuid.UUID(int=0), author=user).exists()
    wanted = set(CHART_SECTIONS) | ({"psychotherapy_notes"} if wrote_notes else set())
    with access.governed(user=user, client_id=cid, action="read", purpose=purpose, categories=wanted,
                         note_author_id=user.pk if wrote_notes else None, detail={"view": "chart"}) as ok:
        client = Client.objects.get(id=ok.client.id)
        dek = client_data_key(client.id)
        return project_chart(user, client, dek, ok.decision.categories)


def _rows(model, client_id, **filters):
    return model.objects.filter(client_id=client_id, **filters).order_by("created_at", "id")


def attendance_list(dek: bytes, client: Client) -> list[dict]:
    """Each past session's day (in the practice's time zone, as dates of service are)
    and status (attended, cancelled, no show)."""
    tz = ZoneInfo(Practice.objects.filter(id=client.practice_id).values_list("timezone", flat=True).first()
                  or "UTC")
    out = []
    for a in _rows(Appointment, client.id).order_by("starts_at"):
        status = (unseal(dek, Appointment, "attendance_enc", a.id, a.attendance_enc) or {}).get("status")
        if status and status != "scheduled":
            out.append({"id": str(a.id), "date": a.starts_at.astimezone(tz).date().isoformat(), "status": status})
    return out


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
        attended = []
        for appt in _rows(Appointment, client.id).order_by("starts_at"):
            status = (unseal(dek, Appointment, "attendance_enc", appt.id, appt.attendance_enc) or {}).get("status")
            if status == "attended":
                attended.append(appt.starts_at.date().isoformat())
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
                item["status"] = (unseal(dek, Appointment, "attendance_enc", a.id, a.attendance_enc) or {}).get("status")
            appts.append(item)
        out["appointments"] = appts
    elif "attendance" in cats:
        # Attendance alone (a managed-care report, a guardian): the day and the status of
        # each session that took place or was missed, nothing of the appointment itself.
        out["attendance"] = attendance_list(dek, client)
    if "progress_notes" in cats:
        out["progress_notes"] = [
            {"id": str(n.id), "session_date": n.session_date.isoformat(), "author": n.author.full_name,
             **unseal(dek, ProgressNote, "body_enc", n.id, n.body_enc)}
            for n in _rows(ProgressNote, client.id).select_related("author").order_by("session_date")]
    if "psychotherapy_notes" in cats:
        # INVARIANT: only the requesting author's own notes, whatever the decision says.
        out["psychotherapy_notes"] = [
            {"id": str(n.id), "session_date": n.session_date.isoformat(),
             **unseal(dek, PsychotherapyNote, "body_enc", n.id, n.body_enc)}
            for n in _rows(PsychotherapyNote, client.id, author=user).order_by("session_date")]
    return out
