"""Consultation packets: a case taken to a supervisor or a peer, disguised (DESIGN.md
promise 12; issue 4; seeds: "therapists will disguise identifying information
including changing the name of the client (only first names are used, for example)").

The treating or supervising clinician picks progress notes of a case. Confide reads
them and the chart's identifiers through the door, disguises the notes with
`confide.core.deid` (the chart as the engine's `record`, and a per-case secret so the
same person gets the same invented name in every draft of the case), checks the result
once more against every value the chart holds, and stores a DRAFT for the clinician's
review. Nothing leaves then. Only `consultation_release`, the clinician's Release
button, sends it: through `disclosure_packet_build`, under a basis whose rule carries
the `deidentify` obligation, so the packet holds the reviewed disguised text and
nothing read from the chart. The release is audited and appears in the client's
accounting of disclosures.

What is stored: the disguised text of each note, where each replacement sits in it and
its type (NAME, DATE, ...); never a note's own text and never a replaced value.

Psychotherapy notes are never included: only progress-note ids are accepted, and no
rule grants psychotherapy notes to a consultant (RULES.md 1.2.1: they need an
authorization that names them).

Two bases, because the law differs:
- `deidentified_consultation` (mode "redact", first name not kept): every identifier
  the engine finds is removed and sessions are numbered, not dated, so with the
  clinician's review the text meets Safe Harbor (45 CFR 164.514(b)(2)); it is not PHI,
  and the accounting lists it as not required by 164.528.
- `disguised_consultation` (surrogates, or the client's first name kept, as the seeds
  describe): a first name and shifted dates are still identifiers under 164.514(b)(2),
  so this is a minimum-necessary disclosure of PHI for treatment (consultation between
  providers) or operations (supervision); also not required by 164.528 ((a)(1)(i)).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import Client, ConsultationDraft, Contact, ProgressNote
from confide.core.crypto import derive_subkey
from confide.core.deid import deidentify
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from confide.services.disclosures.render import PURPOSE_PLAIN
from confide.services.keys import data_key_of, practice_index_key
from confide.services.sealing import seal, unseal

MODES = ("surrogates", "redact")
# Consultation between providers is treatment (164.501); supervision is operations.
PURPOSES = ("TREAT", "HOPERAT")
MAX_NOTES = 20
RECIPIENT_KIND = "consultant"
# Who takes a case to consultation: its treating clinician, or their supervisor.
CASE_RELATIONSHIPS = frozenset({"treating", "supervising"})
# What the draft reads: the notes, and every identifier the chart holds (the engine's
# record, and the final check against it).
RECORD_CATEGORIES = frozenset({"identity", "contact", "family_contacts", "billing", "contact_preferences"})
READ_CATEGORIES = RECORD_CATEGORIES | {"progress_notes"}
SAFE_HARBOR_CITATION = "45 CFR 164.514(a)-(b)(2)"
DISGUISED_CITATION = "45 CFR 164.501; 45 CFR 164.506(c); 45 CFR 164.502(b)"
_CASE_SECRET_PURPOSE = "confide consultation case v1"


# --- the chart as the engine's record ----------------------------------------------------

def _name_parts(full) -> tuple[str | None, str | None, str | None]:
    """(first, middle, last) of a name as written ("Elena Marisol Varga-Trent")."""
    words = str(full or "").split()
    if not words:
        return None, None, None
    if len(words) == 1:
        return words[0], None, None
    return words[0], (" ".join(words[1:-1]) or None), words[-1]


_STATE_ZIP = re.compile(r"^\s*([A-Za-z]{2})\s+(\d{5}(?:-\d{4})?)\s*$")


def _address(raw) -> dict | None:
    """{street, city, state, zip} of an address kept as one line ("3817 North Ferrell
    Lane, Tacoma, WA 98407"); what cannot be split stays the street."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    out = {"street": parts[0], "city": None, "state": None, "zip": None}
    rest = parts[1:]
    if rest and (m := _STATE_ZIP.match(rest[-1])):
        out["state"], out["zip"] = m.group(1), m.group(2)
        rest = rest[:-1]
    if rest:
        out["city"] = rest[-1]
        if len(rest) > 1:  # "Suite 210" and the like belong to the street
            out["street"] = ", ".join([parts[0], *rest[:-1]])
    return out


def chart_record_for_deid(dek: bytes, client: Client) -> dict:
    """The chart's identifiers in the shape of the engine's `record`: the client's
    names, date of birth, address, phone, email, record number and member id, and each
    family contact (a guardian included) with their names, phone and email. A second
    postal address the client gave (contact preferences) is listed as a contact."""
    identity = unseal(dek, Client, "identity_enc", client.id, client.identity_enc) or {}
    contact = unseal(dek, Client, "contact_enc", client.id, client.contact_enc) or {}
    billing = unseal(dek, Client, "billing_enc", client.id, client.billing_enc) or {}
    prefs = unseal(dek, Client, "preferences_enc", client.id, client.preferences_enc) or {}
    first, middle, last = _name_parts(identity.get("legal_name"))
    record_client = {
        "first_name": first, "middle_name": middle, "last_name": last,
        "preferred_name": identity.get("preferred_name") or None,
        "dob": identity.get("dob") or None,
        "address": _address(contact.get("address")),
        "phone": contact.get("phone") or None,
        "email": contact.get("email") or None,
        "mrn": identity.get("record_number") or None,
        "insurance_member_id": billing.get("member_id") or None,
    }
    contacts = []
    for row in Contact.objects.filter(practice_id=client.practice_id, client_id=client.id).order_by("created_at", "id"):
        data = unseal(dek, Contact, "data_enc", row.id, row.data_enc) or {}
        c_first, c_middle, c_last = _name_parts(data.get("name"))
        relation = str(data.get("relationship") or "contact")
        contacts.append({"relation": f"{relation} (guardian)" if data.get("guardian") else relation,
                         "first_name": c_first, "middle_name": c_middle, "last_name": c_last,
                         "phone": data.get("phone") or None, "email": data.get("email") or None})
    if prefs.get("alternate_address"):
        contacts.append({"relation": "client's alternate address", "address": _address(prefs["alternate_address"])})
    return {"client": record_client, "contacts": contacts}


def case_secret(practice_id, client_id) -> bytes:
    """The per-case secret for surrogates and the date shift: HMAC of the client id
    under a subkey of the practice's index key. The same case always gets the same
    secret (so the same person gets the same invented name across drafts); nothing
    about the client can be computed from it without the key."""
    key = derive_subkey(practice_index_key(practice_id), _CASE_SECRET_PURPOSE)
    return hmac.new(key, str(client_id).encode("ascii"), hashlib.sha256).digest()


# --- the final check: no value the chart holds survives ----------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WORD_EDGE_L, _WORD_EDGE_R = r"(?<![\w])", r"(?![\w])"
_ALNUM_EDGE_L, _ALNUM_EDGE_R = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_STREET_WORDS = frozenset({"n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west", "st",
                           "street", "ave", "avenue", "rd", "road", "ln", "lane", "dr", "drive", "blvd", "way",
                           "ct", "court", "pl", "place", "ter", "terrace", "hwy", "highway", "suite", "apt", "unit"})


def _name_pattern(token: str) -> str:
    """A name word as written, capitalized or in capitals, as a whole word. Matching is
    case-sensitive on purpose: a name that is also a word ("Will", "Hope") is caught
    where it is written as a name, and "will" in a sentence is left alone."""
    forms = {token, token.capitalize(), token.upper(), token.title()}
    return _WORD_EDGE_L + "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")" \
        + _WORD_EDGE_R


