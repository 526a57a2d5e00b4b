"""Growing the demo practice to many clients (`confide demo --clients N`): the numbers
in bench/scale.py come from practices of 1k, 10k and 100k clients, and anyone can make
one in minutes.

The bulk path writes what the services write, row for row: each client's own data key
(wrapped by the master key, a batch at a time), every section sealed under it with the
same table/column/row binding (services.sealing), the same blind indexes
(`intake.index_digests`), the care team, and a chart (diagnoses, a treatment plan, past
sessions with attendance, signed progress notes, co-signed where the author needs it).
And it asks and audits what the services ask and audit, one event each: the client's
creation (`access.decide_new_client`, as intake), the chart's diagnoses and plan, the
booking, each attendance, each note's draft and signature and a supervisor's co-signature
(`access.authorize_known_write`, as the door). Where it differs is only in how it
writes: a batch of clients is one transaction, its rows go in by COPY on PostgreSQL
(services.database), and its events join the practice's chain at commit under one lock
of the head, like any transaction's. A batch commits or rolls back whole, with its
events; a refusal by the rules stops the run."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from confide.apps.practice.models import (
    AppointmentType,
    Practice,
    Room,
    SupervisionLink,
    User,
)
from confide.apps.records.models import (
    Appointment,
    BlindIndex,
    CareTeamMember,
    Client,
    ClientKey,
    Diagnosis,
    ProgressNote,
    TreatmentPlan,
)
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.charting.notes import body_digest
from confide.services.database import objects_insert, rows_insert
from confide.services.demo import data
from confide.services.intake import index_digests
from confide.services.keys import client_key_new, client_keys_wrap
from confide.services.sealing import seal

BATCH = 500
MAX_CLIENTS = 1_000_000
SOURCE = "confide demo --clients"
NEW_CLIENT = frozenset({"identity", "contact", "fact_of_treatment", "billing"})
TREATING = frozenset({"treating"})
SUPERVISING = frozenset({"supervising"})

FIRST = ("Amara Ben Carmen Dmitri Elena Farah Gideon Hana Idris Jolene Kenji Lucia Mateo Nadia Oren Priya Quinn "
         "Rosalind Soren Talia Uriel Valeria Wendell Ximena Yusuf Zora Anselm Bettina Cyrus Delphine Emeric Fiona "
         "Gustavo Hedda Ivo Juniper Kasimir Leonie Marisol Niall Odette Pascal Rhea Silas Thea Ulla Viggo Wren "
         "Yara Zeke Agnieszka Bram Consuelo Declan Esperanza Florian Greta Hamid Isolde Joaquin").split()
LAST = ("Abernathy Bellweather Castellano Dunmore Eriksen Fairbairn Galloway Hartigan Ishikawa Jablonski Kowalczyk "
        "Lindgren Mbeki Novak Ostrowski Pemberton Quintero Rasmussen Szabo Thorvaldsen Underhill Valdivia "
        "Whitcombe Yamamoto Zelenko Achterberg Brannigan Cardenas Delacroix Eberhardt Fitzwilliam Gallagher "
        "Haverford Iwasaki Jankowski Kilbride Lombardi Marchetti Nakagawa Okonkwo Petrakis Quarles Rourke Salazar "
        "Tremblay Uchida Vasquez Wojcik Yilmaz Zimmerman Ashcombe Blackwood Cavendish Drummond Ellingham "
        "Featherstone Grimaldi Holloway Ingersoll Jessop").split()
PRONOUNS = ("she/her", "he/him", "they/them")
STREETS = ("Alder Street", "Cedar Lane", "Marrowstone Avenue", "Puget Way", "Tideflat Road", "Orchard Court")
PAYERS = (("Cascade Mutual Health", "CMH"), ("Evergreen Benefit Plan", "EBP"), ("Sound Regional Health", "SRH"))


def _pool() -> dict:
    """The demo's own clinical material, to vary each new chart from."""
    notes = [n["text"] for c in data.CLIENTS for n in c["progress_notes"]]
    diagnoses = [(d["code"], d["description"]) for c in data.CLIENTS for d in c["diagnoses"]]
    plans = [c["plan"] for c in data.CLIENTS]
    return {"notes": notes, "diagnoses": sorted(set(diagnoses)), "plans": plans}


def _identity(rng: random.Random, n: int, today: date) -> tuple[dict, dict]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if rng.random() < 0.2:
        last = f"{last}-{rng.choice(LAST)}"
    preferred = first if rng.random() < 0.8 else rng.choice(FIRST)
    age_days = rng.randint(16 * 365, 80 * 365)
    identity = {"legal_name": f"{first} {chr(65 + rng.randrange(26))}. {last}", "preferred_name": preferred,
                "dob": (today - timedelta(days=age_days)).isoformat(), "pronouns": rng.choice(PRONOUNS),
                "record_number": f"HL-{10000 + n}"}
    contact = {"email": f"{first.lower()}.{last.lower()}.{n}@example.org",
               "phone": f"253-555-{n % 10000:04d}",
               "address": f"{rng.randint(100, 9999)} {rng.choice(STREETS)}, Tacoma, WA 984{rng.randint(0, 99):02d}"}
    return identity, contact


