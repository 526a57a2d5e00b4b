"""The demo practice: created through the same services as real use, so every record
is encrypted and every write is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from confide.apps.practice.models import Practice, SupervisionLink, User
from confide.services import charting, intake, scheduling
from confide.services.accounts import otp_device_enrol, user_create
from confide.services.audit import audited_transaction
from confide.services.demo import data
from confide.services.demo.calendar import demo_appointment_type, demo_calendar
from confide.services.demo.payers_minors import demo_payers_and_minors
from confide.services.demo.portal import demo_portal
from confide.services.disclosures import releases
from confide.services.disclosures.accounting import demo_disclosures
from confide.services.messages import messaging_demo_setup


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    description: str


@dataclass(frozen=True)
class DemoResult:
    created: bool
    practice_id: str
    logins: tuple[DemoLogin, ...]
    password: str
    client_ids: dict  # demo key (c1, c2, ...) -> client id; empty when nothing was created


def _logins() -> tuple[DemoLogin, ...]:
    rows = [DemoLogin(s["username"], s["role"], f"{s['full_name']}, {s['licence'] or s['role'].replace('_', ' ')}")
            for s in data.STAFF]
    for c in data.CLIENTS:
        if c.get("username"):
            rows.append(DemoLogin(c["username"], "client", f"client portal ({c['preferred_name']})"))
        if c.get("guardian") and c["guardian"].get("username"):
            rows.append(DemoLogin(c["guardian"]["username"], "representative",
                                  f"parent of a minor client ({c['preferred_name']})"))
    return tuple(rows)


def demo_exists() -> Practice | None:
    return Practice.objects.filter(name=data.PRACTICE["name"]).first()


def demo_create(*, today: date | None = None, with_otp: bool = True) -> DemoResult:
    """Create the demo practice unless it already exists."""
    existing = demo_exists()
    if existing:
        return DemoResult(False, str(existing.id), _logins(), data.DEMO_PASSWORD, {})
    tz = ZoneInfo(data.PRACTICE["timezone"])
    today = today or datetime.now(tz).date()  # the practice's today, not the server's
    with audited_transaction():
        practice = Practice.objects.create(name=data.PRACTICE["name"], jurisdiction=data.PRACTICE["jurisdiction"],
                                           timezone=data.PRACTICE["timezone"])
        scheduling.defaults_create(practice.id)
        staff: dict[str, User] = {}
        for s in data.STAFF:
            user = user_create(actor=None, practice=practice, username=s["username"], role=s["role"],
                               password=data.DEMO_PASSWORD, full_name=s["full_name"], email=s["email"],
                               licence=s["licence"], licensed=s["licensed"])
            if with_otp:
                otp_device_enrol(actor=None, account=user, name="demo authenticator")
            staff[s["username"]] = user
        for s in data.STAFF:
            for supervisee in s.get("supervises", []):
                SupervisionLink.objects.create(practice=practice, supervisor=staff[s["username"]],
                                               supervisee=staff[supervisee])

    def at(days: int, hhmm: str = "09:00") -> datetime:
        return datetime.combine(today + timedelta(days=days), time.fromisoformat(hhmm), tzinfo=tz)

    client_ids = {}
    for c in data.CLIENTS:
        treating = staff[c["care_team"][0]["staff"]]
        insurance = c.get("insurance")
        cid = intake.client_create(
            user=treating,
            identity={"legal_name": c["legal_name"], "preferred_name": c["preferred_name"], "dob": c["dob"],
                      "pronouns": c["pronouns"], "record_number": f"HL-{1000 + data.CLIENTS.index(c)}"},
            contact={"email": c["email"], "phone": c["phone"], "address": c["address"]},
            fact={"program": c["program"], "minor_consent": c.get("minor_consent"),
                  "admitted_on": (today - timedelta(days=max(d["since_days_ago"] for d in c["diagnoses"]))).isoformat()},
            billing=({"payer": insurance["payer"], "member_id": insurance["member_id"],
                      "group": insurance.get("group"), "self_pay": False} if insurance else {"self_pay": True}),
            preferences=c.get("contact_preferences"),
        )
        client_ids[c["key"]] = cid
        for member in c["care_team"][1:]:
            charting.care_team_assign(user=treating, client_id=cid, staff_id=staff[member["staff"]].pk)
        for contact in c.get("contacts", []):
            guardian = bool(c.get("guardian") and c["guardian"]["name"] == contact["name"])
            charting.record_add(user=treating, client_id=cid, kind="contact", data={**contact, "guardian": guardian})
        for d in c["diagnoses"]:
            charting.record_add(user=treating, client_id=cid, kind="diagnosis",
                               data={"code": d["code"], "description": d["description"],
                                     "since": (today - timedelta(days=d["since_days_ago"])).isoformat()})
        for m in c.get("medications", []):
            charting.record_add(user=treating, client_id=cid, kind="medication", data=m)
        plan = c["plan"]
        charting.record_add(user=treating, client_id=cid, kind="treatment_plan", data={
            "summary": plan["summary"],
            "goals": [{"text": g["text"], "progress": g["progress"],
                       "target": (today + timedelta(days=g["target_days_from_now"])).isoformat()}
                      for g in plan["goals"]]})
        for a in c.get("assessments", []):
            charting.record_add(user=treating, client_id=cid, kind="assessment", data={
                "instrument": a["instrument"], "score": a["score"],
                "date": (today + timedelta(days=a["days_from_today"])).isoformat()})
        if c.get("risk"):
            r = c["risk"]
            charting.record_add(user=treating, client_id=cid, kind="risk_assessment", data={
                "level": r["level"], "summary": r["summary"], "safety_plan": r.get("safety_plan"),
                "date": (today + timedelta(days=r["days_from_today"])).isoformat()})
        for n, a in enumerate(c["appointments"]):
            scheduling.appointment_create(user=treating, client_id=cid, clinician_id=staff[a["clinician"]].pk,
                                          starts_at=at(a["days_from_today"], a.get("time", "09:00")),
                                          minutes=a["minutes"], appointment_type=demo_appointment_type(n, a),
                                          room="Room 2" if a["clinician"] == "marsh" else "Room 1",
                                          status=a["status"])
        written = []
        for n in c["progress_notes"]:
            written.append((n["author"], charting.progress_note_create(
                user=staff[n["author"]], client_id=cid, session_date=today + timedelta(days=n["days_from_today"]),
                text=n["text"], note_format=n.get("format", "SOAP"))))
        # A pre-licensed clinician's notes were co-signed by their supervisor, all but
        # the latest, which waits in the supervisor's co-sign queue.
        for author, note_id in written[:-1]:
            supervisor = next((staff[s["username"]] for s in data.STAFF if author in s["supervises"]), None)
            if charting.needs_cosign(staff[author]) and supervisor is not None:
                charting.note_cosign(user=supervisor, note_id=note_id)
        for n in c.get("psychotherapy_notes", []):
            charting.psychotherapy_note_create(user=staff[n["author"]], client_id=cid,
                                              session_date=today + timedelta(days=n["days_from_today"]),
                                              text=n["text"])
        accounts = []
        if c.get("username"):
            accounts.append((c["username"], "client", "self"))
        if c.get("guardian") and c["guardian"].get("username"):
            accounts.append((c["guardian"]["username"], "representative", "representative"))
        for username, role, relationship in accounts:
            account = user_create(actor=None, practice=practice, username=username, role=role,
                                  password=data.DEMO_PASSWORD)
            intake.client_account_link(user=treating, client_id=cid, account=account, relationship=relationship)
    releases.demo_part2_consent(staff=staff, client_ids=client_ids, today=today)
    messaging_demo_setup(practice_id=practice.id)
    demo_disclosures(staff, client_ids)
    demo_payers_and_minors(staff=staff, client_ids=client_ids, today=today)
    demo_calendar(staff=staff, client_ids=client_ids, today=today)
    demo_portal(staff=staff, client_ids=client_ids, today=today)
    return DemoResult(True, str(practice.id), _logins(), data.DEMO_PASSWORD, client_ids)