def _name_words(*names) -> set[str]:
    words = set()
    for name in names:
        for word in str(name or "").split():
            word = word.strip(".,;:'\"()")
            if len(word) >= 2:
                words.add(word)
                words.update(p for p in re.split(r"[-'\u2019]", word) if len(p) >= 2)
    return words


def _phone_pattern(raw) -> str | None:
    digits = re.sub(r"\D", "", str(raw or ""))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) < 7:
        return None
    return r"(?<![\d(])\(?" + r"[\s().\-]*".join(digits) + r"(?!\d)"


def _id_pattern(raw) -> str | None:
    chars = re.sub(r"[^A-Za-z0-9]", "", str(raw or ""))
    if len(chars) < 4:
        return None
    return _ALNUM_EDGE_L + "(?i:" + r"[\s\-./]?".join(re.escape(c) for c in chars) + ")" + _ALNUM_EDGE_R


def _date_patterns(raw) -> list[str]:
    try:
        d = date.fromisoformat(str(raw))
    except ValueError:
        return []
    month = _MONTHS[d.month - 1]
    months = f"(?:{month}|{month[:3]}\\.?)"
    day = f"0?{d.day}(?:st|nd|rd|th)?"
    year = f"(?:{d.year}|'?{d.year % 100:02d})"
    return [
        rf"(?<!\d){d.year}[-/.]0?{d.month}[-/.]0?{d.day}(?!\d)",
        rf"(?<!\d)0?{d.month}[-/.]0?{d.day}[-/.]{year}(?!\d)",
        rf"(?i:{months}\s+{day},?\s+{year})(?!\d)",
        rf"(?i:{day}\s+(?:of\s+)?{months},?\s+{year})(?!\d)",
    ]


