"""Progress notes: written from the practice's templates, saved as drafts while the
clinician types, then signed and locked. A signed note never changes (every writer here
refuses); corrections are addenda with their author and time. A pre-licensed
clinician's signed note waits for a supervisor who supervises them, who co-signs it or
returns it with a comment; until co-signed it counts as unsigned, and only signed notes
leave the practice (services.projection reads signed notes only).

Every function goes through the door (`access.governed`) with the note's client: a note
id that does not exist, or one of a chart the caller may not touch, is `NotFound`, the
same as a client that does not exist.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime, timezone

from confide.apps.practice.models import Practice, SupervisionLink, User
from confide.apps.records.models import CareTeamMember, NoteAddendum, ProgressNote
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.chart_query import notes_rows
from confide.services.directory import listing
from confide.services.keys import data_key_of
from confide.services.sealing import seal, unseal
from confide.services.validation import parse_date

# Each template: its name, and its sections (key, heading, prompt).
NOTE_TEMPLATES: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "SOAP": ("SOAP", (
        ("subjective", "Subjective", "What the client reports: concerns, mood, events since the last session."),
        ("objective", "Objective", "What you observed: presentation, affect, behaviour, measures."),
        ("assessment", "Assessment", "Your clinical impression and progress toward the goals."),
        ("plan", "Plan", "Next steps, homework, next session."))),
    "DAP": ("DAP", (
        ("data", "Data", "What the client said and what you observed."),
        ("assessment", "Assessment", "Your interpretation and progress toward the goals."),
        ("plan", "Plan", "Next steps and the next session."))),
    "BIRP": ("BIRP", (
        ("behavior", "Behavior", "The client's presentation and what they reported."),
        ("intervention", "Intervention", "What you did in the session."),
        ("response", "Response", "How the client responded."),
        ("plan", "Plan", "Next steps and the next session."))),
    "free": ("Free text", (("note", "Note", "The session, in your own words."),)),
}
TEMPLATE_KEYS = tuple(NOTE_TEMPLATES)
EDITABLE = ("draft", "returned")  # the author may still change these
LOCKED = ("awaiting_cosign", "signed")  # never change again (co-sign or return only moves the status)
MAX_SECTION = 20000
PAGE_SIZE = 20


def note_templates_in_use(practice_id) -> list[str]:
    """The template keys the practice uses, from its note formats (Practice.note_formats;
    "narrative" is the free-text template); all four when it chose none."""
    chosen = set(Practice.objects.filter(id=practice_id).values_list("note_formats", flat=True).first() or [])
    if "narrative" in chosen:  # the practice's word for a free-text note
        chosen.add("free")
    return [k for k in TEMPLATE_KEYS if k in chosen] or list(TEMPLATE_KEYS)


def note_templates_set(*, user: User, templates) -> list[str]:
    """The practice admin chooses which templates the practice's clinicians write from."""
    from confide.services.audit import audit_append, audited_transaction

    if user.role != "practice_admin":
        raise InvalidInput("only a practice admin chooses the note templates")
    if not isinstance(templates, (list, tuple)) or not templates:
        raise InvalidInput("templates: choose at least one")
    unknown = [t for t in templates if t not in NOTE_TEMPLATES]
    if unknown:
        raise InvalidInput(f"templates: unknown template {unknown[0]!r}")
    chosen = [k for k in TEMPLATE_KEYS if k in templates]
    with audited_transaction():
        Practice.objects.filter(id=user.practice_id).update(
            note_formats=["narrative" if k == "free" else k for k in chosen])
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="practice.note_templates", purpose="HOPERAT", detail={"templates": chosen})
    return chosen


def compose_text(template: str, sections: dict) -> str:
    """The note as one text (what disclosures, consultation and search read): each
    section under its heading; a free-text note as it is."""
    _name, parts = NOTE_TEMPLATES[template]
    if len(parts) == 1:
        return str(sections.get(parts[0][0], "")).strip()
    return "\n\n".join(f"{heading}: {str(sections.get(key, '')).strip()}" for key, heading, _ in parts
                       if str(sections.get(key, "")).strip())


def _check_sections(template: str, sections) -> dict:
    if not isinstance(sections, dict):
        raise InvalidInput("note: sections must be an object")
    keys = {k for k, _h, _p in NOTE_TEMPLATES[template][1]}
    unknown = set(sections) - keys
    if unknown:
        raise InvalidInput(f"note: unknown section {sorted(unknown)[0]!r} for the {template} template")
    out = {}
    for key in keys:
        value = sections.get(key, "")
        if not isinstance(value, str):
            raise InvalidInput(f"note: section {key!r} must be text")
        if len(value) > MAX_SECTION:
            raise InvalidInput(f"note: section {key!r} is longer than {MAX_SECTION} characters")
        out[key] = value
    return out


