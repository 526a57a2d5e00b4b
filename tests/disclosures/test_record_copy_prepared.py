"""The client's copy of their record (45 CFR 164.524) is made in the background: the
clinician previews it on the page, confirms, and the page says it is being prepared;
the worker (run here in this process) makes exactly the previewed disclosure as the
clinician, then the page links the PDF. If the record changed since the preview,
nothing leaves and the page says so. Only the clinician who asked sees the page."""

from __future__ import annotations

import re

from django_tasks_db.models import DBTaskResult

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Disclosure, PreparedDocument, RecordRequest
from confide.services import charting
from confide.services.background import tasks_run_pending
from confide.services.disclosures import record_requests as rr
from tests.web.signin import signed_in

TOKEN = re.compile(r'name="token" value="([0-9a-f]{64})"')


def _previewed(web, cid, request_id) -> dict:
    url = f"/clients/{cid['c1']}/disclosures/client-request/"
    form = {"request_id": request_id, "delivery": "portal"}
    shown = web.post(url, {**form, "step": "preview"})
    assert shown.status_code == 200, shown.status_code
    (token,) = TOKEN.findall(shown.content.decode())
    return {**form, "step": "confirm", "token": token}


def test_confirmed_the_copy_is_prepared_in_the_background_then_linked(staff, cid, django_capture_on_commit_callbacks):
    req = rr.record_request_create(user=staff["lvarga"], client_id=cid["c1"], format="pdf")
    web = signed_in(staff["marsh"])
    url = f"/clients/{cid['c1']}/disclosures/client-request/"
    before = Disclosure.objects.filter(client_id=cid["c1"]).count()
    with django_capture_on_commit_callbacks(execute=True):
        asked = web.post(url, _previewed(web, cid, req["id"]))
    assert asked.status_code == 302 and asked["Location"].startswith("/documents/")
    document_id = asked["Location"].strip("/").rsplit("/", 1)[1]
    row = PreparedDocument.objects.get(id=document_id)
    assert (row.kind, row.status, str(row.ref), row.requested_by_id) == ("record_copy", "preparing", req["id"],
                                                                   staff["marsh"].pk)
    # the row the worker takes up is recorded with it, by whom and for which document
    asked_event = AuditEvent.objects.filter(action="document.request").latest("seq")
    assert (asked_event.actor, asked_event.detail["document"]) == (str(staff["marsh"].pk), document_id)
    # nothing has left yet: the request answers at once
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before
    assert RecordRequest.objects.get(id=req["id"]).fulfilled_at is None
    waiting = web.get(asked["Location"]).content.decode()
    assert "Being prepared" in waiting and ".pdf" not in waiting
    assert web.get(asked["Location"].rstrip("/") + ".pdf").status_code == 404
    assert DBTaskResult.objects.filter(task_path__endswith="background.document_render", status="READY").exists()

    assert tasks_run_pending() >= 1
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before + 1
    done = rr.record_request_list(user=staff["lvarga"], client_id=cid["c1"])[0]
    assert done["fulfilled_at"] and done["disclosure_id"]
    ready = web.get(asked["Location"]).content.decode()
    assert "Sent to the client" in ready and f"/documents/{document_id}.pdf" in ready
    pdf = web.get(f"/documents/{document_id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # only the clinician who asked: a colleague, the officer, and a random id get not found alike
    for other in ("okafor", "haddad"):
        assert signed_in(staff[other]).get(asked["Location"]).status_code == 404
    assert web.get("/documents/00000000-0000-0000-0000-000000000009/").status_code == 404


def test_a_record_changed_after_the_preview_sends_nothing(staff, cid, django_capture_on_commit_callbacks):
    req = rr.record_request_create(user=staff["lvarga"], client_id=cid["c1"], format="pdf")
    web = signed_in(staff["marsh"])
    confirm = _previewed(web, cid, req["id"])
    charting.record_add(user=staff["marsh"], client_id=cid["c1"], kind="diagnosis",
                        data={"code": "F43.10", "description": "PTSD"})
    before = Disclosure.objects.filter(client_id=cid["c1"]).count()
    with django_capture_on_commit_callbacks(execute=True):
        asked = web.post(f"/clients/{cid['c1']}/disclosures/client-request/", confirm)
    tasks_run_pending()
    assert PreparedDocument.objects.get(id=asked["Location"].strip("/").rsplit("/", 1)[1]).status == "failed"
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before
    assert RecordRequest.objects.get(id=req["id"]).fulfilled_at is None
    assert "preview it again" in web.get(asked["Location"]).content.decode()


def test_a_bad_confirmation_queues_nothing(staff, cid):
    req = rr.record_request_create(user=staff["lvarga"], client_id=cid["c1"], format="pdf")
    web = signed_in(staff["marsh"])
    url = f"/clients/{cid['c1']}/disclosures/client-request/"
    queued = PreparedDocument.objects.count()
    bad = web.post(url, {"request_id": req["id"], "delivery": "portal", "step": "confirm", "token": "x"})
    assert bad.status_code == 400 and "preview token: preview the disclosure first" in bad.content.decode()
    rr.record_request_fulfil(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"])
    again = web.post(url, _previewed_or_none(web, cid, req["id"]))
    assert again.status_code == 400 and "already fulfilled" in again.content.decode()
    assert PreparedDocument.objects.count() == queued


def _previewed_or_none(web, cid, request_id) -> dict:
    """A well-formed confirmation of an already fulfilled request (its preview refuses)."""
    return {"request_id": request_id, "delivery": "portal", "step": "confirm", "token": "a" * 64}