def _street_patterns(street) -> list[str]:
    street = str(street or "").strip()
    if not street:
        return []
    out = [f"(?i:{re.escape(street)})"]
    words = street.replace(",", " ").split()
    number = next((w for w in words if w.isdigit()), None)
    core = [w for w in words if not w.isdigit() and w.lower().strip(".#") not in _STREET_WORDS and len(w) > 1]
    if number and core:  # "3817 N. Ferrell Ln" for "3817 North Ferrell Lane"
        suffix = "|".join(sorted(_STREET_WORDS, key=len, reverse=True))
        out.append(rf"(?i:(?<!\d){number}\s+(?:[\w.]+\s+){{0,2}}{re.escape(core[0])}(?:\s+(?:{suffix})\b)?)"
                   r"(?!\w)")
    return out


@dataclass(frozen=True)
class ChartCheck:
    """The values a chart holds, as patterns, each with the type it is shown as."""

    patterns: tuple[tuple[re.Pattern, str], ...]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, type) of every chart value in `text`, longest
        first where two overlap."""
        hits = sorted(((m.start(), m.end(), kind) for pattern, kind in self.patterns
                       for m in pattern.finditer(text) if m.end() > m.start()),
                      key=lambda h: (h[0], -(h[1] - h[0])))
        out: list[tuple[int, int, str]] = []
        for hit in hits:
            if out and hit[0] < out[-1][1]:
                continue
            out.append(hit)
        return out


def chart_check(record: dict, *, keep_first_name: bool) -> ChartCheck:
    """Every value of the record, for the final check. With `keep_first_name` the
    client's first and preferred names are allowed (and nothing else)."""
    client = record.get("client") or {}
    contacts = [c for c in record.get("contacts") or [] if isinstance(c, dict)]
    kept = _name_words(client.get("first_name"), client.get("preferred_name")) if keep_first_name else set()
    names = _name_words(client.get("first_name"), client.get("middle_name"), client.get("last_name"),
                        client.get("preferred_name"),
                        *(c.get(k) for c in contacts for k in ("first_name", "middle_name", "last_name")))
    raw: list[tuple[str, str]] = [(_name_pattern(w), "NAME") for w in sorted(names - kept)]
    for holder in (client, *contacts):
        for key in ("phone",):
            if (p := _phone_pattern(holder.get(key))) is not None:
                raw.append((p, "CONTACT"))
        if holder.get("email"):
            raw.append((f"(?i:{re.escape(str(holder['email']))})", "CONTACT"))
        address = holder.get("address") or {}
        if isinstance(address, dict):
            raw += [(p, "LOCATION") for p in _street_patterns(address.get("street"))]
            if address.get("city"):
                raw.append((_name_pattern(str(address["city"])), "LOCATION"))
            if address.get("zip"):
                raw.append((rf"(?<!\d){re.escape(str(address['zip'])[:5])}(?!\d)", "LOCATION"))
    raw += [(p, "DATE") for p in _date_patterns(client.get("dob"))]
    for key in ("mrn", "insurance_member_id"):
        if (p := _id_pattern(client.get(key))) is not None:
            raw.append((p, "ID"))
    return ChartCheck(tuple((re.compile(p), kind) for p, kind in raw))


# --- aligning the engine's result with its output -----------------------------------------