def _check_template(practice_id, template) -> str:
    if template not in NOTE_TEMPLATES:
        raise InvalidInput(f"note: template must be one of {', '.join(TEMPLATE_KEYS)}")
    if template not in note_templates_in_use(practice_id):
        raise InvalidInput(f"note: the practice does not use the {template} template")
    return template


def _treating(user: User, client_id) -> None:
    if not CareTeamMember.objects.filter(practice_id=user.practice_id, client_id=client_id, staff=user,
                                         ended_at__isnull=True, relationship="treating").exists():
        raise InvalidInput("only a treating clinician writes notes in this chart")


def _note_client(user: User, note_id) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The note's id and its client's id (None, None for a malformed or unknown id, or
    a note of another practice: the door then answers NotFound, as for a client that
    does not exist)."""
    nid = access.parse_client_id(note_id)
    cid = (ProgressNote.objects.filter(id=nid or uuid.UUID(int=0), practice_id=user.practice_id)
           .values_list("client_id", flat=True).first())
    return nid, cid


def _door(user: User, client_id, op: str, note_id=None):
    detail = {"record": "progress_note", "op": op}
    if note_id is not None:
        detail["note"] = str(note_id)
    return access.governed(user=user, client_id=client_id, action="write", purpose="TREAT",
                           categories={"progress_notes"}, detail=detail)


def _locked_note(nid, client) -> ProgressNote:
    # The note's row alone (`of`): locking its author's row too would make two notes by
    # one author wait on each other for no reason. Named with its practice: a row lock
    # on a distributed table must name the distribution column (Citus).
    return (ProgressNote.objects.select_for_update(of=("self",)).select_related("author")
            .get(id=nid, client_id=client.id, practice_id=client.practice_id))


def _body(dek, note: ProgressNote) -> dict:
    return unseal(dek, ProgressNote, "body_enc", note.id, note.body_enc) or {}


def body_digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def supervisors_of(user: User) -> list[User]:
    return list(User.objects.filter(supervisees_links__supervisee=user, supervisees_links__practice_id=user.practice_id,
                                    is_active=True).order_by("full_name"))


def needs_cosign(user: User) -> bool:
    """A pre-licensed clinician's notes need a supervisor's co-signature."""
    return not user.licensed


def note_draft_start(*, user: User, client_id, session_date=None, template: str = "SOAP",
                     sections: dict | None = None) -> uuid.UUID:
    """A new draft in a chart the user treats (empty sections are fine until signing)."""
    template = _check_template(user.practice_id, template)
    day = parse_date("note", session_date) if session_date else date.today()
    clean = _check_sections(template, sections or {})
    with _door(user, client_id, "draft") as ok:
        _treating(user, ok.client.id)
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        body = {"format": template, "sections": clean, "text": compose_text(template, clean)}
        ProgressNote.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, author=user,
                                    session_date=day, status="draft", updated_at=datetime.now(timezone.utc),
                                    body_enc=seal(dek, ProgressNote, "body_enc", rid, body))
    return rid


def note_draft_save(*, user: User, note_id, sections: dict, session_date=None) -> dict:
    """Save the author's draft as they type. A signed note is refused."""
    nid, cid = _note_client(user, note_id)
    day = parse_date("note", session_date) if session_date else None
    with _door(user, cid, "save", nid) as ok:
        note = _locked_note(nid, ok.client)
        if note.author_id != user.pk:
            raise InvalidInput("only the note's author edits its draft")
        if note.status not in EDITABLE:
            raise InvalidInput("this note is signed and locked: add an addendum instead")
        dek = data_key_of(ok.client)
        template = _body(dek, note).get("format", "free")
        clean = _check_sections(template, sections)
        body = {"format": template, "sections": clean, "text": compose_text(template, clean)}
        note.body_enc = seal(dek, ProgressNote, "body_enc", note.id, body)
        note.updated_at = datetime.now(timezone.utc)
        fields = ["body_enc", "updated_at"]
        if day is not None:
            note.session_date = day
            fields.append("session_date")
        note.save(update_fields=fields)
        return {"id": str(note.id), "saved_at": note.updated_at, "status": note.status}


def note_sign(*, user: User, note_id) -> str:
    """The author signs: the note is locked. A pre-licensed author's note goes to the
    co-sign queue of their supervisor (status awaiting_cosign); anyone else's is signed.
    Returns the new status."""
    nid, cid = _note_client(user, note_id)
    with _door(user, cid, "sign", nid) as ok:
        note = _locked_note(nid, ok.client)
        if note.author_id != user.pk:
            raise InvalidInput("only the note's author signs it")
        if note.status not in EDITABLE:
            raise InvalidInput("this note is already signed")
        dek = data_key_of(ok.client)
        body = _body(dek, note)
        if not str(body.get("text", "")).strip():
            raise InvalidInput("the note is empty: write it before signing")
        cosign = needs_cosign(user)
        if cosign and not SupervisionLink.objects.filter(supervisee=user, practice_id=user.practice_id).exists():
            raise InvalidInput("your notes need a supervisor's co-signature and no supervisor is linked to you")
        now = datetime.now(timezone.utc)
        note.status = "awaiting_cosign" if cosign else "signed"
        note.signed_at = now
        note.signature_enc = seal(dek, ProgressNote, "signature_enc", note.id, {
            "signed_by": user.full_name or user.username, "signed_at": now.isoformat(),
            "licence": user.licence, "sha256": body_digest(body)})
        note.save(update_fields=["status", "signed_at", "signature_enc"])
        return note.status


