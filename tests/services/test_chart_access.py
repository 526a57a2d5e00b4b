"""Who sees what of a chart, through the full stack (PDP -> decrypt -> project -> audit)."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.core.errors import NotFound
from confide.services.charting import chart_open, psychotherapy_note_create
from confide.services.directory import client_list, client_search

CLINICAL = {"diagnosis", "medications", "treatment_plan", "progress_notes", "assessments", "risk_assessment"}

# (user, client key, sections that must be present, sections that must be absent)
CASES = [
    ("marsh", "c1", {"identity", "diagnosis", "progress_notes", "treatment_plan", "psychotherapy_notes"}, set()),
    ("okafor", "c5", {"identity", "diagnosis", "progress_notes", "treatment_plan"}, {"psychotherapy_notes"}),
    ("pellham", "c1", {"identity", "contact", "billing", "diagnosis"},
     {"progress_notes", "treatment_plan", "psychotherapy_notes", "medications", "appointments"}),
    ("fontaine", "c1", {"identity", "contact", "appointments", "contact_preferences"},
     CLINICAL | {"psychotherapy_notes", "billing", "attendance"}),
    ("lvarga", "c1", {"identity", "diagnosis", "progress_notes", "treatment_plan"}, {"psychotherapy_notes"}),
]


@pytest.mark.parametrize("username,key,present,absent", CASES)
def test_sections_by_role(staff, cid, username, key, present, absent):
    chart = chart_open(user=staff[username], client_id=cid[key])
    assert present <= set(chart), f"{username} misses {present - set(chart)}"
    assert not (absent & set(chart)), f"{username} sees {absent & set(chart)}"


@pytest.mark.parametrize("username,key", [
    ("haddad", "c1"),        # practice admin: no client information
    ("lindqvist", "c1"),     # clinician with no relationship
    ("marsh", "c2"),         # another clinician's client
    ("acastellanos", "c1"),  # a parent asking for someone else's client (June's view: tests/disclosures)
    ("lvarga", "c6"),        # one client cannot open another
])
def test_no_relationship_is_not_found(staff, cid, username, key):
    with pytest.raises(NotFound):
        chart_open(user=staff[username], client_id=cid[key])


def test_front_desk_appointments_are_neutral(staff, cid):
    chart = chart_open(user=staff["fontaine"], client_id=cid["c1"])
    for appt in chart["appointments"]:
        # a cancellation shows (the slot is free); attended or missed does not
        assert set(appt) - {"status"} == {"id", "starts_at", "minutes", "clinician", "label", "room", "modality"}
        assert appt.get("status") in (None, "cancelled")
        assert appt["label"] in ("Session", "First session", "Extended session")
    assert any(a.get("status") == "cancelled" for a in chart["appointments"])


def test_psychotherapy_notes_only_their_author(staff, cid):
    # okafor supervises lindqvist and sees c5's chart, never lindqvist's process notes
    psychotherapy_note_create(user=staff["lindqvist"], client_id=cid["c5"], session_date="2026-11-01",
                              text="Process note only the author reads.")
    sup = chart_open(user=staff["okafor"], client_id=cid["c5"])
    assert "psychotherapy_notes" not in sup
    own = chart_open(user=staff["lindqvist"], client_id=cid["c5"])
    assert any(n["text"] == "Process note only the author reads." for n in own["psychotherapy_notes"])


def test_psychotherapy_note_write_needs_the_chart(staff, cid):
    with pytest.raises(NotFound):
        psychotherapy_note_create(user=staff["lindqvist"], client_id=cid["c1"], session_date="2026-11-01",
                                  text="Should never be stored.")


def test_every_decision_is_audited_in_the_same_transaction(staff, cid):
    before = AuditEvent.objects.count()
    chart_open(user=staff["marsh"], client_id=cid["c1"])
    with pytest.raises(NotFound):
        chart_open(user=staff["marsh"], client_id=cid["c2"])
    events = list(AuditEvent.objects.order_by("-seq")[:2])
    assert AuditEvent.objects.count() == before + 2
    assert [e.decision for e in events] == ["deny", "permit"]


def test_lists_and_search_show_only_related_clients(staff, cid):
    mine = {r["id"] for r in client_list(user=staff["marsh"])}
    assert mine == {str(cid[k]) for k in ("c1", "c3", "c6")}
    assert client_search(user=staff["marsh"], query="Elena Marisol Varga-Trent")[0]["id"] == str(cid["c1"])
    # an unrelated client's exact name answers like a name nobody has
    assert client_search(user=staff["marsh"], query="Desmond Albright Kerrigan") == []
    assert client_search(user=staff["marsh"], query="Nobody Atall") == []
    assert client_list(user=staff["haddad"]) == []


def test_other_practice_sees_nothing(staff, cid, other_practice):
    with pytest.raises(NotFound):
        chart_open(user=other_practice["clinician"], client_id=cid["c1"])
    assert [r["id"] for r in client_list(user=other_practice["clinician"])] == [str(other_practice["client_id"])]
    with pytest.raises(NotFound):
        chart_open(user=staff["marsh"], client_id=other_practice["client_id"])


def test_break_glass_opens_the_chart_for_a_licensed_clinician_only(staff, cid):
    from confide.services.break_glass import break_glass_open

    with pytest.raises(NotFound):
        chart_open(user=staff["okafor"], client_id=cid["c1"])
    with pytest.raises(NotFound):  # unlicensed: as for a client that does not exist
        break_glass_open(user=staff["lindqvist"], client_id=cid["c1"], reason="client in crisis on the phone")
    break_glass_open(user=staff["okafor"], client_id=cid["c1"], reason="client in crisis on the phone")
    chart = chart_open(user=staff["okafor"], client_id=cid["c1"])
    assert "diagnosis" in chart and "psychotherapy_notes" not in chart
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.purpose == "BTG" and last.detail.get("break_glass") is True


def test_audit_records_only_what_the_chart_shows(staff, cid):
    chart = chart_open(user=staff["marsh"], client_id=cid["c1"])
    event = AuditEvent.objects.order_by("-seq").first()
    shown = set(chart) - {"id", "categories", "progress_notes_next", "appointments_next"} | (
        {"attendance"} if "appointments" in chart else set())
    assert set(event.categories) == set(chart["categories"]) == shown