def _pieces(text: str, result) -> list[tuple[str, str | None, str]] | None:
    """The disguised text as pieces (piece, type or None, source): the text between
    replacements is the input's own, so each replacement is found between two known
    stretches. Replacements separated by blanks only are one piece. None when the
    output cannot be aligned (the text is still shown, without highlighting)."""
    out = result.text
    groups: list[list] = []
    for span in sorted(result.spans, key=lambda s: (s.start, s.end)):
        if groups and (span.start < groups[-1][1] or not text[groups[-1][1]:span.start].strip()):
            groups[-1][1] = max(groups[-1][1], span.end)
            continue
        groups.append([span.start, span.end, span.type])
    pieces: list[tuple[str, str | None, str]] = []
    at_in = at_out = 0
    for n, (start, end, kind) in enumerate(groups):
        gap = text[at_in:start]
        if out[at_out:at_out + len(gap)] != gap:
            return None
        if gap:
            pieces.append((gap, None, ""))
        at_out += len(gap)
        following = text[end:groups[n + 1][0]] if n + 1 < len(groups) else text[end:]
        if n + 1 < len(groups):
            stop = out.find(following, at_out)
        else:
            stop = len(out) - len(following)
            if stop < at_out or out[stop:] != following:
                return None
        if stop < 0:
            return None
        pieces.append((out[at_out:stop], kind, "engine"))
        at_in, at_out = end, stop
    if out[at_out:] != text[at_in:]:
        return None
    if text[at_in:]:
        pieces.append((text[at_in:], None, ""))
    return pieces


def _checked(pieces: list[tuple[str, str | None, str]], check: ChartCheck) -> list[tuple[str, str | None, str]]:
    """Each chart value still present in a piece (left by the engine, or an invented
    value that happens to equal a real one) is replaced by its type in brackets."""
    out = []
    for piece, kind, source in pieces:
        at = 0
        for start, end, value_kind in check.find(piece):
            if start > at:
                out.append((piece[at:start], kind, source))
            out.append((f"[{value_kind}]", value_kind, "chart"))
            at = end
        if at < len(piece):
            out.append((piece[at:], kind, source))
    return out


def _disguise(text: str, record: dict, check: ChartCheck, *, mode: str, secret: bytes,
              keep_first_name: bool) -> tuple[str, list[dict]]:
    """The disguised text and its replacements [{start, end, type, source}] (offsets
    into the disguised text)."""
    result = deidentify(text, record, mode=mode, case_secret=secret, keep_first_name=keep_first_name)
    pieces = _pieces(text, result)
    if pieces is None:  # cannot highlight: check the text as one piece
        pieces = [(result.text, None, "")]
    pieces = _checked(pieces, check)
    disguised = "".join(p for p, _, _ in pieces)
    if check.find(disguised):  # a value spanning two pieces: never store it
        pieces = _checked([(disguised, None, "")], check)
        disguised = "".join(p for p, _, _ in pieces)
    if check.find(disguised):
        raise InvalidInput("the disguised text still holds a value from the chart; nothing was stored")
    spans, at = [], 0
    for piece, kind, source in pieces:
        if kind is not None:
            spans.append({"start": at, "end": at + len(piece), "type": kind, "source": source})
        at += len(piece)
    return disguised, spans


# --- input checks -------------------------------------------------------------------------

def _check_draft(note_ids, mode, keep_first_name, purpose) -> list[uuid.UUID]:
    if mode not in MODES:
        raise InvalidInput(f"mode: must be one of {', '.join(MODES)}")
    if not isinstance(keep_first_name, bool):
        raise InvalidInput("keep_first_name: true or false")
    if purpose not in PURPOSES:
        raise InvalidInput(f"purpose: must be one of {', '.join(PURPOSES)}")
    if not isinstance(note_ids, (list, tuple)) or not 1 <= len(note_ids) <= MAX_NOTES:
        raise InvalidInput(f"note_ids: give 1 to {MAX_NOTES} progress note ids")
    ids = [access.parse_client_id(n) if isinstance(n, (str, uuid.UUID)) else None for n in note_ids]
    if any(i is None for i in ids):
        raise InvalidInput("note_ids: each must be a progress note id")
    if len(set(ids)) != len(ids):
        raise InvalidInput("note_ids: each note once")
    return ids


