"""Shape checks for the invented demo data (no Django, no database)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from confide.services.demo import data as d

REFERENCE_DATE = date(2026, 11, 21)
ICD10 = re.compile(r"^[A-Z]\d{2}(\.\d{1,4})?$")
PHONE = re.compile(r"^\d{3}-555-01\d{2}$")
STATUSES_PAST = {"attended", "no_show", "cancelled"}
INSTRUMENTS = {"PHQ-9", "GAD-7", "AUDIT", "PCL-5"}


def _age(dob: str) -> int:
    born = date.fromisoformat(dob)
    return REFERENCE_DATE.year - born.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))


def _unique(values) -> None:
    dupes = [v for v, n in Counter(values).items() if n > 1]
    assert not dupes, dupes


def _all_phones():
    yield d.PRACTICE["phone"]
    for c in d.CLIENTS:
        yield c["phone"]
        for contact in c["contacts"]:
            if not (c["guardian"] and contact["name"] == c["guardian"]["name"]):
                yield contact["phone"]
        if c["guardian"]:
            yield c["guardian"]["phone"]


def test_practice():
    assert d.PRACTICE["jurisdiction"] == "US-WA"
    assert d.PRACTICE["timezone"] == "America/Los_Angeles"
    assert d.PRACTICE["name"] and ", WA 98" in d.PRACTICE["address"]
    assert d.DEMO_PASSWORD == "confide-demo-2026"


def test_staff():
    usernames = [s["username"] for s in d.STAFF]
    _unique(usernames)
    _unique(s["email"] for s in d.STAFF)
    _unique(s["full_name"] for s in d.STAFF)
    roles = Counter(s["role"] for s in d.STAFF)
    for role in ("supervisor", "clinician", "biller", "front_desk", "practice_admin"):
        assert roles[role] >= 1, role
    by_name = {s["username"]: s for s in d.STAFF}
    for s in d.STAFF:
        for supervisee in s.get("supervises", []):
            assert supervisee in by_name
            assert by_name[supervisee]["licensed"] is False
            assert s["licensed"] is True
    assert any(s["role"] == "clinician" and not s["licensed"] for s in d.STAFF)
    for s in d.STAFF:
        assert s["email"].endswith((".example.org", "@example.org", ".example.com", "@example.com"))


def test_clients_unique_identifiers():
    staff = {s["username"] for s in d.STAFF}
    _unique(c["key"] for c in d.CLIENTS)
    _unique(c["legal_name"] for c in d.CLIENTS)
    _unique(c["email"] for c in d.CLIENTS)
    _unique(c["address"] for c in d.CLIENTS)
    _unique(list(_all_phones()))
    for phone in _all_phones():
        assert PHONE.match(phone), phone
    logins = [c["username"] for c in d.CLIENTS if c["username"]]
    logins += [c["guardian"]["username"] for c in d.CLIENTS if c["guardian"]]
    _unique(logins + sorted(staff))
    assert sum(1 for c in d.CLIENTS if c["username"]) == 3
    for c in d.CLIENTS:
        assert c["email"].endswith(("@example.org", "@example.com"))
        assert ", WA 98" in c["address"]


def test_programs_insurance_and_minor():
    assert 6 <= len(d.CLIENTS) <= 9
    assert [c["program"] for c in d.CLIENTS].count("sud") == 1
    assert all(c["program"] in {"outpatient", "sud"} for c in d.CLIENTS)
    sud = next(c for c in d.CLIENTS if c["program"] == "sud")
    assert any(dx["code"].startswith(("F10.2", "F11.2")) for dx in sud["diagnoses"])
    assert sud["medications"]
    assert any(c["insurance"] is None for c in d.CLIENTS)
    for c in d.CLIENTS:
        if c["insurance"] is not None:
            assert set(c["insurance"]) == {"payer", "member_id", "group"}

    minors = [c for c in d.CLIENTS if _age(c["dob"]) < 18]
    assert len(minors) == 1
    minor = minors[0]
    assert _age(minor["dob"]) == 15
    assert minor["guardian"] and minor["guardian"]["username"]
    assert minor["minor_consent"] == "self"
    for c in d.CLIENTS:
        if c is not minor:
            assert c["guardian"] is None and c["minor_consent"] is None


def test_clinical_content():
    staff = {s["username"] for s in d.STAFF}
    clinicians = {s["username"] for s in d.STAFF if s["role"] in {"clinician", "supervisor"}}
    supervisees = {u for s in d.STAFF for u in s.get("supervises", [])}
    assert any(m["staff"] in supervisees for c in d.CLIENTS for m in c["care_team"])
    for c in d.CLIENTS:
        key = c["key"]
        date.fromisoformat(c["dob"])
        assert c["diagnoses"], key
        for dx in c["diagnoses"]:
            assert ICD10.match(dx["code"]), dx
            assert dx["description"]
        assert c["care_team"] and all(m["staff"] in staff for m in c["care_team"])
        assert len(c["plan"]["goals"]) >= 2, key
        assert all(0 <= g["progress"] <= 4 for g in c["plan"]["goals"])

        appts = c["appointments"]
        assert 3 <= len(appts), key
        assert any(a["days_from_today"] < 0 for a in appts), key
        assert any(a["days_from_today"] > 0 for a in appts), key
        for a in appts:
            assert a["clinician"] in clinicians
            assert re.match(r"^\d{2}:\d{2}$", a["time"])
            if a["days_from_today"] < 0:
                assert a["status"] in STATUSES_PAST
            else:
                assert a["status"] == "scheduled"
        attended = sorted(a["days_from_today"] for a in appts if a["status"] == "attended")
        notes = c["progress_notes"]
        assert notes, key
        assert sorted(n["days_from_today"] for n in notes) == attended, key
        for n in notes:
            assert n["author"] in clinicians and n["format"] in {"SOAP", "DAP"}
        for a in c["assessments"]:
            assert a["instrument"] in INSTRUMENTS

        banned = [dx["code"] for dx in c["diagnoses"]] + [m["name"].split()[0] for m in c["medications"]]
        banned += ["PHQ", "GAD", "PCL", "AUDIT", "mg"]
        for pn in c["psychotherapy_notes"]:
            assert pn["author"] in clinicians
            assert not re.search(r"\d", pn["text"]), pn["text"]
            for word in banned:
                assert word.lower() not in pn["text"].lower(), (key, word)

        if c["risk"] is not None:
            assert c["risk"]["level"] in {"low", "moderate", "high"}
        prefs = c["contact_preferences"]
        assert prefs["voicemail"] in {"none", "name_callback", "details"}
        assert prefs["text"] in {"none", "neutral", "details"}
        assert prefs["email"] in {"none", "neutral", "details"}
        assert prefs["postal"] in {"home", "alternate", "none"}
        assert (prefs["postal"] == "alternate") == bool(prefs["alternate_address"])


def test_note_sentences_unique():
    sentences = []
    for c in d.CLIENTS:
        for n in c["progress_notes"] + c["psychotherapy_notes"]:
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", n["text"]) if s.strip()]
    _unique(sentences)
    assert len(sentences) > 60
