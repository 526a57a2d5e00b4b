"""`confide demo --clients N`: the bulk path writes what the services write. Its clients
open, decrypt, search and page like any other; their rows bind to their own table,
column and row; the chain that records each batch verifies."""

from __future__ import annotations

import dataclasses
import json

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import (
    Appointment,
    BlindIndex,
    CareTeamMember,
    Client,
    ClientKey,
    ProgressNote,
)
from confide.core.errors import InvalidInput
from confide.services import access, intake, keys
from confide.services.audit import audit_verify
from confide.services.charting import chart_open, notes_page
from confide.services.demo.grow import demo_grow
from confide.services.directory import client_search
from confide.services.sealing import unseal


def grown(practice_id, before: set) -> list[Client]:
    return list(Client.objects.filter(practice_id=practice_id).exclude(id__in=before).order_by("created_at", "id"))


def test_bulk_clients_read_like_service_made_ones(staff, demo):
    marsh = staff["marsh"]
    before = set(Client.objects.values_list("id", flat=True))
    total = len(before) + 7
    assert demo_grow(clients=total, batch=3, notes=(2, 3)) == 7
    assert demo_grow(clients=total) == 0  # already that many: nothing added
    made = grown(marsh.practice_id, before)
    assert len(made) == 7
    keys.reset_keyring()  # nothing cached: every key is unwrapped from its stored copy
    for client in made:
        team = CareTeamMember.objects.get(client=client)
        clinician = staff[team.staff.username]
        chart = chart_open(user=clinician, client_id=client.id)
        identity = chart["identity"]
        assert identity["legal_name"] and identity["dob"] and chart["contact"]["email"].endswith("@example.org")
        assert chart["fact_of_treatment"]["status"] == "active" and chart["diagnosis"] and chart["treatment_plan"]
        assert {a["status"] for a in chart["appointments"]} == {"attended"}
        assert 2 <= len(chart["progress_notes"]) <= 3  # signed (and co-signed for a pre-licensed author)
        page = notes_page(user=clinician, client_id=client.id)
        assert [n["id"] for n in page["notes"]] == [n["id"] for n in reversed(chart["progress_notes"])]
        # Found by any part of the name, through the same blind indexes intake writes.
        surname = identity["legal_name"].split()[-1]
        assert str(client.id) in {r["id"] for r in client_search(user=clinician, query=surname)}
        # A ciphertext bound to another row does not open under this row's id.
        dek = keys.client_data_key(client.id)
        with pytest.raises(Exception):
            unseal(dek, Client, "identity_enc", made[0].id if client is not made[0] else made[1].id,
                   client.identity_enc)
    lindqvist = [c for c in made if CareTeamMember.objects.get(client=c).staff.username == "lindqvist"]
    assert lindqvist and all(n.cosigned_by_id == staff["okafor"].pk for n in
                             ProgressNote.objects.filter(client__in=lindqvist))


def test_bulk_rows_equal_intakes_rows(staff, demo):
    """The same identity and contact through intake and through the bulk path give the
    same blind index entries and the same sealed shapes."""
    marsh = staff["marsh"]
    before = set(Client.objects.values_list("id", flat=True))
    demo_grow(clients=len(before) + 1, batch=1)
    bulk = grown(marsh.practice_id, before)[0]
    dek = keys.client_data_key(bulk.id)
    identity = unseal(dek, Client, "identity_enc", bulk.id, bulk.identity_enc)
    contact = unseal(dek, Client, "contact_enc", bulk.id, bulk.contact_enc)
    made = intake.client_create(user=marsh, identity=identity, contact=contact)
    ours = sorted(BlindIndex.objects.filter(client_id=made).values_list("kind", "digest"))
    theirs = sorted(BlindIndex.objects.filter(client_id=bulk.id).values_list("kind", "digest"))
    assert ours == theirs and len(ours) > 20
    assert ClientKey.objects.get(client_id=bulk.id).master_key_id == ClientKey.objects.get(client_id=made).master_key_id
    service = Client.objects.get(id=made)
    for column in ("identity_enc", "contact_enc", "fact_enc"):
        assert unseal(keys.client_data_key(made), Client, column, made, getattr(service, column)) is not None
        assert unseal(dek, Client, column, bulk.id, getattr(bulk, column)) is not None
    assert Appointment.objects.filter(client_id=bulk.id).exists()