def _check_recipient(recipient) -> Recipient:
    if isinstance(recipient, Recipient):
        recipient = recipient.as_dict()
    if not isinstance(recipient, dict):
        raise InvalidInput("recipient: give name and kind")
    name, kind = recipient.get("name"), recipient.get("kind", RECIPIENT_KIND)
    address = recipient.get("address") or ""
    if kind != RECIPIENT_KIND:
        raise InvalidInput("recipient: kind must be consultant")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidInput("recipient: name is required (up to 200 characters)")
    if not isinstance(address, str) or len(address) > 400:
        raise InvalidInput("recipient: address up to 400 characters")
    return Recipient(name=name.strip(), kind=RECIPIENT_KIND, address=address.strip())


# --- drafts -------------------------------------------------------------------------------

def _safe_harbor(mode: str, keep_first_name: bool) -> bool:
    return mode == "redact" and not keep_first_name


def _labels(notes: list[ProgressNote]) -> list[str]:
    """Sessions are numbered, with the days since the first: intervals, no dates."""
    first = notes[0].session_date
    out = []
    for n, note in enumerate(notes, start=1):
        days = (note.session_date - first).days
        out.append(f"Session {n}" if n == 1 else f"Session {n}, {days} day{'s' if days != 1 else ''} after session 1")
    return out


def _view(draft: ConsultationDraft, body: dict) -> dict:
    counts: dict[str, int] = {}
    for note in body["notes"]:
        for span in note["spans"]:
            counts[span["type"]] = counts.get(span["type"], 0) + 1
    return {
        "id": str(draft.id),
        "status": draft.status,
        "created_at": draft.created_at.isoformat(timespec="seconds"),
        "released_at": draft.released_at.isoformat(timespec="seconds") if draft.released_at else None,
        "disclosure_id": str(draft.disclosure_id) if draft.disclosure_id else None,
        "mode": body["mode"],
        "keep_first_name": body["keep_first_name"],
        "purpose": body["purpose"],
        "safe_harbor": body["safe_harbor"],
        "basis": _basis_kind(body),
        "notes": [{k: note[k] for k in ("label", "format", "text", "spans")} for note in body["notes"]],
        "replacements": dict(sorted(counts.items())),
    }


def consultation_draft(*, user: User, client_id, note_ids, mode: str = "surrogates", keep_first_name: bool = True,
                       purpose: str = "HOPERAT") -> dict:
    """Disguise the chosen progress notes of a case and keep them as a draft for the
    clinician's review (nothing leaves). The notes and the chart's identifiers are read
    through the door by the caller as the client's treating or supervising clinician
    (anyone else gets NotFound); `purpose` is the disclosure's, used at release."""
    ids = _check_draft(note_ids, mode, keep_first_name, purpose)
    # Without the whole record the notes cannot be disguised: every category is needed.
    with _case(user=user, client_id=client_id, categories=READ_CATEGORIES,
               detail={"view": "consultation_draft", "notes": len(ids), "mode": mode}) as ok:
        client = Client.objects.get(id=ok.client.id, practice_id=ok.client.practice_id)
        # Only signed notes (co-signed where needed) may leave, disguised or not.
        notes = list(ProgressNote.objects.filter(practice_id=client.practice_id, client_id=client.id, id__in=ids,
                                                 status="signed")
                     .order_by("session_date", "created_at", "id"))
        if len(notes) != len(ids):
            raise InvalidInput("note_ids: each must name a signed progress note of this client "
                               "(psychotherapy notes are never included)")
        dek = data_key_of(client)
        record = chart_record_for_deid(dek, client)
        check = chart_check(record, keep_first_name=keep_first_name)
        secret = case_secret(client.practice_id, client.id)
        out_notes = []
        for note, label in zip(notes, _labels(notes)):
            body = unseal(dek, ProgressNote, "body_enc", note.id, note.body_enc) or {}
            text, spans = _disguise(str(body.get("text", "")), record, check, mode=mode, secret=secret,
                                    keep_first_name=keep_first_name)
            out_notes.append({"note_id": str(note.id), "label": label, "format": body.get("format") or None,
                              "text": text, "spans": spans})
        draft_body = {"mode": mode, "keep_first_name": keep_first_name, "purpose": purpose,
                      "safe_harbor": _safe_harbor(mode, keep_first_name), "notes": out_notes}
        did = uuid.uuid4()
        draft = ConsultationDraft.objects.create(
            id=did, practice_id=client.practice_id, client_id=client.id, author=user, status="draft",
            body_enc=seal(dek, ConsultationDraft, "body_enc", did, draft_body))
        return _view(draft, draft_body)