def _supervised(user: User, note: ProgressNote) -> None:
    if user.role != "supervisor" or not SupervisionLink.objects.filter(practice_id=user.practice_id, supervisor=user,
                                                                       supervisee_id=note.author_id).exists():
        raise InvalidInput("only a supervisor of the note's author co-signs or returns it")
    if note.status != "awaiting_cosign":
        raise InvalidInput("this note is not waiting for a co-signature")


def note_cosign(*, user: User, note_id) -> str:
    """The supervisor co-signs a supervisee's note: it is signed."""
    nid, cid = _note_client(user, note_id)
    with _door(user, cid, "cosign", nid) as ok:
        note = _locked_note(nid, ok.client)
        _supervised(user, note)
        dek = data_key_of(ok.client)
        now = datetime.now(timezone.utc)
        signature = unseal(dek, ProgressNote, "signature_enc", note.id, note.signature_enc) or {}
        if signature.get("sha256") != body_digest(_body(dek, note)):
            raise InvalidInput("the note changed after its author signed it: it cannot be co-signed")
        signature.update({"cosigned_by": user.full_name or user.username, "cosigned_at": now.isoformat(),
                          "cosigner_licence": user.licence})
        note.status, note.cosigned_at, note.cosigned_by = "signed", now, user
        note.signature_enc = seal(dek, ProgressNote, "signature_enc", note.id, signature)
        note.save(update_fields=["status", "cosigned_at", "cosigned_by", "signature_enc"])
        return note.status


def note_return(*, user: User, note_id, comment: str) -> str:
    """The supervisor returns a supervisee's note with a comment: it is the author's
    draft again (status returned) and leaves the queue."""
    if not isinstance(comment, str) or not comment.strip():
        raise InvalidInput("say what needs changing")
    if len(comment) > 2000:
        raise InvalidInput("the comment may have at most 2000 characters")
    nid, cid = _note_client(user, note_id)
    with _door(user, cid, "return", nid) as ok:
        note = _locked_note(nid, ok.client)
        _supervised(user, note)
        dek = data_key_of(ok.client)
        now = datetime.now(timezone.utc)
        note.status, note.signed_at, note.signature_enc = "returned", None, None
        note.review_enc = seal(dek, ProgressNote, "review_enc", note.id, {
            "comment": comment.strip(), "by": user.full_name or user.username, "at": now.isoformat()})
        note.save(update_fields=["status", "signed_at", "signature_enc", "review_enc"])
        return note.status