def test_each_creation_and_write_is_asked_and_audited_as_the_services_do(staff, demo):
    """Per client: intake's `client.create` (the PDP's decision), then a `write` for the
    chart's diagnoses and plan, the booking, each attendance, each note's draft and
    signature, and a supervisor's co-signature, each with its own decision; all under
    the client's pseudonym, never a name; and the chain verifies."""
    practice = staff["marsh"].practice_id
    before = set(Client.objects.values_list("id", flat=True))
    last = AuditEvent.objects.filter(chain=str(practice)).order_by("-seq").values_list("seq", flat=True).first() or 0
    demo_grow(clients=len(before) + 5, batch=2, notes=(2, 2))
    made = grown(practice, before)
    events = [json.loads(e.body) for e in AuditEvent.objects.filter(chain=str(practice), seq__gt=last)
              .order_by("seq")]
    refs = {access.client_ref_in(practice, c.id): c for c in made}
    assert {e["client_ref"] for e in events} == set(refs)
    for ref, client in refs.items():
        mine = [e for e in events if e["client_ref"] == ref]
        clinician = CareTeamMember.objects.get(client=client).staff
        assert mine[0]["action"] == "client.create" and mine[0]["actor"] == str(clinician.pk)
        assert all(e["decision"] == "permit" and e["rule_ids"] and e["decision_id"] for e in mine)
        writes = [(e["detail"]["record"], e["detail"].get("op")) for e in mine[1:]]
        cosigned = ProgressNote.objects.filter(client=client, cosigned_by__isnull=False).count()
        assert writes.count(("chart", None)) == 1 and writes.count(("appointment", None)) == 1
        assert writes.count(("appointment.attendance", None)) == 2
        assert writes.count(("progress_note", "draft")) == writes.count(("progress_note", "sign")) == 2
        assert writes.count(("progress_note", "cosign")) == cosigned
        assert len(writes) == 8 + cosigned
    assert len({e["decision_id"] for e in events}) == len(events)
    names = {unseal(keys.client_data_key(c.id), Client, "identity_enc", c.id, c.identity_enc)["legal_name"]
             for c in made}
    assert not any(name in json.dumps(e) for e in events for name in names)
    assert audit_verify(checkpoint=False).ok


def test_a_refusal_by_the_rules_writes_nothing(staff, demo, monkeypatch):
    """A batch commits or rolls back whole: refused at its last client, none of its
    clients, rows or events stay."""
    from confide.services import access as access_service

    practice = staff["marsh"].practice_id
    before = Client.objects.count()
    events = AuditEvent.objects.count()
    real = access_service.authorize_known_write
    calls = {"n": 0}

    def refuse_late(**kwargs):
        calls["n"] += 1
        decision = real(**kwargs)
        if calls["n"] < 12:
            return decision
        return dataclasses.replace(decision, effect="deny")

    monkeypatch.setattr(access_service, "authorize_known_write", refuse_late)
    with pytest.raises(InvalidInput, match="the rules refuse"):
        demo_grow(clients=before + 2, batch=2, notes=(2, 2))
    assert Client.objects.count() == before and AuditEvent.objects.count() == events
    assert not ProgressNote.objects.filter(practice_id=practice).exclude(
        client_id__in=Client.objects.values("id")).exists()


def test_bad_counts_are_one_line_errors(demo, db):
    for bad in (0, -3, 2_000_000, "ten"):
        with pytest.raises(InvalidInput, match="clients: a number from 1"):
            demo_grow(clients=bad)


def test_a_long_charts_first_screen_is_one_page(staff, demo):
    """chart_open returns the newest page of notes and the marker for the rest, which
    notes_page (the notes tab and GET /clients/{id}/notes) continues from."""
    before = set(Client.objects.values_list("id", flat=True))
    while Client.objects.count() % 3 != 1:  # the next bulk client is marsh's (clinicians in turn)
        demo_grow(clients=Client.objects.count() + 1, batch=1, notes=(1, 1))
        before = set(Client.objects.values_list("id", flat=True))
    demo_grow(clients=len(before) + 1, batch=1, notes=(25, 25))
    client = grown(staff["marsh"].practice_id, before)[0]
    chart = chart_open(user=staff["marsh"], client_id=client.id)
    assert len(chart["progress_notes"]) == 20 and chart["progress_notes_next"]
    days = [n["session_date"] for n in chart["progress_notes"]]
    assert days == sorted(days)  # oldest of the page first, as the whole projection orders them
    rest = notes_page(user=staff["marsh"], client_id=client.id, before=chart["progress_notes_next"])
    assert len(rest["notes"]) == 5 and rest["next"] is None
    assert max(n["session_date"] for n in rest["notes"]) <= days[0]
    assert {n["id"] for n in rest["notes"]}.isdisjoint({n["id"] for n in chart["progress_notes"]})