class _case:
    """The door for a consultation: the caller reads the client's record as their
    clinician (purpose TREAT), and must treat or supervise the client: a client or
    representative, an emergency grant, or anyone else gets NotFound, as for no
    client. `categories` must all be permitted."""

    def __init__(self, *, user: User, client_id, categories, detail: dict):
        self.user, self.categories = user, frozenset(categories)
        self.door = access.governed(user=user, client_id=client_id, action="read", purpose="TREAT",
                                    categories=self.categories, detail=detail)

    def __enter__(self) -> access.Authorized:
        ok = self.door.__enter__()
        try:
            rels = access.relationships_of(self.user, ok.client.id, datetime.now(timezone.utc))
            if not (rels & CASE_RELATIONSHIPS and self.categories <= ok.decision.categories):
                raise NotFound()
        except BaseException as exc:
            self.door.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return ok

    def __exit__(self, exc_type, exc, tb):
        return self.door.__exit__(exc_type, exc, tb)


class _open_draft:
    """Read one of the caller's own drafts of the client through the door (a draft is
    its author's until released; anyone else's id is not found)."""

    def __init__(self, *, user: User, client_id, draft_id, detail: dict):
        self.draft_id = access.parse_client_id(draft_id)
        self.door = _case(user=user, client_id=client_id, categories={"progress_notes"},
                          detail={"view": "consultation", **detail})
        self.user = user

    def __enter__(self) -> tuple[ConsultationDraft, dict]:
        ok = self.door.__enter__()
        try:
            draft = (ConsultationDraft.objects.filter(id=self.draft_id, practice_id=ok.client.practice_id,
                                                      client_id=ok.client.id, author=self.user)
                     .first() if self.draft_id else None)
            if draft is None:
                raise NotFound()
            body = unseal(data_key_of(draft), ConsultationDraft, "body_enc", draft.id, draft.body_enc)
        except BaseException as exc:
            self.door.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return draft, body

    def __exit__(self, exc_type, exc, tb):
        return self.door.__exit__(exc_type, exc, tb)


def consultation_get(*, user: User, client_id, draft_id) -> dict:
    """One of the caller's drafts (or released packets) of the client, for review."""
    with _open_draft(user=user, client_id=client_id, draft_id=draft_id, detail={"step": "review"}) as (draft, body):
        return _view(draft, body)


def _rows(dek: bytes, client: Client, user: User) -> list[dict]:
    out = []
    for draft in ConsultationDraft.objects.filter(practice_id=client.practice_id, client_id=client.id,
                                                  author=user).order_by("-created_at", "id"):
        view = _view(draft, unseal(dek, ConsultationDraft, "body_enc", draft.id, draft.body_enc))
        view["notes"] = len(view["notes"])
        out.append(view)
    return out


def consultation_list(*, user: User, client_id) -> list[dict]:
    """The caller's consultation drafts and released packets for the client, newest
    first, without their text."""
    with _case(user=user, client_id=client_id, categories={"progress_notes"},
               detail={"view": "consultation_list"}) as ok:
        return _rows(data_key_of(ok.client), ok.client, user)


def consultation_overview(*, user: User, client_id) -> dict:
    """What the clinician chooses from: the client's progress notes (id, session date,
    author, format; never psychotherapy notes), and their own drafts and packets."""
    with _case(user=user, client_id=client_id, categories={"progress_notes"},
               detail={"view": "consultation_overview"}) as ok:
        dek = data_key_of(ok.client)
        notes = [{"id": str(n.id), "session_date": n.session_date.isoformat(), "author": n.author.full_name,
                  "format": (unseal(dek, ProgressNote, "body_enc", n.id, n.body_enc) or {}).get("format")}
                 for n in ProgressNote.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id,
                                                      status="signed").select_related("author")
                 .order_by("session_date", "created_at")]
        return {"notes": notes, "drafts": _rows(dek, ok.client, user)}


# --- release ------------------------------------------------------------------------------

