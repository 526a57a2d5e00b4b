"""A chart's first screen is read in the audited transaction, and opened only after it:
nothing of the chart is decrypted until the read's audit event is written and the
transaction has ended (services.charting.chart_open: screen_read, then screen_shape)."""

from __future__ import annotations

from django.db import connection

from confide.apps.records.models import CareTeamMember, Client
from confide.services import charting, projection
from confide.services.audit import audit_count
from confide.services.demo.grow import demo_grow


def _grown(sessions: int):
    before = set(Client.objects.values_list("id", flat=True))
    demo_grow(clients=len(before) + 1, batch=1, notes=(sessions, sessions))
    client = Client.objects.exclude(id__in=before).get()
    return client, CareTeamMember.objects.get(client=client).staff


def _watch(monkeypatch, module) -> list[tuple[int, int]]:
    """Each call of `module.unseal` from now on, as (transaction depth, audit events
    recorded) at the time of the call."""
    seen = []
    real = module.unseal

    def watching(*args, **kwargs):
        seen.append((len(connection.atomic_blocks), audit_count()))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "unseal", watching)
    return seen


def test_nothing_is_decrypted_before_the_read_is_on_record(db, demo, monkeypatch):
    client, clinician = _grown(3)
    charting.chart_open(user=clinician, client_id=client.id)  # keys and rules warm
    outside = len(connection.atomic_blocks)  # the test's own transaction
    recorded = audit_count()
    seen = _watch(monkeypatch, projection)
    chart = charting.chart_open(user=clinician, client_id=client.id)
    assert len(chart["progress_notes"]) == 3 and chart["identity"]
    assert seen, "the chart was decrypted through projection.unseal"
    # Every decryption ran after the audited transaction had ended, its event written.
    assert {depth for depth, _count in seen} == {outside}
    assert {count for _depth, count in seen} == {recorded + 1}


def test_a_refused_chart_decrypts_nothing(db, demo, staff, monkeypatch):
    client, clinician = _grown(1)
    stranger = next(u for u in staff.values() if u.role == "clinician" and u.pk != clinician.pk
                    and u.practice_id == client.practice_id
                    and not CareTeamMember.objects.filter(client=client, staff=u).exists())
    calls = []
    monkeypatch.setattr(projection, "unseal", lambda *a, **k: calls.append(a))
    recorded = audit_count()
    try:
        charting.chart_open(user=stranger, client_id=client.id)
    except Exception as exc:  # NotFound: no relationship, no chart
        assert type(exc).__name__ == "NotFound"
    else:
        raise AssertionError("a clinician with no relationship opened the chart")
    assert calls == []
    assert audit_count() == recorded + 1  # the denial is on record


def test_a_notes_page_is_decrypted_only_after_its_read_is_on_record(db, demo, monkeypatch):
    """The notes tab's pages (notes_page) read the page and its addenda as the audited
    transaction's last statements and open them after the commit, as chart_open does."""
    from confide.services.charting import notes as notes_module

    client, clinician = _grown(25)
    charting.notes_page(user=clinician, client_id=client.id)  # keys and rules warm
    outside = len(connection.atomic_blocks)
    recorded = audit_count()
    seen = _watch(monkeypatch, notes_module)
    page = charting.notes_page(user=clinician, client_id=client.id, limit=20)
    assert len(page["notes"]) == 20 and page["next"]
    older = charting.notes_page(user=clinician, client_id=client.id, before=page["next"], limit=20)
    assert len(older["notes"]) == 5 and older["next"] is None
    assert not {n["id"] for n in page["notes"]} & {n["id"] for n in older["notes"]}
    assert seen and {depth for depth, _count in seen} == {outside}
    assert {count for _depth, count in seen} <= {recorded + 1, recorded + 2}