def demo_grow(*, clients: int, seed: int = 12, batch: int = BATCH, notes: tuple[int, int] = (2, 8),
              today: date | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Grow the demo practice to `clients` clients; returns how many were added (none
    when it already has that many). Each batch commits on its own, with its one audit
    event, so an interrupted run keeps what it made and a second run tops up."""
    if not isinstance(clients, int) or not 1 <= clients <= MAX_CLIENTS:
        raise InvalidInput(f"clients: a number from 1 to {MAX_CLIENTS:,}")
    practice = Practice.objects.filter(name=data.PRACTICE["name"]).first()
    if practice is None:
        raise InvalidInput("demo: there is no demo practice yet; run `confide demo` first")
    have = Client.objects.filter(practice=practice).count()
    want = clients - have
    if want <= 0:
        return 0
    tz = ZoneInfo(practice.timezone)
    today = today or datetime.now(tz).date()
    clinicians = list(User.objects.filter(practice=practice, role__in=("clinician", "supervisor"), is_active=True)
                      .order_by("username"))
    if not clinicians:
        raise InvalidInput("demo: the demo practice has no active clinician")
    supervisor_of = {link.supervisee_id: link.supervisor for link in
                     SupervisionLink.objects.filter(practice=practice).select_related("supervisor")}
    rooms = list(Room.objects.filter(practice=practice).order_by("name"))
    kinds = list(AppointmentType.objects.filter(practice=practice, active=True).order_by("label"))
    pool = _pool()
    done = 0
    while done < want:
        size = min(batch, want - done)
        _batch(practice, today, tz, clinicians, supervisor_of, rooms, kinds, pool, seed, have + done, size, notes)
        done += size
        if progress:
            progress(done, want)
    return done


def _batch(practice, today, tz, clinicians, supervisor_of, rooms, kinds, pool, seed, start, size, notes) -> None:
    rows: dict[str, list] = {"client": [], "index": [], "team": [], "diagnosis": [], "plan": [],
                             "appointment": [], "note": []}
    deks = {}
    charts = []  # per client: what its events record
    for n in range(start, start + size):
        rng = random.Random(f"{seed}:{n}")
        cid = uuid.uuid4()
        dek = deks[cid] = client_key_new()
        identity, contact = _identity(rng, n, today)
        treating = clinicians[n % len(clinicians)]
        admitted = today - timedelta(days=rng.randint(30, 720))
        insured = rng.random() < 0.75
        payer, prefix = rng.choice(PAYERS)
        billing = ({"payer": payer, "member_id": f"{prefix}{rng.randint(10**7, 10**8 - 1)}", "group": None,
                    "self_pay": False} if insured else {"self_pay": True})
        fact = {"status": "active", "admitted_on": admitted.isoformat(), "program": "mh", "minor_consent": None}
        rows["client"].append(Client(
            id=cid, practice_id=practice.id,
            identity_enc=seal(dek, Client, "identity_enc", cid, identity),
            contact_enc=seal(dek, Client, "contact_enc", cid, contact),
            fact_enc=seal(dek, Client, "fact_enc", cid, fact),
            billing_enc=seal(dek, Client, "billing_enc", cid, billing),
            preferences_enc=None))
        rows["index"].append(index_digests(practice.id, identity, contact))
        rows["team"].append(CareTeamMember(practice_id=practice.id, client_id=cid, staff=treating,
                                           relationship="treating"))
        chart = {"id": cid, "treating": treating, "diagnoses": 0, "appointments": [], "notes": []}
        for code, description in rng.sample(pool["diagnoses"], k=min(len(pool["diagnoses"]), rng.randint(1, 2))):
            rid = uuid.uuid4()
            rows["diagnosis"].append(Diagnosis(id=rid, practice_id=practice.id, client_id=cid, body_enc=seal(
                dek, Diagnosis, "body_enc", rid, {"code": code, "description": description,
                                                  "since": admitted.isoformat()})))
            chart["diagnoses"] += 1
        plan = rng.choice(pool["plans"])
        rid = uuid.uuid4()
        rows["plan"].append(TreatmentPlan(id=rid, practice_id=practice.id, client_id=cid, body_enc=seal(
            dek, TreatmentPlan, "body_enc", rid, {
                "summary": plan["summary"],
                "goals": [{"text": g["text"], "progress": rng.randint(0, 4),
                           "target": (today + timedelta(days=g["target_days_from_now"])).isoformat()}
                          for g in plan["goals"]]})))
        count = rng.randint(*notes)
        days = sorted(rng.sample(range(1, max(count * 7, 2) + 1), k=count), reverse=True)
        supervisor = supervisor_of.get(treating.pk)
        for ago in days:
            day = today - timedelta(days=ago)
            starts = datetime.combine(day, time(9 + rng.randint(0, 8)), tzinfo=tz)
            rid = uuid.uuid4()
            room = rooms[n % len(rooms)] if rooms else None
            kind = kinds[0] if kinds else None
            rows["appointment"].append(Appointment(
                id=rid, practice_id=practice.id, client_id=cid, clinician=treating, starts_at=starts, minutes=50,
                room=room, appointment_type=kind,
                details_enc=seal(dek, Appointment, "details_enc", rid, {
                    "label": kind.label if kind else "Session", "room": room.name if room else "",
                    "modality": "in_person"}),
                attendance_enc=seal(dek, Appointment, "attendance_enc", rid, {"status": "attended"})))
            chart["appointments"].append(rid)
            nid = uuid.uuid4()
            body = {"format": "SOAP", "text": rng.choice(pool["notes"])}
            signed_at = datetime.combine(day, time(17), tzinfo=tz)
            signature = {"signed_by": treating.full_name or treating.username, "signed_at": signed_at.isoformat(),
                         "licence": treating.licence, "sha256": body_digest(body)}
            cosigned = None
            if not treating.licensed and supervisor is not None:
                cosigned = signed_at + timedelta(days=1)
                signature.update({"cosigned_by": supervisor.full_name or supervisor.username,
                                  "cosigned_at": cosigned.isoformat()})
            rows["note"].append(ProgressNote(
                id=nid, practice_id=practice.id, client_id=cid, author=treating, session_date=day,
                body_enc=seal(dek, ProgressNote, "body_enc", nid, body), status="signed",
                updated_at=signed_at, signed_at=signed_at, cosigned_at=cosigned,
                cosigned_by=supervisor if cosigned else None,
                signature_enc=seal(dek, ProgressNote, "signature_enc", nid, signature)))
            chart["notes"].append((nid, supervisor if cosigned else None))
        charts.append(chart)
    with audited_transaction():
        for chart in charts:
            _ask_and_audit(practice, chart)
        objects_insert(Client, rows["client"])  # sets each one's created_at, as a save does
        rows_insert(ClientKey, ("client_id", "practice_id", "master_key_id", "wrapped"),
                    [(cid, practice.id, key_id, wrapped) for cid, (key_id, wrapped) in client_keys_wrap(deks).items()])
        # Each index row carries its client's intake time, as intake.index_rows does.
        rows_insert(BlindIndex, ("practice_id", "client_id", "kind", "digest", "created_at"),
                    [(practice.id, client.id, kind, digest, client.created_at)
                     for client, digests in zip(rows["client"], rows["index"]) for kind, digest in digests])
        for model, name in ((CareTeamMember, "team"), (Diagnosis, "diagnosis"),
                            (TreatmentPlan, "plan"), (Appointment, "appointment"), (ProgressNote, "note")):
            objects_insert(model, rows[name])


def _ask_and_audit(practice: Practice, chart: dict) -> None:
    """What the services ask the PDP and record, for one new client and its chart:
    intake's creation, then each write under the care relationship just made."""
    cid, treating = chart["id"], chart["treating"]
    now = datetime.now(timezone.utc)

    def write(user, categories, detail, relationships=TREATING):
        decision = access.authorize_known_write(user=user, client_id=cid, practice_id=practice.id,
                                                categories=categories, relationships=relationships, now=now,
                                                detail={**detail, "source": SOURCE})
        if not decision.permitted:
            raise InvalidInput(f"demo: the rules refuse {user.username} a {detail['record']} write")

    decision = access.decide_new_client(user=treating, client_id=cid, purpose="TREAT", categories=NEW_CLIENT)
    audit_append(practice_id=practice.id, actor_id=str(treating.pk), actor_role=treating.role,
                 action="client.create", purpose="TREAT", client_ref=access.client_ref_in(practice.id, cid),
                 decision=decision, detail={"source": SOURCE})
    if not decision.permitted:
        raise InvalidInput(f"demo: the rules refuse {treating.username} a new client")
    write(treating, {"diagnosis", "treatment_plan"},
          {"record": "chart", "diagnoses": chart["diagnoses"], "treatment_plans": 1})
    write(treating, {"appointments"}, {"record": "appointment", "count": len(chart["appointments"])})
    for rid in chart["appointments"]:
        write(treating, {"attendance"}, {"record": "appointment.attendance", "appointment": str(rid)})
    for nid, supervisor in chart["notes"]:
        write(treating, {"progress_notes"}, {"record": "progress_note", "op": "draft"})
        write(treating, {"progress_notes"}, {"record": "progress_note", "op": "sign", "note": str(nid)})
        if supervisor is not None:
            write(supervisor, {"progress_notes"}, {"record": "progress_note", "op": "cosign", "note": str(nid)},
                  relationships=SUPERVISING)