def _basis_kind(body: dict) -> str:
    return "deidentified_consultation" if body["safe_harbor"] else "disguised_consultation"


def _basis(body: dict, draft_id) -> Basis:
    n = len(body["notes"])
    sessions = f"{n} progress note{'s' if n != 1 else ''}"
    if body["safe_harbor"]:
        return Basis(kind="deidentified_consultation", citation=SAFE_HARBOR_CITATION, ref=str(draft_id),
                     description=f"{sessions} de-identified (identifiers removed, sessions undated) and reviewed "
                                 "by the clinician")
    kept = "the client's first name kept, " if body["keep_first_name"] else ""
    how = "other identifiers replaced by invented ones" if body["mode"] == "surrogates" else "other identifiers removed"
    return Basis(kind="disguised_consultation", citation=DISGUISED_CITATION, ref=str(draft_id),
                 description=f"{sessions} disguised for consultation ({kept}{how}) and reviewed by the clinician")


def consultation_release(*, user: User, client_id, draft_id, recipient, reviewed: bool = False) -> dict:
    """The clinician's Release button: after reviewing the draft, send it to a
    consultant. Through `disclosure_packet_build` (audited, in the accounting, PDF and
    FHIR rendered); the packet holds the reviewed disguised text only. A draft is
    released once."""
    if reviewed is not True:
        raise InvalidInput("reviewed: confirm that you read the disguised text")
    to = _check_recipient(recipient)
    with _open_draft(user=user, client_id=client_id, draft_id=draft_id, detail={"step": "release"}) as (draft, body):
        if draft.status != "draft":
            raise InvalidInput("draft: already released")
        draft_id, practice_id = draft.id, draft.practice_id
        notes = [{"label": n["label"], "format": n["format"], "text": n["text"]} for n in body["notes"]]
    now = datetime.now(timezone.utc)

    def mark_released(disclosure_id) -> None:
        # In the disclosure's own transaction: a draft leaves once, or not at all.
        if ConsultationDraft.objects.filter(practice_id=practice_id, id=draft_id, status="draft").update(
                status="released", disclosure_id=disclosure_id, released_at=now) != 1:
            raise InvalidInput("draft: already released")

    summary = disclosure_packet_build(
        user=user, client_id=client_id, recipient=to, purpose=body["purpose"], basis=_basis(body, draft_id),
        categories={"progress_notes"}, deidentified={"progress_notes": notes}, on_recorded=mark_released)
    return {"draft_id": str(draft_id), "disclosure": summary, "basis": _basis_kind(body),
            "text": consultation_text(disclosure_document(user=user, client_id=client_id,
                                                          disclosure_id=summary["id"]))}


def consultation_text(packet: dict) -> str:
    """A released consultation packet as plain text (what the PDF says)."""
    basis, recipient = packet["basis"], packet["recipient"]
    lines = [f"Consultation case from {packet['practice']}",
             f"Shared with: {recipient['name']} (consultant)",
             f"Date: {packet.get('made_on') or packet['made_at'][:10]}",
             f"Why: {PURPOSE_PLAIN.get(packet['purpose'], packet['purpose'])}",
             f"Basis: {basis.get('description', '')} ({basis.get('citation', '')})", ""]
    for notice in packet.get("notices", ()):
        lines += [notice["text"], ""]
    for note in packet["sections"].get("progress_notes", []):
        head = note.get("label") or "Session"
        if note.get("format"):
            head += f" ({note['format']})"
        lines += [head, "-" * len(head), str(note.get("text", "")), ""]
    return "\n".join(lines).rstrip() + "\n"


def consultation_packet(*, user: User, client_id, draft_id, fmt: str = "text"):
    """A released packet as text or PDF bytes (the stored disclosure)."""
    if fmt not in ("text", "pdf"):
        raise InvalidInput("format must be text or pdf")
    with _open_draft(user=user, client_id=client_id, draft_id=draft_id, detail={"step": "packet"}) as (draft, _):
        disclosure_id = draft.disclosure_id
    if disclosure_id is None:
        raise NotFound()  # not released yet: nothing has left
    if fmt == "pdf":
        return disclosure_document(user=user, client_id=client_id, disclosure_id=disclosure_id, fmt="pdf")
    return consultation_text(disclosure_document(user=user, client_id=client_id, disclosure_id=disclosure_id))