def note_addendum_add(*, user: User, note_id, text: str) -> uuid.UUID:
    """A correction or addition to a signed (or co-sign pending) note, by a treating
    clinician; the note itself stays as it was signed."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("addendum: text is empty")
    if len(text) > MAX_SECTION:
        raise InvalidInput(f"addendum: at most {MAX_SECTION} characters")
    nid, cid = _note_client(user, note_id)
    with _door(user, cid, "addendum", nid) as ok:
        note = _locked_note(nid, ok.client)
        if note.status not in LOCKED:
            raise InvalidInput("a draft is edited, not amended: addenda are for signed notes")
        _treating(user, ok.client.id)
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        NoteAddendum.objects.create(id=rid, practice_id=note.practice_id, client_id=note.client_id, note=note,
                                    author=user, body_enc=seal(dek, NoteAddendum, "body_enc", rid,
                                                               {"text": text.strip()}))
    return rid


def note_view(dek: bytes, note: ProgressNote, addenda: list[NoteAddendum] = ()) -> dict:
    """One note as pages and the API show it."""
    body = _body(dek, note)
    out = {"id": str(note.id), "client_id": str(note.client_id), "session_date": note.session_date.isoformat(),
           "author": note.author.full_name, "author_id": note.author_id, "status": note.status,
           "format": body.get("format", "free"), "sections": body.get("sections") or {"note": body.get("text", "")},
           "text": body.get("text", ""), "updated_at": note.updated_at, "signed_at": note.signed_at,
           "cosigned_at": note.cosigned_at, "addenda": []}
    if note.signature_enc is not None:
        out["signature"] = unseal(dek, ProgressNote, "signature_enc", note.id, note.signature_enc)
    if note.review_enc is not None and note.status == "returned":
        out["review"] = unseal(dek, ProgressNote, "review_enc", note.id, note.review_enc)
    for a in addenda:
        out["addenda"].append({"id": str(a.id), "author": a.author.full_name, "at": a.created_at,
                               **(unseal(dek, NoteAddendum, "body_enc", a.id, a.body_enc) or {})})
    return out


def _addenda_of(note_ids, practice_id) -> dict:
    out: dict = {}
    for a in NoteAddendum.objects.filter(practice_id=practice_id, note_id__in=list(note_ids)
                                         ).select_related("author").order_by("created_at", "id"):
        out.setdefault(a.note_id, []).append(a)
    return out


def note_get(*, user: User, note_id) -> dict:
    """One note, read through the door (a draft only by its author)."""
    nid, cid = _note_client(user, note_id)
    with access.governed(user=user, client_id=cid, action="read", purpose=access.default_purpose(user),
                         categories={"progress_notes"}, detail={"view": "progress_note", "note": str(nid)}) as ok:
        note = ProgressNote.objects.select_related("author").get(id=nid, practice_id=ok.client.practice_id)
        if note.status in EDITABLE and note.author_id != user.pk:
            raise NotFound()
        return note_view(data_key_of(ok.client), note, _addenda_of([note.id], ok.client.practice_id).get(note.id, []))


def _cursor(raw) -> tuple[date, uuid.UUID] | None:
    if not raw:
        return None
    try:
        day, _sep, rid = str(raw).partition("_")
        return date.fromisoformat(day), uuid.UUID(rid)
    except ValueError:
        raise InvalidInput("notes: the page marker is not valid") from None


def notes_page(*, user: User, client_id, before=None, limit: int = PAGE_SIZE) -> dict:
    """The chart's note history, newest first, one page at a time (keyset paging on
    session date and id: the same cost on page 1 and page 50). Others' drafts are not
    shown; notes waiting for a co-signature show as unsigned."""
    if not isinstance(limit, int) or not 1 <= limit <= 100:
        raise InvalidInput("notes: limit must be between 1 and 100")
    marker = _cursor(before)
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"progress_notes"}, detail={"view": "notes", "page": bool(marker)}) as ok:
        # The page and its addenda are the transaction's last statements: the audit
        # chain's head is locked in their round trip (services.chart_query).
        read = notes_rows(ok.client.id, ok.client.practice_id, user.pk, statuses=LOCKED, before=marker,
                          limit=limit + 1, last=True)
    # The read is on record (committed) before anything of it is decrypted.
    more = len(read.notes) > limit
    rows = read.notes[:limit]
    dek = data_key_of(ok.client)
    addenda: dict = {}
    for a in read.addenda:
        addenda.setdefault(a.note_id, []).append(a)
    notes = [note_view(dek, n, addenda.get(n.id, [])) for n in rows]
    nxt = f"{rows[-1].session_date.isoformat()}_{rows[-1].id}" if more and rows else None
    return {"notes": notes, "next": nxt}


def _queue(user: User, rows, action: str) -> list[dict]:
    rows = list(rows.select_related("author").order_by("session_date", "id"))
    listed = listing(user, {n.client_id for n in rows}, categories={"progress_notes"}, action=action)
    out = []
    for n in rows:
        client = listed.get(n.client_id)
        if client is not None:
            out.append({"id": str(n.id), "client_id": str(n.client_id), "client_name": client.name,
                        "session_date": n.session_date.isoformat(), "author": n.author.full_name,
                        "status": n.status, "signed_at": n.signed_at})
    return out


def notes_to_sign(*, user: User) -> list[dict]:
    """The user's own notes not yet signed (drafts, and notes a supervisor returned)."""
    if user.role not in ("clinician", "supervisor"):
        return []
    return _queue(user, ProgressNote.objects.filter(practice_id=user.practice_id, author=user,
                                                    status__in=EDITABLE), "notes.to_sign")


def cosign_queue(*, user: User) -> list[dict]:
    """Notes of the clinicians this supervisor supervises that wait for a co-signature."""
    if user.role != "supervisor":
        return []
    supervisees = SupervisionLink.objects.filter(practice_id=user.practice_id, supervisor=user).values("supervisee_id")
    return _queue(user, ProgressNote.objects.filter(practice_id=user.practice_id, author_id__in=supervisees,
                                                    status="awaiting_cosign"), "notes.cosign_queue")


def awaiting_my_cosign(*, user: User) -> list[dict]:
    """The user's own signed notes still waiting for their supervisor."""
    if user.role not in ("clinician", "supervisor"):
        return []
    return _queue(user, ProgressNote.objects.filter(practice_id=user.practice_id, author=user,
                                                    status="awaiting_cosign"), "notes.awaiting_cosign")
