"""The accounting of disclosures as a PDF, rendered in the background: asking answers at
once with a page that says it is being prepared; the database backend's worker (run
here in this process) renders it as the client, through the door; then the page links
to it and the PDF opens. Only the person who asked sees it: another client, staff and a
random id get what a document that does not exist gets."""

from __future__ import annotations

import uuid

from django_tasks_db.models import DBTaskResult

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import PreparedDocument
from confide.services.background import tasks_run_pending
from tests.web.signin import signed_in, without_csrf


def test_the_client_asks_sees_it_being_prepared_then_opens_it(staff, cid, django_capture_on_commit_callbacks):
    web = signed_in(staff["lvarga"])
    with django_capture_on_commit_callbacks(execute=True):
        asked = web.post("/portal/accounting.pdf")
    assert asked.status_code == 302
    page_url = asked["Location"]
    document_id = page_url.rstrip("/").rsplit("/", 1)[1]
    row = PreparedDocument.objects.get(id=document_id)
    assert (row.status, row.kind, row.client_id, row.requested_by_id) == ("preparing", "accounting", cid["c1"],
                                                                          staff["lvarga"].pk)
    assert DBTaskResult.objects.filter(task_path__endswith="background.document_render", status="READY").count() == 1

    page = web.get(page_url).content.decode()
    assert "being prepared" in page and 'hx-trigger="every 2s"' in page and ".pdf" not in page
    assert web.get(f"/portal/documents/{document_id}.pdf").status_code == 404  # not yet

    audited_before = AuditEvent.objects.count()
    assert tasks_run_pending() == 1
    row.refresh_from_db()
    assert row.status == "ready" and row.finished_at is not None
    assert b"%PDF" not in bytes(row.pdf_enc)  # sealed under the client's key
    assert AuditEvent.objects.count() > audited_before  # the render read through the door, as the client

    page = web.get(page_url).content.decode()
    assert "is ready" in page and f"/portal/documents/{document_id}.pdf" in page and "every 2s" not in page
    pdf = web.get(f"/portal/documents/{document_id}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_no_one_else_sees_it(staff, cid, django_capture_on_commit_callbacks):
    web = signed_in(staff["lvarga"])
    with django_capture_on_commit_callbacks(execute=True):
        document_id = web.post("/portal/accounting.pdf")["Location"].rstrip("/").rsplit("/", 1)[1]
    tasks_run_pending()
    other, clinician = signed_in(staff["acastellanos"]), signed_in(staff["marsh"])
    for url in (f"/portal/documents/{document_id}/", f"/portal/documents/{document_id}.pdf"):
        theirs, nothing = other.get(url), other.get(url.replace(document_id, str(uuid.uuid4())))
        assert theirs.status_code == nothing.status_code == 404
        assert without_csrf(theirs.content) == without_csrf(nothing.content)
        staff_page = clinician.get(url)
        assert staff_page.status_code == 302 and staff_page["Location"] == "/"


def test_asking_is_a_post(staff):
    assert signed_in(staff["lvarga"]).get("/portal/accounting.pdf").status_code == 405


def test_prepared_documents_and_finished_tasks_are_not_kept_for_ever(staff, cid, django_capture_on_commit_callbacks):
    from datetime import datetime, timedelta, timezone

    from confide.services.background import DOCUMENT_DAYS, background_prune

    web = signed_in(staff["lvarga"])
    with django_capture_on_commit_callbacks(execute=True):
        web.post("/portal/accounting.pdf")
    tasks_run_pending()
    assert background_prune() == {"task_results": 0, "documents": 0}
    later = datetime.now(timezone.utc) + timedelta(days=DOCUMENT_DAYS, minutes=1)
    assert background_prune(now=later) == {"task_results": 1, "documents": 1}
    assert not PreparedDocument.objects.exists() and not DBTaskResult.objects.exists()


def test_pruning_prepared_documents_names_each_practice(staff, cid, other_practice, django_capture_on_commit_callbacks):
    """The housekeeping runs over every practice, a practice at a time: each statement
    that reads or deletes prepared documents names its practice (one shard on Citus)."""
    from datetime import datetime, timedelta, timezone

    from confide.services.background import DOCUMENT_DAYS, background_prune
    from tests.shards import assert_every_statement_names_the_practice, sent

    web = signed_in(staff["lvarga"])
    with django_capture_on_commit_callbacks(execute=True):
        web.post("/portal/accounting.pdf")
    tasks_run_pending()
    later = datetime.now(timezone.utc) + timedelta(days=DOCUMENT_DAYS, minutes=1)
    with sent() as statements:
        assert background_prune(now=later)["documents"] == 1
    documents = [s for s in statements if '"records_prepareddocument"' in s]
    assert_every_statement_names_the_practice(documents, at_least=2)
    assert not PreparedDocument.objects.exists()
